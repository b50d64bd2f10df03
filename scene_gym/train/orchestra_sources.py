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
    return [{**c, "args": {k: v for k, v in dict(c.get("args") or {}).items() if k not in names}} for c in calls]


class CompactHeuristic(HeuristicPolicy):
    """The heuristic whose trajectories lose the arguments ``drop`` (and small objects at ``crowd_scale`` 0).

    Args:
        seed: planner seed.
        drop: argument names removed from every call (e.g. ``("relations", "size", "reason")``).
        crowd_scale: the heuristic's small objects per receptacle (0: no ``add_crowd`` calls).
    """

    name = "heuristic-compact"

    def __init__(self, seed: int | None = None, *, drop: Sequence[str] = (), crowd_scale: float = 1.0, **kwargs: Any):
        super().__init__(seed, crowd_scale=crowd_scale, **kwargs)
        self.drop = tuple(drop)

    def trajectory(self, prompt, rng=None, **kwargs) -> list[dict]:
        """The heuristic's calls with :attr:`drop` removed."""
        return drop_args(super().trajectory(prompt, rng, **kwargs), self.drop)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "drop": list(self.drop)}


class CompactPerturbed(PerturbedHeuristic):
    """:class:`~scene_gym.train.orchestra_data.PerturbedHeuristic` edits of :class:`CompactHeuristic` plans."""

    name = "perturbed-heuristic-compact"

    def __init__(self, seed: int | None = None, *, drop: Sequence[str] = (), crowd_scale: float = 1.0,
                 rate: float = 0.3, **kwargs: Any):  # fmt: skip
        super().__init__(seed, rate=rate, crowd_scale=crowd_scale, **kwargs)
        self.drop = tuple(drop)

    def trajectory(self, prompt, rng=None, **kwargs) -> list[dict]:
        """The heuristic's calls with :attr:`drop` removed (edited afterwards by ``sample``)."""
        return drop_args(super().trajectory(prompt, rng, **kwargs), self.drop)


def teacher_source(spec: str, seed: int, drop: Sequence[str], crowd_scale: float):
    """``"heuristic"`` / ``"perturbed-heuristic[:RATE]"`` as their compact policies when ``drop`` or
    ``crowd_scale`` asks for it; any other spec (and these when nothing is compacted) is returned as it is."""
    if not drop and crowd_scale == 1.0:
        return spec
    if spec == "heuristic":
        return CompactHeuristic(seed, drop=drop, crowd_scale=crowd_scale)
    name, _, arg = spec.partition(":")
    if name == "perturbed-heuristic":
        return CompactPerturbed(seed, drop=drop, crowd_scale=crowd_scale, rate=float(arg) if arg else 0.3)
    return spec

