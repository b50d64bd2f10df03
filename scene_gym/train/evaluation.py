"""Evaluation shared by the trainers: held-out (prompt, seed) tasks from benchmark suites, greedy episodes of a
policy on each, mean rewards with 95% bootstrap confidence intervals, paired bootstrap differences between
policies evaluated on the same tasks, and the CSV, JSON and plot of a run's results.

The paired bootstrap resamples task indices with replacement ``n_boot`` times (the same indices for both
policies) and takes the 2.5th and 97.5th percentiles of the mean difference; a difference whose interval
excludes 0 is reported as ``significant``.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.errors import SceneGymError


@dataclass(frozen=True)
class Task:
    """One (prompt, seed) pair of a suite.

    Attributes:
        suite: suite name; prompt_id: the entry id; prompt: its text; seed: the suite seed.
        entry: the :class:`~scene_gym.benchmarks.suites.SuiteEntry` as a dict (starting state).
    """

    suite: str
    prompt_id: str
    prompt: str
    seed: int
    entry: dict

    @property
    def episode_seed(self) -> int:
        """The seed for ``env.reset`` and ``policy.reset`` (:func:`~scene_gym.benchmarks.episode.episode_seed`)."""
        from scene_gym.benchmarks.episode import episode_seed

        return episode_seed({"seed": self.seed, "entry": self.entry})

    def options(self) -> dict[str, Any]:
        """``env.reset`` options: the benchmark's starting state for this pair."""
        from scene_gym.benchmarks.episode import starting_options

        return starting_options({"seed": self.seed, "entry": self.entry})


def suite_tasks(suite: str, prompts: int | None = None, seeds: int = 1, offset: int = 0) -> list[Task]:
    """Tasks of a suite: its entries ``offset .. offset + prompts`` (all when None) times seeds ``0 .. seeds-1``,
    prompt-major."""
    from scene_gym.benchmarks.suites import load_suite

    s = load_suite(suite)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise SceneGymError(f"expected seeds as a positive integer, got {seeds!r}")
    entries = s.entries[offset : None if prompts is None else offset + int(prompts)]
    if not entries:
        raise SceneGymError(f"suite {suite!r} has no entries from {offset} (it has {len(s.entries)})")
    return [Task(s.name, e.id, e.prompt, seed, dataclasses.asdict(e)) for e in entries for seed in range(seeds)]


def bootstrap_mean_ci(values, n_boot: int = 2000, seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high) of ``values`` ((N,) floats) with a percentile bootstrap interval at ``level``."""
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        raise SceneGymError("bootstrap: expected at least one value, got none")
    idx = np.random.default_rng(seed).integers(0, x.size, size=(int(n_boot), x.size))
    means = x[idx].mean(axis=1)
    a = (1.0 - level) / 2
    return float(x.mean()), float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def paired_bootstrap(a, b, n_boot: int = 2000, seed: int = 0, level: float = 0.95) -> dict[str, Any]:
    """Mean of ``a - b`` over paired tasks ((N,) floats each) with its paired bootstrap interval:
    ``{"diff", "low", "high", "significant", "n"}``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise SceneGymError(f"paired bootstrap: expected results on the same tasks, got {a.size} and {b.size}")
    diff, low, high = bootstrap_mean_ci(a - b, n_boot, seed, level)
    return {"diff": diff, "low": low, "high": high, "significant": bool(low > 0 or high < 0), "n": int(a.size)}


def run_eval_episode(env, policy, task: Task, max_steps: int) -> dict[str, Any]:
    """One greedy episode of ``policy`` (``act``) on ``task`` in ``env`` (an unwrapped scene env): the final
    reward value, its terms, steps, and how many actions were valid (parsed by the policy without the no-op
    fallback and read by the env) and applied."""
    obs, info = env.reset(seed=task.episode_seed, options=task.options())
    policy.reset(task.episode_seed, kind=info["env_kind"])
    start = float(info["reward_value"])
    steps = valid = applied = 0
    for _ in range(max_steps):
        action = policy.act(obs)
        cands = getattr(policy, "last_candidates", None)
        fallback = bool(cands and cands[0] and cands[0][0].meta.get("fallback"))
        obs, _, terminated, truncated, info = env.step(action)
        steps += 1
        valid += int(bool(info["valid"]) and not fallback)
        applied += int(bool(info["applied"]))
        if terminated or truncated:
            break
    return {"suite": task.suite, "prompt_id": task.prompt_id, "seed": task.seed, "value": float(info["reward_value"]),
            "start": start, "terms": {k: float(v) for k, v in info["reward_terms"].items()}, "steps": steps,
            "valid": valid, "applied": applied}  # fmt: skip


def rollout_result(rollout, task: Task) -> dict[str, Any]:
    """:func:`run_eval_episode`'s record for an episode collected as a :class:`~scene_gym.agents.rollout.Rollout`
    (:func:`scene_gym.train.rollouts.collect_rollouts`, on any executor): the last step's reward value and terms,
    the steps, and how many were valid and applied; ``start`` is not recorded there (None)."""
    last = rollout.steps[-1].info if rollout.steps else {}
    return {"suite": task.suite, "prompt_id": task.prompt_id, "seed": task.seed,
            "value": float(last.get("reward_value", 0.0)), "start": None,
            "terms": {k: float(v) for k, v in last.get("reward_terms", {}).items()}, "steps": len(rollout.steps),
            "valid": sum(bool(s.info.get("valid")) for s in rollout.steps),
            "applied": sum(bool(s.info.get("applied")) for s in rollout.steps)}  # fmt: skip


