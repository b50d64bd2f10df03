"""What each scene-DSL command means, as calls of the edit core (:mod:`scene_gym.actions.edit`).

Each handler takes the statement's checked arguments (see :mod:`.grammar`), translates the DSL's conventions
(degrees, compass words, default heights, relation syntax) into edit-core arguments, calls the edit core and
returns a one-line message. Nothing here changes a scene by itself. Semantics are listed in :mod:`.executor`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from scene_gym.actions import edit
from scene_gym.errors import EditError
from scene_gym.scene import COMPASS_YAW, Scene
from scene_gym.scene.document import shown

WALL_CENTER_HEIGHT = 1.5
"""Centre height (metres) of wall objects added without z."""
_DISTANCE_FIELD = ("max_distance", "max_gap", "min_distance", "tolerance")


class ExecutionError(EditError):
    """A statement that is well formed but cannot be applied to this scene (the message says why)."""


@dataclass
class Context:
    """What a handler may use besides its arguments: the scene, the rng seeding the layout solver, the object
    limit and the solver's time budget (seconds)."""

    scene: Scene
    rng: np.random.Generator
    max_objects: int
    solver_budget_s: float


def _fmt(v: Sequence[float]) -> str:
    return "(" + ", ".join(f"{x:.2f}" for x in v) + ")"


def _yaw(args: dict, default: float) -> float:
    """Radians from the DSL's ``facing`` (compass word) or ``yaw`` (degrees)."""
    if "facing" in args:
        return COMPASS_YAW[args["facing"]]
    if "yaw" in args:
        return math.radians(args["yaw"])
    return default


def _check_room_for_one(ctx: Context) -> None:
    if len(ctx.scene) >= ctx.max_objects:
        raise ExecutionError(f"expected fewer than {ctx.max_objects} objects before adding one, got {len(ctx.scene)} "
                             "(the scene is full; remove something first)")  # fmt: skip


def _category(ctx: Context, name: str) -> tuple[str, str]:
    """Check there is room for one more object; the category meant by ``name`` (an object defined in this scene by
    that name, or a catalog category) and a note when it was not the exact name (a synonym, head-noun or fuzzy
    match, with its score; a defined name)."""
    _check_room_for_one(ctx)
    category = edit.resolve_category(name, scene=ctx.scene)
    if category == name:
        return category, ""
    record = edit.substitution_record(name, category)
    if record is None:
        return category, f" ({name!r} -> {category})"
    return category, f" ({name!r} -> {category}, {record['how']} match {record['score']:.2f})"


# --- commands --------------------------------------------------------------------------------------------------
def add(ctx: Context, args: dict) -> str:
    category, note = _category(ctx, args["category"])
    return _add_category(ctx, args, category, note)


def _add_category(ctx: Context, args: dict, category: str, note: str = "") -> str:
    from scene_gym.assets import get_factory

    scene = ctx.scene
    factory = get_factory(category)
    size = edit.check_size(category, args.get("size", factory.default_size))
    material = edit.check_material(args["material"]) if "material" in args else factory.default_material
    if "at" not in args:
        return _add_by_solver(ctx, args, category, size, material) + note
    x, y = args["at"][:2]
    yaw = _yaw(args, 0.0)
    if "against" in args:
        x, y, yaw = edit.snap_to_wall(scene.room, args["against"], (x, y), size[0], size[1])
    if len(args["at"]) == 3:
        z = args["at"][2]
    elif factory.placement == "ceiling":
        z = scene.room.wall_height - size[2]
    elif factory.placement == "wall":
        z = WALL_CENTER_HEIGHT - size[2] / 2
    else:
        z = 0.0
    parent = factory.placement if factory.placement in ("wall", "ceiling") else "floor"
    obj = edit.add_object(scene, category, position=(x, y, z), yaw=yaw, size=size, material=material, parent=parent)
    return f"added {obj.id}{note} at {_fmt(obj.position)} yaw {math.degrees(obj.yaw):.0f} deg"


def _add_by_solver(ctx: Context, args: dict, category: str, size, material: str) -> str:
    from scene_gym.layout import PlacementRequest, Relation

    oid = ctx.scene.next_id(category)
    rels = [Relation.from_dict({"relation": "against_wall", "subject": oid, "wall": args["against"]})] \
        if "against" in args else []  # fmt: skip
    request = PlacementRequest(category, size=size, material=material, id=oid)
    result = edit.solve_into(ctx.scene, [request], rels, rng=ctx.rng, time_budget_s=ctx.solver_budget_s, record=False)
    if result.failed:
        raise ExecutionError(f"no free place for a {category} of size {_fmt(size)} m: {result.failed[0].reason}")
    if "against" not in args and ("facing" in args or "yaw" in args):
        edit.turn_object(ctx.scene, oid, _yaw(args, 0.0))
        edit.check_inside(ctx.scene, oid)
    return f"added {oid} at {_fmt(ctx.scene.get(oid).position)} (placed by the layout solver)"


def define(ctx: Context, args: dict) -> str:
    """``define(name, program, at=, facing=|yaw=, against=, place=True)``: store an object program in the scene
    under its content-addressed category and, unless ``place=False``, add one instance as ``add`` would."""
    program = dict(args["program"])
    given = program.get("name", args["name"])
    if given != args["name"]:
        raise ExecutionError(f"define: the program's name {shown(given, 40)} differs from the defined name "
                             f"{args['name']!r}; give the name once")  # fmt: skip
    program["name"] = args["name"]
    if args.get("place", True):
        _check_room_for_one(ctx)
    category = edit.define_object(ctx.scene, program)
    said = f"defined {args['name']!r} as {category}"
    if not args.get("place", True):
        return said + f" (place it with add({args['name']!r}, ...))"
    return f"{said}; " + _add_category(ctx, {k: v for k, v in args.items() if k not in ("name", "program", "place")},
                                       category)  # fmt: skip


