"""The versioned JSON document of a scene and its validation.

A scene file is one JSON object::

    {"schema": "scene-gym/scene@2", "prompt": "...", "room": {...}, "objects": [...], "lights": [...],
     "metadata": {...}, "definitions": {"<category>": {<object program>}, ...}}

``definitions`` (new in ``scene@2``) holds the object programs of the scene's program-defined categories
(:mod:`scene_gym.scene.definitions` checks that each category is its program's content address).
``scene@1`` files, which have no definitions, still load; scenes are always written as ``scene@2``.

Validation names the bad field as a path, e.g. ``objects[2].size[0]: expected width in (0, 50] m, got -1.0``.

Before the fields are validated the decoded value itself is bounded (:func:`check_json_value`): at most
:data:`MAX_DEPTH` levels of nesting, finite numbers, integers within 64 bits; scene text is at most
:data:`MAX_SCENE_BYTES` long. Hostile input (``None``, ``[[[[...]]]]``, ``1e400``, a 5000-digit integer) raises
:class:`SceneValidationError` naming the value, never ``TypeError``, ``RecursionError`` or ``OverflowError``.
Whether the objects' categories, sizes and asset parameters exist in the catalog is checked one layer up
(``scene_gym.assets.validation.check_scene``): this layer does not know the catalog.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal

import pydantic
from pydantic import Field, model_validator

from scene_gym.errors import SceneValidationError
from scene_gym.scene.base import Model
from scene_gym.scene.lights import Light
from scene_gym.scene.objects import ARCHITECTURE_PARENTS, SceneObject
from scene_gym.scene.room import Room

SCHEMA = "scene-gym/scene@2"
#: The previous schema: no ``definitions``; still accepted when loading.
SCHEMA_V1 = "scene-gym/scene@1"
SCHEMAS = (SCHEMA_V1, SCHEMA)
#: Deepest nesting of lists and objects a scene document may have (the scene object itself is level 0).
MAX_DEPTH = 64
#: Largest scene text (or file) accepted, in bytes or characters.
MAX_SCENE_BYTES = 64 * 2**20
#: Integers in a scene document lie in [INT_MIN, INT_MAX): 64-bit signed or unsigned values.
INT_MIN, INT_MAX = -(2**63), 2**64


class SceneDocument(Model):
    """Validated form of a whole scene file (see module docstring)."""

    schema_: Literal["scene-gym/scene@1", "scene-gym/scene@2"] = Field(alias="schema", default=SCHEMA)
    prompt: str = Field(default="", max_length=20_000)
    room: Room
    objects: tuple[SceneObject, ...] = ()
    lights: tuple[Light, ...] = ()
    metadata: dict[str, Any] = Field(default_factory=dict)
    definitions: dict[str, dict[str, Any]] = Field(default_factory=dict)

    model_config = pydantic.ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True, validate_default=True
    )

    @model_validator(mode="after")
    def _check_references(self):
        if self.schema_ == SCHEMA_V1 and self.definitions:
            raise ValueError(f"definitions: expected no definitions in a {SCHEMA_V1!r} document (they are new in "
                             f"{SCHEMA!r})")
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
        lines.append(f"{path or 'scene'}: {msg} (got {shown(e.get('input'))})")
    return "; ".join(lines)


def shown(value: Any, limit: int = 80) -> str:
    """``repr(value)`` for an error message, cut to ``limit`` characters; safe for any value (containers other
    than short lists of scalars are named by type and length, integers too long to print by their size)."""
    short = isinstance(value, list | tuple) and len(value) <= 8
    if short and all(isinstance(v, str | float | bool) or v is None or _small_int(v) for v in value):
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 3] + "..."
    if isinstance(value, dict | list | tuple | set):
        return f"{type(value).__name__} of {len(value)} items"
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # a >4300-digit integer cannot be printed
        text = f"an integer of {value.bit_length()} bits" if isinstance(value, int) else type(value).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _small_int(value: Any) -> bool:
    return isinstance(value, int) and -(10**40) < value < 10**40


def _path(parts: tuple) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "scene"


def check_json_value(data: Any) -> None:
    """Bound a decoded JSON value before validating its fields: nesting at most :data:`MAX_DEPTH` deep, finite
    floats, integers in [:data:`INT_MIN`, :data:`INT_MAX`). Iterative, so no nesting can exhaust the stack;
    raises :class:`SceneValidationError` naming the path and value."""
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list | tuple):
            if depth >= MAX_DEPTH:
                where = _path(path[:3]) + ("..." if len(path) > 3 else "")
                raise SceneValidationError(f"{where}: expected JSON nested at most {MAX_DEPTH} levels deep, got "
                                           f"deeper nesting")  # fmt: skip
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((v, (*path, k), depth + 1) for k, v in items)
        elif isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        elif isinstance(value, int) and not INT_MIN <= value < INT_MAX:
            raise SceneValidationError(f"{_path(path)}: expected an integer within 64 bits, got {shown(value)}")
        elif isinstance(value, float) and not math.isfinite(value):
            raise SceneValidationError(f"{_path(path)}: expected a finite number, got {shown(value)}")


def validate_document(data: Any) -> SceneDocument:
    """Validate a decoded scene JSON value; raise :class:`SceneValidationError` naming the bad field."""
    if not isinstance(data, dict):
        raise SceneValidationError(f"expected a JSON object for a scene, got {shown(data)} ({type(data).__name__})")
    check_json_value(data)
    schema = data.get("schema")
    if schema not in SCHEMAS:
        raise SceneValidationError(f"schema: expected {SCHEMA!r} (or {SCHEMA_V1!r}), got {shown(schema)}")
    try:
        return SceneDocument.model_validate(data)
    except pydantic.ValidationError as err:
        raise SceneValidationError(format_validation_error(err)) from None
    except RecursionError:
        raise SceneValidationError(f"scene: expected JSON nested at most {MAX_DEPTH} levels deep") from None


def parse_json(text: str | bytes, source: str = "scene JSON") -> Any:
    """Decode JSON text, turning decoder errors into :class:`SceneValidationError` with the position.

    Refuses anything but text (``str``, ``bytes``, ``bytearray``), text longer than :data:`MAX_SCENE_BYTES`,
    numbers that do not fit a float or a 64-bit integer (``1e400``, ``NaN``, ``Infinity``, 5000 digits) and
    nesting deeper than the decoder's recursion limit, naming the value.
    """
    if isinstance(text, bytearray | memoryview):
        text = bytes(text)
    if not isinstance(text, str | bytes):
        raise SceneValidationError(f"{source}: expected JSON text (str or bytes), got {shown(text)} "
                                   f"({type(text).__name__})")  # fmt: skip
    if len(text) > MAX_SCENE_BYTES:
        raise SceneValidationError(f"{source}: expected at most {MAX_SCENE_BYTES} bytes of JSON, got {len(text)}")

    def number(literal: str) -> Any:
        is_float = any(c in literal for c in ".eE")
        if len(literal) > (1000 if is_float else 40):  # a 64-bit integer has at most 20 digits
            raise SceneValidationError(f"{source}: number {literal[:20]}... ({len(literal)} characters) is out of range")
        value = float(literal) if is_float else int(literal)
        if not (math.isfinite(value) if isinstance(value, float) else INT_MIN <= value < INT_MAX):
            raise SceneValidationError(f"{source}: number {literal} is out of range (expected a finite float or a "
                                       f"64-bit integer)")  # fmt: skip
        return value

    def constant(name: str) -> Any:
        raise SceneValidationError(f"{source}: expected finite numbers, got {name}")

    try:
        return json.loads(text, parse_float=number, parse_int=number, parse_constant=constant)
    except json.JSONDecodeError as err:
        raise SceneValidationError(f"{source}: malformed JSON at line {err.lineno} column {err.colno}: {err.msg}") from None
    except SceneValidationError:
        raise
    except RecursionError:
        raise SceneValidationError(f"{source}: expected JSON nested at most {MAX_DEPTH} levels deep, got deeper "
                                   "nesting") from None  # fmt: skip
    except (UnicodeDecodeError, ValueError) as err:
        raise SceneValidationError(f"{source}: cannot decode JSON ({err})") from None
