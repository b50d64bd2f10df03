"""A scripted tool-call policy for the tool environments: ten calls whose ids are known in advance.

The trajectory starts a new room of the prompt's type (read from the ``scene`` text), adds a receptacle and a
seat, crowds the receptacle, relates, turns, resizes and moves the seat, settles physics and terminates.
Categories and numbers are drawn from the policy's own generator.
"""

from __future__ import annotations

import json
import re

import numpy as np

RECEPTACLES = ("desk", "coffee_table", "dining_table", "side_table", "kids_table")
SEATS = ("armchair", "office_chair", "dining_chair", "stool", "ottoman")
_ROOM = re.compile(r"^# room: (.*?), ([0-9.]+) x ([0-9.]+) m", re.M)


def ten_calls(rng: np.random.Generator, room_type: str = "living room", width: float = 4.5,
              depth: float = 4.5) -> list[dict]:  # fmt: skip
    """A ten-call trajectory (list of ``{"tool", "args"}`` dicts) drawn with ``rng``."""
    table = RECEPTACLES[int(rng.integers(len(RECEPTACLES)))]
    seat = SEATS[int(rng.integers(len(SEATS)))]
    t, s = f"{table}_1", f"{seat}_1"
    return [
        {"tool": "init_room", "args": {"room_type": room_type, "width": round(width, 2), "depth": round(depth, 2)}},
        {"tool": "add_objects", "args": {"category": table, "relations": [{"relation": "against_wall"}]}},
        {"tool": "add_objects", "args": {"category": seat, "relations": [{"relation": "near", "target": t}]}},
        {"tool": "add_crowd", "args": {"receptacle": t, "count": int(rng.integers(1, 4))}},
        {"tool": "add_relation", "args": {"relation": {"relation": "facing", "subject": s, "target": t}}},
        {"tool": "update_rotation", "args": {"id": s, "face_object": t}},
        {"tool": "update_size", "args": {"id": s, "scale": round(float(rng.uniform(0.95, 1.05)), 3)}},
        {"tool": "update_layout", "args": {"objects": [{"id": s}]}},
        {"tool": "optimize_physics", "args": {}},
        {"tool": "terminate", "args": {"reason": "scripted"}},
    ]


class ScriptedToolPolicy:
    """``obs -> action`` for ``SceneSynthTrajectory-v0`` (``one_shot``: the whole JSON list) or
    ``SceneSynthToolStep-v0`` (one call per step, restarting when the feedback says a new episode began)."""

    def __init__(self, seed: int = 0, one_shot: bool = True):
        self.rng = np.random.default_rng(seed)
        self.one_shot = one_shot
        self._plan: list[dict] = []

    def _new_plan(self, obs) -> list[dict]:
        m = _ROOM.search(obs["scene"])
        room, w, d = (m.group(1), float(m.group(2)), float(m.group(3))) if m else ("living room", 4.5, 4.5)
        return ten_calls(self.rng, room, max(w, 2.5), max(d, 2.5))

    def __call__(self, obs) -> str:
        if self.one_shot:
            return json.dumps(self._new_plan(obs))
        if obs["feedback"].startswith("new episode") or not self._plan:
            self._plan = self._new_plan(obs)
        return json.dumps(self._plan.pop(0))
