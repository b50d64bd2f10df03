"""Object definitions a scene carries: content-addressed object programs, stored as plain JSON data.

A scene may hold objects of categories that are not in the catalog but *defined* by an object program (a
part-wise description written as data, see ``scene_gym.assets.programs.schema``). The scene stores each program
under its category in ``Scene.definitions`` and in the scene JSON under ``"definitions"``, so a scene file stays
self-contained and reloads in any process.

This layer does not know the program schema (it lives in the assets layer, above); it only keeps the storage
honest:

- a category is ``f"{slug(name)}_{digest[:8]}"`` where ``name`` is the program's ``"name"`` and ``digest`` the
  SHA-256 of the program's canonical JSON (:func:`canonical_json`: sorted keys, no spaces, UTF-8). The same
  program always gets the same category; two different programs with the same name coexist;
- a definition whose category does not match its content is refused, as are programs over
  :data:`MAX_DEFINITION_BYTES` of canonical JSON and scenes with more than :data:`MAX_DEFINITIONS` of them;
- :func:`remember` keeps every definition any scene was built with in a process-wide store, so the assets layer
  can compile a program the first time a category is looked up after a scene file was loaded (:func:`recall`).

Errors are :class:`~scene_gym.errors.SceneValidationError` whose message starts with the field:
``definitions.kiln_1a2b3c4d: expected category 'kiln_0badf00d' for this content, got 'kiln_1a2b3c4d'``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping
from typing import Any

from scene_gym.errors import SceneValidationError

#: Largest canonical JSON of one program, bytes.
MAX_DEFINITION_BYTES = 64 * 1024
#: Most definitions one scene holds.
MAX_DEFINITIONS = 32
#: Longest slug of a program name (the category adds ``_`` and 8 hex digits).
MAX_SLUG = 40
#: Every definition category matches this.
DEFINITION_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*_[0-9a-f]{8}$")

_STORE: dict[str, str] = {}  # category -> canonical JSON
_LOCK = threading.Lock()


def canonical_json(program: Any) -> str:
    """The canonical JSON text of a program: sorted keys, ``,``/``:`` separators, non-ASCII kept, no NaN.

    Raises :class:`SceneValidationError` for values JSON cannot hold."""
    try:
        return json.dumps(program, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as err:
        raise SceneValidationError(f"definition: expected JSON-ready data, got {type(program).__name__} ({err})") from None


def slug(name: str) -> str:
    """A category-safe form of a user's object name: lowercase, runs of other characters as one ``_``, at most
    :data:`MAX_SLUG` characters, starting with a letter (``"Potter's wheel"`` -> ``"potter_s_wheel"``,
    ``"3d printer"`` -> ``"obj_3d_printer"``, ``""`` -> ``"object"``)."""
    text = re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")
    if not text:
        return "object"
    if not text[0].isalpha():
        text = "obj_" + text
    return text[:MAX_SLUG].rstrip("_")


def digest(text: str) -> str:
    """Hex SHA-256 of canonical JSON text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def category_for(program: Mapping[str, Any]) -> str:
    """The content-addressed category of a program (a mapping with a ``"name"``): ``slug(name)_<8 hex>``."""
    if not isinstance(program, Mapping):
        raise SceneValidationError(f"definition: expected a program object, got {type(program).__name__}")
    name = program.get("name")
    if not isinstance(name, str):
        raise SceneValidationError(f"definition.name: expected the object's name as text, got {type(name).__name__}")
    return f"{slug(name)}_{digest(canonical_json(program))[:8]}"


def check_definition(category: Any, program: Any, *, field: str = "definitions") -> str:
    """The canonical JSON of ``program`` when ``category`` is its content address and it is small enough; else
    :class:`SceneValidationError` naming ``field.category`` and what is wrong."""
    from scene_gym.scene.document import shown

    valid = isinstance(category, str) and len(category) <= 64 and DEFINITION_CATEGORY.match(category)
    where = f"{field}.{category}" if valid else f"{field}[{shown(category, 60)}]"
    if not valid:
        raise SceneValidationError(f"{where}: expected a definition category like 'kiln_1a2b3c4d', got "
                                   f"{shown(category, 60)}")  # fmt: skip
    if not isinstance(program, Mapping):
        raise SceneValidationError(f"{where}: expected a program object, got {type(program).__name__}")
    text = canonical_json(dict(program))
    size = len(text.encode("utf-8"))
    if size > MAX_DEFINITION_BYTES:
        raise SceneValidationError(f"{where}: expected a program of at most {MAX_DEFINITION_BYTES} bytes of JSON, "
                                   f"got {size}")  # fmt: skip
    try:
        expected = category_for(program)
    except SceneValidationError as err:
        raise SceneValidationError(f"{where}: {err}") from None
    if expected != category:
        raise SceneValidationError(f"{where}: expected category {expected!r} for this content (slug of the name + "
                                   f"SHA-256 of its canonical JSON), got {category!r}")  # fmt: skip
    return text


def check_definitions(definitions: Any, *, field: str = "definitions") -> dict[str, str]:
    """Category -> canonical JSON of a whole ``definitions`` mapping, each checked by :func:`check_definition`,
    at most :data:`MAX_DEFINITIONS` of them."""
    if definitions is None:
        return {}
    if not isinstance(definitions, Mapping):
        raise SceneValidationError(f"{field}: expected an object of category -> program, got "
                                   f"{type(definitions).__name__}")  # fmt: skip
    if len(definitions) > MAX_DEFINITIONS:
        raise SceneValidationError(f"{field}: expected at most {MAX_DEFINITIONS} definitions, got {len(definitions)}")
    return {category: check_definition(category, program, field=field) for category, program in definitions.items()}


def remember(category: str, text: str) -> None:
    """Keep a checked definition (canonical JSON ``text``) in the process-wide store."""
    with _LOCK:
        _STORE[category] = text


def recall(category: str) -> dict[str, Any] | None:
    """A new copy of the program stored for ``category`` by any scene of this process, or None."""
    text = _STORE.get(category) if isinstance(category, str) else None
    return None if text is None else json.loads(text)


def known_categories() -> list[str]:
    """Every category in the process-wide store, sorted."""
    with _LOCK:
        return sorted(_STORE)


__all__ = ["DEFINITION_CATEGORY", "MAX_DEFINITIONS", "MAX_DEFINITION_BYTES", "MAX_SLUG", "canonical_json",
           "category_for", "check_definition", "check_definitions", "digest", "known_categories", "recall",
           "remember", "slug"]  # fmt: skip
