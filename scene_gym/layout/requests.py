"""What the solver is asked to place: new objects (:class:`PlacementRequest`) or existing objects (their ids)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, fields
from typing import Any

from scene_gym.errors import LayoutError
from scene_gym.scene.objects import ID_PATTERN

Size3 = tuple[float, float, float]

DEFAULT_FRONT_CLEARANCE = 0.4
"""Depth in metres of the strip in front of an object's functional side that must stay inside the room."""

NO_FRONT_CATEGORIES = frozenset({
    "dining_table", "coffee_table", "side_table", "round_table", "table", "rug", "mat", "potted_plant", "plant",
    "floor_lamp", "ottoman", "stool", "bar_stool", "pouf", "bench", "column", "trash_can", "laundry_basket",
    "ceiling_light", "pendant_light", "ceiling_fan", "bathtub", "piano_bench",
})  # fmt: skip
"""Categories used from any side: no front clearance by default."""


@dataclass(frozen=True)
class PlacementRequest:
    """One new object for the solver to place.

    Attributes:
        category: catalog category (``scene-gym assets`` lists them).
        size: (width, depth, height) metres, or None for the category's default size. A size outside the
            category's range is clamped into it (and reported).
        material: material description, or None for the category's default.
        params: asset-program parameters (checked against the category's parameters).
        id: the new object's id, or None for the next free ``<category>_<n>`` (assigned in request order, so
            relations can name it in advance).
        seed: seed of the asset program.
        parent: for objects placed on others, the id of the supporting object (same as an ``on_top_of``
            relation); None lets the solver choose a support surface for small objects.
        front_clearance: metres of free floor needed in front of the object (inside the room); None for the
            default (0.4 m, or 0 for categories without a functional front such as tables and rugs).
    """

    category: str
    size: Size3 | None = None
    material: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    seed: int = 0
    parent: str | None = None
    front_clearance: float | None = None

    def __post_init__(self):
        from scene_gym.assets import get_factory

        factory = get_factory(self.category) if isinstance(self.category, str) else None
        if factory is None:
            raise LayoutError(f"request.category: expected a category name, got {self.category!r}")
        if self.size is not None:
            if isinstance(self.size, str | bytes) or not hasattr(self.size, "__len__") or len(self.size) != 3:
                raise LayoutError(f"request.size: expected (width, depth, height) in metres, got {self.size!r}")
            size = []
            for axis, v in zip(("width", "depth", "height"), self.size, strict=True):
                if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(float(v)) or v <= 0:
                    raise LayoutError(f"request.size: expected a positive finite {axis}, got {v!r}")
                size.append(float(v))
            object.__setattr__(self, "size", tuple(size))
        if self.material is not None and (not isinstance(self.material, str) or len(self.material) > 128):
            raise LayoutError(f"request.material: expected a text of at most 128 characters, got {self.material!r}")
        if not isinstance(self.params, dict):
            raise LayoutError(f"request.params: expected a dict, got {type(self.params).__name__}")
        for name, value in self.params.items():
            ok = isinstance(value, bool | int | str) or (isinstance(value, float) and math.isfinite(value))
            if not ok or (isinstance(value, str) and len(value) > 128):
                raise LayoutError(f"request.params: expected {name!r} to be a finite number, a short text or a "
                                  f"boolean, got {value!r}")  # fmt: skip
        unknown = sorted(set(self.params) - set(factory.params))
        if unknown:
            raise LayoutError(f"request.params: unknown parameter(s) {unknown} for {self.category}; "
                              f"known: {sorted(factory.params)}")  # fmt: skip
        for name in ("id", "parent"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not 3 <= len(value) <= 96 or not ID_PATTERN.match(value)):
                raise LayoutError(f"request.{name}: expected an object id like 'table_1', got {value!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral) or not 0 <= self.seed < 2**63:
            raise LayoutError(f"request.seed: expected a non-negative integer, got {self.seed!r}")
        fc = self.front_clearance
        if fc is not None and (isinstance(fc, bool) or not isinstance(fc, numbers.Real) or not 0 <= fc <= 5):
            raise LayoutError(f"request.front_clearance: expected metres in [0, 5], got {fc!r}")

    @classmethod
    def from_dict(cls, data: Any) -> PlacementRequest:
        """Build from ``{"category": "desk", "size": [1.2, 0.6, 0.75], ...}``; unknown keys are errors."""
        if not isinstance(data, dict):
            raise LayoutError(f"expected a request as a JSON object with a 'category', got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(map(str, set(data) - known))
        if unknown:
            raise LayoutError(f"request: unknown field(s) {unknown}; fields: {sorted(known)}")
        if "category" not in data:
            raise LayoutError("request: missing field 'category'")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (fields left at their defaults are omitted)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            default = f.default_factory() if callable(f.default_factory) else f.default
            if value != default or f.name == "category":
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out
