"""The env shell every scene env is built on (dm_control's split: state, task, builder).

:class:`SceneEnv` owns what all scene envs share: reset from a prompt or a given scene, the physics world, the
renderer and its image cache, the reward, the step transaction, checkpoints and the ``info`` vocabulary. A thin
env supplies only

- ``_action_space()`` and ``_apply(action) -> Outcome``: decode the action and edit the scene through the edit
  core (:mod:`scene_gym.actions`);
- optionally ``_extra_spaces()``/``_extra_obs()`` (observation fields), ``_render_image(size)`` (the image),
  ``_start(options)`` (the first scene), ``_step_reward(before, after, outcome)``, and the checkpoint hooks
  ``_extra_state()``/``_parse_extra_state(data, scene)``.

**One step is one transaction, reward included.** The shell snapshots the scene, lets the env apply the
action, then evaluates the new state once: one physics sync and one :func:`scene_gym.metrics.evaluate`, shared
by the reward (through the :class:`~scene_gym.rewards.RewardContext` cache), the review and ``info``; the prompt
is parsed once per episode. If the reward (or a judge behind it) raises, the scene is restored exactly, the step
earns 0 and ``info["reward_error"]`` and the feedback say why: the env never raises for a failing reward.

``info`` carries the same keys in every scene env, at reset and at every step:

=================  =========================================================================================
key                meaning
=================  =========================================================================================
``env_kind``       the kind's short name (:mod:`scene_gym.envs.kinds`), e.g. ``"scene"``
``step``           steps taken this episode (0 at reset)
``valid``          the action could be read (parsed, validated); False: nothing ran
``applied``        the scene was changed by this step (False at reset)
``error``          why the action was invalid, failed or was undone ("" when it went through)
``reward_value``   the configured reward of the current scene (``R`` or ``Q``)
``reward_terms``   its named terms, each within the bounds its reward documents
``reward_error``   why the reward failed and the step was undone ("" otherwise)
``metrics``        :func:`scene_gym.metrics.evaluate` of the current scene, as a dict
``feedback``       the feedback text in full (the observation's copy is cut to its space)
``substitutions``  ``[{"requested", "used", "score", "how"}]``: names accepted as a category by a non-exact
                   match (``how``: synonym, head or fuzzy; ``score`` in [0, 1], at least the resolver's
                   threshold); names under it are refused, never substituted
=================  =========================================================================================

Each env adds its own keys (``results`` for DSL statements, ``calls``/``call`` for tools, ``placement`` for
pointing), documented in its spec card.
"""

from __future__ import annotations

import abc
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from scene_gym.envs import common as C
from scene_gym.envs.spaces import FEEDBACK_MAX, PROMPT_MAX, clean_text, text_space
from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene

STATE_SCHEMA = "scene-gym/env-state@2"


class RewardFailure(SceneGymError):
    """The reward (or the judge behind it) raised while scoring a step; the step is undone."""


@dataclass
class Outcome:
    """What a thin env's ``_apply`` did; the shell turns it into the reward, the feedback and ``info``.

    Attributes:
        valid: the action could be read; False means nothing ran.
        applied: the scene may have changed (at least one edit went through).
        error: why the action was invalid or (part of it) failed.
        failed: how many parts (statements, calls, placements) failed; each costs ``invalid_penalty`` where the
            env's reward says so.
        lines: feedback lines, in order.
        terminate: the action ended the episode (``done()``, ``terminate``).
        minutes: tool time this step spent (the ``T`` of SceneOrchestra's ``C = Q - w T``), minutes.
        substitutions: ``{"requested", "used", "score", "how"}`` dicts for names accepted as another category.
        info: the env's own ``info`` keys.
    """

    valid: bool = True
    applied: bool = False
    error: str = ""
    failed: int = 0
    lines: list[str] = field(default_factory=list)
    terminate: bool = False
    minutes: float = 0.0
    substitutions: list[dict] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    """One scene state, scored once: the reward's value and terms, the metrics they were computed from, and
    those metrics as the JSON-ready dict ``info["metrics"]`` shows (made once per evaluation)."""

    value: float
    terms: dict[str, float]
    metrics: Any  # scene_gym.metrics.Metrics
    metrics_dict: dict[str, Any]


def _scene_key(scene: Scene) -> tuple:
    """Identity of a scene state: records are immutable, so the same records in the same order is the same
    state (the tuple keeps them alive, so identities are not reused)."""
    return (scene.room, scene.prompt, *scene.objects, *scene.lights)


