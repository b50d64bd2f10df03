"""Env kinds are read from one place: a kind registered at run time (a new id over an existing env class, reusing
the ``dsl`` action format) works with the policies, ``scene-gym generate`` and the benchmark runner with no other
edit."""

from __future__ import annotations

import json

import gymnasium as gym
import pytest

import scene_gym  # noqa: F401  (registers the built-in kinds)
from scene_gym.agents import make_policy, run_episode
from scene_gym.envs.kinds import ENV_KINDS, EnvKind, get_kind, register_kind, unregister_kind
from scene_gym.errors import SceneGymError

DUMMY = EnvKind("dummy", "SceneSynthDummy-v1", "scene_gym.envs.scene_synth:SceneSynthEnv", "dsl", kwargs={"max_steps": 3})


@pytest.fixture
def dummy():
    kind = register_kind(DUMMY)
    try:
        yield kind
    finally:
        unregister_kind("dummy")
    assert "dummy" not in ENV_KINDS and "SceneSynthDummy-v1" not in gym.registry


@pytest.mark.parametrize("spec", ["heuristic", "random", "scripted", "test:fast"])
def test_policies_run_an_episode_in_the_new_kind(dummy, spec):
    env = gym.make("SceneSynthDummy-v1", image_size=None)
    try:
        rollout = run_episode(env, make_policy(spec, seed=0), seed=0, options={"prompt": "Design me a bedroom"})
    finally:
        env.close()
    assert rollout.env_id == "SceneSynthDummy-v1" and rollout.env_kind == "dummy"
    assert 1 <= len(rollout.steps) <= 3 and all(isinstance(s.action, str) for s in rollout.steps)
    assert sum(s.info.get("n_ok", 0) for s in rollout.steps) >= 1  # the DSL the policy wrote was run
    assert json.loads(rollout.to_jsonl().splitlines()[0])["env_kind"] == "dummy"


def test_a_policy_without_a_kind_says_how_to_give_one(dummy):
    env = gym.make("SceneSynthDummy-v1", image_size=None)
    try:
        obs, _ = env.reset(seed=0)
    finally:
        env.close()
    policy = make_policy("heuristic", seed=0)
    with pytest.raises(SceneGymError, match=r"policy.reset\(kind=info\['env_kind'\]\).*kind="):
        policy.act(obs)
    assert policy.act(obs, kind="dummy").startswith("add(")  # per-call override
    policy.reset(0, kind=get_kind("SceneSynthDummy-v1"))  # or stored for the episode
    assert policy.kind is dummy and policy.act(obs).startswith("add(")


def test_generate_runs_the_new_kind(dummy, tmp_path, capsys):
    from scene_gym.cli import main

    out = tmp_path / "gen"
    assert main(["generate", "Design me a bedroom", "--policy", "heuristic", "--env", "dummy", "--seed", "0",
                 "--out", str(out), "--size", "48", "--no-exports"]) == 0  # fmt: skip
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["env"] == "SceneSynthDummy-v1" and metrics["env_kind"] == "dummy" and metrics["steps"] <= 3
    assert metrics["n_obj"] >= 1


def test_benchmark_records_a_row_for_the_new_kind(dummy, tmp_path):
    from scene_gym.benchmarks.runner import RunConfig, run_benchmark
    from scene_gym.benchmarks.store import Store

    db = tmp_path / "lb.db"
    summary = run_benchmark(RunConfig(suite="template", policy="test:fast", env="dummy", prompts=("bedroom",),
                                      seed_list=(0,), workers=1, db=str(db), progress=False))  # fmt: skip
    assert summary.counts["ok"] == 1 and summary.total == 1
    with Store(db) as store:
        (row,) = store.results()
        (entry,) = store.entries()
    assert row["status"] == "ok" and row["prompt_id"] == "bedroom" and row["n_obj"] == 2
    assert entry["env"] == "dummy" and "--env dummy" in entry["reproduce"]
