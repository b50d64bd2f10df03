"""The heuristic planner for ``SceneSynth-v0``: read the scene from the observation's DSL text, plan, and write
DSL programs.

The planner works in three steps, each decided from the observation alone (no memory between steps):

1. **Furniture.** :func:`scene_from_dsl` rebuilds the room (size, walls, doors, windows) and its objects from
   the ``scene`` text; the plan's furniture and decoration (:mod:`.plan`, with what is already there counted)
   are laid out on a private copy with the layout tools, and every new floor, wall and ceiling object is
   written as ``add("sofa", at=(x, y, z), yaw=deg, size=(w, d, h), material="...")``.
2. **Small objects.** Objects that stand on furniture (a TV on its stand, lamps on nightstands) and a crowd of
   small objects per receptacle that holds nothing yet are written as ``place_on("book", "bookshelf_1")``
   (the environment finds a free spot), followed by ``done()``.
3. Nothing left: ``done()``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import numpy as np

from scene_gym.agents.heuristic.plan import make_plan
from scene_gym.agents.heuristic.tool_writer import plan_calls
from scene_gym.errors import SceneGymError

_ROOM = re.compile(r"^# room: (.*?), ([0-9.]+) x ([0-9.]+) m, walls ([0-9.]+) m high", re.M)
_POLY = re.compile(r"^# floor polygon: (.*)$", re.M)
_PAIR = re.compile(r"\(\s*([-0-9.]+),\s*([-0-9.]+)\s*\)")
_OPENING = re.compile(r"^# ([a-z][a-z0-9_]*_\d+): (door|window) on the .*?\(wall (\d+)\), centre at \(([-0-9.]+), "
                      r"([-0-9.]+)\), ([0-9.]+) m wide, ([0-9.]+) m high(?:, sill ([0-9.]+) m)?", re.M)  # fmt: skip
_OBJECT = re.compile(r"^(add\(.*\))\s+#\s+(\S+)(?: on (\S+))?\s*$", re.M)
MAX_OBJECTS = 60


def scene_from_dsl(text: str, prompt: str = ""):
    """A :class:`~scene_gym.scene.Scene` rebuilt from :func:`~scene_gym.actions.dsl.printer.scene_to_dsl` text:
    the room (type, bounds or polygon, wall height, openings) and every printed object with its id, pose
    (metres, yaw from degrees), size, material and parent. Raises :class:`SceneGymError` without a room line."""
    from scene_gym.actions.dsl import parse_program
    from scene_gym.scene import COMPASS_YAW, Opening, Room, Scene, SceneObject

    m = _ROOM.search(text)
    if not m:
        raise SceneGymError(f"expected scene DSL text starting with a '# room:' line, got {text[:60]!r}")
    rtype, w, d, h = m.group(1), float(m.group(2)), float(m.group(3)), float(m.group(4))
    poly = _POLY.search(text)
    floor = tuple((float(a), float(b)) for a, b in _PAIR.findall(poly.group(1))) if poly else Room.rectangle(w, d).floor
    base = Room(floor=floor, wall_height=h)
    openings = []
    for om in _OPENING.finditer(text):
        wall = int(om.group(3))
        if wall >= len(floor):
            continue
        a, _ = base.wall(wall)
        centre = np.array([float(om.group(4)), float(om.group(5))])
        openings.append(Opening(id=om.group(1), kind=om.group(2), wall=wall, offset=float(np.linalg.norm(centre - a)),
                                width=float(om.group(6)), height=float(om.group(7)), sill=float(om.group(8) or 0.0)))  # fmt: skip
    try:
        room = Room(floor=floor, wall_height=h, type=rtype, openings=tuple(openings))
    except Exception:  # an unknown room type in a hand-edited header: keep the geometry
        room = Room(floor=floor, wall_height=h, openings=tuple(openings))
    scene = Scene(room, prompt=prompt)
    for om in _OBJECT.finditer(text):
        (st,) = parse_program(om.group(1))
        args = dict(st.args)
        yaw = math.radians(args["yaw"]) if "yaw" in args else COMPASS_YAW.get(args.get("facing", "north"), 0.0)
        at = tuple(args["at"]) + (0.0,) * (3 - len(args["at"]))
        scene.add(SceneObject(id=om.group(2), category=args["category"], position=at, yaw=yaw,
                              size=tuple(args["size"]), material=args.get("material", ""),
                              parent=om.group(3) or "floor"))  # fmt: skip
    return scene


def run_calls(scene, calls: list[dict], rng: np.random.Generator, world=None) -> list:
    """Validate and apply tool calls to ``scene`` in place; failures are skipped. Returns the results."""
    from scene_gym.actions.tools import ToolError, apply_tool, parse_trajectory, validate_call

    out = []
    for call in parse_trajectory(json.dumps(calls)):
        try:
            out.append(apply_tool(scene, validate_call(call), rng=rng, world=world))
        except ToolError:
            continue
    return out


def _num(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def add_statement(obj) -> str:
    """``add(...)`` with the object's exact pose, size and material."""
    at = ", ".join(_num(v) for v in obj.position)
    size = ", ".join(_num(v) for v in obj.size)
    parts = [json.dumps(obj.category), f"at=({at})", f"yaw={_num(math.degrees(obj.yaw) % 360.0)}", f"size=({size})"]
    if obj.material:
        parts.append(f"material={json.dumps(obj.material)}")
    return f"add({', '.join(parts)})"


