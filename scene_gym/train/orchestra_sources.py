"""Where SceneOrchestra's trajectories and stepwise alternatives come from, besides a trained orchestrator.

- :func:`make_source`: a rollout source spec -> a policy: ``"heuristic"``, ``"perturbed-heuristic"`` or
  ``"perturbed-heuristic:RATE"`` (:class:`PerturbedHeuristic`), any :func:`~scene_gym.agents.make_policy` spec
  (``"vlm:PATH"``), or a :class:`~scene_gym.agents.Policy` object as is.
- :func:`perturb_calls`: random edits of a plan (calls dropped, duplicated, moved, categories swapped, counts
  changed, relations dropped, ``optimize_physics`` dropped, a tool name misspelt), so early data holds plans both
  better and worse than the heuristic's.
- Proposers for stepwise DPO, ``propose(messages, history, rollout) -> [alternative next calls]``:
  :func:`heuristic_proposer` (edits of the rollout's own next call, no model) and :func:`model_proposer` (samples
  of a checkpoint for the step chat, each parsed as one call).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.agents import Candidate
from scene_gym.agents.heuristic import HeuristicPolicy
from scene_gym.errors import SceneGymError
from scene_gym.train.orchestra_rollouts import OrchestraError, OrchestraRollout


# --- sources -----------------------------------------------------------------------------------------------------
def _swap_categories(calls: list[dict], rng: np.random.Generator) -> None:
    adds = [c for c in calls if c.get("tool") == "add_objects" and "category" in c.get("args", {})]
    if len(adds) >= 2:
        a, b = rng.choice(len(adds), 2, replace=False)
        adds[a]["args"]["category"], adds[b]["args"]["category"] = (
            adds[b]["args"]["category"],
            adds[a]["args"]["category"],
        )


def _edit_count(calls: list[dict], rng: np.random.Generator) -> None:
    counted = [c for c in calls if isinstance(c.get("args", {}).get("count"), int)]
    if counted:
        call = counted[int(rng.integers(len(counted)))]
        call["args"]["count"] = int(
            np.clip(round(call["args"]["count"] * rng.choice([0.5, 2.0, 3.0])), 1, 20)
        )


def perturb_calls(
    calls: Sequence[Mapping[str, Any]], rng: np.random.Generator, rate: float = 0.3
) -> list[dict]:
    """A copy of ``calls`` with random edits, each with probability ``rate`` (at least one is made): drop a
    call, duplicate an ``add_objects``, move a call later, swap two ``add_objects`` categories, halve or multiply a
    ``count``, drop a call's relations, drop ``optimize_physics``, misspell a tool name (the plan becomes invalid;
    at ``rate / 4``). ``init_room`` stays first and ``terminate`` last."""
    out = [copy.deepcopy(dict(c)) for c in calls]
    head = 1 if out and out[0].get("tool") == "init_room" else 0
    tail = 1 if out and out[-1].get("tool") == "terminate" else 0
    edits = ["drop", "duplicate", "move", "swap", "count", "relations", "physics"]
    chosen = [e for e in edits if rng.random() < rate] or [edits[int(rng.integers(len(edits)))]]
    for edit in chosen:
        body = range(head, len(out) - tail)
        if not len(body):
            break
        k = int(rng.choice(body))
        if edit == "drop":
            out.pop(k)
        elif edit == "duplicate" and out[k].get("tool") == "add_objects":
            out.insert(k + 1, copy.deepcopy(out[k]))
        elif edit == "move":
            moved = out.pop(k)
            out.insert(len(out) - tail, moved)
        elif edit == "swap":
            _swap_categories(out, rng)
        elif edit == "count":
            _edit_count(out, rng)
        elif edit == "relations":
            out[k].get("args", {}).pop("relations", None)
        elif edit == "physics":
            out = [c for c in out if c.get("tool") != "optimize_physics"]
    if rng.random() < rate / 4 and len(out) > head + tail:
        k = int(rng.integers(head, len(out) - tail))
        name = str(out[k].get("tool", ""))
        out[k]["tool"] = "".join(
            p.capitalize() if i else p for i, p in enumerate(name.split("_"))
        )  # addObjects
    return out


def make_source(spec: Any, seed: int = 0):
    """The policy behind a source spec (module docstring); a :class:`~scene_gym.agents.Policy` is returned as is."""
    from scene_gym.agents import Policy, make_policy

    if isinstance(spec, Policy):
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise OrchestraError(f"sources: expected policy specs or Policy objects, got {spec!r}")
    name, _, arg = spec.strip().partition(":")
    if name == "perturbed-heuristic":
        return PerturbedHeuristic(seed, rate=_rate(arg, spec) if arg else 0.3)
    try:
        return make_policy(spec, seed=seed)
    except SceneGymError as err:
        raise OrchestraError(f"sources: {err}") from None


def _rate(arg: str, spec: str) -> float:
    try:
        rate = float(arg)
    except ValueError:
        rate = float("nan")
    if not 0.0 <= rate <= 1.0:
        raise OrchestraError(
            f"sources: expected 'perturbed-heuristic:RATE' with RATE in [0, 1], got {spec!r}"
        )
    return rate


class PerturbedHeuristic(HeuristicPolicy):
    """The heuristic planner whose ``trajectory`` samples are edited by :func:`perturb_calls`.

    Args:
        seed: seeds the planner and the edits.
        rate: probability of each edit, in [0, 1].
    """

    name = "perturbed-heuristic"

    def __init__(self, seed: int | None = None, *, rate: float = 0.3, **kwargs: Any):
        super().__init__(seed, **kwargs)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0.0 <= rate <= 1.0:
            raise OrchestraError(f"rate: expected a probability in [0, 1], got {rate!r}")
        self.rate = float(rate)

    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: Any = None) -> list[Candidate]:
        """``n`` edited heuristic trajectories (JSON text) for a ``SceneSynthTrajectory-v1`` observation."""
        out = []
        for cand in super().sample(observation, n, kind=kind or "trajectory"):
            calls = perturb_calls(json.loads(cand.text), self.rng, self.rate)
            text = json.dumps(calls)
            out.append(Candidate(text, text=text, meta={**cand.meta, "perturbed": True}))
        return out

    def describe(self) -> dict[str, Any]:
        """The heuristic's description plus ``rate``."""
        return {**super().describe(), "rate": self.rate}


