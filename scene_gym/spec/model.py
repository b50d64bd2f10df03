"""The task spec: what a prompt asks of a scene, as frozen dataclasses (SceneEval's annotation fields).

SceneEval annotates each prompt with four lists; :class:`TaskSpec` holds the same four, typed:

================  ==========================  ===============================================================
SceneEval field   here                        example
================  ==========================  ===============================================================
``ObjCount``      :class:`ObjectCount`        ``eq,2,nightstand``: exactly two nightstands
``ObjAttr``       :class:`Attribute`          the sofa's colour is grey; the coffee table is glass
``OORel``         :class:`RelationSpec`       ``next_to(nightstand, bed)``, ``around(dining_chair, table)``
``OARel``         :class:`RelationSpec`       ``against_wall(bed, wall="north")``, ``in_corner(floor_lamp)``
================  ==========================  ===============================================================

plus the room type (one of :data:`scene_gym.scene.ROOM_TYPES`) and size hints in metres.

Relations name **categories**, not object ids: a relation holds on a scene when its subject category's
instances satisfy it against some instance of the target category (see :mod:`scene_gym.rewards.judge`).
Relation names are :mod:`scene_gym.layout.relations` vocabulary words.

**Unresolved requests.** A prompt may ask for an object the catalog does not have ("a kiln", "four floor
cushions"). The spec keeps it: an :class:`ObjectCount` with ``category=None`` and ``name`` the words the prompt
used (singular, lowercase: ``"floor cushion"``), with its count like any other. Parsed counts of catalog
categories carry ``name`` too (``"couch"`` for a sofa), for reports of what was asked against what was built.
Relations and attributes name categories only, so those of unresolved requests are not recorded. Rewards count
an unresolved request as missing unless the scene holds an object made for that name
(:func:`scene_gym.rewards.spec_checks.objects_for_request`).

``TaskSpec.to_dict()`` / ``TaskSpec.from_dict()`` round-trip exactly through JSON (``"schema":
"scene-gym/task-spec@2"``; version 2 added ``name`` and a null ``category``; ``@1`` documents still load), so
hand-written annotations and parsed prompts are interchangeable. Invalid input raises :class:`SpecError` naming
the field path and the value, e.g. ``objects[1].count: expected an integer in [0, 1000], got -1``.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any

from scene_gym.errors import SpecError

SPEC_SCHEMA = "scene-gym/task-spec@2"
SPEC_SCHEMAS = ("scene-gym/task-spec@1", SPEC_SCHEMA)  # fmt: skip
"""Versions :meth:`TaskSpec.from_dict` reads; @1 has no ``name`` and no unresolved (null-category) counts."""

QUANTIFIERS = ("eq", "ge", "le", "gt", "lt")
"""Count quantifiers (SceneEval): exactly, at least, at most, more than, fewer than."""

ATTRIBUTE_KINDS = ("colour", "material", "size")
"""What an :class:`Attribute` describes."""

SIZE_WORDS = ("small", "large", "tall", "short", "wide", "narrow", "long", "low")
"""Canonical size words an attribute may carry (``big`` is normalised to ``large``, ``tiny`` to ``small``...)."""

OBJECT_RELATIONS = ("near", "next_to", "far", "in_front_of", "behind", "left_of", "right_of", "facing", "around",
                    "side_by_side", "back_to_back", "aligned_with", "across_from", "on_top_of", "under")  # fmt: skip
"""Object-object relations (``target`` is a category)."""

ARCH_RELATIONS = ("against_wall", "in_corner", "middle", "on_wall", "on_ceiling")
"""Object-architecture relations (no target; ``wall`` for ``against_wall`` and ``on_wall``)."""

WALL_WORDS = ("north", "south", "east", "west", "back", "front", "left", "right")
"""Wall sides, as in :mod:`scene_gym.layout.relations` (back/front/left/right = north/south/west/east)."""

MAX_COUNT = 1000
MAX_ITEMS = 256
MAX_ROOM_SIDE = 200.0
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9 '\-]{0,62}[a-z0-9])?$")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(path: str, expected: str, value: Any) -> SpecError:
    return SpecError(f"{path}: expected {expected}, got {_short(value)}")


def _category(path: str, value: Any) -> str:
    if not isinstance(value, str) or not _CATEGORY.match(value):
        raise _fail(path, "a category name like 'dining_chair' (lowercase, underscores)", value)
    return value


def _choice(path: str, value: Any, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise _fail(path, f"one of {', '.join(options)}", value)
    return value


def _int(path: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
        raise _fail(path, f"an integer in [{lo}, {hi}]", value)
    return int(value)


def _metres(path: str, value: Any, lo: float, hi: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(path, "a number of metres", value)
    v = float(value)
    if not math.isfinite(v) or not lo < v <= hi:
        raise _fail(path, f"a finite value in ({lo:g}, {hi:g}]", value)
    return v


def _keys(path: str, data: Any, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(data, dict):
        raise _fail(path, "a JSON object", type(data).__name__)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise SpecError(f"{path}.{unknown[0]}: unknown field; expected one of {', '.join(sorted(allowed))}")
    missing = sorted(required - set(data))
    if missing:
        raise SpecError(f"{path}.{missing[0]}: missing required field")
    return data


@dataclass(frozen=True, eq=False)
class ObjectCount:
    """A required number of objects of one category (SceneEval ``ObjCount``, e.g. ``"ge,4,dining_chair"``), or of
    an object the catalog does not have (an *unresolved* request: ``category`` None, ``name`` set).

    Attributes:
        category: catalog category (``scene_gym.assets.factories()``), or None when the request is unresolved.
        count: the number the quantifier compares with, in [0, 1000].
        quantifier: ``"eq"`` (exactly), ``"ge"`` (at least), ``"le"`` (at most), ``"gt"``, ``"lt"``.
        name: the words the prompt used, singular and lowercase (``"floor cushion"``, ``"couch"``), 1 to 64
            characters of letters, digits, spaces, hyphens and apostrophes; required when ``category`` is None,
            optional otherwise. It takes part in equality only for unresolved requests (a parsed "couch" and a
            hand-written ``sofa`` count compare equal).
    """

    category: str | None
    count: int = 1
    quantifier: str = "eq"
    name: str | None = None
    path: str = field(default="objects[?]", repr=False, compare=False)

    def __post_init__(self):
        if self.category is not None or self.name is None:
            _category(f"{self.path}.category", self.category)
        if self.name is not None and (not isinstance(self.name, str) or not _NAME.match(self.name)):
            raise _fail(f"{self.path}.name", "a lowercase object name of 1 to 64 letters, digits, spaces, hyphens "
                                             "or apostrophes", self.name)  # fmt: skip
        _int(f"{self.path}.count", self.count, 0, MAX_COUNT)
        _choice(f"{self.path}.quantifier", self.quantifier, QUANTIFIERS)
        if self.quantifier == "lt" and self.count == 0:
            raise _fail(f"{self.path}.count", "a count >= 1 with quantifier 'lt'", self.count)

    @property
    def resolved(self) -> bool:
        """True when the request names a catalog category."""
        return self.category is not None

    @property
    def key(self) -> str:
        """What the request is for: its category, or ``"?" + name`` when unresolved (unique within a spec)."""
        return self.category if self.category is not None else "?" + str(self.name)

    @property
    def label(self) -> str:
        """The category, or the name when unresolved (for messages and SceneEval strings)."""
        return self.category if self.category is not None else str(self.name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ObjectCount):
            return NotImplemented
        return (self.key, self.count, self.quantifier) == (other.key, other.count, other.quantifier)

    def __hash__(self) -> int:
        return hash((self.key, self.count, self.quantifier))

    def satisfied(self, n: int) -> bool:
        """Whether a scene with ``n`` objects of this category meets the requirement."""
        return {"eq": n == self.count, "ge": n >= self.count, "le": n <= self.count, "gt": n > self.count,
                "lt": n < self.count}[self.quantifier]  # fmt: skip

    @property
    def minimum(self) -> int:
        """Fewest objects that satisfy the requirement."""
        return {"eq": self.count, "ge": self.count, "gt": self.count + 1}.get(self.quantifier, 0)

    @property
    def maximum(self) -> int | None:
        """Most objects that satisfy it (None: unbounded)."""
        return {"eq": self.count, "le": self.count, "lt": self.count - 1}.get(self.quantifier)

    def to_dict(self) -> dict[str, Any]:
        """``{"category", "count", "quantifier"}``, plus ``"name"`` when set (``category`` null when unresolved)."""
        out: dict[str, Any] = {"category": self.category, "count": self.count, "quantifier": self.quantifier}
        if self.name is not None:
            out["name"] = self.name
        return out

    @classmethod
    def from_dict(cls, data: Any, path: str = "objects[?]") -> ObjectCount:
        """Read :meth:`to_dict`'s form or a SceneEval string ``"eq,2,nightstand"`` (always a category)."""
        if isinstance(data, str):
            parts = [p.strip() for p in data.split(",")]
            if len(parts) != 3 or not parts[1].isdigit():
                raise _fail(path, "a SceneEval count 'quantifier,number,category' such as 'eq,2,chair'", data)
            return cls(parts[2], int(parts[1]), parts[0], path=path)
        d = _keys(path, data, {"category", "count", "quantifier", "name"}, {"category"})
        return cls(d["category"], d.get("count", 1), d.get("quantifier", "eq"), d.get("name"), path=path)

    def to_sceneeval(self) -> str:
        """The SceneEval ``ObjCount`` string, e.g. ``"eq,2,nightstand"`` (the name for an unresolved request)."""
        return f"{self.quantifier},{self.count},{self.label}"


