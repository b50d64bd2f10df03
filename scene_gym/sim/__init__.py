"""MuJoCo rollouts on exported scenes: a floating parallel-jaw gripper, scripted open/close skills for
articulated parts, physics sanity checks and video.

- :mod:`.robot`: :func:`~.robot.add_gripper` (the gripper, built with ``MjSpec``) and
  :func:`~.robot.attach_robot` (a user's robot MJCF at a base pose).
- :mod:`.mujoco_world`: :class:`~.mujoco_world.SimWorld`, a scene plus the gripper, compiled, with articulated parts indexed.
- :mod:`.skills`: :func:`~.skills.operate` / :func:`~.skills.operate_all` -> :class:`~.skills.SkillResult`.
- :mod:`.sanity`: :func:`~.sanity.check_scene` (objects stay put, joint limits hold, masses are plausible).
- :mod:`.video`: :class:`~.video.VideoRecorder` (MuJoCo renderer frames written with imageio).

Importing this package imports MuJoCo (not heavy); nothing here imports ``envs`` or ``agents``.
"""

from scene_gym.sim.mujoco_world import PartRef, SimWorld
from scene_gym.sim.robot import add_gripper, attach_robot
from scene_gym.sim.skills import SkillResult, operate, operate_all

__all__ = ["PartRef", "SimWorld", "SkillResult", "add_gripper", "attach_robot", "operate", "operate_all"]
