"""Local improvement after the greedy pass (jitter, re-propose, swap) and the final report: relation scores,
the hard-constraint audit and the budgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scene_gym.layout import candidates as C
from scene_gym.layout.constraints import Candidates
from scene_gym.layout.evaluate import SATISFIED, _evaluate, explain
from scene_gym.layout.geometry import Box
from scene_gym.layout.result import Unsatisfied
from scene_gym.layout.scene_view import SWING_SUFFIX

if TYPE_CHECKING:
    from scene_gym.layout.items import Item
    from scene_gym.layout.solver import _Solver

_MOVABLE = ("floor", "wall", "ceiling")


def improve(solver: _Solver, rounds: int) -> None:
    """Up to ``rounds`` passes over placed objects whose relations are not all satisfied, worst first."""
    movable = [it for it in solver.order if it.box is not None and it.placement in _MOVABLE and not it.carried]
    for _ in range(rounds):
        if solver._hurry():
            return
        todo = sorted(((solver._deficit(it), k, it) for k, it in enumerate(movable)), key=lambda t: (-t[0], t[1]))
        todo = [it for deficit, _, it in todo if deficit > 0.01]
        if not todo:
            return
        improved = False
        for it in todo:
            if solver._hurry():
                return
            improved |= _try_move(solver, it)
            if solver._deficit(it) > 0.1:
                improved |= _try_swap(solver, it, movable)
        if not improved:
            return


def _try_move(solver: _Solver, it: Item) -> bool:
    """Re-propose poses near the current one and from the relations; keep the best if it beats the current."""
    cur = it.box
    w, d, h = it.size
    room, rng = solver.layout.room, solver.rng
    poses = [(cur.x, cur.y, cur.yaw, "current")] + C.jitter(cur, rng, 12)
    for i in it.relations:
        poses += C.for_relation(solver.rels[i], it.id, solver.layout, w, d, rng, 8)
    poses += C.along_walls(room, w, d, rng, 4) + C.uniform(room, w, d, rng, 4)
    if it.placement == "wall" or it.is_door:
        poses = poses[:1] + C.snap_to_walls(room, poses[1:], d)
    arr = np.array([p[:3] for p in poses], dtype=float)
    cands = Candidates(arr[:, 0], arr[:, 1], arr[:, 2], np.full(len(arr), cur.z), it.size, [p[3] for p in poses])
    obstacles = solver._obstacles(solver._exclusions(it))
    ok, _ = solver._check(it, cands, obstacles)
    if not ok[0] or ok.sum() < 2:
        return False
    valid = cands.subset(ok)
    scores = solver._scores(it, valid, obstacles)
    best = int(np.argmax(scores))
    if best == 0 or not scores[best] > scores[0] + 1e-6:
        return False
    solver._commit(it, valid, best)
    return True


def _swapped(a: Box, b: Box) -> Box:
    """``a`` moved into ``b``'s place: same yaw as b, backs aligned (so wall-flush stays flush)."""
    bx, by = b.world(0.0, -b.d / 2)
    fx, fy = b.front
    return a.moved(bx + fx * a.d / 2, by + fy * a.d / 2, b.yaw)


def _try_swap(solver: _Solver, it: Item, movable: list[Item]) -> bool:
    """Swap places with another object of the same kind if that raises the summed satisfaction."""
    partners = [o for o in movable if o is not it and o.placement == it.placement]
    if not partners:
        return False
    boxes = solver.layout.boxes
    for k in solver.rng.permutation(len(partners))[:6]:
        other = partners[int(k)]
        rels = {id(r): r for r in solver._active(it) + solver._active(other)}.values()
        before = sum(_evaluate(r, solver.layout).score for r in rels)
        a_old, b_old = it.box, other.box
        a_new, b_new = _swapped(a_old, b_old), _swapped(b_old, a_old)
        if not (_fits(solver, it, a_new, {it.id, other.id}, [b_new])
                and _fits(solver, other, b_new, {it.id, other.id}, [a_new])):  # fmt: skip
            continue
        boxes[it.id], boxes[other.id] = a_new, b_new
        after = sum(_evaluate(r, solver.layout).score for r in rels)
        if after > before + 1e-6:
            it.box, other.box = a_new, b_new
            return True
        boxes[it.id], boxes[other.id] = a_old, b_old
    return False


def _fits(solver: _Solver, it: Item, box: Box, exclude: set[str], extra: list[Box]) -> bool:
    cands = Candidates([box.x], [box.y], [box.yaw], [box.z], (box.w, box.d, box.h))
    skip = exclude | solver._exclusions(it)
    obstacles = solver._obstacles(skip, extra)
    ok, _ = solver._check(it, cands, obstacles)
    return bool(ok[0])


def report(solver: _Solver) -> None:
    """Fill in the solver's result: each relation's score, what is unsatisfied (relations, the hard-constraint
    audit, and a ``time_limit`` entry when the wall-clock safety limit was reached), and the work done."""
    res, layout = solver.result, solver.layout
    res.evaluations, res.work_limit_hit = solver.evaluations, solver.work_limit_hit  # before the audit's checks
    res.time_limit_hit = solver.time_limit_hit
    for rel in solver.rels:
        missing = [oid for oid in rel.ids() if oid not in layout.boxes]
        if missing:
            res.scores.append(0.0)
            res.unsatisfied.append(Unsatisfied(rel.name, rel.ids(), f"{', '.join(missing)} could not be placed"))
            continue
        score = _evaluate(rel, layout).score
        res.scores.append(score)
        if score < SATISFIED:
            res.unsatisfied.append(Unsatisfied(rel.name, rel.ids(), explain(rel, layout)))
    res.unsatisfied.extend(audit(solver))
    if res.time_limit_hit:
        res.unsatisfied.append(Unsatisfied("time_limit", (), (
            f"the wall-clock safety limit (time_budget_s={solver.budget:g} s) was reached after {res.evaluations} "
            f"of {solver.max_evaluations} candidate evaluations; the rest got less effort, so this result can "
            f"differ from run to run")))  # fmt: skip


def audit(solver: _Solver) -> list[Unsatisfied]:
    """Re-check every placed object's hard constraints in the final layout (a safety net: the solver only
    commits valid poses, so this normally finds nothing)."""
    out = []
    layout = solver.layout
    for it in solver.order:
        b = it.box
        if b is None:
            continue
        skip = solver._exclusions(it) | {oid for oid, o in layout.boxes.items() if it.id in layout.ancestors(oid)}
        cands = Candidates([b.x], [b.y], [b.yaw], [b.z], it.size)
        ok, reasons = solver._check(it, cands, solver._obstacles(skip))
        for why in reasons:
            if why.startswith("collides with ") and why.endswith(SWING_SUFFIX):
                out.append(Unsatisfied("opening_clearance", (it.id, why[14:-len(SWING_SUFFIX)]), why))
            elif why.startswith("swing zone "):
                out.append(Unsatisfied("opening_clearance", (it.id,), why))
            elif why.startswith("collides with "):
                other = why.removeprefix("collides with ")
                out.append(Unsatisfied("no_collision", (it.id, other), why))
            elif why.startswith("blocks "):
                out.append(Unsatisfied("opening_clearance", (it.id,), why))
            elif why == "front faces a wall":
                out.append(Unsatisfied("front_clearance", (it.id,), why))
            else:
                out.append(Unsatisfied("inside_room", (it.id,), why))
    return out
