"""Hostile and malformed actions: never crash, never execute, always explained, the scene unchanged."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scene_gym  # noqa: F401
from scene_gym.envs.wrappers import MolmoPointAction, parse_point
from scene_gym.errors import SceneGymError

MARKER = "scene_gym_pwned_marker"

DSL_GARBAGE = [
    ("", "empty program"),
    ("hello world", "syntax error"),
    (f'__import__("os").system("touch {{tmp}}/{MARKER}")', "plain command name"),
    (f'add(__import__("os").system("touch {{tmp}}/{MARKER}"))', "nested call"),
    ("exec('1')", "unknown command 'exec'"),
    ('add("sofa", at=(nan, 1))', "the name 'nan'"),
    ('add("sofa", at=(float("nan"), 1))', "nested call"),
    ('add("sofa", at=(1e308, 1))', "[-1000, 1000]"),
    ('add("sofa", at=(1e400, 1))', "finite"),
    ('add("☃ ßpaceship ☃", at=(1, 1))', "unknown category"),
    ('add("spaceship", at=(1, 1))', "unknown category 'spaceship'"),
    ('move("ghost_1", to=(1, 1))', "unknown object id 'ghost_1'"),
    ("add('sofa', at=(1, 1)" * 3, "syntax error"),
    ("x" * 1_000_000, "at most 20000 characters"),
    ("\x00add('sofa')", "NUL"),
    ("lambda: 0", "syntax error"),
]


@pytest.fixture
def scene_env():
    env = gym.make("SceneSynth-v1", image_size=None)
    env.reset(seed=0, options={"prompt": "a living room"})
    env.step('add("sofa", at=(2, 1))')
    yield env
    env.close()


@pytest.mark.parametrize(("text", "fragment"), DSL_GARBAGE, ids=[f"dsl{i}" for i in range(len(DSL_GARBAGE))])
def test_scene_env_rejects_garbage_with_feedback_and_keeps_the_scene(scene_env, tmp_path, text, fragment):
    before = scene_env.unwrapped.scene.to_json()
    obs, reward, terminated, truncated, info = scene_env.step(text.replace("{tmp}", str(tmp_path)))
    assert fragment in obs["feedback"]
    assert scene_env.unwrapped.scene.to_json() == before
    assert reward == 0.0 and not terminated
    assert not (tmp_path / MARKER).exists()
    assert scene_env.observation_space.contains(obs)


@pytest.mark.parametrize("action", [None, 42, 3.5, ["add('sofa')"], {"a": 1}, b"\xff\xfe", np.zeros(3)])
def test_scene_env_non_text_actions_are_explained(scene_env, action):
    before = scene_env.unwrapped.scene.to_json()
    obs, *_ = scene_env.step(action)
    assert obs["feedback"].startswith(("invalid action, nothing was run: expected the action as text",
                                       "invalid action, nothing was run: syntax error", "empty program"))
    assert scene_env.unwrapped.scene.to_json() == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_scene_env_survives_any_text(scene_env, text):
    obs, reward, *_ = scene_env.step(text)
    assert np.isfinite(reward) and scene_env.observation_space.contains(obs)


@pytest.mark.parametrize(
    ("action", "fragment"),
    [
        ("[{\"tool\": \"addCrowd\", \"args\": {}}]", "did you mean 'add_crowd'"),
        ("[{\"tool\": \"add_objects\", \"args\": {\"category\": \"sofa\", \"count\": \"3\"}}]", "args.count"),
        ("[{\"tool\": \"add_objects\", \"args\": {\"category\": \"sofa\", \"count\": NaN}}]", "NaN"),
        ("[{\"tool\": \"init_room\", \"args\": {\"room_type\": \"bedroom\", \"width\": 1e308}}]", "width"),
        ("[{\"tool\": \"init_room\"", "trajectory"),
        ("not json at all", "trajectory"),
        ("{\"x\": 1}", "trajectory"),
        ("[1, 2, 3]", "call 0"),
        ("x" * 1_000_000, "trajectory"),
        (f"[{{\"tool\": \"__import__('os').system('touch {MARKER}')\"}}]", "unknown tool"),
        (None, "expected the action as text"),
    ],
)
def test_trajectory_env_rejects_malformed_trajectories_before_running_anything(action, fragment):
    env = gym.make("SceneSynthTrajectory-v1")
    try:
        env.reset(seed=0)
        before = env.unwrapped.scene.to_json()
        obs, reward, terminated, _, info = env.step(action)
        assert not info["valid"] and fragment in info["error"] and fragment in obs["feedback"]
        assert reward == env.unwrapped.invalid_penalty == -1.0 and terminated
        assert env.unwrapped.scene.to_json() == before
    finally:
        env.close()


def test_trajectory_env_names_the_bad_call_and_runs_nothing_of_a_partly_valid_trajectory():
    env = gym.make("SceneSynthTrajectory-v1", invalid_penalty=-5.0)
    try:
        env.reset(seed=0)
        before = env.unwrapped.scene.to_json()
        calls = [{"tool": "init_layout", "args": {}}, {"tool": "add_objects", "args": {"category": "sofa", "size": [1, 2]}}]
        _, reward, _, _, info = env.step(json.dumps(calls))
        assert reward == -5.0
        assert (info["error_index"], info["error_tool"], info["error_field"]) == (1, "add_objects", "args.size")
        assert env.unwrapped.scene.to_json() == before
    finally:
        env.close()


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.floats() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                    max_leaves=20))
def test_tool_step_env_survives_any_json(value):
    env = gym.make("SceneSynthToolStep-v1", image_size=None)
    try:
        env.reset(seed=0)
        before = env.unwrapped.scene.to_json()
        obs, reward, *_ , info = env.step(json.dumps(value))
        assert np.isfinite(reward) and env.observation_space.contains(obs)
        if not info["valid"]:
            assert env.unwrapped.scene.to_json() == before and info["error"]
    finally:
        env.close()


@pytest.mark.parametrize(
    "action",
    [{"point": [np.nan, 0.5], "asset": "a mug"}, {"point": [1e308, 0.5], "asset": "a mug"},
     {"point": [0.5, 0.5], "asset": ""}, {"point": [0.5, 0.5], "asset": "x" * 1_000_000},
     {"point": "middle", "asset": "a mug"}, {"asset": "a mug"}, "a mug", None,
     {"point": [0.5, 0.5], "asset": "a grand piano ☃"}, {"point": [0.5, 0.5], "asset": "a sofa"}],
)
def test_asset_env_rejects_bad_actions_with_a_reason(action):
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    try:
        env.reset(seed=0)
        before = env.unwrapped.scene.to_json()
        obs, reward, _, _, info = env.step(action)
        assert not info["applied"] and info["error"]
        assert obs["feedback"].startswith(("rejected", "invalid action, nothing was run"))
        assert env.unwrapped.scene.to_json() == before
    finally:
        env.close()


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100), st.text(st.characters(blacklist_characters="<>\"'"), min_size=1, max_size=40).filter(str.strip))
def test_molmo_points_parse_back_to_the_numbers_written(x, y, label):
    text = f'Sure! <point x="{x!r}" y="{y!r}" alt="thing">{label}</point> done'
    point, desc = parse_point(text)
    assert np.allclose(point, [x / 100, y / 100], atol=1e-6)
    assert desc == " ".join(label.split())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_molmo_parser_raises_only_its_own_error(text):
    try:
        point, desc = parse_point(text)
    except SceneGymError:
        return
    assert point.shape == (2,) and ((0 <= point) & (point <= 1)).all() and desc


def test_molmo_wrapper_places_and_explains():
    env = MolmoPointAction(gym.make("SceneSynthAsset-v2", image_size=None))
    try:
        env.reset(seed=0)
        _, _, _, _, info = env.step('<point x="50" y="50" alt="mug">a coffee mug</point>')
        assert info["applied"], info["error"]
        _, _, _, _, info = env.step('<point x="150" y="50">a mug</point>')
        assert not info["applied"] and not info["valid"] and "[0, 100]" in info["error"]
        _, _, terminated, _, _ = env.step("done")
        assert terminated
    finally:
        env.close()


def test_asset_env_takes_any_catalog_receptacle_and_names_a_bad_one():
    import gymnasium as gym

    from scene_gym.errors import SceneGymError

    env = gym.make("SceneSynthAsset-v2", image_size=(32, 32)).unwrapped
    obs, info = env.reset(seed=0, options={"receptacle": "storage_shelf"})
    assert info["receptacle"] == "storage_shelf_1" and "storage shelf" in obs["prompt"]
    for bad in ("cup", "sofaa", "rug"):
        with pytest.raises(SceneGymError, match=repr(bad)):
            env.reset(seed=0, options={"receptacle": bad})
    env.close()
