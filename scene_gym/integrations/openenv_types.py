"""The typed wire format of scene-gym's OpenEnv environment: action, observation, state and the reward rubric.

See :mod:`scene_gym.integrations.openenv` for the environment, the app, the client and the reasons behind the
choices. This module needs the ``openenv`` extra (``pip install 'scene-gym[openenv]'``); without it, importing
it raises :class:`~scene_gym.errors.MissingDependencyError` naming the extra.
"""

from __future__ import annotations

import json
import math
from typing import Any

from scene_gym.errors import MissingDependencyError, SceneGymError

try:  # every openenv import of the adapter goes through here, so a missing extra is reported by name
    # (the other adapter modules import these from here: noqa F401)
    from openenv.core.client_types import StepResult  # noqa: F401
    from openenv.core.env_client import EnvClient  # noqa: F401
    from openenv.core.env_server.interfaces import Environment  # noqa: F401
    from openenv.core.env_server.types import Action, EnvironmentMetadata, Observation, State  # noqa: F401
    from openenv.core.evals.base import EvalHarness  # noqa: F401
    from openenv.core.harness import (  # noqa: F401
        ResourceSessionFactory,
        StepEnvSessionAdapter,
        ToolResult,
        VerifyResult,
    )
    from openenv.core.rubrics import Rubric
    from pydantic import ConfigDict, Field
except ImportError as err:  # pragma: no cover - exercised only where the extra is missing
    raise MissingDependencyError(
        getattr(err, "name", None) or "openenv", "openenv", "the OpenEnv adapter"
    ) from None

ACTION_FIELDS = ("tool", "args", "call")
"""The fields an action may set (besides OpenEnv's ``metadata``)."""


class SceneToolAction(Action):
    """One tool call of ``SceneSynthToolStep-v1``: ``tool`` + ``args``, or ``call`` as the gym env takes it.

    Fields:
        tool: the tool's name (str), e.g. ``"add_objects"``; see ``SceneToolObservation.catalogue``.
        args: the tool's arguments, a JSON object (``{}`` when omitted).
        call: instead of ``tool``/``args``, the call exactly as the gym env's text action takes it: JSON text
            ``'{"tool": ..., "args": {...}}'``, a one-element list, or an OpenAI ``tool_calls`` message.
        metadata: free data, ignored by the env.

    The fields are typed ``Any`` on purpose: whatever JSON a client sends reaches scene-gym's own validator,
    which answers with an observation naming the bad field and value (``valid=False``), never with a framework
    validation error. Unknown fields are kept (``extra="allow"``) for the same reason and refused the same way.
    """

    model_config = ConfigDict(extra="allow", validate_assignment=True, arbitrary_types_allowed=True)

    tool: Any = Field(default=None, description="tool name, e.g. 'add_objects' (str)")
    args: Any = Field(default=None, description="the tool's arguments (JSON object); {} when omitted")
    call: Any = Field(default=None, description="or the whole call: JSON text, a {tool, args} object, a list")
    metadata: Any = Field(default_factory=dict, description="free data, ignored by the env")

    def to_text(self) -> str:
        """The call as the gym env's text action (str, JSON). Raises :class:`SceneGymError` naming the field
        and value when the fields cannot make one call (unknown fields, ``call`` beside ``tool``/``args``,
        neither given, values that are not JSON)."""
        extra = sorted((self.model_extra or {}).keys())
        if extra:
            raise SceneGymError(
                f"call: unknown action field {extra[0]!r} (expected {', '.join(ACTION_FIELDS)})"
            )
        if self.call is not None:
            if self.tool is not None or self.args is not None:
                raise SceneGymError(
                    f"call: expected either 'call' or 'tool'/'args', got both (call={self.call!r:.80})"
                )
            data = self.call
        elif self.tool is None:
            raise SceneGymError(
                f"tool: expected a tool name (or a 'call'), got tool={self.tool!r}, args={self.args!r:.80}"
            )
        else:
            data = {"tool": self.tool, "args": {} if self.args is None else self.args}
        if isinstance(data, str):
            return data
        try:
            return json.dumps(data, allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError) as err:
            raise SceneGymError(f"call: expected JSON values, got {data!r:.120} ({err})") from None


