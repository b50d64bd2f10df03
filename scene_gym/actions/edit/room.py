"""The room: is an object inside it, pushing a footprint back inside, compass walls, replacing the room, and the
scene-wide prompt.

Geometry is metres and radians in room coordinates (see :mod:`scene_gym.scene`). Footprints here are objects'
bounding-box footprints, which contain their colliders, so "inside" here implies "inside" for the physics checks.
A compass wall is the wall on that side of the room: the "north" wall's inward normal points south (-Y).
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.actions.edit.lookup import as_edit_error, get_object
from scene_gym.errors import EditError
from scene_gym.scene import Room, Scene, SceneObject, mutation
from scene_gym.scene.geometry import distance_to_polygon_boundary, footprint_corners, points_in_polygon

ROOM_TOLERANCE = 0.01
"""Metres an object may reach beyond the floor polygon, below the floor or above the ceiling and still count as
inside (the out-of-bounds metric's tolerance)."""
INSIDE_MARGIN = 0.002  # metres a pushed footprint ends inside the wall line, so float noise keeps it inside
_INWARD = {"north": (0.0, -1.0), "south": (0.0, 1.0), "east": (-1.0, 0.0), "west": (1.0, 0.0)}


# --- footprints -----------------------------------------------------------------------------------------------
def footprint(obj: SceneObject, x: float | None = None, y: float | None = None, yaw: float | None = None) -> np.ndarray:
    """Bounding-box footprint corners (4, 2) float, counter-clockwise, optionally at another pose (metres,
    radians)."""
    pos = (obj.position[0] if x is None else x, obj.position[1] if y is None else y, 0.0)
    return footprint_corners(pos, obj.size[0], obj.size[1], obj.yaw if yaw is None else yaw)


def outside_by(room: Room, corners: np.ndarray) -> float:
    """How far (metres) the footprint with ``corners`` (K, 2) leaves the floor polygon: the largest distance of a
    corner outside it, or the deepest reflex room corner inside the footprint; 0 when inside."""
    from scene_gym.physics.checks import depth_inside_convex, reflex_vertices

    worst = 0.0
    out = ~points_in_polygon(corners, room.floor)
    if out.any():
        worst = float(distance_to_polygon_boundary(corners[out], room.polygon).max())
    reflex = reflex_vertices(room.floor)
    if len(reflex):
        worst = max(worst, float(depth_inside_convex(reflex, corners).max()))
    return max(worst, 0.0)


def push_inside(room: Room, corners: np.ndarray, max_shift: float) -> tuple[float, float] | None:
    """A translation (dx, dy), at most ``max_shift`` metres long, that brings the footprint ``corners`` (K, 2)
    inside the floor polygon (each corner at least 2 mm inside its wall line); None when none is found."""
    poly = room.polygon
    shift = np.zeros(2)
    for _ in range(8):
        pts = corners + shift
        if outside_by(room, pts) == 0.0 and points_in_polygon(pts, room.floor).all():
            if distance_to_polygon_boundary(pts, poly).min() >= INSIDE_MARGIN * 0.5:
                return (float(shift[0]), float(shift[1])) if np.linalg.norm(shift) <= max_shift + 1e-9 else None
        step = _worst_step(room, pts)
        if not np.any(step):
            break
        shift = shift + step
    if outside_by(room, corners + shift) == 0.0 and np.linalg.norm(shift) <= max_shift + 1e-9:
        return float(shift[0]), float(shift[1])
    return None


def _worst_step(room: Room, pts: np.ndarray) -> np.ndarray:
    """The longest step that brings one corner of ``pts`` (K, 2) onto the inside of its nearest wall line."""
    poly = room.polygon
    out = ~points_in_polygon(pts, room.floor)
    best = np.zeros(2)
    for p in pts[out] if out.any() else pts:
        q = _closest_on_boundary(p, poly)
        v = q - p
        n = np.linalg.norm(v)
        if out.any():
            v = v + (v / n if n > 1e-12 else 0.0) * INSIDE_MARGIN
        elif n >= INSIDE_MARGIN:
            continue
        else:  # on the wall line: step inwards along the polygon's inward normal at q
            v = _inward_normal(poly, q) * INSIDE_MARGIN
        if np.linalg.norm(v) > np.linalg.norm(best):
            best = v
    return best


def _closest_on_boundary(p: np.ndarray, poly: np.ndarray) -> np.ndarray:
    a, b = poly, np.roll(poly, -1, axis=0)
    ab = b - a
    t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12), 0.0, 1.0)
    q = a + t[:, None] * ab
    return q[np.argmin(np.linalg.norm(q - p, axis=1))]


