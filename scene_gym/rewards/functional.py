"""Functional terms of the offline judge: does the furniture work as furniture? Each term is a named function of
the scene (and, where said, its metrics and task spec) returning a value in [0, 1] (1: no flaw found), or
``None`` when the scene holds nothing it applies to. :func:`functional_terms` computes them all in one pass.

Notation: angles in radians (written in degrees below), lengths in metres. ``ramp(x, a, b)`` is 1 for
``x <= a``, 0 for ``x >= b`` and linear between. ``face(theta) = ramp(theta, 30, 90 degrees)`` scores an
object whose front (:attr:`~scene_gym.scene.SceneObject.front`, local +Y) is ``theta`` away from a target,
where ``theta`` is the angle from the front to the target's *footprint* (0 when the front ray crosses it, else
the smallest angle to one of its corners or its centre), so a chair at the corner of a long table still faces
it. Only objects standing on the floor take part in the floor terms.

============  ====================================================================================================
term          formula
============  ====================================================================================================
seat_focus    mean over directed seats (:data:`FACING_SEATS`: sofas, armchairs, chairs...) of
              ``max_t face(theta_t) * near(gap_t)`` over focal objects ``t`` (:data:`FOCAL`: TV, tables, desks,
              whiteboard...; and the other directed seats), ``gap_t`` from the seat's centre to ``t``'s
              footprint; ``near = ramp(gap, 0.6, 1.5)`` for chairs pulled up to a table (:data:`TABLE_SEATS`),
              ``ramp(gap, 3, 5)`` for the others; a seat with nothing to face scores 0. Bar stools count too,
              scored ``ramp(gap, 0.5, 1.5)`` to the nearest counter or table (:data:`COUNTERS`)
tv_view       with a TV: 0 without a lounge seat (:data:`LOUNGE`) or bed to watch it from; else the largest of
              them ``s`` (the sofa, the bed) against the
              best TV, ``ramp(theta_s->tv, 20, 60 degrees) * face(theta_tv->s) * ramp(gap, 5, 7)`` (watching TV
              with the head turned 40 degrees is not watching it); a TV stand holding no TV counts as a TV at
              half the score
conversation  with 2+ lounge seats: share of them that have a partner within 3.5 m, the two fronts each within
              80 degrees of the direction to the other (face to face, or an L around a table; not back to back
              or side by side in a row)
companions    per object of a :data:`COMPANIONS` category whose partner is in the room (a nightstand and a
              bed, a coffee table and a sofa, a bathroom mirror and the sink, a bath mat and the tub...):
              ``ramp(gap, ok, bad)``, ``gap`` from its centre to the nearest partner's footprint; mean
bed_access    per bed (``bed``, ``bunk_bed``): each long side's strip (0.45 m wide, the 60 % of the length
              towards the foot) sampled at 3 x 6 points; a side's clearance ``c`` is the share of points inside
              the room and outside every other floor object's footprint; a bed under 1.2 m wide scores
              ``max(c_l, c_r)``, a wider one ``(max + min) / 2`` (both sides used); mean over beds
coverings     per rug or mat (:data:`COVERINGS`): 0 unless it lies on the floor (parent ``"floor"``, z <= 3 cm;
              a rug on a bed is not a rug); a yoga or bath mat (:data:`MATS`) then scores the share of 4 x 4
              points spread over it that no other floor object (taller than 5 cm) stands on (a rug may lie
              under furniture); mean
pillows       per bed, and per seat holding pillows: the mean over its pillows of ``place * (0.5 + 0.5 *
              across)``, 0 for a bed without a pillow (an unmade bed); on a bed ``place = ramp(u, 0.3, 0.55)``
              with ``u`` the distance of the pillow's centre from the headboard edge over the bed's length, on a
              seat ``ramp(v, 0.5, 0.8)`` with ``v`` the distance from the back edge over the depth; ``across =
              ramp(dev, 20, 70 degrees)``, ``dev`` the angle between the pillow's and its holder's width axes (a
              pillow lies across the bed); mean over beds and seats
desk_chair    share of desks (:data:`DESKS`) with a seat in front: centre within the desk's width + 0.2 m on
              each side and from 0.35 m inside its front edge to 1.0 m in front of it, turned within 60 degrees
              of facing the desk (stools and ottomans need no turn)
table_seats   per dining, meeting or kids table (:data:`TABLES`): ``min(1, k / 2)``, ``k`` the seats with their
              centre within 0.6 m of its footprint and (directed seats) turned within 60 degrees of it; mean
lamps         ``1 - bad / lamps`` over table, desk and floor lamps: a surface may hold one table or desk lamp
              (two when 1.6 m wide or more), each further one is bad; a table or desk lamp on the floor is bad; a
              floor lamp adds ``1 - ramp(d, 0.6, 1.5)``, ``d`` its distance to the nearest wall or to the
              footprint of a seat, bed, desk or side table (:data:`LAMP_MATES`): not in the middle of the room
wall_backs    mean over wall-mounted objects (parent ``"wall"``) and over against-the-wall furniture
              (:data:`~scene_gym.assets.room_priors.AGAINST_WALL`) standing within 0.2 m of a wall: the back
              faces the wall. Wall-mounted: ``ramp(theta, 20, 60 degrees) * ramp(gap, 0.05, 0.3)``, ``theta``
              between the front and the nearest wall's inward normal, ``gap`` from the back face's centre to
              that wall's line; furniture: the best ``ramp(theta, 30, 60 degrees)`` over the walls it touches
              (a wardrobe with its doors or its side against the wall scores 0). SceneEval casts rays from an
              object's back; comparing the back face with the nearest wall plane is the geometric equivalent
              for box-shaped objects
openings      per door and window of the room, the share of 5 x 3 points over its clearance zone (OPC's zones,
              :mod:`scene_gym.metrics.space`: its width, 0.6 m deep) outside every piece of furniture standing
              on the floor that reaches into the opening's height (a window: above its sill); small objects do
              not block (a vase on a dresser under a window is fine); mean
circulation   NAV of :mod:`scene_gym.metrics` (one connected free floor area)
clutter       small objects (``AssetFactory.small``) the spec does not ask for: ``min(1, budget / n) *
              (1 - repeats / n)``; ``budget`` = the sum over their holders of ``clip(round(w * d / 0.15), 1,
              4)`` times the number of shelf levels (``max(1, round(h / 0.45))``) for shelves, plus 2 per bed or
              sofa and 1 per other seat; ``repeats`` = copies beyond :data:`REPEAT_LIMIT` of one category
              (a garage with 16 balls); objects on the floor have no budget; 1 with none
scale         mean over counted objects of ``ramp(|ln(r)|, ln 1.6, ln 3)``, ``r`` the cube root of the object's
              volume over its category's default volume; a floor object covering over 35 % of the floor (ramp to
              60 %) scores 0
============  ====================================================================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scene_gym.assets.room_priors import AGAINST_WALL

FACING_SEATS = frozenset({"sofa", "armchair", "recliner", "dining_chair", "office_chair", "waiting_chair",
                          "kids_chair"})  # fmt: skip
"""Seats with a front people face the way of (stools, benches and ottomans have none)."""
TABLE_SEATS = frozenset({"dining_chair", "office_chair", "kids_chair"})
"""Chairs pulled up to a table or desk: their focal point must be within reach."""
LOUNGE = frozenset({"sofa", "armchair", "recliner"})
"""Seats people sit on to watch TV and talk."""
FOCAL = frozenset({"tv", "tv_stand", "coffee_table", "dining_table", "desk", "student_desk", "teacher_desk",
                   "kids_table", "meeting_table", "reception_desk", "whiteboard", "pool_table", "foosball_table",
                   "arcade_machine", "examination_table", "side_table"})  # fmt: skip
"""What a seat may face besides another seat."""
COUNTERS = frozenset({"kitchen_counter", "dining_table", "reception_desk", "meeting_table", "kids_table",
                      "coffee_table", "desk", "workbench"})  # fmt: skip
"""What a bar stool stands at."""
DESKS = frozenset({"desk", "student_desk", "teacher_desk"})
DESK_SEATS = frozenset({"office_chair", "dining_chair", "kids_chair", "stool", "bar_stool", "ottoman", "armchair",
                        "waiting_chair"})  # fmt: skip
TABLES = frozenset({"dining_table", "meeting_table", "kids_table"})
"""Tables people sit at together (two seats at least)."""
UNDIRECTED_SEATS = frozenset({"stool", "bar_stool", "ottoman"})
BEDS = frozenset({"bed", "bunk_bed"})
PILLOW_SEATS = frozenset({"sofa", "armchair", "recliner", "bench"})
LAMPS = frozenset({"desk_lamp", "table_lamp"})
LAMP_MATES = frozenset({"sofa", "armchair", "recliner", "bed", "desk", "side_table", "nightstand"})
"""What a floor lamp stands beside when it is not against a wall."""
SHELVES = frozenset({"bookshelf", "display_shelf", "storage_shelf"})
COMPANIONS: dict[str, tuple[frozenset, float, float]] = {
    "nightstand": (frozenset({"bed", "bunk_bed"}), 0.5, 1.2),
    "side_table": (frozenset({"sofa", "armchair", "recliner", "bed", "waiting_chair"}), 0.5, 1.5),
    "coffee_table": (frozenset({"sofa", "armchair", "recliner", "waiting_chair"}), 1.2, 2.2),
    "mirror": (frozenset({"bathroom_sink"}), 0.2, 0.6),
    "bath_mat": (frozenset({"bathtub", "shower", "bathroom_sink", "toilet"}), 0.6, 1.2),
    "tv_stand": (frozenset({"tv"}), 0.3, 1.0),
}  # fmt: skip
"""Category -> (partners it serves, ``ok`` and ``bad`` gaps in metres from its centre to the nearest partner's
footprint); the term applies only where the room holds a partner."""
REPEAT_LIMIT = 4
"""Copies of one unrequested small category in the room before each further copy counts as a repeat."""
HOLDER_LIMIT = 2
"""Copies of one unrequested small category on one holder (per shelf level) before a repeat."""

TERMS = ("seat_focus", "tv_view", "conversation", "companions", "bed_access", "coverings", "pillows", "desk_chair",
         "table_seats", "lamps", "wall_backs", "openings", "circulation", "clutter", "scale")  # fmt: skip
"""Every functional term, in the order :func:`functional_terms` reports them."""

_DEG = math.pi / 180.0


def ramp(x, good: float, bad: float):
    """1 for ``x <= good``, 0 for ``x >= bad``, linear between (``x`` a float or an array)."""
    return np.clip((bad - np.asarray(x, dtype=float)) / (bad - good), 0.0, 1.0)


def face(theta):
    """``ramp(theta, 30 deg, 90 deg)``: how well a front ``theta`` radians off its target faces it."""
    return ramp(theta, 30 * _DEG, 90 * _DEG)


@dataclass(frozen=True)
class SceneView:
    """The scene's objects as arrays, built once per judgement.

    Attributes:
        objects: the scene's objects, in order (N).
        cats: their categories (N).
        xy: (N, 2) float, footprint centres, metres.
        yaw: (N,) float, radians.
        size: (N, 3) float, full extents (w, d, h), metres.
        front: (N, 2) float, unit facing vectors.
        corners: (N, 4, 2) float, footprint corners, counter-clockwise.
        floor: (N,) bool, standing on the floor.
        index: id -> row.
    """

    objects: tuple
    cats: tuple[str, ...]
    xy: np.ndarray
    yaw: np.ndarray
    size: np.ndarray
    front: np.ndarray
    corners: np.ndarray
    floor: np.ndarray
    index: dict

    @classmethod
    def of(cls, scene) -> SceneView:
        """The view of ``scene``."""
        objs = tuple(scene.objects)
        n = len(objs)
        pos = np.array([o.position for o in objs], dtype=float).reshape(n, 3)
        yaw = np.array([o.yaw for o in objs], dtype=float)
        size = np.array([o.size for o in objs], dtype=float).reshape(n, 3)
        c, s = np.cos(yaw), np.sin(yaw)
        half = size[:, None, :2] * np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
        corners = np.stack([c[:, None] * half[..., 0] - s[:, None] * half[..., 1],
                            s[:, None] * half[..., 0] + c[:, None] * half[..., 1]], axis=-1) + pos[:, None, :2]  # fmt: skip
        return cls(objs, tuple(o.category for o in objs), pos[:, :2], yaw, size, np.stack([-s, c], axis=-1),
                   corners, np.array([o.parent == "floor" for o in objs], dtype=bool),
                   {o.id: i for i, o in enumerate(objs)})  # fmt: skip

    def rows(self, categories, floor_only: bool = True) -> np.ndarray:
        """Row indices of the objects whose category is in ``categories`` (standing on the floor by default)."""
        return np.array([i for i, c in enumerate(self.cats) if c in categories and (self.floor[i] or not floor_only)],
                        dtype=int)  # fmt: skip


def _angles_to(view: SceneView, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(S, T) angle (radians) from each source's front to each target's footprint, and (S, T) gap (m) from each
    source's centre to each target's footprint (0 inside it)."""
    pts = np.concatenate([view.corners[dst], view.xy[dst][:, None, :]], axis=1)  # (T, 5, 2)
    d = pts[None] - view.xy[src][:, None, None, :]  # (S, T, 5, 2)
    f = view.front[src][:, None, None, :]
    ang = np.arctan2(f[..., 0] * d[..., 1] - f[..., 1] * d[..., 0], (f * d).sum(-1))  # signed, (S, T, 5)
    crosses = (ang.min(-1) <= 0) & (ang.max(-1) >= 0) & (np.abs(ang).max(-1) < math.pi / 2)
    theta = np.where(crosses, 0.0, np.abs(ang).min(-1))
    rel = view.xy[src][:, None] - view.xy[dst][None]  # (S, T, 2), in the target's frame below
    fy = view.front[dst][None]
    lx = np.abs(rel[..., 0] * fy[..., 1] - rel[..., 1] * fy[..., 0]) - view.size[dst, 0][None] / 2
    ly = np.abs((rel * fy).sum(-1)) - view.size[dst, 1][None] / 2
    return theta, np.hypot(np.maximum(lx, 0.0), np.maximum(ly, 0.0))


