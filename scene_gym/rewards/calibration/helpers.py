"""Geometry and category look-ups shared by the perturbation families (:mod:`.families`).

Units: metres and radians in room coordinates (Z up, origin at a floor corner); footprints are (4, 2) float
corner arrays. Nothing here changes a scene: the families edit their copies through
:mod:`scene_gym.actions.edit`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np

from scene_gym.actions import edit
from scene_gym.assets import factories
from scene_gym.assets.room_priors import ESSENTIALS
from scene_gym.errors import EditError

#: Seats that face one way (a stool or a bench has no front worth turning).
SEATS = frozenset(
    {"sofa", "armchair", "recliner", "dining_chair", "office_chair", "waiting_chair", "kids_chair"}
)
#: Seats pulled up to a table, a desk or a counter.
CHAIRS = frozenset({"dining_chair", "office_chair", "kids_chair", "bar_stool", "stool", "waiting_chair", "armchair",
                    "sofa", "bench"})  # fmt: skip
#: Tables, desks and counters people sit at.
TABLES = frozenset({"dining_table", "desk", "meeting_table", "kids_table", "student_desk", "teacher_desk",
                    "coffee_table", "kitchen_counter"})  # fmt: skip
#: Lamps that stand on a surface.
SURFACE_LAMPS = frozenset({"table_lamp", "desk_lamp"})
#: Categories a kitchen has and a bedroom (or a gym...) does not.
KITCHEN_APPLIANCES = ("fridge", "stove", "dishwasher")
#: Categories a bathroom has and other rooms do not.
BATHROOM_FIXTURES = ("toilet", "bathtub")


def factory(category: str):
    """The catalog's asset program for ``category`` (None when unknown)."""
    return factories().get(category)


def is_furniture(obj) -> bool:
    """A floor object that is neither small, nor a thin covering (rug, mat), nor a door."""
    f = factory(obj.category)
    return (obj.parent == "floor" and f is not None and not f.small and not f.thin_covering
            and obj.category != "interior_door")  # fmt: skip


def furniture(scene) -> list:
    """The scene's floor furniture (:func:`is_furniture`), in scene order."""
    return [o for o in scene.objects if is_furniture(o)]


def area(obj) -> float:
    """Footprint area of ``obj``, m²."""
    return float(obj.size[0] * obj.size[1])


def largest(objs: Iterable, key: Callable = area):
    """The object of ``objs`` with the largest ``key`` (ties: the first), None for none."""
    best = None
    for o in objs:
        if best is None or key(o) > key(best):
            best = o
    return best


def main_object(scene):
    """The room's main object: the largest floor object of the first essential group of its room type that the
    scene holds (the bed of a bedroom, the sofa of a living room...), else its largest piece of furniture."""
    floor = furniture(scene)
    for group in ESSENTIALS.get(scene.room.type, ()):
        found = largest(o for o in floor if o.category in group)
        if found is not None:
            return found
    return largest(floor)


def sole_main_object(scene):
    """The room's main object (:func:`main_object`) when it is the only object of its essential group in the scene
    (one bed, one sofa), else None: removing one of two treadmills or adding a third dining table to a restaurant
    is not damage."""
    main = main_object(scene)
    if main is None:
        return None
    group = next((g for g in ESSENTIALS.get(scene.room.type, ()) if main.category in g), {main.category})
    return main if sum(o.category in group for o in scene.objects) == 1 else None


def essential_objects(scene) -> list:
    """Every object of a category in one of the room type's essential groups."""
    cats = {c for group in ESSENTIALS.get(scene.room.type, ()) for c in group}
    return [o for o in scene.objects if o.category in cats]


def wrap(angle: float) -> float:
    """``angle`` (radians) wrapped into (-pi, pi]."""
    a = math.remainder(angle, 2 * math.pi)
    return math.pi if a == -math.pi else a


