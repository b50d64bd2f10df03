"""The scene tools: a SceneWeaver-equivalent tool set over a :class:`~scene_gym.scene.Scene`, for LLM function
calling and the trajectory-level environment (SceneOrchestra).

======================  ============  ==========  ==========================================================
tool                    category      nominal s   what it does
======================  ============  ==========  ==========================================================
``init_room``           initializer   2           new room (type, size, optional L-shape, door, windows)
``init_layout``         initializer   10          essential furniture of the room type (:mod:`scene_gym.assets.room_priors`)
``add_objects``         implementer   5           N objects of a category, placed under relations
``define_object``       implementer   8           an object program (parts, joints, surfaces) defined and placed
``add_crowd``           implementer   6           fill a receptacle's fixed surfaces with small objects
``add_relation``        modifier      3           add a relation and re-solve the objects it names
``update_layout``       modifier      3           move objects to positions, or let the solver re-place them
``update_rotation``     modifier      1           yaw in degrees, facing a compass side or another object
``update_size``         modifier      1           new size or scale, within the category's size range
``remove_objects``      modifier      0.5         remove objects and what rests on them
``optimize_physics``    modifier      4           push apart, bring inside, settle, drop the unfixable
``terminate``           finisher      0           end the episode
======================  ============  ==========  ==========================================================

Nominal costs emulate the wall time of the slow generators SceneWeaver calls (LLM planning, asset retrieval,
Blender physics); ``ToolResult.cost_s`` is the measured wall time plus this cost. Change them per call
(``apply_tool(..., nominal_cost_s=...)``) or per tool (``Tool.with_cost``; ``TOOLS`` may be copied and edited).

Example::

    import numpy as np
    from scene_gym.actions.tools import apply_tool, parse_trajectory, validate_trajectory
    from scene_gym.scene import Room, Scene

    scene = Scene(Room.rectangle(4, 5))
    calls = validate_trajectory(parse_trajectory('[{"tool": "init_room", "args": {"room_type": "bedroom"}}, '
                                                 '{"tool": "init_layout", "args": {}}]'))
    rng = np.random.default_rng(0)
    results = [apply_tool(scene, c, rng=rng) for c in calls]

The tools are a front-end: each validates its argument model (:mod:`.base`, :mod:`.validate`) and translates it
into calls of the edit core, :mod:`scene_gym.actions.edit`, which alone changes the scene. Relations recorded by
the tools live in ``scene.metadata["relations"]`` (:data:`scene_gym.actions.edit.RELATIONS_KEY`). Only
``optimize_physics`` syncs a physics world.
"""

from __future__ import annotations

from scene_gym.actions.tools.apply import apply_tool
from scene_gym.actions.tools.base import CATEGORIES, Tool, ToolCall, ToolError, ToolResult
from scene_gym.actions.tools.crowd import AddCrowdArgs, run_add_crowd
from scene_gym.actions.tools.definitions import DefineObjectArgs, run_define_object
from scene_gym.actions.tools.implementers import (
    RELATION_HELP,
    AddObjectsArgs,
    AddRelationArgs,
    run_add_objects,
    run_add_relation,
)
from scene_gym.actions.tools.initializers import InitLayoutArgs, InitRoomArgs, run_init_layout, run_init_room
from scene_gym.actions.tools.modifiers import (
    RemoveObjectsArgs,
    TerminateArgs,
    UpdateLayoutArgs,
    UpdateRotationArgs,
    UpdateSizeArgs,
    run_remove_objects,
    run_terminate,
    run_update_layout,
    run_update_rotation,
    run_update_size,
)
from scene_gym.actions.tools.schema import catalogue
from scene_gym.actions.tools.settle import OptimizePhysicsArgs, run_optimize_physics
from scene_gym.actions.tools.validate import (
    MAX_CALLS,
    MAX_TEXT_CHARS,
    parse_trajectory,
    validate_call,
    validate_trajectory,
)

NOMINAL_COSTS: dict[str, float] = {
    "init_room": 2.0, "init_layout": 10.0, "add_objects": 5.0, "define_object": 8.0, "add_crowd": 6.0, "add_relation": 3.0,
    "update_layout": 3.0, "update_rotation": 1.0, "update_size": 1.0, "remove_objects": 0.5,
    "optimize_physics": 4.0, "terminate": 0.0,
}  # fmt: skip
"""Default nominal cost of each tool, seconds (see the module docstring)."""

