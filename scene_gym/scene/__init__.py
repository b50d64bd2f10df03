"""The scene data model: Room, SceneObject, Light, Scene and their versioned JSON.

This layer imports nothing else from scene_gym (only ``scene_gym.errors``) and no heavy library.

Conventions, used by every other module:

- Units: metres and radians. Z is up, the frame right-handed. The room origin is a floor corner.
- An object's ``position`` is the centre of its bounding box's bottom face; ``size`` is (width, depth, height)
  as full extents; ``yaw`` turns counter-clockwise about +Z; at yaw 0 the object's front faces +Y ("north").
- Compass words: north = +Y, south = -Y, east = +X, west = -X.
- Ids are readable and stable: ``<category>_<n>`` (``sofa_1``), never reused for a different object while
  the object exists, never renamed.
- Scene JSON carries ``"schema": "scene-gym/scene@2"`` (``scene@1`` files, without object definitions, still
  load); loading validates and names the bad field.
- ``Scene`` only reads (``room``, ``prompt`` and ``metadata`` are read-only). Scenes change through the edit core,
  :mod:`scene_gym.actions.edit`, the only importer of :mod:`scene_gym.scene.mutation`; a new scene is built
  with the constructor ``Scene(room, objects, lights, prompt, metadata, definitions)``.
- Program-defined categories: ``Scene.definitions`` holds their object programs (:mod:`scene_gym.scene.definitions`).
"""

from scene_gym.scene.document import SCHEMA
from scene_gym.scene.lights import Light
from scene_gym.scene.objects import ARCHITECTURE_PARENTS, SceneObject, facing_vector
from scene_gym.scene.room import ROOM_TYPES, Opening, Room
from scene_gym.scene.scene import Scene

COMPASS_YAW: dict[str, float] = {"north": 0.0, "west": 1.5707963267948966, "south": 3.141592653589793,
                                 "east": -1.5707963267948966}  # fmt: skip
"""Yaw (radians) that makes an object face each compass direction."""

__all__ = ["ARCHITECTURE_PARENTS", "COMPASS_YAW", "Light", "Opening", "ROOM_TYPES", "Room", "SCHEMA", "Scene",
           "SceneObject", "facing_vector"]  # fmt: skip
