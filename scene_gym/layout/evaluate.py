"""Scores relations on a scene: 1.0 when satisfied, decaying smoothly with the size of the violation.

Each evaluator measures named violations (:class:`Term`: metres or radians past a threshold, 0 when within it)
and the score is the product of ``2 ** -(violation / scale) ** 2`` over them: a violation of one ``scale`` halves
the score, so a solver can climb it and a reward stays smooth. Default scales: 25 cm for distances along the
floor, 10 cm for support heights and footprints, 15 degrees for angles. A wrong support parent
(``on_top_of``, ``on_wall``, ``on_ceiling``) multiplies the score by 0.25.

``satisfaction(relation, scene)`` is the public entry point; :func:`explain` says in words what is violated.
"""

from __future__ import annotations

import math
from functools import singledispatch
from typing import NamedTuple

from scene_gym.errors import LayoutError
from scene_gym.layout import relations as R
from scene_gym.layout.geometry import Box, angle_between, angular_miss, gap
from scene_gym.layout.scene_view import Layout, surfaces_of
from scene_gym.scene import Scene
from scene_gym.scene.geometry import distance_to_polygon_boundary, wrap_angle

DIST = 0.25
FINE = 0.1
ANGLE = math.radians(15)
ORIENT_TOL = math.radians(10)
FACING_TOL = math.radians(30)
PARENT = 1 / math.sqrt(2)  # soft(1, PARENT) = 0.25
SATISFIED = 0.9
"""Score from which a relation counts as satisfied (the solver reports relations below it)."""


class Term(NamedTuple):
    """One measured violation: what, by how much (metres or radians; 0 when within bounds), its decay scale,
    and the unit for messages (``"m"``, ``"rad"`` or ``""`` for yes/no terms)."""

    what: str
    violation: float
    scale: float
    unit: str = "m"


class Evaluation(NamedTuple):
    """A relation's score in [0, 1] and the terms behind it."""

    score: float
    terms: tuple[Term, ...]


def soft(violation: float, scale: float) -> float:
    """1 for no violation, 0.5 at one ``scale``, falling like a Gaussian beyond."""
    if violation <= 0.0:
        return 1.0
    return 2.0 ** (-((violation / scale) ** 2))


def _ev(*terms: Term) -> Evaluation:
    score = 1.0
    for t in terms:
        score *= soft(t.violation, t.scale)
    return Evaluation(score, terms)


def _best(evals) -> Evaluation:
    best = None
    for e in evals:
        if best is None or e.score > best.score:
            best = e
    return best


def _as_layout(scene: Scene | Layout) -> Layout:
    if isinstance(scene, Layout):
        return scene
    if isinstance(scene, Scene):
        return Layout.from_scene(scene)
    raise LayoutError(f"expected a Scene or a Layout, got {type(scene).__name__}")


def evaluate(relation: R.Relation, scene: Scene | Layout) -> Evaluation:
    """Score and violation terms of ``relation`` on ``scene``; unknown object ids raise :class:`LayoutError`."""
    if not isinstance(relation, R.Relation):
        raise LayoutError(f"expected a Relation, got {type(relation).__name__}")
    layout = _as_layout(scene)
    for object_id in relation.ids():
        if object_id not in layout.boxes:
            known = ", ".join(list(layout.boxes)[:20])
            raise LayoutError(f"{relation.name}: unknown object id {object_id!r}; known ids: {known or '(none)'}")
    return _evaluate(relation, layout)


def satisfaction(relation: R.Relation, scene: Scene | Layout) -> float:
    """How well ``relation`` holds in ``scene``: a float in [0, 1], 1 when satisfied."""
    return evaluate(relation, scene).score


def explain(relation: R.Relation, scene: Scene | Layout) -> str:
    """One line on the relation's state, e.g. ``"near(...): 0.06 - gap beyond max_distance by 0.80 m"``."""
    ev = evaluate(relation, scene)
    parts = []
    for t in ev.terms:
        if t.violation > 0:
            if t.unit == "rad":
                parts.append(f"{t.what} by {math.degrees(t.violation):.0f} deg")
            elif t.unit == "m":
                parts.append(f"{t.what} by {t.violation:.2f} m")
            else:
                parts.append(t.what)
    return f"{relation}: {ev.score:.2f}" + (" - " + "; ".join(parts) if parts else " (satisfied)")


