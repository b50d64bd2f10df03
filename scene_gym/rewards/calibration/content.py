"""Perturbation families that damage what the room holds: its main pieces removed, duplicated or swapped,
wrong-room objects added, clutter scattered, small objects taken off their surfaces.

Each family is ``(scene, rng) -> Scene | None``: a damaged copy built with :mod:`scene_gym.actions.edit`, or None
when the scene has nothing it applies to (the input is never changed). Units: metres and radians. Each docstring
says what it damages and which judge term should notice.
"""

from __future__ import annotations

import numpy as np

from scene_gym.actions import edit
from scene_gym.assets.room_priors import ESSENTIALS
from scene_gym.rewards.calibration.helpers import (
    BATHROOM_FIXTURES,
    CHAIRS,
    KITCHEN_APPLIANCES,
    SURFACE_LAMPS,
    TABLES,
    add_free,
    essential_objects,
    factory,
    furniture,
    largest,
    main_object,
    sole_main_object,
    try_edit,
)


def _done(out, changed: bool):
    return out if changed else None


def remove_main_object(scene, rng: np.random.Generator):
    """Remove the room's main object (the bed of a bedroom, the sofa of a living room:
    :func:`~.helpers.sole_main_object`, which applies only when the scene has one object of that essential group)
    and what rests on it. Should lower: functionality and completeness (essentials)."""
    out = scene.copy()
    main = sole_main_object(out)
    if main is None:
        return None
    edit.remove_objects(out, [main.id])
    return out


def remove_essentials(scene, rng: np.random.Generator):
    """Remove every object of the room type's essential categories (bed and wardrobe of a bedroom, fridge, stove,
    sink and counters of a kitchen...). Should lower: functionality and completeness (essentials)."""
    out = scene.copy()
    ids = [o.id for o in essential_objects(out)]
    if not ids:
        return None
    edit.remove_objects(out, [i for i in ids if i in out])
    return out


def remove_chairs_from_tables(scene, rng: np.random.Generator):
    """Remove every chair, stool, armchair, sofa or bench standing within 1 m of a table, desk, coffee table or
    counter.
    Should lower: functionality (a desk or table with a chair in front, seating of the room)."""
    out = scene.copy()
    tables = [o for o in furniture(out) if o.category in TABLES]
    chairs = [c for c in furniture(out) if c.category in CHAIRS
              and any(np.linalg.norm(np.subtract(c.position[:2], t.position[:2])) < 1.0 + max(t.size[:2]) / 2
                      for t in tables)]  # fmt: skip
    if not chairs:
        return None
    edit.remove_objects(out, [c.id for c in chairs])
    return out


def delete_small_objects(scene, rng: np.random.Generator):
    """Remove everything that rests on another object (books, lamps, cups, pillows...). Should lower:
    functionality (receptacles holding something, lamps on surfaces) and completeness (richness)."""
    out = scene.copy()
    ids = [o.id for o in out.objects if o.parent not in ("floor", "wall", "ceiling")]
    if not ids:
        return None
    edit.remove_objects(out, [i for i in ids if i in out])
    return out


def empty_room(scene, rng: np.random.Generator):
    """Remove every object: the bare room. Should lower: every grade ("nothing for nothing")."""
    out = scene.copy()
    if not len(out):
        return None
    edit.remove_objects(out, [o.id for o in out.objects if o.parent in ("floor", "wall", "ceiling")])
    return out


def duplicate_main_object(scene, rng: np.random.Generator):
    """Add a second copy of the room's main object (two beds in a bedroom, two fridges in a kitchen) at a free
    spot, else on top of the first; only where the scene has one object of that essential group
    (:func:`~.helpers.sole_main_object`: a second treadmill in a gym is no damage). Should lower: realism (scale,
    counts a room plausibly holds) and completeness (the prompt's counts)."""
    out = scene.copy()
    main = sole_main_object(out)
    if main is None:
        return None
    if add_free(out, main.category, rng, size=main.size) is not None:
        return out
    return _done(out, try_edit(edit.add_object, out, main.category, position=main.position, yaw=main.yaw,
                               size=main.size))  # fmt: skip


def stack_copies(scene, rng: np.random.Generator):
    """Stack two copies of one piece of furniture (the largest one short enough for three to fit under the
    ceiling) on top of it, each standing on nothing. Should lower: realism (unsupported objects, collisions)."""
    out = scene.copy()
    low = [o for o in furniture(out) if 3 * o.size[2] <= out.room.wall_height - 0.05]
    base = largest(low)
    if base is None:
        return None
    x, y, _ = base.position
    added = [try_edit(edit.add_object, out, base.category, position=(x, y, k * base.size[2]), yaw=base.yaw,
                      size=base.size) for k in (1, 2)]  # fmt: skip
    return _done(out, any(added))


def _add_foreign(scene, categories, rng, skip_room: str):
    if scene.room.type == skip_room:
        return None
    out = scene.copy()
    added = [add_free(out, c, rng) is not None for c in categories]
    return _done(out, any(added))


def kitchen_appliances_in_room(scene, rng: np.random.Generator):
    """Add a fridge, a stove and a dishwasher at free spots of any room but a kitchen. Should lower: realism
    (objects that belong in the room type)."""
    return _add_foreign(scene, KITCHEN_APPLIANCES, rng, "kitchen")


def bathroom_fixtures_in_room(scene, rng: np.random.Generator):
    """Add a toilet and a bathtub at free spots of any room but a bathroom. Should lower: realism (objects that
    belong in the room type)."""
    return _add_foreign(scene, BATHROOM_FIXTURES, rng, "bathroom")


