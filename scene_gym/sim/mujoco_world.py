"""A scene in MuJoCo with the gripper: the compiled model, its data, and look-ups of articulated parts.

:class:`SimWorld` wraps :func:`scene_gym.export.mjcf.build_spec` plus :func:`scene_gym.sim.robot.add_gripper`.
Each articulated part is a :class:`PartRef`: the scene object, the asset joint, its handle, and the model
indices of the joint and of the moving link's body. Handle anchors and grasp frames are kept in the link body's
frame (constant while the joint moves), so their world poses come from ``data.xpos`` / ``data.xmat``.

The world is read-only with respect to the scene: the scene object is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mujoco
import numpy as np

from scene_gym.assets.parts import Asset, Handle, Joint
from scene_gym.errors import ExportError
from scene_gym.export.mjcf import build_spec, compile_spec
from scene_gym.export.physics_props import link_origin, object_asset
from scene_gym.sim import robot

#: Where the gripper waits when no skill runs: this far above the room's ceiling, metres.
PARK_HEIGHT = 1.0
#: Ratio of frictional to normal constraint impedance (MuJoCo ``option.impratio``): less slip in grasps.
IMPRATIO = 10.0


@dataclass(frozen=True)
class PartRef:
    """One articulated part of a scene: an object's joint and the handle that operates it.

    Attributes:
        object: scene object id; category: its asset category; joint: the asset :class:`Joint`.
        handle: the :class:`Handle` on the joint's link (None when the asset declares none).
        qpos, dof: addresses of the joint in ``data.qpos`` / ``data.qvel``; jnt: joint id.
        body: body id of the moving link ``<object>/<link>``.
        handle_local: (3,) handle anchor in the link body's frame, metres.
        bar_local: (3,) unit direction of the handle bar in the link body's frame.
        front_local: (3,) unit outward normal of the object's front (+Y of the asset) in the link body's frame.
        geoms: geom ids of the moving link (the parts a grasp may touch).
        free: True when the object itself floats (a laptop on a desk).
    """

    object: str
    category: str
    joint: Joint
    handle: Handle | None
    qpos: int
    dof: int
    jnt: int
    body: int
    handle_local: np.ndarray = field(repr=False)
    bar_local: np.ndarray = field(repr=False)
    front_local: np.ndarray = field(repr=False)
    geoms: frozenset[int] = field(repr=False)
    free: bool = False

    @property
    def name(self) -> str:
        """``"<object>/<joint>"``, the MuJoCo joint name."""
        return f"{self.object}/{self.joint.name}"

    def fraction(self, q: float) -> float:
        """Where ``q`` lies in the joint range: 0 at the lower limit, 1 at the upper (open) one."""
        lo, hi = self.joint.limits
        return float((q - lo) / (hi - lo))


class SimWorld:
    """The scene plus the gripper, compiled, with the articulated parts indexed.

    Args:
        scene: the :class:`~scene_gym.scene.Scene` to simulate (not changed).
        free_small_objects: as in :func:`scene_gym.export.mjcf.build_spec`.
        robot_mjcf: optional user robot (path or ``MjSpec``) attached with :func:`robot.attach_robot`.
        robot_pose: (4, 4) base pose of that robot.
        walls: add the room's walls (the gripper parks above them).
        sleep: let bodies at rest sleep (MuJoCo's ``mjENBL_SLEEP``): resting furniture contents cost nothing
            until something touches them, which wakes them (about 10x faster steps in a furnished room).

    Attributes:
        model, data: the compiled ``MjModel`` and its ``MjData``.
        gripper: :class:`robot.GripperIds`.
        parts: every articulated :class:`PartRef`, in scene and joint order.
        free_bodies: object id -> body id of objects with a free joint.
    """

    def __init__(self, scene, *, free_small_objects: bool = True, robot_mjcf=None, robot_pose=None,
                 walls: bool = True, sleep: bool = True):
        self.scene = scene
        spec = build_spec(scene, free_small_objects=free_small_objects, walls=walls)
        w, d = scene.room.bounds
        self.park = np.eye(4)
        self.park[:3, :3] = [[0, 0, -1], [0, 1, 0], [1, 0, 0]]  # pointing down
        self.park[:3, 3] = (w / 2, d / 2, scene.room.wall_height + PARK_HEIGHT)
        robot.add_gripper(spec, self.park)
        spec.visual.global_.offwidth, spec.visual.global_.offheight = 1280, 960  # room for video frames
        # Frictional grasps creep under MuJoCo's default pyramidal cone; elliptic cones with a high impedance
        # ratio make friction close to Coulomb's (MuJoCo's advice for grasping).
        spec.option.cone = mujoco.mjtCone.mjCONE_ELLIPTIC
        spec.option.impratio = IMPRATIO
        if sleep:
            spec.option.enableflags |= int(mujoco.mjtEnableBit.mjENBL_SLEEP)
        if robot_mjcf is not None:
            robot.attach_robot(spec, robot_mjcf, robot_pose)
        self.spec = spec
        self.model = compile_spec(spec)
        self.data = mujoco.MjData(self.model)
        self.gripper = robot.gripper_ids(self.model)
        self.free_bodies = {o.id: self.model.body(o.id).id for o in scene.objects
                            if self.model.body(o.id).jntnum > 0 and
                            self.model.jnt_type[self.model.body(o.id).jntadr] == mujoco.mjtJoint.mjJNT_FREE}  # fmt: skip
        self.parts = [p for obj in scene.objects for p in self._parts_of(obj)]
        mujoco.mj_forward(self.model, self.data)
        self._saved = None
        #: The part the running skill operates (None between skills); video framing follows it.
        self.current_part: PartRef | None = None

    # --- parts --------------------------------------------------------------------------------------------
    def _parts_of(self, obj) -> list[PartRef]:
        asset: Asset = object_asset(obj)
        out = []
        for joint in asset.joints:
            handle = next((h for h in asset.handles if h.joint == joint.name), None)
            mj_joint = self.model.joint(f"{obj.id}/{joint.name}")
            body = self.model.body(f"{obj.id}/{joint.child}").id
            origin = link_origin(asset, joint.child)
            anchor = np.asarray(handle.position if handle else _fallback_anchor(asset, joint), dtype=float)
            bar = np.asarray(handle.axis if handle else (1.0, 0.0, 0.0), dtype=float)
            geoms = frozenset(int(g) for g in range(self.model.ngeom) if int(self.model.geom_bodyid[g]) == body)
            out.append(PartRef(obj.id, obj.category, joint, handle, int(mj_joint.qposadr[0]),
                               int(mj_joint.dofadr[0]), int(mj_joint.id), int(body), anchor - origin,
                               bar / np.linalg.norm(bar), np.array([0.0, 1.0, 0.0]), geoms,
                               obj.id in self.free_bodies))  # fmt: skip
        return out

    def part(self, object_id: str, joint: str | None = None) -> PartRef:
        """The part of ``object_id`` named ``joint`` (default: its first joint)."""
        for p in self.parts:
            if p.object == object_id and (joint is None or p.joint.name == joint):
                return p
        known = sorted({f"{p.object}/{p.joint.name}" for p in self.parts})
        raise ExportError(f"expected an articulated part {object_id!r}/{joint!r}, got none; parts: {known}")

    def link_pose(self, part: PartRef) -> np.ndarray:
        """(4, 4) world pose of the part's link body now."""
        t = np.eye(4)
        t[:3, :3] = self.data.xmat[part.body].reshape(3, 3)
        t[:3, 3] = self.data.xpos[part.body]
        return t

    def handle_world(self, part: PartRef) -> np.ndarray:
        """(3,) world position of the handle anchor now, metres."""
        return self.data.xmat[part.body].reshape(3, 3) @ part.handle_local + self.data.xpos[part.body]

    def q(self, part: PartRef) -> float:
        """The part's joint position now (radians or metres)."""
        return float(self.data.qpos[part.qpos])

    def moved_link(self, part: PartRef, dq: float) -> np.ndarray:
        """(4, 4) world transform that moves the part's link by ``dq`` along its joint from where it is now."""
        axis = self.data.xaxis[part.jnt].copy()
        t = np.eye(4)
        if part.joint.kind == "prismatic":
            t[:3, 3] = axis * dq
            return t
        anchor = self.data.xanchor[part.jnt].copy()
        r = np.zeros(9)
        quat = np.zeros(4)
        mujoco.mju_axisAngle2Quat(quat, axis, dq)
        mujoco.mju_quat2Mat(r, quat)
        t[:3, :3] = r.reshape(3, 3)
        t[:3, 3] = anchor - t[:3, :3] @ anchor
        return t

    # --- state --------------------------------------------------------------------------------------------
    def settle(self, seconds: float = 0.5) -> None:
        """Let free objects come to rest (gripper parked), then remember this state for :meth:`restore`."""
        robot.place_gripper(self.model, self.data, self.gripper, self.park, robot.MAX_OPENING)
        self.step(int(round(seconds / self.model.opt.timestep)))
        self.data.qvel[:] = 0.0
        self.save()

    def save(self) -> None:
        """Remember the full physics state."""
        size = mujoco.mj_stateSize(self.model, mujoco.mjtState.mjSTATE_INTEGRATION)
        self._saved = np.empty(size)
        mujoco.mj_getState(self.model, self.data, self._saved, mujoco.mjtState.mjSTATE_INTEGRATION)

    def restore(self) -> None:
        """Go back to the state of the last :meth:`save` (or the model's initial state)."""
        if self._saved is None:
            mujoco.mj_resetData(self.model, self.data)
        else:
            mujoco.mj_setState(self.model, self.data, self._saved, mujoco.mjtState.mjSTATE_INTEGRATION)
        mujoco.mj_forward(self.model, self.data)

    def step(self, n: int = 1) -> None:
        """Advance ``n`` physics steps of ``model.opt.timestep`` seconds."""
        mujoco.mj_step(self.model, self.data, nstep=max(int(n), 1))

    def free_poses(self) -> dict[str, np.ndarray]:
        """Object id -> (4, 4) world pose of every free object now."""
        out = {}
        for oid, b in self.free_bodies.items():
            t = np.eye(4)
            t[:3, :3] = self.data.xmat[b].reshape(3, 3)
            t[:3, 3] = self.data.xpos[b]
            out[oid] = t
        return out


def _fallback_anchor(asset: Asset, joint: Joint) -> tuple[float, float, float]:
    """Without a declared handle: the front-most point of the link's parts, at their mean height."""
    parts = asset.parts_of(joint.child)
    if not parts:
        return tuple(joint.origin)
    ys = [p.position[1] + p.size[1] / 2 for p in parts]
    i = int(np.argmax(ys))
    return (parts[i].position[0], ys[i], parts[i].position[2])


__all__ = ["PARK_HEIGHT", "PartRef", "SimWorld"]
