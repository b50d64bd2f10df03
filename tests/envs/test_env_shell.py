"""The env shell's promises (scene_gym.envs.shell): one physics sync, one evaluate and no prompt parse per step;
a step is one transaction with its reward; malformed checkpoints change nothing; Unicode text end to end."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest
from env_helpers import ENV_IDS, fast_kwargs, policy_for

import scene_gym.metrics
import scene_gym.spec
from scene_gym.errors import SceneGymError
from scene_gym.physics import PhysicsWorld
from scene_gym.rewards import RewardResult, make_reward


class Counter:
    """Counts calls of PhysicsWorld.sync, scene_gym.metrics.evaluate and scene_gym.spec.parse_prompt."""

    def __init__(self, monkeypatch):
        self.n = {"sync": 0, "evaluate": 0, "parse": 0}
        sync, evaluate, parse = PhysicsWorld.sync, scene_gym.metrics.evaluate, scene_gym.spec.parse_prompt

        def counted(name, fn):
            def wrapper(*args, **kwargs):
                self.n[name] += 1
                return fn(*args, **kwargs)

            return wrapper

        monkeypatch.setattr(PhysicsWorld, "sync", counted("sync", sync))
        monkeypatch.setattr(scene_gym.metrics, "evaluate", counted("evaluate", evaluate))
        monkeypatch.setattr(scene_gym.spec, "parse_prompt", counted("parse", parse))

    def take(self) -> dict[str, int]:
        out, self.n = self.n, {k: 0 for k in self.n}
        return out


ADD_CALL = json.dumps({"tool": "add_objects", "args": {"category": "armchair", "count": 1}})

STEPS = {
    "SceneSynth-v1": ['add("bed", at=(2.0, 2.0))\nadd("nightstand", at=(0.5, 0.4))\nadd("floor_lamp", at=(3.0, 3.0))',
                      'move("bed_1", by=(0.1, 0.0))\nrotate("nightstand_1", by=90)', 'remove("floor_lamp_1")'],
    "SceneSynthToolStep-v1": [ADD_CALL, json.dumps({"tool": "update_rotation", "args": {"id": "armchair_1",
                                                                                         "yaw_deg": 90}}), ADD_CALL],
}  # fmt: skip


@pytest.mark.parametrize("env_id", sorted(STEPS))
def test_one_sync_one_evaluate_no_parse_per_step(env_id, monkeypatch):
    env = gym.make(env_id, image_size=None)
    counter = Counter(monkeypatch)
    try:
        env.reset(seed=0, options={"prompt": "A bedroom with a bed, a nightstand and an armchair"})
        assert counter.take() == {"sync": 1, "evaluate": 1, "parse": 1}
        for action in STEPS[env_id]:
            _, _, _, _, info = env.step(action)
            assert info["applied"], info["error"]
            assert counter.take() == {"sync": 1, "evaluate": 1, "parse": 0}, action
        env.step("not a program (")  # unreadable: nothing to evaluate
        assert counter.take() == {"sync": 0, "evaluate": 0, "parse": 0}
    finally:
        env.close()


def test_asset_env_one_sync_one_evaluate_per_placement(monkeypatch):
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    policy = policy_for("SceneSynthAsset-v2", seed=0)
    counter = Counter(monkeypatch)
    try:
        obs, _ = env.reset(seed=3, options={"receptacle": "dining_table"})
        counter.take()
        placed = 0
        for _ in range(8):
            obs, _, _, _, info = env.step(policy(obs))
            n = counter.take()
            assert n["parse"] == 0 and n["evaluate"] <= 1
            # a placement rejected after the physics check costs one more sync to take the object out again
            assert n["sync"] == 1 if info["applied"] else n["sync"] <= 2
            placed += info["applied"]
        assert placed >= 2
    finally:
        env.close()


def test_trajectory_evaluates_once_per_call(monkeypatch):
    from scene_gym.agents.scripted_tools import ten_calls

    env = gym.make("SceneSynthTrajectory-v1")
    counter = Counter(monkeypatch)
    try:
        env.reset(seed=0)
        counter.take()
        calls = ten_calls(np.random.default_rng(0))
        _, _, _, _, info = env.step(json.dumps(calls))
        applied = sum(c["applied"] for c in info["calls"])
        n = counter.take()
        assert n["evaluate"] == applied and n["parse"] == 0
        env.unwrapped.per_call_quality = False
        env.reset(seed=0)
        counter.take()
        env.step(json.dumps(calls))
        assert counter.take()["evaluate"] == 1
    finally:
        env.close()


class FlakyReward:
    """A reward that raises while ``fail`` is set (a judge endpoint going down)."""

    def __init__(self):
        self.fail = False
        self.inner = make_reward("q_phy")

    def __call__(self, scene, context):
        if self.fail:
            raise ConnectionError("judge endpoint unreachable")
        return self.inner(scene, context)


FIRST_ACTION = {
    "SceneSynth-v1": 'add("bed", at=(2.0, 2.0))',
    "SceneSynthToolStep-v1": json.dumps({"tool": "add_objects", "args": {"category": "bed", "count": 1}}),
    "SceneSynthTrajectory-v1": json.dumps([{"tool": "init_layout", "args": {}}]),
}


@pytest.mark.parametrize("env_id", sorted(FIRST_ACTION))
def test_failing_reward_undoes_the_step_and_a_retry_does_not_duplicate(env_id):
    reward = FlakyReward()
    env = gym.make(env_id, reward=reward, **fast_kwargs(env_id))
    try:
        env.reset(seed=0, options={"prompt": "A bedroom with a bed"})
        before, state = env.unwrapped.scene.to_json(), env.unwrapped.get_state()
        reward.fail = True
        _, r, terminated, _, info = env.step(FIRST_ACTION[env_id])
        assert env.unwrapped.scene.to_json() == before
        assert "judge endpoint unreachable" in info["reward_error"] and not info["applied"] and r == 0.0
        assert "undone" in info["feedback"]
        assert json.loads(env.unwrapped.get_state())["scene"] == json.loads(state)["scene"]
        reward.fail = False
        if terminated:
            env.reset(seed=0, options={"prompt": "A bedroom with a bed"})
        env.step(FIRST_ACTION[env_id])
        beds = [o.id for o in env.unwrapped.scene.objects if o.category == "bed"]
        assert len(beds) == 1
    finally:
        env.close()


BAD_STATES = [
    "not json {",
    "[]",
    json.dumps({"schema": "scene-gym/env-state@1"}),
    None,
    5,
]


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_malformed_checkpoint_raises_our_error_and_changes_nothing(env_id):
    env = gym.make(env_id, **fast_kwargs(env_id))
    policy = policy_for(env_id, seed=2)
    try:
        obs, _ = env.reset(seed=1)
        env.step(policy(obs))
        good = json.loads(env.unwrapped.get_state())
        bad = [*BAD_STATES]
        for field, value in [("steps", -1), ("steps", "3"), ("rng", {"bit_generator": "PCG64"}), ("rng", None),
                             ("feedback", 7), ("scene", {"schema": "scene-gym/scene@1"}), ("env", "other")]:  # fmt: skip
            bad.append(json.dumps({**good, field: value}))
        for name in ("minutes", "placements", "camera", "receptacle"):
            if name in good:
                bad.append(json.dumps({**good, name: "garbage"}))
        before = env.unwrapped.get_state()
        for state in bad:
            with pytest.raises(SceneGymError):
                env.unwrapped.set_state(state)
            assert env.unwrapped.get_state() == before, state
    finally:
        env.close()


def test_unicode_prompts_and_materials_round_trip():
    prompt = "gemütliches 卧室 mit einem Bett — «très» cosy"
    env = gym.make("SceneSynth-v1", image_size=None)
    try:
        obs, _ = env.reset(seed=0, options={"prompt": prompt})
        assert obs["prompt"] == prompt and env.observation_space.contains(obs)
        obs, _, _, _, info = env.step('add("bed", at=(2.0, 2.0), material="crème oak")')
        assert info["applied"], info["error"]
        assert env.unwrapped.scene.get("bed_1").material == "crème oak"
        assert "crème oak" in obs["scene"] and obs["prompt"] == prompt
        assert env.observation_space.contains(obs)
        state = env.unwrapped.get_state()
        twin = gym.make("SceneSynth-v1", image_size=None)
        twin.reset(seed=5)
        restored = twin.unwrapped.set_state(state)
        assert restored["prompt"] == prompt and twin.unwrapped.scene.get("bed_1").material == "crème oak"
        from scene_gym.scene import Scene

        again = Scene.from_json(env.unwrapped.scene.to_json())
        assert again.prompt == prompt and again.get("bed_1").material == "crème oak"
    finally:
        env.close()


def test_text_space_refuses_nul_and_cuts_long_text():
    from scene_gym.envs.spaces import UnicodeText, clean_text

    space = UnicodeText(10)
    assert space.contains("卧室 ok") and not space.contains("a\x00b") and not space.contains("x" * 11)
    assert space.contains(clean_text("a\x00b" * 10, 10)) and clean_text("x" * 20, 10).endswith("[cut]")
    assert space.contains(space.sample())


def test_oversized_action_is_refused_before_parsing():
    env = gym.make("SceneSynth-v1", image_size=None)
    try:
        env.reset(seed=0)
        _, _, _, _, info = env.step("done()" + " " * 30000)
        assert not info["valid"] and "at most 20000" in info["error"]
    finally:
        env.close()


def test_policy_info_kind_is_the_registered_kind():
    env = gym.make("SceneSynthToolStep-v1", image_size=None)
    try:
        _, info = env.reset(seed=0)
        assert info["env_kind"] == "toolstep"
    finally:
        env.close()


def test_reward_result_objects_pass_through_callables():
    env = gym.make("SceneSynth-v1", image_size=None, reward=lambda scene, ctx: RewardResult(len(scene), {"n": 1.0}))
    try:
        _, info = env.reset(seed=0)
        assert info["reward_value"] == 0.0 and info["reward_terms"] == {"n": 1.0}
        _, r, _, _, info = env.step('add("bed", at=(2.0, 2.0))')
        assert r == 1.0 and info["metrics"]["n_obj"] == 1
    finally:
        env.close()


def test_checkpoint_with_a_hostile_scene_is_refused_at_load():
    env = gym.make("SceneSynth-v1", image_size=None)
    try:
        env.reset(seed=0)
        env.step('add("wardrobe", at=(2.0, 2.0))')
        state = json.loads(env.unwrapped.get_state())
        before = env.unwrapped.get_state()
        state["scene"]["objects"][0]["params"] = {"n_shelves": 10_000_000}
        with pytest.raises(SceneGymError, match=r"objects\[0\]\.params\.n_shelves"):
            env.unwrapped.set_state(json.dumps(state))
        assert env.unwrapped.get_state() == before
    finally:
        env.close()
