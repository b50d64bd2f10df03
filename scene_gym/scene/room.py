"""Rooms: a floor polygon, walls along its edges, and doors and windows placed on those walls.

Conventions (shared by the whole package):

- Metres, Z up, right-handed. The room's origin is a floor corner: the floor polygon's bounding box starts at
  (0, 0) and (0, 0) is one of its vertices.
- The floor polygon runs counter-clockwise seen from above. Wall ``i`` is the edge from vertex ``i`` to
  vertex ``i + 1`` (wrapping); its inward normal points to the left of that direction.
- An opening (door or window) lies on one wall: ``offset`` is the distance in metres from the wall's start
  vertex to the opening's centre along the wall; ``sill`` is the height of its bottom edge (0 for doors).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from scene_gym.scene.base import Model, finite
from scene_gym.scene.geometry import points_in_polygon, polygon_is_simple, polygon_signed_area

#: Largest coordinate accepted anywhere in a scene, metres. Larger values are almost surely garbage.
MAX_COORD = 1000.0

ROOM_TYPES: tuple[str, ...] = (
    "bedroom", "living room", "dining room", "kitchen", "bathroom", "gym", "restaurant", "children room",
    "nursery", "meeting room", "office", "waiting room", "classroom", "bookstore", "laundry room", "garage",
    "game room", "medical examination room", "studio apartment",
)  # fmt: skip


class Opening(Model):
    """A door or a window cut into one wall of the room.

    Attributes:
        id: readable id, e.g. ``door_1``.
        kind: ``"door"`` or ``"window"``.
        wall: index of the wall (floor-polygon edge) it sits on.
        offset: metres from the wall's start vertex to the opening's centre.
        width, height: metres.
        sill: height of the bottom edge above the floor, metres (0 for doors).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*_[0-9]+$")
    kind: Literal["door", "window"]
    wall: int = Field(ge=0)
    offset: float = finite(ge=0.0, le=MAX_COORD)
    width: float = finite(gt=0.0, le=20.0)
    height: float = finite(gt=0.0, le=20.0)
    sill: float = finite(ge=0.0, le=20.0, default=0.0)