def seat_focus(view: SceneView) -> float | None:
    """Seats face a focal point near them (module docstring), in [0, 1]; None without directed seats."""
    seats, stools = view.rows(FACING_SEATS), view.rows({"bar_stool"})
    if not len(seats) and not len(stools):
        return None
    scores = []
    if len(seats):
        targets = np.union1d(view.rows(FOCAL, floor_only=False), seats)
        theta, gap = _angles_to(view, seats, targets)
        pull_up = np.array([view.cats[s] in TABLE_SEATS for s in seats])[:, None]
        near = np.where(pull_up, ramp(gap, 0.6, 1.5), ramp(gap, 3.0, 5.0))
        scores += list(np.where(seats[:, None] != targets[None], face(theta) * near, 0.0).max(axis=1))
    counters = view.rows(COUNTERS)
    if len(stools):
        gap = _angles_to(view, stools, counters)[1] if len(counters) else np.full((len(stools), 1), np.inf)
        scores += list(ramp(gap.min(axis=1), 0.5, 1.5))
    return float(np.mean(scores))


def tv_view(view: SceneView) -> float | None:
    """The main lounge seat and a TV face each other (module docstring), in [0, 1]; None without both."""
    seats, tvs = view.rows(LOUNGE | BEDS), view.rows({"tv"}, floor_only=False)
    held = {view.objects[i].parent for i in tvs}
    stands = np.array([i for i in view.rows({"tv_stand"}) if view.objects[i].id not in held], dtype=int)
    screens = np.concatenate([tvs, stands])
    if not len(screens):
        return None
    if not len(seats):
        return 0.0  # a TV nobody can watch
    main = seats[[int(np.argmax(view.size[seats, 0] * view.size[seats, 1]))]]
    to_tv, gap = _angles_to(view, main, screens)
    from_tv, _ = _angles_to(view, screens, main)
    score = ramp(to_tv[0], 20 * _DEG, 60 * _DEG) * face(from_tv[:, 0]) * ramp(gap[0], 5.0, 7.0)
    score[len(tvs) :] *= 0.5  # a stand without its TV
    return float(score.max())


