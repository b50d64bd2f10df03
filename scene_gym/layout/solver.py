"""The layout solver: places objects so that hard constraints hold and soft relations are as satisfied as
possible.

Hard constraints (see :mod:`scene_gym.layout.constraints`): inside the room, no collisions (2.5D boxes, 1 mm
tolerance, thin coverings exempt), door swings and window zones clear (also in front of door objects such as
``interior_door``), the functional front clear of walls. Wall objects hang flush on a wall (1.5 m centre height
unless an ``on_wall`` relation gives one), ceiling objects touch the ceiling.
Small objects go on support surfaces of their target (``on_top_of``, the request's ``parent``, or the largest
free surface that fits), without overlapping each other.

Method (greedy, then local search; every random draw from one ``numpy.random.Generator`` seeded with ``seed``):

1. Order: floor objects, then wall, ceiling and surface objects; references before the objects relating to
   them; larger, more constrained objects first.
2. For each object, propose candidate poses (along walls, beside objects already against a wall, in corners,
   uniform over the floor, and poses suggested by its relations), reject those breaking a hard constraint
   (vectorised), and keep the one with the best score: the sum of its relations' satisfaction, plus small
   priors (:mod:`scene_gym.layout.preferences`) for standing against a wall (fronted furniture without relations),
   next to walls or other objects (keeps the floor open) and leaving the strips in front of objects free.
   No valid pose: retry with more candidates, then shrink towards the category's minimum size
   (``AssetFactory.size_range``) before giving up and listing the object in ``SolveResult.failed``.
3. A few rounds of local improvement on objects whose relations are not all satisfied: jitter, re-propose,
   swap with another object; a move is kept only if it keeps every hard constraint and raises the score.

Effort is bounded by a work budget, ``max_evaluations``: candidate poses checked against the hard constraints
(placing, improving and swapping). Past it the rest gets less effort and no improvement; past 1.5 times it the
rest is given up (``failed``; ``work_limit_hit``). Work is counted, not timed, so a seed gives the same scene on
a fast, slow or busy machine. The wall clock (``time_budget_s``) is only an outer safety limit against hangs,
cutting effort the same way; it is the one way the clock can change a result, and it is always reported
(``SolveResult.time_limit_hit``, a ``time_limit`` entry in ``unsatisfied``, the ``failed`` reasons).
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Sequence

import numpy as np
import pydantic

from scene_gym.assets.factory import DOOR_CATEGORIES
from scene_gym.errors import LayoutError
from scene_gym.layout import candidates as C
from scene_gym.layout import relations as R
from scene_gym.layout.constraints import Candidates, Obstacles, check, describe
from scene_gym.layout.evaluate import _evaluate
from scene_gym.layout.geometry import Box, yaw_facing
from scene_gym.layout.improve import improve, report
from scene_gym.layout.items import Item, build_items, placement_order
from scene_gym.layout.preferences import floor_prior
from scene_gym.layout.result import Failure, SolveResult, Unsatisfied
from scene_gym.layout.scene_view import Layout, swing_zone
from scene_gym.layout.support import auto_supports, surface_candidates
from scene_gym.scene import Scene, SceneObject

WALL_HEIGHT_DEFAULT = 1.5  # centre height of wall objects without an on_wall height, metres
MAX_SCORED = 96  # candidates scored per step (relation scores are evaluated one pose at a time)
IMPROVE_ROUNDS = 4
MAX_EVALUATIONS = 20_000  # default work budget, candidate poses checked (bench_layout's 40 objects: <= ~5,000)
TIME_LIMIT_S = 10.0  # default wall-clock safety limit, seconds (the default work budget takes ~2-3 s on one core)
ABANDON = 1.5  # past this many budgets (work or time) the remaining objects are listed as failed without trying


def solve(scene: Scene, requests: Sequence, relations: Sequence = (), *, seed: int,
          time_budget_s: float = TIME_LIMIT_S, max_evaluations: int = MAX_EVALUATIONS) -> SolveResult:  # fmt: skip
    """Place ``requests`` in a copy of ``scene`` satisfying hard constraints and, as far as possible,
    ``relations``.

    Args:
        scene: the scene to furnish; never modified (the result holds a copy).
        requests: :class:`~scene_gym.layout.PlacementRequest` objects (or their dicts) for new objects, or ids
            of existing objects to re-place.
        relations: :class:`~scene_gym.layout.Relation` objects (or their dicts) naming objects of the scene
            or of the requests (new objects' ids are assigned in request order, ``<category>_<n>``).
        seed: seeds every random choice.
        time_budget_s: outer safety limit on wall time, seconds, in (0, 3600]. It never changes a result unless
            it is reached; then the rest is done with less effort (past 1.5 times it, objects not yet placed are
            given up) and the result says so (``time_limit_hit``). Give it room, a busy machine is slower: the
            default, :data:`TIME_LIMIT_S`, leaves the work budget to decide.
        max_evaluations: work budget, a count of candidate poses checked against the hard constraints (a
            positive integer). Past it the remaining objects get less effort and local improvement stops; past
            1.5 times it they are given up (``work_limit_hit``). The same seed and budget give the same scene
            on any machine. The default, :data:`MAX_EVALUATIONS`, is about four times what 40 floor objects
            with relations need (``benchmarks/bench_layout.py``).

    Raises :class:`~scene_gym.errors.LayoutError` (or another ``SceneGymError``) on bad input: unknown
    category or object id, a relation naming an object that is neither in the scene nor requested, a bad seed,
    time budget or work budget.
    Everything that is merely impossible is reported in the result instead.
    """
    t0 = time.perf_counter()
    if not isinstance(scene, Scene):
        raise LayoutError(f"scene: expected a Scene, got {type(scene).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise LayoutError(f"seed: expected a non-negative integer, got {seed!r}")
    if (isinstance(time_budget_s, bool) or not isinstance(time_budget_s, numbers.Real)
            or not math.isfinite(time_budget_s) or not 0 < time_budget_s <= 3600):  # fmt: skip
        raise LayoutError(f"time_budget_s: expected seconds in (0, 3600], got {time_budget_s!r}")
    if isinstance(max_evaluations, bool) or not isinstance(max_evaluations, numbers.Integral) or max_evaluations < 1:
        raise LayoutError(f"max_evaluations: expected a positive integer (a count of candidate poses), "
                          f"got {max_evaluations!r}")  # fmt: skip
    if isinstance(relations, str | bytes | dict) or not hasattr(relations, "__iter__"):
        raise LayoutError(f"relations: expected a list of relations, got {type(relations).__name__}")
    rels = [r if isinstance(r, R.Relation) else R.Relation.from_dict(r) for r in relations]
    items, notes = build_items(scene, requests, rels)
    known = {o.id for o in scene.objects} | {it.id for it in items}
    for k, rel in enumerate(rels):
        for oid in rel.ids():
            if oid not in known:
                raise LayoutError(f"relations[{k}] ({rel.name}): unknown object id {oid!r}; it is neither in the "
                                  f"scene nor among the requests")  # fmt: skip
    solver = _Solver(scene, items, rels, int(seed), t0, float(time_budget_s), int(max_evaluations))
    result = solver.run()
    result.unsatisfied[:0] = [Unsatisfied(*n) for n in notes]
    result.elapsed_s = time.perf_counter() - t0
    return result


class _Solver:
    def __init__(self, scene: Scene, items: list[Item], rels: list[R.Relation], seed: int, t0: float, budget: float,
                 max_evaluations: int):  # fmt: skip
        self.scene, self.rels, self.seed = scene, rels, seed
        self.rng = np.random.default_rng(seed)
        self.t0, self.budget = t0, budget  # the wall-clock safety limit, seconds
        self.max_evaluations, self.evaluations = max_evaluations, 0  # the work budget and the work done, poses
        self.work_limit_hit = self.time_limit_hit = False
        self.improved = False
        self.layout = Layout.from_scene(scene)
        self.items = {it.id: it for it in items}
        for it in items:
            if it.existing is not None:
                self.layout.boxes.pop(it.id, None)
        for it in items:
            if it.existing is not None:
                for obj in scene.descendants(it.id):
                    if obj.id not in self.items and obj.id in self.layout.boxes:
                        it.carried.append(self.layout.boxes.pop(obj.id))
        for i, rel in enumerate(rels):
            for oid in dict.fromkeys(rel.ids()):
                if oid in self.items:
                    self.items[oid].relations.append(i)
        self.wall_pref = {it.id: R.AgainstWall(it.id) for it in items if it.prefers_wall and not any(
            getattr(rels[i], "subject", None) == it.id or it.id in getattr(rels[i], "subjects", ()) for i in it.relations)}
        self.order = placement_order(items, rels)
        self.result = SolveResult(scene=scene, seed=seed)

    # --- budgets ------------------------------------------------------------------------------------------
    def _elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def _hurry(self) -> bool:
        """True once the work budget is spent (deterministic) or, failing that, the wall-clock safety limit
        (reported). The clock is read only when the work budget alone would go on at full effort."""
        if self.evaluations > self.max_evaluations:
            self.work_limit_hit = True
            return True
        if self.time_limit_hit or self._elapsed() > self.budget:
            self.time_limit_hit = True
        return self.time_limit_hit

    def _give_up(self) -> str | None:
        """Why the next object is not even tried (past 1.5 times either budget), or None."""
        if self.evaluations > ABANDON * self.max_evaluations:
            self.work_limit_hit = True
            return f"work budget of {self.max_evaluations} candidate evaluations exhausted before it could be placed"
        if self._elapsed() > ABANDON * self.budget:
            self.time_limit_hit = True
            return f"time budget of {self.budget:g} s (wall-clock safety limit) exhausted before it could be placed"
        return None

    # --- driver -------------------------------------------------------------------------------------------
    def run(self) -> SolveResult:
        for it in self.order:
            if it.placement == "surface" and not self.improved:
                self._improve()  # move furniture before anything is put on it
            self._place(it)
        if not self.improved:
            self._improve()
        self.result.scene = self._write()
        report(self)
        return self.result

    def _fail(self, it: Item, reason: str) -> None:
        self.result.failed.append(Failure(it.id, it.category, reason))
        if it.existing is not None:  # an existing object that cannot move stays where it was
            self.layout.boxes[it.id] = it.existing
            for c in it.carried:
                self.layout.boxes[c.id] = c

    def _place(self, it: Item) -> None:
        why = self._give_up()
        if why is not None:
            return self._fail(it, why)
        if it.placement == "surface" and it.support is not None and it.support not in self.layout.boxes:
            return self._fail(it, f"its support {it.support!r} was not placed")
        sizes = it.sizes_to_try()
        hurry = self._hurry()
        if hurry:
            sizes = list(dict.fromkeys([sizes[0], sizes[-1]]))
        exclude = self._exclusions(it)
        obstacles = self._obstacles(exclude)
        reasons = None
        for attempt, size in enumerate(sizes):
            for boost in ((1, 3) if attempt == 0 and not hurry else (2,)):
                cands = self._propose(it, size, boost)
                ok, reasons = self._check(it, cands, obstacles)
                if ok.any():
                    valid = cands.subset(ok)
                    best = int(np.argmax(self._scores(it, valid, obstacles)))
                    self._commit(it, valid, best)
                    if size != it.requested:
                        self.result.resized[it.id] = (it.requested, size)
                        if it.explicit:
                            self.result.unsatisfied.append(Unsatisfied(
                                "size", (it.id,), f"shrunk from {it.requested} to {size} to fit"))  # fmt: skip
                    return
                if hurry:
                    break
        where = {"surface": "on a support surface", "wall": "on a wall", "ceiling": "on the ceiling"}.get(
            it.placement, "on the floor")
        self._fail(it, f"no valid pose {where} at sizes down to {sizes[-1]}: {describe(reasons)}")

    # --- candidates ---------------------------------------------------------------------------------------
    def _obstacles(self, exclude: set[str], extra=()) -> Obstacles:
        """Boxes of every object not in ``exclude`` plus ``extra``, and the swing zone in front of each door
        object (``DOOR_CATEGORIES``), which nothing may occupy."""
        boxes = [b for oid, b in self.layout.boxes.items() if oid not in exclude] + list(extra)
        zones = [swing_zone(b) for b in boxes if b.category in DOOR_CATEGORIES and b.parent == "floor"]
        return Obstacles(boxes + zones)

    def _exclusions(self, it: Item) -> set[str]:
        out = {it.id, *(c.id for c in it.carried)}
        if it.placement == "surface" and it.support is not None:
            out.add(it.support)
            out.update(self.layout.ancestors(it.support))
        return out

    def _base_z(self, it: Item, h: float) -> float:
        room_h = self.layout.room.wall_height
        if it.placement == "ceiling":
            return room_h - h
        if it.placement == "wall":
            centre = WALL_HEIGHT_DEFAULT
            for i in it.relations:
                rel = self.rels[i]
                if isinstance(rel, R.OnWall) and rel.subject == it.id and rel.height is not None:
                    centre = rel.height
            return min(max(centre - h / 2, 0.0), max(room_h - h, 0.0))
        return 0.0

    def _propose(self, it: Item, size, boost: int) -> Candidates:
        w, d, h = size
        rng, room = self.rng, self.layout.room
        if it.placement == "surface":
            parents = [it.support] if it.support is not None else auto_supports(self.layout, size)
            return surface_candidates(self.layout, parents, size, self.rng, 24 * boost)
        poses = C.along_walls(room, w, d, rng, 16 * boost)
        if it.placement == "floor":
            poses += C.beside_wall_neighbours(room, self.layout.boxes.values(), w, d)
            poses += C.in_corners(room, w, d)
        poses += C.uniform(room, w, d, rng, (16 if it.placement == "floor" else 4) * boost)
        if it.placement == "ceiling":
            poses += [(*room.centroid, yaw, "centre") for yaw in C.axis_yaws(room)[:2]]
        for i in it.relations:
            rel = self.rels[i]
            poses += C.for_relation(rel, it.id, self.layout, w, d, rng, 12 * boost)
            if isinstance(rel, R.Facing | R.AcrossFrom) and rel.subject == it.id and rel.target in self.layout.boxes:
                t = self.layout.boxes[rel.target]
                poses += [(x, y, yaw_facing(t.x - x, t.y - y), rel.name) for x, y, _, tag in poses if tag == "uniform"]
        if it.placement == "wall" or it.is_door:
            poses = C.snap_to_walls(room, poses, d)
        arr = np.array([p[:3] for p in poses], dtype=float).reshape(-1, 3)
        z = np.full(len(arr), self._base_z(it, h))
        return Candidates(arr[:, 0], arr[:, 1], arr[:, 2], z, size, [p[3] for p in poses])

    def _check(self, it: Item, cands: Candidates, obstacles: Obstacles):
        """Which candidates keep every hard constraint, and counts of why the others do not. Each candidate
        counts as one evaluation against the work budget."""
        self.evaluations += len(cands)
        env = None
        if it.carried and it.existing is not None:
            env = max([cands.h] + [c.top - it.existing.z for c in it.carried])
        on_surface = it.placement == "surface"
        ok, reasons = check(cands, self.layout.room, obstacles, in_room=not on_surface,
                            front_clearance=it.front_clearance, height_env=env, thin=it.thin)  # fmt: skip
        if it.is_door and ok.any():  # its own swing zone must be free too
            zone = swing_zone(Box(it.id, it.category, 0, 0, 0, cands.w, cands.d, cands.h, 0))
            off = cands.d / 2 + zone.d / 2
            strips = Candidates(cands.x - np.sin(cands.yaw) * off, cands.y + np.cos(cands.yaw) * off, cands.yaw,
                                cands.z, (zone.w, zone.d, zone.h))  # fmt: skip
            free, why = check(strips.subset(ok), self.layout.room, obstacles, keepouts=False)
            for reason, count in why.items():
                reasons[f"swing zone {reason}"] += count
            ok[np.flatnonzero(ok)[~free]] = False
        return ok, reasons

    # --- scoring ------------------------------------------------------------------------------------------
    def _active(self, it: Item) -> list[R.Relation]:
        """The item's relations whose other objects are in the layout (around: with the members present)."""
        out = []
        boxes = self.layout.boxes
        for i in it.relations:
            rel = self.rels[i]
            others = [oid for oid in rel.ids() if oid != it.id]
            if all(oid in boxes for oid in others):
                out.append(rel)
            elif isinstance(rel, R.Around) and (rel.target in boxes or rel.target == it.id):
                present = tuple(s for s in rel.subjects if s in boxes or s == it.id)
                if present:
                    out.append(R.Around(rel.target, present, rel.max_gap))
        return out

    def _box(self, it: Item, cands: Candidates, i: int) -> Box:
        tag = cands.tags[i]
        parent = tag.split(":", 1)[1] if tag.startswith("surface:") else (
            it.placement if it.placement in ("wall", "ceiling") else "floor")  # fmt: skip
        size = (cands.w, cands.d, cands.h)
        return Box(it.id, it.category, cands.x[i], cands.y[i], cands.z[i], *size, cands.yaw[i], parent, it.thin,
                   it.asset_key(size))  # fmt: skip

    def _scores(self, it: Item, cands: Candidates, obstacles: Obstacles) -> np.ndarray:
        n = len(cands)
        scores = self._prior(it, cands, obstacles)
        rels = self._active(it)
        pref = self.wall_pref.get(it.id)
        if not rels and pref is None:
            return scores
        index = np.arange(n)
        if n > MAX_SCORED:  # score a deterministic random subset (always the first pose); the rest cannot win
            keep = np.concatenate([[0], 1 + np.sort(self.rng.choice(n - 1, size=MAX_SCORED - 1, replace=False))])
            scores[np.setdiff1d(index, keep)] = -np.inf
            index = keep
        boxes = self.layout.boxes
        saved = boxes.get(it.id)
        for i in index:
            boxes[it.id] = self._box(it, cands, int(i))
            total = sum(_evaluate(r, self.layout).score for r in rels)
            if pref is not None:
                total += 0.3 * _evaluate(pref, self.layout).score
            scores[i] += total
        if saved is None:
            del boxes[it.id]
        else:
            boxes[it.id] = saved
        return scores

    def _prior(self, it: Item, cands: Candidates, obstacles: Obstacles) -> np.ndarray:
        if it.placement == "ceiling":  # lights and fans belong over the middle of the room
            cx, cy = self.layout.room.centroid
            return -0.1 * np.minimum(np.hypot(cands.x - cx, cands.y - cy), 5.0)
        if it.placement != "floor" or it.thin:
            return np.zeros(len(cands))
        return floor_prior(cands, obstacles, self.layout.room, it.front_clearance)

    def _commit(self, it: Item, cands: Candidates, i: int) -> None:
        box = self._box(it, cands, i)
        it.box, it.size = box, (cands.w, cands.d, cands.h)
        self.layout.boxes[it.id] = box
        if it.id not in self.result.placed:
            self.result.placed.append(it.id)
        if it.carried:
            self._carry(it)

    def _carry(self, it: Item) -> None:
        old, new = it.existing, it.box
        for c in it.carried:
            lx, ly = old.local(c.x, c.y)
            lx, ly = lx * new.w / old.w, ly * new.d / old.d
            x, y = new.world(lx, ly)
            dz = new.z - old.z + (new.h - old.h if c.z >= old.top - 0.01 else 0.0)
            self.layout.boxes[c.id] = c.moved(x, y, c.yaw + new.yaw - old.yaw, c.z + dz)

    # --- local improvement --------------------------------------------------------------------------------
    def _deficit(self, it: Item) -> float:
        return sum(1.0 - _evaluate(r, self.layout).score for r in self._active(it))

    def _improve(self) -> None:
        self.improved = True
        improve(self, IMPROVE_ROUNDS)

    # --- output -------------------------------------------------------------------------------------------
    def _write(self) -> Scene:
        out = {o.id: o for o in self.scene.objects}
        for it in self.order:
            b = it.box
            if b is None:
                continue
            fields = {"position": (round(b.x, 6), round(b.y, 6), round(b.z, 6)), "yaw": b.yaw,
                      "size": tuple(it.size), "parent": b.parent}  # fmt: skip
            try:
                if it.existing is not None:
                    out[it.id] = out[it.id].evolve(**fields)
                    for c in it.carried:
                        nb = self.layout.boxes[c.id]
                        out[c.id] = out[c.id].evolve(position=(round(nb.x, 6), round(nb.y, 6), round(nb.z, 6)), yaw=nb.yaw)
                else:
                    out[it.id] = SceneObject(id=it.id, category=it.category, material=it.material, params=it.params,
                                             seed=it.seed, **fields)  # fmt: skip
            except pydantic.ValidationError as err:  # pragma: no cover - poses come from inside the room
                raise LayoutError(f"{it.id}: solver produced an invalid object: {err}") from None
        s = self.scene
        return Scene(s.room, out.values(), s.lights, s.prompt, s.metadata, s.definitions)