class Room(Model):
    """The architecture of a scene: floor polygon, wall height, room type, openings and surface materials.

    Build common shapes with :meth:`rectangle` and :meth:`l_shape`.
    """

    type: str = Field(default="bedroom", min_length=1, max_length=64)
    floor: tuple[tuple[float, float], ...] = Field(min_length=3, max_length=64)
    wall_height: float = finite(gt=0.5, le=20.0, default=2.8)
    openings: tuple[Opening, ...] = ()
    floor_material: str = Field(default="oak wood", max_length=128)
    wall_material: str = Field(default="white paint", max_length=128)

    @field_validator("floor")
    @classmethod
    def _check_floor(cls, floor):
        for i, (x, y) in enumerate(floor):
            for name, v in (("x", x), ("y", y)):
                if not math.isfinite(v) or abs(v) > MAX_COORD:
                    raise ValueError(f"expected vertex {i} {name} to be finite and within ±{MAX_COORD} m, got {v!r}")
        xs, ys = [p[0] for p in floor], [p[1] for p in floor]
        if min(xs) != 0.0 or min(ys) != 0.0 or (0.0, 0.0) not in floor:
            raise ValueError(f"expected the floor polygon to have a corner at the origin (0, 0), got {list(floor)!r}")
        area = polygon_signed_area(floor)
        if area <= 0.0:
            raise ValueError(f"expected a counter-clockwise floor polygon with positive area, got signed area {area:.3f}")
        if not polygon_is_simple(floor):
            raise ValueError(f"expected a simple (non self-intersecting) floor polygon, got {list(floor)!r}")
        return floor

    @model_validator(mode="after")
    def _check_openings(self):
        seen = set()
        for opening in self.openings:
            if opening.id in seen:
                raise ValueError(f"duplicate opening id {opening.id!r}")
            seen.add(opening.id)
            if opening.wall >= len(self.floor):
                raise ValueError(f"opening {opening.id!r}: expected wall index < {len(self.floor)}, got {opening.wall}")
            length = self.wall_length(opening.wall)
            if opening.offset - opening.width / 2 < -1e-9 or opening.offset + opening.width / 2 > length + 1e-9:
                raise ValueError(
                    f"opening {opening.id!r}: expected it to fit on wall {opening.wall} of length {length:.3f} m, "
                    f"got offset {opening.offset} and width {opening.width}"
                )
            if opening.sill + opening.height > self.wall_height + 1e-9:
                raise ValueError(
                    f"opening {opening.id!r}: expected sill + height <= wall height {self.wall_height}, "
                    f"got {opening.sill + opening.height}"
                )
        return self

    # --- constructors -------------------------------------------------------------------------------------
    @classmethod
    def rectangle(cls, width: float, depth: float, **kwargs) -> Room:
        """A width (x) by depth (y) rectangle, metres. Walls: 0 south (y=0), 1 east, 2 north, 3 west."""
        return cls(floor=((0.0, 0.0), (width, 0.0), (width, depth), (0.0, depth)), **kwargs)

    @classmethod
    def l_shape(cls, width: float, depth: float, cut_width: float, cut_depth: float, **kwargs) -> Room:
        """An L: the width x depth rectangle minus a cut_width x cut_depth notch at its north-east corner."""
        if not (0 < cut_width < width and 0 < cut_depth < depth):
            raise ValueError(f"expected 0 < cut < room size, got cut {(cut_width, cut_depth)} for {(width, depth)}")
        w, d, cw, cd = float(width), float(depth), float(cut_width), float(cut_depth)
        floor = ((0.0, 0.0), (w, 0.0), (w, d - cd), (w - cw, d - cd), (w - cw, d), (0.0, d))
        return cls(floor=floor, **kwargs)

    # --- queries ------------------------------------------------------------------------------------------
    @property
    def polygon(self) -> np.ndarray:
        """Floor polygon as a (N, 2) float array."""
        return np.asarray(self.floor, dtype=float)

    @property
    def area(self) -> float:
        """Floor area, m²."""
        return polygon_signed_area(self.floor)

    @property
    def bounds(self) -> tuple[float, float]:
        """(max x, max y) of the floor's bounding box; the minimum is (0, 0) by convention."""
        pts = self.polygon
        return float(pts[:, 0].max()), float(pts[:, 1].max())

    @property
    def center(self) -> tuple[float, float]:
        """Centre of the floor's bounding box (x, y); for an L-shape it may lie outside the floor."""
        w, d = self.bounds
        return w / 2, d / 2

    def wall(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Start and end vertex (each (2,) float) of wall ``index``."""
        pts = self.polygon
        return pts[index], pts[(index + 1) % len(pts)]

    def wall_length(self, index: int) -> float:
        """Length of wall ``index``, metres."""
        a, b = self.wall(index)
        return float(np.linalg.norm(b - a))

    def wall_normal(self, index: int) -> np.ndarray:
        """Unit inward normal (2,) of wall ``index``."""
        a, b = self.wall(index)
        t = (b - a) / np.linalg.norm(b - a)
        return np.array([-t[1], t[0]])

    def contains(self, xy) -> np.ndarray:
        """Whether points (N, 2) lie inside the floor polygon; returns (N,) bool."""
        return points_in_polygon(np.asarray(xy, dtype=float), self.floor)

    def opening_center(self, opening: Opening) -> np.ndarray:
        """World position (3,) of an opening's centre on its wall."""
        a, b = self.wall(opening.wall)
        t = (b - a) / np.linalg.norm(b - a)
        xy = a + t * opening.offset
        return np.array([xy[0], xy[1], opening.sill + opening.height / 2])
