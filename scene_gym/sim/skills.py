"""Scripted open and close skills for articulated parts, run with the floating gripper in MuJoCo.

One skill run (:func:`operate`), for one joint of one object:

1. **pre-grasp**: the gripper is placed (teleported: it floats) :data:`PREGRASP` metres out from the handle
   anchor along the object's front, fingers open, approach axis pointing at the handle, closing axis across
   the handle bar. When that level pre-grasp would start inside something (the palm in the desk under a
   laptop's lid tab), the approach tilts down by each of :data:`FALLBACK_PITCHES` in turn, coming from above,
   and is taken when both its pre-grasp and its grasp pose are free. A gripper with no free approach fails
   with reason ``"blocked"``.
2. **approach**: the mocap target moves in a straight line to the grasp pose. Its depth is cut short when ray
   casts beside the handle find the front (or a lid's edge) closer than the fingertips would reach.
3. **grasp**: the fingers close with :data:`~scene_gym.sim.robot.FINGER_FORCE` N each; the grasp holds when
   both pads touch the moving link.
4. **move**: closed-loop along the joint's path: each control tick the commanded joint value advances (at most
   :data:`LEAD` of the range ahead of the measured one) and the target becomes the link's pose at that value
   composed with the gripper-in-link pose captured at the grasp: a straight line for prismatic joints, an arc
   about the hinge for revolute ones, the gripper turning with the link (yaw tangent for vertical hinges).
5. **release** and **retreat** :data:`PREGRASP` metres back along the gripper's approach axis, then settle.

Success (:class:`SkillResult`): the joint ends at least :data:`SUCCESS_FRACTION` of its range open (or closed,
for ``close``), no contact involving the gripper or the moving part penetrates deeper than
:data:`MAX_PENETRATION`, the simulation stays finite, and no other free object moved more than
:data:`MAX_DISPLACEMENT` metres or tilted more than :data:`MAX_TILT` radians.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import mujoco
import numpy as np

from scene_gym.assets.transforms import axis_angle_matrix
from scene_gym.errors import SceneGymError
from scene_gym.sim import robot
from scene_gym.sim.mujoco_world import PartRef, SimWorld

SUCCESS_FRACTION = 0.8
#: Fraction of the range the skill aims for (short of the limit, which would fight the controller).
GOAL_FRACTION = 0.97
MAX_PENETRATION = 0.02  # m
MAX_DISPLACEMENT = 0.02  # m
MAX_TILT = math.radians(10)
PREGRASP = 0.12  # m
#: Downward tilts (rad) of the approach tried, in order, when the level one is blocked: straight down.
FALLBACK_PITCHES = (math.pi / 2,)
#: Control period (s) and joint speeds: m/s for prismatic joints, rad/s for revolute ones.
CONTROL_DT = 0.02
SPEED = {"prismatic": 0.25, "revolute": 0.9}
#: Joint accelerations the commanded path ramps up with: m/s² and rad/s² (heavy drawers need a gentle start).
ACCEL = {"prismatic": 0.5, "revolute": 0.6}
#: How far the commanded joint value may run ahead of the measured one: m and rad. It bounds the weld's pull.
LEAD = {"prismatic": 0.015, "revolute": 0.06}
#: Free space left on each side of the handle when the fingers approach it, m.
CLEARANCE = 0.015
#: The move stops when the gripper presses this deep (m) into anything but the part (the floor, a neighbour).
OBSTRUCTION_DEPTH = 0.006
#: Geom groups ray casts see: scene solids (group 0) only, not decorative parts nor the gripper (group 2).
_SCENE_GROUPS = np.array([1, 0, 0, 0, 0, 0], dtype=np.uint8)


@dataclass
class SkillResult:
    """What one open or close run did.

    Attributes:
        object, joint, category: the part (scene object id, asset joint name, asset category).
        action: ``"open"`` or ``"close"``.
        kind: joint kind; limits: (lower, upper) radians or metres.
        start, final: joint value before the skill and after release and settling.
        opened_fraction: ``final`` in the range (0 = lower limit, 1 = upper).
        success: see the module docstring; reason: ``""`` on success, else why not (``"blocked"``,
            ``"missed handle"``, ``"slipped"``, ``"obstructed"`` (the gripper ran into something),
            ``"blocked by <ids>"`` (the part ran into other objects, a wall or the floor), ``"stuck"``, ``"penetration"``, ``"unstable"``,
            ``"displaced <ids>"``, ``"no handle"``).
        joint_trajectory: (T, 2) rows of (time s, joint value) at every control tick.
        grip_force: largest grip force (half the summed pad normal forces on the part) at a control tick, N.
        contact_force: largest summed normal force between the gripper and the part at a control tick, N.
        max_penetration: deepest contact involving the gripper or the part, m (0 when none).
        displaced: other free objects that moved: id -> (distance m, tilt rad).
    """

    object: str
    joint: str
    category: str
    action: str
    kind: str
    limits: tuple[float, float]
    start: float
    final: float
    opened_fraction: float
    success: bool
    reason: str = ""
    joint_trajectory: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)), repr=False)
    grip_force: float = 0.0
    contact_force: float = 0.0
    max_penetration: float = 0.0
    displaced: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self, trajectory: bool = False) -> dict:
        """JSON-ready dict (the trajectory as a list of [t, q] rows when ``trajectory``)."""
        out = asdict(self)
        out["limits"] = list(self.limits)
        out["displaced"] = {k: [float(a), float(b)] for k, (a, b) in self.displaced.items()}
        if trajectory:
            out["joint_trajectory"] = np.asarray(self.joint_trajectory).tolist()
        else:
            out.pop("joint_trajectory")
        for k in ("start", "final", "opened_fraction", "grip_force", "contact_force", "max_penetration"):
            out[k] = float(out[k])
        return out


class _Monitor:
    """Per-step bookkeeping: penetration, forces, finiteness; optional frame grabbing."""

    def __init__(self, world: SimWorld, part: PartRef, on_frame=None):
        self.world, self.part, self.on_frame = world, part, on_frame
        self.watch = world.gripper.geoms | part.geoms
        self.max_pen = 0.0
        self.grip = 0.0
        self.contact = 0.0
        self.finite = True
        self._tick_force = self._tick_grip = 0.0
        self._force = np.zeros(6)

    def step(self, n: int) -> None:
        w = self.world
        for _ in range(n):
            w.step()
        self.observe()
        if self.on_frame is not None:
            self.on_frame(w)

    def observe(self) -> None:
        m, d = self.world.model, self.world.data
        if not (np.isfinite(d.qpos).all() and np.isfinite(d.qvel).all()):
            self.finite = False
            return
        pads, gripper = set(self.world.gripper.pads), self.world.gripper.geoms
        for i in range(d.ncon):
            c = d.contact[i]
            g1, g2 = int(c.geom1), int(c.geom2)
            if g1 not in self.watch and g2 not in self.watch:
                continue
            if c.exclude != 0 or c.efc_address < 0:
                continue
            self.max_pen = max(self.max_pen, -float(c.dist))
            on_part = (g1 in self.part.geoms and g2 in gripper) or (g2 in self.part.geoms and g1 in gripper)
            if on_part:
                mujoco.mj_contactForce(m, d, i, self._force)
                fn = abs(float(self._force[0]))
                if g1 in pads or g2 in pads:
                    self._tick_grip += fn / 2  # both pads press: the grip force is half the sum
                self._tick_force += fn

    def end_tick(self) -> None:
        """Close one control tick: the largest per-tick total contact force so far."""
        self.contact = max(self.contact, self._tick_force)
        self.grip = max(self.grip, self._tick_grip)
        self._tick_force = self._tick_grip = 0.0


def pads_touching(world: SimWorld, part: PartRef) -> tuple[bool, bool]:
    """Whether the left and right pads (or fingers) touch the part's link now."""
    d = world.data
    left = {world.gripper.pads[0], world.model.geom(f"{robot.PREFIX}/finger_left_plate").id}
    right = {world.gripper.pads[1], world.model.geom(f"{robot.PREFIX}/finger_right_plate").id}
    hit_l = hit_r = False
    for i in range(d.ncon):
        c = d.contact[i]
        g1, g2 = int(c.geom1), int(c.geom2)
        other = g2 if g1 in left | right else g1 if g2 in left | right else None
        if other is None or other not in part.geoms:
            continue
        mine = g1 if other == g2 else g2
        hit_l |= mine in left
        hit_r |= mine in right
    return hit_l, hit_r


