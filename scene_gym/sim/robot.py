"""A floating parallel-jaw gripper built with ``MjSpec``, and attaching a user's robot MJCF.

Gripper frame (body ``gripper``): origin at the tool centre point (TCP), midway between the finger pads;
+X is the approach direction (palm to fingertips), the fingers close along ±Y, Z = X × Y.

Model elements (names are stable; the skills and the env look them up):

- ``gripper/target``: a mocap body; the skills and the env move it. The hand follows it through the weld
  equality ``gripper/weld`` (soft: solref :data:`WELD_SOLREF`), so contacts push back with finite forces
  instead of the infinite stiffness a mocap body would have.
- ``gripper``: the hand, a free body (joint ``gripper/free``) with ``gravcomp=1`` carrying the palm geom
  ``gripper/palm``.
- ``gripper/finger_left`` (+Y) and ``gripper/finger_right`` (-Y): children on slide joints
  ``gripper/finger_left`` / ``gripper/finger_right`` (metres from the closed position, 0 = touching at the
  TCP, up to :data:`MAX_OPENING` / 2), each with a finger geom and a high-friction pad geom
  ``gripper/pad_left`` / ``gripper/pad_right`` (condim 4: torsional friction keeps a pinched bar from
  spinning).
- position actuators ``gripper/finger_left`` and ``gripper/finger_right`` (ctrl = half-opening in metres,
  gain :data:`FINGER_KP` N/m, force clipped to :data:`FINGER_FORCE` N: that is the grip force).
- site ``gripper/tcp`` at the TCP.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import mujoco
import numpy as np

from scene_gym.errors import ExportError

PREFIX = "gripper"
#: Widest finger opening (pad to pad), metres.
MAX_OPENING = 0.09
#: Finger position gain (N/m) and the force the actuators saturate at (N): the grip force on a handle.
FINGER_KP = 10000.0
FINGER_FORCE = 40.0
#: Friction of the finger pads: sliding, torsional, rolling (rubber on steel, generously).
PAD_FRICTION = (2.0, 0.02, 0.001)
#: Weld between the mocap target and the hand: time constant (s) and damping ratio.
WELD_SOLREF = (0.02, 1.0)
#: Pad extent along the approach axis: from PAD_BACK behind the TCP to PAD_TIP in front of it, metres.
PAD_BACK, PAD_TIP = 0.025, 0.008
#: Finger thickness (along the closing axis) and width (along Z), metres.
FINGER_T, FINGER_W = 0.008, 0.022
PALM_SIZE = (0.03, MAX_OPENING + 2 * FINGER_T + 0.01, 0.05)  # full extents along X, Y, Z
HAND_MASS = 0.6  # kg (palm), fingers 0.05 kg each
#: Geom group of the gripper (scene solids are group 0): ray casts that look at the scene skip it.
GROUP = 2


@dataclass(frozen=True)
class GripperIds:
    """Indices of the gripper's elements in a compiled model (see :func:`gripper_ids`).

    Attributes:
        mocap: row of ``data.mocap_pos`` / ``data.mocap_quat`` that drives the hand.
        hand: body id of the hand; qpos: (7,) slice start of its free joint in ``qpos``; dof: start in ``qvel``.
        fingers: (2,) qpos addresses of the left and right finger joints.
        actuators: (2,) actuator ids of the left and right fingers.
        geoms: every geom id of the gripper (palm, fingers, pads).
        pads: (2,) geom ids of the left and right pads.
        tcp: site id of the TCP.
    """

    mocap: int
    hand: int
    qpos: int
    dof: int
    fingers: tuple[int, int]
    actuators: tuple[int, int]
    geoms: frozenset[int]
    pads: tuple[int, int]
    tcp: int


def add_gripper(spec: mujoco.MjSpec, pose: np.ndarray | None = None) -> mujoco.MjsBody:
    """Add the floating gripper (see the module docstring) to ``spec`` at ``pose`` and return its hand body.

    Args:
        spec: the model to extend (for instance from :func:`scene_gym.export.mjcf.build_spec`); changed in place.
        pose: (4, 4) world pose of the TCP, metres; default: 3 m above the origin, pointing down.

    Raises:
        ExportError: when ``spec`` already has a gripper or ``pose`` is not a finite (4, 4) rigid transform.
    """
    if spec.body(PREFIX) is not None:
        raise ExportError(f"expected a model without a {PREFIX!r} body, got one that has it")
    pose = _check_pose(np.array([[0, 0, -1, 0], [0, 1, 0, 0], [1, 0, 0, 3.0], [0, 0, 0, 1.0]])
                       if pose is None else pose)  # fmt: skip
    pos, quat = pose[:3, 3].tolist(), mat_quat(pose[:3, :3]).tolist()
    spec.worldbody.add_body(name=f"{PREFIX}/target", pos=pos, quat=quat, mocap=True)
    hand = spec.worldbody.add_body(name=PREFIX, pos=pos, quat=quat, gravcomp=1.0)
    hand.info = "scene-gym parallel-jaw gripper"
    hand.add_freejoint(name=f"{PREFIX}/free")
    hand.add_site(name=f"{PREFIX}/tcp", size=[0.005, 0.005, 0.005], rgba=[1, 0, 0, 0.5], group=4)
    px, py, pz = PALM_SIZE
    palm_x = -PAD_BACK - 0.02 - px / 2  # fingers reach 2 cm out of the palm before the pads start
    hand.add_geom(name=f"{PREFIX}/palm", type=mujoco.mjtGeom.mjGEOM_BOX, size=[px / 2, py / 2, pz / 2],
                  pos=[palm_x, 0, 0], mass=HAND_MASS, group=GROUP, rgba=[0.2, 0.2, 0.25, 1], friction=[0.8, 0.005, 1e-4])  # fmt: skip
    finger_len = PAD_BACK + 0.02 + PAD_TIP
    for side, sign in (("left", 1.0), ("right", -1.0)):
        finger = hand.add_body(name=f"{PREFIX}/finger_{side}", pos=[0, 0, 0], gravcomp=1.0)
        finger.add_joint(name=f"{PREFIX}/finger_{side}", type=mujoco.mjtJoint.mjJNT_SLIDE, axis=[0, sign, 0],
                         range=[0.0, MAX_OPENING / 2], limited=mujoco.mjtLimited.mjLIMITED_TRUE, damping=20.0,
                         armature=0.01)  # fmt: skip
        # The finger plate sits just outside the pad; the pad's inner face is at y = sign * q.
        finger.add_geom(name=f"{PREFIX}/finger_{side}_plate", type=mujoco.mjtGeom.mjGEOM_BOX,
                        size=[finger_len / 2, FINGER_T / 2, FINGER_W / 2],
                        pos=[PAD_TIP - finger_len / 2, sign * (0.004 + FINGER_T / 2), 0], mass=0.05, group=GROUP,
                        rgba=[0.3, 0.3, 0.35, 1], friction=[0.8, 0.005, 1e-4])  # fmt: skip
        finger.add_geom(name=f"{PREFIX}/pad_{side}", type=mujoco.mjtGeom.mjGEOM_BOX,
                        size=[(PAD_BACK + PAD_TIP) / 2, 0.002, FINGER_W / 2],
                        pos=[(PAD_TIP - PAD_BACK) / 2, sign * 0.002, 0], mass=0.005, group=GROUP, rgba=[0.1, 0.1, 0.1, 1],
                        friction=list(PAD_FRICTION), condim=4, solref=[0.004, 1.0], solimp=[0.95, 0.99, 0.001, 0.5, 2.0])  # fmt: skip
        act = spec.add_actuator(name=f"{PREFIX}/finger_{side}", target=f"{PREFIX}/finger_{side}",
                                trntype=mujoco.mjtTrn.mjTRN_JOINT)  # fmt: skip
        act.set_to_position(kp=FINGER_KP, kv=100.0)
        act.ctrlrange = [0.0, MAX_OPENING / 2]
        act.ctrllimited = mujoco.mjtLimited.mjLIMITED_TRUE
        act.forcerange = [-FINGER_FORCE, FINGER_FORCE]
        act.forcelimited = mujoco.mjtLimited.mjLIMITED_TRUE
    spec.add_equality(name=f"{PREFIX}/weld", type=mujoco.mjtEq.mjEQ_WELD, objtype=mujoco.mjtObj.mjOBJ_BODY,
                      name1=f"{PREFIX}/target", name2=PREFIX, solref=list(WELD_SOLREF))  # fmt: skip
    # The weld's data: anchor (3), relative pose pos (3) + quat (4), torque scale (1), unused (1): the identity pose.
    spec.equality(f"{PREFIX}/weld").data = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]
    # Closed fingers touch each other: they are siblings, so MuJoCo would collide them.
    spec.add_exclude(bodyname1=f"{PREFIX}/finger_left", bodyname2=f"{PREFIX}/finger_right")
    return hand


def gripper_ids(model: mujoco.MjModel) -> GripperIds:
    """Indices of the gripper in a compiled ``model`` (built with :func:`add_gripper`)."""
    try:
        target = model.body(f"{PREFIX}/target").id
        hand = model.body(PREFIX).id
        jl, jr = model.joint(f"{PREFIX}/finger_left"), model.joint(f"{PREFIX}/finger_right")
        free = model.joint(f"{PREFIX}/free")
        al, ar = model.actuator(f"{PREFIX}/finger_left").id, model.actuator(f"{PREFIX}/finger_right").id
        pl, pr = model.geom(f"{PREFIX}/pad_left").id, model.geom(f"{PREFIX}/pad_right").id
        tcp = model.site(f"{PREFIX}/tcp").id
    except KeyError as err:
        raise ExportError(f"expected a model with the scene-gym gripper, got one missing {err}") from None
    bodies = {hand, model.body(f"{PREFIX}/finger_left").id, model.body(f"{PREFIX}/finger_right").id}
    geoms = frozenset(int(g) for g in range(model.ngeom) if int(model.geom_bodyid[g]) in bodies)
    return GripperIds(int(model.body_mocapid[target]), hand, int(free.qposadr[0]), int(free.dofadr[0]),
                      (int(jl.qposadr[0]), int(jr.qposadr[0])), (al, ar), geoms, (pl, pr), tcp)  # fmt: skip


def place_gripper(model: mujoco.MjModel, data: mujoco.MjData, ids: GripperIds, pose: np.ndarray,
                  opening: float | None = None) -> None:
    """Teleport the hand and its mocap target to ``pose`` ((4, 4) world TCP pose), at rest; optionally set the
    finger opening (metres, pad to pad) and its command. Call ``mujoco.mj_forward`` afterwards."""
    pos, quat = pose[:3, 3], mat_quat(pose[:3, :3])
    data.mocap_pos[ids.mocap] = pos
    data.mocap_quat[ids.mocap] = quat
    data.qpos[ids.qpos:ids.qpos + 3] = pos
    data.qpos[ids.qpos + 3:ids.qpos + 7] = quat
    data.qvel[ids.dof:ids.dof + 6] = 0.0
    if opening is not None:
        half = float(np.clip(opening / 2, 0.0, MAX_OPENING / 2))
        for q, a in zip(ids.fingers, ids.actuators, strict=True):
            data.qpos[q] = half
            data.ctrl[a] = half
    for q in ids.fingers:
        data.qvel[model.jnt_dofadr[_joint_of_qpos(model, q)]] = 0.0


def set_target(data: mujoco.MjData, ids: GripperIds, pose: np.ndarray) -> None:
    """Move the mocap target (the hand follows through the weld) to ``pose``, a (4, 4) world TCP pose."""
    data.mocap_pos[ids.mocap] = pose[:3, 3]
    data.mocap_quat[ids.mocap] = mat_quat(pose[:3, :3])


def set_opening(data: mujoco.MjData, ids: GripperIds, opening: float) -> None:
    """Command the fingers to ``opening`` metres pad to pad (0 closes them with the full grip force)."""
    half = float(np.clip(opening / 2, 0.0, MAX_OPENING / 2))
    data.ctrl[ids.actuators[0]] = half
    data.ctrl[ids.actuators[1]] = half


def finger_opening(data: mujoco.MjData, ids: GripperIds) -> float:
    """Current pad-to-pad opening, metres."""
    return float(data.qpos[ids.fingers[0]] + data.qpos[ids.fingers[1]])


def tcp_pose(data: mujoco.MjData, ids: GripperIds) -> np.ndarray:
    """(4, 4) world pose of the hand's TCP."""
    t = np.eye(4)
    t[:3, :3] = data.xmat[ids.hand].reshape(3, 3)
    t[:3, 3] = data.xpos[ids.hand]
    return t