@singledispatch
def _evaluate(relation, layout: Layout) -> Evaluation:  # pragma: no cover - every relation registers below
    raise LayoutError(f"no evaluator for relation {type(relation).__name__}")


# --- walls and the room ---------------------------------------------------------------------------------
def _wall_fit(b: Box, layout: Layout, wall_ref, max_gap: float) -> Evaluation:
    room = layout.room
    walls = room.walls_for(wall_ref)
    if not walls:
        return _ev(Term(f"the room has no {wall_ref} wall", 1.0, PARENT, ""))
    (blx, bly), (brx, bry) = b.world(-b.w / 2, -b.d / 2), b.world(b.w / 2, -b.d / 2)
    fx, fy = b.front
    out = []
    for i in walls:
        (ax, ay), (nx, ny), (tx, ty) = room.starts[i], room.normals[i], room.tangents[i]
        dist = max(abs((blx - ax) * nx + (bly - ay) * ny), abs((brx - ax) * nx + (bry - ay) * ny))
        along = ((blx + brx) / 2 - ax) * tx + ((bly + bry) / 2 - ay) * ty
        out.append(_ev(Term(f"back away from wall {i}", dist - max_gap, FINE),
                       Term(f"not facing away from wall {i}", angle_between(fx, fy, nx, ny) - ORIENT_TOL, ANGLE, "rad"),
                       Term(f"beyond the ends of wall {i}", max(-along, along - room.lengths[i]), FINE)))  # fmt: skip
    return _best(out)


def _parent_term(b: Box, expected: str) -> tuple[Term, ...]:
    if b.parent == expected:
        return ()
    return (Term(f"{b.id} rests on {b.parent!r}, not {expected!r}", 1.0, PARENT, ""),)


@_evaluate.register
def _(rel: R.AgainstWall, layout: Layout) -> Evaluation:
    return _wall_fit(layout.boxes[rel.subject], layout, rel.wall, rel.max_gap)


@_evaluate.register
def _(rel: R.InCorner, layout: Layout) -> Evaluation:
    b, room = layout.boxes[rel.subject], layout.room
    if not room.corners:  # pragma: no cover - every simple polygon has convex corners
        return _ev(Term("the room has no convex corner", 1.0, PARENT, ""))
    fx, fy = b.front
    pts = b.corners()
    out = []
    for c in room.corners:
        d = min(math.hypot(px - c.point[0], py - c.point[1]) for px, py in pts)
        ang = min(angle_between(fx, fy, *room.normals[c.wall_in]), angle_between(fx, fy, *room.normals[c.wall_out]))
        out.append(_ev(Term("away from the corner", d - rel.max_gap, FINE),
                       Term("back not to either wall of the corner", ang - ORIENT_TOL, ANGLE, "rad")))  # fmt: skip
    return _best(out)


@_evaluate.register
def _(rel: R.Middle, layout: Layout) -> Evaluation:
    b = layout.boxes[rel.subject]
    cx, cy = layout.room.centroid
    return _ev(Term("away from the room's centre", math.hypot(b.x - cx, b.y - cy) - rel.tolerance, 2 * DIST))


@_evaluate.register
def _(rel: R.OnWall, layout: Layout) -> Evaluation:
    b = layout.boxes[rel.subject]
    fit = _wall_fit(b, layout, rel.wall, 0.05)
    terms = [*_parent_term(b, "wall"), *fit.terms,
             Term("above the ceiling", b.top - layout.room.wall_height, FINE)]  # fmt: skip
    if rel.height is not None:
        terms.append(Term(f"centre not at height {rel.height:g} m", abs(b.z + b.h / 2 - rel.height) - 0.05, FINE))
    return _ev(*terms)


