"""Scenes shared by the render tests (imported by file name, so the name is unique across test folders)."""

from __future__ import annotations

from scene_gym.actions import edit
from scene_gym.scene import Room, Scene

TABLE_XY = (1.3, 2.1)
TABLE_SIZE = (1.0, 0.8, 0.75)


def table_scene() -> Scene:
    """A 4 m x 3 m room with one dining table (flat top at 0.75 m) centred at :data:`TABLE_XY`."""
    scene = Scene(Room.rectangle(4.0, 3.0, wall_height=2.6))
    edit.add_object(scene, "dining_table", position=(*TABLE_XY, 0.0), size=TABLE_SIZE, material="white marble")
    return scene