@dataclass(frozen=True)
class Attribute:
    """A property asked of the objects of a category (SceneEval ``ObjAttr``).

    Attributes:
        category: catalog category the attribute applies to (every instance of it).
        kind: ``"colour"``, ``"material"`` or ``"size"``.
        value: a colour word (``"grey"``), a base-material name from :mod:`scene_gym.assets.materials`
            (``"oak wood"``, ``"glass"``) or a size word of :data:`SIZE_WORDS`.
    """

    category: str
    kind: str
    value: str
    path: str = field(default="attributes[?]", repr=False, compare=False)

    def __post_init__(self):
        _category(f"{self.path}.category", self.category)
        _choice(f"{self.path}.kind", self.kind, ATTRIBUTE_KINDS)
        if self.kind == "size":
            _choice(f"{self.path}.value", self.value, SIZE_WORDS)
        elif not isinstance(self.value, str) or not 0 < len(self.value) <= 64:
            raise _fail(f"{self.path}.value", f"a {self.kind} word of 1 to 64 characters", self.value)

    def to_dict(self) -> dict[str, Any]:
        """``{"category", "kind", "value"}``."""
        return {"category": self.category, "kind": self.kind, "value": self.value}

    @classmethod
    def from_dict(cls, data: Any, path: str = "attributes[?]") -> Attribute:
        """Read :meth:`to_dict`'s form."""
        d = _keys(path, data, {"category", "kind", "value"}, {"category", "kind", "value"})
        return cls(d["category"], d["kind"], d["value"], path=path)


