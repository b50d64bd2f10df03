"""Env speed, an old commit against the working tree, back to back: each side runs its own
``benchmarks/bench_envs.py`` (the old one from a temporary ``git worktree``), alternating old and new
``--rounds`` times so that machine load drifts hit both alike; the ratio is new / old of the medians.

Usage: python benchmarks/compare_commits.py [--old REV] [--rounds 1] [--repeat 5] [--steps 200] [--json PATH]

Rows are matched by environment name without its version (``SceneSynth-v0`` and ``SceneSynth-v1`` are the same
row) and case. Pass-through options go to both ``bench_envs.py`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_DEFAULT = "cb237ce"  # the last commit before the house refactor (issue 12)


def _bench(tree: Path, args, out: Path) -> list[dict]:
    """Run ``tree``'s bench_envs.py with ``tree`` first on the import path; its rows."""
    env = {**os.environ, "PYTHONPATH": str(tree), "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl")}
    cmd = [sys.executable, str(tree / "benchmarks" / "bench_envs.py"), "--steps", str(args.steps), "--repeat",
           str(args.repeat), "--json", str(out)]  # fmt: skip
    subprocess.run(cmd, cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())["rows"]


def _key(row: dict) -> tuple[str, str]:
    return re.sub(r"-v\d+$", "", row["env"]), row["case"]


def _value(row: dict) -> float:
    return row["x2_steps_per_s"] / row["x1_steps_per_s"] if "ratio" in row else row["steps_per_s"]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default=OLD_DEFAULT, help=f"the commit to compare against (default {OLD_DEFAULT})")
    parser.add_argument("--rounds", type=int, default=1, help="old/new alternations (medians over rounds)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case inside bench_envs.py")
    parser.add_argument("--steps", type=int, default=200, help="steps per timed run")
    parser.add_argument("--json", type=Path, default=None, help="write the comparison here")
    args = parser.parse_args(argv)
    results: dict[str, dict[tuple, list[float]]] = {"old": {}, "new": {}}
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old_tree), args.old], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            for k in range(args.rounds):
                for side, tree in (("old", old_tree), ("new", ROOT)):
                    print(f"round {k + 1}/{args.rounds}: {side} ({tree})", flush=True)
                    for row in _bench(tree, args, Path(tmp) / f"{side}_{k}.json"):
                        results[side].setdefault(_key(row), []).append(_value(row))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)], check=False)
    rows = []
    for key in sorted(set(results["old"]) & set(results["new"])):
        old, new = statistics.median(results["old"][key]), statistics.median(results["new"][key])
        rows.append({"env": key[0], "case": key[1], "old": round(old, 3), "new": round(new, 3),
                     "ratio": round(new / old, 3)})  # fmt: skip
    print(f"\n{'env':24s} {'case':26s} {'old':>9s} {'new':>9s} {'new/old':>8s}   (steps/s; vector rows: x2/x1)")
    for r in rows:
        print(f"{r['env']:24s} {r['case']:26s} {r['old']:9.2f} {r['new']:9.2f} {r['ratio']:8.2f}")
    result = {"old": args.old, "rounds": args.rounds, "repeat": args.repeat, "steps": args.steps, "rows": rows}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
