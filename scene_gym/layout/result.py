"""What :func:`scene_gym.layout.solve` returns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from scene_gym.scene import Scene

Size3 = tuple[float, float, float]


class Unsatisfied(NamedTuple):
    """A constraint the solver could not satisfy: its name (a relation name, or ``inside_room``,
    ``no_collision``, ``opening_clearance``, ``front_clearance``, ``size``, or ``time_limit`` when the wall-clock
    safety limit cut the solve short), the object ids involved (none for ``time_limit``), and why."""

    constraint: str
    ids: tuple[str, ...]
    reason: str


class Failure(NamedTuple):
    """An object that could not be placed at all: its id, category and why."""

    id: str
    category: str
    reason: str


@dataclass
class SolveResult:
    """Outcome of :func:`~scene_gym.layout.solve`.

    Attributes:
        scene: a copy of the input scene with the placed objects (the input scene is never modified).
        placed: ids placed or re-placed, in placement order.
        failed: objects that could not be placed (new ones are absent from ``scene``; existing ones keep
            their pose).
        unsatisfied: every constraint left unsatisfied, by name (relations scoring below
            :data:`~scene_gym.layout.evaluate.SATISFIED`, resized objects whose size was asked for, relations
            naming failed objects).
        scores: satisfaction of each relation in the order given (0 for relations naming failed objects).
        resized: id -> (asked size, placed size) for objects shrunk to fit.
        seed: the seed used.
        elapsed_s: wall time of the solve, seconds.
        evaluations: work done, in candidate poses checked against the hard constraints (what
            ``max_evaluations`` limits); the same for a seed on any machine unless ``time_limit_hit``.
        work_limit_hit: True when the work budget ran out: the rest got less effort or, past 1.5 times it, was
            given up (in ``failed``). Deterministic: the same seed and budgets give the same result anywhere.
        time_limit_hit: True when the wall-clock safety limit (``time_budget_s``) was reached before the work
            was done: the rest got less effort or was given up, so the result may differ from run to run. Also
            reported as a ``time_limit`` entry in ``unsatisfied`` (and in the ``failed`` reasons of objects
            given up).
    """

    scene: Scene
    placed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    unsatisfied: list[Unsatisfied] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    resized: dict[str, tuple[Size3, Size3]] = field(default_factory=dict)
    seed: int = 0
    elapsed_s: float = 0.0
    evaluations: int = 0
    work_limit_hit: bool = False
    time_limit_hit: bool = False

    @property
    def timed_out(self) -> bool:
        """The former name of :attr:`time_limit_hit`, kept for callers."""
        return self.time_limit_hit

    @property
    def satisfaction(self) -> float:
        """Mean relation score (1.0 when there are no relations)."""
        return float(sum(self.scores) / len(self.scores)) if self.scores else 1.0

    @property
    def ok(self) -> bool:
        """True when everything was placed and every constraint is satisfied."""
        return not self.failed and not self.unsatisfied

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (without the scene)."""
        return {
            "placed": list(self.placed),
            "failed": [f._asdict() for f in self.failed],
            "unsatisfied": [{**u._asdict(), "ids": list(u.ids)} for u in self.unsatisfied],
            "scores": [round(s, 6) if math.isfinite(s) else 0.0 for s in self.scores],
            "satisfaction": round(self.satisfaction, 6),
            "resized": {k: [list(a), list(b)] for k, (a, b) in self.resized.items()},
            "seed": self.seed,
            "elapsed_s": round(self.elapsed_s, 6),
            "evaluations": self.evaluations,
            "work_limit_hit": self.work_limit_hit,
            "time_limit_hit": self.time_limit_hit,
            "timed_out": self.time_limit_hit,  # the former name, kept for readers of this dict
        }
