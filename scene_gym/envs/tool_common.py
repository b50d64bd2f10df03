"""The shell of the two tool environments (``SceneSynthTrajectory-v1``, ``SceneSynthToolStep-v1``): the tool
catalogue observation, running validated calls through :func:`scene_gym.actions.tools.apply_tool`, tool time,
and the review text.

Q is SceneOrchestra's ``Q = 0.1 Q_phy + Q_vis`` from the offline judge by default (reward ``"q"``), or the
value of any reward given as ``reward=``. Time ``T`` is in minutes; by default it sums the tools' *nominal*
costs (``TOOLS[name].nominal_cost_s``), which keeps rewards deterministic; ``time_source="measured"`` uses
``ToolResult.cost_s`` (nominal + measured wall time).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from scene_gym.envs.shell import Outcome, SceneEnv
from scene_gym.envs.spaces import CALLS_MAX, SCENE_MAX, clean_text, text_space
from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene

CATALOGUE_MAX = 16384
"""Characters of the tool catalogue observation."""


def review_text(metrics, value: float, terms: dict) -> str:
    """A short review of a scored scene: object count, physics problems, navigability, the reward's terms and
    value (``metrics`` from :func:`scene_gym.metrics.evaluate`)."""
    m = metrics
    pairs = f" ({', '.join('-'.join(p) for p in m.collisions[:4])})" if m.collisions else ""
    parts = [f"{m.n_obj} objects", f"{m.n_collisions} collisions{pairs}",
             f"{m.n_oob} out of the room" + (f" ({', '.join(m.oob[:4])})" if m.oob else ""),
             f"{len(m.unsupported)} unsupported", f"navigability {m.nav:.2f}", f"accessibility {m.acc:.2f}"]  # fmt: skip
    grades = ", ".join(f"{k} {v:.2f}" for k, v in terms.items())
    return f"review: {'; '.join(parts)}.\nscores: {grades}; Q {value:.3f}"


NO_TOOL_ERROR = {"error_index": -1, "error_tool": "", "error_field": ""}
"""The tool-error ``info`` keys of an action that was read and validated."""


def tool_error_info(err: SceneGymError) -> dict[str, Any]:
    """``error_index``, ``error_tool`` and ``error_field`` of a tool-validation error (-1 and "" when unknown)."""
    index = getattr(err, "index", None)
    return {"error_index": -1 if index is None else index, "error_tool": getattr(err, "tool", None) or "",
            "error_field": getattr(err, "field", None) or ""}  # fmt: skip


class ToolEnv(SceneEnv):
    """Shared state and plumbing of the tool envs; subclasses implement ``_apply`` and their spec card.

    Args (besides the shell's): ``time_weight`` (w in ``C = Q - w T``, per minute), ``time_source``
    (``"nominal"`` or ``"measured"``), ``invalid_penalty`` (the reward of an unreadable action; default -1).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 1}
    DEFAULT_REWARD = "q"

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 1, reward: Any = None,
                 time_weight: float = 0.05, invalid_penalty: float = -1.0, time_source: str = "nominal",
                 solver_budget_s: float = 10.0, image_size=None, prompts=None):  # fmt: skip
        from scene_gym.actions.tools import catalogue

        if time_source not in ("nominal", "measured"):
            raise SceneGymError(f"expected time_source 'nominal' or 'measured', got {time_source!r}")
        if not np.isfinite(time_weight) or time_weight < 0:
            raise SceneGymError(f"expected time_weight >= 0 per minute, got {time_weight!r}")
        self.time_weight, self.time_source = float(time_weight), time_source
        self.catalogue = clean_text(catalogue(fmt="text"), CATALOGUE_MAX)
        self._minutes = 0.0
        super().__init__(render_mode, max_steps=max_steps, image_size=image_size, reward=reward,
                         invalid_penalty=invalid_penalty, prompts=prompts, solver_budget_s=solver_budget_s)  # fmt: skip

    # --- shell hooks -------------------------------------------------------------------------------------------
    def _action_space(self) -> spaces.Space:
        return text_space(CALLS_MAX)

    def _extra_spaces(self) -> dict[str, spaces.Space]:
        return {"catalogue": text_space(CATALOGUE_MAX), "scene": text_space(SCENE_MAX)}

    def _extra_obs(self) -> dict[str, Any]:
        from scene_gym.actions.dsl.printer import scene_to_dsl

        return {"catalogue": self.catalogue, "scene": clean_text(scene_to_dsl(self.scene), SCENE_MAX)}

    def _render_image(self, size: tuple[int, int]) -> np.ndarray:
        return self.renderer().views(self.scene, "topdown_ids", size=size)["topdown_ids"].rgb

    def _on_reset(self, options: dict) -> str:
        self._minutes = 0.0
        w, d = self.scene.room.bounds
        return f"new episode: {self.scene.room.type} of {w:.1f} x {d:.1f} m with {len(self.scene)} objects"

    def _elapsed_minutes(self) -> float:
        return self._minutes

    def _save_counters(self) -> dict[str, Any]:
        return {**super()._save_counters(), "_minutes": self._minutes}

    def _extra_state(self) -> dict[str, Any]:
        return {"minutes": self._minutes}

    def _parse_extra_state(self, data: dict, scene: Scene) -> dict[str, Any]:
        minutes = data.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not np.isfinite(minutes) or minutes < 0:
            raise SceneGymError(f"state.minutes: expected a finite number of minutes >= 0, got {minutes!r:.80}")
        return {"_minutes": float(minutes)}

    # --- running calls -----------------------------------------------------------------------------------------
    def run_call(self, call) -> tuple[dict[str, Any], bool]:
        """Apply one validated call; returns (a JSON-ready record, terminate). A call that fails to apply leaves
        the scene unchanged and is recorded with its error; its nominal time still counts."""
        from scene_gym.actions.tools import TOOLS, ToolError, apply_tool

        record: dict[str, Any] = {"index": call.index, "tool": call.tool}
        try:
            res = apply_tool(self.scene, call, rng=self.np_random, world=self.world(),
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

    @staticmethod
    def substitutions(raw_calls: list, calls: list) -> list[dict]:
        """Categories a call named by another name (``"couch"`` -> sofa), from the raw and validated calls, as
        ``{"requested", "used", "score", "how"}`` records (:func:`~scene_gym.actions.edit.substitution_record`)."""
        from scene_gym.actions.edit import substitution_record

        out = []
        for raw, call in zip(raw_calls, calls, strict=False):
            args = raw.get("args") if isinstance(raw, dict) else None
            requested = args.get("category") if isinstance(args, dict) else None
            record = substitution_record(requested, getattr(call.args, "category", None))
            if record is not None:
                out.append(record)
        return out

    @staticmethod
    def refused(err: SceneGymError, what: str) -> Outcome:
        """The outcome of a call text that could not be read or validated: nothing ran."""
        return Outcome(valid=False, error=str(err), lines=[f"invalid {what}, nothing was run: {err}"],
                       info=tool_error_info(err))  # fmt: skip
