"""A pybullet world kept in sync with a :class:`~scene_gym.scene.Scene`, answering collision, bounds, support
and ray queries.

Each :class:`PhysicsWorld` owns one pybullet client in DIRECT mode (``p.connect(p.DIRECT)``) and passes its id
to every call, so any number of worlds (one per environment instance) live side by side; the global client
is never used. Close a world with :meth:`PhysicsWorld.close` or a ``with`` block.

Bodies. An object becomes static bodies posed at the object's frame: its box, cylinder and sphere parts grouped
into compound shapes, one convex-hull body per mesh part (:mod:`scene_gym.physics.bodies` has the details,
including the collision margins). Collision shapes are created once per (asset, joint state) and shared by
every body that needs them.

Lifecycle. pybullet frees neither a used collision shape nor the compound a body wraps its shape in before the
client disconnects, so the world reuses what it made (:mod:`scene_gym.physics.pool`): room solids' shapes are
cached by geometry like objects' shapes, a removed object's or an old room's bodies are parked as spares and
taken again by the next body of the same shape, and every item the client holds is counted. When the items that
the current scene does not use pass :data:`MAX_IDLE_ITEMS`, :meth:`PhysicsWorld.sync` opens a fresh client and
rebuilds the scene in it (:meth:`PhysicsWorld.client_stats` reports the counts and the recycles), so a world
that lives through any number of resets and edits stays within a few MB.

Sync. :meth:`PhysicsWorld.sync` diffs the scene's objects against the last synced records by id: a new id adds
bodies, a removed id takes its bodies out (parked for reuse, see Lifecycle), a record whose geometry fields
(category, size, params, seed, material, joints) are unchanged but whose pose changed is moved with
``resetBasePositionAndOrientation``, and any other change rebuilds that object's bodies only. Cached pair results
of changed objects are dropped.

Collisions. pybullet reports no contacts between two static bodies through ``performCollisionDetection``, so
object pairs are found by an AABB broadphase (numpy, exact object-frame AABBs) and each candidate pair of
bodies is queried with ``getClosestPoints(a, b, distance=0)``. A pair's *depth* is the deepest penetration
between two of their convex parts (so two tables overlapping by 10 cm report the depth of their deepest
part overlap, bounded by part thickness, not 10 cm). Thin coverings (rugs) never collide. An object and its
support parent touch by design: between them, contacts whose normal is within 45 degrees of vertical and whose
depth is at most 1 cm are support, not collision (a book sunk 5 mm into its shelf is resting; the same book
pushed into the bookcase's side panel collides).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field

import numpy as np

from scene_gym.errors import SceneGymError
from scene_gym.physics import checks, rays
from scene_gym.physics.bodies import create_room_shape, create_shapes, room_solids, yaw_xyzw
from scene_gym.physics.pool import ClientPool
from scene_gym.physics.pybullet_util import import_pybullet
from scene_gym.physics.rays import RayHit
from scene_gym.physics.shapes import (
    ObjectShape,
    Placed,
    is_thin_covering,
    object_shape,
    place,
    rotated_aabb,
    shape_key,
)
from scene_gym.scene import Room, Scene, SceneObject

#: Contacts between an object and its support parent count as support below this depth (metres) ...
SUPPORT_DEPTH = 0.01
#: ... when |normal z| is at least this (45 degrees from vertical).
SUPPORT_NORMAL_Z = math.cos(math.radians(45.0))

__all__ = ["Collision", "PhysicsWorld", "RayHit", "SyncReport"]


@dataclass(frozen=True)
class Collision:
    """Two objects (ids in sorted order) whose parts interpenetrate by ``depth`` metres."""

    a: str
    b: str
    depth: float


@dataclass
class SyncReport:
    """What one :meth:`PhysicsWorld.sync` changed: object ids added, moved (pose only), rebuilt, removed."""

    added: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.moved or self.rebuilt or self.removed)


@dataclass
class _Entry:
    obj: SceneObject
    shape: ObjectShape
    bodies: list[tuple[int, np.ndarray]]  # (body id, local (2, 3) AABB in the object frame)
    thin: bool
    placed: Placed | None = None
    body_aabbs: list[np.ndarray] = field(default_factory=list)  # world (2, 3) per body


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    return bool((a[0] < b[1]).all() and (b[0] < a[1]).all())


#: Idle items (convex children of shapes and bodies the scene no longer uses, see :mod:`scene_gym.physics.pool`)
#: past which :meth:`PhysicsWorld.sync` starts a fresh client; roughly 1-5 KB of pybullet memory each.
MAX_IDLE_ITEMS = 2048


class PhysicsWorld:
    """pybullet queries over a scene kept in sync incrementally (see the module docstring).

    Args:
        scene: optional scene to sync at once.

    Example::

        with PhysicsWorld(scene) as world:
            hits = world.collisions()          # [Collision('desk_1', 'dresser_1', 0.03)]
            edit.move_object(scene, "desk_1", to=(1.0, 2.0))   # scene_gym.actions.edit
            world.sync(scene)                  # moves one body, keeps the others
    """

    def __init__(self, scene: Scene | None = None):
        self._p = import_pybullet()
        self._cid = -1
        self._recycles = -1
        self._connect()
        self.scene: Scene | None = None
        if scene is not None:
            self.sync(scene)

    def _connect(self) -> None:
        """Open a fresh DIRECT client and forget every body and cached shape."""
        self.close()
        self._cid = self._p.connect(self._p.DIRECT)
        if self._cid < 0:
            raise SceneGymError(f"expected pybullet to open a DIRECT client, got client id {self._cid}")
        self._recycles += 1
        self._pool = ClientPool(self._p, self._cid)
        self._entries: dict[str, _Entry] = {}
        self._owner: dict[int, str] = {}
        self._depth: dict[str, dict[str, float]] = {}
        self._room: Room | None = None
        self._arch: dict[int, tuple[str, int | None]] = {}
        self._broad: tuple | None = None

    # --- lifecycle ----------------------------------------------------------------------------------------
    @property
    def client_id(self) -> int:
        """The pybullet client id this world owns."""
        return self._cid

    @property
    def closed(self) -> bool:
        return self._cid < 0

    def close(self) -> None:
        """Disconnect the pybullet client; safe to call twice."""
        if self._cid >= 0:
            with contextlib.suppress(Exception):
                self._p.disconnect(physicsClientId=self._cid)
            self._cid = -1

    def __enter__(self) -> PhysicsWorld:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        with contextlib.suppress(Exception):
            self.close()

    def _check_open(self) -> None:
        if self._cid < 0:
            raise SceneGymError("expected an open PhysicsWorld, got one that was closed")

    # --- sync ---------------------------------------------------------------------------------------------
    def sync(self, scene: Scene) -> SyncReport:
        """Bring the bodies in line with ``scene``; only objects whose records changed are touched."""
        self._check_open()
        if self._pool.idle > MAX_IDLE_ITEMS:
            # What pybullet cannot free (module docstring) is only given back with its client: start a clean
            # one and rebuild the scene in it.
            self._connect()
        report = SyncReport()
        if scene.room != self._room:
            self._build_room(scene.room)
        current = {o.id: o for o in scene.objects}
        for oid in [k for k in self._entries if k not in current]:
            self._remove(oid)
            report.removed.append(oid)
        for oid, obj in current.items():
            entry = self._entries.get(oid)
            if entry is None:
                self._add(obj)
                report.added.append(oid)
            elif entry.obj is obj or entry.obj == obj:
                continue
            elif shape_key(entry.obj) == shape_key(obj):
                self._move(entry, obj)
                report.moved.append(oid)
            else:
                self._remove(oid)
                self._add(obj)
                report.rebuilt.append(oid)
        if report.changed:
            self._broad = None
            self._entries = {oid: self._entries[oid] for oid in current}  # keep the scene's order
        self.scene = scene
        return report

    def _build_room(self, room: Room) -> None:
        pool, p, cid = self._pool, self._p, self._cid
        for body in self._arch:
            pool.give(body)
        self._arch = {}
        for solid in room_solids(room):
            (spec,), _ = pool.shapes(solid.key, lambda key=solid.key: create_room_shape(p, cid, key))
            self._arch[pool.take(spec.sid, solid.position, solid.yaw, set_margin=True)] = (solid.label, solid.wall)
        self._room = room

    def _add(self, obj: SceneObject) -> None:
        shape = object_shape(obj)
        specs, fresh = self._pool.shapes(shape.key, lambda: create_shapes(self._p, self._cid, shape))
        bodies = []
        for spec in specs:
            body = self._pool.take(spec.sid, obj.position, obj.yaw, set_margin=fresh)
            bodies.append((body, spec.local))
            self._owner[body] = obj.id
        entry = _Entry(obj, shape, bodies, is_thin_covering(obj.category))
        self._place(entry, obj)
        self._entries[obj.id] = entry

    def _place(self, entry: _Entry, obj: SceneObject) -> None:
        entry.obj = obj
        entry.placed = place(obj, entry.shape)
        entry.body_aabbs = [rotated_aabb(obj, local) for _, local in entry.bodies]

    def _move(self, entry: _Entry, obj: SceneObject) -> None:
        pos, orn = list(obj.position), yaw_xyzw(obj.yaw)
        for body, _ in entry.bodies:
            self._p.resetBasePositionAndOrientation(body, pos, orn, physicsClientId=self._cid)
        self._place(entry, obj)
        self._forget_pairs(obj.id)

    def _remove(self, oid: str) -> None:
        entry = self._entries.pop(oid)
        for body, _ in entry.bodies:
            self._pool.give(body)  # parked as a spare: removeBody would leave its compound behind anyway
            del self._owner[body]
        self._forget_pairs(oid)

    def clear_cache(self) -> None:
        """Forget cached pair depths, so that the next :meth:`collisions` queries every candidate pair again."""
        self._depth.clear()

    def _forget_pairs(self, oid: str) -> None:
        for other in self._depth.pop(oid, {}):
            self._depth.get(other, {}).pop(oid, None)

    # --- introspection ------------------------------------------------------------------------------------
    @property
    def object_ids(self) -> list[str]:
        """Ids of the synced objects, in scene order."""
        return list(self._entries)

    def body_ids(self, object_id: str) -> tuple[int, ...]:
        """pybullet body ids of one object."""
        return tuple(b for b, _ in self._entry(object_id).bodies)

    def num_bodies(self) -> int:
        """Bodies in use: the synced objects' and the room's (spare bodies parked for reuse are not counted)."""
        return len(self._owner) + len(self._arch)

    def client_stats(self) -> dict[str, int]:
        """What the pybullet client holds (:meth:`scene_gym.physics.pool.ClientPool.stats`: ``shapes``,
        ``bodies``, ``bodies_in_use``, ``spare_bodies``, ``items_held``, ``items_in_use``, ``items_idle``),
        ``pybullet_bodies`` as pybullet counts them, ``max_idle_items`` and ``recycles`` (fresh clients
        opened to give memory back)."""
        self._check_open()
        return {**self._pool.stats(), "pybullet_bodies": int(self._p.getNumBodies(physicsClientId=self._cid)),
                "max_idle_items": MAX_IDLE_ITEMS, "recycles": self._recycles}  # fmt: skip

    def shape(self, object_id: str) -> ObjectShape:
        """The collision geometry of one synced object."""
        return self._entry(object_id).shape

    def aabb(self, object_id: str) -> np.ndarray:
        """(2, 3) room-frame AABB of one synced object."""
        return self._entry(object_id).placed.aabb.copy()

    def placed(self, object_id: str | None = None):
        """The :class:`~scene_gym.physics.shapes.Placed` geometry of one object, or a dict of all of them."""
        if object_id is None:
            return {k: e.placed for k, e in self._entries.items()}
        return self._entry(object_id).placed

    def _entry(self, object_id: str) -> _Entry:
        try:
            return self._entries[object_id]
        except KeyError:
            raise SceneGymError(f"expected a synced object id, got {object_id!r}") from None

    # --- queries ------------------------------------------------------------------------------------------
    def collisions(self, min_depth: float = 0.001, ids=None) -> list[Collision]:
        """Pairs of objects interpenetrating deeper than ``min_depth`` metres, sorted by ids.

        Thin coverings are skipped and contact between an object and its support parent is support (module
        docstring). ``ids`` limits the answer to pairs involving those objects (others are not computed).
        """
        self._check_open()
        if not math.isfinite(min_depth) or min_depth < 0:
            raise SceneGymError(f"expected min_depth >= 0 metres, got {min_depth!r}")
        order, lo, hi = self._broadphase()
        if not order:
            return []
        overlap = ((lo[:, None, :] < hi[None, :, :]) & (lo[None, :, :] < hi[:, None, :])).all(axis=-1)
        if ids is not None:
            keep = set(ids)
            wanted = np.array([o in keep for o in order])
            overlap &= wanted[:, None] | wanted[None, :]
        ai, bi = np.nonzero(np.triu(overlap, 1))
        out = []
        for i, j in zip(ai.tolist(), bi.tolist(), strict=True):
            a, b = sorted((order[i], order[j]))
            depth = self._depth.get(a, {}).get(b)
            if depth is None:
                depth = self._pair_depth(self._entries[a], self._entries[b])
                self._depth.setdefault(a, {})[b] = depth
                self._depth.setdefault(b, {})[a] = depth
            if depth > min_depth:
                out.append(Collision(a, b, depth))
        out.sort(key=lambda c: (c.a, c.b))
        return out

    def _broadphase(self):
        if self._broad is None:
            order = [oid for oid, e in self._entries.items() if not e.thin]
            if order:
                boxes = np.array([self._entries[o].placed.aabb for o in order])
                self._broad = (order, boxes[:, 0], boxes[:, 1])
            else:
                self._broad = ([], np.zeros((0, 3)), np.zeros((0, 3)))
        return self._broad

    def _pair_depth(self, ea: _Entry, eb: _Entry) -> float:
        p, cid = self._p, self._cid
        support = ea.obj.parent == eb.obj.id or eb.obj.parent == ea.obj.id
        depth = 0.0
        for (body_a, _), box_a in zip(ea.bodies, ea.body_aabbs, strict=True):
            for (body_b, _), box_b in zip(eb.bodies, eb.body_aabbs, strict=True):
                if not _overlap(box_a, box_b):
                    continue
                for pt in p.getClosestPoints(body_a, body_b, 0.0, physicsClientId=cid):
                    d = -pt[8]
                    if d <= depth:
                        continue
                    if support and d <= SUPPORT_DEPTH and abs(pt[7][2]) >= SUPPORT_NORMAL_Z:
                        continue
                    depth = d
        return depth

    def out_of_bounds(self, tol: float = checks.TOLERANCE) -> list[str]:
        """Ids of objects leaving the room by more than ``tol`` metres (see :mod:`scene_gym.physics.checks`)."""
        self._check_open()
        if self._room is None:
            return []
        return checks.out_of_bounds(self.placed(), self._room, tol)

    def support(self, tol: float = checks.TOLERANCE) -> list[str]:
        """Ids of objects that do not rest on their parent within ``tol`` metres (:mod:`scene_gym.physics.checks`)."""
        self._check_open()
        if self._room is None:
            return []
        return checks.unsupported(self.placed(), self._room, tol)

    def ray_cast(self, origins, directions, max_dist: float = 100.0) -> list[RayHit]:
        """Cast rays; one :class:`RayHit` per ray.

        Args:
            origins: (N, 3) or (3,) ray starts, metres.
            directions: (N, 3) or (3,) ray directions (any non-zero length; normalised here).
            max_dist: rays end this many metres from their origin.
        """
        self._check_open()
        starts, ends = rays.ray_segments(origins, directions, max_dist)
        return rays.cast(self._p, self._cid, starts, ends, lambda body: self._arch.get(body, (self._owner.get(body), None)))
