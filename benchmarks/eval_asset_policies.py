"""Paired evaluation of placement policies on the asset suite: heuristic against random, scored by reward specs.

Usage: python benchmarks/eval_asset_policies.py [--suite asset] [--seeds 5] [--policies heuristic random]
       [--rewards q physical asset] [--entries ID ...] [--max-steps 20] [--json PATH]

Every (entry, seed) of the suite is run once per policy in ``SceneSynthAsset-v2`` without images (the entry's
receptacle and prompt as reset options, the policy seeded with the seed); the final scene is kept and scored by
each reward spec (:func:`scene_gym.rewards.make_reward`) with the entry's task spec. A reward that does not
exist in this checkout (``asset`` before it is merged) is skipped with a message. Per reward it prints the mean
± standard error of each policy, the paired difference of the first policy minus the second over the (entry,
seed) pairs with a 95% t interval (and a seeded bootstrap interval), and the relative gain over the second
policy's mean. ``--json`` writes the summary and every per-pair score and scene.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path


def rollouts(suite, entries, seeds: int, policies: list[str], max_steps: int) -> list[dict]:
    """One finished episode per (entry, seed, policy): ``{"entry", "receptacle", "seed", "policy", "scene",
    "placements", "steps"}`` (the scene as its JSON dict)."""
    import gymnasium as gym

    from scene_gym.agents import make_policy, run_episode
    from scene_gym.envs.kinds import get_kind

    env_id = get_kind(suite.env_kinds[0]).env_id
    env = gym.make(env_id, image_size=None, max_steps=max_steps)
    rows = []
    try:
        for e in entries:
            for seed in range(seeds):
                for name in policies:
                    policy = make_policy(name, seed, kind=suite.env_kinds[0])
                    ro = run_episode(env, policy, seed=seed, options={"receptacle": e.receptacle, "prompt": e.prompt})
                    last = ro.steps[-1].info if ro.steps else {}
                    rows.append({"entry": e.id, "receptacle": e.receptacle, "seed": seed, "policy": name,
                                 "placements": int(last.get("placements", 0)), "steps": len(ro.steps),
                                 "scene": env.unwrapped.scene.to_dict()})  # fmt: skip
    finally:
        env.close()
    return rows


def available_rewards(names: list[str]) -> dict:
    """name -> Reward for the specs that exist here; the others are reported on stderr and skipped."""
    from scene_gym.rewards import make_reward

    out = {}
    for name in names:
        try:
            out[name] = make_reward(name)
        except Exception as err:  # noqa: BLE001 - an unknown or unbuildable reward is skipped, not fatal
            print(f"skipping reward {name!r}: not available in this checkout ({err})", file=sys.stderr)
    return out


def score(rows: list[dict], rewards: dict, suite) -> None:
    """Add ``scores[name]`` to each row: the reward's value of its final scene."""
    from scene_gym.physics import PhysicsWorld
    from scene_gym.rewards import RewardContext
    from scene_gym.scene import Scene

    specs = {e.id: e.task_spec() for e in suite.entries}
    world = PhysicsWorld()
    for row in rows:
        scene = Scene.from_dict(row["scene"])
        row["scores"] = {}
        for name, reward in rewards.items():
            ctx = RewardContext(prompt=scene.prompt, spec=specs[row["entry"]], world=world)
            row["scores"][name] = float(reward(scene, ctx).value)


def _t95(n: int) -> float:
    try:
        from scipy.stats import t

        return float(t.ppf(0.975, n - 1))
    except ImportError:  # scipy is optional: the normal quantile
        return 1.96


def paired_summary(rows: list[dict], reward: str, a: str, b: str, boot: int = 10_000) -> dict:
    """Means ± SE of policies ``a`` and ``b`` under ``reward``, and their paired difference a - b."""
    import numpy as np

    by = {(r["entry"], r["seed"], r["policy"]): r["scores"][reward] for r in rows if reward in r.get("scores", {})}
    keys = sorted({(e, s) for e, s, p in by if p == a and (e, s, b) in by})
    xa = np.array([by[(e, s, a)] for e, s in keys])
    xb = np.array([by[(e, s, b)] for e, s in keys])
    n = len(keys)
    out = {"reward": reward, "pairs": n}
    for name, x in ((a, xa), (b, xb)):
        out[name] = {"mean": float(x.mean()) if n else math.nan,
                     "se": float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan}  # fmt: skip
    d = xa - xb
    mean = float(d.mean()) if n else math.nan
    se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    half = _t95(n) * se if n > 1 else math.nan
    rng = np.random.default_rng(0)
    means = d[rng.integers(0, n, size=(boot, n))].mean(1) if n > 1 else np.array([mean])
    out["diff"] = {"mean": mean, "se": se, "ci95_t": [mean - half, mean + half],
                   "ci95_bootstrap": [float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))],
                   "wins": int((d > 0).sum()), "ties": int((d == 0).sum()), "losses": int((d < 0).sum())}  # fmt: skip
    base = out[b]["mean"]
    out["relative_gain"] = mean / abs(base) if n and base else math.nan
    return out


def report(summary: list[dict], a: str, b: str) -> str:
    lines = []
    for s in summary:
        d = s["diff"]
        lines.append(f"{s['reward']} ({s['pairs']} pairs): {a} {s[a]['mean']:.3f} ± {s[a]['se']:.3f}, "
                     f"{b} {s[b]['mean']:.3f} ± {s[b]['se']:.3f}; {a} - {b} = {d['mean']:+.3f} "
                     f"[95% t CI {d['ci95_t'][0]:+.3f}, {d['ci95_t'][1]:+.3f}; bootstrap {d['ci95_bootstrap'][0]:+.3f}, "
                     f"{d['ci95_bootstrap'][1]:+.3f}], wins/ties/losses {d['wins']}/{d['ties']}/{d['losses']}, "
                     f"relative gain {100 * s['relative_gain']:+.1f}% of {b}'s mean")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    from scene_gym.benchmarks import load_suite

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="asset")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--policies", nargs=2, default=["heuristic", "random"], metavar=("A", "B"))
    ap.add_argument("--rewards", nargs="+", default=["q", "physical"])
    ap.add_argument("--entries", nargs="*", default=None, help="entry ids (default: all)")
    ap.add_argument("--max-steps", type=int, default=20)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    suite = load_suite(args.suite)
    if not suite.is_asset:
        ap.error(f"expected a receptacle suite, got {args.suite!r}")
    rewards = available_rewards(args.rewards)
    t0 = time.perf_counter()
    rows = rollouts(suite, suite.select(args.entries), args.seeds, list(args.policies), args.max_steps)
    score(rows, rewards, suite)
    a, b = args.policies
    summary = [paired_summary(rows, name, a, b) for name in rewards]
    print(f"suite {suite.name} v{suite.version}: {len({r['entry'] for r in rows})} entries x {args.seeds} seeds, "
          f"{a} vs {b}, {time.perf_counter() - t0:.0f} s")  # fmt: skip
    print(report(summary, a, b) if summary else "no reward to score with")
    result = {"suite": suite.name, "version": suite.version, "seeds": args.seeds, "policies": [a, b],
              "rewards": list(rewards), "skipped": [r for r in args.rewards if r not in rewards],
              "summary": summary, "rows": rows}  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=float))
    return result


if __name__ == "__main__":
    main()
