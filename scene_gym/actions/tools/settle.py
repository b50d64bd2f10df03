"""``optimize_physics``: SceneWeaver's physics post-step over our physics queries.

In order:

1. **Settle**: floor objects to z = 0, ceiling objects against the ceiling, objects resting on others onto the
   nearest support surface of their parent under their centre (asset surfaces, joint positions 0).
2. **Out of bounds** (:meth:`PhysicsWorld.out_of_bounds`, 1 cm): floor, wall and ceiling objects are pushed
   back inside by the shortest translation (at most ``max_shift`` metres) with everything resting on them.
3. **Collisions** (:meth:`PhysicsWorld.collisions`, deeper than 1 mm), up to ``rounds`` rounds: for each
   pair one object moves: the one not on the floor (small, wall and ceiling objects), else the smaller
   footprint, never a door. Two floor objects are separated by the minimum translation of their bounding
   boxes (plus 1 cm), if that keeps the mover inside the room and within ``max_shift``; otherwise (and for
   objects not on the floor) the mover is re-placed by the layout solver, keeping its recorded relations.
4. **Support** (:meth:`PhysicsWorld.support`): what still does not rest on its parent is re-placed by the
   solver on the same parent.
5. **Drop**: what the solver could not place, or what still collides, leaves the room or is unsupported, is
   removed with everything resting on it (``drop=True``), as SceneWeaver drops objects it cannot fix.

The report (message and ``details``) names every object pushed, settled, re-placed and removed.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field

from scene_gym.actions import edit
from scene_gym.actions.edit import footprint, outside_by
from scene_gym.actions.tools.base import Args, Bool, Context, Int, Num, Outcome, fmt_ids
from scene_gym.scene import Scene, SceneObject

SEPARATION = 0.01  # metres of clearance left between two objects pushed apart
ARCH = ("floor", "wall", "ceiling")


class OptimizePhysicsArgs(Args):
    rounds: Int = Field(4, ge=1, le=20, description="rounds of pushing colliding objects apart")
    max_shift: Num = Field(0.5, ge=0.0, le=3.0, description="largest push of one object per round, metres")
    replace: Bool = Field(True, description="let the layout solver re-place objects a push cannot fix")
    drop: Bool = Field(True, description="remove objects that still cannot be fixed")


def _depth_of(scene: Scene, oid: str) -> int:
    n, node = 0, scene.get(oid).parent
    while node in scene:
        n, node = n + 1, scene.get(node).parent
    return n


def settle(scene: Scene) -> list[str]:
    """Put every object at its support height (module docstring, step 1); returns the ids moved."""
    from scene_gym.layout.scene_view import box_of, surfaces_of

    moved = []
    order = sorted((o.id for o in scene.objects), key=lambda i: _depth_of(scene, i))
    for oid in order:
        obj = scene.get(oid)
        z = obj.position[2]
        if obj.parent == "floor":
            target = 0.0
        elif obj.parent == "ceiling":
            target = scene.room.wall_height - obj.size[2]
        elif obj.parent == "wall":
            continue
        else:
            host = scene.get(obj.parent)
            x, y = obj.position[0], obj.position[1]
            best = None
            for s in surfaces_of(box_of(host)):
                c, sn = math.cos(s.yaw), math.sin(s.yaw)
                lx, ly = c * (x - s.x) + sn * (y - s.y), -sn * (x - s.x) + c * (y - s.y)
                if abs(lx) <= s.w / 2 and abs(ly) <= s.d / 2:
                    # prefer the surface just below the object's bottom (it fell onto it), then the nearest
                    key = (s.z > z + 0.02, abs(s.z - z))
                    if best is None or key < best[0]:
                        best = (key, s.z)
            if best is None:
                continue
            target = best[1]
        if abs(target - z) > 1e-5:
            moved += edit.move_object(scene, oid, by=(0.0, 0.0, target - z))
    return list(dict.fromkeys(moved))


def _mtv(a: SceneObject, b: SceneObject) -> np.ndarray | None:
    """Smallest (2,) translation of ``a`` separating its footprint box from ``b``'s, plus :data:`SEPARATION`."""
    axes = []
    for o in (a, b):
        c, s = math.cos(o.yaw), math.sin(o.yaw)
        axes += [np.array([c, s]), np.array([-s, c])]
    pa, pb = footprint(a), footprint(b)
    best = None
    for ax in axes:
        ra, rb = pa @ ax, pb @ ax
        overlap = min(ra.max(), rb.max()) - max(ra.min(), rb.min())
        if overlap <= 0:
            return None
        # move a towards the side where its centre lies relative to b
        sign = 1.0 if (ra.min() + ra.max()) >= (rb.min() + rb.max()) else -1.0
        push = (rb.max() - ra.min()) if sign > 0 else (ra.max() - rb.min())
        if best is None or push < best[0]:
            best = (push, sign * ax)
    return best[1] * (best[0] + SEPARATION)


def _mover(scene: Scene, a: str, b: str) -> tuple[str, str]:
    from scene_gym.physics import DOOR_CATEGORIES

    oa, ob = scene.get(a), scene.get(b)
    if oa.category in DOOR_CATEGORIES:
        return b, a
    if ob.category in DOOR_CATEGORIES:
        return a, b
    if (oa.parent == "floor") != (ob.parent == "floor"):
        return (b, a) if oa.parent == "floor" else (a, b)
    if ob.parent == oa.id:  # a child colliding with its own parent's geometry moves
        return b, a
    if oa.parent == ob.id:
        return a, b
    area_a, area_b = oa.size[0] * oa.size[1], ob.size[0] * ob.size[1]
    return (a, b) if area_a <= area_b else (b, a)


