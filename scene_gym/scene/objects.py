"""Objects placed in a scene.

Pose convention (tested in ``tests/scene``):

- ``position`` (x, y, z) is the centre of the **bottom face** of the object's bounding box, in metres: an object
  standing on the floor has z = 0; one on a table top has z = the top's height.
- ``yaw`` is in radians, counter-clockwise about +Z, wrapped to (-pi, pi].
- ``size`` is the full extent (width along the object's local x, depth along local y, height along z), metres.
- At yaw 0 an object's **front** (the side you use: a sofa's seat, a wardrobe's doors) faces **+Y**, which the
  DSL calls "north". Yaw pi/2 faces west (-X), pi faces south (-Y), -pi/2 faces east (+X).
- ``parent`` is ``"floor"``, ``"wall"``, ``"ceiling"`` or the id of the object it rests on.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
from pydantic import Field, field_validator

from scene_gym.scene.base import Model, finite
from scene_gym.scene.geometry import footprint_corners
from scene_gym.scene.room import MAX_COORD

ARCHITECTURE_PARENTS = ("floor", "wall", "ceiling")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*_[0-9]+$")
CATEGORY_PATTERN = r"^[a-z][a-z0-9_]*$"

ParamValue = float | int | str | bool


def facing_vector(yaw: float) -> np.ndarray:
    """Unit (2,) vector an object with this yaw faces: (-sin yaw, cos yaw)."""
    return np.array([-math.sin(yaw), math.cos(yaw)])


class SceneObject(Model):
    """One object in a scene: an instance of an asset category at a pose, with material and joint states.

    Attributes:
        id: stable readable id ``<category>_<n>``, e.g. ``sofa_1``.
        category: asset category name (see ``scene-gym assets``).
        position: (x, y, z) metres, centre of the bounding box's bottom face.
        yaw: radians, counter-clockwise about +Z; the front faces (-sin yaw, cos yaw).
        size: (width, depth, height) full extents, metres.
        material: natural-language material description, e.g. ``"grey fabric"``.
        parent: ``"floor"``, ``"wall"``, ``"ceiling"`` or the id of the supporting object.
        params: asset-program parameters (e.g. ``{"n_drawers": 3}``).
        seed: seed of the asset program; (category, params, seed, size) fully determine the geometry.
        joints: joint name -> position (radians for revolute, metres for prismatic) for articulated assets.
    """

    id: str = Field(min_length=3, max_length=96)
    category: str = Field(min_length=1, max_length=64, pattern=CATEGORY_PATTERN)
    position: tuple[float, float, float]
    yaw: float = finite(default=0.0, ge=-1e4, le=1e4)
    size: tuple[float, float, float]
    material: str = Field(default="", max_length=128)
    parent: str = Field(default="floor", min_length=1, max_length=96)
    params: dict[str, ParamValue] = Field(default_factory=dict)
    seed: int = Field(default=0, ge=0, lt=2**63)
    joints: dict[str, float] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"expected an id like 'sofa_1' (lowercase, ending in _<number>), got {value!r}")
        return value

    @field_validator("position")
    @classmethod
    def _check_position(cls, value):
        for axis, v in zip("xyz", value, strict=True):
            if not math.isfinite(v) or abs(v) > MAX_COORD:
                raise ValueError(f"expected position {axis} finite and within ±{MAX_COORD} m, got {v!r}")
        return value

    @field_validator("size")
    @classmethod
    def _check_size(cls, value):
        for axis, v in zip(("width", "depth", "height"), value, strict=True):
            if not math.isfinite(v) or not 0.0 < v <= 50.0:
                raise ValueError(f"expected {axis} in (0, 50] m, got {v!r}")
        return value

    @field_validator("yaw")
    @classmethod
    def _wrap_yaw(cls, value: float) -> float:
        # Stored wrapped so that equal orientations compare equal and JSON round trips are exact.
        from scene_gym.scene.geometry import wrap_angle

        return wrap_angle(value)

    @field_validator("joints")
    @classmethod
    def _check_joints(cls, value: dict[str, float]):
        for name, q in value.items():
            if not math.isfinite(q) or abs(q) > 100.0:
                raise ValueError(f"expected joint {name!r} position finite and within ±100, got {q!r}")
        return value

    @field_validator("params")
    @classmethod
    def _check_params(cls, value: dict[str, Any]):
        for name, v in value.items():
            if isinstance(v, float) and not math.isfinite(v):
                raise ValueError(f"expected parameter {name!r} finite, got {v!r}")
        return value

    # --- derived geometry ---------------------------------------------------------------------------------
    @property
    def front(self) -> np.ndarray:
        """Unit (2,) vector of the direction the object faces."""
        return facing_vector(self.yaw)

    @property
    def center(self) -> np.ndarray:
        """Centre (3,) of the object's bounding box, metres."""
        x, y, z = self.position
        return np.array([x, y, z + self.size[2] / 2])

    @property
    def top(self) -> float:
        """Height of the bounding box's top face, metres."""
        return self.position[2] + self.size[2]

    def footprint(self) -> np.ndarray:
        """Corners (4, 2) of the rotated bounding-box footprint, counter-clockwise."""
        return footprint_corners(self.position, self.size[0], self.size[1], self.yaw)

    def transform(self) -> np.ndarray:
        """(4, 4) float pose of the object's frame (bottom-centre origin, +Y front) in room coordinates."""
        c, s = math.cos(self.yaw), math.sin(self.yaw)
        t = np.eye(4)
        t[:2, :2] = [[c, -s], [s, c]]
        t[:3, 3] = self.position
        return t