def place_on(ctx: Context, args: dict) -> str:
    category, note = _category(ctx, args["category"])
    obj = edit.place_on(ctx.scene, category, args["parent"], at=args.get("at"), size=args.get("size"),
                        material=args.get("material"))  # fmt: skip
    return f"put {obj.id}{note} on {obj.parent} at {_fmt(obj.position)}"


def relate(ctx: Context, args: dict) -> str:
    a = edit.get_object(ctx.scene, args["a"]).id
    rel = _relation(ctx.scene, a, args)
    done = edit.relate(ctx.scene, rel, rng=ctx.rng, time_budget_s=ctx.solver_budget_s)
    failed = {f.id: f.reason for f in done.result.failed} if done.result is not None else {}
    if a in failed:
        raise ExecutionError(f"cannot re-place {a} for {rel.name}: {failed[a]}")
    where = f"{a} re-placed at" if done.result is not None else f"{a} stays at"
    return f"{where} {_fmt(ctx.scene.get(a).position)}; {rel} satisfied {done.after:.2f}"


def _relation(scene: Scene, a: str, args: dict):
    """The layout Relation for ``relate(a, relation, b, distance=)``: aliases resolved, ``b`` an object id or a
    compass wall, ``distance`` put into the relation's distance parameter."""
    from scene_gym.layout import RELATIONS, Relation
    from scene_gym.layout.validate import normalise_name

    name = normalise_name(args["relation"])
    names = {f.name for f in fields(RELATIONS[name])}
    data: dict[str, Any] = {"relation": name}
    data["subjects" if "subjects" in names else "subject"] = [a] if "subjects" in names else a
    b = args.get("b")
    if b is not None:
        if "target" in names:
            data["target"] = edit.get_object(scene, b, field="b").id
        elif "wall" in names:
            data["wall"] = b
        else:
            raise ExecutionError(f"{name}: expected no second object (it relates {a} to the room), got {b!r}")
    elif "target" in names:
        raise ExecutionError(f"{name}: expected a second object id, got none")
    if "distance" in args:
        key = next((k for k in _DISTANCE_FIELD if k in names), None)
        if key is None:
            raise ExecutionError(f"{name}: expected no distance (it has no distance parameter), got {args['distance']}")
        data[key] = args["distance"]
        low = next((f.default for f in fields(RELATIONS[name]) if f.name == "min_distance"), None)
        if key == "max_distance" and low is not None and low > args["distance"]:
            data["min_distance"] = 0.0
    return Relation.from_dict(data)


def move(ctx: Context, args: dict) -> str:
    oid = args["id"]
    edit.move_object(ctx.scene, oid, to=args.get("to"), by=args.get("by"))
    edit.check_inside(ctx.scene, oid)
    return f"moved {oid} to {_fmt(ctx.scene.get(oid).position)}"


def rotate(ctx: Context, args: dict) -> str:
    obj = edit.get_object(ctx.scene, args["id"])
    yaw = obj.yaw + math.radians(args["by"]) if "by" in args else _yaw(args, obj.yaw)
    edit.turn_object(ctx.scene, obj.id, yaw)
    edit.check_inside(ctx.scene, obj.id)
    return f"rotated {obj.id} to yaw {math.degrees(ctx.scene.get(obj.id).yaw):.0f} deg"


def resize(ctx: Context, args: dict) -> str:
    oid = args["id"]
    edit.resize_object(ctx.scene, oid, size=args.get("size"), scale=args.get("scale"))
    edit.check_inside(ctx.scene, oid)
    return f"resized {oid} to {_fmt(ctx.scene.get(oid).size)} m"


def remove(ctx: Context, args: dict) -> str:
    return "removed " + ", ".join(edit.remove_objects(ctx.scene, [args["id"]]))


def set_material(ctx: Context, args: dict) -> str:
    obj = edit.set_material(ctx.scene, args["id"], args["material"])
    return f"{obj.id} is now {obj.material!r}"


def set_light(ctx: Context, args: dict) -> str:
    changes = {"kind": args.get("kind"), "position": args.get("at"), "intensity": args.get("intensity"),
               "color": args.get("color")}  # fmt: skip
    if args.get("id") is None:
        light = edit.add_light(ctx.scene, **changes)
        return f"added {light.id} ({light.kind}, {light.intensity:g} W) at {_fmt(light.position)}"
    light = edit.update_light(ctx.scene, args["id"], **changes)
    return f"updated {light.id}: " + ", ".join(f"{k}={v}" for k, v in changes.items() if v is not None)


def done(ctx: Context, args: dict) -> str:
    return "finished"


HANDLERS: dict[str, Callable[[Context, dict], str]] = {
    "add": add, "place_on": place_on, "relate": relate, "move": move, "rotate": rotate, "resize": resize,
    "remove": remove, "set_material": set_material, "set_light": set_light, "define": define, "done": done,
}  # fmt: skip
"""The handler of each command of :data:`~scene_gym.actions.dsl.grammar.COMMANDS`."""
