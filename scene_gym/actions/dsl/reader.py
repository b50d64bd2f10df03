"""Read scene-DSL text written by :func:`~scene_gym.actions.dsl.printer.scene_to_dsl` back into a Scene: the inverse
of the printer, kept beside it so that the two change together.

Policies see a scene only as this text (the ``scene`` field of an observation); those that plan on a copy of the
scene (the heuristic) or only need the room's size (the random and scripted policies) read it here instead of
writing their own regular expressions:

- :func:`read_room_header`: ``(room_type, width, depth, wall_height)`` from the ``# room:`` line;
- :func:`read_object_ids`: the object ids of the trailing ``# <id> [on <parent>]`` comments, in scene order;
- :func:`read_scene_text`: the whole :class:`~scene_gym.scene.Scene` (room polygon, openings, objects with ids,
  poses, sizes, materials and parents, lights).

The statements are parsed by the DSL's own parser (:func:`~scene_gym.actions.dsl.parse_program`), one line at a
time, so a printed scene longer than :data:`~scene_gym.actions.dsl.MAX_STATEMENTS` statements still reads back;
only the ``#`` comments the printer adds (room header, floor polygon, openings, ids) are matched here. What the
printer does not write (asset parameters and seeds, joint states, light directions and sizes) takes its default.
"""

from __future__ import annotations

import math
import re

import numpy as np

from scene_gym.actions.dsl.parser import DSLSyntaxError, parse_program

_ROOM = re.compile(r"^#\s*room:\s*(.*?),\s*([0-9.]+)\s*x\s*([0-9.]+)\s*m(?:,\s*walls\s*([0-9.]+)\s*m high)?", re.M)
_POLY = re.compile(r"^# floor polygon: (.*)$", re.M)
_PAIR = re.compile(r"\(\s*([-0-9.]+),\s*([-0-9.]+)\s*\)")
_OPENING = re.compile(r"^# ([a-z][a-z0-9_]*_\d+): (door|window) on the .*?\(wall (\d+)\), centre at \(([-0-9.]+), "
                      r"([-0-9.]+)\), ([0-9.]+) m wide, ([0-9.]+) m high(?:, sill ([0-9.]+) m)?", re.M)  # fmt: skip
_DEFINED = re.compile(r'^# defined: ("(?:[^"\\]|\\.)*") as ([a-z][a-z0-9_]*) \(', re.M)
_STATEMENT = re.compile(r"^((?:add|set_light)\(.*\))\s+#\s+([a-z][a-z0-9_]*_\d+)(?: on (\S+))?\s*$", re.M)

#: Wall height when a header omits it (the printer always writes it).
DEFAULT_WALL_HEIGHT = 2.8


def read_room_header(text: str) -> tuple[str, float, float, float]:
    """``(room_type, width, depth, wall_height)`` (metres) from the printer's ``# room: <type>, <w> x <d> m, walls
    <h> m high`` line; raises :class:`~scene_gym.actions.dsl.DSLSyntaxError` when the text has none."""
    m = _ROOM.search(str(text))
    if not m:
        raise DSLSyntaxError(f"expected scene DSL text with a '# room: <type>, <w> x <d> m' line, got "
                             f"{str(text)[:60]!r}")  # fmt: skip
    height = float(m.group(4)) if m.group(4) else DEFAULT_WALL_HEIGHT
    return m.group(1).strip(), float(m.group(2)), float(m.group(3)), height


def read_object_ids(text: str, *, lights: bool = False) -> list[str]:
    """The ids of the printed objects (and lights when ``lights``), in the order the printer wrote them."""
    out = []
    for m in _STATEMENT.finditer(str(text)):
        if m.group(1).startswith("add(") or lights:
            out.append(m.group(2))
    return out


def _room(text: str):
    from scene_gym.scene import Opening, Room

    rtype, w, d, h = read_room_header(text)
    poly = _POLY.search(text)
    floor = tuple((float(a), float(b)) for a, b in _PAIR.findall(poly.group(1))) if poly else Room.rectangle(w, d).floor
    base = Room(floor=floor, wall_height=h)
    openings = []
    for om in _OPENING.finditer(text):
        wall = int(om.group(3))
        if wall >= len(floor):
            continue
        start, _ = base.wall(wall)
        centre = np.array([float(om.group(4)), float(om.group(5))])
        openings.append(Opening(id=om.group(1), kind=om.group(2), wall=wall, offset=float(np.linalg.norm(centre - start)),
                                width=float(om.group(6)), height=float(om.group(7)), sill=float(om.group(8) or 0.0)))  # fmt: skip
    try:
        return Room(floor=floor, wall_height=h, type=rtype, openings=tuple(openings))
    except ValueError:  # a room type the model does not know (a hand-edited header): keep the geometry
        return Room(floor=floor, wall_height=h, openings=tuple(openings))


def read_definitions(text: str) -> dict[str, str]:
    """Defined object name -> category, from the printer's ``# defined: "kiln" as kiln_1a2b3c4d (...)`` lines."""
    import json

    out = {}
    for m in _DEFINED.finditer(str(text)):
        try:
            out[json.loads(m.group(1))] = m.group(2)
        except ValueError:
            continue
    return out


def read_scene_text(text: str, prompt: str = ""):
    """The :class:`~scene_gym.scene.Scene` printed as ``text`` (module docstring), with ``prompt``.

    Objects printed by a defined name (``add("kiln", ...)`` after ``# defined: "kiln" as kiln_1a2b3c4d``) get the
    defined category, and the scene carries the definitions this process knows (an env of this process stored
    them; :func:`scene_gym.scene.definitions.recall`).

    Raises :class:`~scene_gym.actions.dsl.DSLSyntaxError` without a ``# room:`` line or when a printed statement
    does not parse, and :class:`~scene_gym.errors.SceneValidationError` when the objects do not form a valid scene
    (a parent that is not printed, a duplicate id).
    """
    from scene_gym.scene import COMPASS_YAW, Light, Scene, SceneObject

    from scene_gym.scene.definitions import recall

    text = str(text)
    room = _room(text)
    defined = read_definitions(text)
    objects, lights = [], []
    for m in _STATEMENT.finditer(text):
        (st,) = parse_program(m.group(1))
        args = st.args
        if st.op == "set_light":
            lights.append(Light(id=m.group(2), kind=args.get("kind", "point"), position=args.get("at", (0.0, 0.0, 2.5)),
                                intensity=args.get("intensity", 100.0), color=args.get("color", (1.0, 1.0, 1.0))))  # fmt: skip
            continue
        if "at" not in args or "size" not in args:
            raise DSLSyntaxError(f"expected a printed object with at= and size=, got {m.group(1)[:80]!r}")
        yaw = math.radians(args["yaw"]) if "yaw" in args else COMPASS_YAW.get(args.get("facing", "north"), 0.0)
        at = tuple(args["at"]) + (0.0,) * (3 - len(args["at"]))
        category = defined.get(args["category"], args["category"])
        objects.append(SceneObject(id=m.group(2), category=category, position=at, yaw=yaw, size=tuple(args["size"]),
                                   material=args.get("material", ""), parent=m.group(3) or "floor"))  # fmt: skip
    programs = {c: recall(c) for c in sorted(set(defined.values()))}
    return Scene(room, objects=objects, lights=lights, prompt=prompt,
                 definitions={c: p for c, p in programs.items() if p is not None})


__all__ = ["read_definitions", "read_object_ids", "read_room_header", "read_scene_text"]
