"""Build the reference leaderboard: the ``random`` and ``heuristic`` policies on every suite, in the DSL
(``scene``) and trajectory forms (the ``asset`` suite in the asset env), exported as small CSV files under
``benchmarks/reference/`` for users to compare against.

Usage: python benchmarks/make_reference.py [--workers 2] [--db PATH] [--out benchmarks/reference]
                                           [--policies random heuristic] [--suites template complex ...]

Seeds: ``template`` x 5 (its default), ``complex``, ``rooms-50`` and ``asset`` x 1. The database (default: a
temporary file) keeps the artifacts next to it; only the CSVs are meant to be committed:

- ``leaderboard.csv``: one line per (entry, suite), means and standard errors (``scene-gym leaderboard
  --format csv``);
- ``rooms.csv``: per (entry, suite, room type) means of #Obj, #OB, #CN, the four grades, Q and time
  (SceneOrchestra's tables);
- ``leaderboard.md``: the ranking as Markdown, for the README.

Re-running with the same ``--db`` resumes (scenes already recorded are skipped).
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from pathlib import Path

from scene_gym.benchmarks.runner import RunConfig, run_benchmark
from scene_gym.benchmarks.store import Store
from scene_gym.benchmarks.views import ROOM_COLUMNS, format_standings, room_table, standings
from scene_gym.scene.io import atomic_write

SUITES = {"template": ("scene", "trajectory"), "complex": ("scene", "trajectory"),
          "rooms-50": ("scene", "trajectory"), "asset": ("asset",)}  # fmt: skip


def rooms_csv(store: Store) -> str:
    """Per (entry, suite, room type) means, one CSV line each."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["entry", "suite", "room_type", "n", *(k for k, _, _ in ROOM_COLUMNS)])
    results, entries = store.results(), store.entries()
    for st in standings(results, entries):
        for label, n, stats in room_table(results, st.entry["id"], st.suite):
            w.writerow([st.entry["name"], st.suite, label, n,
                        *("" if stats[k].mean is None else f"{stats[k].mean:.4g}" for k, _, _ in ROOM_COLUMNS)])
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", type=Path, default=None, help="database (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "reference")
    ap.add_argument("--policies", nargs="+", default=["random", "heuristic"])
    ap.add_argument("--suites", nargs="+", default=list(SUITES))
    ap.add_argument("--timeout", type=float, default=300.0, help="per-scene timeout, seconds")
    args = ap.parse_args()
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        args.db = Path(tmp.name) / "reference.db"
    t0 = time.perf_counter()
    for suite in args.suites:
        for env in SUITES[suite]:
            for policy in args.policies:
                s = run_benchmark(RunConfig(suite=suite, policy=policy, env=env, workers=args.workers,
                                            db=str(args.db), timeout_s=args.timeout))  # fmt: skip
                print(s, flush=True)
    with Store(args.db) as store:
        lines = standings(store.results(), store.entries())
        atomic_write(args.out / "leaderboard.csv", format_standings(lines, "csv"))
        atomic_write(args.out / "leaderboard.md", format_standings(lines, "md"))
        atomic_write(args.out / "rooms.csv", rooms_csv(store))
        print(format_standings(lines, "table"))
    print(f"wrote {args.out}/leaderboard.csv, leaderboard.md, rooms.csv in {time.perf_counter() - t0:.0f} s")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
