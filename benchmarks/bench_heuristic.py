"""The heuristic planner per room type: mean #Obj, #OB (out of bounds), #CN (colliding pairs), the offline judge's
grades, and wall time per scene.

Usage: python benchmarks/bench_heuristic.py [--seeds 5] [--rooms all|quality|TYPE ...] [--env tools|trajectory]
       [--json PATH]

Each scene is "Design me a <room type>" with seeds 0..N-1. ``--env tools`` (default) plans and applies the tool
calls directly (:func:`scene_gym.agents.heuristic.check.build`); ``--env trajectory`` runs one episode of
``SceneSynthTrajectory-v1`` with :class:`~scene_gym.agents.heuristic.HeuristicPolicy` (its reward computes the
judge too, so it is slower). ``plan+build s`` is the median wall time per scene of planning and building (the
judge not included); ``judge s`` the median time of the metrics plus the offline judge. ``--rooms quality``:
the ten room types of the issue's quality bar (default); ``all``: every room type with a prior.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

QUALITY = ("bedroom", "living room", "kitchen", "gym", "restaurant", "bathroom", "children room", "meeting room",
           "office", "waiting room")  # fmt: skip
GRADES = ("realism", "functionality", "layout", "completeness", "q")


def scene_for(room: str, seed: int, mode: str, world, env=None):
    from scene_gym.agents import make_policy, run_episode
    from scene_gym.agents.heuristic.check import build

    prompt = f"Design me a {room}"
    if mode == "tools":
        scene, _, _ = build(prompt, seed=seed, world=world)
        return scene
    run_episode(env, make_policy("heuristic", seed), seed=seed, options={"prompt": prompt})
    return env.unwrapped.scene.copy()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--rooms", nargs="+", default=["quality"])
    ap.add_argument("--env", choices=("tools", "trajectory"), default="tools")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)

    import gymnasium as gym
    from tqdm import tqdm

    import scene_gym  # noqa: F401
    from scene_gym.assets.room_priors import room_types
    from scene_gym.metrics import evaluate
    from scene_gym.physics import PhysicsWorld
    from scene_gym.rewards import RewardContext, make_judge

    rooms = list(QUALITY) if args.rooms == ["quality"] else list(room_types()) if args.rooms == ["all"] else args.rooms
    world = PhysicsWorld()
    judge = make_judge("offline")
    env = gym.make("SceneSynthTrajectory-v1") if args.env == "trajectory" else None
    rows = []
    try:
        for room in tqdm(rooms, desc="rooms", unit="room"):
            per = {"n_obj": [], "n_oob": [], "n_collisions": [], "build_s": [], "judge_s": [], **{g: [] for g in GRADES}}
            for seed in range(args.seeds):
                t0 = time.perf_counter()
                scene = scene_for(room, seed, args.env, world, env)
                t1 = time.perf_counter()
                m = evaluate(scene, world)
                keys = judge.judge(scene, RewardContext(prompt=scene.prompt, world=world)).keys()
                t2 = time.perf_counter()
                per["n_obj"].append(m.n_obj)
                per["n_oob"].append(m.n_oob)
                per["n_collisions"].append(m.n_collisions)
                per["build_s"].append(t1 - t0)
                per["judge_s"].append(t2 - t1)
                for g in GRADES:
                    per[g].append(float(keys[g]))
            row = {"room": room, "scenes": args.seeds}
            for k, v in per.items():
                row[k] = statistics.median(v) if k.endswith("_s") else statistics.fmean(v)
            rows.append(row)
    finally:
        world.close()
        judge.close()
        if env is not None:
            env.close()
    head = (f"{'room type':<26}{'#Obj':>6}{'#OB':>5}{'#CN':>5}{'real':>6}{'func':>6}{'layout':>7}{'compl':>6}{'Q':>7}"
            f"{'plan+build s':>13}{'judge s':>8}")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['room']:<26}{r['n_obj']:>6.1f}{r['n_oob']:>5.1f}{r['n_collisions']:>5.1f}{r['realism']:>6.2f}"
              f"{r['functionality']:>6.2f}{r['layout']:>7.2f}{r['completeness']:>6.2f}{r['q']:>7.2f}"
              f"{r['build_s']:>13.3f}{r['judge_s']:>8.3f}")  # fmt: skip
    mean = {k: statistics.fmean(r[k] for r in rows) for k in rows[0] if k not in ("room", "scenes")}
    print(f"{'mean':<26}{mean['n_obj']:>6.1f}{mean['n_oob']:>5.1f}{mean['n_collisions']:>5.1f}{mean['realism']:>6.2f}"
          f"{mean['functionality']:>6.2f}{mean['layout']:>7.2f}{mean['completeness']:>6.2f}{mean['q']:>7.2f}"
          f"{mean['build_s']:>13.3f}{mean['judge_s']:>8.3f}")  # fmt: skip
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps({"env": args.env, "seeds": args.seeds, "rows": rows, "mean": mean}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
