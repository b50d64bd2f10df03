""":class:`HeuristicPolicy`: the offline planner behind ``make demo`` and the leaderboard's reference entry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from scene_gym.agents.base import Candidate, KindLike, Policy
from scene_gym.agents.heuristic.plan import make_plan
from scene_gym.agents.heuristic.tool_writer import plan_calls
from scene_gym.errors import SceneGymError


class HeuristicPolicy(Policy):
    """Room priors and a layout solver, no model: it serves every action format but ``control``.

    - ``dsl`` (``SceneSynth-v1``): furniture ``add`` statements, then ``place_on`` small objects and ``done()``
      (:mod:`.dsl_writer`).
    - ``trajectory`` (``SceneSynthTrajectory-v1``): the whole tool-call list (:mod:`.tool_writer`).
    - ``toolcall`` (``SceneSynthToolStep-v1``): the same list, one call per step, cut to ``max_calls`` (the env's
      step limit).
    - ``point`` (``SceneSynthAsset-v2``): free-surface points projected into the close-up (:mod:`.pointing`).

    Args:
        seed: seeds the planner's generator (room size jitter, crowd counts, solver seeds).
        max_calls: calls per tool-step episode (default 20, ``SceneSynthToolStep-v1``'s ``max_steps``).
        max_objects: objects per DSL scene (default 60, ``SceneSynth-v1``'s ``max_objects``).
        crowd_scale: multiplies the small objects per receptacle (0: none).
        kind: the env kind, or None until :meth:`reset` gives one.

    ``sample(observation, n)`` returns ``n`` candidates drawn with successive generator states (different room
    sizes and crowds); ``logprob`` is None.
    """

    name = "heuristic"
    version = "2"  # 2: builds what the catalog lacks as object programs (issue 14); part of the leaderboard key

    def __init__(self, seed: int | None = None, *, max_calls: int = 20, max_objects: int = 60,
                 crowd_scale: float = 1.0, kind: KindLike | None = None):  # fmt: skip
        super().__init__(seed, kind=kind)
        if isinstance(max_calls, bool) or not isinstance(max_calls, int) or max_calls < 3:
            raise SceneGymError(f"expected max_calls as an integer >= 3, got {max_calls!r}")
        if isinstance(max_objects, bool) or not isinstance(max_objects, int) or max_objects < 1:
            raise SceneGymError(f"expected max_objects as a positive integer, got {max_objects!r}")
        self.max_calls, self.max_objects, self.crowd_scale = max_calls, max_objects, float(crowd_scale)
        self.seed = seed
        self._episode: dict[str, Any] = {}

    def reset(self, seed: int | None = None, *, kind: KindLike | None = None) -> None:
        super().reset(seed, kind=kind)
        self._episode = {}

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "max_calls": self.max_calls, "max_objects": self.max_objects,
                "crowd_scale": self.crowd_scale}  # fmt: skip

    # --- plans ----------------------------------------------------------------------------------------------
    def trajectory(self, prompt, rng: np.random.Generator | None = None, **kwargs) -> list[dict]:
        """The tool calls (``{"tool", "args"}`` dicts) that build a scene for ``prompt`` (text, TaskSpec or
        its dict); ``kwargs`` go to :func:`~.tool_writer.plan_calls`."""
        plan = make_plan(prompt, rng if rng is not None else self.rng, crowd_scale=self.crowd_scale)
        return plan_calls(plan, **kwargs)

    # --- acting ---------------------------------------------------------------------------------------------
    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        self.check_count(n)
        found = self.kind_for(kind)
        out = []
        for _ in range(n):
            rng = np.random.default_rng(int(self.rng.integers(2**63)))
            out.append(self._one(found.action_format, observation, rng, {"kind": found.name}))
        return out

    def _one(self, fmt: str, obs: Mapping[str, Any], rng: np.random.Generator, meta: dict) -> Candidate:
        if fmt == "point":
            from scene_gym.agents.heuristic.pointing import point_action

            action = point_action(obs, rng)
            return Candidate(action, text=None, meta=meta)
        if fmt == "dsl":
            from scene_gym.agents.heuristic.dsl_writer import dsl_action

            text = dsl_action(obs, rng, max_objects=self.max_objects, crowd_scale=self.crowd_scale)
            return Candidate(text, text=text, meta=meta)
        prompt = str(obs.get("prompt", ""))
        if fmt == "trajectory":
            text = json.dumps(self.trajectory(prompt, rng))
            return Candidate(text, text=text, meta=meta)
        return self._tool_step(obs, prompt, rng, meta)

    def _tool_step(self, obs: Mapping[str, Any], prompt: str, rng: np.random.Generator, meta: dict) -> Candidate:
        """One call of the episode's plan. The plan is made on the episode's first observation (feedback
        "new episode..."); each new observation (a different scene/feedback/review text) moves to the next call,
        so several ``sample`` calls on one observation all answer the same step."""
        key = hashlib.sha1("\x00".join(str(obs.get(k, "")) for k in ("scene", "feedback", "review")).encode()).hexdigest()
        ep = self._episode
        if str(obs.get("feedback", "")).startswith("new episode") or ep.get("prompt") != prompt or "calls" not in ep:
            if ep.get("first") != key:
                ep.clear()
                ep.update(prompt=prompt, first=key, last=key, index=0,
                          calls=self.trajectory(prompt, rng, max_calls=self.max_calls))  # fmt: skip
        elif ep.get("last") != key:
            ep["index"] += 1
            ep["last"] = key
        calls = ep["calls"]
        call = calls[min(ep["index"], len(calls) - 1)]
        text = json.dumps(call)
        return Candidate(text, text=text, meta={**meta, "index": ep["index"]})
