"""The mutable scene state: a room, an ordered set of objects, lights and the prompt.

``Scene`` is the one state every environment, metric, exporter and renderer works on. Objects and lights are
immutable records (:class:`SceneObject`, :class:`Light`); the scene swaps them whole, so a snapshot is a cheap
shallow copy and :meth:`Scene.transaction` can restore the exact previous state when an edit fails.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic

from scene_gym.errors import SceneValidationError
from scene_gym.scene.document import (
    SCHEMA,
    SceneDocument,
    format_validation_error,
    parse_json,
    validate_document,
)
from scene_gym.scene.io import atomic_write
from scene_gym.scene.lights import Light
from scene_gym.scene.objects import ARCHITECTURE_PARENTS, SceneObject
from scene_gym.scene.room import Room

_ID_SUFFIX = re.compile(r"_(\d+)$")


class Scene:
    """A room with objects and lights.

    Args:
        room: the architecture.
        objects: objects in insertion order (ids must be unique).
        lights: light sources.
        prompt: the text the scene was generated for.
        metadata: free-form JSON-serialisable data (generator, seed, timings...).
    """

    def __init__(self, room: Room, objects=(), lights=(), prompt: str = "", metadata: dict | None = None):
        doc = SceneDocument(room=room, objects=tuple(objects), lights=tuple(lights), prompt=prompt,
                            metadata=dict(metadata or {}))  # fmt: skip
        self._load(doc)

    def _load(self, doc: SceneDocument) -> None:
        self.room: Room = doc.room
        self.prompt: str = doc.prompt
        self.metadata: dict[str, Any] = dict(doc.metadata)
        self._objects: dict[str, SceneObject] = {o.id: o for o in doc.objects}
        self._lights: dict[str, Light] = {light.id: light for light in doc.lights}

    # --- access -------------------------------------------------------------------------------------------
    @property
    def objects(self) -> list[SceneObject]:
        """Objects in insertion order (a new list; edit the scene through its methods)."""
        return list(self._objects.values())

    @property
    def lights(self) -> list[Light]:
        """Lights in insertion order."""
        return list(self._lights.values())

    def __len__(self) -> int:
        return len(self._objects)

    def __contains__(self, object_id: object) -> bool:
        return object_id in self._objects

    def __iter__(self) -> Iterator[SceneObject]:
        return iter(list(self._objects.values()))

    def get(self, object_id: str) -> SceneObject:
        """The object with this id; raises :class:`SceneValidationError` naming unknown ids."""
        try:
            return self._objects[object_id]
        except (KeyError, TypeError):
            known = ", ".join(list(self._objects)[:20])
            raise SceneValidationError(f"unknown object id {object_id!r}; known ids: {known or '(none)'}") from None

    def children(self, object_id: str) -> list[SceneObject]:
        """Objects whose ``parent`` is ``object_id`` (direct children only)."""
        return [o for o in self._objects.values() if o.parent == object_id]

    def descendants(self, object_id: str) -> list[SceneObject]:
        """All objects resting, directly or through others, on ``object_id``."""
        out, frontier = [], [object_id]
        while frontier:
            kids = [o for o in self._objects.values() if o.parent in frontier]
            out.extend(kids)
            frontier = [o.id for o in kids]
        return out

    def by_category(self, category: str) -> list[SceneObject]:
        """Objects of one category, in insertion order."""
        return [o for o in self._objects.values() if o.category == category]

    def next_id(self, category: str) -> str:
        """The next free readable id for a category: one more than the highest ``<category>_<n>`` in use."""
        highest = 0
        prefix = category + "_"
        for oid in self._objects:
            if oid.startswith(prefix):
                m = _ID_SUFFIX.search(oid)
                if m and oid[: m.start()] == category:
                    highest = max(highest, int(m.group(1)))
        return f"{category}_{highest + 1}"

    # --- edits --------------------------------------------------------------------------------------------
    def add(self, obj: SceneObject) -> SceneObject:
        """Add an object; its id must be new and its parent must exist."""
        if obj.id in self._objects:
            raise SceneValidationError(f"duplicate object id {obj.id!r}")
        self._check_parent(obj)
        self._objects[obj.id] = obj
        return obj

    def new_object(self, category: str, **fields: Any) -> SceneObject:
        """Validate and add an object of ``category`` with the next free id; ``fields`` as in SceneObject."""
        data = {"id": self.next_id(category), "category": category, **fields}
        try:
            obj = SceneObject.model_validate(data)
        except pydantic.ValidationError as err:
            raise SceneValidationError(format_validation_error(err)) from None
        return self.add(obj)

    def update(self, object_id: str, **changes: Any) -> SceneObject:
        """Replace an object by a validated copy with ``changes``; keeps its place in the order."""
        old = self.get(object_id)
        if "id" in changes and changes["id"] != object_id:
            raise SceneValidationError(f"object ids are stable; cannot rename {object_id!r} to {changes['id']!r}")
        try:
            new = old.evolve(**changes)
        except pydantic.ValidationError as err:
            raise SceneValidationError(f"{object_id}: {format_validation_error(err)}") from None
        self._check_parent(new)
        self._objects[object_id] = new
        return new

    def remove(self, object_id: str, *, cascade: bool = True) -> list[SceneObject]:
        """Remove an object; with ``cascade`` also everything resting on it. Returns the removed objects."""
        self.get(object_id)
        doomed = [self._objects[object_id], *self.descendants(object_id)]
        if not cascade and len(doomed) > 1:
            raise SceneValidationError(f"{object_id!r} supports {[o.id for o in doomed[1:]]}; remove them first")
        for obj in doomed:
            del self._objects[obj.id]
        return doomed

    def add_light(self, light: Light) -> Light:
        """Add a light with a new id."""
        if light.id in self._lights:
            raise SceneValidationError(f"duplicate light id {light.id!r}")
        self._lights[light.id] = light
        return light

    def remove_light(self, light_id: str) -> Light:
        """Remove a light by id."""
        if light_id not in self._lights:
            raise SceneValidationError(f"unknown light id {light_id!r}")
        return self._lights.pop(light_id)

    def _check_parent(self, obj: SceneObject) -> None:
        if obj.parent in ARCHITECTURE_PARENTS:
            return
        if obj.parent not in self._objects or obj.parent == obj.id:
            raise SceneValidationError(f"{obj.id}: support parent {obj.parent!r} is not an object in the scene")
        node = obj.parent
        while node in self._objects:
            if node == obj.id:
                raise SceneValidationError(f"{obj.id}: parent {obj.parent!r} would create a support cycle")
            node = self._objects[node].parent

    # --- snapshots and transactions -----------------------------------------------------------------------
    def snapshot(self) -> tuple:
        """An opaque value that :meth:`restore` turns back into exactly this state."""
        return (self.room, self.prompt, dict(self.metadata), dict(self._objects), dict(self._lights))

    def restore(self, snap: tuple) -> None:
        """Return to a state captured by :meth:`snapshot`."""
        room, prompt, metadata, objects, lights = snap
        self.room, self.prompt, self.metadata = room, prompt, dict(metadata)
        self._objects, self._lights = dict(objects), dict(lights)

    @contextlib.contextmanager
    def transaction(self):
        """Context manager: if the body raises, the scene is restored exactly and the error propagates."""
        snap = self.snapshot()
        try:
            yield self
        except BaseException:
            self.restore(snap)
            raise

    def copy(self) -> Scene:
        """An independent scene with the same content (records are immutable, so this is shallow)."""
        new = Scene.__new__(Scene)
        new.restore(self.snapshot())
        return new

    # --- JSON ---------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The scene as a JSON-ready dict with ``"schema": "scene-gym/scene@1"``."""
        return {
            "schema": SCHEMA,
            "prompt": self.prompt,
            "room": self.room.model_dump(mode="json"),
            "objects": [o.model_dump(mode="json") for o in self._objects.values()],
            "lights": [light.model_dump(mode="json") for light in self._lights.values()],
            "metadata": self.metadata,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise to JSON text; ``Scene.from_json(s.to_json()).to_json() == s.to_json()``."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, data: Any) -> Scene:
        """Validate a decoded JSON value and build a scene; errors name the bad field."""
        doc = validate_document(data)
        scene = cls.__new__(cls)
        scene._load(doc)
        return scene

    @classmethod
    def from_json(cls, text: str | bytes) -> Scene:
        """Parse and validate JSON text."""
        return cls.from_dict(parse_json(text))

    def save(self, path: str | Path) -> Path:
        """Write the scene JSON atomically (temporary file, then rename)."""
        return atomic_write(path, self.to_json() + "\n")

    @classmethod
    def load(cls, path: str | Path) -> Scene:
        """Read and validate a scene file; a missing or truncated file raises :class:`SceneValidationError`."""
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise SceneValidationError(f"cannot read scene file {str(path)!r}: {err.strerror}") from None
        return cls.from_dict(parse_json(raw, source=str(path)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scene) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Scene({self.room.type!r}, {len(self._objects)} objects, prompt={self.prompt[:40]!r})"
