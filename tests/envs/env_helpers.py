"""Shared helpers for the environment tests: the registered scene kinds, small-image kwargs and the scripted
policies that drive them."""

from __future__ import annotations

import scene_gym  # noqa: F401 - registers the ids
from scene_gym.envs import ENV_KINDS, scene_kinds

#: Every registered scene-editing id; tests/envs/test_env_contract.py runs the contract over each. The robot
#: kind has its contract in tests/sim/test_articulation_env.py.
ENV_IDS = [k.env_id for k in scene_kinds()]
ROBOT_ENV_IDS = [k.env_id for k in ENV_KINDS.values() if not k.edits_scene]

#: Keyword arguments that keep the tests quick: small images where the env has them.
FAST_KWARGS = {
    "SceneSynth-v1": {"image_size": (64, 64)},
    "SceneSynthAsset-v2": {"image_size": (64, 64)},
}


def fast_kwargs(env_id: str) -> dict:
    return dict(FAST_KWARGS.get(env_id, {}))


def policy_for(env_id: str, seed: int = 0):
    """``obs -> action``: the scripted policy for the env's kind."""
    from scene_gym.agents.scripted import scripted_policy
    from scene_gym.envs import get_kind

    kind = get_kind(env_id)
    policy = scripted_policy(kind.name, seed=seed)
    return lambda obs: policy.act(obs, kind=kind)
