"""Resident memory of one long-lived environment: growth over many resets and over many add/remove steps.

Usage: python benchmarks/bench_memory.py [--resets 20000] [--steps 20000] [--warmup 500] [--samples 10]
                                         [--json PATH]

One process, two phases, each on its own ``gym.make("SceneSynth-v1", image_size=None, reward="q_phy")``, kept
open until the end (memory the first phase's env freed on closing would be reused by the second and hide its
growth):

- ``steps``: one episode (``max_steps`` above the step count, so it is never truncated) of ``--steps`` steps
  alternating ``add("armchair", at=(1.5, 1.5))`` and ``remove("armchair_1")``.
- ``resets``: ``env.reset()`` ``--resets`` times; every reset draws a new room from the env's generator
  (``distinct_room_fraction`` says how many resets got a room other than the previous one).

The steps phase runs first: a leaky resets phase leaves holes in the heap (freed temporaries between leaked
blocks) that a later phase fills without growing the resident set, which hid the old code's step leak.

Each phase first runs ``--warmup`` operations (caches filled, allocator pools grown), then reads the resident set
size (psutil when installed, else ``/proc/self/statm``; after ``gc.collect()``) at ``--samples`` + 1 evenly spaced
points. Figures, in MB (10^6 bytes): ``growth_mb`` (end minus start), ``growth_mb_per_1000`` (the same per 1,000
operations) and ``median_growth_mb_per_1000`` (the median of the per-interval rates, robust to one allocator
step). ``ms_per_op`` is the mean wall time of one operation. Target (issue 13): under 10 MB per phase of 20,000
operations; ``ok`` says whether the phase met it scaled to its length (0.5 MB per 1,000).

Where the physics world reports its bookkeeping (``PhysicsWorld.client_stats()``), the phase also records it at the
end (``client``): what the pybullet client holds and how often it was recycled.

Measured (issue 13; one process, 2 shared cores): before the fix 1,259 MB per 20,000 resets and 57 MB per 20,000
steps; after it 1.1 MB and 0.6 MB, with ms_per_op unchanged (6.3 -> 6.0 per reset, 1.6 -> 1.5 per step).

The script uses the public env API only, so it also runs against an older checkout:
``cd OTHER && PYTHONPATH=$PWD python /path/to/benchmarks/bench_memory.py --resets 2000 --steps 2000``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ENV_ID = "SceneSynth-v1"
TARGET_MB_PER_1000 = 10.0 / 20.0  # 10 MB per 20,000 operations
ADD = 'add("armchair", at=(1.5, 1.5))'
REMOVE = 'remove("armchair_1")'


def rss_mb() -> float:
    """Resident set size of this process, MB, after a full garbage collection."""
    gc.collect()
    try:
        import psutil

        return psutil.Process().memory_info().rss / 1e6
    except ImportError:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def measure(n: int, warmup: int, samples: int, op: Callable[[int], None]) -> dict:
    """Run ``op(i)`` ``warmup`` times, then ``n`` times reading RSS at ``samples`` + 1 points; growth figures."""
    for i in range(warmup):
        op(i)
    marks = sorted({round(n * k / samples) for k in range(samples + 1)})
    points = [(0, rss_mb())]
    t0 = time.perf_counter()
    done = 0
    for mark in marks[1:]:
        for i in range(done, mark):
            op(warmup + i)
        done = mark
        points.append((done, rss_mb()))
    wall = time.perf_counter() - t0
    rates = [1000.0 * (b - a) / (j - i) for (i, a), (j, b) in zip(points, points[1:], strict=False) if j > i]
    growth = points[-1][1] - points[0][1]
    per_1000 = 1000.0 * growth / max(n, 1)
    return {"ops": n, "warmup": warmup, "rss_start_mb": round(points[0][1], 2), "rss_end_mb": round(points[-1][1], 2),
            "growth_mb": round(growth, 3), "growth_mb_per_1000": round(per_1000, 4),
            "median_growth_mb_per_1000": round(statistics.median(rates), 4) if rates else 0.0,
            "target_mb_per_1000": TARGET_MB_PER_1000, "ok": per_1000 < TARGET_MB_PER_1000,
            "ms_per_op": round(1e3 * wall / max(n, 1), 3), "rss_mb": [round(v, 2) for _, v in points]}  # fmt: skip


def client_stats(env) -> dict | None:
    """The physics world's bookkeeping where this version of the package has it."""
    world = getattr(env.unwrapped, "_world", None)
    stats = getattr(world, "client_stats", None)
    return dict(stats()) if callable(stats) else None


