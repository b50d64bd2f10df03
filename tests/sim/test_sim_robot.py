"""The floating gripper and attaching a user's robot MJCF."""

import mujoco
import numpy as np
import pytest

from scene_gym.errors import ExportError
from scene_gym.samples import bedroom_scene
from scene_gym.sim import SimWorld, add_gripper, attach_robot, robot

ROBOT_XML = """<mujoco model="tiny_arm">
  <compiler angle="radian"/>
  <worldbody>
    <body name="base">
      <geom type="cylinder" size="0.05 0.05"/>
      <body name="link1" pos="0 0 0.1">
        <joint name="shoulder" type="hinge" axis="0 0 1" range="-1 1" damping="2"/>
        <geom type="capsule" fromto="0 0 0 0.3 0 0" size="0.02"/>
      </body>
    </body>
  </worldbody>
  <actuator><position name="shoulder_act" joint="shoulder" kp="20"/></actuator>
</mujoco>
"""


def _pose(pos, rot=None):
    t = np.eye(4)
    if rot is not None:
        t[:3, :3] = rot
    t[:3, 3] = pos
    return t


def test_gripper_closes_and_opens_on_command():
    spec = mujoco.MjSpec()
    spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_PLANE, size=[1, 1, 0.1])
    add_gripper(spec, _pose([0, 0, 0.5], [[0, 0, -1], [0, 1, 0], [1, 0, 0]]))
    model = spec.compile()
    data = mujoco.MjData(model)
    ids = robot.gripper_ids(model)
    robot.place_gripper(model, data, ids, _pose([0, 0, 0.5], [[0, 0, -1], [0, 1, 0], [1, 0, 0]]), 0.08)
    mujoco.mj_forward(model, data)
    assert robot.finger_opening(data, ids) == pytest.approx(0.08)
    robot.set_opening(data, ids, 0.0)
    mujoco.mj_step(model, data, nstep=200)
    assert robot.finger_opening(data, ids) < 0.005
    robot.set_opening(data, ids, robot.MAX_OPENING)
    mujoco.mj_step(model, data, nstep=200)
    assert robot.finger_opening(data, ids) > robot.MAX_OPENING - 0.005
    # The hand follows its mocap target through the weld and hovers (gravity compensated).
    target = _pose([0.1, 0.2, 0.6], [[0, 0, -1], [0, 1, 0], [1, 0, 0]])
    robot.set_target(data, ids, target)
    mujoco.mj_step(model, data, nstep=500)
    np.testing.assert_allclose(robot.tcp_pose(data, ids)[:3, 3], target[:3, 3], atol=0.005)


def test_add_gripper_twice_and_bad_pose_raise():
    spec = mujoco.MjSpec()
    add_gripper(spec)
    with pytest.raises(ExportError, match="without a 'gripper' body"):
        add_gripper(spec)
    with pytest.raises(ExportError, match="rigid"):
        add_gripper(mujoco.MjSpec(), np.diag([2.0, 1.0, 1.0, 1.0]))


def test_attach_user_robot_at_base_pose(tmp_path):
    path = tmp_path / "arm.xml"
    path.write_text(ROBOT_XML)
    base = _pose([1.0, 0.5, 0.0])
    world = SimWorld(bedroom_scene(), robot_mjcf=path, robot_pose=base)
    m = world.model
    assert m.body("robot/base").id > 0
    assert m.actuator("robot/shoulder_act").id >= 0
    mujoco.mj_forward(m, world.data)
    np.testing.assert_allclose(world.data.xpos[m.body("robot/link1").id], [1.0, 0.5, 0.1], atol=1e-9)
    # The attached arm is driven by its own actuator.
    world.data.ctrl[m.actuator("robot/shoulder_act").id] = 0.5
    world.step(1000)
    assert world.data.qpos[m.joint("robot/shoulder").qposadr[0]] == pytest.approx(0.5, abs=0.05)


def test_attach_missing_file_names_it(tmp_path):
    with pytest.raises(ExportError, match="nope.xml"):
        attach_robot(mujoco.MjSpec(), tmp_path / "nope.xml")
