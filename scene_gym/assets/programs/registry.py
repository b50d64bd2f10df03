"""Content-addressed registry of object programs: define once, look up by category in any process.

- :func:`define_program` validates a program (:mod:`~scene_gym.assets.programs.schema`), compiles it
  (:mod:`~scene_gym.assets.programs.compile`) and returns its category ``f"{slug(name)}_{sha256[:8]}"`` of the
  normalised program's canonical JSON (:mod:`scene_gym.scene.definitions`). The same program always gets the
  same category; two different programs named "kiln" get two categories and coexist (vector envs share a
  process).
- :func:`program_factory` finds the compiled factory of a category, compiling it on first use from the
  scene layer's store of definitions (filled by every ``Scene`` built with definitions, e.g. a loaded scene
  file). :func:`scene_gym.assets.factory.get_factory` calls it for categories outside the catalog; the catalog
  listing (``factories()``, ``scene-gym assets``, text search) never shows program categories.
"""

from __future__ import annotations

import threading
from typing import Any

from scene_gym.assets.programs.compile import compile_program
from scene_gym.assets.programs.schema import ObjectProgram, parse_program
from scene_gym.errors import ProgramError, SceneValidationError
from scene_gym.scene import definitions as store

_COMPILED: dict[str, type] = {}
_LOCK = threading.Lock()


def define_program(program: Any) -> str:
    """Validate and compile ``program`` (an :class:`ObjectProgram` or its JSON data) and return its category.

    Raises :class:`ProgramError` naming the field (``parts[2].size[0]: ...``); nothing is registered then."""
    parsed = parse_program(program)
    data = parsed.to_data()
    try:
        text = store.check_definition(store.category_for(data), data, field="program")
    except SceneValidationError as err:  # over the size cap
        raise ProgramError("", str(err).split(": ", 1)[-1]) from None
    category = store.category_for(data)
    with _LOCK:
        known = category in _COMPILED
    if not known:
        factory = compile_program(parsed, category)
        with _LOCK:
            _COMPILED.setdefault(category, factory)
    store.remember(category, text)
    return category


def program_factory(category: str) -> type | None:
    """The compiled factory of a program category, or None when no program of this process has that category.
    Compiles a stored definition on first use; an invalid one raises :class:`ProgramError`."""
    if not isinstance(category, str) or not store.DEFINITION_CATEGORY.match(category):
        return None
    with _LOCK:
        factory = _COMPILED.get(category)
    if factory is not None:
        return factory
    data = store.recall(category)
    if data is None:
        return None
    factory = compile_program(data, category)
    with _LOCK:
        return _COMPILED.setdefault(category, factory)


def program_of(category: str) -> ObjectProgram | None:
    """The validated program of a program category, or None for catalog and unknown categories."""
    factory = program_factory(category)
    return None if factory is None else factory.program


def is_program_category(category: str) -> bool:
    """True when ``category`` names a program defined in this process (directly or by a loaded scene)."""
    return program_factory(category) is not None


__all__ = ["define_program", "is_program_category", "program_factory", "program_of"]
