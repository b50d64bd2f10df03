"""The versioned JSON document of a scene and its validation.

A scene file is one JSON object::

    {"schema": "scene-gym/scene@1", "prompt": "...", "room": {...}, "objects": [...], "lights": [...],
     "metadata": {...}}

Validation names the bad field as a path, e.g. ``objects[2].size[0]: expected width in (0, 50] m, got -1.0``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import pydantic
from pydantic import Field, model_validator

from scene_gym.errors import SceneValidationError
from scene_gym.scene.base import Model
from scene_gym.scene.lights import Light
from scene_gym.scene.objects import ARCHITECTURE_PARENTS, SceneObject
from scene_gym.scene.room import Room

SCHEMA = "scene-gym/scene@1"


class SceneDocument(Model):
    """Validated form of a whole scene file (see module docstring)."""

    schema_: Literal["scene-gym/scene@1"] = Field(alias="schema", default=SCHEMA)
    prompt: str = Field(default="", max_length=20_000)
    room: Room
    objects: tuple[SceneObject, ...] = ()
    lights: tuple[Light, ...] = ()
    metadata: dict[str, Any] = Field(default_factory=dict)

    model_config = pydantic.ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True, validate_default=True
    )

    @model_validator(mode="after")
    def _check_references(self):
        ids: set[str] = set()
        for i, obj in enumerate(self.objects):
            if obj.id in ids:
                raise ValueError(f"objects[{i}]: duplicate object id {obj.id!r}")
            ids.add(obj.id)
        for i, obj in enumerate(self.objects):
            if obj.parent not in ARCHITECTURE_PARENTS and obj.parent not in ids:
                raise ValueError(f"objects[{i}].parent: expected 'floor', 'wall', 'ceiling' or an object id, got {obj.parent!r}")
            if obj.parent == obj.id:
                raise ValueError(f"objects[{i}].parent: an object cannot rest on itself ({obj.id!r})")
        parents = {o.id: o.parent for o in self.objects}
        for start in parents:
            seen, node = set(), start
            while node in parents:
                if node in seen:
                    raise ValueError(f"objects: support cycle through {node!r}")
                seen.add(node)
                node = parents[node]
        light_ids = [light.id for light in self.lights]
        if len(set(light_ids)) != len(light_ids):
            raise ValueError(f"lights: duplicate light ids in {light_ids!r}")
        return self


def format_validation_error(err: pydantic.ValidationError) -> str:
    """Turn pydantic's error list into one line per problem: ``path: message (got value)``."""
    lines = []
    for e in err.errors(include_url=False):
        path = ""
        for part in e["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        msg = e["msg"].removeprefix("Value error, ")
        got = e.get("input")
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        if len(shown) > 80:
            shown = shown[:77] + "..."
        lines.append(f"{path or 'scene'}: {msg} (got {shown})")
    return "; ".join(lines)


def validate_document(data: Any) -> SceneDocument:
    """Validate a decoded scene JSON value; raise :class:`SceneValidationError` naming the bad field."""
    if not isinstance(data, dict):
        raise SceneValidationError(f"expected a JSON object for a scene, got {type(data).__name__}")
    schema = data.get("schema")
    if schema != SCHEMA:
        raise SceneValidationError(f"schema: expected {SCHEMA!r}, got {schema!r}")
    try:
        return SceneDocument.model_validate(data)
    except pydantic.ValidationError as err:
        raise SceneValidationError(format_validation_error(err)) from None


def parse_json(text: str | bytes, source: str = "scene JSON") -> Any:
    """Decode JSON text, turning decoder errors into :class:`SceneValidationError` with the position."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise SceneValidationError(f"{source}: malformed JSON at line {err.lineno} column {err.colno}: {err.msg}") from None
    except (UnicodeDecodeError, RecursionError) as err:
        raise SceneValidationError(f"{source}: cannot decode JSON ({err})") from None
