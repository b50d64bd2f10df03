"""Shared helpers for the environment tests: the registered ids that can run here and small-image kwargs."""

from __future__ import annotations

import scene_gym  # noqa: F401 - registers the ids
from scene_gym.envs import ROBOT_ENV_IDS, scene_synthesis_ids  # noqa: F401 - ROBOT_ENV_IDS re-exported

#: Every registered scene-synthesis id; tests/envs/test_env_contract.py runs the contract over each. The robot
#: envs (ROBOT_ENV_IDS) have theirs in tests/sim/test_articulation_env.py.
ENV_IDS = scene_synthesis_ids()

#: Keyword arguments that keep the tests quick: small images where the env has them.
FAST_KWARGS = {
    "SceneSynth-v0": {"image_size": (64, 64)},
    "SceneSynthAsset-v0": {"image_size": (64, 64)},
}


def fast_kwargs(env_id: str) -> dict:
    return dict(FAST_KWARGS.get(env_id, {}))
