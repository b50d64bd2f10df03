"""The heuristic teacher of :mod:`scene_gym.train.orchestra` in a compact form for tiny models.

The heuristic's trajectories are ~17 calls and ~590 tokens of JSON under a 2,000-token tiny tokenizer (median on
the 16 held-out pairs; its ``relations``, ``size`` and ``reason`` arguments and the ``add_crowd`` calls for small
objects make most of it). A tiny orchestrator on a 2-core CPU learns shorter plans in the time it has, so the
config can make the teacher compact: ``demo_crowd_scale = 0`` leaves the small objects out (no ``add_crowd``)
and ``demo_drop_args`` removes arguments from every call (the layout solver then places objects without the
relations). Measured on the same 16 pairs: full heuristic C 11.85 (587 tokens), without relations/size/reason
11.24 (463), without small objects 9.87 (418), both 9.30 (312 tokens median, 392 max).

The compact teacher writes the demonstrations and the heuristic/perturbed rollouts; the evaluation reports both
the full heuristic (``heuristic``) and the compact teacher (``teacher``) when they differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scene_gym.agents.heuristic import HeuristicPolicy
from scene_gym.train.orchestra_data import PerturbedHeuristic


def drop_args(calls: Sequence[Mapping[str, Any]], names: Sequence[str]) -> list[dict]:
    """``calls`` with the argument keys ``names`` removed from each call's ``args``."""
    return [
        {**c, "args": {k: v for k, v in dict(c.get("args") or {}).items() if k not in names}} for c in calls
    ]


def compact_plan(calls: Sequence[Mapping[str, Any]], drop: Sequence[str] = (), drop_tools: Sequence[str] = (),
                 max_calls: int = 0) -> list[dict]:  # fmt: skip
    """A plan made compact: the calls of ``drop_tools`` removed, the arguments ``drop`` removed, the first
    ``max_calls`` other calls kept (0: all) and ``terminate`` last (with no arguments when ``reason`` is dropped)."""
    body = [c for c in drop_args(calls, drop) if c.get("tool") not in (*drop_tools, "terminate")]
    end = [c for c in drop_args(calls, drop) if c.get("tool") == "terminate"][:1] or [
        {"tool": "terminate", "args": {}}
    ]
    return (body[:max_calls] if max_calls else body) + end


class CompactHeuristic(HeuristicPolicy):
    """The heuristic whose trajectories lose the arguments ``drop`` (and small objects at ``crowd_scale`` 0).

    Args:
        seed: planner seed.
        drop: argument names removed from every call (e.g. ``("relations", "size", "reason")``).
        crowd_scale: the heuristic's small objects per receptacle (0: no ``add_crowd`` calls).
    """

    name = "heuristic-compact"

    def __init__(self, seed: int | None = None, *, drop: Sequence[str] = (), drop_tools: Sequence[str] = (),
                 keep_calls: int = 0, crowd_scale: float = 1.0, **kwargs: Any):  # fmt: skip
        super().__init__(seed, crowd_scale=crowd_scale, **kwargs)
        self.drop, self.drop_tools, self.keep_calls = tuple(drop), tuple(drop_tools), int(keep_calls)

    def trajectory(self, prompt, rng=None, **kwargs) -> list[dict]:
        """The heuristic's calls made compact (:func:`compact_plan`)."""
        return compact_plan(
            super().trajectory(prompt, rng, **kwargs), self.drop, self.drop_tools, self.keep_calls
        )

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "drop": list(self.drop), "drop_tools": list(self.drop_tools),
                "keep_calls": self.keep_calls}  # fmt: skip


class CompactPerturbed(PerturbedHeuristic):
    """:class:`~scene_gym.train.orchestra_data.PerturbedHeuristic` edits of :class:`CompactHeuristic` plans."""

    name = "perturbed-heuristic-compact"

    def __init__(self, seed: int | None = None, *, drop: Sequence[str] = (), drop_tools: Sequence[str] = (),
                 keep_calls: int = 0, crowd_scale: float = 1.0, rate: float = 0.3, **kwargs: Any):  # fmt: skip
        super().__init__(seed, rate=rate, crowd_scale=crowd_scale, **kwargs)
        self.drop, self.drop_tools, self.keep_calls = tuple(drop), tuple(drop_tools), int(keep_calls)

    def trajectory(self, prompt, rng=None, **kwargs) -> list[dict]:
        """The heuristic's calls made compact (:func:`compact_plan`), edited afterwards by ``sample``."""
        return compact_plan(
            super().trajectory(prompt, rng, **kwargs), self.drop, self.drop_tools, self.keep_calls
        )


def compacted(config) -> bool:
    """Whether an :class:`~scene_gym.train.orchestra_config.OrchestraConfig` makes the teacher compact."""
    return bool(config.demo_drop_args or config.demo_drop_tools or config.demo_max_calls
                or config.demo_crowd_scale != 1.0)  # fmt: skip


def teacher_source(spec: str, seed: int, config):
    """``"heuristic"`` / ``"perturbed-heuristic[:RATE]"`` as their compact policies when the config's ``demo_*``
    fields ask for it; any other spec (and these when nothing is compacted) is returned as it is."""
    if not compacted(config):
        return spec
    kw = {"drop": config.demo_drop_args, "drop_tools": config.demo_drop_tools, "keep_calls": config.demo_max_calls,
          "crowd_scale": config.demo_crowd_scale}  # fmt: skip
    if spec == "heuristic":
        return CompactHeuristic(seed, **kw)
    name, _, arg = spec.partition(":")
    if name == "perturbed-heuristic":
        return CompactPerturbed(seed, rate=float(arg) if arg else 0.3, **kw)
    return spec
