"""The edit core: the only code that changes a :class:`~scene_gym.scene.Scene`.

The scene DSL (:mod:`scene_gym.actions.dsl`), the tools (:mod:`scene_gym.actions.tools`) and the environments
parse and validate their own syntax, then call these functions. A new operation written here is one call away
from every front-end.

Conventions of every function here:

- Units: metres and radians, room coordinates (Z up, origin at a floor corner; see :mod:`scene_gym.scene`).
  Vectors are tuples: positions (x, y, z), sizes (width, depth, height) as full extents.
- The first argument is the scene, edited in place. Every edit is atomic: on error the scene is exactly as
  before (``scene.to_json()`` byte-identical) and :class:`~scene_gym.errors.EditError` is raised, whose ``field``
  names the argument at fault and whose message names the offending value.
- Whatever rests on an object follows it when it moves, turns or is resized, and goes with it when it is
  removed; removing objects forgets the recorded relations that name them.
- Randomness (layout-solver seeds) comes only from the ``rng`` passed in.

Only this package may import :mod:`scene_gym.scene.mutation`.

Example::

    from scene_gym.actions import edit
    from scene_gym.scene import Room, Scene

    scene = Scene(Room.rectangle(4.0, 5.0, type="bedroom"))
    desk = edit.add_object(scene, "desk", position=(2.0, 0.35, 0.0), material="walnut wood")
    edit.place_on(scene, "table_lamp", desk.id)
    edit.move_object(scene, desk.id, by=(0.5, 0.0))       # the lamp comes along
    edit.remove_objects(scene, [desk.id])                 # and goes with it
    kiln = edit.define_object(scene, program)             # an object program (JSON data) -> "kiln_1a2b3c4d"
    edit.add_object(scene, kiln, position=(1.0, 1.0, 0.0))
"""

from scene_gym.actions.edit.definitions import define_object
from scene_gym.actions.edit.lights import add_light, remove_light, update_light
from scene_gym.actions.edit.lookup import (
    category_match,
    check_material,
    check_size,
    get_light,
    get_object,
    resolve_category,
    substitution_record,
)
from scene_gym.actions.edit.objects import (
    add_object,
    move_object,
    place_on,
    remove_objects,
    resize_object,
    set_joints,
    set_material,
    turn_object,
)
from scene_gym.actions.edit.relations import (
    RELATIONS_KEY,
    Related,
    forget_relations,
    record_relations,
    recorded_relations,
    relate,
    relation_ids,
    relations_for,
    replace_objects,
    solve_into,
)
from scene_gym.actions.edit.room import (
    ROOM_TOLERANCE,
    check_inside,
    footprint,
    nudge_inside,
    outside_by,
    push_inside,
    replace_room,
    set_prompt,
    snap_to_wall,
)
from scene_gym.actions.edit.surfaces import asset_of, surface_spot
from scene_gym.errors import EditError

__all__ = ["EditError", "RELATIONS_KEY", "ROOM_TOLERANCE", "Related", "add_light", "add_object", "asset_of",
           "category_match", "check_inside", "check_material", "check_size", "define_object", "footprint",
           "forget_relations", "get_light", "get_object", "move_object",
           "nudge_inside", "outside_by", "place_on", "push_inside", "record_relations", "recorded_relations",
           "relate", "relation_ids", "relations_for", "remove_light", "remove_objects", "replace_objects",
           "replace_room", "resize_object", "resolve_category", "set_joints", "set_material", "set_prompt",
           "snap_to_wall", "solve_into", "substitution_record", "surface_spot", "turn_object", "update_light"]  # fmt: skip
