"""The heuristic scenes the reward calibration suite (:mod:`scene_gym.rewards.calibration`) damages: the
``template`` suite's 10 room types, built by the heuristic policy in the ``trajectory`` env exactly as the
benchmark runner builds them (same starting room from (seed, entry id), same episode seed), judged against the
entry's task spec.

Building one scene takes about 0.1-0.5 s on one core, so they are built on the fly rather than cached on disk
(a cache would go stale silently whenever the planner or the asset priors change); callers that need them
several times keep the list (the test does, in a module-scoped fixture).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from scene_gym.benchmarks.errors import BenchmarkError


def template_scenes(seeds: Iterable[int] = range(3), *, suite: str = "template", policy: str = "heuristic",
                    env: str = "trajectory") -> list:  # fmt: skip
    """Scenes of every entry of ``suite`` x ``seeds``, as :class:`~scene_gym.rewards.calibration.CalibrationScene`
    named ``"<entry id>/seed_<k>"`` with the entry's task spec, entries in suite order within each seed.

    Args:
        seeds: benchmark seeds (the runner's ``seed``), each >= 0.
        suite: a room suite (:func:`~scene_gym.benchmarks.suites.load_suite`).
        policy: the policy spec (:func:`scene_gym.agents.registry.make_policy`).
        env: the env kind that runs it.
    """
    import gymnasium as gym

    import scene_gym  # noqa: F401 - registers the built-in kinds
    from scene_gym.agents.registry import make_policy
    from scene_gym.agents.rollout import run_episode
    from scene_gym.benchmarks.episode import episode_seed, starting_options
    from scene_gym.benchmarks.suites import load_suite
    from scene_gym.envs.kinds import get_kind
    from scene_gym.rewards.calibration import CalibrationScene

    seeds = [int(s) for s in seeds]
    if any(s < 0 for s in seeds):
        raise BenchmarkError(f"seeds: expected integers >= 0, got {seeds}")
    loaded = load_suite(suite)
    if loaded.is_asset:
        raise BenchmarkError(f"suite: expected a room suite, got {suite!r} (it starts from a receptacle)")
    out = []
    environment = gym.make(get_kind(env).env_id, image_size=None)
    pol = make_policy(policy, seed=0)
    try:
        for seed in seeds:
            for entry in loaded.entries:
                task = {"seed": seed, "entry": dataclasses.asdict(entry)}
                run_episode(environment, pol, seed=episode_seed(task), options=starting_options(task))
                scene = environment.unwrapped.scene.copy()
                out.append(CalibrationScene(f"{entry.id}/seed_{seed}", scene, entry.task_spec()))
    finally:
        environment.close()
    return out
