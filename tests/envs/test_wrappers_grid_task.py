"""GridFurnishTask: the statements it writes, its vector observation, its reward, its errors and SB3's check_env."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scene_gym
from scene_gym.envs.common import PROMPTS
from scene_gym.envs.grid_task import GridFurnishTask, suite_categories, suite_rooms

BEDROOM = [p for p in PROMPTS if p["room"] == "bedroom"]


def make(prompts=None, grid=3, max_steps=6, reward="quality") -> GridFurnishTask:
    env = gym.make("SceneSynth-v1", image_size=None, max_steps=max_steps, reward=reward, prompts=prompts)
    return GridFurnishTask(env, grid=grid)


def test_vocabulary_and_spaces_come_from_the_prompt_suite():
    env = make()
    assert env.categories == suite_categories() and len(env.categories) == 29
    assert {"bed", "nightstand", "wardrobe", "treadmill", "whiteboard"} <= set(env.categories)
    assert env.room_types == suite_rooms() and len(env.room_types) == 12
    assert env.action_space.nvec.tolist() == [30, 9]
    assert env.observation_space.shape == (2 * 29 + 12 + 9 + 1,)
    small = make(BEDROOM)
    assert small.categories == ("bed", "nightstand", "wardrobe") and small.room_types == ("bedroom",)


def test_cells_map_to_wall_placements_and_the_centre_to_a_free_one():
    env = make(BEDROOM)
    env.reset(seed=0)
    w, d = env.unwrapped.scene.room.bounds
    bed = env.categories.index("bed")
    assert env.statement([bed, 0]) == f'add("bed", at=({w / 6:.3f}, {d / 6:.3f}), against="south")'
    assert env.statement([bed, 3]).endswith('against="west")')
    assert env.statement([bed, 5]).endswith('against="east")')
    assert env.statement([bed, 7]) == f'add("bed", at=({w / 2:.3f}, {5 * d / 6:.3f}), against="north")'
    assert env.statement([bed, 4]) == f'add("bed", at=({w / 2:.3f}, {d / 2:.3f}), facing="south")'
    assert env.statement([3, 4]) == "done()"
    _, _, terminated, _, info = env.step([3, 0])
    assert terminated and info["statement"] == "done()"


def test_observation_tracks_requests_presence_and_occupancy():
    env = make(BEDROOM)
    obs, _ = env.reset(seed=0)
    assert env.observation_space.contains(obs)
    # "a double bed, two nightstands and a wardrobe": wanted = requested / 2, nothing present, one room type
    np.testing.assert_allclose(obs[:3], [0.5, 1.0, 0.5])
    np.testing.assert_allclose(obs[3:7], [0, 0, 0, 1])
    assert not obs[7:16].any() and obs[16] == 1.0
    obs, reward, _, _, info = env.step([0, 7])  # a bed against the north wall
    assert info["n_ok"] == 1 and env.unwrapped.scene.by_category("bed")
    np.testing.assert_allclose(obs[:4], [0.0, 1.0, 0.5, 0.25])
    occupancy = obs[7:16].reshape(3, 3)
    assert (
        occupancy[2].max() > 0.2 and occupancy[0].max() == 0.0
    )  # the north row holds it, the south row is free
    assert obs[16] == pytest.approx(5 / 6)
    assert reward > 0 and reward == pytest.approx(info["reward_value"])  # the env's per-step change from 0


def test_rewards_are_the_envs_per_step_change():
    env = make(max_steps=4)
    env.reset(seed=3)
    values, rewards = [0.0], []
    for action in ([0, 0], [5, 2], [10, 6], [20, 8]):
        _, reward, terminated, truncated, info = env.step(action)
        rewards.append(reward)
        values.append(info["reward_value"])
    assert truncated and not terminated
    np.testing.assert_allclose(rewards, np.diff(values), atol=1e-9)


def test_same_seed_same_observations():
    runs = []
    for _ in range(2):
        env = make()
        obs = [env.reset(seed=11)[0]]
        obs += [env.step(a)[0] for a in ([2, 1], [8, 4], [15, 6])]
        runs.append(np.stack(obs))
    np.testing.assert_array_equal(*runs)


def test_bad_arguments_and_actions_raise_naming_the_field_and_change_nothing():
    with pytest.raises(scene_gym.SceneGymError, match="grid"):
        make(grid=1)
    with pytest.raises(scene_gym.SceneGymError, match="categories"):
        GridFurnishTask(gym.make("SceneSynth-v1", image_size=None), categories=())
    with pytest.raises(scene_gym.SceneGymError, match="categories.*'spaceship'"):
        GridFurnishTask(gym.make("SceneSynth-v1", image_size=None), categories=("bed", "spaceship"))
    with pytest.raises(scene_gym.SceneGymError, match="env"):
        GridFurnishTask(gym.make("SceneSynthAsset-v2"))
    env = make(BEDROOM)
    env.reset(seed=0)
    before = env.unwrapped.get_state()
    for bad in ([4, 0], [0, 9], [-1, 0], [0], "add"):
        with pytest.raises(scene_gym.SceneGymError, match="action"):
            env.step(bad)
    assert env.unwrapped.get_state() == before


@pytest.fixture(scope="module")
def bedroom_env():
    env = make(BEDROOM)
    env.reset(seed=0)
    return env


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(-(2**40), 2**40), min_size=0, max_size=3))
def test_any_integer_action_is_a_statement_or_our_error(bedroom_env, values):
    env = bedroom_env
    try:
        text = env.statement(values)
    except scene_gym.SceneGymError as err:
        assert "action" in str(err)
    else:
        assert text == "done()" or text.startswith('add("')
        assert len(values) >= 2 and 0 <= values[0] <= len(env.categories) and 0 <= values[1] < 9


def test_sb3_check_env_passes():
    pytest.importorskip("stable_baselines3")
    from stable_baselines3.common.env_checker import check_env

    check_env(make(BEDROOM), warn=True)
