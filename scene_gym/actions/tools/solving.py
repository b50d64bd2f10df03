"""Running the layout solver from a tool: solve, take the result into the scene, describe it for the agent."""

from __future__ import annotations

from typing import Any

from scene_gym.actions.tools.base import Context
from scene_gym.actions.tools.ops import adopt, fmt_ids, record_relations
from scene_gym.layout import SolveResult, solve


def solve_into(ctx: Context, requests: list, relations: list, *, record: bool = True) -> SolveResult:
    """Solve on ``ctx.scene`` (seed drawn from ``ctx.rng``), take the placed objects into the scene, and record
    the relations whose objects all exist (``record``). Returns the solver's result."""
    res = solve(ctx.scene, requests, relations, seed=ctx.seed(), time_budget_s=ctx.time_budget_s)
    adopt(ctx.scene, res.scene)
    if record and relations:
        record_relations(ctx.scene, [r for r in relations if all(i in ctx.scene for i in r.ids())])
    return res


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