def grasp_pose(world: SimWorld, part: PartRef, pitch: float = 0.0) -> np.ndarray:
    """(4, 4) world TCP pose on the handle anchor: approach into the front, closing across the bar; with
    ``pitch`` (rad) the whole pose turns about the horizontal axis across the approach so that the approach
    tilts that far down (pi/2: straight down onto the anchor)."""
    rot = world.data.xmat[part.body].reshape(3, 3)
    approach = -(rot @ part.front_local)
    bar = rot @ part.bar_local
    closing = np.cross(approach, bar)
    if np.linalg.norm(closing) < 1e-6:  # a knob pointing out of the front: close horizontally
        closing = np.cross(approach, (0.0, 0.0, 1.0))
    closing /= np.linalg.norm(closing)
    if closing[2] < -1e-9 or (abs(closing[2]) < 1e-9 and closing @ (1.0, 1.0, 0.0) < 0):
        closing = -closing  # one canonical sign, so poses do not flip between runs
    t = np.eye(4)
    t[:3, 0], t[:3, 1], t[:3, 2] = approach, closing, np.cross(approach, closing)
    t[:3, 3] = world.handle_world(part)
    across = np.cross((0.0, 0.0, 1.0), approach)
    if pitch and np.linalg.norm(across) > 1e-6:
        t[:3, :3] = axis_angle_matrix(across / np.linalg.norm(across), pitch) @ t[:3, :3]
    return t


