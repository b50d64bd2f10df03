"""Scripted policies that read only the text observation: baselines for tests, benchmarks and examples.

:class:`ScriptedDSLPolicy` writes random but plausible scene-DSL programs for ``SceneSynth-v0``: it reads the
room size and the object ids from the ``scene`` text (the printer's header and id comments) and adds, moves,
rotates, stacks and removes objects. Every choice comes from its own ``numpy.random.Generator``.
"""

from __future__ import annotations

import re

import numpy as np

FURNITURE = ("sofa", "armchair", "coffee_table", "bookshelf", "desk", "bed", "nightstand", "side_table",
             "dining_table", "dining_chair", "floor_lamp", "tv_stand", "wardrobe", "dresser")  # fmt: skip
SMALL = ("book", "vase", "mug", "table_lamp", "potted_plant", "candle", "bowl")
_ROOM = re.compile(r"^# room: .*?, ([0-9.]+) x ([0-9.]+) m", re.M)
_ID = re.compile(r"#\s+([a-z][a-z0-9_]*_\d+)(?: on (\S+))?$", re.M)


def room_size(scene_text: str) -> tuple[float, float]:
    """(width, depth) metres read from the printer's ``# room:`` line (4 x 4 when absent)."""
    m = _ROOM.search(scene_text)
    return (float(m.group(1)), float(m.group(2))) if m else (4.0, 4.0)


def object_ids(scene_text: str) -> list[str]:
    """Object ids from the printer's trailing comments, in scene order (lights excluded)."""
    return [m.group(1) for m in _ID.finditer(scene_text) if not m.group(1).startswith("light_")]


class ScriptedDSLPolicy:
    """Random DSL programs of 1 to ``max_statements`` statements; ``done_prob`` adds a ``done()``.

    Args:
        seed: seeds the policy's generator.
        max_statements: statements per program.
        done_prob: chance of ending a program with ``done()``.
        use_solver: also write ``add(...)`` without ``at`` and ``relate(...)`` (slower: they run the solver).
    """

    def __init__(self, seed: int = 0, max_statements: int = 2, done_prob: float = 0.0, use_solver: bool = False):
        self.rng = np.random.default_rng(seed)
        self.max_statements = max_statements
        self.done_prob = done_prob
        self.use_solver = use_solver

    def __call__(self, obs: dict) -> str:
        text = obs["scene"] if isinstance(obs, dict) else str(obs)
        w, d = room_size(text)
        ids = object_ids(text)
        floor_ids = [i for i in ids if not any(i.startswith(s + "_") for s in SMALL)]
        rng = self.rng
        lines = []
        for _ in range(int(rng.integers(1, self.max_statements + 1))):
            op = rng.choice(["add", "add", "move", "rotate", "place_on", "remove", "set_material", "relate"]
                            if self.use_solver else ["add", "add", "move", "rotate", "place_on", "remove", "set_material"])  # fmt: skip
            if op == "add" or not ids:
                cat = FURNITURE[int(rng.integers(len(FURNITURE)))]
                facing = ["north", "south", "east", "west"][int(rng.integers(4))]
                if self.use_solver and rng.random() < 0.3:
                    lines.append(f'add("{cat}")')
                else:
                    x, y = rng.uniform(0.5, max(w - 0.5, 0.6)), rng.uniform(0.5, max(d - 0.5, 0.6))
                    lines.append(f'add("{cat}", at=({x:.2f}, {y:.2f}), facing="{facing}")')
                continue
            oid = ids[int(rng.integers(len(ids)))]
            if op == "move":
                lines.append(f'move("{oid}", by=({rng.uniform(-0.5, 0.5):.2f}, {rng.uniform(-0.5, 0.5):.2f}))')
            elif op == "rotate":
                lines.append(f'rotate("{oid}", by={int(rng.choice([-90, 90, 180]))})')
            elif op == "place_on" and floor_ids:
                parent = floor_ids[int(rng.integers(len(floor_ids)))]
                lines.append(f'place_on("{SMALL[int(rng.integers(len(SMALL)))]}", "{parent}")')
            elif op == "remove":
                lines.append(f'remove("{oid}")')
            elif op == "relate" and len(floor_ids) > 1:
                a, b = rng.choice(floor_ids, size=2, replace=False)
                lines.append(f'relate("{a}", "{rng.choice(["near", "facing", "left_of"])}", "{b}")')
            else:
                lines.append(f'set_material("{oid}", "{rng.choice(["oak wood", "grey fabric", "black metal"])}")')
        if rng.random() < self.done_prob:
            lines.append("done()")
        return "\n".join(lines)


class ScriptedPointPolicy:
    """Pointing near the close-up's centre (the camera looks at the receptacle's surface centre) with a small
    object drawn from :data:`SMALL`, for ``SceneSynthAsset-v0``; ``text=True`` writes Molmo-style tags."""

    def __init__(self, seed: int = 0, spread: float = 0.12, text: bool = False):
        self.rng = np.random.default_rng(seed)
        self.spread, self.text = spread, text

    def __call__(self, obs) -> dict | str:
        u, v = np.clip(0.5 + self.rng.normal(0.0, self.spread, 2), 0.0, 1.0)
        asset = SMALL[int(self.rng.integers(len(SMALL)))].replace("_", " ")
        if self.text:
            return f'<point x="{100 * u:.1f}" y="{100 * v:.1f}" alt="{asset}">{asset}</point>'
        return {"point": np.array([u, v], dtype=np.float32), "asset": asset}


def scripted_policy(env_id: str, seed: int = 0):
    """A scripted policy ``obs -> action`` for a registered id (tool envs: see their modules)."""
    if env_id == "SceneSynth-v0":
        return ScriptedDSLPolicy(seed)
    if env_id == "SceneSynthAsset-v0":
        return ScriptedPointPolicy(seed)
    if env_id in ("SceneSynthTrajectory-v0", "SceneSynthToolStep-v0"):
        from scene_gym.envs.tool_scripts import ScriptedToolPolicy

        return ScriptedToolPolicy(seed, one_shot=env_id == "SceneSynthTrajectory-v0")
    raise KeyError(f"expected a scene-gym env id, got {env_id!r}")
