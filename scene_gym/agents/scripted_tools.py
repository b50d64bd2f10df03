"""A scripted tool-call policy for the tool environments: ten calls whose ids are known in advance.

The trajectory starts a new room of the prompt's type (read from the ``scene`` text's ``# room:`` line), adds a
receptacle and a seat, crowds the receptacle, relates, turns, resizes and moves the seat, settles physics and
terminates. Categories and numbers are drawn from the policy's own generator.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from scene_gym.agents.base import Candidate, KindLike, Policy
from scene_gym.errors import SceneGymError

RECEPTACLES = ("desk", "coffee_table", "dining_table", "side_table", "kids_table")
SEATS = ("armchair", "office_chair", "dining_chair", "stool", "ottoman")


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


class ScriptedToolPolicy(Policy):
    """Ten scripted calls: the whole JSON list for ``trajectory`` kinds, one call per step for ``toolcall`` kinds
    (restarting when the feedback says a new episode began, or after :meth:`reset`)."""

    name = "scripted-tools"
    formats = ("trajectory", "toolcall")

    def __init__(self, seed: int | None = 0, *, kind: KindLike | None = None):
        super().__init__(seed, kind=kind)
        self._plan: list[dict] = []

    def reset(self, seed: int | None = None, *, kind: KindLike | None = None) -> None:
        super().reset(seed, kind=kind)
        self._plan = []

    def _new_plan(self, obs: Mapping[str, Any]) -> list[dict]:
        from scene_gym.actions.dsl.reader import read_room_header

        try:
            room, w, d, _ = read_room_header(str(obs["scene"]))
        except SceneGymError:
            room, w, d = "living room", 4.5, 4.5
        return ten_calls(self.rng, room, max(w, 2.5), max(d, 2.5))

    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        one_shot = self.kind_for(kind).action_format == "trajectory"
        out = []
        for _ in range(self.check_count(n)):
            if one_shot:
                text = json.dumps(self._new_plan(observation))
            else:
                if str(observation.get("feedback", "")).startswith("new episode") or not self._plan:
                    self._plan = self._new_plan(observation)
                text = json.dumps(self._plan.pop(0))
            out.append(Candidate(text, text=text))
        return out
