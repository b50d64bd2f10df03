"""Shared helpers for the environment tests: the registered ids that can run here and small-image kwargs."""

from __future__ import annotations

import scene_gym  # noqa: F401 - registers the ids
from scene_gym.envs import available_ids

#: Every registered id whose module is importable (the tool envs need scene_gym.actions.tools).
ENV_IDS = available_ids()

#: Keyword arguments that keep the tests quick: small images where the env has them.
FAST_KWARGS = {
    "SceneSynth-v0": {"image_size": (64, 64)},
    "SceneSynthAsset-v0": {"image_size": (64, 64)},
}


def fast_kwargs(env_id: str) -> dict:
    return dict(FAST_KWARGS.get(env_id, {}))