def attach_robot(spec: mujoco.MjSpec, robot: str | Path | mujoco.MjSpec, pose: np.ndarray | None = None,
                 prefix: str = "robot/") -> mujoco.MjsFrame:
    """Attach a user's robot model (an MJCF file such as a Menagerie Franka Panda, or an ``MjSpec``) to ``spec``
    at ``pose`` ((4, 4) world pose of the robot's base, default identity), names prefixed with ``prefix``.

    The robot's actuators, sensors and assets come along; its bodies keep their joints (a fixed base stays
    fixed). Returns the frame the robot hangs from.

    Raises:
        ExportError: naming the file when it is missing or MuJoCo cannot read it, or naming the bad pose.
    """
    if isinstance(robot, mujoco.MjSpec):
        child = robot
    else:
        path = Path(robot)
        if not path.is_file():
            raise ExportError(f"expected a robot MJCF file, got {str(path)!r} which does not exist")
        try:
            child = mujoco.MjSpec.from_file(str(path))
        except ValueError as err:
            raise ExportError(f"cannot read robot MJCF {str(path)!r}: {err}") from err
    pose = _check_pose(np.eye(4) if pose is None else pose)
    frame = spec.worldbody.add_frame(pos=pose[:3, 3].tolist(), quat=mat_quat(pose[:3, :3]).tolist())
    try:
        return spec.attach(child, prefix=prefix, frame=frame)
    except ValueError as err:
        raise ExportError(f"cannot attach robot under prefix {prefix!r}: {err}") from err