class SceneToolObservation(Observation):
    """What the agent sees after a reset or a step (every field JSON; no image is served).

    Fields (besides OpenEnv's ``done`` and ``reward``, the step reward of the rubric; 0.0 at reset):
        prompt: the task prompt. catalogue: the tools and their arguments as text (reset only, "" after).
        scene: the current scene in the scene DSL. review: the metrics review of the current scene.
        feedback: what the last step did. error: why the action was invalid or failed ("" when it went through).
        valid: the action could be read and validated. applied: the scene changed.
        step: steps taken this episode. max_steps: the truncation limit.
        reward_value: Q of the current scene (the configured reward, unitless). reward_terms: its named terms.
        reward_error: why the reward failed and the step was undone ("").
        minutes: tool time so far this episode, minutes. episode_return: sum of this episode's step rewards.
        terminated / truncated: as in Gymnasium (``done`` is their or).
        call: the record of the call (tool, args, ok, message...); {} for an invalid action.
        metrics: :func:`scene_gym.metrics.evaluate` of the current scene, as a dict.
        substitutions: names accepted by a non-exact match (``requested``, ``used``, ``score``, ``how``).
    """

    prompt: str = ""
    catalogue: str = ""
    scene: str = ""
    review: str = ""
    feedback: str = ""
    error: str = ""
    valid: bool = True
    applied: bool = False
    step: int = 0
    max_steps: int = 0
    reward_value: float = 0.0
    reward_terms: dict[str, float] = Field(default_factory=dict)
    reward_error: str = ""
    minutes: float = 0.0
    episode_return: float = 0.0
    terminated: bool = False
    truncated: bool = False
    call: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, Any] = Field(default_factory=dict)
    substitutions: list[dict[str, Any]] = Field(default_factory=list)

    def policy_view(self) -> dict[str, str]:
        """The text fields a scene-gym policy reads (``prompt``, ``scene``, ``review``, ``feedback``,
        ``catalogue``), as the gym env's observation dict."""
        return {k: getattr(self, k) for k in ("prompt", "catalogue", "scene", "review", "feedback")}


class SceneToolState(State):
    """The episode's state (``GET /state`` or the WebSocket ``state`` message).

    Fields (besides OpenEnv's ``episode_id`` and ``step_count``): env_id; seed (None: unseeded); prompt; scene
    (DSL text); reward_value (Q, unitless); minutes (tool time, minutes); episode_return; done; max_steps.
    """

    env_id: str = ""
    seed: int | None = None
    prompt: str = ""
    scene: str = ""
    reward_value: float = 0.0
    minutes: float = 0.0
    episode_return: float = 0.0
    done: bool = False
    max_steps: int = 0


class _FieldRubric(Rubric):
    """Reads one float field of the observation (a child of :class:`ToolStepRubric`, for introspection)."""

    def __init__(self, field: str):
        super().__init__()
        self.field = field

    def forward(self, action: Any, observation: Any) -> float:
        """The observation's ``field`` as a float."""
        return float(getattr(observation, self.field))


class ToolStepRubric(Rubric):
    """scene-gym's tool-step reward in OpenEnv's rubric API: ``(Q_t - Q_{t-1}) - time_weight * (T_t - T_{t-1})``.

    Q is the configured scene reward (``reward_value``, unitless; SceneOrchestra's ``0.1 Q_phy + Q_vis`` by
    default) and T the tool time in minutes, both computed once per step by the env shell; an invalid action
    earns ``invalid_penalty`` and a step whose reward failed (undone) earns 0. Children, for
    ``named_rubrics()``/``last_score``: ``quality`` (Q of the current scene) and ``minutes`` (T so far).

    Args:
        time_weight: w, reward per minute of tool time (>= 0). invalid_penalty: reward of an invalid action.
    """

    def __init__(self, time_weight: float = 0.05, invalid_penalty: float = -1.0):
        super().__init__()
        if not (math.isfinite(time_weight) and time_weight >= 0):
            raise SceneGymError(f"time_weight: expected a finite float >= 0 per minute, got {time_weight!r}")
        if not math.isfinite(invalid_penalty):
            raise SceneGymError(f"invalid_penalty: expected a finite float, got {invalid_penalty!r}")
        self.time_weight, self.invalid_penalty = float(time_weight), float(invalid_penalty)
        self.quality = _FieldRubric("reward_value")
        self.minutes = _FieldRubric("minutes")
        self._last: tuple[float, float] | None = None

    def start(self, observation: Any) -> None:
        """Remember the reset observation's Q and tool time (the baseline of the first step's reward)."""
        self._last = (self.quality(None, observation), self.minutes(None, observation))

    def reset(self) -> None:
        """Forget the episode (``Environment.reset`` calls it before :meth:`start`)."""
        self._last = None

    def forward(self, action: Any, observation: Any) -> float:
        """The step reward (float) of ``observation``, which must follow :meth:`start` or an earlier step."""
        if self._last is None:
            raise SceneGymError("rubric: expected start(observation) after reset before scoring a step")
        q_before, t_before = self._last
        q, t = self.quality(action, observation), self.minutes(action, observation)
        self._last = (q, t)
        if observation.reward_error:
            return 0.0
        if not observation.valid:
            return self.invalid_penalty
        return (q - q_before) - self.time_weight * (t - t_before)


__all__ = ["ACTION_FIELDS", "SceneToolAction", "SceneToolObservation", "SceneToolState", "ToolStepRubric"]
