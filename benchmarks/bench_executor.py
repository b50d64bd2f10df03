"""Throughput of a benchmark suite on the Ray executor against the local process pool, in one process on this
machine: the ``template`` suite (10 room types x 5 seeds) with the heuristic policy, 2 workers each, runs
interleaved (local, ray, local, ray...), median of ``--repeat`` runs.

- **throughput**: scenes / (run wall time - startup), scenes per second; startup = connecting and building the
  first worker (env, policy, judge), reported on its own;
- **ratio**: Ray's median throughput / the pool's (target: >= 0.85, issue 20);
- **cluster start**: seconds to start the local Ray cluster (one node on 127.0.0.1, ``--workers`` CPUs, no
  dashboard), paid once per session and not part of any run.

Usage: python benchmarks/bench_executor.py [--suite template] [--policy heuristic] [--workers 2] [--repeat 3]
                                           [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from scene_gym.benchmarks.runner import RunConfig, run_benchmark


def timed(suite: str, policy: str, workers: int, executor: str) -> dict:
    """One run into a fresh database: wall seconds, startup seconds, scenes ok, throughput (scenes/s)."""
    with tempfile.TemporaryDirectory() as tmp:
        s = run_benchmark(RunConfig(suite=suite, policy=policy, workers=workers, executor=executor,
                                    db=str(Path(tmp) / "lb.db"), timeout_s=600, progress=False))  # fmt: skip
    n = s.counts["ok"]
    return {"wall_s": s.wall_s, "startup_s": s.startup_s, "ok": n, "scenes_per_s": n / (s.wall_s - s.startup_s)}


def start_ray(workers: int) -> float:
    """Start a local one-node Ray cluster with ``workers`` CPUs on 127.0.0.1; returns the seconds it took."""
    from scene_gym.benchmarks.executors.ray_pool import import_ray, keep_loopback

    ray = import_ray()
    keep_loopback(None)
    t0 = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, _node_ip_address="127.0.0.1", logging_level="WARNING")
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="template")
    ap.add_argument("--policy", default="heuristic")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per executor (median reported)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    cluster_s = start_ray(args.workers)
    runs: dict[str, list[dict]] = {"local": [], "ray": []}
    try:
        for _ in range(args.repeat):
            for name in runs:
                runs[name].append(timed(args.suite, args.policy, args.workers, name))
    finally:
        import ray

        ray.shutdown()
    med = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    ratio = med["ray"]["scenes_per_s"] / med["local"]["scenes_per_s"]
    row = {"name": f"{args.suite} suite, {args.policy}, {args.workers} workers: Ray vs local pool",
           "repeat": args.repeat, "ray_cluster_start_s": cluster_s, "local": med["local"], "ray": med["ray"],
           "runs": runs, "throughput_ratio": ratio, "target_ratio": 0.85,
           "wall_ratio": med["local"]["wall_s"] / med["ray"]["wall_s"]}  # fmt: skip
    for name in runs:
        m = med[name]
        print(f"{name:5s}: {m['ok']:.0f} scenes, wall {m['wall_s']:.1f} s, startup {m['startup_s']:.2f} s, "
              f"{m['scenes_per_s']:.2f} scenes/s (median of {args.repeat})")
    print(f"Ray cluster start (once): {cluster_s:.1f} s")
    print(f"throughput ratio Ray / local: {ratio:.2f} (target >= 0.85: {'met' if ratio >= 0.85 else 'MISSED'}); "
          f"end-to-end wall ratio local / Ray {row['wall_ratio']:.2f}")
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps([row], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
