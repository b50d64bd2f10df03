"""A ready-made ten-call trajectory (SceneOrchestra style) for examples, tests and benchmarks.

``EXAMPLE_TRAJECTORY`` furnishes a 5 m x 6 m living room: room, essential layout, three added objects, two
crowds of small objects, a rotation, the physics post-step and ``terminate``. Applied from an empty scene with
any seed it yields a scene without collisions, out-of-bounds or unsupported objects.
"""

from __future__ import annotations

import copy
from typing import Any

_TRAJECTORY: list[dict[str, Any]] = [
    {"tool": "init_room", "args": {"room_type": "living room", "width": 5, "depth": 6}},
    {"tool": "init_layout", "args": {}},
    {"tool": "add_objects", "args": {"category": "floor_lamp", "relations": [{"relation": "next_to", "target": "sofa_1"}]}},
    {"tool": "add_objects", "args": {"category": "armchair", "relations": [{"relation": "facing", "target": "tv_stand_1"}]}},
    {"tool": "add_objects", "args": {"category": "painting", "relations": [{"relation": "on_wall", "wall": "north"}]}},
    {"tool": "add_crowd", "args": {"receptacle": "coffee_table_1", "count": 3}},
    {"tool": "add_crowd", "args": {"receptacle": "bookshelf_1", "categories": ["book"], "density": 0.4}},
    {"tool": "update_rotation", "args": {"id": "armchair_1", "face_object": "coffee_table_1"}},
    {"tool": "optimize_physics", "args": {}},
    {"tool": "terminate", "args": {"reason": "living room furnished"}},
]  # fmt: skip


def example_trajectory() -> list[dict[str, Any]]:
    """A fresh (deep) copy of the ten-call example trajectory as ``{"tool", "args"}`` dicts."""
    return copy.deepcopy(_TRAJECTORY)
