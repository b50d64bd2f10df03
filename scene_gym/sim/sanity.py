"""Physics sanity checks for an exported scene, run in MuJoCo (no gripper).

:func:`check_scene` reports three things:

- **rest**: after :data:`REST_SECONDS` of simulation, every free (small) object moved less than
  :data:`REST_DISPLACEMENT` metres and tilted less than :data:`REST_TILT` radians from where it settled
  after the first :data:`SETTLE_SECONDS`, and every articulated joint drifted less than :data:`JOINT_DRIFT` of
  its range (joint links carry gravity compensation, so doors and drawers must hold their pose).
  Static furniture is welded to the world and cannot move; it is listed as static.
- **limits**: each joint, set at each limit and pushed outwards for :data:`LIMIT_SECONDS` with a generalised
  force of :data:`LIMIT_FORCE` N or N·m, stays within :data:`LIMIT_TOLERANCE` of its range beyond the limit.
- **masses**: each object's mass (MuJoCo's, from part volumes and material densities) divided by its bounding
  box volume is an effective density, compared with a category-independent reference:
  :data:`FURNITURE_DENSITY` kg/m³ for furniture, :data:`SMALL_DENSITY` kg/m³ for small objects. The mass is
  plausible when mass / (reference × box volume) lies in :data:`MASS_RATIO_BAND` ([0.05, 3]) for furniture, or
  :data:`SMALL_MASS_RATIO_BAND` ([0.02, 6]) for small objects, which run from foam pillows to solid dumbbells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mujoco
import numpy as np

from scene_gym.export.mjcf import build_spec, compile_spec
from scene_gym.export.physics_props import object_asset, object_factory

SETTLE_SECONDS = 0.5
REST_SECONDS = 2.0
REST_DISPLACEMENT = 0.02  # m
REST_TILT = math.radians(10)
JOINT_DRIFT = 0.02  # fraction of the range
LIMIT_FORCE = 20.0  # N (prismatic) or N·m (revolute): a firm push by hand
LIMIT_SECONDS = 0.5
LIMIT_TOLERANCE = 0.05  # fraction of the range
FURNITURE_DENSITY = 300.0  # kg/m³ of bounding box: cabinets, beds, tables are mostly air
SMALL_DENSITY = 600.0  # kg/m³: books and cups are solid, lamps and baskets mostly air
MASS_RATIO_BAND = (0.05, 3.0)
SMALL_MASS_RATIO_BAND = (0.02, 6.0)


@dataclass
class ObjectCheck:
    """Sanity of one scene object.

    Attributes:
        object, category: the object.
        static: True when welded to the world (it cannot move).
        displacement: m moved during the rest period (0 for static objects); tilt: radians.
        joint_drift: joint name -> drift during the rest period as a fraction of its range.
        limit_violation: joint name -> worst overshoot past a limit as a fraction of its range.
        mass: kg; mass_ratio: mass / (reference density × bounding box volume).
        problems: human-readable list of what failed (empty when the object is sane).
    """

    object: str
    category: str
    static: bool
    mass: float
    mass_ratio: float
    displacement: float = 0.0
    tilt: float = 0.0
    joint_drift: dict[str, float] = field(default_factory=dict)
    limit_violation: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.problems


@dataclass
class SanityReport:
    """All objects' checks; ``ok`` when every object passes. ``failing`` lists the failing objects."""

    objects: list[ObjectCheck]

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.objects)

    @property
    def failing(self) -> list[ObjectCheck]:
        return [o for o in self.objects if not o.ok]

    def to_dict(self) -> dict:
        """JSON-ready summary."""
        return {"ok": self.ok, "objects": [{**o.__dict__, "ok": o.ok} for o in self.objects]}


