"""Gymnasium environments over one scene state, one per action granularity.

============================  =================================================================  ====================
id                            action                                                             module
============================  =================================================================  ====================
``SceneSynth-v0``             text: a program in the scene DSL (3D-Generalist, scene level)      ``scene_synth``
``SceneSynthAsset-v0``        point in [0, 1]^2 on a close-up + asset text (3D-Generalist,       ``asset_synth``
                              asset level; Molmo-style text via ``MolmoPointAction``)
``SceneSynthTrajectory-v0``   text: a JSON list of tool calls, run in one shot (SceneOrchestra)  ``trajectory``
``SceneSynthToolStep-v0``     text: one tool call per step with a review (SceneWeaver)           ``tool_step``
``SceneSynthArticulation-v0`` Box(5): gripper delta position, delta yaw, grip (MuJoCo; open a     ``articulation``
                              drawer or door of a generated object)
============================  =================================================================  ====================

Registration happens on ``import scene_gym`` (:func:`register_envs`); it imports no environment module, so
``gym.make("scene_gym:SceneSynth-v0")`` works in a fresh interpreter and ``import scene_gym`` stays cheap.
Numeric wrappers for Stable-Baselines3/RLlib live in :mod:`scene_gym.envs.wrappers`.
"""

from __future__ import annotations

#: id -> (entry point, registration kwargs).
ENVS: dict[str, tuple[str, dict]] = {
    "SceneSynth-v0": ("scene_gym.envs.scene_synth:SceneSynthEnv", {"max_steps": 10}),
    "SceneSynthAsset-v0": ("scene_gym.envs.asset_synth:SceneSynthAssetEnv", {"max_steps": 20}),
    "SceneSynthTrajectory-v0": ("scene_gym.envs.trajectory:SceneSynthTrajectoryEnv", {}),
    "SceneSynthToolStep-v0": ("scene_gym.envs.tool_step:SceneSynthToolStepEnv", {"max_steps": 20}),
    "SceneSynthArticulation-v0": ("scene_gym.envs.articulation:SceneSynthArticulationEnv", {"max_steps": 200}),
}


#: Robot-control environments (continuous actions on a MuJoCo model, not scene edits); tested and benchmarked
#: with the sim package (tests/sim, benchmarks/bench_sim.py) rather than with the scene-synthesis envs.
ROBOT_ENV_IDS: tuple[str, ...] = ("SceneSynthArticulation-v0",)


def scene_synthesis_ids() -> list[str]:
    """The available ids whose actions edit a scene (every id but :data:`ROBOT_ENV_IDS`)."""
    return [i for i in available_ids() if i not in ROBOT_ENV_IDS]


def available_ids() -> list[str]:
    """The registered ids whose modules can be imported here (the tool envs need ``scene_gym.actions.tools``)."""
    import importlib.util

    out = []
    for env_id, (entry, _) in ENVS.items():
        module = entry.split(":")[0]
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:
            found = False
        if found:
            out.append(env_id)
    return out


def register_envs() -> None:
    """Register every id of :data:`ENVS` with Gymnasium (idempotent). The step limit is each env's own
    ``max_steps`` argument, set here through ``kwargs`` (no TimeLimit wrapper)."""
    import gymnasium as gym

    for env_id, (entry, kwargs) in ENVS.items():
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point=entry, kwargs=dict(kwargs), disable_env_checker=False)


__all__ = ["ENVS", "ROBOT_ENV_IDS", "available_ids", "register_envs", "scene_synthesis_ids"]