def furniture_program(scene, prompt, rng: np.random.Generator, *, max_objects: int = MAX_OBJECTS,
                      crowd_scale: float = 1.0) -> list[str]:  # fmt: skip
    """``add`` statements for the furniture and decoration still missing from ``scene`` (module docstring)."""
    counts = Counter(o.category for o in scene.objects)
    w, d = scene.room.bounds
    plan = make_plan(prompt, rng, size=(w, d), existing=counts, crowd_scale=crowd_scale)
    calls = plan_calls(plan, existing=[o.id for o in scene.objects], room=False, crowds=False, finish=False)
    calls = [c for c in calls if "parent" not in c["args"]]
    work = scene.copy()
    run_calls(work, calls, rng)
    lines = []
    budget = max_objects - len(scene)
    for obj in work.objects:
        if obj.id in scene or obj.parent not in ("floor", "wall", "ceiling"):
            continue
        if len(lines) >= budget:
            break
        lines.append(add_statement(obj))
    return lines


def small_program(scene, prompt, rng: np.random.Generator, *, max_objects: int = MAX_OBJECTS,
                  crowd_scale: float = 1.0) -> list[str]:  # fmt: skip
    """``place_on`` statements: the plan's objects that stand on furniture, then a crowd for each receptacle
    holding nothing yet (categories and counts from :mod:`scene_gym.assets.room_priors`, checked on a private copy)."""
    from scene_gym.assets.room_priors import crowd_for

    counts = Counter(o.category for o in scene.objects)
    w, d = scene.room.bounds
    plan = make_plan(prompt, rng, size=(w, d), existing=counts, crowd_scale=crowd_scale)
    work = scene.copy()
    lines: list[str] = []
    budget = max_objects - len(scene)
    for it in plan.items:
        if it.parent is None:
            continue
        parents = [o.id for o in scene.objects if o.category == it.parent]
        for k in range(it.count):
            if parents:
                lines.append(f'place_on("{it.category}", "{parents[k % len(parents)]}")')
    busy = {o.parent for o in scene.objects}
    calls = []
    for obj in scene.objects:
        if obj.id in busy or obj.parent not in ("floor", "wall"):
            continue
        cats, per = crowd_for(scene.room.type, obj.category)
        n = int(round(per * crowd_scale))
        if cats and n:
            calls.append({"tool": "add_crowd", "args": {"receptacle": obj.id, "categories": list(cats), "count": n}})
    run_calls(work, calls, rng)
    for obj in work.objects:
        if obj.id not in scene:
            lines.append(f'place_on("{obj.category}", "{obj.parent}")')
    return lines[: max(budget, 0)]


def dsl_action(observation, rng: np.random.Generator, *, max_objects: int = MAX_OBJECTS, crowd_scale: float = 1.0) -> str:
    """The next program for a ``SceneSynth-v0`` observation (module docstring)."""
    text = str(observation["scene"])
    prompt = str(observation.get("prompt", ""))
    scene = scene_from_dsl(text, prompt)
    lines = furniture_program(scene, prompt, rng, max_objects=max_objects, crowd_scale=crowd_scale)
    if lines:
        return "\n".join(lines)
    lines = small_program(scene, prompt, rng, max_objects=max_objects, crowd_scale=crowd_scale)
    return "\n".join([*lines, "done()"])
