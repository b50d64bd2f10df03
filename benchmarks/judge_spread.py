"""The offline judge's spread over the template suite: the heuristic policy's final scenes (10 room types x 5
seeds, built exactly as the benchmark runner builds them), judged against each entry's task spec.

Usage: python benchmarks/judge_spread.py [--suite template] [--seeds 5] [--env scene] [--cache DIR] [--json PATH]

Prints per room type the mean and range of Q_vis and the four grades, then the suite's mean and standard
deviation of Q_vis (targets: std >= 0.5, mean <= 9.0), the mean of every functional term, and whether the judge
gave identical grades when run twice on the same scene. ``--cache DIR`` keeps the built scenes as JSON
(``<entry>_<seed>.json``) and reuses them on the next run, so re-judging after a weight change takes seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
from pathlib import Path


def build_scenes(suite_name: str, seeds: int, env_kind: str, cache: Path | None):
    """[(entry, seed, scene)] of the heuristic policy on ``suite_name`` (cached under ``cache`` when given)."""
    import gymnasium as gym

    import scene_gym  # noqa: F401 - registers the env kinds
    from scene_gym.agents.registry import make_policy
    from scene_gym.agents.rollout import run_episode
    from scene_gym.benchmarks.episode import episode_seed, starting_options
    from scene_gym.benchmarks.suites import load_suite
    from scene_gym.envs.kinds import get_kind
    from scene_gym.scene import Scene

    suite = load_suite(suite_name)
    env = None
    policy = make_policy("heuristic", seed=0)
    out = []
    for entry in suite.entries:
        for seed in range(seeds):
            path = cache / f"{entry.id}_{seed}.json" if cache else None
            if path is not None and path.exists():
                scene = Scene.from_json(path.read_text())
            else:
                if env is None:
                    env = gym.make(get_kind(env_kind).env_id, image_size=None)
                task = {"seed": seed, "entry": dataclasses.asdict(entry)}
                run_episode(env, policy, seed=episode_seed(task), options=starting_options(task))
                scene = env.unwrapped.scene.copy()
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(scene.to_json())
            out.append((entry, seed, scene))
            print(f"  built {entry.id} seed {seed}: {len(scene)} objects", file=sys.stderr, flush=True)
    if env is not None:
        env.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="template")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--env", default="scene", help="env kind the heuristic policy runs in")
    ap.add_argument("--cache", type=Path, default=None, help="folder to keep / reuse the built scenes")
    ap.add_argument("--json", type=Path, default=None, help="write every row here")
    args = ap.parse_args(argv)

    from scene_gym.physics import PhysicsWorld
    from scene_gym.rewards import OfflineJudge, RewardContext

    scenes = build_scenes(args.suite, args.seeds, args.env, args.cache)
    world = PhysicsWorld()
    judge = OfflineJudge(world=world)
    rows, deterministic = [], True
    for entry, seed, scene in scenes:
        spec = entry.task_spec()
        res = judge.judge(scene, RewardContext(prompt=entry.prompt, spec=spec, world=world))
        again = judge.judge(scene.copy(), RewardContext(prompt=entry.prompt, spec=spec, world=world))
        deterministic &= res.to_dict() == again.to_dict()
        rows.append({"entry": entry.id, "seed": seed, "n": len(scene), **res.grades.to_dict(), "q_vis": res.q_vis,
                     "q": res.q, "details": res.details})  # fmt: skip
    judge.close()
    world.close()

    grades = ("realism", "functionality", "layout", "completeness", "q_vis")
    print(f"offline judge on {args.suite} (heuristic, {args.env} env, {args.seeds} seeds): mean [min, max]")
    print(f"  {'room':<16}" + "".join(f"{g[:12]:>20}" for g in grades))
    for eid in dict.fromkeys(r["entry"] for r in rows):
        rs = [r for r in rows if r["entry"] == eid]
        cells = [f"{statistics.mean(r[g] for r in rs):6.2f} [{min(r[g] for r in rs):4.1f},{max(r[g] for r in rs):5.1f}]"
                 for g in grades]  # fmt: skip
        print(f"  {eid:<16}" + "".join(f"{c:>20}" for c in cells))
    q = [r["q_vis"] for r in rows]
    mean, std = statistics.mean(q), statistics.pstdev(q)
    print(f"q_vis over {len(q)} scenes: mean {mean:.3f}, std {std:.3f}, min {min(q):.3f}, max {max(q):.3f}")
    print(f"  targets: std >= 0.5 {'met' if std >= 0.5 else 'MISSED'}; mean <= 9.0 {'met' if mean <= 9.0 else 'MISSED'}; "
          f"identical grades for identical scenes: {'yes' if deterministic else 'NO'}")  # fmt: skip
    keys = sorted({k for r in rows for k, v in r["details"].items() if isinstance(v, int | float)})
    print("judge details, mean over the suite:")
    for k in keys:
        vals = [r["details"][k] for r in rows if isinstance(r["details"].get(k), int | float)]
        print(f"  {k:<22} {statistics.mean(vals):7.3f}  (min {min(vals):.3f})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str))
    return 0 if deterministic else 1


if __name__ == "__main__":
    sys.exit(main())
