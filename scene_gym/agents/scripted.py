"""Scripted policies that read only the text observation: baselines for tests, benchmarks and examples
(``make_policy("scripted")``).

- :class:`ScriptedDSLPolicy` (format ``dsl``) writes random but plausible scene-DSL programs: it reads the room
  size and the object ids from the ``scene`` text (:mod:`scene_gym.actions.dsl.reader`) and adds, moves,
  rotates, stacks and removes objects.
- :class:`ScriptedPointPolicy` (format ``point``) points near the close-up's centre with a small object.
- :class:`~scene_gym.agents.scripted_tools.ScriptedToolPolicy` (formats ``trajectory`` and ``toolcall``) writes
  a ten-call tool trajectory, at once or one call per step.
- :class:`ScriptedPolicy` serves every format by handing the observation to the one above that speaks it.

Every choice comes from the policy's own ``numpy.random.Generator``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from scene_gym.agents.base import Candidate, KindLike, Policy, as_kind
from scene_gym.errors import SceneGymError

FURNITURE = ("sofa", "armchair", "coffee_table", "bookshelf", "desk", "bed", "nightstand", "side_table",
             "dining_table", "dining_chair", "floor_lamp", "tv_stand", "wardrobe", "dresser")  # fmt: skip
SMALL = ("book", "vase", "mug", "table_lamp", "potted_plant", "candle", "bowl")


def room_size(scene_text: str) -> tuple[float, float]:
    """(width, depth) metres from the printer's ``# room:`` line (4 x 4 when absent)."""
    from scene_gym.actions.dsl.reader import read_room_header

    try:
        _, w, d, _ = read_room_header(scene_text)
    except SceneGymError:
        return 4.0, 4.0
    return w, d


class ScriptedDSLPolicy(Policy):
    """Random DSL programs of 1 to ``max_statements`` statements; ``done_prob`` adds a ``done()``.

    Args:
        seed: seeds the policy's generator.
        max_statements: statements per program.
        done_prob: chance of ending a program with ``done()``.
        use_solver: also write ``add(...)`` without ``at`` and ``relate(...)`` (slower: they run the solver).
        kind: the env kind (a ``dsl`` kind), or None until :meth:`reset` gives one.
    """

    name = "scripted-dsl"
    formats = ("dsl",)

    def __init__(self, seed: int | None = 0, max_statements: int = 2, done_prob: float = 0.0, use_solver: bool = False,
                 *, kind: KindLike | None = None):  # fmt: skip
        super().__init__(seed, kind=kind)
        self.max_statements = max_statements
        self.done_prob = done_prob
        self.use_solver = use_solver

    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        self.kind_for(kind)
        text = str(observation["scene"])
        return [Candidate(p, text=p) for p in (self.program(text) for _ in range(self.check_count(n)))]

    def program(self, text: str) -> str:
        """One program for a printed scene."""
        from scene_gym.actions.dsl.reader import read_object_ids

        w, d = room_size(text)
        ids = read_object_ids(text)
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


class ScriptedPointPolicy(Policy):
    """Pointing near the close-up's centre (the camera looks at the receptacle's surface centre) with a small
    object drawn from :data:`SMALL`, for ``point`` kinds; ``text=True`` writes Molmo-style tags instead."""

    name = "scripted-point"
    formats = ("point",)

    def __init__(self, seed: int | None = 0, spread: float = 0.12, text: bool = False, *, kind: KindLike | None = None):
        super().__init__(seed, kind=kind)
        self.spread, self.text = spread, text

    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        self.kind_for(kind)
        return [self._one() for _ in range(self.check_count(n))]

    def _one(self) -> Candidate:
        u, v = np.clip(0.5 + self.rng.normal(0.0, self.spread, 2), 0.0, 1.0)
        asset = SMALL[int(self.rng.integers(len(SMALL)))].replace("_", " ")
        if self.text:
            tag = f'<point x="{100 * u:.1f}" y="{100 * v:.1f}" alt="{asset}">{asset}</point>'
            return Candidate(tag, text=tag)
        return Candidate({"point": np.array([u, v], dtype=np.float32), "asset": asset})


class ScriptedPolicy(Policy):
    """The scripted baselines behind one :class:`Policy`: the kind's action format picks :class:`ScriptedDSLPolicy`,
    :class:`ScriptedPointPolicy` or :class:`~scene_gym.agents.scripted_tools.ScriptedToolPolicy`, each seeded
    with this policy's seed (0 when None)."""

    name = "scripted"
    version = "1"

    def __init__(self, seed: int | None = None, *, kind: KindLike | None = None):
        super().__init__(seed, kind=kind)
        self._seed = seed
        self._impl: dict[str, Policy] = {}

    def reset(self, seed: int | None = None, *, kind: KindLike | None = None) -> None:
        super().reset(seed, kind=kind)
        self._seed, self._impl = seed, {}

    def _policy(self, fmt: str) -> Policy:
        if fmt not in self._impl:
            from scene_gym.agents.scripted_tools import ScriptedToolPolicy

            seed = 0 if self._seed is None else int(self._seed)
            cls = {"dsl": ScriptedDSLPolicy, "point": ScriptedPointPolicy}.get(fmt, ScriptedToolPolicy)
            self._impl[fmt] = cls(seed)
        return self._impl[fmt]

    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        found = self.kind_for(kind)
        return self._policy(found.action_format).sample(observation, n, kind=found)


def scripted_policy(kind: KindLike, seed: int = 0) -> ScriptedPolicy:
    """A :class:`ScriptedPolicy` bound to ``kind`` (an :class:`~scene_gym.envs.kinds.EnvKind`, its name or its
    Gymnasium id): ``scripted_policy("SceneSynth-v1", seed=3).act(obs)``."""
    return ScriptedPolicy(seed, kind=as_kind(kind))