def handle_half_widths(world: SimWorld, part: PartRef, pose: np.ndarray, reach: float = 0.08) -> tuple[float, float]:
    """Extent (m) of the handle from the anchor towards -closing and +closing: rays cast along the closing axis
    at the anchor, from ``reach`` out, that stop on the part's own geoms (default 6 mm when nothing is hit)."""
    m, d = world.model, world.data
    closing = pose[:3, 1]
    geomid = np.zeros(1, dtype=np.int32)
    out = []
    for s in (-1.0, 1.0):
        start = pose[:3, 3] + closing * s * reach
        dist = mujoco.mj_ray(m, d, start, -s * closing, _SCENE_GROUPS, 1, -1, geomid)
        hw = reach - dist if 0 <= dist < reach and int(geomid[0]) in part.geoms else 0.006
        out.append(float(np.clip(hw, 0.002, robot.MAX_OPENING / 2 - 0.005)))
    return out[0], out[1]


def grasp_opening(half_widths: tuple[float, float]) -> float:
    """The finger opening (m) to approach a handle with: its width plus :data:`CLEARANCE` on each side."""
    return float(min(robot.MAX_OPENING, sum(half_widths) + 2 * CLEARANCE))


def grasp_depth(world: SimWorld, pose: np.ndarray, half_widths: tuple[float, float]) -> float:
    """How far (m, <= 0) to stop the TCP short of the anchor so the fingertips do not hit what is behind or
    beside the handle (a drawer front, a lid's edge, a toilet bowl): rays parallel to the approach axis, across
    the band the fingers sweep while closing from :func:`grasp_opening`, find the nearest surface."""
    m, d = world.model, world.data
    approach, closing, side = pose[:3, 0], pose[:3, 1], pose[:3, 2]
    back = 0.05
    geomid = np.zeros(1, dtype=np.int32)
    nearest = math.inf
    half_open = grasp_opening(half_widths) / 2
    for s, hw in zip((-1.0, 1.0), half_widths, strict=True):
        for off in np.linspace(hw + 0.001, half_open + robot.FINGER_T + 0.004, 5):
            for h in (-robot.FINGER_W / 2, 0.0, robot.FINGER_W / 2):
                start = pose[:3, 3] - approach * back + closing * s * off + side * h
                dist = mujoco.mj_ray(m, d, start, approach, _SCENE_GROUPS, 1, -1, geomid)
                if dist >= 0:
                    nearest = min(nearest, dist - back)
    if not math.isfinite(nearest):
        return 0.0
    return float(min(0.0, nearest - robot.PAD_TIP - 0.002))


def _obstructed(world: SimWorld, part: PartRef, depth: float = OBSTRUCTION_DEPTH) -> bool:
    """True when the gripper presses into something other than the part deeper than ``depth`` metres."""
    d = world.data
    g = world.gripper.geoms
    for i in range(d.ncon):
        c = d.contact[i]
        g1, g2 = int(c.geom1), int(c.geom2)
        if (g1 in g) == (g2 in g):
            continue
        other = g2 if g1 in g else g1
        if other not in part.geoms and c.dist < -depth:
            return True
    return False


def _touching_objects(world: SimWorld, part: PartRef) -> set[str]:
    """Ids of other scene objects (or ``"wall"``/``"floor"``) whose geoms touch the moving part now."""
    m, d = world.model, world.data
    out = set()
    for i in range(d.ncon):
        c = d.contact[i]
        g1, g2 = int(c.geom1), int(c.geom2)
        if (g1 in part.geoms) == (g2 in part.geoms):
            continue
        other = g2 if g1 in part.geoms else g1
        if other in world.gripper.geoms:
            continue
        body = int(m.geom_bodyid[other])
        if body == 0:
            name = m.geom(other).name or "world"
            out.add("floor" if name.startswith("floor") else "wall" if name.startswith("wall") else name)
        else:
            out.add(m.body(body).name.split("/")[0])
    out.discard(part.object)
    return out


