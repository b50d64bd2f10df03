"""Wrappers: numeric actions and observations for Stable-Baselines3 / RLlib, and Molmo-style pointing text.

- :class:`DiscreteSceneActions`: ``MultiDiscrete([operation, category, x cell, y cell, yaw bin])`` -> one DSL
  statement for ``SceneSynth-v1``.
- :class:`ImageObservation`: keep only the ``image`` observation (a ``Box`` uint8).
- :class:`MolmoPointAction`: ``SceneSynthAsset-v2`` driven by text such as
  ``<point x="61.5" y="40.2" alt="books">a stack of books</point>`` (x, y in percent of width and height).
- :class:`~scene_gym.envs.grid_task.GridFurnishTask` (re-exported here): add-object choices on a coarse grid with
  a float-vector observation, the task PPO learns in minutes (``examples/sb3_ppo.py``). The two wrappers above
  keep the full DSL and the image; PPO on them scored below a random policy after 1k steps (issue 19).
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from scene_gym.actions.points import parse_point
from scene_gym.envs.grid_task import GridFurnishTask
from scene_gym.envs.spaces import POINT_MAX, action_text, text_space
from scene_gym.errors import SceneGymError

__all__ = ["DEFAULT_CATEGORIES", "OPERATIONS", "DiscreteSceneActions", "GridFurnishTask", "ImageObservation",
           "MolmoPointAction", "parse_point"]  # fmt: skip

OPERATIONS = ("add", "move", "rotate", "remove", "done")
DEFAULT_CATEGORIES = ("sofa", "armchair", "coffee_table", "bookshelf", "desk", "bed", "nightstand", "floor_lamp")


class DiscreteSceneActions(gym.ActionWrapper):
    """Map ``MultiDiscrete([5, n_categories, grid, grid, yaw_bins])`` to a DSL statement.

    ============  ==============================================================================================
    component     meaning
    ============  ==============================================================================================
    operation     0 add a ``category`` object at the cell centre with the yaw bin; 1 move the newest object of
                  ``category`` to the cell; 2 rotate it to the yaw bin; 3 remove it; 4 ``done()``
    category      index into ``categories``
    x, y cell     cell of a ``grid`` x ``grid`` lattice over the room's bounding box (cell centres, metres)
    yaw bin       yaw = bin * 360 / yaw_bins degrees
    ============  ==============================================================================================

    The env must be ``SceneSynth-v1`` (or wrap it); the room size and the ids come from its current scene.
    """

    def __init__(self, env: gym.Env, categories=DEFAULT_CATEGORIES, grid: int = 8, yaw_bins: int = 4):
        super().__init__(env)
        self.categories = tuple(categories)
        if not self.categories or grid < 1 or yaw_bins < 1:
            raise SceneGymError(f"expected categories, grid >= 1 and yaw_bins >= 1, got {categories!r}, {grid}, {yaw_bins}")
        self.grid, self.yaw_bins = int(grid), int(yaw_bins)
        self.action_space = spaces.MultiDiscrete([len(OPERATIONS), len(self.categories), grid, grid, yaw_bins])

    def action(self, action) -> str:
        op, cat, xi, yi, yb = (int(v) for v in np.asarray(action).reshape(-1)[:5])
        scene = self.env.unwrapped.scene
        w, d = scene.room.bounds
        category = self.categories[cat % len(self.categories)]
        x, y = (xi + 0.5) * w / self.grid, (yi + 0.5) * d / self.grid
        yaw = yb * 360.0 / self.yaw_bins
        name = OPERATIONS[op % len(OPERATIONS)]
        if name == "add":
            return f'add("{category}", at=({x:.3f}, {y:.3f}), yaw={yaw:g})'
        if name == "done":
            return "done()"
        mine = scene.by_category(category)
        target = mine[-1].id if mine else f"{category}_1"
        if name == "move":
            return f'move("{target}", to=({x:.3f}, {y:.3f}))'
        if name == "rotate":
            return f'rotate("{target}", yaw={yaw:g})'
        return f'remove("{target}")'


class ImageObservation(gym.ObservationWrapper):
    """Keep only ``obs["image"]`` ((H, W, 3) uint8); the env needs ``image_size`` set."""

    def __init__(self, env: gym.Env):
        super().__init__(env)
        if not isinstance(env.observation_space, spaces.Dict) or "image" not in env.observation_space.spaces:
            raise SceneGymError("expected an env whose Dict observation has an 'image' (make it with image_size=(w, h))")
        self.observation_space = env.observation_space["image"]

    def observation(self, observation):
        return observation["image"]


class MolmoPointAction(gym.Wrapper):
    """Text actions for ``SceneSynthAsset-v2``: :func:`parse_point` -> ``{"point", "asset"}``.

    The action space is ``UnicodeText(POINT_MAX)`` (:data:`scene_gym.envs.spaces.POINT_MAX`, the cap of
    :func:`~scene_gym.actions.points.parse_points`); the description is cut to the asset env's ``ASSET_TEXT_MAX``.

    ``"done"`` (without a tag) finishes the episode. Text that cannot be read counts as an invalid step that
    changes nothing (:meth:`~scene_gym.envs.shell.SceneEnv.refuse_step`): the reason goes to ``feedback`` and
    ``info["error"]``.
    """

    def __init__(self, env: gym.Env):
        super().__init__(env)
        self.action_space = text_space(POINT_MAX)

    def step(self, action):
        try:
            text = action_text(action, POINT_MAX)
            if text.strip().lower() == "done":
                return self.env.step({"point": np.array([0.5, 0.5], dtype=np.float32), "asset": "done"})
            point, label = parse_point(text)
        except SceneGymError as err:
            return self.env.unwrapped.refuse_step(str(err))
        return self.env.step({"point": point, "asset": label})