@dataclass(frozen=True)
class RelationSpec:
    """A relation between categories, or between a category and the room (SceneEval ``OORel`` / ``OARel``).

    Attributes:
        relation: a :mod:`scene_gym.layout.relations` name (:data:`OBJECT_RELATIONS` or :data:`ARCH_RELATIONS`).
        subject: category the statement is about ("nightstand" in "nightstand next_to bed"); for ``around``,
            the category of the surrounding objects (the chairs).
        target: reference category for object-object relations; None for architecture relations.
        wall: for ``against_wall`` / ``on_wall``, a side of :data:`WALL_WORDS` or None (any wall).
    """

    relation: str
    subject: str
    target: str | None = None
    wall: str | None = None
    path: str = field(default="relations[?]", repr=False, compare=False)

    def __post_init__(self):
        _choice(f"{self.path}.relation", self.relation, OBJECT_RELATIONS + ARCH_RELATIONS)
        _category(f"{self.path}.subject", self.subject)
        if self.relation in OBJECT_RELATIONS:
            _category(f"{self.path}.target", self.target)
        elif self.target is not None:
            raise _fail(f"{self.path}.target", f"null for the architecture relation {self.relation!r}", self.target)
        if self.wall is not None:
            if self.relation not in ("against_wall", "on_wall"):
                raise _fail(f"{self.path}.wall", f"null for relation {self.relation!r}", self.wall)
            _choice(f"{self.path}.wall", self.wall, WALL_WORDS)

    @property
    def architectural(self) -> bool:
        """True for object-architecture relations (SceneEval ``OARel``)."""
        return self.relation in ARCH_RELATIONS

    def to_dict(self) -> dict[str, Any]:
        """``{"relation", "subject", "target", "wall"}`` (null where unused)."""
        return {"relation": self.relation, "subject": self.subject, "target": self.target, "wall": self.wall}

    @classmethod
    def from_dict(cls, data: Any, path: str = "relations[?]") -> RelationSpec:
        """Read :meth:`to_dict`'s form; ``target`` and ``wall`` may be omitted."""
        d = _keys(path, data, {"relation", "subject", "target", "wall"}, {"relation", "subject"})
        return cls(d["relation"], d["subject"], d.get("target"), d.get("wall"), path=path)

    def __str__(self) -> str:
        args = [self.subject] + ([self.target] if self.target else []) + ([f"wall={self.wall}"] if self.wall else [])
        return f"{self.relation}({', '.join(args)})"


