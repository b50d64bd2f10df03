"""Lights: add one (id ``light_<n>``), change one in place, remove one.

Units: positions in metres (room coordinates), intensities in watts (point, area) or W/m² (sun), colours linear
RGB in [0, 1] (see :class:`~scene_gym.scene.Light`).
"""

from __future__ import annotations

from typing import Any

import pydantic

from scene_gym.actions.edit.lookup import as_edit_error, atomic, get_light
from scene_gym.errors import EditError
from scene_gym.scene import Light, Scene, mutation
from scene_gym.scene.document import format_validation_error

CEILING_GAP = 0.1  # metres below the ceiling where a light added without a position hangs
_FIELDS = ("kind", "position", "direction", "intensity", "color", "size")


def _light(fields: dict[str, Any]) -> Light:
    try:
        return Light.model_validate(fields)
    except pydantic.ValidationError as err:
        loc = err.errors(include_url=False)[0]["loc"]
        raise EditError(f"light: {format_validation_error(err)}", field=str(loc[0]) if loc else None) from None


def _changes(values: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(_FIELDS))
    if unknown:
        raise EditError(f"expected light fields among {list(_FIELDS)}, got {unknown}", field=unknown[0])
    return {k: v for k, v in values.items() if v is not None}


def next_light_id(scene: Scene) -> str:
    """``light_<n>`` with n one more than the highest numbered light."""
    numbers = [int(s) for s in (light.id.rsplit("_", 1)[1] for light in scene.lights) if s.isdigit()]
    return f"light_{1 + max(numbers, default=0)}"


@atomic
def add_light(scene: Scene, **fields: Any) -> Light:
    """Add a light with the next id ``light_<n>``.

    ``fields`` (None means the default): ``kind`` ("point", "area" or "sun"; default point), ``position`` (x, y, z)
    metres (default: over the room's centre, 10 cm under the ceiling), ``direction`` (x, y, z), ``intensity``
    (watts), ``color`` (r, g, b) in [0, 1], ``size`` (area-light edge, metres). Returns the new Light.
    """
    changes = _changes(fields)
    cx, cy = scene.room.center
    light = _light({"id": next_light_id(scene), "position": (cx, cy, scene.room.wall_height - CEILING_GAP), **changes})
    with as_edit_error("id"):
        return mutation.add_light(scene, light)


@atomic
def update_light(scene: Scene, light_id: str, **changes: Any) -> Light:
    """Change fields of the light ``light_id`` (those of :func:`add_light`; None leaves one as it is), keeping
    its place in the order. Returns the new Light."""
    old = get_light(scene, light_id)
    light = _light({**old.model_dump(), **_changes(changes)})
    with as_edit_error("id"):
        return mutation.replace_light(scene, light)


@atomic
def remove_light(scene: Scene, light_id: str) -> Light:
    """Remove the light ``light_id``; returns it."""
    get_light(scene, light_id)
    with as_edit_error("id"):
        return mutation.remove_light(scene, light_id)
