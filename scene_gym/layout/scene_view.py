"""What relations and the solver see of a scene: the room's walls, corners and keep-out zones, and one
:class:`~scene_gym.layout.geometry.Box` per object.

:class:`Layout` is a light, mutable view. ``Layout.from_scene`` reads a scene once; the solver then moves boxes
in the view thousands of times without touching the scene, and writes the result back at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from scene_gym.errors import LayoutError
from scene_gym.layout.geometry import Box, polygon_centroid, polygon_is_convex, yaw_facing
from scene_gym.scene import Room, Scene, SceneObject

COMPASS_DIRECTIONS = {"north": (0.0, 1.0), "south": (0.0, -1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0),
                      "back": (0.0, 1.0), "front": (0.0, -1.0), "left": (-1.0, 0.0), "right": (1.0, 0.0)}  # fmt: skip
"""Outward direction of each compass wall word."""

DOOR_ZONE_MIN_DEPTH = 0.6
WINDOW_ZONE_DEPTH = 0.6
SWING_SUFFIX = ":swing"


@dataclass(frozen=True)
class Corner:
    """A convex corner of the floor polygon: ``point`` (2,), the wall ending there and the wall starting there."""

    point: tuple[float, float]
    wall_in: int
    wall_out: int


class RoomGeometry:
    """Derived geometry of a :class:`~scene_gym.scene.Room` (build with :func:`room_geometry`, cached).

    Attributes:
        polygon: (P, 2) floor polygon, counter-clockwise.
        starts, ends, tangents, normals: (P, 2) wall start/end points, unit directions and inward normals.
        lengths: (P,) wall lengths, metres.
        corners: convex corners (interior angle below 180 degrees).
        centroid: area centroid (x, y).
        convex: whether the floor polygon is convex.
        wall_height: metres.
        keepouts: door swing and window zones as boxes (door: width x max(width, 0.6 m) in front of the door,
            from the floor to its top; window: width x 0.6 m in front of it, from its sill to its top).
    """

    def __init__(self, room: Room):
        self.room = room
        p = room.polygon
        self.polygon = p
        self.starts, self.ends = p, np.roll(p, -1, axis=0)
        edge = self.ends - self.starts
        self.lengths = np.linalg.norm(edge, axis=1)
        self.tangents = edge / np.maximum(self.lengths[:, None], 1e-12)
        self.normals = np.stack([-self.tangents[:, 1], self.tangents[:, 0]], axis=1)
        self.convex = polygon_is_convex(p)
        self.centroid = polygon_centroid(p)
        self.wall_height = float(room.wall_height)
        n = len(p)
        self.corners = []
        for i in range(n):
            t_in, t_out = self.tangents[i - 1], self.tangents[i]
            if t_in[0] * t_out[1] - t_in[1] * t_out[0] > 1e-9:
                self.corners.append(Corner((float(p[i, 0]), float(p[i, 1])), (i - 1) % n, i))
        self.keepouts = [self._keepout(o) for o in room.openings]

    def _keepout(self, opening) -> Box:
        i = opening.wall
        a, t, nrm = self.starts[i], self.tangents[i], self.normals[i]
        centre = a + t * opening.offset
        if opening.kind == "door":
            depth, z0, h = max(opening.width, DOOR_ZONE_MIN_DEPTH), 0.0, opening.height
        else:
            depth, z0, h = WINDOW_ZONE_DEPTH, opening.sill, opening.height
        c = centre + nrm * depth / 2
        return Box(opening.id, "", c[0], c[1], z0, opening.width, depth, h, yaw_facing(*nrm))

    def walls_for(self, ref: int | str | None) -> list[int]:
        """Wall indices a wall reference means: an index, a compass word (every wall whose outward side points
        within 45 degrees of that direction) or None (all walls)."""
        n = len(self.lengths)
        if ref is None:
            return list(range(n))
        if isinstance(ref, int):
            if ref >= n:
                raise LayoutError(f"wall: expected a wall index below {n} (the room has {n} walls), got {ref}")
            return [ref]
        dx, dy = COMPASS_DIRECTIONS[ref]
        out = -self.normals
        return [i for i in range(n) if out[i, 0] * dx + out[i, 1] * dy > math.cos(math.radians(45)) + 1e-9]

    def wall_yaw(self, i: int) -> float:
        """Yaw of an object with its back to wall ``i`` (facing into the room)."""
        return yaw_facing(*self.normals[i])


def swing_zone(door: Box) -> Box:
    """The zone in front of a door *object* (``DOOR_CATEGORIES``) that must stay clear: its width, 0.6 m deep
    (as the room's own doors), floor to its top; id ``<door id>:swing``."""
    depth = DOOR_ZONE_MIN_DEPTH
    x, y = door.world(0.0, door.d / 2 + depth / 2)
    return Box(door.id + SWING_SUFFIX, "", x, y, door.z, door.w, depth, door.h, door.yaw)


@lru_cache(maxsize=128)
def room_geometry(room: Room) -> RoomGeometry:
    """The (cached) derived geometry of a room."""
    return RoomGeometry(room)


def _is_thin(category: str) -> bool:
    from scene_gym.assets import get_factory
    from scene_gym.errors import UnknownCategoryError

    try:
        return bool(get_factory(category).thin_covering)
    except UnknownCategoryError:
        return False


def box_of(obj: SceneObject) -> Box:
    """The layout box of a scene object."""
    key = (obj.category, tuple(obj.size), tuple(sorted(obj.params.items())), obj.seed, obj.material or None)
    return Box(obj.id, obj.category, obj.position[0], obj.position[1], obj.position[2], *obj.size, obj.yaw,
               obj.parent, _is_thin(obj.category), key)  # fmt: skip


@dataclass(frozen=True)
class WorldSurface:
    """A support surface in room coordinates: centre (x, y), height z, extents along the parent's axes."""

    name: str
    x: float
    y: float
    z: float
    w: float
    d: float
    yaw: float
    clearance: float

    def as_box(self) -> Box:
        """The surface rectangle as a zero-height box (for point-in-rectangle tests)."""
        return Box(self.name, "", self.x, self.y, self.z, self.w, self.d, 0.0, self.yaw)


def surfaces_of(box: Box) -> list[WorldSurface]:
    """Support surfaces of the object ``box`` in room coordinates (joint positions 0).

    Uses the object's asset program; objects whose category is not in the catalog get their bounding box's
    top face as their only surface.
    """
    local = _local_surfaces(box.asset_key) if box.asset_key else None
    if local is None:
        return [WorldSurface("top", box.x, box.y, box.top, box.w, box.d, box.yaw, math.inf)]
    out = []
    for name, cx, cy, cz, sw, sd, clearance in local:
        x, y = box.world(cx, cy)
        out.append(WorldSurface(name, x, y, box.z + cz, sw, sd, box.yaw, clearance))
    return out


@lru_cache(maxsize=2048)
def _local_surfaces(key: tuple) -> tuple | None:
    from scene_gym.assets import build_asset
    from scene_gym.errors import SceneGymError

    category, size, params, seed, material = key
    try:
        asset = build_asset(category, size, dict(params), seed, material)
    except SceneGymError:
        return None
    return tuple((s.name, *s.center, *s.size, s.clearance) for s in asset.surfaces)


class Layout:
    """Boxes of a scene's objects plus the room geometry; what evaluators and the solver read.

    Args:
        room: the room.
        boxes: object boxes (their ids must be unique).
    """

    def __init__(self, room: Room, boxes=()):
        self.room = room_geometry(room)
        self.boxes: dict[str, Box] = {b.id: b for b in boxes}

    @classmethod
    def from_scene(cls, scene: Scene) -> Layout:
        """A view of every object of ``scene``."""
        return cls(scene.room, (box_of(o) for o in scene.objects))

    def get(self, object_id: str) -> Box:
        """The box of ``object_id``; unknown ids raise :class:`LayoutError` naming the id."""
        try:
            return self.boxes[object_id]
        except KeyError:
            known = ", ".join(list(self.boxes)[:20])
            raise LayoutError(f"unknown object id {object_id!r}; known ids: {known or '(none)'}") from None

    def ancestors(self, object_id: str) -> list[str]:
        """Ids of the objects ``object_id`` rests on, nearest first."""
        out, node = [], self.boxes[object_id].parent if object_id in self.boxes else None
        while node in self.boxes and node not in out:
            out.append(node)
            node = self.boxes[node].parent
        return out
