"""The operations that change a :class:`~scene_gym.scene.Scene` in place.

**Only the edit core (:mod:`scene_gym.actions.edit`) may import this module** (an import-linter contract will
enforce it). Everything else reads scenes, builds new ones with the ``Scene`` constructor, or edits them through
the edit core, which validates the request (categories, size ranges, the room) and keeps what rests on an object
with it. The functions here only keep the scene self-consistent: unique ids, support parents that exist, no
support cycles, records that pass their own validation. They raise
:class:`~scene_gym.errors.SceneValidationError` naming the offending value and leave the scene unchanged when
they do.

They touch the scene's private fields on purpose: ``Scene`` has no public setter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pydantic

from scene_gym.errors import SceneValidationError
from scene_gym.scene import definitions as _defs
from scene_gym.scene.document import format_validation_error
from scene_gym.scene.lights import Light
from scene_gym.scene.objects import ARCHITECTURE_PARENTS, SceneObject
from scene_gym.scene.room import Room
from scene_gym.scene.scene import Scene

MAX_PROMPT_CHARS = 20_000  # as the scene document's ``prompt`` field


# --- objects ------------------------------------------------------------------------------------------------
def add(scene: Scene, obj: SceneObject) -> SceneObject:
    """Append an object; its id must be new and its parent must exist. Returns ``obj``."""
    if obj.id in scene._objects:
        raise SceneValidationError(f"duplicate object id {obj.id!r}")
    _check_parent(scene._objects, obj)
    scene._objects[obj.id] = obj
    return obj


def new_object(scene: Scene, category: str, **fields: Any) -> SceneObject:
    """Validate and append an object of ``category`` with the scene's next free id; ``fields`` as in
    :class:`SceneObject` (metres, radians)."""
    data = {"id": scene.next_id(category), "category": category, **fields}
    try:
        obj = SceneObject.model_validate(data)
    except pydantic.ValidationError as err:
        raise SceneValidationError(format_validation_error(err)) from None
    return add(scene, obj)


def update(scene: Scene, object_id: str, **changes: Any) -> SceneObject:
    """Replace an object by a validated copy with ``changes``, keeping its place in the order. Ids are stable:
    changing ``id`` is an error."""
    old = scene.get(object_id)
    if "id" in changes and changes["id"] != object_id:
        raise SceneValidationError(f"object ids are stable; cannot rename {object_id!r} to {changes['id']!r}")
    try:
        new = old.evolve(**changes)
    except pydantic.ValidationError as err:
        raise SceneValidationError(f"{object_id}: {format_validation_error(err)}") from None
    _check_parent(scene._objects, new)
    scene._objects[object_id] = new
    return new


def remove(scene: Scene, object_id: str, *, cascade: bool = True) -> list[SceneObject]:
    """Remove an object; with ``cascade`` also everything resting on it. Returns the removed records, the
    object first."""
    scene.get(object_id)
    doomed = [scene._objects[object_id], *scene.descendants(object_id)]
    if not cascade and len(doomed) > 1:
        raise SceneValidationError(f"{object_id!r} supports {[o.id for o in doomed[1:]]}; remove them first")
    for obj in doomed:
        del scene._objects[obj.id]
    return doomed


def set_objects(scene: Scene, objects: Iterable[SceneObject]) -> None:
    """Replace every object at once (e.g. by a layout solver's result); ids unique, parents present."""
    new: dict[str, SceneObject] = {}
    for obj in objects:
        if obj.id in new:
            raise SceneValidationError(f"duplicate object id {obj.id!r}")
        new[obj.id] = obj
    for obj in new.values():
        _check_parent(new, obj)
    scene._objects = new


def _check_parent(objects: Mapping[str, SceneObject], obj: SceneObject) -> None:
    if obj.parent in ARCHITECTURE_PARENTS:
        return
    if obj.parent not in objects or obj.parent == obj.id:
        raise SceneValidationError(f"{obj.id}: support parent {obj.parent!r} is not an object in the scene")
    node = obj.parent
    while node in objects:
        if node == obj.id:
            raise SceneValidationError(f"{obj.id}: parent {obj.parent!r} would create a support cycle")
        node = objects[node].parent


# --- lights -------------------------------------------------------------------------------------------------
def add_light(scene: Scene, light: Light) -> Light:
    """Append a light with a new id."""
    if light.id in scene._lights:
        raise SceneValidationError(f"duplicate light id {light.id!r}")
    scene._lights[light.id] = light
    return light


def replace_light(scene: Scene, light: Light) -> Light:
    """Swap the light with ``light.id`` for ``light``, keeping its place in the order."""
    if light.id not in scene._lights:
        raise SceneValidationError(f"unknown light id {light.id!r}")
    scene._lights[light.id] = light
    return light


def remove_light(scene: Scene, light_id: str) -> Light:
    """Remove a light by id; returns it."""
    if light_id not in scene._lights:
        raise SceneValidationError(f"unknown light id {light_id!r}")
    return scene._lights.pop(light_id)


# --- object definitions -------------------------------------------------------------------------------------
def add_definition(scene: Scene, category: str, program: Mapping[str, Any]) -> bool:
    """Store an object program under its content-addressed ``category`` (checked by
    :func:`scene_gym.scene.definitions.check_definition`) and remember it process-wide. Adding a category the
    scene already holds is a no-op (the content is the same by construction). Returns True when it was new.

    The mapping is replaced, not edited in place, so snapshots taken before keep the old one."""
    text = _defs.check_definition(category, program, field="definitions")
    if category in scene._definitions:
        return False
    if len(scene._definitions) >= _defs.MAX_DEFINITIONS:
        raise SceneValidationError(f"definitions: expected at most {_defs.MAX_DEFINITIONS} definitions per scene, "
                                   f"got one more ({category!r})")  # fmt: skip
    _defs.remember(category, text)
    scene._definitions = {**scene._definitions, category: text}
    return True


# --- scene-wide fields --------------------------------------------------------------------------------------
def set_room(scene: Scene, room: Room) -> None:
    """Replace the room record (objects are not checked against it; the edit core does that)."""
    if not isinstance(room, Room):
        raise SceneValidationError(f"expected a Room, got {type(room).__name__}")
    scene._room = room


def set_prompt(scene: Scene, prompt: str) -> None:
    """Replace the prompt (a string of at most 20,000 characters)."""
    if not isinstance(prompt, str):
        raise SceneValidationError(f"expected the prompt as a string, got {type(prompt).__name__}")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise SceneValidationError(f"expected a prompt of at most {MAX_PROMPT_CHARS} characters, got {len(prompt)}")
    scene._prompt = prompt


def set_metadata(scene: Scene, key: str, value: Any) -> None:
    """Set one metadata entry to a JSON-ready value. The mapping is replaced, not edited in place, so
    snapshots taken before keep the old one."""
    if not isinstance(key, str):
        raise SceneValidationError(f"expected a metadata key as a string, got {type(key).__name__}")
    scene._metadata = {**scene._metadata, key: value}


def drop_metadata(scene: Scene, key: str) -> None:
    """Delete one metadata entry if present (the mapping is replaced, as in :func:`set_metadata`)."""
    if key in scene._metadata:
        scene._metadata = {k: v for k, v in scene._metadata.items() if k != key}
