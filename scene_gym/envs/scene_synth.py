"""``SceneSynth-v0``: scene-level synthesis with a scene DSL (3D-Generalist's scene-level policy)."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from scene_gym.actions.dsl import DSLSyntaxError, parse_program
from scene_gym.actions.dsl.executor import apply_program
from scene_gym.actions.dsl.printer import scene_to_dsl
from scene_gym.envs import common as C
from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene


class SceneSynthEnv(gym.Env):
    """Furnish a room by writing short programs in the scene DSL.

    ## Description
    Each step the agent writes a short program (one or more statements) in the scene DSL of
    :mod:`scene_gym.actions.dsl` - ``add``, ``move``, ``rotate``, ``resize``, ``remove``, ``place_on``,
    ``relate``, ``set_material``, ``set_light``, ``done`` - for example
    ``add("sofa", at=(2.0, 0.6), facing="north", material="grey fabric")``. The text is parsed under a
    whitelist and never evaluated. Statements apply one at a time and **each statement is atomic**: one that
    fails leaves the scene unchanged and is explained in ``feedback``; the statements after it still run. A
    program with a syntax error runs nothing.

    ## Action Space
    ``Text(max_length=20000, min_length=0, charset=CHARSET)`` (printable ASCII). Longer or non-text actions are
    rejected with feedback, never raised.

    ## Observation Space
    ``Dict``:

    | key        | space                                   | content                                            |
    |------------|-----------------------------------------|----------------------------------------------------|
    | ``image``  | ``Box(0, 255, (H, W, 3), uint8)``       | 2 x 2 composite: top-down with grid, top-down with |
    |            |                                         | ids, two corner views (only if ``image_size``)     |
    | ``scene``  | ``Text(32768)``                         | the scene written in the DSL (``scene_to_dsl``)    |
    | ``prompt`` | ``Text(1024)``                          | the task                                           |
    | ``feedback``| ``Text(8192)``                         | what each statement did or why it failed           |

    ## Rewards
    The change in the configured reward ``R`` (``reward=``: a ``scene_gym.rewards`` spec such as ``"quality"``,
    ``"physical"`` or ``"0.5*clip+0.5*quality"``, a Reward, or a callable ``(scene, context) -> (value, terms)``;
    see :func:`~scene_gym.envs.common.resolve_reward`). The default is ``"quality"``, SceneOrchestra's Q from
    the offline judge normalised to [-1, 1] (without the rewards package: ``q_phy = n_obj - 4 (n_oob +
    n_collisions)``). ``invalid_penalty`` is subtracted for a program with a syntax error and for each failed
    statement. ``info["reward_terms"]`` holds R's named terms.

    ## Starting State
    An empty rectangular room (door on the south wall, window on the north wall) of the type named by the
    prompt, its size drawn with the seed; the prompt is ``options["prompt"]`` or drawn from
    :data:`~scene_gym.envs.common.PROMPTS`. ``options["scene"]`` (a Scene, its JSON or dict) starts from a
    given scene instead.

    ## Episode End
    Terminated by a successful ``done()``; truncated after ``max_steps`` steps.

    ## Arguments
    ``gym.make("SceneSynth-v0", render_mode="rgb_array", max_steps=10, image_size=(256, 256), reward=None,
    invalid_penalty=0.0, max_objects=60, solver_budget_s=0.5, prompts=None)``; ``image_size=None`` drops the
    image from the observation (``render`` still draws 256 x 256).

    ## Info
    ``results`` (one dict per statement: ok, message, changed_ids...), ``syntax_error``, ``n_ok``, ``n_failed``,
    ``reward_value``, ``reward_terms``, ``step``.

    ## Version History
    * v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 2}
    KIND = "SceneSynth-v0"

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 10, image_size=(256, 256),
                 reward: Any = None, invalid_penalty: float = 0.0, max_objects: int = 60,
                 solver_budget_s: float = 0.5, prompts=None):  # fmt: skip
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise SceneGymError(f"expected render_mode None or 'rgb_array', got {render_mode!r}")
        if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
            raise SceneGymError(f"expected max_steps as a positive integer, got {max_steps!r}")
        if not 1 <= int(max_objects) <= 64:
            raise SceneGymError(f"expected max_objects in [1, 64] (the DSL printer's limit), got {max_objects!r}")
        self.render_mode = render_mode
        self.max_steps = max_steps
        self.image_size = C.image_shape(image_size)
        self.invalid_penalty = float(invalid_penalty)
        self.max_objects = int(max_objects)
        self.solver_budget_s = float(solver_budget_s)
        self.prompts = tuple(prompts) if prompts else C.PROMPTS
        self._reward = C.resolve_reward(reward)
        obs = {"scene": C.text_space(C.SCENE_MAX), "prompt": C.text_space(C.PROMPT_MAX),
               "feedback": C.text_space(C.FEEDBACK_MAX)}  # fmt: skip
        if self.image_size:
            w, h = self.image_size
            obs = {"image": spaces.Box(0, 255, (h, w, 3), np.uint8), **obs}
        self.observation_space = spaces.Dict(obs)
        self.action_space = C.text_space(C.ACTION_MAX)
        self.scene: Scene | None = None
        self._world = None
        self._renderer = None
        self._image_cache: tuple[str, tuple, np.ndarray] | None = None
        self._steps = 0
        self._value = 0.0
        self._terms: dict = {}
        self._feedback = ""

    # --- helpers --------------------------------------------------------------------------------------------
    def _get_world(self):
        if self._world is None:
            from scene_gym.physics import PhysicsWorld

            self._world = PhysicsWorld()
        return self._world

    def _score(self) -> tuple[float, dict]:
        return self._reward(self.scene, {"world": self._get_world(), "prompt": self.scene.prompt, "env": self.KIND})

    def _image(self, size: tuple[int, int]) -> np.ndarray:
        key = self.scene.to_json(indent=None)
        if self._image_cache and self._image_cache[0] == key and self._image_cache[1] == size:
            return self._image_cache[2]
        if self._renderer is None:
            from scene_gym.render import Renderer

            self._renderer = Renderer("tiny")
        img = C.render_composite(self._renderer, self.scene, size)
        self._image_cache = (key, size, img)
        return img

    def _obs(self) -> dict:
        obs = {"scene": C.clean_text(scene_to_dsl(self.scene), C.SCENE_MAX),
               "prompt": C.clean_text(self.scene.prompt, C.PROMPT_MAX),
               "feedback": C.clean_text(self._feedback, C.FEEDBACK_MAX)}  # fmt: skip
        if self.image_size:
            obs = {"image": self._image(self.image_size).copy(), **obs}
        return obs

    # --- gymnasium API --------------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        options = C.check_options(options, ("prompt", "scene"))
        scene = C.initial_scene(options, self.np_random, self.prompts)
        self.scene = scene
        self._steps = 0
        self._value, self._terms = self._score()
        w, d = scene.room.bounds
        self._feedback = (f"new episode: an empty {scene.room.type} of {w:.1f} x {d:.1f} m" if not len(scene)
                          else f"new episode from a given scene with {len(scene)} objects")  # fmt: skip
        return self._obs(), {"reward_value": self._value, "reward_terms": dict(self._terms), "step": 0}

    def step(self, action):
        if self.scene is None:
            raise gym.error.ResetNeeded("expected reset() before step()")
        self._steps += 1
        text, error = C.action_text(action)
        results, syntax = [], ""
        if text is None:
            syntax = error
        else:
            try:
                statements = parse_program(text)
            except DSLSyntaxError as err:
                syntax = f"syntax error, nothing was run: {err}"
            else:
                results = apply_program(self.scene, statements, rng=self.np_random, world=self._get_world(),
                                        max_objects=self.max_objects, solver_budget_s=self.solver_budget_s)  # fmt: skip
        n_ok = sum(r.ok for r in results)
        n_failed = sum(not r.ok and not r.skipped for r in results)
        before = self._value
        if n_ok:
            self._value, self._terms = self._score()
        reward = self._value - before - self.invalid_penalty * (n_failed + bool(syntax))
        terminated = any(r.done and r.ok for r in results)
        truncated = not terminated and self._steps >= self.max_steps
        lines = [syntax] if syntax else [str(r) for r in results] or ["empty program: nothing to do"]
        lines.append(f"reward {reward:+.3f} (score {before:.3f} -> {self._value:.3f}); step {self._steps}/{self.max_steps}")
        self._feedback = "\n".join(lines)
        info = {"results": [r.to_dict() for r in results], "syntax_error": syntax, "n_ok": n_ok,
                "n_failed": n_failed, "reward_value": self._value, "reward_terms": dict(self._terms),
                "step": self._steps}  # fmt: skip
        return self._obs(), float(reward), terminated, truncated, info

    def render(self):
        if self.render_mode != "rgb_array" or self.scene is None:
            return None
        return self._image(self.image_size or (256, 256)).copy()

    def close(self):
        C.close_resources(self)

    # --- checkpoints ----------------------------------------------------------------------------------------
    def get_state(self) -> str:
        """JSON text with the scene, the step count, the feedback and the generator state."""
        if self.scene is None:
            raise SceneGymError("expected reset() before get_state()")
        return C.state_json(self.KIND, self.scene, self.np_random, steps=self._steps, feedback=self._feedback)

    def set_state(self, state) -> dict:
        """Restore a :meth:`get_state` checkpoint; returns the observation."""
        data, scene = C.parse_state(state, self.KIND)
        if self._np_random is None:
            self.reset()
        self.np_random.bit_generator.state = data["rng"]
        self.scene = scene
        self._steps = int(data.get("steps", 0))
        self._feedback = str(data.get("feedback", ""))
        self._value, self._terms = self._score()
        return self._obs()
