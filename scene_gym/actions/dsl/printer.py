"""Write a scene as scene-DSL text an LLM can read (and :func:`~scene_gym.actions.dsl.parse_program` can parse).

The text starts with ``#`` comment lines describing the room (type, size, walls, openings); then one
``add(...)`` per object with its exact position ``at=(x, y, z)`` (metres, bottom centre), its orientation
(``facing=`` a compass word when it is one, else ``yaw=`` degrees), ``size=(w, d, h)`` and ``material=``, and a
trailing comment holding the object's id and what it rests on; then one ``set_light(...)`` per light. Example::

    # room: bedroom, 4.20 x 4.80 m, walls 2.80 m high; origin at the south-west floor corner, x east, y north
    # door_1: door on the south wall, centre at x 0.90 m, 0.90 m wide
    add("bed", at=(2.1, 3.75, 0), facing="south", size=(1.6, 2.1, 1), material="grey fabric")  # bed_1
    add("table_lamp", at=(0.95, 4.55, 0.55), facing="south", size=(0.3, 0.3, 0.5))  # table_lamp_1 on nightstand_1
    set_light(kind="area", at=(2.1, 2.4, 2.7), intensity=300, color=(1, 1, 1))  # light_1

Objects defined from object programs (``define``) print by their program's name after one ``# defined:`` comment
per definition; the programs themselves stay in the scene JSON (observations stay small), so replaying such text
needs the definitions first. Replaying the text into an empty room of the same shape rebuilds the objects (ids may
differ when the scene's ids have gaps). The program parses when the scene has at most
:data:`~scene_gym.actions.dsl.MAX_STATEMENTS` objects and lights together and fits
:data:`~scene_gym.actions.dsl.MAX_SOURCE_CHARS`; larger scenes still print, for reading.
"""

from __future__ import annotations

import json
import math

from scene_gym.scene import COMPASS_YAW, Scene

_COMPASS_NAMES = {round(v, 6): k for k, v in COMPASS_YAW.items()}
_COMPASS_NAMES[round(-math.pi, 6)] = "south"


def _num(v: float, digits: int = 3) -> str:
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _vec(values, low: float | None = None, high: float | None = None) -> str:
    out = []
    for v in values:
        v = float(v)
        if low is not None:
            v = max(v, low)
        if high is not None:
            v = min(v, high)
        out.append(_num(v))
    return "(" + ", ".join(out) + ")"


def _text(value: str) -> str | None:
    """A quoted DSL string for free text (non-printable characters become spaces), or None when empty."""
    clean = "".join(c if c.isprintable() else " " for c in str(value)).strip()[:256]
    return json.dumps(clean, ensure_ascii=False) if clean else None


def _side(scene: Scene, wall: int) -> str:
    nx, ny = scene.room.wall_normal(wall)
    if ny < -0.9:
        return "north"
    if ny > 0.9:
        return "south"
    if nx < -0.9:
        return "east"
    if nx > 0.9:
        return "west"
    return f"wall {wall}"


def room_comments(scene: Scene) -> list[str]:
    """The ``#`` comment lines describing the room: type, bounding size, polygon, openings."""
    room = scene.room
    w, d = room.bounds
    lines = [f"# room: {room.type}, {w:.2f} x {d:.2f} m, walls {room.wall_height:.2f} m high; origin at the "
             "south-west floor corner, x east, y north, z up; metres, yaw in degrees (0 = facing north)"]  # fmt: skip
    if len(room.floor) != 4 or abs(room.area - w * d) > 1e-6:
        lines.append("# floor polygon: " + " ".join(_vec(p) for p in room.floor))
    for op in room.openings:
        a, b = room.wall(op.wall)
        c = a + (b - a) / max(room.wall_length(op.wall), 1e-9) * op.offset
        sill = f", sill {op.sill:.2f} m" if op.sill else ""
        lines.append(f"# {op.id}: {op.kind} on the {_side(scene, op.wall)} wall (wall {op.wall}), centre at "
                     f"{_vec(c)}, {op.width:.2f} m wide, {op.height:.2f} m high{sill}")  # fmt: skip
    return lines


def scene_to_dsl(scene: Scene, *, header: bool = True) -> str:
    """The scene as DSL text (see the module docstring); ``header`` adds the room comment lines."""
    lines = room_comments(scene) if header else []
    names = {}
    for category, program in scene.definitions.items():
        names[category] = str(program.get("name", category))
        parts, joints = len(program.get("parts", ())), len(program.get("joints", ()))
        lines.append(f"# defined: {_text(names[category])} as {category} ({parts} parts, {joints} joints); "
                     f"add({_text(names[category])}, ...) places more")  # fmt: skip
    if not scene.objects:
        lines.append("# no objects yet")
    for obj in scene.objects:
        name = _COMPASS_NAMES.get(round(obj.yaw, 6))
        turn = f'facing="{name}"' if name else f"yaw={_num(math.degrees(obj.yaw), 1)}"
        parts = [_text(names[obj.category]) if obj.category in names else json.dumps(obj.category),
                 f"at={_vec(obj.position, -1000, 1000)}", turn,
                 f"size={_vec(obj.size, 0.001, 50)}"]  # fmt: skip
        material = _text(obj.material)
        if material:
            parts.append(f"material={material}")
        where = "" if obj.parent == "floor" else f" on {obj.parent}"
        lines.append(f"add({', '.join(parts)})  # {obj.id}{where}")
    for light in scene.lights:
        parts = [f'kind="{light.kind}"', f"at={_vec(light.position, -1000, 1000)}",
                 f"intensity={_num(min(light.intensity, 1e5))}", f"color={_vec(light.color, 0, 1)}"]  # fmt: skip
        lines.append(f"set_light({', '.join(parts)})  # {light.id}")
    return "\n".join(lines) + "\n"
