"""Validation of relation fields and parsing of relation dicts (JSON tool arguments, prompt specs).

Errors are :class:`~scene_gym.errors.LayoutError` with the relation, the field and the value:
``near.max_distance: expected a finite distance in metres in [0, 100], got nan``.
"""

from __future__ import annotations

import difflib
import math
import numbers
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from scene_gym.errors import LayoutError
from scene_gym.scene.objects import ID_PATTERN

if TYPE_CHECKING:
    from scene_gym.layout.relations import Relation

MAX_DISTANCE = 100.0
MAX_HEIGHT = 50.0
MAX_SUBJECTS = 64
AXES = ("row", "column", "any")
_DISTANCE_FIELDS = ("max_gap", "min_distance", "max_distance", "tolerance")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(rel_name: str, field: str, expected: str, value: Any) -> LayoutError:
    return LayoutError(f"{rel_name}.{field}: expected {expected}, got {_short(value)}")


def _check_id(rel_name: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not 3 <= len(value) <= 96 or not ID_PATTERN.match(value):
        raise _fail(rel_name, field, "an object id like 'chair_1'", value)
    return value


def _check_number(rel_name: str, field: str, value: Any, lo: float, hi: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(rel_name, field, f"a number ({what})", value)
    try:
        v = float(value)
    except (OverflowError, ValueError):
        raise _fail(rel_name, field, f"a finite {what} in [{lo:g}, {hi:g}]", value) from None
    if not math.isfinite(v) or not lo <= v <= hi:
        raise _fail(rel_name, field, f"a finite {what} in [{lo:g}, {hi:g}]", value)
    return v


def _check_wall(rel_name: str, value: Any) -> int | str | None:
    from scene_gym.layout.relations import COMPASS_WALLS

    if value is None:
        return None
    if isinstance(value, str):
        word = value.strip().lower()
        if word in COMPASS_WALLS:
            return word
        if word.isdigit():
            value = int(word)
        else:
            raise _fail(rel_name, "wall", f"a wall index or one of {', '.join(COMPASS_WALLS)}", value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < 64:
        raise _fail(rel_name, "wall", f"a wall index in [0, 63] or one of {', '.join(COMPASS_WALLS)}", value)
    return int(value)


def check_fields(rel: Relation) -> None:
    """Validate and normalise a relation's fields in place (frozen dataclass); raise :class:`LayoutError`."""
    name = rel.name or type(rel).__name__

    def put(field: str, value: Any) -> None:
        object.__setattr__(rel, field, value)

    for f in fields(rel):
        value = getattr(rel, f.name)
        if f.name in ("subject", "target"):
            put(f.name, _check_id(name, f.name, value))
        elif f.name == "subjects":
            if isinstance(value, str) or not isinstance(value, list | tuple):
                raise _fail(name, "subjects", "a list of object ids", value)
            if not 1 <= len(value) <= MAX_SUBJECTS:
                raise _fail(name, "subjects", f"1 to {MAX_SUBJECTS} object ids", value)
            ids = tuple(_check_id(name, f"subjects[{i}]", v) for i, v in enumerate(value))
            if len(set(ids)) != len(ids):
                raise _fail(name, "subjects", "distinct object ids", list(ids))
            put("subjects", ids)
        elif f.name in _DISTANCE_FIELDS:
            put(f.name, _check_number(name, f.name, value, 0.0, MAX_DISTANCE, "distance in metres"))
        elif f.name == "height":
            if value is not None:
                put(f.name, _check_number(name, f.name, value, 0.0, MAX_HEIGHT, "height in metres"))
        elif f.name == "max_angle":
            put(f.name, _check_number(name, f.name, value, 0.0, math.pi, "angle in radians"))
        elif f.name == "wall":
            put(f.name, _check_wall(name, value))
        elif f.name == "axis":
            if not isinstance(value, str) or value.strip().lower() not in AXES:
                raise _fail(name, "axis", f"one of {', '.join(AXES)}", value)
            put(f.name, value.strip().lower())
        else:  # pragma: no cover - a new field kind must be added above
            raise TypeError(f"{name}: no validator for field {f.name!r}")
    ids = rel.ids()
    if len(set(ids)) != len(ids):
        raise LayoutError(f"{name}: expected distinct objects, got {list(ids)!r} (an object cannot relate to itself)")
    lo, hi = getattr(rel, "min_distance", None), getattr(rel, "max_distance", None)
    if lo is not None and hi is not None and lo > hi:
        raise LayoutError(f"{name}.min_distance: expected at most max_distance {hi:g}, got {lo:g}")


def normalise_name(value: Any) -> str:
    """``"Left of"`` -> ``"left_of"``; raises :class:`LayoutError` with suggestions for unknown names."""
    from scene_gym.layout.relations import ALIASES, RELATIONS

    if not isinstance(value, str):
        raise LayoutError(f"relation: expected a relation name such as 'near', got {_short(value)}")
    key = "_".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    key = ALIASES.get(key, key)
    if key in RELATIONS:
        return key
    pool = sorted(set(RELATIONS) | set(ALIASES))
    close = difflib.get_close_matches(key, pool, n=3, cutoff=0.6)
    hints = []
    for c in close:
        c = ALIASES.get(c, c)
        if c not in hints:
            hints.append(c)
    hint = f"; did you mean {', '.join(repr(h) for h in hints)}?" if hints else ""
    raise LayoutError(f"relation: unknown relation {_short(value)}{hint} (known: {', '.join(RELATIONS)})")


def relation_from_dict(data: Any) -> Relation:
    """Build a relation from ``{"relation": name, field: value, ...}``; raise :class:`LayoutError` on bad input."""
    from scene_gym.layout.relations import RELATIONS

    if not isinstance(data, dict):
        raise LayoutError(f"expected a relation as a JSON object with a 'relation' key, got {type(data).__name__}")
    if "relation" not in data:
        raise LayoutError(f"relation: missing the 'relation' key (the relation's name), got keys {sorted(map(str, data))}")
    name = normalise_name(data["relation"])
    cls = RELATIONS[name]
    known = {f.name: f for f in fields(cls)}
    args = {}
    for key, value in data.items():
        if key == "relation":
            continue
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise LayoutError(f"{name}: unknown field {_short(key)}{hint} (fields: {', '.join(known)})")
        args[key] = value
    missing = [f for f, spec in known.items() if f not in args and _required(spec)]
    if missing:
        raise LayoutError(f"{name}: missing field {missing[0]!r} (fields: {', '.join(known)})")
    return cls(**args)


def _required(spec) -> bool:
    from dataclasses import MISSING

    return spec.default is MISSING and spec.default_factory is MISSING
