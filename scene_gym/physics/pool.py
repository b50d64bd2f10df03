"""What one pybullet client holds, and the reuse that keeps it bounded (used by
:class:`~scene_gym.physics.PhysicsWorld`).

pybullet gives back almost nothing before its client disconnects:

- a collision shape that a body has used cannot be removed (``removeCollisionShape`` refuses: "it is used");
- ``createMultiBody`` wraps the body's shape in a new compound (one child per child of the shape), which
  ``removeBody`` leaves behind: about 0.6 KB per convex child, on every body created.

So a world that made new room solids on every room change and new bodies on every added object grew by
about 54 KB per env reset and 6 KB per add/remove (issue 13). A :class:`ClientPool` keeps it bounded:

- **shapes by geometry key**: each collision shape is created once per key (objects: their
  :attr:`~scene_gym.physics.shapes.ObjectShape.key`; room solids: their kind and exact extents or vertices) and
  kept for the client's life;
- **bodies by shape**: :meth:`ClientPool.take` reuses a spare body of the shape before it creates one;
  :meth:`ClientPool.give` parks a body near :data:`PARK` (100 km below the room, beyond the reach of any ray
  from a room) as a spare instead of removing it;
- **a count of what the client holds**: every shape and every body ever created weighs its number of convex
  children (:attr:`ClientPool.held`); bodies in use and the shapes they use make :attr:`ClientPool.in_use`;
  the rest, :attr:`ClientPool.idle`, is what a fresh client would not need. The world opens a fresh client
  and rebuilds the scene when ``idle`` passes its budget, so memory stays within (in use + budget) items
  however long it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scene_gym.physics.bodies import Spec, create_body, yaw_xyzw

#: Where spare bodies wait (metres, room frame): far below any room, out of every ray's and query's way ...
PARK = (0.0, 0.0, -1.0e5)
#: ... each on its own spot of a grid with this spacing (metres) and row length: a pile of bodies in one place
#: makes pybullet's broadphase tree degenerate (moving one of 1,000 piled bodies took 30 us instead of 4).
PARK_SPACING, PARK_ROW = 50.0, 100


@dataclass
class ClientPool:
    """Shapes, bodies and the item count of one pybullet client ``cid`` (module docstring).

    Attributes:
        held: items (convex children of shapes and of bodies' compounds) the client holds, in use or not.
        in_use: items of the bodies in use and of the shapes they use.
    """

    p: object
    cid: int
    held: int = 0
    in_use: int = 0
    _shapes: dict[tuple, list[Spec]] = field(default_factory=dict)  # geometry key -> its shapes
    _weight: dict[int, int] = field(default_factory=dict)  # shape id -> convex children
    _users: dict[int, int] = field(default_factory=dict)  # shape id -> bodies in use
    _body_shape: dict[int, int] = field(default_factory=dict)  # body id -> shape id, every body created
    _spare: dict[int, list[int]] = field(default_factory=dict)  # shape id -> parked bodies

    @property
    def idle(self) -> int:
        """Items the client holds that the bodies in use do not need (spare and removed bodies, unused shapes)."""
        return self.held - self.in_use

    def shapes(self, key: tuple, make: Callable[[], list[Spec]]) -> tuple[list[Spec], bool]:
        """The shapes cached under geometry ``key``, made by ``make()`` the first time; returns (shapes, fresh)."""
        found = self._shapes.get(key)
        if found is not None:
            return found, False
        made = make()
        for spec in made:
            self._weight[spec.sid] = int(spec.children)
            self.held += int(spec.children)
        self._shapes[key] = made
        return made, True

    def take(self, sid: int, position, yaw: float, *, set_margin: bool) -> int:
        """A body of shape ``sid`` posed at ``position`` (metres) turned by ``yaw`` (radians): a spare one moved
        there, else a new one (:func:`~scene_gym.physics.bodies.create_body`, which sets the shared shape's
        margin when ``set_margin``)."""
        p, cid = self.p, self.cid
        spares = self._spare.get(sid)
        if spares:
            body = spares.pop()
            p.resetBasePositionAndOrientation(body, list(position), yaw_xyzw(yaw), physicsClientId=cid)
        else:
            body = create_body(p, cid, sid, position, yaw, set_margin=set_margin)
            self._body_shape[body] = sid
            self.held += self._weight[sid]
        users = self._users.get(sid, 0)
        self._users[sid] = users + 1
        self.in_use += self._weight[sid] * (2 if users == 0 else 1)  # the body, and its shape if first
        return body

    def give(self, body: int) -> None:
        """Park a body taken with :meth:`take` near :data:`PARK` (its own spot) as a spare of its shape."""
        sid = self._body_shape[body]
        spot = [PARK[0] + PARK_SPACING * (body % PARK_ROW), PARK[1] + PARK_SPACING * (body // PARK_ROW), PARK[2]]
        self.p.resetBasePositionAndOrientation(body, spot, [0.0, 0.0, 0.0, 1.0], physicsClientId=self.cid)
        self._spare.setdefault(sid, []).append(body)
        users = self._users[sid] - 1
        self._users[sid] = users
        self.in_use -= self._weight[sid] * (2 if users == 0 else 1)

    def stats(self) -> dict[str, int]:
        """Counts: ``shapes`` and ``bodies`` created in the client, ``bodies_in_use``, ``spare_bodies``,
        ``items_held``, ``items_in_use``, ``items_idle`` (see the class attributes)."""
        spare = sum(len(v) for v in self._spare.values())
        return {"shapes": len(self._weight), "bodies": len(self._body_shape),
                "bodies_in_use": len(self._body_shape) - spare, "spare_bodies": spare,
                "items_held": self.held, "items_in_use": self.in_use, "items_idle": self.idle}  # fmt: skip
