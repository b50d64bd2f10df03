"""The random policy: well-formed random actions in every environment, reproducible by seed."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

import scene_gym  # noqa: F401
from scene_gym.actions.dsl import parse_program
from scene_gym.actions.tools import parse_trajectory, validate_call
from scene_gym.agents import run_episode
from scene_gym.agents.random_policy import RandomPolicy
from scene_gym.errors import SceneGymError


def test_dsl_programs_parse_and_are_seeded():
    env = gym.make("SceneSynth-v1", image_size=None)
    ro = run_episode(env, RandomPolicy(3, max_statements=4), seed=0, max_steps=6)
    for step in ro.steps:
        parse_program(step.action)  # never a syntax error
        assert step.info["valid"], step.info["error"]
    again = run_episode(env, RandomPolicy(3, max_statements=4), seed=0, max_steps=6)
    assert [s.action for s in again.steps] == [s.action for s in ro.steps]
    env.close()


def test_trajectories_parse_and_end_with_terminate():
    pol = RandomPolicy(0)
    for _ in range(20):
        calls = pol.trajectory("")
        assert calls[0]["tool"] == "init_room" and calls[-1]["tool"] == "terminate"
        for call in parse_trajectory(json.dumps(calls)):
            validate_call(call)  # well-formed arguments; ids may name objects that failed to place


def test_trajectory_env_accepts_most_random_trajectories():
    env = gym.make("SceneSynthTrajectory-v1")
    valid = 0
    for seed in range(6):
        ro = run_episode(env, RandomPolicy(seed), seed=seed)
        valid += ro.steps[0].info["valid"]
    assert valid >= 5
    env.close()


def test_tool_step_calls_validate():
    env = gym.make("SceneSynthToolStep-v1", image_size=None)
    ro = run_episode(env, RandomPolicy(1, done_prob=0.2), seed=1, max_steps=8)
    assert all(s.info["valid"] for s in ro.steps), [s.info["error"] for s in ro.steps]
    env.close()


def test_points_are_in_the_unit_square():
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    ro = run_episode(env, RandomPolicy(2), seed=2, max_steps=5)
    for s in ro.steps:
        p = np.asarray(s.action["point"])
        assert p.shape == (2,) and (p >= 0).all() and (p <= 1).all() and s.action["asset"]
    env.close()


def test_sample_and_arguments():
    obs = {"scene": "# room: bedroom, 4 x 4 m, walls 2.8 m high\n# no objects yet\n", "prompt": "", "feedback": ""}
    cands = RandomPolicy(0).sample(obs, 4, kind="scene")
    assert len(cands) == 4 and all(c.text for c in cands) and all(c.meta["kind"] == "scene" for c in cands)
    with pytest.raises(SceneGymError, match=r"policy.reset\(kind=info\['env_kind'\]\)"):
        RandomPolicy(0).sample(obs, 1)
    with pytest.raises(SceneGymError, match="action format is among"):
        RandomPolicy(0).sample(obs, 1, kind="robot")
    with pytest.raises(SceneGymError, match="done_prob"):
        RandomPolicy(done_prob=2.0)
    with pytest.raises(SceneGymError, match="max_statements"):
        RandomPolicy(max_statements=0)