def phase_resets(n: int, warmup: int, samples: int):
    import gymnasium as gym

    env = gym.make(ENV_ID, image_size=None, reward="q_phy")
    env.reset(seed=0)
    last = [env.unwrapped.scene.room]
    changed = [0]

    def op(_i: int) -> None:
        env.reset()
        room = env.unwrapped.scene.room
        changed[0] += room != last[0]
        last[0] = room

    out = {"phase": "resets", **measure(n, warmup, samples, op)}
    out["distinct_room_fraction"] = round(changed[0] / max(n + warmup, 1), 4)
    out["client"] = client_stats(env)
    return out, env


def phase_steps(n: int, warmup: int, samples: int):
    import gymnasium as gym

    env = gym.make(ENV_ID, image_size=None, reward="q_phy", max_steps=n + warmup + 10)
    env.reset(seed=1)
    failed = [0]

    def op(i: int) -> None:
        _obs, _r, terminated, truncated, info = env.step(ADD if i % 2 == 0 else REMOVE)
        failed[0] += not (info["valid"] and info["applied"])
        if terminated or truncated:
            raise RuntimeError(f"expected the episode to go on, it ended at step {i}")

    out = {"phase": "steps", **measure(n, warmup, samples, op)}
    out["failed_steps"] = failed[0]
    out["client"] = client_stats(env)
    return out, env


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--resets", type=int, default=20000, help="env resets measured (new room each)")
    ap.add_argument("--steps", type=int, default=20000, help="add/remove steps measured")
    ap.add_argument("--warmup", type=int, default=500, help="operations run before the first reading")
    ap.add_argument("--samples", type=int, default=10, help="intervals the run is read at (for the median)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    import scene_gym

    phases, envs = [], []  # envs stay open until the end: memory one phase frees would hide the next one's growth
    for n, run in ((args.steps, phase_steps), (args.resets, phase_resets)):  # the phase that grows less first
        if n > 0:
            result, env = run(n, args.warmup, args.samples)
            phases.append(result)
            envs.append(env)
    print(f"scene_gym from {Path(scene_gym.__file__).parent}")
    print(f"{'phase':8} {'ops':>7} {'start MB':>9} {'end MB':>8} {'growth MB':>10} {'MB/1000':>8} "
          f"{'median':>8} {'ms/op':>7}  target")  # fmt: skip
    for ph in phases:
        print(f"{ph['phase']:8} {ph['ops']:7d} {ph['rss_start_mb']:9.1f} {ph['rss_end_mb']:8.1f} "
              f"{ph['growth_mb']:10.2f} {ph['growth_mb_per_1000']:8.3f} {ph['median_growth_mb_per_1000']:8.3f} "
              f"{ph['ms_per_op']:7.2f}  {'ok' if ph['ok'] else 'MISSED'}")  # fmt: skip
        if ph.get("client"):
            print(f"         client: {ph['client']}")
    if args.json:
        args.json.write_text(json.dumps({"schema": "scene-gym/bench-memory@1", "env": ENV_ID,
                                         "package": str(Path(scene_gym.__file__).parent),
                                         "phases": phases}, indent=2) + "\n")  # fmt: skip
    for env in envs:
        env.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
