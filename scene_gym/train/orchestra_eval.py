"""Evaluation of SceneOrchestra's orchestrators on held-out (prompt, seed) pairs, in ``SceneSynthTrajectory-v1``.

Each evaluated policy writes one trajectory per pair, greedy (or best-of-K), which the env validates and runs.
Per episode: ``value`` is the env's reward, i.e. SceneOrchestra's composition score C = Q - 0.05 T from the
empty room (T the tools' nominal minutes, not generation time), -1 for an invalid trajectory; ``terms`` carry
``q`` (Q = 0.1 Q_phy + Q_vis of the offline judge), ``minutes``, ``n_obj``, ``n_oob``, ``n_collisions`` and
``calls``; ``valid`` is 1 when the answer parsed without falling back to the empty trajectory and the env
accepted it. :func:`scene_gym.train.evaluation.write_results` turns these into means with 95% bootstrap intervals
and paired differences.
"""

from __future__ import annotations

import json
from typing import Any

from scene_gym.train.evaluation import Task


def trajectory_env():
    """An unwrapped ``SceneSynthTrajectory-v1`` with one quality evaluation per trajectory (no images)."""
    import gymnasium as gym

    import scene_gym  # noqa: F401 - registers the env kinds

    return gym.make("SceneSynthTrajectory-v1", per_call_quality=False, image_size=None).unwrapped


def first_observations(env, tasks: list[Task]) -> list[dict]:
    """The first observation of each task (``env.reset`` with the task's seed and starting state)."""
    return [env.reset(seed=t.episode_seed, options=t.options())[0] for t in tasks]


def episode_record(task: Task, action: Any, info: dict, reward: float, fallback: bool) -> dict[str, Any]:
    """One evaluation record (the module docstring's fields) of a trajectory run on ``task``."""
    metrics = info.get("metrics") or {}
    try:
        calls = len(json.loads(action)) if isinstance(action, str) else 0
    except ValueError:
        calls = 0
    terms = {"q": float(info.get("reward_value", 0.0)), "minutes": float(info.get("minutes", 0.0)),
             "n_obj": float(metrics.get("n_obj", 0)), "n_oob": float(metrics.get("n_oob", 0)),
             "n_collisions": float(metrics.get("n_collisions", 0)), "calls": float(calls)}  # fmt: skip
    valid = bool(info.get("valid")) and not fallback
    return {"suite": task.suite, "prompt_id": task.prompt_id, "seed": task.seed, "value": float(reward),
            "start": 0.0, "terms": terms, "steps": 1, "valid": int(valid), "applied": int(bool(info.get("applied")))}  # fmt: skip


def run_trajectories(
    env, tasks: list[Task], actions: list[Any], fallbacks: list[bool]
) -> list[dict[str, Any]]:
    """Run ``actions[i]`` (JSON text of tool calls) on ``tasks[i]``; returns :func:`episode_record` per task."""
    out = []
    for task, action, fallback in zip(tasks, actions, fallbacks, strict=True):
        env.reset(seed=task.episode_seed, options=task.options())
        _, reward, _, _, info = env.step(action)
        out.append(episode_record(task, action, info, reward, fallback))
    return out


def evaluate_policy(env, policy, tasks: list[Task]) -> list[dict[str, Any]]:
    """Episodes of a trajectory ``policy`` on ``tasks``: observations answered as one batch (``act_batch``),
    then each trajectory run. A candidate whose ``meta["fallback"]`` is set counts as not valid."""
    observations = first_observations(env, tasks)
    policy.reset(tasks[0].episode_seed if tasks else 0, kind="trajectory")
    actions = policy.act_batch(observations)
    cands = getattr(policy, "last_candidates", None) or [[]] * len(tasks)
    if len(cands) != len(tasks):
        cands = [[]] * len(tasks)
    fallbacks = [bool(c and c[0].meta.get("fallback")) for c in cands]
    return run_trajectories(env, tasks, actions, fallbacks)


def evaluate_heuristic(env, tasks: list[Task], seed: int, policy: Any = "heuristic") -> list[dict[str, Any]]:
    """The heuristic's episodes on ``tasks`` (its plan seeded per task from ``seed`` and the task's seed);
    ``policy`` is a spec or a heuristic :class:`~scene_gym.agents.Policy` (the compact teacher)."""
    from scene_gym.agents import make_policy

    policy = make_policy(policy, seed=seed, kind="trajectory") if isinstance(policy, str) else policy
    out = []
    for task, obs in zip(tasks, first_observations(env, tasks), strict=True):
        policy.reset(seed * 100003 + task.episode_seed, kind="trajectory")
        out += run_trajectories(env, [task], [policy.act(obs)], [False])
    return out


def comparisons(stages: list[str]) -> list[tuple[str, str]]:
    """The paired differences reported: every stage and the warm start against the untrained model, the full
    pipeline (last stage, then the interleaved round) against SFT only (the last SFT stage), each stage against
    its start, the interleaved round against the last stage, best-of-K against greedy, the heuristic against the
    final policy."""
    sft = [s for s in stages if s.endswith("_sft")]
    chain = ["warm_start", *stages]
    pairs = [(s, "untrained") for s in chain]
    last_sft = sft[-1] if sft else "warm_start"
    pairs += [(s, last_sft) for s in [*stages[stages.index(last_sft) + 1 :], "interleaved"]] if last_sft in stages \
        else [(s, "warm_start") for s in [*stages, "interleaved"]]  # fmt: skip
    pairs += [(b, a) for a, b in zip(chain, chain[1:], strict=False)]
    pairs += [("interleaved", chain[-1]), ("best_of_k", "interleaved"), ("best_of_k", chain[-1]),
              ("heuristic", "interleaved"), ("heuristic", chain[-1]), ("teacher", "interleaved"),
              ("teacher", chain[-1]), ("heuristic", "teacher")]  # fmt: skip
    return list(dict.fromkeys(pairs))
