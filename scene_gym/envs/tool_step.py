"""``SceneSynthToolStep-v1``: one tool call per step with a review after each (SceneWeaver's execute-review)."""

from __future__ import annotations

from typing import Any

from gymnasium import spaces

from scene_gym.envs.shell import Evaluation, Outcome
from scene_gym.envs.spaces import CALLS_MAX, FEEDBACK_MAX, action_text, clean_text, text_space
from scene_gym.envs.tool_common import NO_TOOL_ERROR, ToolEnv, review_text
from scene_gym.errors import SceneGymError


class SceneSynthToolStepEnv(ToolEnv):
    """Call one tool per step and read the review of the result.

    ## Description
    SceneWeaver's execute-review loop over the tools of :mod:`scene_gym.actions.tools` (the same as
    ``SceneSynthTrajectory-v1``). Each step holds exactly one call; it is validated, then applied as a
    transaction with its reward. After it the observation carries a review: the metrics (collisions,
    out-of-bounds, support, navigability...), the reward's terms and Q, and a top-down render with the ids; the
    review, the reward and ``info["metrics"]`` come from one evaluation of the new scene.

    ## Action Space
    ``UnicodeText(100000)``: one call as JSON, ``{"tool": "add_objects", "args": {...}}`` (a one-element list or
    an OpenAI ``tool_calls`` message with one call is accepted too).

    ## Observation Space
    ``Dict``: ``image`` Box(0, 255, (H, W, 3), uint8), top-down with ids (only with ``image_size``, default
    256 x 256); ``prompt``; ``catalogue``; ``scene`` (scene DSL); ``review`` UnicodeText(8192); ``feedback``.

    ## Rewards
    The change in the composition score: ``(Q_t - Q_{t-1}) - time_weight * T_call`` (Q and T as in
    ``SceneSynthTrajectory-v1``); an invalid call changes nothing and earns ``invalid_penalty`` (default -1); a
    call that fails on the scene changes nothing and earns ``-time_weight * T_call``.

    ## Starting State
    As ``SceneSynthTrajectory-v1``.

    ## Episode End
    Terminated by ``terminate``; truncated after ``max_steps`` (20) steps.

    ## Info
    The shell's keys (:mod:`scene_gym.envs.shell`) plus ``error_index``, ``error_tool``, ``error_field``,
    ``call`` (the record of the call) and ``minutes`` (tool time so far).

    ## Arguments
    As ``SceneSynthTrajectory-v1`` plus ``max_steps=20``; ``image_size=(256, 256)`` (None: no image).

    ## Version History
    * v1: one env shell: Unicode text spaces; ``quality``/``terms`` became the shell's
      ``reward_value``/``reward_terms``; the review and the reward share one evaluation per step; a failing
      reward undoes the call.
    * v0: initial version.
    """

    KIND = "toolstep"

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 20, image_size=(256, 256), **kwargs: Any):
        self._review = ""
        super().__init__(render_mode, max_steps=max_steps, image_size=image_size, **kwargs)

    def _extra_spaces(self) -> dict[str, spaces.Space]:
        return {**super()._extra_spaces(), "review": text_space(FEEDBACK_MAX)}

    def _extra_obs(self) -> dict[str, Any]:
        review = review_text(self._eval.metrics, self._eval.value, self._eval.terms)
        return {**super()._extra_obs(), "review": clean_text(review, FEEDBACK_MAX)}

    def _apply(self, action: Any) -> Outcome:
        from scene_gym.actions.tools import ToolError, parse_trajectory, validate_call
        from scene_gym.actions.tools.definitions import scene_names

        try:
            try:
                text = action_text(action, CALLS_MAX)
            except SceneGymError as err:
                raise ToolError(str(err), field="call") from None
            raw = parse_trajectory(text)
            if len(raw) != 1:
                raise ToolError(f"expected exactly one tool call per step, got {len(raw)}", field="call")
            call = validate_call(raw[0], defined=scene_names(self.scene))
        except ToolError as err:
            out = self.refused(err, "call")
            out.info.update(call={}, minutes=self._minutes)
            return out
        minutes_before = self._minutes
        record, terminate = self.run_call(call)
        line = f"[{'ok' if record['ok'] else 'failed'}] {call.tool}: {record['message']}"
        return Outcome(valid=True, applied=record["applied"], failed=int(not record["ok"]), terminate=terminate,
                       error="" if record["ok"] else record["message"], lines=[line],
                       minutes=self._minutes - minutes_before, substitutions=self.substitutions(raw, [call]),
                       info={**NO_TOOL_ERROR, "call": record, "minutes": self._minutes})  # fmt: skip

    def _step_reward(self, before: Evaluation, after: Evaluation, outcome: Outcome) -> float:
        if not outcome.valid:
            return self.invalid_penalty
        return (after.value - before.value) - self.time_weight * outcome.minutes