def source_name(spec: Any, policy) -> str:
    """The ``source`` recorded for a spec: the spec string, or ``model:<policy name>`` for a policy object."""
    return spec if isinstance(spec, str) else f"model:{getattr(policy, 'name', type(policy).__name__)}"


# --- proposers for stepwise DPO -----------------------------------------------------------------------------------
Proposer = Callable[[list[dict], list[dict], OrchestraRollout], list[dict]]


def heuristic_proposer(seed: int = 0, n: int = 3) -> Proposer:
    """A proposer for :func:`stepwise_dpo_pairs` without a model: up to ``n`` edits of the rollout's own next
    call (count halved or doubled, category swapped with another ``add_objects`` call's, relations dropped, the
    call after it instead, the tool name misspelt), each different from the original."""
    rng = np.random.default_rng(seed)

    def propose(messages: list[dict], history: list[dict], rollout: OrchestraRollout) -> list[dict]:
        k = len(history)
        orig = rollout.calls[k]
        args = dict(orig.get("args") or {})
        options: list[dict] = []
        if isinstance(args.get("count"), int):
            options += [{**orig, "args": {**args, "count": max(1, args["count"] // 2)}},
                        {**orig, "args": {**args, "count": min(20, args["count"] * 2)}}]  # fmt: skip
        cats = sorted({c["args"]["category"] for c in rollout.calls
                       if c.get("tool") == "add_objects" and isinstance((c.get("args") or {}).get("category"), str)})  # fmt: skip
        others = [c for c in cats if c != args.get("category")]
        if "category" in args and others:
            options.append({**orig, "args": {**args, "category": others[int(rng.integers(len(others)))]}})
        if "relations" in args:
            options.append({**orig, "args": {k2: v for k2, v in args.items() if k2 != "relations"}})
        if k + 1 < len(rollout.calls):
            options.append(rollout.calls[k + 1])
        name = str(orig.get("tool", ""))
        options.append(
            {**orig, "tool": "".join(p.capitalize() if i else p for i, p in enumerate(name.split("_")))}
        )
        distinct = []
        for o in options:
            if o != orig and o not in distinct:
                distinct.append(o)
        order = rng.permutation(len(distinct))
        return [distinct[i] for i in order[:n]]

    return propose


def model_proposer(model_path: str | Path, n: int = 3, *, temperature: float = 1.0, max_new_tokens: int = 128,
                   seed: int = 0, device: str = "auto") -> Proposer:  # fmt: skip
    """A proposer sampling ``n`` answers (at ``temperature``, ``max_new_tokens`` tokens each) of the checkpoint at
    ``model_path`` for the step chat; each answer that parses as exactly one call object is an alternative (a call
    the env then refuses is paired as the rejected one). The model is loaded on first use; ``seed`` seeds the
    sampling of each call in turn."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise OrchestraError(f"n: expected an integer >= 1, got {n!r}")
    rng = np.random.default_rng(seed)
    holder: dict[str, Any] = {}

    def propose(messages: list[dict], history: list[dict], rollout: OrchestraRollout) -> list[dict]:
        from scene_gym.actions.tools import ToolError, parse_trajectory
        from scene_gym.agents.vlm.generation import generate
        from scene_gym.llm.local_models import load_checkpoint
        from scene_gym.train.sft import resolve_device

        if "model" not in holder:
            holder["model"] = load_checkpoint(model_path, device=resolve_device(device))
        gens = generate(holder["model"], [messages], n, temperature, max_new_tokens=max_new_tokens,
                        seed=int(rng.integers(2**31 - 1)))[0]  # fmt: skip
        out = []
        for g in gens:
            try:
                raw = parse_trajectory(g.text)
            except ToolError:
                continue
            if len(raw) == 1 and isinstance(raw[0], dict) and raw[0] not in out:
                out.append(raw[0])
        return out

    return propose
