"""Time `import scene_gym` in fresh interpreters (median of N) against `import numpy` as the peer.

Usage: python benchmarks/bench_import.py [--repeat 7] [--json PATH]
Target: under 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time


def time_import(module: str, repeat: int) -> float:
    """Median wall time in seconds of `python -c "import <module>"` minus an empty interpreter's start."""
    def run(code: str) -> float:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - t

    base = statistics.median(run("pass") for _ in range(repeat))
    return statistics.median(run(f"import {module}") for _ in range(repeat)) - base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    ours = time_import("scene_gym", args.repeat)
    peer = time_import("numpy", args.repeat)
    print(f"import scene_gym: {ours * 1000:.0f} ms (median of {args.repeat}); import numpy: {peer * 1000:.0f} ms; "
          f"ratio {ours / peer:.1f}x; target < 1000 ms")  # fmt: skip
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"name": "import scene_gym", "median_s": ours, "target_s": 1.0, "peer": "import numpy",
                        "peer_median_s": peer, "ratio": ours / peer}], f, indent=2)  # fmt: skip


if __name__ == "__main__":
    main()
