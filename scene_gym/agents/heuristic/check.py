"""Check a built scene against a task spec and the room's essentials: what the quality-bar tests and the
heuristic benchmark measure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np


@dataclass
class SpecReport:
    """How a scene meets a spec: per-requirement scores in [0, 1] (``scene_gym.rewards.spec_checks``) and the
    essential groups (:data:`scene_gym.assets.room_priors.ESSENTIALS`) it lacks."""

    counts: dict[str, float] = field(default_factory=dict)
    relations: dict[str, float] = field(default_factory=dict)
    missing_essentials: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def counts_ok(self) -> bool:
        """Every count requirement met."""
        return all(v >= 1.0 for v in self.counts.values())

    @property
    def layout(self) -> float:
        """Mean relation satisfaction (1 with no relations)."""
        return float(np.mean(list(self.relations.values()))) if self.relations else 1.0


def check_spec(scene, spec) -> SpecReport:
    """Score ``scene`` against ``spec`` (a :class:`~scene_gym.spec.TaskSpec`)."""
    from scene_gym.assets.room_priors import ESSENTIALS
    from scene_gym.layout import Layout
    from scene_gym.rewards.spec_checks import count_score, relation_score

    by_cat: dict[str, list] = {}
    for o in scene.objects:
        by_cat.setdefault(o.category, []).append(o)
    layout = Layout.from_scene(scene)
    rep = SpecReport()
    for req in spec.objects:
        rep.counts[req.to_sceneeval()] = count_score(req, len(by_cat.get(req.category, [])))
    for r in spec.relations:
        rep.relations[str(r)] = relation_score(r, by_cat, layout)
    cats = set(by_cat)
    rep.missing_essentials = [g for g in ESSENTIALS.get(scene.room.type, ()) if not cats & set(g)]
    return rep


def build(prompt_or_spec, seed: int = 0, world=None, **plan_kwargs):
    """Plan and build a scene directly through the tools (the trajectory environment's path without the env):
    returns (scene, calls, plan). ``seed`` seeds the planner and the tools alike."""
    from scene_gym.actions.tools import ToolError, apply_tool, parse_trajectory, validate_trajectory
    from scene_gym.agents.heuristic.plan import as_spec, make_plan
    from scene_gym.agents.heuristic.tool_writer import plan_calls
    from scene_gym.scene import Room, Scene

    spec = as_spec(prompt_or_spec)
    rng = np.random.default_rng(seed)
    plan = make_plan(spec, rng, **plan_kwargs)
    calls = plan_calls(plan)
    scene = Scene(Room.rectangle(plan.width, plan.depth, type=plan.room_type), prompt=spec.prompt)
    for call in validate_trajectory(parse_trajectory(json.dumps(calls))):
        try:
            res = apply_tool(scene, call, rng=rng, world=world)
        except ToolError:
            continue
        if res.terminate:
            break
    return scene, calls, plan
