"""Shared helpers for the environment tests: the registered ids that can run here and small-image kwargs."""

from __future__ import annotations

import scene_gym  # noqa: F401 - registers the ids
from scene_gym.envs import available_ids

#: Robot environments: their actions are continuous controls, not scene edits, so their contract test (check_env,
#: determinism, async vector env, PPO) lives in tests/sim/test_articulation_env.py.
ROBOT_ENV_IDS = ("SceneSynthArticulation-v0",)

#: Every registered scene-synthesis id; tests/envs/test_env_contract.py runs the contract over each.
ENV_IDS = [i for i in available_ids() if i not in ROBOT_ENV_IDS]

#: Keyword arguments that keep the tests quick: small images where the env has them.
FAST_KWARGS = {
    "SceneSynth-v0": {"image_size": (64, 64)},
    "SceneSynthAsset-v0": {"image_size": (64, 64)},
}


def fast_kwargs(env_id: str) -> dict:
    return dict(FAST_KWARGS.get(env_id, {}))
