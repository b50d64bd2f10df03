"""The random policy: well-formed but random actions for every action format (the leaderboard's floor).

- ``dsl`` (``SceneSynth-v1``): 1 to ``max_statements`` random DSL statements (any command of
  :data:`scene_gym.actions.dsl.grammar.COMMANDS` except ``set_light``), arguments drawn inside their grammar
  bounds; the room size and the ids are read from the observation's scene text
  (:mod:`scene_gym.actions.dsl.reader`); ``done()`` with probability ``done_prob``.
- ``trajectory`` (``SceneSynthTrajectory-v1``): ``init_room`` of a random type, 2 to ``max_calls`` random calls,
  ``terminate``.
- ``toolcall`` (``SceneSynthToolStep-v1``): one random call per step (``terminate`` with probability
  ``done_prob``).
- ``point`` (``SceneSynthAsset-v2``): a uniform point in [0, 1]^2 and a random small-object category.

Every draw comes from the policy's generator, so equal seeds give equal actions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from scene_gym.agents.base import Candidate, KindLike, Policy
from scene_gym.errors import SceneGymError

COMPASS = ("north", "south", "east", "west")
RELATIONS = ("near", "next_to", "facing", "left_of", "right_of", "in_front_of", "behind", "against_wall", "in_corner",
             "middle", "far", "side_by_side", "across_from")  # fmt: skip
MATERIALS = ("oak wood", "grey fabric", "black metal", "white marble", "red velvet", "glass", "brushed steel")


def _categories() -> tuple[list[str], list[str]]:
    from scene_gym.assets import factories

    fs = factories()
    big = sorted(c for c, f in fs.items() if not f.small and c != "interior_door")
    small = sorted(c for c, f in fs.items() if f.small)
    return big, small


class RandomPolicy(Policy):
    """Random valid-format actions (module docstring).

    Args:
        seed: seeds the generator.
        max_statements: statements per DSL program (>= 1).
        max_calls: calls per random trajectory (>= 2).
        done_prob: chance of ``done()`` / ``terminate`` per DSL program or tool step, in [0, 1].
    """

    name = "random"
    version = "1"

    def __init__(self, seed: int | None = None, *, max_statements: int = 3, max_calls: int = 8, done_prob: float = 0.1):
        super().__init__(seed)
        if isinstance(max_statements, bool) or not isinstance(max_statements, int) or max_statements < 1:
            raise SceneGymError(f"expected max_statements as a positive integer, got {max_statements!r}")
        if isinstance(max_calls, bool) or not isinstance(max_calls, int) or max_calls < 2:
            raise SceneGymError(f"expected max_calls as an integer >= 2, got {max_calls!r}")
        if not isinstance(done_prob, int | float) or not 0.0 <= float(done_prob) <= 1.0:
            raise SceneGymError(f"expected done_prob in [0, 1], got {done_prob!r}")
        self.max_statements, self.max_calls, self.done_prob = max_statements, max_calls, float(done_prob)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "max_statements": self.max_statements, "max_calls": self.max_calls,
                "done_prob": self.done_prob}  # fmt: skip

    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        self.check_count(n)
        found = self.kind_for(kind)
        fmt, meta = found.action_format, {"kind": found.name}
        scene = str(observation.get("scene", ""))
        out = []
        for _ in range(n):
            if fmt == "point":
                out.append(Candidate(self.point(), meta=dict(meta)))
                continue
            if fmt == "dsl":
                text = self.program(scene)
            elif fmt == "trajectory":
                text = json.dumps(self.trajectory(scene))
            else:
                text = json.dumps(self.call(scene, allow_finish=True))
            out.append(Candidate(text, text=text, meta=dict(meta)))
        return out

    # --- pieces ---------------------------------------------------------------------------------------------
    def _pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def point(self) -> dict:
        """A uniform point and a random small category."""
        _, small = _categories()
        return {"point": self.rng.uniform(0.0, 1.0, 2).astype(np.float32), "asset": self._pick(small).replace("_", " ")}

    def program(self, scene_text: str) -> str:
        """1 to ``max_statements`` random DSL statements for a scene text (module docstring)."""
        from scene_gym.actions.dsl.reader import read_object_ids
        from scene_gym.agents.scripted import room_size

        w, d = room_size(scene_text)
        ids = read_object_ids(scene_text, lights=True)
        big, small = _categories()
        r = self.rng
        lines = []
        for _ in range(int(r.integers(1, self.max_statements + 1))):
            op = self._pick(("add", "add", "add", "place_on", "move", "rotate", "resize", "remove", "relate",
                             "set_material") if ids else ("add",))  # fmt: skip
            if op == "add":
                x, y = r.uniform(0.2, max(w - 0.2, 0.3)), r.uniform(0.2, max(d - 0.2, 0.3))
                extra = f', against="{self._pick(COMPASS)}"' if r.random() < 0.3 else f', facing="{self._pick(COMPASS)}"'
                lines.append(f'add("{self._pick(big)}", at=({x:.2f}, {y:.2f}){extra})')
                continue
            oid = self._pick(ids)
            if op == "place_on":
                lines.append(f'place_on("{self._pick(small)}", "{oid}")')
            elif op == "move":
                lines.append(f'move("{oid}", by=({r.uniform(-0.5, 0.5):.2f}, {r.uniform(-0.5, 0.5):.2f}))')
            elif op == "rotate":
                lines.append(f'rotate("{oid}", by={int(self._pick((-90, 90, 180, 45)))})')
            elif op == "resize":
                lines.append(f'resize("{oid}", scale={r.uniform(0.8, 1.2):.2f})')
            elif op == "remove":
                lines.append(f'remove("{oid}")')
            elif op == "relate":
                others = [i for i in ids if i != oid]
                if others:
                    lines.append(f'relate("{oid}", "{self._pick(RELATIONS[:7])}", "{self._pick(others)}")')
                else:
                    lines.append(f'relate("{oid}", "against_wall", "{self._pick(COMPASS)}")')
            else:
                lines.append(f'set_material("{oid}", "{self._pick(MATERIALS)}")')
        if r.random() < self.done_prob:
            lines.append("done()")
        return "\n".join(lines)

    def call(self, scene_text: str = "", *, ids: list[str] | None = None, allow_finish: bool = False) -> dict:
        """One random tool call (ids from ``ids`` or the scene text)."""
        from scene_gym.actions.dsl.reader import read_object_ids
        from scene_gym.scene import ROOM_TYPES

        r = self.rng
        ids = list(ids if ids is not None else read_object_ids(scene_text, lights=True))
        big, small = _categories()
        if allow_finish and r.random() < self.done_prob:
            return {"tool": "terminate", "args": {"reason": "random"}}
        tools = ["add_objects", "add_objects", "init_layout", "optimize_physics"]
        if ids:
            tools += ["add_crowd", "add_relation", "update_layout", "update_rotation", "update_size", "remove_objects"]
        tool = self._pick(tools)
        if tool == "add_objects":
            args: dict[str, Any] = {"category": self._pick(big), "count": int(r.integers(1, 4))}
            if r.random() < 0.5:
                rel: dict[str, Any] = {"relation": self._pick(("against_wall", "in_corner", "middle"))}
                if ids and r.random() < 0.5:
                    rel = {"relation": self._pick(("near", "next_to", "facing", "in_front_of")), "target": self._pick(ids)}
                args["relations"] = [rel]
        elif tool == "init_layout":
            args = {"room_type": self._pick(ROOM_TYPES), "replace": bool(r.random() < 0.5)}
        elif tool == "optimize_physics":
            args = {}
        elif tool == "add_crowd":
            args = {"receptacle": self._pick(ids), "categories": [self._pick(small)], "count": int(r.integers(1, 5))}
        elif tool == "add_relation":
            a = self._pick(ids)
            others = [i for i in ids if i != a]
            if others:
                rel = {"relation": self._pick(("near", "next_to", "facing", "left_of")), "subject": a,
                       "target": self._pick(others)}  # fmt: skip
            else:
                rel = {"relation": self._pick(("against_wall", "in_corner", "middle")), "subject": a}
            args = {"relation": rel}
        elif tool == "update_layout":
            args = {"objects": [{"id": self._pick(ids)}]}
        elif tool == "update_rotation":
            args = {"id": self._pick(ids), "yaw_deg": float(self._pick((0, 90, 180, 270)))}
        elif tool == "update_size":
            args = {"id": self._pick(ids), "scale": round(float(r.uniform(0.9, 1.1)), 3)}
        else:
            args = {"ids": [self._pick(ids)]}
        return {"tool": tool, "args": args}

    def trajectory(self, scene_text: str = "") -> list[dict]:
        """``init_room`` of a random type and size, random calls (ids predicted as the tools assign them),
        ``terminate``."""
        from scene_gym.scene import ROOM_TYPES

        r = self.rng
        calls = [{"tool": "init_room", "args": {"room_type": self._pick(ROOM_TYPES), "width": round(float(r.uniform(3, 7)), 1),
                                                "depth": round(float(r.uniform(3, 7)), 1)}}]  # fmt: skip
        ids: list[str] = []
        counts: dict[str, int] = {}
        for _ in range(int(r.integers(2, self.max_calls + 1)) - 1):
            call = self.call(ids=ids)
            calls.append(call)
            if call["tool"] == "add_objects":
                cat = call["args"]["category"]
                for _ in range(call["args"]["count"]):
                    counts[cat] = counts.get(cat, 0) + 1
                    ids.append(f"{cat}_{counts[cat]}")
        calls.append({"tool": "terminate", "args": {"reason": "random"}})
        return calls
