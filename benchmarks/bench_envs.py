"""Environment throughput: steps per second of every registered env with a scripted policy, with and without image
observations, and async vectorisation with 2 workers against 1.

Usage: python benchmarks/bench_envs.py [--steps 200] [--repeat 5] [--envs ID ...] [--json PATH]

Cases (medians over ``--repeat`` runs of ``--steps`` steps each, after one warm-up run; episodes reset when they
end, resets included in the time):

- ``<id> no-image``: ``image_size=None``; ``<id> image256``: 256 x 256 image observations (SceneSynth-v1: the
  2 x 2 composite; SceneSynthAsset-v2: the close-up; SceneSynthToolStep-v1: the top-down with ids; the
  trajectory env has no default image and is measured with ``image_size=None`` only).
- ``vector async xK``: ``gym.make_vec(id, K, vectorization_mode="async")`` for K = 1 and 2, env steps per
  second summed over workers; ``ratio`` = 2 workers / 1 worker.

The policies are those of :mod:`scene_gym.agents.scripted` (SceneSynth-v1: 1-2 DSL statements per step with
explicit positions; the trajectory env: ten-call trajectories, so its steps/s is trajectories/s).

BLAS thread pools are limited to one thread per process (``OPENBLAS_NUM_THREADS=1`` etc., unless already set):
with the default pools every worker spins threads on every core and 2 async workers ran no faster than 1 on a
2-core machine. Set them the same way when running vector envs.

Targets (issue 5): SceneSynth-v1 >= 200 steps/s without images and >= 20 with 256 x 256 images; the trajectory
env >= 5 ten-call trajectories/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy is imported; inherited by vector workers

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGETS = {("SceneSynth-v1", "no-image"): 200.0, ("SceneSynth-v1", "image256"): 20.0,
           ("SceneSynthTrajectory-v1", "no-image"): 5.0}  # fmt: skip


def run_single(env_id: str, image, steps: int, seed: int) -> float:
    """Steps per second of one env over ``steps`` steps."""
    import gymnasium as gym

    from scene_gym.agents.scripted import scripted_policy

    env = gym.make(env_id, image_size=image)
    policy = scripted_policy(env_id, seed)
    obs, _ = env.reset(seed=seed)
    t = time.perf_counter()
    for _ in range(steps):
        obs, _, terminated, truncated, _ = env.step(policy.act(obs))
        if terminated or truncated:
            obs, _ = env.reset()
    rate = steps / (time.perf_counter() - t)
    env.close()
    return rate


def _batch(actions):
    if isinstance(actions[0], dict):
        return {"point": np.stack([a["point"] for a in actions]), "asset": tuple(a["asset"] for a in actions)}
    return tuple(actions)


def run_vector(env_id: str, image, workers: int, steps: int, seed: int) -> float:
    """Env steps per second (summed over workers) of an async vector env; auto-reset by the vector env."""
    import gymnasium as gym

    from scene_gym.agents.scripted import scripted_policy

    envs = gym.make_vec(env_id, workers, vectorization_mode="async", image_size=image)
    try:
        policies = [scripted_policy(env_id, seed + i) for i in range(workers)]
        obs, _ = envs.reset(seed=seed)
        envs.step(_batch([p.act({k: v[i] for k, v in obs.items()}) for i, p in enumerate(policies)]))  # warm
        t = time.perf_counter()
        for _ in range(steps):
            singles = [{k: v[i] for k, v in obs.items()} for i in range(workers)]
            obs, *_ = envs.step(_batch([p.act(o) for p, o in zip(policies, singles, strict=True)]))
        return workers * steps / (time.perf_counter() - t)
    finally:
        envs.close()


def median_rate(fn, repeat: int) -> float:
    fn()  # warm-up: imports, asset and shape caches, renderer start
    return statistics.median(fn() for _ in range(repeat))


def main(argv=None) -> dict:
    import scene_gym  # noqa: F401
    from scene_gym.envs.kinds import scene_kinds

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200, help="steps per timed run")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (median reported)")
    parser.add_argument("--envs", nargs="*", default=None, help="env ids (default: every available id)")
    parser.add_argument("--vector-envs", nargs="*", default=["SceneSynth-v1", "SceneSynthTrajectory-v1"])
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    from tqdm import tqdm

    ids = args.envs or [k.env_id for k in scene_kinds()]
    cases = []
    for env_id in ids:
        images = [("no-image", None)] + ([] if env_id == "SceneSynthTrajectory-v1" else [("image256", (256, 256))])
        cases += [("single", env_id, label, image) for label, image in images]
    for env_id in [e for e in args.vector_envs if e in ids]:
        for label, image in [("no-image", None)] + ([] if env_id == "SceneSynthTrajectory-v1" else [("image256", (256, 256))]):
            cases += [("vector", env_id, label, image)]
    rows = []
    vec_steps = max(10, args.steps // 4)
    for kind, env_id, label, image in tqdm(cases, desc="bench_envs"):
        if kind == "single":
            steps = max(5, args.steps // 10) if env_id == "SceneSynthTrajectory-v1" else args.steps
            rate = median_rate(lambda e=env_id, i=image, s=steps: run_single(e, i, s, 0), args.repeat)
            rows.append({"env": env_id, "case": label, "steps_per_s": round(rate, 2),
                         "target": TARGETS.get((env_id, label))})  # fmt: skip
        else:
            steps = max(3, vec_steps // 10) if env_id == "SceneSynthTrajectory-v1" else vec_steps
            one = median_rate(lambda e=env_id, i=image, s=steps: run_vector(e, i, 1, s, 0), args.repeat)
            two = median_rate(lambda e=env_id, i=image, s=steps: run_vector(e, i, 2, s, 0), args.repeat)
            rows.append({"env": env_id, "case": f"vector async {label}", "x1_steps_per_s": round(one, 2),
                         "x2_steps_per_s": round(two, 2), "ratio": round(two / one, 3)})  # fmt: skip
    print(f"\ncpus: {os.cpu_count()} (affinity {len(os.sched_getaffinity(0))}), steps per run {args.steps}, "
          f"repeat {args.repeat}")  # fmt: skip
    print(f"{'env':26s} {'case':24s} {'median steps/s':>15s} {'target':>8s}")
    for r in rows:
        if "ratio" in r:
            print(f"{r['env']:26s} {r['case']:24s} {r['x1_steps_per_s']:>7.1f} -> {r['x2_steps_per_s']:.1f} "
                  f"(x{r['ratio']:.2f} with 2 workers)")  # fmt: skip
        else:
            target = r["target"]
            flag = "" if target is None else (f"{target:>6.0f} " + ("ok" if r["steps_per_s"] >= target else "MISSED"))
            print(f"{r['env']:26s} {r['case']:24s} {r['steps_per_s']:>15.1f} {flag}")
    result = {"cpus": os.cpu_count(), "steps": args.steps, "repeat": args.repeat, "rows": rows}
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
