"""``SceneSynthTrajectory-v0``: a whole tool-call trajectory per episode, validated then run (SceneOrchestra)."""

from __future__ import annotations

from scene_gym.envs import common as C
from scene_gym.envs.tool_common import ToolEnvBase


class SceneSynthTrajectoryEnv(ToolEnvBase):
    """Write the complete list of tool calls that builds the scene; it is validated in full, then run.

    ## Description
    SceneOrchestra's trajectory level over SceneWeaver's tools (:mod:`scene_gym.actions.tools`: ``init_room``,
    ``init_layout``, ``add_objects``, ``add_crowd``, ``add_relation``, ``update_layout``, ``update_rotation``,
    ``update_size``, ``remove_objects``, ``optimize_physics``, ``terminate``). One step per episode. The whole
    trajectory is validated before anything runs: an unknown tool (``addCrowd`` for ``add_crowd``) or a bad
    argument makes it invalid, nothing runs, the reward is ``invalid_penalty`` and ``info`` names the call
    (``error_index``), the tool and the field. A valid trajectory runs call by call; a call that fails on this
    scene (an unknown id) changes nothing and is recorded; ``terminate`` stops the run.

    ## Action Space
    ``Text(100000)``: a JSON list ``[{"tool": "init_layout", "args": {...}}, ...]``; OpenAI-style
    ``{"tool_calls": [{"function": {"name": ..., "arguments": "..."}}]}`` and a Markdown code fence are accepted.

    ## Observation Space
    ``Dict``: ``prompt`` Text(1024); ``catalogue`` Text(16384), the tools with their arguments; ``scene``
    Text(32768), the scene in the scene DSL; ``feedback`` Text(8192); ``image`` Box uint8 (H, W, 3), the top-down
    view with ids, only with ``image_size``.

    ## Rewards
    The composition score ``C = Q - time_weight * T``: ``Q`` SceneOrchestra's quality (0.1 Q_phy + Q_vis from
    the offline judge; see :mod:`scene_gym.envs.tool_common`), ``T`` minutes of tool time (nominal costs by
    default), ``time_weight`` 0.05 per minute. Invalid trajectories get ``invalid_penalty`` (default -1).

    ## Starting State
    An empty room of the prompt's type (as ``SceneSynth-v0``); ``options`` may give ``prompt`` or ``scene``.

    ## Episode End
    Terminated after the one step.

    ## Info
    ``valid``, ``error``, ``error_index``, ``error_tool``, ``error_field``; ``calls`` (per call: tool, ok,
    applied, message, changed_ids, minutes, cumulative_minutes, quality); ``quality``, ``minutes``,
    ``composition``, ``terms`` and the final ``metrics`` (:func:`scene_gym.metrics.evaluate`).

    ## Arguments
    ``render_mode="rgb_array"``, ``reward=None`` (Q; any reward spec or callable), ``time_weight=0.05``,
    ``invalid_penalty=-1.0``, ``time_source="nominal"`` or ``"measured"`` (wall time makes rewards vary run
    to run), ``per_call_quality=True``, ``solver_budget_s=0.5``, ``image_size=None``.

    ## Version History
    * v0: initial version.
    """

    KIND = "SceneSynthTrajectory-v0"

    def __init__(self, render_mode: str | None = None, *, per_call_quality: bool = True, **kwargs):
        super().__init__(render_mode, **kwargs)
        self.per_call_quality = bool(per_call_quality)

    def step(self, action):
        import gymnasium as gym

        from scene_gym.actions.tools import ToolError, parse_trajectory, validate_trajectory
        from scene_gym.metrics import evaluate

        if self.scene is None:
            raise gym.error.ResetNeeded("expected reset() before step()")
        self._steps += 1
        text, error = C.action_text(action)
        info = {"valid": True, "error": "", "error_index": -1, "error_tool": "", "error_field": "", "calls": []}
        try:
            if text is None:
                raise ToolError(error, field="trajectory")
            calls = validate_trajectory(parse_trajectory(text))
        except ToolError as err:
            info.update(self.invalid(err))
            self._feedback = f"invalid trajectory, nothing was run: {err}"
            reward = self.invalid_penalty
        else:
            lines, done = [], False
            for call in calls:
                if done:
                    info["calls"].append({"index": call.index, "tool": call.tool, "ok": False, "applied": False,
                                          "message": "not run: after terminate", "skipped": True})  # fmt: skip
                    continue
                record, done = self.run_call(call)
                if self.per_call_quality:
                    record["quality"], _ = self._score()
                info["calls"].append(record)
                lines.append(f"[{'ok' if record['ok'] else 'failed'}] call {call.index} {call.tool}: {record['message']}")
            self._q, self._terms = self._score()
            reward = self._q - self.time_weight * self._minutes
            lines.append(f"Q {self._q:.3f}, T {self._minutes:.3f} min, C = Q - {self.time_weight:g} T = {reward:.3f}")
            self._feedback = "\n".join(lines) if calls else "empty trajectory: nothing to run\n" + lines[-1]
        info.update(quality=self._q, minutes=self._minutes, composition=float(reward), terms=dict(self._terms),
                    metrics=evaluate(self.scene, self._get_world()).to_dict())  # fmt: skip
        return self._obs(), float(reward), True, False, info
