"""SceneOrchestra's scores from four judge grades, the same for every judge.

- ``Q_vis = (realism + functionality + layout + completeness) / 4``, grades on 0-10;
- ``Q = phy_weight * Q_phy + Q_vis`` with ``Q_phy = n_obj - 4 * (n_oob + n_collisions)``
  (:mod:`scene_gym.metrics`), ``phy_weight`` 0.1 by default;
- ``C = Q - time_weight * T`` with ``T`` the generation time in minutes, ``time_weight`` 0.05 by default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from scene_gym.rewards.base import RewardError

GRADES = ("realism", "functionality", "layout", "completeness")
"""The four grades every judge gives, each in [0, 10]."""


@dataclass(frozen=True)
class ScoreConfig:
    """Coefficients of the composite scores.

    Attributes:
        phy_weight: weight of Q_phy in ``Q = phy_weight * Q_phy + Q_vis`` (SceneOrchestra: 0.1).
        time_weight: cost per minute in ``C = Q - time_weight * T`` (SceneOrchestra: 0.05).
    """

    phy_weight: float = 0.1
    time_weight: float = 0.05

    def __post_init__(self):
        for name in ("phy_weight", "time_weight"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                raise RewardError(f"score config {name}: expected a finite number >= 0, got {v!r}")


@dataclass(frozen=True)
class Grades:
    """The four grades of a judge, each a float in [0, 10] (validated; NaN rejected)."""

    realism: float
    functionality: float
    layout: float
    completeness: float

    def __post_init__(self):
        for name in GRADES:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or not 0 <= v <= 10:
                raise RewardError(f"grade {name}: expected a number in [0, 10], got {v!r}")
            object.__setattr__(self, name, float(v))

    @property
    def q_vis(self) -> float:
        """Mean of the four grades, in [0, 10]."""
        return (self.realism + self.functionality + self.layout + self.completeness) / 4.0

    def to_dict(self) -> dict[str, float]:
        """The four grades by name."""
        return {g: getattr(self, g) for g in GRADES}


@dataclass(frozen=True)
class JudgeResult:
    """A judge's verdict on a scene.

    Attributes:
        grades: the four grades, 0-10.
        q_vis: mean grade, 0-10.
        q_phy: SceneOrchestra's physical score (an integer, unbounded below).
        q: ``phy_weight * q_phy + q_vis``.
        c: ``q - time_weight * minutes``.
        judge: name of the judge (``"offline"``, ``"openai:gpt-4o"``...).
        details: the judge's intermediate values (offline judge: every component of its formulas, in [0, 1]).
    """

    grades: Grades
    q_vis: float
    q_phy: float
    q: float
    c: float
    judge: str
    details: dict[str, Any] = field(default_factory=dict)

    def keys(self) -> dict[str, float]:
        """The ``scene-gym eval`` keys: realism, functionality, layout, completeness, q_vis, q."""
        grades = {k: round(v, 6) for k, v in self.grades.to_dict().items()}
        return {**grades, "q_vis": round(self.q_vis, 6), "q": round(self.q, 6)}

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {**self.grades.to_dict(), "q_vis": self.q_vis, "q_phy": self.q_phy, "q": self.q, "c": self.c,
                "judge": self.judge, "details": dict(self.details)}  # fmt: skip


def combine(grades: Grades, q_phy: float, minutes: float = 0.0, config: ScoreConfig | None = None,
            judge: str = "", details: dict | None = None) -> JudgeResult:
    """Q_vis, Q and C (module docstring) from ``grades``, ``q_phy`` and the generation time in minutes."""
    cfg = config or ScoreConfig()
    q_vis = grades.q_vis
    q = cfg.phy_weight * float(q_phy) + q_vis
    return JudgeResult(grades, q_vis, float(q_phy), q, q - cfg.time_weight * float(minutes), judge, dict(details or {}))
