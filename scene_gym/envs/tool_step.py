"""``SceneSynthToolStep-v0``: one tool call per step with a review after each (SceneWeaver's execute-review)."""

from __future__ import annotations

from scene_gym.envs import common as C
from scene_gym.envs.tool_common import ToolEnvBase, review_text


class SceneSynthToolStepEnv(ToolEnvBase):
    """Call one tool per step and read the review of the result.

    ## Description
    SceneWeaver's execute-review loop over the tools of :mod:`scene_gym.actions.tools` (the same as
    ``SceneSynthTrajectory-v0``). Each step holds exactly one call; it is validated, then applied as a
    transaction. After it the observation carries a review: the metrics (collisions, out-of-bounds, support,
    navigability...), the judge's grades and Q, and a top-down render with the object ids.

    ## Action Space
    ``Text(100000)``: one call as JSON, ``{"tool": "add_objects", "args": {...}}`` (a one-element list or an
    OpenAI ``tool_calls`` message with one call is accepted too).

    ## Observation Space
    ``Dict``: ``image`` Box(0, 255, (H, W, 3), uint8), top-down with ids (only with ``image_size``, default
    256 x 256); ``prompt``; ``catalogue``; ``scene`` (scene DSL); ``review`` Text(8192); ``feedback``.

    ## Rewards
    The change in the composition score: ``(Q_t - Q_{t-1}) - time_weight * T_call`` (Q and T as in
    ``SceneSynthTrajectory-v0``); an invalid call or one that fails on the scene changes nothing and earns
    ``invalid_penalty`` (default -1) or ``-time_weight * T_call`` respectively.

    ## Starting State
    As ``SceneSynthTrajectory-v0``.

    ## Episode End
    Terminated by ``terminate``; truncated after ``max_steps`` (20) steps.

    ## Info
    ``valid``, ``error``, ``error_index``, ``error_tool``, ``error_field``, ``call`` (the record of the call),
    ``quality``, ``minutes``, ``terms``.

    ## Arguments
    As ``SceneSynthTrajectory-v0`` plus ``max_steps=20``; ``image_size=(256, 256)`` (None: no image).

    ## Version History
    * v0: initial version.
    """

    KIND = "SceneSynthToolStep-v0"

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 20, image_size=(256, 256), **kwargs):
        from scene_gym.errors import SceneGymError

        if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
            raise SceneGymError(f"expected max_steps as a positive integer, got {max_steps!r}")
        self.max_steps = max_steps
        self._review = ""
        super().__init__(render_mode, image_size=image_size, **kwargs)

    def _extra_spaces(self) -> dict:
        return {"review": C.text_space(C.FEEDBACK_MAX)}

    def _extra_obs(self) -> dict:
        return {"review": C.clean_text(self._review, C.FEEDBACK_MAX)}

    def _on_reset(self) -> None:
        self._review = review_text(self.scene, self._get_world(), self._q, self._terms)

    def _extra_state(self) -> dict:
        return {"review": self._review}

    def _load_extra_state(self, data: dict) -> None:
        self._review = str(data.get("review", ""))

    def step(self, action):
        import gymnasium as gym

        from scene_gym.actions.tools import ToolError, parse_trajectory, validate_call

        if self.scene is None:
            raise gym.error.ResetNeeded("expected reset() before step()")
        self._steps += 1
        text, error = C.action_text(action)
        info = {"valid": True, "error": "", "error_index": -1, "error_tool": "", "error_field": "", "call": {}}
        terminated = False
        try:
            if text is None:
                raise ToolError(error, field="call")
            calls = parse_trajectory(text)
            if len(calls) != 1:
                raise ToolError(f"expected exactly one tool call per step, got {len(calls)}", field="call")
            call = validate_call(calls[0])
        except ToolError as err:
            info.update(self.invalid(err))
            reward = self.invalid_penalty
            self._feedback = f"invalid call, nothing was run: {err}"
        else:
            before = self._q
            record, terminated = self.run_call(call)
            self._q, self._terms = self._score()
            reward = (self._q - before) - self.time_weight * record["minutes"]
            info["call"] = record
            self._feedback = (f"[{'ok' if record['ok'] else 'failed'}] {call.tool}: {record['message']}\n"
                              f"reward {reward:+.3f} (Q {before:.3f} -> {self._q:.3f}, {record['minutes']:.3f} min)")  # fmt: skip
            self._review = review_text(self.scene, self._get_world(), self._q, self._terms)
        truncated = not terminated and self._steps >= self.max_steps
        info.update(quality=self._q, minutes=self._minutes, terms=dict(self._terms), step=self._steps)
        return self._obs(), float(reward), terminated, truncated, info
