"""Gymnasium environments over one scene state, one per action granularity, on one shell.

The kinds (short name, id, action format, starting state) are declared once, in :mod:`scene_gym.envs.kinds`;
:data:`ENV_KINDS` is what agents, benchmarks and the CLI read. Every scene env is a thin subclass of
:class:`scene_gym.envs.shell.SceneEnv`, which owns reset, the physics world, the renderer, the reward, the step
transaction, checkpoints and the ``info`` vocabulary; the subclass adds its action decoding and observation
fields.

Registration happens on ``import scene_gym`` (:func:`register_envs`); it imports no environment module, so
``gym.make("scene_gym:SceneSynth-v1")`` works in a fresh interpreter and ``import scene_gym`` stays cheap.
Numeric wrappers for Stable-Baselines3/RLlib live in :mod:`scene_gym.envs.wrappers`.
"""

from __future__ import annotations

from scene_gym.envs.kinds import (
    ENV_KINDS,
    EnvKind,
    get_kind,
    kind_of,
    register_envs,
    register_kind,
    scene_kinds,
    unregister_kind,
)

__all__ = ["ENV_KINDS", "EnvKind", "get_kind", "kind_of", "register_envs", "register_kind", "scene_kinds",
           "unregister_kind"]  # fmt: skip