def run_eval_batch(env, policy, tasks: list[Task], max_steps: int) -> list[dict[str, Any]]:
    """:func:`run_eval_episode` for a text policy on several tasks in lockstep on one unwrapped env (each
    episode's state kept with ``get_state``/``set_state``), so the policy answers each step as one batch
    (``act_batch``). The policy is reset once with the first task's seed (greedy decoding does not use it)."""
    states, observations, results = [], [], []
    for task in tasks:
        obs, info = env.reset(seed=task.episode_seed, options=task.options())
        states.append(env.get_state())
        observations.append(obs)
        results.append({"suite": task.suite, "prompt_id": task.prompt_id, "seed": task.seed,
                        "value": float(info["reward_value"]), "start": float(info["reward_value"]),
                        "terms": {k: float(v) for k, v in info["reward_terms"].items()}, "steps": 0, "valid": 0,
                        "applied": 0})  # fmt: skip
    if tasks:
        policy.reset(tasks[0].episode_seed, kind=info["env_kind"])
    active = list(range(len(tasks)))
    for _ in range(max_steps):
        if not active:
            break
        actions = policy.act_batch([observations[i] for i in active])
        cands = getattr(policy, "last_candidates", None) or [[]] * len(active)
        still = []
        for j, i in enumerate(active):
            env.set_state(states[i])
            observations[i], _, terminated, truncated, info = env.step(actions[j])
            states[i] = env.get_state()
            fallback = bool(cands[j] and cands[j][0].meta.get("fallback"))
            r = results[i]
            r.update(value=float(info["reward_value"]), steps=r["steps"] + 1,
                     terms={k: float(v) for k, v in info["reward_terms"].items()},
                     valid=r["valid"] + int(bool(info["valid"]) and not fallback),
                     applied=r["applied"] + int(bool(info["applied"])))  # fmt: skip
            if not (terminated or truncated):
                still.append(i)
        active = still
    return results


def summarise(name: str, episodes: list[dict], n_boot: int = 2000, seed: int = 0) -> dict[str, Any]:
    """One results row: mean final reward with its 95% CI, valid and applied shares of actions, mean terms."""
    mean, low, high = bootstrap_mean_ci([e["value"] for e in episodes], n_boot, seed)
    steps = sum(e["steps"] for e in episodes) or 1
    terms = sorted({k for e in episodes for k in e["terms"]})
    return {"policy": name, "n": len(episodes), "mean": mean, "ci_low": low, "ci_high": high,
            "valid_share": sum(e["valid"] for e in episodes) / steps,
            "applied_share": sum(e["applied"] for e in episodes) / steps,
            **{f"term_{k}": float(np.mean([e["terms"].get(k, 0.0) for e in episodes])) for k in terms}}  # fmt: skip


def write_results(out_dir: str | Path, evaluations: dict[str, list[dict]], pairs: list[tuple[str, str]],
                  n_boot: int = 2000, seed: int = 0) -> dict[str, Any]:  # fmt: skip
    """Write ``results.csv`` (one row per policy), ``comparisons.csv`` (paired differences ``a - b`` for each
    (a, b) in ``pairs`` present in ``evaluations``), ``results.json`` (both, plus per-task values) and
    ``reward_per_round.png`` under ``out_dir``; returns the JSON content."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = [summarise(name, eps, n_boot, seed) for name, eps in evaluations.items()]
    comps = []
    for a, b in pairs:
        if a in evaluations and b in evaluations:
            va = [e["value"] for e in evaluations[a]]
            vb = [e["value"] for e in evaluations[b]]
            comps.append({"a": a, "b": b, **paired_bootstrap(va, vb, n_boot, seed)})
    for path, table in ((out / "results.csv", rows), (out / "comparisons.csv", comps)):
        keys = sorted({k for r in table for k in r}, key=lambda k: (k not in ("policy", "a", "b"), k))
        with open(path, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            w.writerows(table)
    data = {"results": rows, "comparisons": comps,
            "per_task": {n: [e["value"] for e in eps] for n, eps in evaluations.items()}}  # fmt: skip
    (out / "results.json").write_text(json.dumps(data, indent=1) + "\n")
    plot_results(rows, out / "reward_per_round.png")
    return data


def plot_results(rows: list[dict], path: str | Path) -> Path:
    """A matplotlib plot of mean reward with 95% CI per evaluated policy, in order (untrained, warm start,
    rounds, heuristic)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    x = np.arange(len(rows))
    means = np.array([r["mean"] for r in rows])
    err = np.array([[r["mean"] - r["ci_low"] for r in rows], [r["ci_high"] - r["mean"] for r in rows]])
    ax.errorbar(x, means, yerr=err, fmt="o-", capsize=4)
    ax.set_xticks(x, [r["policy"] for r in rows], rotation=20)
    ax.set_ylabel("mean final reward (95% CI)")
    ax.set_title("self-improvement: reward per round")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)