def conversation(view: SceneView) -> float | None:
    """Lounge seats in conversation groups (module docstring), in [0, 1]; None with fewer than two."""
    seats = view.rows(LOUNGE)
    if len(seats) < 2:
        return None
    d = view.xy[seats][None] - view.xy[seats][:, None]  # (S, S, 2): from row seat to column seat
    dist = np.linalg.norm(d, axis=-1)
    cos = (view.front[seats][:, None] * d).sum(-1) / np.maximum(dist, 1e-9)
    ok = cos >= math.cos(80 * _DEG)
    pair = ok & ok.T & (dist <= 3.5) & ~np.eye(len(seats), dtype=bool)
    return float(pair.any(axis=1).mean())


_NEXT = np.array([1, 2, 3, 0])


def _inside_any(points: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """(P,) bool: each point lies inside at least one of the (K, 4, 2) counter-clockwise rectangles."""
    if not len(corners):
        return np.zeros(len(points), dtype=bool)
    edge = corners[:, _NEXT] - corners  # (K, 4, 2)
    rel = points[:, None, None, :] - corners[None]  # (P, K, 4, 2)
    cross = edge[None, ..., 0] * rel[..., 1] - edge[None, ..., 1] * rel[..., 0]
    return (cross >= -1e-9).all(-1).any(-1)


_STRIP_U = np.linspace(0.1, 0.9, 3)  # across the strip, as a share of its width
_STRIP_V = np.linspace(0.05, 0.95, 6)  # along it


def bed_access(view: SceneView, room) -> float | None:
    """Beds reachable from their long sides (module docstring), in [0, 1]; None without beds."""
    beds = view.rows(BEDS)
    if not len(beds):
        return None
    obstacles = [i for i in range(len(view.cats)) if view.floor[i] and view.size[i, 2] > 0.05]
    scores = []
    for b in beds:
        w, d = view.size[b, :2]
        right = np.array([view.front[b, 1], -view.front[b, 0]])
        along = d / 2 - 0.6 * d * _STRIP_V  # from the foot (+y) towards the head
        sides = []
        for sign in (-1.0, 1.0):
            across = w / 2 + 0.45 * _STRIP_U
            pts = (view.xy[b] + sign * across[:, None, None] * right
                   + along[None, :, None] * view.front[b]).reshape(-1, 2)  # fmt: skip
            free = room.contains(pts) & ~_inside_any(pts, view.corners[[i for i in obstacles if i != b]])
            sides.append(float(free.mean()))
        lo, hi = min(sides), max(sides)
        scores.append(hi if w < 1.2 else (hi + lo) / 2)
    return float(np.mean(scores))


def companions(view: SceneView) -> float | None:
    """Furniture next to what it serves (module docstring), in [0, 1]; None with no companion and partner."""
    scores = []
    for cat, (partners, ok, bad) in COMPANIONS.items():
        rows = view.rows({cat}, floor_only=False)
        mates = view.rows(partners, floor_only=False)
        if len(rows) and len(mates):
            gap = _angles_to(view, rows, mates)[1].min(axis=1)
            scores += list(ramp(gap, ok, bad))
    return float(np.mean(scores)) if scores else None


COVERINGS = frozenset({"rug", "yoga_mat", "bath_mat"})
"""Thin coverings: they lie on the floor."""
MATS = frozenset({"yoga_mat", "bath_mat"})
"""Floor coverings used on their own (a rug may lie under furniture; a yoga mat under a treadmill is useless)."""
_GRID = np.stack(np.meshgrid(np.linspace(-0.375, 0.375, 4), np.linspace(-0.375, 0.375, 4)), -1).reshape(-1, 2)


def coverings(view: SceneView) -> float | None:
    """Floor coverings on the floor, mats free of furniture (module docstring), in [0, 1]; None without."""
    rows = [i for i, c in enumerate(view.cats) if c in COVERINGS]
    if not rows:
        return None
    others = [i for i in range(len(view.cats)) if view.floor[i] and view.size[i, 2] > 0.05]
    right = np.stack([view.front[:, 1], -view.front[:, 0]], axis=-1)
    scores = []
    for m in rows:
        if not view.floor[m] or view.objects[m].position[2] > 0.03:
            scores.append(0.0)
            continue
        if view.cats[m] not in MATS:
            scores.append(1.0)
            continue
        pts = (
            view.xy[m]
            + _GRID[:, :1] * view.size[m, 0] * right[m]
            + _GRID[:, 1:] * view.size[m, 1] * view.front[m]
        )
        scores.append(1.0 - float(_inside_any(pts, view.corners[[i for i in others if i != m]]).mean()))
    return float(np.mean(scores))


def _local(view: SceneView, parent: int, child: int) -> np.ndarray:
    """(2,) position of ``child``'s centre in ``parent``'s frame (x: width, y: front)."""
    rel = view.xy[child] - view.xy[parent]
    right = np.array([view.front[parent, 1], -view.front[parent, 0]])
    return np.array([rel @ right, rel @ view.front[parent]])


def pillows(view: SceneView) -> float | None:
    """Pillows at the headboard / the seat back, lying across (module docstring), in [0, 1]; None without beds
    or pillows on seats."""
    per: dict[int, list[float]] = {int(b): [] for b in view.rows(BEDS)}
    for i, cat in enumerate(view.cats):
        p = view.index.get(view.objects[i].parent) if cat == "pillow" else None
        if p is None or view.cats[p] not in BEDS | PILLOW_SEATS:
            continue
        _, ly = _local(view, p, i)
        depth = view.size[p, 1]
        if view.cats[p] in BEDS:
            place = ramp((ly + depth / 2) / depth, 0.3, 0.55)
        else:
            place = ramp((ly + depth / 2) / depth, 0.5, 0.8)
        diff = (view.yaw[i] - view.yaw[p]) % math.pi
        across = ramp(min(diff, math.pi - diff), 20 * _DEG, 70 * _DEG)
        per.setdefault(p, []).append(float(place) * (0.5 + 0.5 * float(across)))
    scores = [float(np.mean(v)) if v else 0.0 for v in per.values()]
    return float(np.mean(scores)) if scores else None


def desk_chair(view: SceneView) -> float | None:
    """Desks with a chair in front (module docstring), in [0, 1]; None without desks."""
    desks, seats = view.rows(DESKS), view.rows(DESK_SEATS)
    if not len(desks):
        return None
    have = 0
    for k in desks:
        w, d = view.size[k, :2]
        for s in seats:
            lx, ly = _local(view, k, s)
            if abs(lx) > w / 2 + 0.2 or not d / 2 - 0.35 <= ly <= d / 2 + 1.0:
                continue
            if view.cats[s] in UNDIRECTED_SEATS or float(view.front[s] @ view.front[k]) <= -math.cos(
                60 * _DEG
            ):
                have += 1
                break
    return have / len(desks)


def table_seats(view: SceneView) -> float | None:
    """Tables with seats pulled up (module docstring), in [0, 1]; None without dining, meeting or kids tables."""
    tables, seats = view.rows(TABLES), view.rows(DESK_SEATS | {"bench"})
    if not len(tables):
        return None
    if not len(seats):
        return 0.0
    theta, gap = _angles_to(view, seats, tables)  # (S, T)
    undirected = np.array([view.cats[s] in UNDIRECTED_SEATS | {"bench"} for s in seats])[:, None]
    at = (gap <= 0.6) & (undirected | (theta <= 60 * _DEG))
    return float(np.minimum(at.sum(axis=0) / 2.0, 1.0).mean())


def lamps(view: SceneView, room) -> float | None:
    """Lamps where lamps go (module docstring), in [0, 1]; None without table, desk or floor lamps."""
    per: dict[int, int] = {}
    floor_rows = [
        i
        for i, c in enumerate(view.cats)
        if c in LAMPS and view.objects[i].parent in ("floor", "wall", "ceiling")
    ]
    for i, cat in enumerate(view.cats):
        p = view.index.get(view.objects[i].parent) if cat in LAMPS else None
        if p is not None:
            per[p] = per.get(p, 0) + 1
    standing = view.rows({"floor_lamp"})
    total = sum(per.values()) + len(floor_rows) + len(standing)
    if not total:
        return None
    bad = sum(max(0, n - (2 if view.size[p, 0] >= 1.6 else 1)) for p, n in per.items()) + len(floor_rows)
    if len(standing):
        start, t, _, length = _walls(room)
        to_wall = _seg_dist(view.xy[standing], start, t, length).min(axis=1)
        mates = view.rows(LAMP_MATES)
        to_mate = (
            _angles_to(view, standing, mates)[1].min(axis=1) if len(mates) else np.full(len(standing), np.inf)
        )
        bad += float((1.0 - ramp(np.minimum(to_wall, to_mate), 0.6, 1.5)).sum())
    return 1.0 - bad / total


_ZONE = np.stack(np.meshgrid(np.linspace(0.1, 0.9, 5), np.linspace(0.1, 0.9, 3)), -1).reshape(-1, 2)


def openings(view: SceneView, room, small: frozenset) -> float | None:
    """Doors and windows clear of furniture (module docstring), in [0, 1]; None without openings."""
    from scene_gym.metrics.space import opening_zones

    zones = opening_zones(room)
    if not zones:
        return None
    furniture = [
        i for i, c in enumerate(view.cats) if view.floor[i] and c not in small and view.size[i, 2] > 0.05
    ]
    z0 = np.array([view.objects[i].position[2] for i in furniture]).reshape(-1)
    z1 = z0 + view.size[furniture, 2] if furniture else z0
    scores = []
    for _, c, low, high in zones:
        pts = c[0] + _ZONE[:, :1] * (c[1] - c[0]) + _ZONE[:, 1:] * (c[3] - c[0])
        tall = [i for i, a, b in zip(furniture, z0, z1, strict=True) if b > low and a < high]
        scores.append(1.0 - float(_inside_any(pts, view.corners[tall]).mean()) if tall else 1.0)
    return float(np.mean(scores))


def _walls(room) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wall start points (W, 2), unit directions (W, 2), inward normals (W, 2) and lengths (W,), metres."""
    pts = room.polygon
    edge = np.roll(pts, -1, axis=0) - pts
    length = np.linalg.norm(edge, axis=1)
    t = edge / length[:, None]
    area2 = float(np.sum(pts[:, 0] * np.roll(pts[:, 1], -1) - np.roll(pts[:, 0], -1) * pts[:, 1]))
    normal = np.stack([-t[:, 1], t[:, 0]], axis=1) * (1.0 if area2 > 0 else -1.0)
    return pts, t, normal, length


def _seg_dist(points: np.ndarray, start: np.ndarray, t: np.ndarray, length: np.ndarray) -> np.ndarray:
    """(P, W) distance from each point to each wall segment."""
    rel = points[:, None, :] - start[None]
    along = np.clip((rel * t[None]).sum(-1), 0.0, length[None])
    return np.linalg.norm(rel - along[..., None] * t[None], axis=-1)


def wall_backs(view: SceneView, room) -> float | None:
    """Backs to the wall (module docstring), in [0, 1]; None with nothing hung or standing against a wall."""
    hung = [i for i, o in enumerate(view.objects) if o.parent == "wall"]
    standing = view.rows(AGAINST_WALL)
    if not hung and not len(standing):
        return None
    start, t, normal, length = _walls(room)
    scores = []
    if hung:
        h = np.array(hung)
        nearest = _seg_dist(view.xy[h], start, t, length).argmin(axis=1)
        n = normal[nearest]
        theta = np.arccos(np.clip((view.front[h] * n).sum(-1), -1.0, 1.0))
        back = view.xy[h] - view.front[h] * view.size[h, 1:2] / 2
        gap = np.abs(((back - start[nearest]) * n).sum(-1))
        scores += list(ramp(theta, 20 * _DEG, 60 * _DEG) * ramp(gap, 0.05, 0.3))
    if len(standing):
        corners = view.corners[standing].reshape(-1, 2)
        near = _seg_dist(corners, start, t, length).reshape(len(standing), 4, -1).min(axis=1) <= 0.2  # (S, W)
        theta = np.arccos(np.clip(view.front[standing] @ normal.T, -1.0, 1.0))  # (S, W)
        fit = np.where(near, ramp(theta, 30 * _DEG, 60 * _DEG), 0.0).max(axis=1)
        scores += list(fit[near.any(axis=1)])
    return float(np.mean(scores)) if scores else None


def clutter(view: SceneView, small: frozenset, requested: frozenset) -> float | None:
    """The density budget of unrequested small objects (module docstring), in [0, 1]; None with none."""
    extra = [i for i, c in enumerate(view.cats) if c in small and c not in requested]
    if not extra:
        return None
    holders = {view.index.get(view.objects[i].parent) for i in extra} - {None}
    budget = 0
    for p in holders:
        w, d, h = view.size[p]
        cat = view.cats[p]
        if cat in BEDS or cat == "sofa":
            budget += 2
        elif cat in PILLOW_SEATS or cat in FACING_SEATS:
            budget += 1
        else:
            levels = max(1, round(h / 0.45)) if cat in SHELVES else 1
            budget += int(np.clip(round(w * d / 0.15), 1, 4)) * levels
    per_holder: dict[tuple, int] = {}
    for i in extra:
        key = (view.index.get(view.objects[i].parent), view.cats[i])
        per_holder[key] = per_holder.get(key, 0) + 1
    over: dict[str, int] = {}
    total: dict[str, int] = {}
    for (p, cat), k in per_holder.items():
        shelf = p is not None and view.cats[p] in SHELVES
        limit = HOLDER_LIMIT * (max(1, round(view.size[p, 2] / 0.45)) if shelf else 1)
        over[cat] = over.get(cat, 0) + max(0, k - limit)
        total[cat] = total.get(cat, 0) + k
    repeats = sum(max(over[c], total[c] - REPEAT_LIMIT) for c in total)
    n = len(extra)
    return min(1.0, budget / n) * (1.0 - repeats / n)


def scale(view: SceneView, defaults: dict, counted: np.ndarray, floor_area: float) -> float | None:
    """Plausible sizes against the category and the room (module docstring), in [0, 1]; None with no objects."""
    rows = np.flatnonzero(counted)
    if not len(rows):
        return None
    vol = np.prod(view.size[rows], axis=1)
    ref = np.array([defaults.get(view.cats[i], v) for i, v in zip(rows, vol, strict=True)])
    r = np.abs(np.log(np.maximum(vol, 1e-12) / np.maximum(ref, 1e-12)) / 3.0)
    s = ramp(r, math.log(1.6), math.log(3.0))
    cover = view.size[rows, 0] * view.size[rows, 1] / max(floor_area, 1e-9)
    s = s * np.where(view.floor[rows], ramp(cover, 0.35, 0.6), 1.0)
    return float(s.mean())


def functional_terms(scene, metrics, spec, view: SceneView | None = None) -> dict[str, float | None]:
    """Every term of :data:`TERMS` for ``scene`` (its :class:`~scene_gym.metrics.Metrics` and
    :class:`~scene_gym.spec.TaskSpec`), each in [0, 1] or None when nothing in the scene applies."""
    from scene_gym.assets import factories
    from scene_gym.metrics import is_counted

    view = view if view is not None else SceneView.of(scene)
    all_f = factories()
    small = frozenset(c for c in set(view.cats) if getattr(all_f.get(c), "small", False))
    requested = frozenset(c.category for c in spec.objects if c.count > 0 or c.quantifier in ("gt", "ge"))
    defaults = {c: math.prod(all_f[c].default_size) for c in set(view.cats) if c in all_f}
    counted = np.array([is_counted(o) for o in view.objects], dtype=bool)
    return {
        "seat_focus": seat_focus(view), "tv_view": tv_view(view), "conversation": conversation(view),
        "companions": companions(view),
        "bed_access": bed_access(view, scene.room), "coverings": coverings(view), "pillows": pillows(view), "desk_chair": desk_chair(view),
        "table_seats": table_seats(view),
        "lamps": lamps(view, scene.room), "wall_backs": wall_backs(view, scene.room),
        "openings": openings(view, scene.room, small), "circulation": float(metrics.nav),
        "clutter": clutter(view, small, requested), "scale": scale(view, defaults, counted, scene.room.area),
    }  # fmt: skip


__all__ = ["COMPANIONS", "FACING_SEATS", "FOCAL", "LOUNGE", "SceneView", "TERMS", "bed_access", "clutter",
           "companions", "conversation", "coverings", "desk_chair", "face", "functional_terms", "lamps", "openings",
           "pillows", "ramp", "scale", "seat_focus", "table_seats", "tv_view", "wall_backs"]  # fmt: skip