def _inward_normal(poly: np.ndarray, q: np.ndarray) -> np.ndarray:
    a, b = poly, np.roll(poly, -1, axis=0)
    ab = b - a
    t = np.clip(((q - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12), 0.0, 1.0)
    i = int(np.argmin(np.linalg.norm(a + t[:, None] * ab - q, axis=1)))
    e = ab[i] / max(np.linalg.norm(ab[i]), 1e-12)
    return np.array([-e[1], e[0]])  # the floor polygon runs counter-clockwise: inside is on the left


# --- objects and the room -------------------------------------------------------------------------------------
def check_inside(scene: Scene, object_id: str, *, field: str | None = "position") -> None:
    """Raise :class:`EditError` on ``field`` when the object's footprint leaves the floor polygon, or its box goes
    below the floor or above the ceiling, by more than :data:`ROOM_TOLERANCE` metres. The message gives the
    object's and the room's extents."""
    obj = get_object(scene, object_id)
    room = scene.room
    corners = obj.footprint()
    out = outside_by(room, corners)
    low, top = obj.position[2], obj.top
    if out <= ROOM_TOLERANCE and low >= -ROOM_TOLERANCE and top <= room.wall_height + ROOM_TOLERANCE:
        return
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    w, d = room.bounds
    by = f" by {out:.2f} m" if out > ROOM_TOLERANCE else ""
    raise EditError(f"{obj.id} would leave the room{by}: it spans x {lo[0]:.2f}..{hi[0]:.2f}, y {lo[1]:.2f}.."
                    f"{hi[1]:.2f}, z {low:.2f}..{top:.2f} m; the room spans x 0..{w:.2f}, y 0..{d:.2f}, "
                    f"z 0..{room.wall_height:.2f} m", field=field)  # fmt: skip


def nudge_inside(scene: Scene, object_id: str, max_shift: float) -> tuple[float, float] | None:
    """If a floor object leaves the room by more than :data:`ROOM_TOLERANCE`, push it and everything resting on
    it back inside by at most ``max_shift`` metres.

    Returns the shift (dx, dy) applied, metres: ``(0.0, 0.0)`` when nothing was needed (also for objects not on
    the floor), or None when no push of at most ``max_shift`` brings it inside (the scene is then unchanged).
    """
    from scene_gym.actions.edit.objects import move_object

    obj = get_object(scene, object_id)
    if obj.parent != "floor" or outside_by(scene.room, footprint(obj)) <= ROOM_TOLERANCE:
        return 0.0, 0.0
    shift = push_inside(scene.room, footprint(obj), max_shift)
    if shift is not None:
        move_object(scene, object_id, by=shift)
    return shift


# --- compass walls --------------------------------------------------------------------------------------------
def compass_wall(room: Room, side: str, near_xy=None) -> int:
    """Index of the ``side`` ("north", "south", "east", "west") wall: the one facing that way nearest
    ``near_xy`` (x, y), or the longest when None."""
    if side not in _INWARD:
        raise EditError(f"expected a compass side among {list(_INWARD)}, got {side!r}", field="side")
    want = np.asarray(_INWARD[side])
    walls = [i for i in range(len(room.floor)) if float(room.wall_normal(i) @ want) > 0.9]
    if not walls:
        raise EditError(f"expected a room with a {side} wall, got none facing that way", field="side")
    if near_xy is None:
        return max(walls, key=room.wall_length)
    p = np.asarray(near_xy, dtype=float)

    def dist(i):
        a, b = room.wall(i)
        t = np.clip((p - a) @ (b - a) / max((b - a) @ (b - a), 1e-12), 0, 1)
        return float(np.linalg.norm(a + t * (b - a) - p))

    return min(walls, key=dist)


def snap_to_wall(room: Room, side: str, xy, width: float, depth: float) -> tuple[float, float, float]:
    """(x, y, yaw) putting an object of ``width`` x ``depth`` metres with its back flush against the ``side``
    wall (5 mm off it), facing into the room, as near ``xy`` along the wall as it fits (centred when None)."""
    i = compass_wall(room, side, xy)
    a, b = room.wall(i)
    length = room.wall_length(i)
    if width > length + 1e-9:
        raise EditError(f"expected an object at most {length:.2f} m wide for the {side} wall, got {width:.2f} m",
                        field="size")  # fmt: skip
    t, n = (b - a) / length, room.wall_normal(i)
    s = length / 2 if xy is None else float(np.clip((np.asarray(xy) - a) @ t, width / 2, length - width / 2))
    p = a + t * s + n * (depth / 2 + 0.005)
    return float(p[0]), float(p[1]), math.atan2(-n[0], n[1])


# --- the room and the prompt ----------------------------------------------------------------------------------
def replace_room(scene: Scene, room: Room) -> tuple[list[str], list[str]]:
    """Start over in ``room``: remove every object (and the relations recorded about them) and every light
    outside the new room (x, y off the floor, or z outside [0, wall height]), then set the room.

    Returns (removed object ids, removed light ids).
    """
    from scene_gym.actions.edit.lights import remove_light
    from scene_gym.actions.edit.objects import remove_objects

    if not isinstance(room, Room):
        raise EditError(f"expected a Room, got {type(room).__name__}", field="room")
    removed = remove_objects(scene, [o.id for o in scene.objects])
    dropped = [light.id for light in scene.lights
               if not (room.contains([light.position[:2]])[0] and 0 <= light.position[2] <= room.wall_height)]  # fmt: skip
    for light_id in dropped:
        remove_light(scene, light_id)
    with as_edit_error("room"):
        mutation.set_room(scene, room)
    return removed, dropped


def set_prompt(scene: Scene, prompt: str) -> None:
    """Replace the scene's prompt (text of at most 20,000 characters); :class:`EditError` on ``prompt``
    otherwise."""
    with as_edit_error("prompt"):
        mutation.set_prompt(scene, prompt)
