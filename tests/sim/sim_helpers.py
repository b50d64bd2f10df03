"""Scenes for the sim tests: one object in isolation, and generated furnished rooms."""

from __future__ import annotations

import numpy as np

from scene_gym.assets import factories, get_factory
from scene_gym.samples import build_from_spec
from scene_gym.scene import Room, Scene, SceneObject


def articulated_categories() -> list[str]:
    return [c for c, f in factories().items() if f.articulated]


def isolated_scene(category: str) -> Scene:
    """A 4 m x 4 m room with ``category`` at its centre facing +Y (surface items on a dining table, wall items
    at 1.2 m)."""
    f = get_factory(category)
    room = Room.rectangle(4.0, 4.0)
    if f.placement == "surface":
        return build_from_spec(Scene(room), [{"category": "dining_table", "at": (2.0, 2.0)},
                                             {"category": category, "on": ("dining_table_1", "top")}])  # fmt: skip
    wall = f.placement == "wall"
    obj = SceneObject(id=f"{category}_1", category=category, position=(2.0, 2.0, 1.2 if wall else 0.0), yaw=0.0,
                      size=f.default_size, material=f.default_material, parent="wall" if wall else "floor")  # fmt: skip
    return Scene(room, [obj])


def furnished_scene(room_type: str, seed: int) -> Scene:
    """A room furnished by the ``init_room`` + ``init_layout`` tools, deterministic for ``seed``."""
    from scene_gym.actions.tools import apply_tool, parse_trajectory, validate_trajectory

    scene = Scene(Room.rectangle(4.0, 5.0))
    import json

    text = json.dumps([{"tool": "init_room", "args": {"room_type": room_type}}, {"tool": "init_layout", "args": {}}])
    rng = np.random.default_rng(seed)
    for call in validate_trajectory(parse_trajectory(text)):
        apply_tool(scene, call, rng=rng)
    return scene
