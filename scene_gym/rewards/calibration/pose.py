"""Perturbation families that damage where things stand: turned, pushed, floated, resized, piled up.

Each family is ``(scene, rng) -> Scene | None``: a damaged copy built with :mod:`scene_gym.actions.edit`, or None
when the scene has nothing it applies to (the input is never changed). Units: metres and radians. Each docstring
says what it damages and which judge term should notice.
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.actions import edit
from scene_gym.rewards.calibration.helpers import (
    SEATS,
    backing_wall,
    factory,
    furniture,
    largest,
    main_object,
    nearest_wall,
    try_edit,
    wrap,
)


def _done(out, changed: bool):
    return out if changed else None


def turn_seats_away(scene, rng: np.random.Generator):
    """Turn every seat (sofa, armchair, chairs) half round, so it faces away from the table, TV or the other seats
    it was set up for. Should lower: functionality (seats facing a focal point)."""
    out = scene.copy()
    seats = [o for o in furniture(out) if o.category in SEATS]
    changed = [try_edit(edit.turn_object, out, o.id, wrap(o.yaw + math.pi)) for o in seats]
    return _done(out, any(changed))


def face_furniture_to_wall(scene, rng: np.random.Generator):
    """Turn every piece of furniture that stands with its back to a wall (wardrobe, bookshelf, TV stand,
    counter...) to face that wall, doors and shelves unreachable. Should lower: functionality (access to the
    object's front) and layout (against-wall with the back to it)."""
    out = scene.copy()
    backed = [o for o in furniture(out) if backing_wall(out.room, o) is not None]
    changed = [try_edit(edit.turn_object, out, o.id, wrap(o.yaw + math.pi)) for o in backed]
    return _done(out, any(changed))


def hang_wall_objects_backwards(scene, rng: np.random.Generator):
    """Hang every wall object (painting, mirror, whiteboard, cabinet) with its front against the wall, by taking
    it down and hanging it again turned half round. Should lower: realism (wall objects' backs to the wall)."""
    out = scene.copy()
    hung = [o for o in out.objects if o.parent == "wall"]
    if not hung:
        return None
    edit.remove_objects(out, [o.id for o in hung])
    added = [try_edit(edit.add_object, out, o.category, position=o.position, yaw=wrap(o.yaw + math.pi),
                      size=o.size, material=o.material, parent="wall") for o in hung]  # fmt: skip
    return _done(out, any(added))


def push_into_walls(scene, rng: np.random.Generator):
    """Push every piece of furniture standing within 0.3 m of a wall 40% of its depth into that wall. Should
    lower: realism (objects out of bounds)."""
    out = scene.copy()
    changed = False
    for o in furniture(out):
        k, gap = nearest_wall(out.room, o)
        if gap > 0.3:
            continue
        n = out.room.wall_normal(k)
        proj = o.footprint() @ n
        step = gap + 0.4 * float(proj.max() - proj.min())
        changed |= try_edit(edit.move_object, out, o.id, by=(float(-n[0] * step), float(-n[1] * step)))
    return _done(out, changed)


def pull_off_walls(scene, rng: np.random.Generator):
    """Pull every piece of furniture that has its back to a wall 1 m forward into the room. Should lower: layout
    (furniture against walls) and functionality (circulation)."""
    out = scene.copy()
    changed = False
    for o in furniture(out):
        if backing_wall(out.room, o) is not None:
            f = o.front
            changed |= try_edit(edit.move_object, out, o.id, by=(float(f[0]), float(f[1])))
    return _done(out, changed)


def float_furniture(scene, rng: np.random.Generator):
    """Lift every piece of floor furniture (and what rests on it) 0.4 m into the air. Should lower: realism
    (unsupported objects)."""
    out = scene.copy()
    changed = [try_edit(edit.move_object, out, o.id, by=(0.0, 0.0, 0.4)) for o in furniture(out)]
    return _done(out, any(changed))


def sink_into_floor(scene, rng: np.random.Generator):
    """Sink every piece of floor furniture 40% of its height into the floor. Should lower: realism (objects out
    of bounds, below the floor)."""
    out = scene.copy()
    changed = [try_edit(edit.move_object, out, o.id, by=(0.0, 0.0, -0.4 * o.size[2])) for o in furniture(out)]
    return _done(out, any(changed))


def _resize_all(scene, pick):
    out = scene.copy()
    changed = False
    for o in furniture(out):
        lo, hi = factory(o.category).size_range
        target = pick(lo, hi)
        if any(abs(a - b) > 0.02 for a, b in zip(target, o.size, strict=True)):
            changed |= try_edit(edit.resize_object, out, o.id, size=target)
    return _done(out, changed)


def shrink_to_doll_size(scene, rng: np.random.Generator):
    """Shrink every piece of furniture to the smallest size its category allows (a single bed in a hall, a
    toddler's sofa). Should lower: realism (scale against the room) and completeness (the room looks empty)."""
    return _resize_all(scene, lambda lo, hi: tuple(lo))


def inflate_furniture(scene, rng: np.random.Generator):
    """Grow every piece of furniture to the largest size its category allows, in place. Should lower: realism
    (collisions, scale against the room) and functionality (circulation)."""
    return _resize_all(scene, lambda lo, hi: tuple(hi))


def rotate_everything_45(scene, rng: np.random.Generator):
    """Turn every piece of furniture 45 degrees about its own centre. Should lower: layout (alignment with the
    walls, against-wall) and realism (collisions)."""
    out = scene.copy()
    changed = [try_edit(edit.turn_object, out, o.id, wrap(o.yaw + math.pi / 4)) for o in furniture(out)]
    return _done(out, any(changed))


def pile_into_corner(scene, rng: np.random.Generator):
    """Move every piece of furniture into one corner of the room (drawn from ``rng``), all on the same spot.
    Should lower: realism (collisions) and layout (free space)."""
    out = scene.copy()
    items = furniture(out)
    if len(items) < 2:
        return None
    w, d = out.room.bounds
    cx, cy = (float(rng.integers(2)) * w, float(rng.integers(2)) * d)
    changed = False
    for o in items:
        fp = o.footprint()
        hx, hy = (fp.max(axis=0) - fp.min(axis=0)) / 2 + 0.02
        x = hx if cx == 0 else cx - hx
        y = hy if cy == 0 else cy - hy
        changed |= try_edit(edit.move_object, out, o.id, to=(float(x), float(y)))
    return _done(out, changed)


def overlap_large_objects(scene, rng: np.random.Generator):
    """Move the second-largest piece of furniture onto the largest one's spot, the two boxes interpenetrating.
    Should lower: realism (collisions) and layout (free)."""
    out = scene.copy()
    items = sorted(furniture(out), key=lambda o: -o.size[0] * o.size[1])
    if len(items) < 2:
        return None
    a, b = items[0], items[1]
    return _done(out, try_edit(edit.move_object, out, b.id, to=(a.position[0], a.position[1])))


def _in_front_of(out, obj, opening) -> bool:
    """Stand ``obj`` turned along ``opening``'s wall right in front of it (inside the room)."""
    room = out.room
    a, b = room.wall(opening.wall)
    along = math.atan2(b[1] - a[1], b[0] - a[0])
    n = room.wall_normal(opening.wall)
    c = room.opening_center(opening)[:2] + n * (obj.size[1] / 2 + 0.05)
    turned = try_edit(edit.turn_object, out, obj.id, wrap(along))
    return try_edit(edit.move_object, out, obj.id, to=(float(c[0]), float(c[1]))) or turned


def _block(scene, kind: str):
    out = scene.copy()
    opening = next((op for op in out.room.openings if op.kind == kind), None)
    tallest = largest(furniture(out), key=lambda o: o.size[2])
    if opening is None or tallest is None:
        return None
    return _done(out, _in_front_of(out, tallest, opening))


def block_the_door(scene, rng: np.random.Generator):
    """Stand the tallest piece of furniture right in front of the door, along its wall. Should lower:
    functionality (door clearance, reachability of the room)."""
    return _block(scene, "door")


def block_the_window(scene, rng: np.random.Generator):
    """Stand the tallest piece of furniture right in front of the window, along its wall. Should lower:
    functionality (window clearance)."""
    return _block(scene, "window")


def main_object_across_door(scene, rng: np.random.Generator):
    """Put the room's main object (bed, sofa, table, desk...) across the doorway. Should lower: functionality
    (door clearance, circulation) and layout (the main piece off its wall)."""
    out = scene.copy()
    main = main_object(out)
    door = next((op for op in out.room.openings if op.kind == "door"), None)
    if main is None or door is None:
        return None
    return _done(out, _in_front_of(out, main, door))


POSE_FAMILIES = (turn_seats_away, face_furniture_to_wall, hang_wall_objects_backwards, push_into_walls,
                 pull_off_walls, float_furniture, sink_into_floor, shrink_to_doll_size, inflate_furniture,
                 rotate_everything_45, pile_into_corner, overlap_large_objects, block_the_door, block_the_window,
                 main_object_across_door)  # fmt: skip
"""The pose families, in table order."""
