"""The scene state: a room, an ordered set of objects, lights, the prompt, metadata and object definitions.

``Scene`` is the one state every environment, metric, exporter and renderer works on. Objects and lights are
immutable records (:class:`SceneObject`, :class:`Light`); the scene swaps them whole, so a snapshot is a cheap
shallow copy and :meth:`Scene.transaction` can restore the exact previous state when an edit fails.

``Scene`` itself only reads: ``room``, ``prompt`` and ``metadata`` are read-only properties and there is no
``add``/``update``/``remove`` method. Scenes are changed by the edit core, :mod:`scene_gym.actions.edit`, the one
module allowed to import :mod:`scene_gym.scene.mutation`. Code that needs a *new* scene builds it with the
constructor ``Scene(room, objects, lights, prompt, metadata, definitions)``.

``definitions`` maps program-defined categories to their object programs (plain JSON data; see
:mod:`scene_gym.scene.definitions`); every scene remembers its definitions in the process-wide store, so the
assets layer can build those categories after a scene file is loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pydantic

from scene_gym.errors import SceneValidationError
from scene_gym.scene import definitions as _defs
from scene_gym.scene.document import (
    MAX_SCENE_BYTES,
    SCHEMA,
    SceneDocument,
    format_validation_error,
    parse_json,
    shown,
    validate_document,
)
from scene_gym.scene.io import atomic_write
from scene_gym.scene.lights import Light
from scene_gym.scene.objects import SceneObject
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
        definitions: category -> object program (JSON data) of the program-defined categories; each category
            must be its program's content address (:func:`scene_gym.scene.definitions.category_for`).
    """

    def __init__(self, room: Room, objects=(), lights=(), prompt: str = "", metadata: Mapping | None = None,
                 definitions: Mapping[str, Mapping] | None = None):
        _defs.check_definitions(definitions)
        try:
            doc = SceneDocument(room=room, objects=tuple(objects), lights=tuple(lights), prompt=prompt,
                                metadata=dict(metadata or {}), definitions=dict(definitions or {}))  # fmt: skip
        except pydantic.ValidationError as err:
            raise SceneValidationError(format_validation_error(err)) from None
        self._load(doc)

    def _load(self, doc: SceneDocument) -> None:
        self._room: Room = doc.room
        self._prompt: str = doc.prompt
        self._metadata: dict[str, Any] = dict(doc.metadata)
        self._objects: dict[str, SceneObject] = {o.id: o for o in doc.objects}
        self._lights: dict[str, Light] = {light.id: light for light in doc.lights}
        # Canonical JSON text per category: immutable, hashed as stored, decoded on read.
        self._definitions: dict[str, str] = _defs.check_definitions(doc.definitions)
        for category, text in self._definitions.items():
            _defs.remember(category, text)

    # --- access -------------------------------------------------------------------------------------------
    @property
    def room(self) -> Room:
        """The architecture (read-only; the edit core replaces it)."""
        return self._room

    @property
    def prompt(self) -> str:
        """The text the scene was generated for (read-only; the edit core's ``set_prompt`` changes it)."""
        return self._prompt

    @property
    def metadata(self) -> Mapping[str, Any]:
        """Free-form JSON-ready data as a read-only mapping (``types.MappingProxyType``); the edit core owns the
        keys it writes, e.g. ``"relations"``."""
        return MappingProxyType(self._metadata)

    @property
    def definitions(self) -> Mapping[str, dict[str, Any]]:
        """Category -> object program (a new JSON-ready dict per call) of the program-defined categories, as a
        read-only mapping in definition order; the edit core's ``define_object`` adds to it."""
        return MappingProxyType({c: json.loads(text) for c, text in self._definitions.items()})

    @property
    def objects(self) -> list[SceneObject]:
        """Objects in insertion order (a new list; edit the scene through :mod:`scene_gym.actions.edit`)."""
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

    # --- snapshots and transactions -----------------------------------------------------------------------
    def snapshot(self) -> tuple:
        """An opaque value that :meth:`restore` turns back into exactly this state."""
        return (self._room, self._prompt, dict(self._metadata), dict(self._objects), dict(self._lights),
                dict(self._definitions))

    def restore(self, snap: tuple) -> None:
        """Return to a state captured by :meth:`snapshot`."""
        room, prompt, metadata, objects, lights, definitions = snap
        self._room, self._prompt, self._metadata = room, prompt, dict(metadata)
        self._objects, self._lights, self._definitions = dict(objects), dict(lights), dict(definitions)

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
        """The scene as a JSON-ready dict with ``"schema": "scene-gym/scene@2"`` (``definitions`` last)."""
        return {
            "schema": SCHEMA,
            "prompt": self.prompt,
            "room": self.room.model_dump(mode="json"),
            "objects": [o.model_dump(mode="json") for o in self._objects.values()],
            "lights": [light.model_dump(mode="json") for light in self._lights.values()],
            "metadata": dict(self._metadata),
            "definitions": {c: json.loads(text) for c, text in self._definitions.items()},
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
        """Parse and validate JSON text (a dict is taken as already decoded). Anything else, text over
        ``MAX_SCENE_BYTES``, nesting deeper than ``MAX_DEPTH`` or numbers out of range raise
        :class:`SceneValidationError` naming the value."""
        if isinstance(text, dict):
            return cls.from_dict(text)
        return cls.from_dict(parse_json(text))

    def save(self, path: str | Path) -> Path:
        """Write the scene JSON atomically (temporary file, then rename)."""
        return atomic_write(path, self.to_json() + "\n")

    @classmethod
    def load(cls, path: str | Path) -> Scene:
        """Read and validate a scene file; a missing or truncated file raises :class:`SceneValidationError`."""
        if not isinstance(path, str | os.PathLike):
            raise SceneValidationError(f"expected a scene file path, got {shown(path)} ({type(path).__name__})")
        path = Path(path)
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_SCENE_BYTES + 1)  # bounded: a huge file or a device is refused, not read whole
        except OSError as err:
            raise SceneValidationError(f"cannot read scene file {str(path)!r}: {err.strerror or err}") from None
        except ValueError as err:  # a path with a NUL character
            raise SceneValidationError(f"cannot read scene file {str(path)!r}: {err}") from None
        return cls.from_dict(parse_json(raw, source=str(path)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scene) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Scene({self.room.type!r}, {len(self._objects)} objects, prompt={self.prompt[:40]!r})"