def wall_gaps(room, obj) -> np.ndarray:
    """(W,) float: for each wall, the smallest distance from ``obj``'s footprint corners to the wall's line,
    measured along its inward normal (negative when a corner is behind the wall)."""
    corners = obj.footprint()
    out = []
    for k in range(len(room.floor)):
        a, _ = room.wall(k)
        out.append(float(((corners - a) @ room.wall_normal(k)).min()))
    return np.array(out)


def backing_wall(room, obj, tol: float = 0.25) -> int | None:
    """Index of the wall ``obj`` has its back to (it faces the wall's inward normal within 25 degrees and its
    footprint is within ``tol`` metres of it), else None."""
    gaps = wall_gaps(room, obj)
    front = obj.front
    for k in np.argsort(gaps):
        if gaps[k] <= tol and float(front @ room.wall_normal(int(k))) > math.cos(math.radians(25)):
            return int(k)
    return None


def nearest_wall(room, obj) -> tuple[int, float]:
    """(index, gap in metres) of the wall nearest ``obj``'s footprint (see :func:`wall_gaps`)."""
    gaps = wall_gaps(room, obj)
    k = int(np.argmin(gaps))
    return k, float(gaps[k])


def _boxes(objs: Iterable, margin: float) -> np.ndarray:
    rows = [np.r_[o.footprint().min(axis=0) - margin, o.footprint().max(axis=0) + margin] for o in objs]
    return np.array(rows).reshape(-1, 4)


def free_spot(scene, size, rng: np.random.Generator, *, tries: int = 400, margin: float = 0.05,
              avoid_openings: float = 0.9) -> tuple[float, float, float] | None:  # fmt: skip
    """(x, y, yaw) where a floor object of ``size`` (w, d, h) metres fits inside the room without touching the
    furniture's footprint boxes (grown by ``margin``) or the ``avoid_openings`` metres in front of a door;
    yaw is 0 or pi/2. None when ``tries`` random draws find nothing."""
    boxes = _boxes(furniture(scene), margin)
    w, d = scene.room.bounds
    doors = [scene.room.opening_center(op)[:2] for op in scene.room.openings if op.kind == "door"]
    for _ in range(tries):
        yaw = float(rng.choice([0.0, math.pi / 2]))
        hx, hy = (size[0] / 2, size[1] / 2) if yaw == 0.0 else (size[1] / 2, size[0] / 2)
        if w <= 2 * hx or d <= 2 * hy:
            return None
        x, y = float(rng.uniform(hx, w - hx)), float(rng.uniform(hy, d - hy))
        lo, hi = np.array([x - hx, y - hy]), np.array([x + hx, y + hy])
        if len(boxes) and np.any((boxes[:, 0] < hi[0]) & (boxes[:, 2] > lo[0]) & (boxes[:, 1] < hi[1])
                                 & (boxes[:, 3] > lo[1])):  # fmt: skip
            continue
        if any(np.linalg.norm(np.clip(c, lo, hi) - c) < avoid_openings for c in doors):
            continue
        corners = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
        if edit.outside_by(scene.room, corners) > 0:
            continue
        return x, y, yaw
    return None


def add_free(scene, category: str, rng: np.random.Generator, size=None):
    """Add a ``category`` object to ``scene`` at a :func:`free_spot` (its default size unless ``size``); returns
    the new object, or None when no spot fits or the edit core refuses it."""
    f = factory(category)
    size = tuple(f.default_size if size is None else size)
    spot = free_spot(scene, size, rng)
    if spot is None:
        return None
    x, y, yaw = spot
    try:
        return edit.add_object(scene, category, position=(x, y, 0.0), yaw=yaw, size=size)
    except EditError:
        return None


def try_edit(fn: Callable, *args, **kwargs) -> bool:
    """Run one edit-core call; True when it applied, False when the edit core refused it (the scene is then
    unchanged, as the edit core guarantees)."""
    try:
        fn(*args, **kwargs)
    except EditError:
        return False
    return True