def swap_essentials(scene, rng: np.random.Generator):
    """Replace the room type's essentials by another room type's (drawn from ``rng``): a bedroom without a bed
    but with a toilet and a bathtub. Should lower: functionality and completeness (essentials) and realism
    (objects that belong in the room type)."""
    mine = essential_objects(scene)
    if not mine:
        return None
    others = sorted(t for t in ESSENTIALS if t != scene.room.type)
    other = others[int(rng.integers(len(others)))]
    out = scene.copy()
    edit.remove_objects(out, [o.id for o in mine if o.id in out])
    for group in ESSENTIALS[other]:
        floor = [c for c in group if factory(c) is not None and factory(c).placement == "floor"]
        if floor:
            add_free(out, floor[0], rng)
    return out


def scatter_clutter(scene, rng: np.random.Generator):
    """Scatter 20 balls on free spots of the floor. Should lower: realism (the clutter budget of small objects
    nobody asked for) and functionality (circulation)."""
    out = scene.copy()
    added = [add_free(out, "ball", rng) is not None for _ in range(20)]
    return _done(out, sum(added) >= 10)


def rug_on_furniture(scene, rng: np.random.Generator):
    """Drop a rug over the room's main object (onto its top, as large as the top allows), taking the room's rug
    off the floor if it has one. Should lower: realism (coverings lie on the floor) and functionality (the
    main object unusable)."""
    out = scene.copy()
    main = main_object(out)
    if main is None:
        return None
    rugs = [o.id for o in out.objects if o.category == "rug"]
    if rugs:
        edit.remove_objects(out, rugs)
    lo, hi = factory("rug").size_range
    size = (float(np.clip(main.size[0], lo[0], hi[0])), float(np.clip(main.size[1], lo[1], hi[1])), 0.01)
    x, y, z = main.position
    return _done(out, try_edit(edit.add_object, out, "rug", position=(x, y, z + main.size[2]), yaw=main.yaw,
                               size=size))  # fmt: skip


def _surfaces(scene) -> list:
    return [
        o
        for o in furniture(scene)
        if o.category in TABLES
        or o.category
        in {"nightstand", "side_table", "coffee_table", "dresser", "kitchen_counter", "reception_desk"}
    ]


def pile_lamps_on_one_surface(scene, rng: np.random.Generator):
    """Put three more table lamps (the smallest the catalog makes) on one table, desk or nightstand: the largest
    that takes at least two. Should lower: realism and functionality (lamps per surface)."""
    size = (*factory("table_lamp").size_range[0][:2], 0.3)
    for host in sorted(_surfaces(scene), key=lambda o: -o.size[0] * o.size[1]):
        out = scene.copy()
        if sum(try_edit(edit.place_on, out, "table_lamp", host.id, size=size) for _ in range(3)) >= 2:
            return out
    return None


def small_objects_on_floor(scene, rng: np.random.Generator):
    """Take every small object off its surface and put it on the floor, around the middle of the room. Should
    lower: functionality (receptacles holding something, circulation) and realism (the clutter budget)."""
    small = [o for o in scene.objects if o.parent not in ("floor", "wall", "ceiling")
             and factory(o.category) is not None and factory(o.category).small]  # fmt: skip
    if not small:
        return None
    out = scene.copy()
    edit.remove_objects(out, [o.id for o in small if o.id in out])
    cx, cy = out.room.center
    w, d = out.room.bounds
    for o in small:
        x = float(np.clip(cx + rng.uniform(-0.25, 0.25) * w, o.size[0], w - o.size[0]))
        y = float(np.clip(cy + rng.uniform(-0.25, 0.25) * d, o.size[1], d - o.size[1]))
        try_edit(edit.add_object, out, o.category, position=(x, y, 0.0), yaw=o.yaw, size=o.size)
    return out


def lamp_on_floor_middle(scene, rng: np.random.Generator):
    """Take the table and desk lamps off their surfaces and stand them on the floor in the middle of the room
    (a floor lamp when there is none). Should lower: functionality (lamps on surfaces, circulation)."""
    out = scene.copy()
    lamps = [o for o in out.objects if o.category in SURFACE_LAMPS]
    cx, cy = out.room.center
    if lamps:
        edit.remove_objects(out, [o.id for o in lamps])
        added = [try_edit(edit.add_object, out, o.category, position=(cx + 0.4 * k, cy, 0.0), size=o.size)
                 for k, o in enumerate(lamps)]  # fmt: skip
        return _done(out, any(added))
    return _done(out, try_edit(edit.add_object, out, "floor_lamp", position=(cx, cy, 0.0)))


def wall_across_room(scene, rng: np.random.Generator):
    """Stand a row of bookshelves across the middle of the room, wall to wall but for 0.3 m, cutting it in two.
    Should lower: functionality (navigable floor, reachable objects) and realism (collisions)."""
    out = scene.copy()
    w, d = out.room.bounds
    lo, hi = factory("bookshelf").size_range
    width = float(hi[0])
    n = int((w - 0.3) // width)
    if n < 1:
        return None
    x0 = (w - n * width) / 2 + width / 2
    added = [try_edit(edit.add_object, out, "bookshelf", position=(x0 + k * width, d / 2, 0.0),
                      size=(width, 0.32, 1.8)) for k in range(n)]  # fmt: skip
    return _done(out, any(added))


CONTENT_FAMILIES = (remove_main_object, remove_essentials, remove_chairs_from_tables, delete_small_objects,
                    empty_room, duplicate_main_object, stack_copies, kitchen_appliances_in_room,
                    bathroom_fixtures_in_room, swap_essentials, scatter_clutter, rug_on_furniture,
                    pile_lamps_on_one_surface, small_objects_on_floor, lamp_on_floor_middle, wall_across_room)  # fmt: skip
"""The content families, in table order."""

__all__ = ["CONTENT_FAMILIES", *[f.__name__ for f in CONTENT_FAMILIES]]