@_evaluate.register
def _(rel: R.OnCeiling, layout: Layout) -> Evaluation:
    b, room = layout.boxes[rel.subject], layout.room
    outside = 0.0
    if not room.room.contains([[b.x, b.y]])[0]:
        outside = float(distance_to_polygon_boundary([[b.x, b.y]], room.polygon)[0])
    return _ev(*_parent_term(b, "ceiling"), Term("top away from the ceiling", abs(b.top - room.wall_height) - 0.02, FINE),
               Term("centre outside the room", outside, FINE))  # fmt: skip


# --- distances ------------------------------------------------------------------------------------------
@_evaluate.register
def _(rel: R.Near, layout: Layout) -> Evaluation:
    g = gap(layout.boxes[rel.subject], layout.boxes[rel.target])
    return _ev(Term("gap below min_distance", rel.min_distance - g, DIST),
               Term("gap beyond max_distance", g - rel.max_distance, DIST))  # fmt: skip


@_evaluate.register
def _(rel: R.NextTo, layout: Layout) -> Evaluation:
    g = gap(layout.boxes[rel.subject], layout.boxes[rel.target])
    return _ev(Term("gap beyond max_gap", g - rel.max_gap, DIST))


@_evaluate.register
def _(rel: R.Far, layout: Layout) -> Evaluation:
    g = gap(layout.boxes[rel.subject], layout.boxes[rel.target])
    return _ev(Term("gap below min_distance", rel.min_distance - g, DIST))


# --- directions in the target's frame -------------------------------------------------------------------
def _directional(rel, layout: Layout, axis: str, sign: float, side_word: str) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    lx, ly = t.local(s.x, s.y)
    if axis == "y":
        beyond, lateral, half, half_lat = sign * ly, abs(lx), t.d / 2, t.w / 2
    else:
        beyond, lateral, half, half_lat = sign * lx, abs(ly), t.w / 2, t.d / 2
    return _ev(Term(f"centre short of the target's {side_word} face", half - beyond, DIST),
               Term(f"centre outside the target's {'width' if axis == 'y' else 'depth'}", lateral - half_lat, DIST),
               Term("gap beyond max_distance", gap(s, t) - rel.max_distance, DIST))  # fmt: skip


@_evaluate.register
def _(rel: R.InFrontOf, layout: Layout) -> Evaluation:
    return _directional(rel, layout, "y", 1.0, "front")


@_evaluate.register
def _(rel: R.Behind, layout: Layout) -> Evaluation:
    return _directional(rel, layout, "y", -1.0, "back")


@_evaluate.register
def _(rel: R.LeftOf, layout: Layout) -> Evaluation:
    return _directional(rel, layout, "x", -1.0, "left")


@_evaluate.register
def _(rel: R.RightOf, layout: Layout) -> Evaluation:
    return _directional(rel, layout, "x", 1.0, "right")


# --- orientation ----------------------------------------------------------------------------------------
@_evaluate.register
def _(rel: R.Facing, layout: Layout) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    return _ev(Term("front turned away from the target", _off_centre(s, t) - rel.max_angle, ANGLE, "rad"))


def _off_centre(s: Box, t: Box) -> float:
    """Angle between s's front and the direction from s's centre to t's centre, radians."""
    return angle_between(*s.front, t.x - s.x, t.y - s.y)


@_evaluate.register
def _(rel: R.Around, layout: Layout) -> Evaluation:
    t = layout.boxes[rel.target]
    members, sx, sy = [], 0.0, 0.0
    for mid in rel.subjects:
        m = layout.boxes[mid]
        members.append(_ev(Term(f"{mid} not facing the target", angular_miss(m, t) - FACING_TOL, ANGLE, "rad"),
                           Term(f"{mid} gap beyond max_gap", gap(m, t) - rel.max_gap, DIST)))  # fmt: skip
        dx, dy = m.x - t.x, m.y - t.y
        r = math.hypot(dx, dy)
        if r > 1e-9:
            sx, sy = sx + dx / r, sy + dy / r
    n = len(rel.subjects)
    balance = Term("members bunched on one side", math.hypot(sx, sy) / n - 0.5, 0.2, "") if n > 1 else None
    worst = min(members, key=lambda e: e.score)
    mean = sum(e.score for e in members) / n
    terms = worst.terms + ((balance,) if balance else ())
    return Evaluation(mean * (soft(balance.violation, balance.scale) if balance else 1.0), terms)