def check_scene(scene, *, rest_seconds: float = REST_SECONDS, limits: bool = True) -> SanityReport:
    """Run the rest, joint-limit and mass checks on ``scene`` (see the module docstring); the scene is unchanged."""
    model = compile_spec(build_spec(scene))
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    dt = model.opt.timestep
    checks = []
    bodies = {}
    for obj in scene.objects:
        body = model.body(obj.id)
        free = body.jntnum > 0 and model.jnt_type[body.jntadr[0]] == mujoco.mjtJoint.mjJNT_FREE
        mass = float(model.body_subtreemass[body.id])
        small = object_factory(obj).small
        volume = float(np.prod(obj.size))
        ref = (SMALL_DENSITY if small else FURNITURE_DENSITY) * volume
        ratio = mass / ref if ref > 0 else math.inf
        check = ObjectCheck(obj.id, obj.category, not free, mass, ratio)
        lo, hi = SMALL_MASS_RATIO_BAND if small else MASS_RATIO_BAND
        if not lo <= ratio <= hi:
            check.problems.append(f"mass {mass:.2f} kg is {ratio:.2f} x the reference "
                                  f"{ref:.2f} kg (expected {lo} to {hi} x)")  # fmt: skip
        checks.append(check)
        bodies[obj.id] = (body.id, free)
    joints = _joints(model, scene)
    # Rest: settle, then watch.
    mujoco.mj_step(model, data, nstep=max(1, int(SETTLE_SECONDS / dt)))
    before = {oid: (data.xpos[b].copy(), data.xmat[b].reshape(3, 3).copy()) for oid, (b, _) in bodies.items()}
    q_before = {name: float(data.qpos[adr]) for name, (adr, *_rest) in joints.items()}
    mujoco.mj_step(model, data, nstep=max(1, int(rest_seconds / dt)))
    by_id = {c.object: c for c in checks}
    for oid, (b, _free) in bodies.items():
        c = by_id[oid]
        if not np.isfinite(data.qpos).all():
            c.problems.append("simulation became non-finite")
            continue
        p0, r0 = before[oid]
        c.displacement = float(np.linalg.norm(data.xpos[b] - p0))
        c.tilt = float(math.acos(float(np.clip(data.xmat[b].reshape(3, 3)[:, 2] @ r0[:, 2], -1, 1))))
        if c.displacement > REST_DISPLACEMENT or c.tilt > REST_TILT:
            c.problems.append(f"moved {c.displacement * 100:.1f} cm and tilted {math.degrees(c.tilt):.1f} deg "
                              f"at rest (expected < {REST_DISPLACEMENT * 100:.0f} cm, < "
                              f"{math.degrees(REST_TILT):.0f} deg)")  # fmt: skip
    for name, (adr, _dof, lo, hi, oid, _body) in joints.items():
        drift = abs(float(data.qpos[adr]) - q_before[name]) / (hi - lo)
        by_id[oid].joint_drift[name] = drift
        if drift > JOINT_DRIFT:
            by_id[oid].problems.append(f"joint {name} drifted {drift:.1%} of its range at rest")
    if limits:
        for name, (adr, dof, lo, hi, oid, body) in joints.items():
            by_id[oid].limit_violation[name] = _limit_violation(model, data, adr, dof, lo, hi, body)
            if by_id[oid].limit_violation[name] > LIMIT_TOLERANCE:
                by_id[oid].problems.append(f"joint {name} overshoots its limits by "
                                           f"{by_id[oid].limit_violation[name]:.1%} of its range when pushed")  # fmt: skip
    return SanityReport(checks)


def _joints(model, scene) -> dict[str, tuple]:
    """MuJoCo joint name -> (qpos address, dof address, lower, upper, object id, child body id)."""
    out = {}
    for obj in scene.objects:
        for j in object_asset(obj).joints:
            mj = model.joint(f"{obj.id}/{j.name}")
            out[mj.name] = (int(mj.qposadr[0]), int(mj.dofadr[0]), j.limits[0], j.limits[1], obj.id,
                            int(mj.bodyid[0]))  # fmt: skip
    return out


def _limit_violation(model, data, adr: int, dof: int, lo: float, hi: float, body: int) -> float:
    """Worst overshoot (fraction of the range) when the joint, set at each limit, is pushed outwards."""
    state = np.empty(mujoco.mj_stateSize(model, mujoco.mjtState.mjSTATE_INTEGRATION))
    mujoco.mj_getState(model, data, state, mujoco.mjtState.mjSTATE_INTEGRATION)
    force = LIMIT_FORCE
    worst = 0.0
    for sign, limit in ((1.0, hi), (-1.0, lo)):
        data.qpos[adr] = limit
        data.qvel[:] = 0.0
        data.qfrc_applied[:] = 0.0
        data.qfrc_applied[dof] = sign * force
        peak = 0.0
        for _ in range(max(1, int(LIMIT_SECONDS / model.opt.timestep / 10))):
            mujoco.mj_step(model, data, nstep=10)
            peak = max(peak, sign * (float(data.qpos[adr]) - limit))
        worst = max(worst, peak / (hi - lo))
    data.qfrc_applied[:] = 0.0
    mujoco.mj_setState(model, data, state, mujoco.mjtState.mjSTATE_INTEGRATION)
    mujoco.mj_forward(model, data)
    return float(max(worst, 0.0))


__all__ = ["MASS_RATIO_BAND", "SMALL_MASS_RATIO_BAND", "ObjectCheck", "SanityReport", "check_scene"]