_FRAME = ("Room frame: metres, origin at the south-west floor corner, x east, y north; an object's front faces "
          "north at yaw 0. ")  # fmt: skip

_SPECS = [
    ("init_room", "initializer", InitRoomArgs, run_init_room,
     "Start a new, empty room: its type, floor size and wall height; optionally L-shaped. Removes every object. "
     "Adds a door in the south wall and windows on the longest walls. Call it first. " + _FRAME),
    ("init_layout", "initializer", InitLayoutArgs, run_init_layout,
     "Furnish the room with the essential furniture of its type (a bedroom gets a bed, nightstands, a wardrobe...) "
     "placed by a layout solver without collisions. Replaces existing objects unless replace is false. New ids are "
     "<category>_<n>, e.g. bed_1."),
    ("add_objects", "implementer", AddObjectsArgs, run_add_objects,
     "Add `count` objects of one category; a layout solver places them inside the room without collisions while "
     "satisfying the relations given. New ids are <category>_<n> continuing the numbering (two new chairs after "
     "chair_1 are chair_2 and chair_3). For small objects on furniture give `parent` or an on_top_of relation. "
     + RELATION_HELP),
    ("define_object", "implementer", DefineObjectArgs, run_define_object,
     "Define an object the catalog does not have (a pottery wheel, a loom) from a part-wise program and place "
     "`count` of it like add_objects; later add_objects calls may use its name as category. Parts: box, cylinder, "
     "cone, sphere, lathe, extrusion or a catalog asset, each placed relative to its parent part; joints make doors "
     "and drawers open. " + _FRAME),
    ("add_crowd", "implementer", AddCrowdArgs, run_add_crowd,
     "Fill one receptacle (table, desk, shelf, counter...) with small objects (books, cups, plants...) on its fixed "
     "support surfaces, fully on the surface and not overlapping. Give count or density."),
    ("add_relation", "modifier", AddRelationArgs, run_add_relation,
     "Require a spatial relation between objects and move the relation's subject (or the ids in `move`) so that it "
     "holds; relations added before keep holding where possible. " + RELATION_HELP),
    ("update_layout", "modifier", UpdateLayoutArgs, run_update_layout,
     "Move objects: give each a new [x, y] centre, or no position to let the layout solver re-place it. Objects "
     "resting on a moved object move with it. A position that takes an object out of the room is an error. "
     + _FRAME),
    ("update_rotation", "modifier", UpdateRotationArgs, run_update_rotation,
     "Turn one object about its vertical axis: give yaw_deg, a compass side to face, or an object to face. What "
     "rests on it turns with it; an object turned into a wall is pushed back inside."),
    ("update_size", "modifier", UpdateSizeArgs, run_update_size,
     "Resize one object to [width, depth, height] metres or by a scale factor, within its category's size range "
     "(the error names the range). Objects on it stay on its surfaces."),
    ("remove_objects", "modifier", RemoveObjectsArgs, run_remove_objects,
     "Remove objects by id; everything resting on them is removed too."),
    ("optimize_physics", "modifier", OptimizePhysicsArgs, run_optimize_physics,
     "Fix physics: put objects at their support height, push objects leaving the room back inside, push colliding "
     "objects apart (or re-place them), and remove what cannot be fixed. Reports what it did. Run it after edits."),
    ("terminate", "finisher", TerminateArgs, run_terminate,
     "Finish: the scene is complete. Ends the episode."),
]  # fmt: skip

TOOLS: dict[str, Tool] = {name: Tool(name, desc, cat, model, NOMINAL_COSTS[name], run)
                          for name, cat, model, run, desc in _SPECS}  # fmt: skip
"""Every tool by name, in catalogue order."""

__all__ = ["CATEGORIES", "MAX_CALLS", "MAX_TEXT_CHARS", "NOMINAL_COSTS", "TOOLS", "Tool", "ToolCall", "ToolError",
           "ToolResult", "apply_tool", "catalogue", "parse_trajectory", "validate_call", "validate_trajectory"]  # fmt: skip
