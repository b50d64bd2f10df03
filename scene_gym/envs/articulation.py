"""``SceneSynthArticulation-v0``: open a drawer or door of a generated object with a floating gripper in MuJoCo."""

from __future__ import annotations

import math

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from scene_gym.errors import SceneGymError
from scene_gym.scene import Room, Scene, SceneObject

#: Categories the default task draws from (one object per episode, at the centre of a 3 m x 3 m room).
DEFAULT_CATEGORIES = ("nightstand", "dresser", "kitchen_cabinet", "wardrobe", "filing_cabinet")
#: Action scales: metres per step for the position deltas, radians per step for the yaw delta.
POS_SCALE, YAW_SCALE = 0.02, 0.1
#: Opened fraction at which the episode succeeds (as the scripted skill's criterion).
SUCCESS_FRACTION = 0.8
STATE_DIM = 15
#: Bound of every state entry (positions in metres stay far inside it; values are clipped to it).
STATE_BOUND = 100.0


class SceneSynthArticulationEnv(gym.Env):
    """Open the articulated part of an object with a floating parallel-jaw gripper (MuJoCo).

    ## Description
    A room holds one articulated object (a category of ``categories`` drawn at reset, or the given ``scene``);
    one of its joints is the target. The gripper of :mod:`scene_gym.sim.robot` starts near the pre-grasp pose
    in front of the target's handle, oriented so its fingers close across the handle bar. The agent moves it
    (position and yaw; roll and pitch stay at the grasp orientation) and opens or closes the fingers. Physics:
    :class:`scene_gym.sim.SimWorld`, ``frame_skip`` MuJoCo steps of 2 ms per env step.

    ## Action Space
    ``Box(-1, 1, (5,), float32)``: delta position x, y, z (times :data:`POS_SCALE` m, world frame), delta yaw
    (times :data:`YAW_SCALE` rad, about +Z), grip (> 0 closes the fingers, <= 0 opens them).

    ## Observation Space
    ``Box(-100, 100, (15,), float32)`` (clipped; or, with ``image_size``, ``Dict(state=that Box, image=Box(0, 255,
    (H, W, 3), uint8))``):

    | index  | content                                                    | unit        |
    |--------|------------------------------------------------------------|-------------|
    | 0-2    | gripper TCP position, world                                | m           |
    | 3-4    | sin, cos of the gripper yaw offset from the grasp yaw      |             |
    | 5      | finger opening (pad to pad)                                | m           |
    | 6      | target joint position as a fraction of its range           |             |
    | 7      | target joint velocity                                      | m/s, rad/s  |
    | 8-10   | handle anchor position, world                              | m           |
    | 11-13  | handle minus TCP                                           | m           |
    | 14     | 1 when both finger pads touch the target's link, else 0    |             |

    ## Rewards
    A sum of named terms (``info["reward_terms"]``), each bounded: ``reach`` = 0.1 (1 - tanh(5 d)) with d the
    TCP-handle distance (m), in [0, 0.1]; ``progress`` = 10 x the change of the opened fraction this step
    (about [-1, 1]); ``success`` = 1 on the step the fraction first reaches :data:`SUCCESS_FRACTION`.

    ## Starting State
    Target object and joint drawn with the env's generator; the gripper at the pre-grasp pose plus a uniform
    offset of up to ``start_noise`` m per axis, fingers open.

    ## Episode End
    Terminated when the opened fraction reaches :data:`SUCCESS_FRACTION` (``info["success"]``); truncated after
    ``max_steps`` steps.

    ## Arguments
    ``gym.make("SceneSynthArticulation-v0", render_mode=None, max_steps=200, frame_skip=10, categories=None,
    scene=None, image_size=None, start_noise=0.05)``. ``scene``: a :class:`~scene_gym.scene.Scene` whose
    articulated parts are the targets (drawn per episode).

    ## Version History
    * v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 25}

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 200, frame_skip: int = 10,
                 categories=None, scene: Scene | None = None, image_size: tuple[int, int] | None = None,
                 start_noise: float = 0.05):
        if render_mode not in (None, "rgb_array"):
            raise SceneGymError(f"expected render_mode None or 'rgb_array', got {render_mode!r}")
        if int(max_steps) < 1 or int(frame_skip) < 1:
            raise SceneGymError(f"expected max_steps >= 1 and frame_skip >= 1, got {max_steps!r}, {frame_skip!r}")
        self.render_mode = render_mode
        self.max_steps, self.frame_skip = int(max_steps), int(frame_skip)
        self.categories = tuple(categories or DEFAULT_CATEGORIES)
        self.fixed_scene = scene
        self.image_size = tuple(image_size) if image_size else None
        self.start_noise = float(start_noise)
        state = spaces.Box(-STATE_BOUND, STATE_BOUND, (STATE_DIM,), np.float32)
        if self.image_size:
            h, w = self.image_size
            self.observation_space = spaces.Dict({"state": state,
                                                  "image": spaces.Box(0, 255, (h, w, 3), np.uint8)})  # fmt: skip
        else:
            self.observation_space = state
        self.action_space = spaces.Box(-1.0, 1.0, (5,), np.float32)
        self._worlds: dict[str, object] = {}
        self._world = None
        self._renderers: dict[tuple[int, int], object] = {}

    # --- set-up -------------------------------------------------------------------------------------------
    def _world_for(self, key: str):
        from scene_gym.sim import SimWorld

        if key not in self._worlds:
            if self.fixed_scene is not None:
                scene = self.fixed_scene
            else:
                from scene_gym.assets import get_factory

                f = get_factory(key)
                obj = SceneObject(id=f"{key}_1", category=key, position=(1.5, 1.5, 0.0), yaw=0.0,
                                  size=f.default_size, material=f.default_material)  # fmt: skip
                scene = Scene(Room.rectangle(3.0, 3.0), [obj])
            world = SimWorld(scene)
            if not world.parts:
                raise SceneGymError(f"expected a scene with articulated parts, got none in {key!r}")
            world.settle(0.2)
            self._worlds[key] = world
        return self._worlds[key]

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        from scene_gym.sim import robot, skills

        key = "scene" if self.fixed_scene is not None else self.categories[int(self.np_random.integers(len(self.categories)))]
        world = self._world_for(key)
        world.restore()
        self._world = world
        self._part = world.parts[int(self.np_random.integers(len(world.parts)))]
        grasp = skills.grasp_pose(world, self._part)
        self._r0 = grasp[:3, :3].copy()
        pos = grasp[:3, 3] - grasp[:3, 0] * skills.PREGRASP
        pos = pos + self.np_random.uniform(-self.start_noise, self.start_noise, 3)
        self._pos, self._yaw = pos, 0.0
        self._opening = robot.MAX_OPENING
        robot.place_gripper(world.model, world.data, world.gripper, self._pose(), self._opening)
        import mujoco

        mujoco.mj_forward(world.model, world.data)
        self._steps = 0
        self._frac = self._part.fraction(world.q(self._part))
        self._succeeded = False
        return self._obs(), self._info({})

    def _pose(self) -> np.ndarray:
        c, s = math.cos(self._yaw), math.sin(self._yaw)
        t = np.eye(4)
        t[:3, :3] = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]]) @ self._r0
        t[:3, 3] = self._pos
        return t

    # --- step ---------------------------------------------------------------------------------------------
    def step(self, action):
        if self._world is None:
            raise SceneGymError("expected reset() before step(), got step() first")
        from scene_gym.sim import robot

        a = np.asarray(action, dtype=np.float64).reshape(-1)
        if a.shape != (5,) or not np.isfinite(a).all():
            raise SceneGymError(f"expected a finite action of shape (5,), got {np.asarray(action).tolist()!r}")
        a = np.clip(a, -1.0, 1.0)
        w = self._world
        lo = np.zeros(3)
        hi = np.array([*w.scene.room.bounds, w.scene.room.wall_height])
        self._pos = np.clip(self._pos + a[:3] * POS_SCALE, lo, hi)
        self._yaw = float(np.clip(self._yaw + a[3] * YAW_SCALE, -math.pi, math.pi))
        robot.set_target(w.data, w.gripper, self._pose())
        robot.set_opening(w.data, w.gripper, 0.0 if a[4] > 0 else robot.MAX_OPENING)
        w.step(self.frame_skip)
        self._steps += 1
        frac = self._part.fraction(w.q(self._part)) if np.isfinite(w.data.qpos).all() else self._frac
        tcp = robot.tcp_pose(w.data, w.gripper)[:3, 3]
        dist = float(np.linalg.norm(w.handle_world(self._part) - tcp))
        success = frac >= SUCCESS_FRACTION
        terms = {"reach": 0.1 * (1.0 - math.tanh(5.0 * dist)),
                 "progress": float(np.clip(10.0 * (frac - self._frac), -1.0, 1.0)),
                 "success": 1.0 if success and not self._succeeded else 0.0}  # fmt: skip
        self._frac = frac
        self._succeeded |= success
        terminated = bool(success)
        truncated = self._steps >= self.max_steps and not terminated
        if not np.isfinite(w.data.qpos).all():  # a blow-up ends the episode rather than poisoning the obs
            w.restore()
            truncated = True
        return self._obs(), float(sum(terms.values())), terminated, truncated, self._info(terms)

    def _obs(self):
        from scene_gym.sim import robot, skills

        w, p = self._world, self._part
        tcp = robot.tcp_pose(w.data, w.gripper)[:3, 3]
        handle = w.handle_world(p)
        touching = float(all(skills.pads_touching(w, p)))
        state = np.concatenate([tcp, [math.sin(self._yaw), math.cos(self._yaw)],
                                [robot.finger_opening(w.data, w.gripper)], [p.fraction(w.q(p))],
                                [w.data.qvel[p.dof]], handle, handle - tcp, [touching]]).astype(np.float32)  # fmt: skip
        state = np.clip(np.nan_to_num(state, nan=0.0), -STATE_BOUND, STATE_BOUND).astype(np.float32)
        if self.image_size:
            return {"state": state, "image": self._render(*self.image_size)}
        return state

    def _info(self, terms: dict) -> dict:
        p = self._part
        return {"env_kind": "robot", "success": bool(self._succeeded), "object": p.object, "joint": p.joint.name,
                "category": p.category, "opened_fraction": float(self._frac), "reward_terms": dict(terms),
                "step": self._steps}  # fmt: skip

    # --- rendering ----------------------------------------------------------------------------------------
    def _render(self, h: int, w: int) -> np.ndarray:
        from scene_gym.sim.video import VideoRecorder

        key = (id(self._world), h, w)
        if key not in self._renderers:
            self._renderers[key] = VideoRecorder(self._world.model, w, h)
        rec = self._renderers[key]
        rec.frame_part(self._world, self._part, distance=1.5)
        return rec.render(self._world.data)

    def render(self):
        if self.render_mode != "rgb_array" or self._world is None:
            return None
        return self._render(240, 320)

    def close(self):
        for rec in self._renderers.values():
            rec.close()
        self._renderers.clear()


__all__ = ["DEFAULT_CATEGORIES", "SceneSynthArticulationEnv"]