def _extents_in(t: Box, s: Box) -> tuple[float, float, float]:
    """Yaw difference and the subject's half extents along the target's x and y axes."""
    delta = wrap_angle(s.yaw - t.yaw)
    c, sn = abs(math.cos(delta)), abs(math.sin(delta))
    return delta, c * s.w / 2 + sn * s.d / 2, sn * s.w / 2 + c * s.d / 2


@_evaluate.register
def _(rel: R.SideBySide, layout: Layout) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    delta, ex, ey = _extents_in(t, s)
    lx, ly = t.local(s.x, s.y)
    g = abs(lx) - t.w / 2 - ex
    return _ev(Term("not facing the same way", abs(delta) - ORIENT_TOL, ANGLE, "rad"),
               Term("in front of or behind the target instead of beside it", -g, FINE),
               Term("gap beyond max_gap", g - rel.max_gap, DIST),
               Term("fronts not aligned", abs(ly + ey - t.d / 2) - 0.1, FINE))  # fmt: skip


@_evaluate.register
def _(rel: R.BackToBack, layout: Layout) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    delta, ex, ey = _extents_in(t, s)
    lx, ly = t.local(s.x, s.y)
    g = -t.d / 2 - (ly + ey)
    return _ev(Term("not facing opposite ways", abs(wrap_angle(delta - math.pi)) - ORIENT_TOL, ANGLE, "rad"),
               Term("not behind the target", -g, FINE), Term("backs further apart than max_gap", g - rel.max_gap, DIST),
               Term("not centred behind the target", abs(lx) - abs(t.w - s.w) / 2 - 0.1, FINE))  # fmt: skip


@_evaluate.register
def _(rel: R.AlignedWith, layout: Layout) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    delta = wrap_angle(s.yaw - t.yaw)
    lx, ly = t.local(s.x, s.y)
    off = {"row": abs(ly), "column": abs(lx), "any": min(abs(lx), abs(ly))}[rel.axis]
    return _ev(Term("not facing the same way", abs(delta) - ORIENT_TOL, ANGLE, "rad"),
               Term(f"centres off the {rel.axis if rel.axis != 'any' else 'row or column'} line", off - rel.tolerance,
                    FINE))  # fmt: skip


@_evaluate.register
def _(rel: R.AcrossFrom, layout: Layout) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    d = math.hypot(s.x - t.x, s.y - t.y)
    return _ev(Term("subject not facing the target", _off_centre(s, t) - FACING_TOL, ANGLE, "rad"),
               Term("target not facing the subject", _off_centre(t, s) - FACING_TOL, ANGLE, "rad"),
               Term("centres closer than min_distance", rel.min_distance - d, DIST),
               Term("centres further than max_distance", d - rel.max_distance, DIST))  # fmt: skip


# --- support --------------------------------------------------------------------------------------------
@_evaluate.register
def _(rel: R.OnTopOf, layout: Layout) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    parent = _parent_term(s, t.id)
    out = []
    for surf in surfaces_of(t) or [None]:
        if surf is None:  # an asset without declared surfaces: its bounding box's top
            z, area = t.top, t
        else:
            z, area = surf.z, surf.as_box()
        out.append(_ev(*parent, Term(f"bottom off the height of {t.id}'s surface", abs(s.z - z) - 0.01, FINE),
                       Term("centre outside the support surface", area.point_distance(s.x, s.y), FINE)))  # fmt: skip
    return _best(out)


@_evaluate.register
def _(rel: R.Under, layout: Layout) -> Evaluation:
    s, t = layout.boxes[rel.subject], layout.boxes[rel.target]
    outside = max(t.point_distance(px, py) for px, py in s.corners())
    return _ev(Term("top above the target's top", s.top - t.top, FINE),
               Term("footprint outside the target's", outside, FINE))  # fmt: skip