def _push(scene: Scene, mover: str, other: str, max_shift: float) -> bool:
    a, b = scene.get(mover), scene.get(other)
    if a.parent != "floor" or b.parent not in ("floor", "wall"):
        return False
    v = _mtv(a, b)
    if v is None:
        return True
    if float(np.linalg.norm(v)) > max_shift:
        return False
    fp = footprint(a) + v
    if outside_by(scene.room, fp) > 0.0:
        return False
    edit.move_object(scene, mover, by=(float(v[0]), float(v[1])))
    return True


class _Fixer:
    """The steps of ``optimize_physics`` over one scene and physics world, writing what they did in ``report``."""

    def __init__(self, ctx: Context, args: OptimizePhysicsArgs):
        self.ctx, self.args, self.scene = ctx, args, ctx.scene
        self.report: dict[str, list[str]] = {"settled": [], "pushed_inside": [], "separated": [], "replaced": [],
                                             "removed": []}  # fmt: skip
        self.report["settled"] = settle(self.scene)
        self.world = ctx.physics()

    def replace(self, ids) -> list[str]:
        """Re-place ``ids`` with the solver (when allowed); returns those it could not place."""
        ids = [i for i in dict.fromkeys(ids) if i in self.scene]
        if not ids or not self.args.replace:
            return ids
        res = edit.replace_objects(self.scene, ids, **self.ctx.solver)
        failed = {f.id for f in res.failed}
        self.report["replaced"] += [i for i in ids if i not in failed]
        return [i for i in ids if i in failed]

    def drop(self, ids) -> None:
        """Remove ``ids`` and what rests on them (when allowed)."""
        if self.args.drop:
            self.report["removed"] += edit.remove_objects(self.scene, [i for i in dict.fromkeys(ids) if i in self.scene])

    def bring_inside(self) -> None:
        """Step 2: push objects leaving the room back inside; re-place or drop what a push cannot fix."""
        scene, stuck = self.scene, []
        for oid in self.world.out_of_bounds():
            obj = scene.get(oid)
            shift = edit.push_inside(scene.room, footprint(obj), self.args.max_shift) if obj.parent in ARCH else None
            if shift is not None and math.hypot(*shift) > 0:
                edit.move_object(scene, oid, by=shift)
                self.report["pushed_inside"].append(oid)
            else:
                stuck.append(oid)
        if stuck:
            self.world.sync(scene)
            still = set(self.world.out_of_bounds())
            self.drop(self.replace([i for i in stuck if i in still]))

    def separate(self) -> None:
        """Step 3: push colliding objects apart, round by round; re-place or drop what a push cannot fix."""
        scene, world, max_shift = self.scene, self.world, self.args.max_shift
        for _ in range(self.args.rounds):
            world.sync(scene)
            pairs = world.collisions()
            if not pairs:
                break
            handled, to_replace = set(), []
            for p in pairs:
                if p.a in handled or p.b in handled or p.a not in scene or p.b not in scene:
                    continue
                mover, other = _mover(scene, p.a, p.b)
                handled.update((mover, other))
                if _push(scene, mover, other, max_shift):
                    self.report["separated"].append(mover)
                elif scene.get(other).parent == "floor" and scene.get(mover).parent == "floor" and \
                        _push(scene, other, mover, max_shift):  # fmt: skip
                    self.report["separated"].append(other)
                else:
                    to_replace.append(mover)
            if to_replace:
                self.drop(self.replace(to_replace))
        world.sync(scene)
        if world.collisions():
            self.drop(self.replace(self._movers()))
            world.sync(scene)
            self.drop(self._movers())

    def _movers(self) -> list[str]:
        return [_mover(self.scene, p.a, p.b)[0] for p in self.world.collisions() if p.a in self.scene and p.b in self.scene]

    def support(self) -> None:
        """Step 4: settle again; re-place or drop what still does not rest on its parent."""
        self.report["settled"] += [i for i in settle(self.scene) if i not in self.report["settled"]]
        self.world.sync(self.scene)
        unsupported = self.world.support()
        if unsupported:
            self.drop(self.replace(unsupported))
            self.world.sync(self.scene)
            self.drop(self.world.support())


def run_optimize_physics(ctx: Context, args: OptimizePhysicsArgs) -> Outcome:
    fixer = _Fixer(ctx, args)
    fixer.bring_inside()
    fixer.separate()
    fixer.support()
    world, report = fixer.world, fixer.report
    world.sync(ctx.scene)
    remaining = {"collisions": [[c.a, c.b] for c in world.collisions()], "oob": world.out_of_bounds(),
                 "unsupported": world.support()}  # fmt: skip
    for key in ("separated", "replaced"):
        report[key] = list(dict.fromkeys(report[key]))
    parts = [f"{key.replace('_', ' ')} {fmt_ids(ids)}" for key, ids in report.items() if ids]
    ok = not any(remaining.values())
    msg = "; ".join(parts) if parts else "nothing to fix"
    if not ok:
        msg += "; still wrong: " + ", ".join(f"{k} {v}" for k, v in remaining.items() if v)
    return Outcome(ok, msg, {**report, "remaining": remaining})