def _retreat_direction(world: SimWorld, part: PartRef, tcp: np.ndarray) -> np.ndarray:
    """(3,) unit direction to back off after release: out along the approach axis, but never down (under an
    opened oven door the approach points up, and backing out along it would drive the palm into the floor)."""
    away = -tcp[:3, 0].copy()
    away[2] = max(away[2], 0.0)
    if np.linalg.norm(away) < 0.3:
        away = world.data.xmat[world.model.body(part.object).id].reshape(3, 3)[:, 1].copy()  # the object's front
        away[2] = 0.0
    return away / np.linalg.norm(away)


def _gripper_blocked(world: SimWorld) -> bool:
    d = world.data
    g = world.gripper.geoms
    for i in range(d.ncon):
        c = d.contact[i]
        if (int(c.geom1) in g or int(c.geom2) in g) and c.dist < -0.002:
            return True
    return False


def operate(world: SimWorld, part: PartRef, action: str = "open", *, restore: bool = True,
            on_frame=None, frame_every: int = 10) -> SkillResult:
    """Run the open (or close) skill on one part and report (see the module docstring).

    Args:
        world: the simulated scene; with ``restore`` it goes back to its saved state first.
        part: the joint to operate (from ``world.parts``).
        action: ``"open"`` (towards the upper limit) or ``"close"`` (towards the lower one).
        on_frame: called as ``on_frame(world)`` every ``frame_every`` control ticks (video capture).

    Raises:
        SceneGymError: for an unknown ``action``.
    """
    if action not in ("open", "close"):
        raise SceneGymError(f"expected action 'open' or 'close', got {action!r}")
    if restore:
        world.restore()
    world.current_part = part
    m, d, ids = world.model, world.data, world.gripper
    lo, hi = part.joint.limits
    q0 = world.q(part)
    others0 = {k: v for k, v in world.free_poses().items() if k != part.object}
    steps_per_tick = max(1, int(round(CONTROL_DT / m.opt.timestep)))
    frames = [0]

    def grab(w):
        frames[0] += 1
        if on_frame is not None and frames[0] % frame_every == 0:
            on_frame(w)

    mon = _Monitor(world, part, grab)
    traj = []

    def tick(n: int = 1):
        for _ in range(n):
            mon.step(steps_per_tick)
            mon.end_tick()
            traj.append((float(d.time), world.q(part)))

    def result(reason: str) -> SkillResult:
        q = world.q(part) if mon.finite else float("nan")
        frac = part.fraction(q) if mon.finite else 0.0
        displaced = {}
        for oid, before in others0.items():
            after = world.free_poses()[oid]
            dist = float(np.linalg.norm(after[:3, 3] - before[:3, 3]))
            cos = float(np.clip(after[:3, 2] @ before[:3, 2], -1.0, 1.0))
            tilt = math.acos(cos)
            if dist > MAX_DISPLACEMENT or tilt > MAX_TILT:
                displaced[oid] = (dist, tilt)
        reached = frac >= SUCCESS_FRACTION if action == "open" else frac <= 1 - SUCCESS_FRACTION
        if not reason:
            if not mon.finite:
                reason = "unstable"
            elif mon.max_pen > MAX_PENETRATION:
                reason = "penetration"
            elif displaced:
                reason = "displaced " + ",".join(sorted(displaced))
            elif not reached:
                reason = "stuck"
        return SkillResult(part.object, part.joint.name, part.category, action, part.joint.kind, (lo, hi), q0, q,
                           frac, not reason, reason, np.asarray(traj, dtype=float).reshape(-1, 2), mon.grip,
                           mon.contact, mon.max_pen, displaced)  # fmt: skip

    if part.handle is None:
        return result("no handle")
    for pitch in (0.0, *FALLBACK_PITCHES):
        grasp = grasp_pose(world, part, pitch)
        widths = handle_half_widths(world, part, grasp)
        opening = grasp_opening(widths)
        grasp[:3, 3] += grasp[:3, 0] * grasp_depth(world, grasp, widths)
        pre = grasp.copy()
        pre[:3, 3] -= grasp[:3, 0] * PREGRASP
        robot.place_gripper(m, d, ids, pre, opening)
        mujoco.mj_forward(m, d)
        blocked = _gripper_blocked(world)
        if not blocked and pitch:  # a fallback approach must leave the grasp pose free too
            robot.place_gripper(m, d, ids, grasp, opening)
            mujoco.mj_forward(m, d)
            blocked = _gripper_blocked(world)
            robot.place_gripper(m, d, ids, pre, opening)
            mujoco.mj_forward(m, d)
        if not blocked:
            break
    else:
        return result("blocked")
    # Approach in a straight line (0.4 s), then let the weld catch up.
    n_app = 20
    for k in range(1, n_app + 1):
        t = pre.copy()
        t[:3, 3] = pre[:3, 3] + (grasp[:3, 3] - pre[:3, 3]) * (k / n_app)
        robot.set_target(d, ids, t)
        tick()
    tick(5)
    robot.set_opening(d, ids, 0.0)
    tick(15)
    if not all(pads_touching(world, part)):
        robot.set_opening(d, ids, opening)
        tick(5)
        return result("missed handle")
    # The gripper in the link frame, as grasped: the path keeps it.
    g_in_link = np.linalg.inv(world.link_pose(part)) @ robot.tcp_pose(d, ids)
    sign = 1.0 if action == "open" else -1.0
    goal = lo + GOAL_FRACTION * (hi - lo) if action == "open" else lo + (1 - GOAL_FRACTION) * (hi - lo)
    kind = part.joint.kind
    lead, v = LEAD[kind], 0.0
    q_cmd = world.q(part)
    max_ticks = int((hi - lo) / (SPEED[kind] * CONTROL_DT) * 4) + 100
    stalled, obstructed, blockers = 0, False, set()
    for _ in range(max_ticks):
        q = world.q(part)
        if sign * (q - goal) >= 0:
            break
        v = min(SPEED[kind], v + ACCEL[kind] * CONTROL_DT)
        q_cmd = q_cmd + sign * v * CONTROL_DT
        q_cmd = min(q_cmd, q + lead, goal) if sign > 0 else max(q_cmd, q - lead, goal)
        target = world.moved_link(part, q_cmd - q) @ world.link_pose(part) @ g_in_link
        robot.set_target(d, ids, target)
        tick()
        if not mon.finite:
            break
        stalled = stalled + 1 if abs(world.q(part) - q) < 1e-4 * (hi - lo) else 0
        if stalled > 25:
            break
        if not any(pads_touching(world, part)):
            break  # slipped off: stop pulling at the air
        if _obstructed(world, part):
            obstructed = True
            break  # the gripper is pressing into the floor or a neighbour: stop, do not force through
        blockers |= _touching_objects(world, part)
    slipped = not any(pads_touching(world, part)) and mon.finite
    # Hold where the hand is (not where the target ran ahead to), release, retreat along the approach axis.
    robot.set_target(d, ids, robot.tcp_pose(d, ids))
    robot.set_opening(d, ids, opening)
    tick(8)
    start = robot.tcp_pose(d, ids)
    away = _retreat_direction(world, part, start)
    for k in range(1, 11):
        t = start.copy()
        t[:3, 3] += away * PREGRASP * k / 10
        robot.set_target(d, ids, t)
        tick()
        if _obstructed(world, part):  # backing into a wall or a chair: stay put rather than push through
            robot.set_target(d, ids, robot.tcp_pose(d, ids))
            break
    tick(10)
    res = result("")
    if not res.success and res.reason == "stuck":
        if blockers:
            res.reason = "blocked by " + ",".join(sorted(blockers))
        else:
            res.reason = "obstructed" if obstructed else "slipped" if slipped else "stuck"
    return res


def operate_all(world: SimWorld, action: str = "open", objects: list[str] | None = None,
                on_frame=None, progress: bool = False) -> list[SkillResult]:
    """Run :func:`operate` on every articulated part (of ``objects``, default all), each from the saved state.

    Settles the world first when it has no saved state. ``progress`` shows a tqdm bar when tqdm is installed.
    """
    if world._saved is None:
        world.settle()
    parts = [p for p in world.parts if objects is None or p.object in objects]
    if objects is not None:
        missing = sorted(set(objects) - {p.object for p in world.parts})
        if missing:
            raise SceneGymError(f"expected articulated object ids, got {missing} (articulated: "
                                f"{sorted({p.object for p in world.parts})})")  # fmt: skip
    it = parts
    if progress:
        from tqdm import tqdm

        it = tqdm(parts, desc=f"{action} parts", unit="part")
    return [operate(world, p, action, on_frame=on_frame) for p in it]


__all__ = ["FALLBACK_PITCHES", "MAX_DISPLACEMENT", "MAX_PENETRATION", "MAX_TILT", "SUCCESS_FRACTION", "SkillResult", "grasp_pose",
           "operate", "operate_all", "pads_touching"]  # fmt: skip
