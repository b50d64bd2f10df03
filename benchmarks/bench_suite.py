"""Wall time of a benchmark suite run: the ``template`` suite (10 room types x 5 seeds) with the heuristic policy,
one 256 x 256 render per scene, on 2 worker processes; peer: the same run with the ``test:fast`` policy (two
objects per scene), which measures the harness alone (worker start, judge, render, database).

Usage: python benchmarks/bench_suite.py [--suite template] [--policy heuristic] [--workers 2] [--repeat 1]
                                        [--json PATH]

Target: under 120 s on 2 cores (issue 8).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from scene_gym.benchmarks.runner import RunConfig, run_benchmark


def timed(suite: str, policy: str, workers: int, env: str | None = None) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        s = run_benchmark(RunConfig(suite=suite, policy=policy, env=env, workers=workers, db=str(Path(tmp) / "lb.db"),
                                    timeout_s=600, progress=False))  # fmt: skip
        return time.perf_counter() - t0, s.counts["ok"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="template")
    ap.add_argument("--policy", default="heuristic")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per case (median reported)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    ours = [timed(args.suite, args.policy, args.workers) for _ in range(args.repeat)]
    peer = [timed(args.suite, "test:fast", args.workers) for _ in range(args.repeat)]
    med, peer_med = statistics.median(t for t, _ in ours), statistics.median(t for t, _ in peer)
    row = {"name": f"{args.suite} suite, {args.policy}, {args.workers} workers", "median_s": med,
           "target_s": 120.0, "scenes_ok": ours[0][1], "peer": f"{args.suite} suite, test:fast (harness only)",
           "peer_median_s": peer_med, "ratio": med / peer_med}  # fmt: skip
    print(f"{row['name']}: {med:.1f} s for {ours[0][1]} scenes (target < 120 s: {'met' if med < 120 else 'MISSED'}); "
          f"harness alone {peer_med:.1f} s; ratio {med / peer_med:.2f}x")
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps([row], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
