"""Scene lights. Intensities in watts (Blender's convention); colours are linear RGB in [0, 1]."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from scene_gym.scene.base import Model, finite


class Light(Model):
    """A point, area or sun light.

    Attributes:
        id: readable id, e.g. ``light_1``.
        kind: ``"point"``, ``"area"`` (a square emitter facing ``direction``) or ``"sun"`` (parallel rays).
        position: (x, y, z) metres; ignored for sun lights except by exporters that need a placement.
        direction: unit-ish (x, y, z) the light points along (area, sun); normalised by consumers.
        intensity: watts for point/area, irradiance in W/m² for sun.
        color: linear RGB in [0, 1].
        size: edge length of an area light, metres.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*_[0-9]+$")
    kind: Literal["point", "area", "sun"] = "point"
    position: tuple[float, float, float] = (0.0, 0.0, 2.5)
    direction: tuple[float, float, float] = (0.0, 0.0, -1.0)
    intensity: float = finite(default=100.0, ge=0.0, le=1e6)
    color: tuple[float, float, float] = (1.0, 1.0, 1.0)
    size: float = finite(default=0.5, gt=0.0, le=50.0)

    @field_validator("position")
    @classmethod
    def _finite_position(cls, value):
        if any(abs(v) > 1000.0 for v in value):
            raise ValueError(f"expected light position within ±1000 m, got {value!r}")
        return value

    @field_validator("direction")
    @classmethod
    def _nonzero_direction(cls, value):
        if sum(v * v for v in value) < 1e-12:
            raise ValueError(f"expected a non-zero light direction, got {value!r}")
        return value

    @field_validator("color")
    @classmethod
    def _unit_color(cls, value):
        if any(not 0.0 <= v <= 1.0 for v in value):
            raise ValueError(f"expected colour components in [0, 1], got {value!r}")
        return value
