"""SceneSynthAsset-v2's ``surfaces`` observation: the receptacle's support polygons in the room frame."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from scene_gym.assets import build_asset
from scene_gym.envs.asset_synth import MAX_SURFACES


@pytest.mark.parametrize("receptacle", ["desk", "bookshelf", "coffee_table"])
def test_surfaces_match_the_receptacle_asset_transformed(receptacle):
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    obs, _ = env.reset(seed=3, options={"receptacle": receptacle})
    assert env.observation_space["surfaces"].shape == (MAX_SURFACES, 4, 3)
    assert env.observation_space.contains(obs)
    obj = env.unwrapped.scene.get(env.unwrapped.receptacle)
    surfs = [s for s in build_asset(obj.category, obj.size, obj.params, obj.seed).surfaces if s.link == "base"]
    n = int(obs["surface_count"])
    assert n == min(len(surfs), MAX_SURFACES) and n >= 1
    assert not obs["surfaces"][n:].any()
    t = obj.transform()
    for poly, s in zip(obs["surfaces"][:n], surfs, strict=False):
        local = (np.linalg.inv(t) @ np.c_[poly, np.ones(4)].T).T[:, :3]
        assert np.allclose(local.mean(0), s.center, atol=1e-4)
        assert np.allclose(np.ptp(local[:, :2], axis=0), s.size, atol=1e-4)
        assert np.allclose(local[:, 2], s.center[2], atol=1e-4)
        assert local[0, 1] < s.center[1] and local[2, 1] > s.center[1]  # 0-1 back edge, 2-3 front edge
    env.close()


def test_surfaces_survive_a_checkpoint():
    env = gym.make("SceneSynthAsset-v2", image_size=None).unwrapped
    env.reset(seed=0, options={"receptacle": "dining_table"})
    state = env.get_state()
    first = env._extra_obs()["surfaces"].copy()
    env.reset(seed=1, options={"receptacle": "nightstand"})
    env.set_state(state)
    assert np.array_equal(env._extra_obs()["surfaces"], first)
    env.close()
