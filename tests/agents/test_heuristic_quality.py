"""The heuristic planner's quality bar (issue 7): "Design me a <room type>" over ten room types x 5 seeds, and
the hand-written detailed prompts of ``scene_gym/agents/data/detailed_prompts.json``, built through the tools
(the trajectory environment's path) and measured with :func:`scene_gym.metrics.evaluate`."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from scene_gym.agents.heuristic.check import build, check_spec
from scene_gym.metrics import evaluate
from scene_gym.physics import PhysicsWorld
from scene_gym.spec import TaskSpec

ROOMS = ("bedroom", "living room", "kitchen", "gym", "restaurant", "bathroom", "children room", "meeting room",
         "office", "waiting room")  # fmt: skip
SEEDS = range(5)


def detailed_prompts() -> list[dict]:
    text = resources.files("scene_gym.agents").joinpath("data/detailed_prompts.json").read_text()
    return json.loads(text)["prompts"]


@pytest.fixture(scope="module")
def world():
    w = PhysicsWorld()
    yield w
    w.close()


def test_detailed_prompts_are_many_and_valid():
    prompts = detailed_prompts()
    assert len(prompts) >= 20
    for entry in prompts:
        spec = TaskSpec.from_dict(entry["spec"])
        assert spec.prompt == entry["prompt"] and spec.objects and spec.relations


@pytest.mark.slow
def test_design_me_a_room_quality_bar(world):
    n_objs = []
    for room in ROOMS:
        for seed in SEEDS:
            scene, _, _ = build(f"Design me a {room}", seed=seed, world=world)
            m = evaluate(scene, world)
            rep = check_spec(scene, TaskSpec(room_type=room))
            assert scene.room.type == room
            assert m.n_oob == 0, (room, seed, m.oob)
            assert m.n_collisions == 0, (room, seed, m.collisions)
            assert not rep.missing_essentials, (room, seed, rep.missing_essentials)
            n_objs.append(m.n_obj)
    assert np.mean(n_objs) >= 25, n_objs


@pytest.mark.slow
def test_detailed_prompts_quality_bar(world):
    layouts = {}
    for entry in detailed_prompts():
        spec = TaskSpec.from_dict(entry["spec"])
        scores = []
        for seed in range(3):
            scene, _, _ = build(spec, seed=seed, world=world)
            rep = check_spec(scene, spec)
            m = evaluate(scene, world)
            assert rep.counts_ok, (entry["prompt"], seed, rep.counts)
            assert m.n_oob == 0 and m.n_collisions == 0, (entry["prompt"], seed, m.oob, m.collisions)
            scores.append(rep.layout)
        layouts[entry["prompt"]] = float(np.mean(scores))
    low = {p: s for p, s in layouts.items() if s < 0.9}
    assert not low, low
    assert np.mean(list(layouts.values())) >= 0.95
