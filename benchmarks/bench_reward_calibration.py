"""Reward calibration: does the offline judge grade every damaged copy of a heuristic scene below the original?

Usage: python benchmarks/bench_reward_calibration.py [--seeds 4] [--json PATH]

Builds the ``template`` suite's 10 room types x ``--seeds`` seeds with the heuristic policy
(:func:`scene_gym.benchmarks.calibration_scenes.template_scenes`), applies every perturbation family of
:data:`scene_gym.rewards.calibration.FAMILIES`, judges originals and copies with
:class:`~scene_gym.rewards.OfflineJudge` and prints the table of :func:`scene_gym.rewards.calibration.calibrate`:
per family the scenes it applies to, the share where ``q_vis`` dropped strictly, the mean and the worst drop.
Then the seconds it took (wall clock and this process's CPU time: on a shared machine the CPU time is the
one-core figure). ``tests/rewards/test_calibration.py`` asserts the same table with 4 seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=4, help="seeds per room type (default 4)")
    ap.add_argument("--json", default=None, help="also write the rows as JSON to this path")
    args = ap.parse_args(argv)

    from scene_gym.benchmarks.calibration_scenes import template_scenes
    from scene_gym.rewards import OfflineJudge
    from scene_gym.rewards.calibration import FAMILIES, calibrate

    w0, c0 = time.perf_counter(), time.process_time()
    scenes = template_scenes(range(args.seeds))
    w1, c1 = time.perf_counter(), time.process_time()
    judge = OfflineJudge()
    try:
        table = calibrate(judge, FAMILIES, scenes)
    finally:
        judge.close()
    w2, c2 = time.perf_counter(), time.process_time()
    print(table.format())
    print(f"scenes: {len(scenes)} built in {w1 - w0:.1f} s wall, {c1 - c0:.1f} s CPU; calibration: "
          f"{len(FAMILIES)} families in {w2 - w1:.1f} s wall, {c2 - c1:.1f} s CPU")  # fmt: skip
    if args.json:
        rows = [{"family": r.family, "applied": r.applied, "lowered": r.lowered, "share": r.share,
                 "mean_drop": r.mean_drop, "worst_drop": r.worst_drop, "worst_scene": r.worst_scene}
                for r in table.rows]  # fmt: skip
        Path(args.json).write_text(json.dumps({"seeds": args.seeds, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
