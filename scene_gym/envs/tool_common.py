"""The part shared by the two tool environments (``SceneSynthTrajectory-v0``, ``SceneSynthToolStep-v0``): the
starting state, the quality score Q, the review text, running validated calls, checkpoints.

Q is SceneOrchestra's ``Q = 0.1 Q_phy + Q_vis`` from ``scene_gym.rewards``' offline judge by default (or
``0.1 Q_phy`` when that package is missing), or the value of any reward given as ``reward=``. Time ``T`` is in
minutes; by default it sums the tools' *nominal* costs (``TOOLS[name].nominal_cost_s``), which keeps rewards
deterministic; ``time_source="measured"`` uses ``ToolResult.cost_s`` (nominal + measured wall time).
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from scene_gym.envs import common as C
from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene

CATALOGUE_MAX = 16384
CALLS_MAX = 100_000


def make_quality(reward: Any):
    """``(scene, ctx) -> (Q, terms)`` for ``reward`` (see the module docstring)."""
    if reward is not None:
        return C.resolve_reward(reward)
    try:
        from scene_gym.rewards import RewardContext, make_judge
    except ImportError:
        def q_phy(scene: Scene, ctx: dict) -> tuple[float, dict]:
            _, terms = C.physical_reward(scene, ctx)
            return 0.1 * terms["q_phy"], terms

        return q_phy
    judge = make_judge(None)

    def judged(scene: Scene, ctx: dict) -> tuple[float, dict]:
        res = judge.judge(scene, RewardContext(prompt=ctx.get("prompt"), world=ctx.get("world")))
        return float(res.q), {**res.keys(), "q_phy": float(res.q_phy)}

    return judged


def review_text(scene: Scene, world, q: float, terms: dict) -> str:
    """A short review of the scene: object count, physics problems, the judge's grades and Q."""
    from scene_gym.metrics import evaluate

    m = evaluate(scene, world)
    parts = [f"{m.n_obj} objects", f"{m.n_collisions} collisions" + (f" ({', '.join('-'.join(p) for p in m.collisions[:4])})"
                                                                     if m.collisions else ""),  # fmt: skip
             f"{m.n_oob} out of the room" + (f" ({', '.join(m.oob[:4])})" if m.oob else ""),
             f"{len(m.unsupported)} unsupported", f"navigability {m.nav:.2f}", f"accessibility {m.acc:.2f}"]
    grades = ", ".join(f"{k} {v:.2f}" for k, v in terms.items())
    return f"review: {'; '.join(parts)}.\nscores: {grades}; Q {q:.3f}"


