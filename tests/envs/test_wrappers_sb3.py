"""Numeric wrappers: the discrete DSL actions, the image-only observation, SB3's check_env and a short PPO run."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

import scene_gym  # noqa: F401
from scene_gym.envs.wrappers import DEFAULT_CATEGORIES, DiscreteSceneActions, ImageObservation


def make_numeric(image=32, max_steps=10):
    return ImageObservation(DiscreteSceneActions(gym.make("SceneSynth-v1", image_size=(image, image),
                                                          max_steps=max_steps, reward="physical")))


def test_discrete_actions_write_the_dsl_they_describe():
    env = DiscreteSceneActions(gym.make("SceneSynth-v1", image_size=None), grid=4, yaw_bins=4)
    env.reset(seed=0, options={"prompt": "a living room"})
    w, d = env.unwrapped.scene.room.bounds
    assert env.action_space.nvec.tolist() == [5, len(DEFAULT_CATEGORIES), 4, 4, 4]
    text = env.action(np.array([0, 0, 1, 2, 1]))
    assert text == f'add("sofa", at=({1.5 * w / 4:.3f}, {2.5 * d / 4:.3f}), yaw=90)'
    env.step(np.array([0, 0, 1, 2, 1]))
    assert env.action(np.array([1, 0, 0, 0, 0])).startswith('move("sofa_1", to=(')
    assert env.action(np.array([2, 0, 0, 0, 2])) == 'rotate("sofa_1", yaw=180)'
    assert env.action(np.array([3, 1, 0, 0, 0])) == 'remove("armchair_1")'
    _, _, terminated, _, _ = env.step(np.array([4, 0, 0, 0, 0]))
    assert terminated
    env.close()


def test_image_observation_keeps_only_the_image():
    env = make_numeric()
    obs, _ = env.reset(seed=1)
    assert obs.shape == (32, 32, 3) and obs.dtype == np.uint8 and env.observation_space.contains(obs)
    with pytest.raises(scene_gym.SceneGymError, match="image"):
        ImageObservation(gym.make("SceneSynth-v1", image_size=None))
    env.close()


def test_sb3_check_env_passes_on_the_wrapped_env():
    sb3 = pytest.importorskip("stable_baselines3")
    from stable_baselines3.common.env_checker import check_env

    env = make_numeric()
    check_env(env, warn=True)
    env.close()
    assert sb3.__version__


def test_ppo_trains_on_images_and_acts_validly():
    """PPO runs on the image wrappers; that it learns is tested on GridFurnishTask (tests/examples/test_sb3_ppo.py)."""
    pytest.importorskip("stable_baselines3")
    import torch
    from stable_baselines3 import PPO

    torch.set_num_threads(1)
    env = make_numeric(image=32)
    model = PPO("MlpPolicy", env, n_steps=64, batch_size=32, n_epochs=2, seed=0, verbose=0, device="cpu")
    model.learn(total_timesteps=128)
    assert model.num_timesteps == 128
    obs, _ = env.reset(seed=3)
    action, _ = model.predict(obs, deterministic=True)
    assert env.action_space.contains(action)
    _, reward, *_ = env.step(action)
    assert np.isfinite(reward)
    env.close()
