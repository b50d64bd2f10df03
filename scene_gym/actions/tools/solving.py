"""Describing a layout solve for the agent: a few lines of text and the JSON-ready details.

The solve itself is the edit core's (:func:`scene_gym.actions.edit.solve_into`, ``relate``, ``replace_objects``).
"""

from __future__ import annotations

from typing import Any

from scene_gym.actions.tools.base import fmt_ids
from scene_gym.layout import SolveResult


def summary(res: SolveResult, verb: str = "placed") -> tuple[str, dict[str, Any]]:
    """A few lines for the agent and the JSON-ready details of a solve."""
    failed = {f.id: f.reason for f in res.failed}
    placed = [i for i in res.placed if i not in failed]
    lines = [f"{verb} {fmt_ids(placed)}"]
    if res.failed:
        lines.append("could not place " + "; ".join(f"{f.id} ({f.reason})" for f in res.failed[:6]))
    if res.unsatisfied:
        lines.append("unsatisfied: " + "; ".join(f"{u.constraint} {'/'.join(u.ids)}" for u in res.unsatisfied[:8]))
    if res.resized:
        lines.append("resized to fit: " + fmt_ids(list(res.resized)))
    details = {"placed": placed, "failed": [f._asdict() for f in res.failed],
               "unsatisfied": [{**u._asdict(), "ids": list(u.ids)} for u in res.unsatisfied],
               "satisfaction": round(res.satisfaction, 4), "timed_out": res.timed_out}  # fmt: skip
    return "; ".join(lines), details
