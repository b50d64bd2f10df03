"""The flaws the offline judge v1 missed (issue 15), each as a fixed and a flawed version of the same scene built
with the edit core. Each builder takes ``flawed`` and returns a :class:`~scene_gym.scene.Scene`.

- :func:`living_room`: the sofa faces away from the TV (``flaw="turned"``: turned to the wall;
  ``flaw="side"``: the sofa in the west half and the TV on the east wall, about 55 degrees off the sofa's
  front, as the heuristic's
  ``generate "Design me a living room" --seed 0`` built it);
- :func:`bedroom_with_desk`: three desk lamps on one desk (the heuristic's ``"Design me a bedroom"``, seed 0);
- :func:`bed_with_pillows`: two pillows in a row along the bed's long side (the heuristic's demo bedroom);
- :func:`bathroom_with_cabinet`: a wall cabinet hung backwards, its door against the wall.
"""

from __future__ import annotations

import math

from scene_gym.actions import edit
from scene_gym.scene import Opening, Room, Scene

DOOR = Opening(id="door_1", kind="door", wall=0, offset=0.65, width=0.9, height=2.1)


def living_room(flaw: str | None = None) -> Scene:
    """5.0 x 5.5 m living room: sofa on the north wall facing south over a coffee table to the TV on the south
    wall (fixed), or with one of the flaws of the module docstring."""
    scene = Scene(
        Room.rectangle(5.0, 5.5, type="living room", openings=(DOOR,)), prompt="Design me a living room."
    )
    x = 1.5 if flaw == "side" else 2.5
    sofa = edit.add_object(scene, "sofa", position=(x, 5.0, 0.0), yaw=math.pi, size=(2.0, 0.9, 0.85))
    edit.add_object(scene, "coffee_table", position=(x, 3.7, 0.0), size=(1.1, 0.6, 0.42))
    edit.add_object(scene, "armchair", position=(0.6, 2.4, 0.0), yaw=-math.pi / 2, size=(0.85, 0.85, 0.9))
    if flaw == "side":
        stand = edit.add_object(
            scene, "tv_stand", position=(4.79, 3.2, 0.0), yaw=math.pi / 2, size=(1.5, 0.42, 0.5)
        )
    else:
        stand = edit.add_object(scene, "tv_stand", position=(2.5, 0.21, 0.0), size=(1.5, 0.42, 0.5))
    edit.place_on(scene, "tv", stand.id)
    if flaw == "turned":
        edit.move_object(scene, sofa.id, to=(2.5, 4.9))
        edit.turn_object(scene, sofa.id, 0.0)
    return scene


def bedroom_with_desk(flawed: bool = False) -> Scene:
    """4.0 x 4.5 m bedroom: bed, two nightstands with a table lamp each, a desk with its chair and one desk
    lamp (fixed) or three (flawed), a laptop."""
    scene = Scene(Room.rectangle(4.0, 4.5, type="bedroom", openings=(DOOR,)), prompt="Design me a bedroom.")
    edit.add_object(scene, "bed", position=(1.6, 3.45, 0.0), yaw=math.pi, size=(1.6, 2.1, 1.0))
    for x in (0.5, 2.7):
        stand = edit.add_object(scene, "nightstand", position=(x, 4.3, 0.0), yaw=math.pi)
        edit.place_on(scene, "table_lamp", stand.id)
    edit.add_object(scene, "wardrobe", position=(3.7, 0.9, 0.0), yaw=math.pi / 2, size=(1.2, 0.6, 2.0))
    desk = edit.add_object(scene, "desk", position=(3.7, 2.6, 0.0), yaw=math.pi / 2, size=(1.2, 0.6, 0.75))
    edit.add_object(scene, "office_chair", position=(3.05, 2.6, 0.0), yaw=-math.pi / 2)
    edit.place_on(scene, "laptop", desk.id, at=(0.0, 0.2))
    spots = [(-0.8, -0.5), (0.8, -0.5), (0.0, -0.6)] if flawed else [(-0.8, -0.5)]
    for at in spots:
        edit.place_on(scene, "desk_lamp", desk.id, at=at)
    return scene


def bed_with_pillows(flawed: bool = False) -> Scene:
    """The demo's 4.0 x 4.5 m bedroom corner: a bed against the north wall with two pillows side by side at the
    headboard (fixed) or in a row along the bed's long side, turned lengthwise (flawed)."""
    scene = Scene(Room.rectangle(4.0, 4.5, type="bedroom", openings=(DOOR,)), prompt="Design me a bedroom.")
    bed = edit.add_object(scene, "bed", position=(1.6, 3.45, 0.0), yaw=math.pi, size=(1.6, 2.1, 1.0))
    edit.add_object(scene, "nightstand", position=(0.5, 4.3, 0.0), yaw=math.pi)
    edit.add_object(scene, "wardrobe", position=(3.7, 0.9, 0.0), yaw=math.pi / 2, size=(1.2, 0.6, 2.0))
    spots = [(-0.8, -0.6), (-0.8, 0.1)] if flawed else [(-0.5, -0.85), (0.5, -0.85)]
    for at in spots:
        pillow = edit.place_on(scene, "pillow", bed.id, at=at)
        if flawed:
            edit.turn_object(scene, pillow.id, bed.yaw + math.pi / 2)
    return scene


def bathroom_with_cabinet(flawed: bool = False) -> Scene:
    """2.5 x 2.5 m bathroom: toilet, sink on the south wall and a medicine cabinet hung above the sink facing
    the room (fixed) or with its door against the wall (flawed)."""
    scene = Scene(Room.rectangle(2.5, 2.5, type="bathroom", openings=(DOOR,)), prompt="Design me a bathroom.")
    edit.add_object(scene, "bathroom_sink", position=(1.6, 0.25, 0.0), size=(0.8, 0.5, 1.05))
    edit.add_object(scene, "toilet", position=(2.1, 1.8, 0.0), yaw=math.pi / 2, size=(0.38, 0.7, 0.78))
    edit.add_object(scene, "shower", position=(0.5, 2.0, 0.0), yaw=-math.pi / 2, size=(0.9, 0.9, 2.0))
    edit.add_object(scene, "medicine_cabinet", position=(1.6, 0.07, 1.3), yaw=math.pi if flawed else 0.0,
                    size=(0.5, 0.14, 0.65), parent="wall")  # fmt: skip
    return scene