def _same_key(a: tuple | None, b: tuple) -> bool:
    return a is not None and len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class SceneEnv(gym.Env, abc.ABC):
    """Base of the scene envs; see the module docstring. Subclasses set ``KIND`` (their kind's short name)
    and write their spec card as their docstring.

    Args:
        render_mode: None or ``"rgb_array"``.
        max_steps: steps before truncation (a positive integer).
        image_size: (width, height) of the observation image in pixels, or None for none.
        reward: a :class:`~scene_gym.rewards.Reward`, a string spec, a callable ``(scene, context)``, or None
            for the env's ``DEFAULT_REWARD`` (see :func:`scene_gym.rewards.as_reward`).
        invalid_penalty: subtracted per invalid action or failed part (the env's spec card says how).
        prompts: the prompt suite reset draws from (default :data:`~scene_gym.envs.common.PROMPTS`).
        solver_budget_s: wall-clock safety limit of each layout solve, seconds.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 2}
    KIND: ClassVar[str] = ""
    DEFAULT_REWARD: ClassVar[str] = "quality"
    RESET_OPTIONS: ClassVar[tuple[str, ...]] = ("prompt", "scene")
    DEFAULT_RENDER_SIZE: ClassVar[tuple[int, int]] = (256, 256)

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 10, image_size=(256, 256),
                 reward: Any = None, invalid_penalty: float = 0.0, prompts=None, solver_budget_s: float = 10.0):  # fmt: skip
        from scene_gym.rewards import as_reward

        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise SceneGymError(f"expected render_mode None or 'rgb_array', got {render_mode!r}")
        if isinstance(max_steps, bool) or not isinstance(max_steps, int | np.integer) or max_steps < 1:
            raise SceneGymError(f"expected max_steps as a positive integer, got {max_steps!r}")
        if not np.isfinite(invalid_penalty):
            raise SceneGymError(f"expected a finite invalid_penalty, got {invalid_penalty!r}")
        if not np.isfinite(solver_budget_s) or solver_budget_s <= 0:
            raise SceneGymError(f"expected solver_budget_s as seconds > 0, got {solver_budget_s!r}")
        self.render_mode = render_mode
        self.max_steps = int(max_steps)
        self.image_size = C.image_shape(image_size)
        self.invalid_penalty = float(invalid_penalty)
        self.solver_budget_s = float(solver_budget_s)
        self.prompts = tuple(prompts) if prompts else C.PROMPTS
        self.reward_fn = as_reward(reward, default=self.DEFAULT_REWARD)
        obs: dict[str, spaces.Space] = {"prompt": text_space(PROMPT_MAX), **self._extra_spaces(),
                                        "feedback": text_space(FEEDBACK_MAX)}  # fmt: skip
        if self.image_size:
            w, h = self.image_size
            obs = {"image": spaces.Box(0, 255, (h, w, 3), np.uint8), **obs}
        self.observation_space = spaces.Dict(obs)
        self.action_space = self._action_space()
        self.scene: Scene | None = None
        self._world = None
        self._renderer = None
        self._image_cache: tuple[tuple, tuple[int, int], np.ndarray] | None = None
        self._spec = None
        self._eval: Evaluation | None = None
        self._synced: tuple | None = None  # the scene state the physics world was last synced to
        self._steps = 0
        self._feedback = ""
        self._kind = self.KIND

    # --- hooks -----------------------------------------------------------------------------------------------
    @abc.abstractmethod
    def _action_space(self) -> spaces.Space:
        """The action space."""

    @abc.abstractmethod
    def _apply(self, action: Any) -> Outcome:
        """Decode ``action`` and edit ``self.scene`` through the edit core. Raise :class:`SceneGymError` for an
        action that cannot be read (the shell restores the scene and reports it as invalid)."""

    def _extra_spaces(self) -> dict[str, spaces.Space]:
        """Observation fields besides image, prompt and feedback."""
        return {}

    def _extra_obs(self) -> dict[str, Any]:
        """Values of :meth:`_extra_spaces`' fields for the current state."""
        return {}

    def _start(self, options: dict) -> Scene:
        """The first scene of an episode (default: :func:`~scene_gym.envs.common.initial_scene`)."""
        return C.initial_scene(options, self.np_random, self.prompts)

    def _on_reset(self, options: dict) -> str:
        """Per-episode state to set after the first scene is scored; returns the first feedback line."""
        w, d = self.scene.room.bounds
        if len(self.scene):
            return f"new episode from a given scene with {len(self.scene)} objects"
        return f"new episode: an empty {self.scene.room.type} of {w:.1f} x {d:.1f} m"

    def _render_image(self, size: tuple[int, int]) -> np.ndarray:
        """The observation image (H, W, 3) uint8 of the current scene (default: the 2 x 2 composite)."""
        return C.render_composite(self.renderer(), self.scene, size)

    def _step_reward(self, before: Evaluation, after: Evaluation, outcome: Outcome) -> float:
        """The step's reward (default: the change of the reward's value, minus ``invalid_penalty`` per failed
        part and for an invalid action)."""
        return after.value - before.value - self.invalid_penalty * (outcome.failed + (not outcome.valid))

    def _terminal(self, outcome: Outcome) -> bool:
        """Whether the step ends the episode (default: when the action said so)."""
        return bool(outcome.terminate)

    def _after_step(self, outcome: Outcome) -> None:
        """Called at the end of every step, after the reward and before the observation (default: nothing)."""

    def _extra_state(self) -> dict[str, Any]:
        """JSON-ready fields a checkpoint adds for this env."""
        return {}

    def _parse_extra_state(self, data: dict, scene: Scene) -> dict[str, Any]:
        """Validate :meth:`_extra_state`'s fields of a checkpoint without changing the env; returns attribute
        name -> value to set once the whole checkpoint has been read. Raise :class:`SceneGymError` naming the
        bad field."""
        return {}

    # --- shared services -------------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """This env's kind name (from the id it was made with, else ``KIND``)."""
        from scene_gym.envs.kinds import kind_of

        try:
            return kind_of(self).name
        except SceneGymError:  # a class built outside the registry: its own KIND, else its name
            return self.KIND or type(self).__name__

    def world(self):
        """The env's :class:`~scene_gym.physics.PhysicsWorld` (created on first use; synced by evaluation)."""
        if self._world is None:
            from scene_gym.physics import PhysicsWorld

            self._world = PhysicsWorld()
        return self._world

    def renderer(self):
        """The env's tiny renderer (created on first use)."""
        if self._renderer is None:
            from scene_gym.render import Renderer

            self._renderer = Renderer("tiny")
        return self._renderer

    def _evaluate(self) -> Evaluation:
        """Score the current scene once: one sync and one evaluate, shared with the reward. A reward that raises
        becomes :class:`RewardFailure`."""
        from scene_gym.metrics import evaluate
        from scene_gym.rewards import RewardContext

        metrics = evaluate(self.scene, self.world())
        self._synced = _scene_key(self.scene)
        context = RewardContext(prompt=self.scene.prompt, spec=self._spec, step=self._steps,
                                elapsed_s=60.0 * self._elapsed_minutes(), world=self.world())  # fmt: skip
        context.cached("metrics", lambda: metrics)
        try:
            result = self.reward_fn(self.scene, context)
        except Exception as err:  # noqa: BLE001 - any reward failure undoes the step; reported, not raised
            raise RewardFailure(f"{type(err).__name__}: {err}") from err
        return Evaluation(result.value, dict(result.terms), metrics, metrics.to_dict())

    def _elapsed_minutes(self) -> float:
        """Tool time spent so far this episode, minutes (0 for envs without tool costs)."""
        return 0.0

    def _image(self, size: tuple[int, int]) -> np.ndarray:
        key = _scene_key(self.scene)
        cache = self._image_cache
        if cache is None or cache[1] != size or not _same_key(cache[0], key):
            self._image_cache = cache = (key, size, self._render_image(size))
        return cache[2]

    def _obs(self) -> dict[str, Any]:
        obs = {"prompt": clean_text(self.scene.prompt, PROMPT_MAX), **self._extra_obs(),
               "feedback": clean_text(self._feedback, FEEDBACK_MAX)}  # fmt: skip
        if self.image_size:
            obs = {"image": self._image(self.image_size).copy(), **obs}
        return obs

    def _info(self, outcome: Outcome, reward_error: str = "") -> dict[str, Any]:
        ev = self._eval
        return {"env_kind": self._kind, "step": self._steps, "valid": outcome.valid, "applied": outcome.applied,
                "error": outcome.error, "reward_value": ev.value, "reward_terms": dict(ev.terms),
                "reward_error": reward_error, "metrics": dict(ev.metrics_dict), "feedback": self._feedback,
                "substitutions": list(outcome.substitutions), **outcome.info}  # fmt: skip

    # --- Gymnasium API ---------------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        self._kind = self.kind
        options = C.check_options(options, self.RESET_OPTIONS)
        self.scene = self._start(options)
        self._steps = 0
        self._spec = C.task_spec(self.scene.prompt)
        first = self._on_reset(options)
        try:
            self._eval = self._evaluate()
        except RewardFailure as err:
            self.scene = None
            raise SceneGymError(f"the reward failed on the starting scene: {err}") from err
        self._feedback = first
        return self._obs(), self._info(Outcome())

    def step(self, action):
        return self._run_step(lambda: self._apply(action))

    def refuse_step(self, reason: str):
        """Count a step whose action could not even be read (text-action wrappers call this when their parser
        refuses the text): nothing changes, the step is invalid with ``reason`` as its error."""

        def refuse() -> Outcome:
            raise SceneGymError(str(reason))

        return self._run_step(refuse)

    def _run_step(self, apply):
        if self.scene is None:
            raise gym.error.ResetNeeded("expected reset() before step()")
        self._steps += 1
        snap, saved = self.scene.snapshot(), self._save_counters()
        before = self._eval
        reward_error = ""
        try:
            outcome = apply()
            if outcome.applied and self._eval is before:
                self._eval = self._evaluate()
        except RewardFailure as err:
            self._undo(snap, saved)
            reward_error = f"the reward failed, so the step was undone: {err}"
            outcome = Outcome(error=reward_error, lines=[reward_error])
        except SceneGymError as err:
            self._undo(snap, saved)
            outcome = Outcome(valid=False, error=str(err), lines=[f"invalid action, nothing was run: {err}"])
        except BaseException:
            self._undo(snap, saved)
            raise
        reward = 0.0 if reward_error else float(self._step_reward(before, self._eval, outcome))
        terminated = self._terminal(outcome)
        truncated = not terminated and self._steps >= self.max_steps
        lines = [*(outcome.lines or ["nothing to do"]),
                 f"reward {reward:+.3f} (score {before.value:.3f} -> {self._eval.value:.3f}); "
                 f"step {self._steps}/{self.max_steps}"]  # fmt: skip
        self._feedback = "\n".join(lines)
        self._after_step(outcome)
        return self._obs(), reward, terminated, truncated, self._info(outcome, reward_error)

    def _undo(self, snap: tuple, saved: dict[str, Any]) -> None:
        """Put the scene and the counters back as they were before the step; the physics world follows only
        if it was synced to the abandoned state."""
        self.scene.restore(snap)
        for name, value in saved.items():
            setattr(self, name, value)
        if self._world is not None and self._synced is not None and not _same_key(self._synced, _scene_key(self.scene)):
            self._world.sync(self.scene)
            self._synced = _scene_key(self.scene)

    def _save_counters(self) -> dict[str, Any]:
        """Attributes a step may change besides the scene, restored with it when the step is undone
        (subclasses extend the dict)."""
        return {"_eval": self._eval}

    def render(self):
        if self.render_mode != "rgb_array" or self.scene is None:
            return None
        return self._image(self.image_size or self.DEFAULT_RENDER_SIZE).copy()

    def close(self):
        C.close_resources(self)

    # --- checkpoints -----------------------------------------------------------------------------------------
    def get_state(self) -> str:
        """JSON text with the scene, the step count, the feedback, the generator state and the env's own
        fields; :meth:`set_state` restores it exactly."""
        if self.scene is None:
            raise SceneGymError("expected reset() before get_state()")
        data = {"schema": STATE_SCHEMA, "env": self.kind, "scene": self.scene.to_dict(),
                "rng": self.np_random.bit_generator.state, "steps": self._steps, "feedback": self._feedback,
                **self._extra_state()}  # fmt: skip
        return json.dumps(data, ensure_ascii=False, allow_nan=False)

    def set_state(self, state: Any) -> dict[str, Any]:
        """Restore a :meth:`get_state` checkpoint and return the observation. A malformed checkpoint raises
        :class:`SceneGymError` naming the bad field and leaves the env exactly as it was."""
        self._kind = self.kind
        data, scene, generator = C.parse_state(state, self._kind)
        extra = self._parse_extra_state(data, scene)
        names = ("scene", "_steps", "_feedback", "_spec", "_eval", "_np_random", *extra)
        old = {name: getattr(self, name, None) for name in names}
        self.scene, self._np_random = scene, generator
        self._steps, self._feedback = data["steps"], data["feedback"]
        for name, value in extra.items():
            setattr(self, name, value)
        self._spec = C.task_spec(scene.prompt)
        try:
            self._eval = self._evaluate()
        except RewardFailure as err:
            for name, value in old.items():
                setattr(self, name, value)
            raise SceneGymError(f"the reward failed on the checkpoint's scene, nothing was restored: {err}") from err
        return self._obs()


__all__ = ["Evaluation", "Outcome", "RewardFailure", "STATE_SCHEMA", "SceneEnv"]