@dataclass(frozen=True)
class SizeHint:
    """Room size asked for: ``width`` (x) and ``depth`` (y) in metres, floor ``area`` in m², or a ``scale``
    word (``"small"`` / ``"large"``). Any may be None."""

    width: float | None = None
    depth: float | None = None
    area: float | None = None
    scale: str | None = None
    path: str = field(default="size", repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "width", _metres(f"{self.path}.width", self.width, 0.0, MAX_ROOM_SIDE))
        object.__setattr__(self, "depth", _metres(f"{self.path}.depth", self.depth, 0.0, MAX_ROOM_SIDE))
        object.__setattr__(self, "area", _metres(f"{self.path}.area", self.area, 0.0, MAX_ROOM_SIDE**2))
        if self.scale is not None:
            _choice(f"{self.path}.scale", self.scale, ("small", "large"))

    def to_dict(self) -> dict[str, Any]:
        """``{"width", "depth", "area", "scale"}`` (null where unknown)."""
        return {"width": self.width, "depth": self.depth, "area": self.area, "scale": self.scale}

    @classmethod
    def from_dict(cls, data: Any, path: str = "size") -> SizeHint:
        """Read :meth:`to_dict`'s form."""
        d = _keys(path, data, {"width", "depth", "area", "scale"}, set())
        return cls(d.get("width"), d.get("depth"), d.get("area"), d.get("scale"), path=path)


