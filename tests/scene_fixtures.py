"""Building fixture scenes with the ``Scene`` constructor.

Tests that need scenes the edit core would refuse (an object through a wall, a size outside its category's range,
an unknown category) build them here; tests of edits use :mod:`scene_gym.actions.edit`.
"""

from __future__ import annotations

from scene_gym.assets import factories
from scene_gym.scene import Scene, SceneObject


def with_object(scene: Scene, category: str, x: float, y: float, z: float = 0.0, **fields) -> Scene:
    """A new scene: ``scene`` plus one object of ``category`` with the next free id (``<category>_<n>``), its
    bottom centre at (x, y, z) metres, the category's default size unless ``size`` is given, and ``fields`` as in
    :class:`SceneObject`. ``scene`` itself is not changed."""
    if "size" not in fields and category in factories():
        fields["size"] = factories()[category].default_size
    obj = SceneObject(id=scene.next_id(category), category=category, position=(x, y, z), **fields)
    return Scene(scene.room, [*scene.objects, obj], scene.lights, scene.prompt, scene.metadata)


def with_changes(scene: Scene, object_id: str, **changes) -> Scene:
    """A new scene: ``scene`` with the object ``object_id`` replaced by a validated copy with ``changes`` (only
    that object; what rests on it stays where it is). ``scene`` itself is not changed."""
    objects = [o.evolve(**changes) if o.id == object_id else o for o in scene.objects]
    return Scene(scene.room, objects, scene.lights, scene.prompt, scene.metadata)
