"""The heuristic planner for DSL kinds (``SceneSynth-v1``): read the scene from the observation's DSL text, plan,
and write DSL programs.

The planner works in three steps, each decided from the observation alone (no memory between steps):

1. **Furniture.** :func:`~scene_gym.actions.dsl.reader.read_scene_text` (the DSL printer's inverse) gives the
   room (size, walls, doors, windows) and its objects from the ``scene`` text; the plan's furniture and
   decoration (:mod:`.plan`, with what is already there counted) are laid out on the policy's own copy of that
   scene with the public tool API (:func:`~scene_gym.actions.tools.validate_call`,
   :func:`~scene_gym.actions.tools.apply_tool`), and every new floor, wall and ceiling object is written as
   ``add("sofa", at=(x, y, z), yaw=deg, size=(w, d, h), material="...")``.
2. **Small objects.** Objects that stand on furniture (a TV on its stand, lamps on nightstands) and a crowd of
   small objects per receptacle that holds nothing yet are written as ``place_on("book", "bookshelf_1")``
   (the environment finds a free spot), followed by ``done()``.
3. Nothing left: ``done()``.

The environment's scene is never touched: the policy reads text and writes text.
"""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np

from scene_gym.agents.heuristic.plan import make_plan
from scene_gym.agents.heuristic.tool_writer import plan_calls

MAX_OBJECTS = 60


def run_calls(scene, calls: list[dict], rng: np.random.Generator, world=None) -> list:
    """Validate and apply tool calls to ``scene`` (the policy's own copy) in place with the public tool API;
    failures are skipped. Returns the results."""
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


def define_statements(scene, work) -> list[str]:
    """``define(name, program, place=False)`` for each object program ``work`` (the policy's copy) defines that
    ``scene`` (the env's) does not have yet."""
    lines = []
    for category, program in work.definitions.items():
        if category not in scene.definitions:
            body = {k: v for k, v in program.items() if k != "name"}
            lines.append(f"define({json.dumps(program['name'])}, {json.dumps(body)}, place=False)")
    return lines


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
    return define_statements(scene, work) + lines if lines else lines


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
    lines = lines[: max(budget, 0)]
    work = scene.copy()
    for it in plan.items:  # surface objects the catalog lacks: defined before they are placed
        if it.program is not None and any(it.category in line for line in lines):
            from scene_gym.actions import edit

            edit.define_object(work, it.program)
    return define_statements(scene, work) + lines


def dsl_action(observation, rng: np.random.Generator, *, max_objects: int = MAX_OBJECTS, crowd_scale: float = 1.0) -> str:
    """The next program for an observation of a DSL kind (module docstring)."""
    from scene_gym.actions.dsl.reader import read_scene_text

    prompt = str(observation.get("prompt", ""))
    scene = read_scene_text(str(observation["scene"]), prompt)
    lines = furniture_program(scene, prompt, rng, max_objects=max_objects, crowd_scale=crowd_scale)
    if lines:
        return "\n".join(lines)
    lines = small_program(scene, prompt, rng, max_objects=max_objects, crowd_scale=crowd_scale)
    return "\n".join([*lines, "done()"])