@dataclass(frozen=True)
class TaskSpec:
    """Everything a prompt asks for (see module docstring). Build by hand, with :func:`parse_prompt`, or from
    JSON with :meth:`from_dict`; all three compare equal when they say the same thing.

    Attributes:
        prompt: the text the spec was read from ("" for hand-written specs without one).
        room_type: one of :data:`scene_gym.scene.ROOM_TYPES`, or None when the prompt does not say.
        size: room size hints, or None.
        objects: required object counts, at most one per category (per name for unresolved requests).
        attributes: required attributes.
        relations: required relations.
    """

    prompt: str = ""
    room_type: str | None = None
    size: SizeHint | None = None
    objects: tuple[ObjectCount, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    relations: tuple[RelationSpec, ...] = ()

    def __post_init__(self):
        from scene_gym.scene import ROOM_TYPES

        if not isinstance(self.prompt, str) or len(self.prompt) > 20_000:
            raise _fail("prompt", "a string of at most 20000 characters", self.prompt)
        if self.room_type is not None:
            _choice("room_type", self.room_type, ROOM_TYPES)
        if self.size is not None and not isinstance(self.size, SizeHint):
            raise _fail("size", "a SizeHint or None", self.size)
        for name, kind in (("objects", ObjectCount), ("attributes", Attribute), ("relations", RelationSpec)):
            items = getattr(self, name)
            if not isinstance(items, tuple | list):
                raise _fail(name, f"a sequence of {kind.__name__}", items)
            object.__setattr__(self, name, tuple(items))
            if len(items) > MAX_ITEMS:
                raise _fail(name, f"at most {MAX_ITEMS} entries", f"{len(items)} entries")
            for i, item in enumerate(items):
                if not isinstance(item, kind):
                    raise _fail(f"{name}[{i}]", f"a {kind.__name__}", item)
        seen: set[str] = set()
        for i, o in enumerate(self.objects):
            if o.key in seen:
                where = "category" if o.resolved else "name"
                raise _fail(f"objects[{i}].{where}", f"each {where} at most once", o.label)
            seen.add(o.key)

    # --- queries ------------------------------------------------------------------------------------------
    def count_for(self, category: str) -> ObjectCount | None:
        """The count requirement of ``category``, if any."""
        return next((o for o in self.objects if o.category == category), None)

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category the spec mentions (counts, attributes, relations), in first-mention order."""
        out: list[str] = []
        for c in [o.category for o in self.objects] + [a.category for a in self.attributes] + [
            c for r in self.relations for c in (r.subject, r.target) if c
        ]:
            if c is not None and c not in out:
                out.append(c)
        return tuple(out)

    @property
    def unresolved(self) -> tuple[ObjectCount, ...]:
        """The counts of objects the catalog does not have (``category`` None), in mention order."""
        return tuple(o for o in self.objects if o.category is None)

    @property
    def object_relations(self) -> tuple[RelationSpec, ...]:
        """SceneEval ``OORel``: relations between categories."""
        return tuple(r for r in self.relations if not r.architectural)

    @property
    def arch_relations(self) -> tuple[RelationSpec, ...]:
        """SceneEval ``OARel``: relations between a category and the room."""
        return tuple(r for r in self.relations if r.architectural)

    def is_empty(self) -> bool:
        """True when the spec asks for nothing beyond (maybe) a room type."""
        return not (self.objects or self.attributes or self.relations or self.size)

    # --- JSON ---------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with ``"schema": "scene-gym/task-spec@2"``; :meth:`from_dict` reads it back."""
        return {
            "schema": SPEC_SCHEMA,
            "prompt": self.prompt,
            "room_type": self.room_type,
            "size": self.size.to_dict() if self.size else None,
            "objects": [o.to_dict() for o in self.objects],
            "attributes": [a.to_dict() for a in self.attributes],
            "relations": [r.to_dict() for r in self.relations],
        }

    @classmethod
    def from_dict(cls, data: Any) -> TaskSpec:
        """Validate a decoded JSON value; errors name the field path (``relations[2].target: ...``).

        ``schema`` may be omitted (hand-written annotations) and may be any of :data:`SPEC_SCHEMAS`; ``objects``
        entries may be SceneEval strings (``"ge,4,dining_chair"``). A ``@1`` document has no ``name`` fields and
        no unresolved counts.
        """
        allowed = {"schema", "prompt", "room_type", "size", "objects", "attributes", "relations"}
        d = _keys("spec", data, allowed, set())
        if "schema" in d and d["schema"] not in SPEC_SCHEMAS:
            raise _fail("schema", " or ".join(repr(v) for v in SPEC_SCHEMAS), d["schema"])
        if d.get("schema") == SPEC_SCHEMAS[0]:
            raw = d.get("objects")
            for i, o in enumerate(raw if isinstance(raw, list) else []):
                if isinstance(o, dict) and "name" in o:
                    raise SpecError(f"objects[{i}].name: unknown field in a {SPEC_SCHEMAS[0]} spec (names came in @2)")
        lists = {}
        for name, kind in (("objects", ObjectCount), ("attributes", Attribute), ("relations", RelationSpec)):
            raw = d.get(name) or []
            if not isinstance(raw, list):
                raise _fail(name, "a JSON array", type(raw).__name__)
            lists[name] = tuple(kind.from_dict(item, f"{name}[{i}]") for i, item in enumerate(raw))
        size = SizeHint.from_dict(d["size"]) if d.get("size") is not None else None
        return cls(d.get("prompt", ""), d.get("room_type"), size, **lists)

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> TaskSpec:
        """Parse JSON text and validate it with :meth:`from_dict`."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
            raise SpecError(f"task spec JSON: cannot decode ({err})") from None
        return cls.from_dict(data)