# --- small geometry helpers ------------------------------------------------------------------------------
def mat_quat(m: np.ndarray) -> np.ndarray:
    """(4,) unit quaternion (w, x, y, z) of a (3, 3) rotation matrix."""
    q = np.zeros(4)
    mujoco.mju_mat2Quat(q, np.ascontiguousarray(m, dtype=float).ravel())
    return q


def _check_pose(pose) -> np.ndarray:
    p = np.asarray(pose, dtype=float)
    if p.shape != (4, 4) or not np.isfinite(p).all():
        raise ExportError(f"expected a finite (4, 4) pose, got shape {p.shape}")
    r = p[:3, :3]
    if not np.allclose(r @ r.T, np.eye(3), atol=1e-6) or np.linalg.det(r) < 0:
        raise ExportError(f"expected a rigid (4, 4) pose with a rotation block, got {r.tolist()}")
    return p


def _joint_of_qpos(model: mujoco.MjModel, qadr: int) -> int:
    return int(np.flatnonzero(model.jnt_qposadr == qadr)[0])


__all__ = ["FINGER_FORCE", "MAX_OPENING", "GripperIds", "add_gripper", "attach_robot", "finger_opening",
           "gripper_ids", "mat_quat", "place_gripper", "set_opening", "set_target", "tcp_pose"]  # fmt: skip
