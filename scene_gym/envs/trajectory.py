"""``SceneSynthTrajectory-v1``: a whole tool-call trajectory per episode, validated then run (SceneOrchestra)."""

from __future__ import annotations

from typing import Any

from scene_gym.envs.shell import Evaluation, Outcome
from scene_gym.envs.spaces import CALLS_MAX, action_text
from scene_gym.envs.tool_common import NO_TOOL_ERROR, ToolEnv
from scene_gym.errors import SceneGymError


class SceneSynthTrajectoryEnv(ToolEnv):
    """Write the complete list of tool calls that builds the scene; it is validated in full, then run.

    ## Description
    SceneOrchestra's trajectory level over SceneWeaver's tools (:mod:`scene_gym.actions.tools`: ``init_room``,
    ``init_layout``, ``add_objects``, ``add_crowd``, ``add_relation``, ``update_layout``, ``update_rotation``,
    ``update_size``, ``remove_objects``, ``optimize_physics``, ``terminate``). One step per episode. The whole
    trajectory is validated before anything runs: an unknown tool (``addCrowd`` for ``add_crowd``) or a bad
    argument makes it invalid, nothing runs, the reward is ``invalid_penalty`` and ``info`` names the call
    (``error_index``), the tool and the field. A valid trajectory runs call by call; a call that fails on this
    scene (an unknown id) changes nothing and is recorded; ``terminate`` stops the run. If the reward fails, the
    whole trajectory is undone (``info["reward_error"]``).

    ## Action Space
    ``UnicodeText(100000)``: a JSON list ``[{"tool": "init_layout", "args": {...}}, ...]``; OpenAI-style
    ``{"tool_calls": [{"function": {"name": ..., "arguments": "..."}}]}`` and a Markdown code fence are accepted.

    ## Observation Space
    ``Dict``: ``image`` Box uint8 (H, W, 3), the top-down view with ids, only with ``image_size``; ``prompt``
    UnicodeText(1024); ``catalogue`` UnicodeText(16384), the tools with their arguments; ``scene``
    UnicodeText(32768), the scene in the scene DSL; ``feedback`` UnicodeText(8192).

    ## Rewards
    The composition score ``C = Q - time_weight * T`` less the starting scene's ``Q``: ``Q`` SceneOrchestra's
    quality (reward ``"q"``: 0.1 Q_phy + Q_vis from the offline judge, or any ``reward=``), ``T`` minutes of
    tool time (nominal costs by default), ``time_weight`` 0.05 per minute. An empty room scores ``Q = 0``, so
    from the usual empty start the reward is ``C`` itself and an empty trajectory ``[]`` earns 0; from a given
    populated scene (``options["scene"]``) the trajectory earns what it adds, not what it was handed
    (``info["composition"]`` stays ``C``). Invalid trajectories get ``invalid_penalty`` (default -1).

    ## Starting State
    An empty room of the prompt's type (as ``SceneSynth-v1``); ``options`` may give ``prompt`` or ``scene``.

    ## Episode End
    Terminated after the one step.

    ## Info
    The shell's keys (:mod:`scene_gym.envs.shell`) plus ``error_index``, ``error_tool``, ``error_field``;
    ``calls`` (per call: tool, ok, applied, message, changed_ids, minutes, cumulative_minutes and, with
    ``per_call_quality``, ``quality``: the reward's value after the call); ``minutes``; ``composition`` (C).

    ## Arguments
    ``render_mode="rgb_array"``, ``reward=None`` (Q; any reward spec or callable), ``time_weight=0.05``,
    ``invalid_penalty=-1.0``, ``time_source="nominal"`` or ``"measured"`` (wall time makes rewards vary run
    to run), ``per_call_quality=True`` (one evaluation per call; False: one per trajectory),
    ``solver_budget_s=10.0`` (the layout solver's wall-clock safety limit per solve, seconds; its work budget
    keeps results the same on a busy machine), ``image_size=None``.

    ## Version History
    * v1 (rewards v2): the reward subtracts the starting scene's ``Q`` (0 for an empty room), so an empty
      trajectory earns nothing from any start.
    * v1: one env shell: Unicode text spaces; ``quality``/``terms``/``metrics`` became the shell's
      ``reward_value``/``reward_terms``/``metrics``; the final metrics and Q come from one evaluation; a
      failing reward undoes the trajectory.
    * v0: initial version.
    """

    KIND = "trajectory"

    def __init__(self, render_mode: str | None = None, *, per_call_quality: bool = True, **kwargs: Any):
        kwargs.pop("max_steps", None)  # one step per episode, whatever the registration says
        super().__init__(render_mode, max_steps=1, **kwargs)
        self.per_call_quality = bool(per_call_quality)

    def _apply(self, action: Any) -> Outcome:
        from scene_gym.actions.tools import ToolError, parse_trajectory, validate_trajectory
        from scene_gym.actions.tools.definitions import scene_names

        try:
            try:
                text = action_text(action, CALLS_MAX)
            except SceneGymError as err:
                raise ToolError(str(err), field="trajectory") from None
            raw = parse_trajectory(text)
            calls = validate_trajectory(raw, defined=scene_names(self.scene))
        except ToolError as err:
            out = self.refused(err, "trajectory")
            out.info.update(calls=[], minutes=self._minutes)
            return out
        lines, records, done, applied = [], [], False, False
        for call in calls:
            if done:
                records.append({"index": call.index, "tool": call.tool, "ok": False, "applied": False,
                                "message": "not run: after terminate", "skipped": True})  # fmt: skip
                continue
            record, done = self.run_call(call)
            applied = applied or record["applied"]
            if self.per_call_quality and record["applied"]:
                self._eval = self._evaluate()
            if self.per_call_quality:
                record["quality"] = self._eval.value
            records.append(record)
            lines.append(
                f"[{'ok' if record['ok'] else 'failed'}] call {call.index} {call.tool}: {record['message']}"
            )
        if not calls:
            lines.append("empty trajectory: nothing to run")
        failed = [r for r in records if not r["ok"] and not r.get("skipped")]
        return Outcome(valid=True, applied=applied, failed=len(failed), terminate=True, lines=lines,
                       error="; ".join(r["message"] for r in failed), minutes=self._minutes,
                       substitutions=self.substitutions(raw, calls),
                       info={**NO_TOOL_ERROR, "calls": records, "minutes": self._minutes})  # fmt: skip

    def _terminal(self, outcome: Outcome) -> bool:
        return True  # one trajectory per episode, whatever happened to it

    def _step_reward(self, before: Evaluation, after: Evaluation, outcome: Outcome) -> float:
        if not outcome.valid:
            return self.invalid_penalty
        # minus the starting scene's score: a given populated scene earns nothing for being left as it was
        return after.value - before.value - self.time_weight * self._minutes

    def _info(self, outcome: Outcome, reward_error: str = "") -> dict[str, Any]:
        info = super()._info(outcome, reward_error)
        if self._steps:
            info.setdefault("calls", [])
            info.setdefault("minutes", self._minutes)
            info["composition"] = self._eval.value - self.time_weight * self._minutes
        return info