class ToolEnvBase(gym.Env):
    """Shared state and plumbing; subclasses implement ``step`` and their docstring's spec card."""

    metadata = {"render_modes": ["rgb_array"], "render_fps": 1}
    KIND = ""

    def __init__(self, render_mode: str | None = None, *, reward: Any = None, time_weight: float = 0.05,
                 invalid_penalty: float = -1.0, time_source: str = "nominal", solver_budget_s: float = 0.5,
                 image_size=None, prompts=None):  # fmt: skip
        from scene_gym.actions.tools import catalogue

        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise SceneGymError(f"expected render_mode None or 'rgb_array', got {render_mode!r}")
        if time_source not in ("nominal", "measured"):
            raise SceneGymError(f"expected time_source 'nominal' or 'measured', got {time_source!r}")
        if not np.isfinite(time_weight) or time_weight < 0:
            raise SceneGymError(f"expected time_weight >= 0 per minute, got {time_weight!r}")
        self.render_mode = render_mode
        self.time_weight, self.invalid_penalty = float(time_weight), float(invalid_penalty)
        self.time_source, self.solver_budget_s = time_source, float(solver_budget_s)
        self.image_size = C.image_shape(image_size)
        self.prompts = tuple(prompts) if prompts else C.PROMPTS
        self._quality = make_quality(reward)
        self.catalogue = C.clean_text(catalogue(fmt="text"), CATALOGUE_MAX)
        obs = {"prompt": C.text_space(C.PROMPT_MAX), "catalogue": C.text_space(CATALOGUE_MAX),
               "scene": C.text_space(C.SCENE_MAX), "feedback": C.text_space(C.FEEDBACK_MAX)}  # fmt: skip
        obs.update(self._extra_spaces())
        if self.image_size:
            w, h = self.image_size
            obs = {"image": spaces.Box(0, 255, (h, w, 3), np.uint8), **obs}
        self.observation_space = spaces.Dict(obs)
        self.action_space = C.text_space(CALLS_MAX)
        self.scene: Scene | None = None
        self._world = self._renderer = None
        self._feedback, self._q, self._terms, self._minutes, self._steps = "", 0.0, {}, 0.0, 0
        self._image_cache = None

    def _extra_spaces(self) -> dict:
        return {}

    def _extra_obs(self) -> dict:
        return {}

    # --- plumbing ---------------------------------------------------------------------------------------------
    def _get_world(self):
        if self._world is None:
            from scene_gym.physics import PhysicsWorld

            self._world = PhysicsWorld()
        return self._world

    def _score(self) -> tuple[float, dict]:
        return self._quality(self.scene, {"world": self._get_world(), "prompt": self.scene.prompt, "env": self.KIND,
                                          "step": self._steps, "elapsed_s": 60.0 * self._minutes})  # fmt: skip

    def _image(self, size) -> np.ndarray:
        from scene_gym.render import Renderer

        key = (self.scene.to_json(indent=None), size)
        if self._image_cache is None or self._image_cache[0] != key:
            if self._renderer is None:
                self._renderer = Renderer("tiny")
            rgb = self._renderer.views(self.scene, "topdown_ids", size=size)["topdown_ids"].rgb
            self._image_cache = (key, rgb)
        return self._image_cache[1]

    def _obs(self) -> dict:
        from scene_gym.actions.dsl.printer import scene_to_dsl

        obs = {"prompt": C.clean_text(self.scene.prompt, C.PROMPT_MAX), "catalogue": self.catalogue,
               "scene": C.clean_text(scene_to_dsl(self.scene), C.SCENE_MAX),
               "feedback": C.clean_text(self._feedback, C.FEEDBACK_MAX), **self._extra_obs()}  # fmt: skip
        if self.image_size:
            obs = {"image": self._image(self.image_size).copy(), **obs}
        return obs

    def run_call(self, call) -> tuple[dict, bool]:
        """Apply one validated call; returns (a JSON-ready record, terminate). A call that fails to apply leaves
        the scene unchanged and is recorded with its error."""
        from scene_gym.actions.tools import TOOLS, ToolError, apply_tool

        record: dict[str, Any] = {"index": call.index, "tool": call.tool}
        try:
            res = apply_tool(self.scene, call, rng=self.np_random, world=self._get_world(),
                             time_budget_s=self.solver_budget_s)  # fmt: skip
        except ToolError as err:
            record.update(ok=False, applied=False, message=str(err), field=err.field or "", changed_ids=[])
            minutes, terminate = TOOLS[call.tool].nominal_cost_s / 60.0, False
        else:
            record.update(ok=res.ok, applied=True, message=res.message, field="", changed_ids=list(res.changed_ids))
            cost = res.cost_s if self.time_source == "measured" else res.cost_s - res.wall_time_s
            minutes, terminate = cost / 60.0, res.terminate
        self._minutes += minutes
        record["minutes"] = round(minutes, 9)
        record["cumulative_minutes"] = round(self._minutes, 9)
        return record, terminate

    def invalid(self, err) -> dict:
        """Info fields naming a validation error's call, tool and field."""
        return {"valid": False, "error": str(err), "error_index": -1 if getattr(err, "index", None) is None else err.index,
                "error_tool": getattr(err, "tool", None) or "", "error_field": getattr(err, "field", None) or ""}  # fmt: skip

    # --- gymnasium API ----------------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        options = C.check_options(options, ("prompt", "scene"))
        scene = C.initial_scene(options, self.np_random, self.prompts)
        self.scene, self._steps, self._minutes = scene, 0, 0.0
        self._q, self._terms = self._score()
        w, d = scene.room.bounds
        self._feedback = f"new episode: {scene.room.type} of {w:.1f} x {d:.1f} m with {len(scene)} objects"
        self._on_reset()
        return self._obs(), {"quality": self._q, "step": 0}

    def _on_reset(self) -> None:
        """Hook for subclasses: extra per-episode state to clear on reset (none by default)."""

    def render(self):
        if self.render_mode != "rgb_array" or self.scene is None:
            return None
        return self._image(self.image_size or (256, 256)).copy()

    def close(self):
        C.close_resources(self)

    def get_state(self) -> str:
        """JSON text with the scene, counters, feedback and the generator state."""
        if self.scene is None:
            raise SceneGymError("expected reset() before get_state()")
        return C.state_json(self.KIND, self.scene, self.np_random, steps=self._steps, minutes=self._minutes,
                            feedback=self._feedback, **self._extra_state())  # fmt: skip

    def _extra_state(self) -> dict:
        return {}

    def set_state(self, state) -> dict:
        """Restore a :meth:`get_state` checkpoint; returns the observation."""
        data, scene = C.parse_state(state, self.KIND)
        if self._np_random is None:
            self.reset()
        self.np_random.bit_generator.state = data["rng"]
        self.scene, self._steps = scene, int(data.get("steps", 0))
        self._minutes, self._feedback = float(data.get("minutes", 0.0)), str(data.get("feedback", ""))
        self._load_extra_state(data)
        self._q, self._terms = self._score()
        return self._obs()

    def _load_extra_state(self, data: dict) -> None:
        """Hook for subclasses: restore what :meth:`_extra_state` saved (nothing by default)."""
