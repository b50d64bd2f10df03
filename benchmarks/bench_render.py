"""Render a 30-object scene at 256 x 256 with each backend: medians per view, the tiny/mujoco ratio, and the
resident-memory growth over many tiny renders.

Usage: python benchmarks/bench_render.py [--repeat 20] [--leak 1000] [--size 256] [--blender] [--json PATH]
Targets: tiny <= 40 ms per view on 2 CPU cores; RSS growth < 50 MB over 1000 tiny renders.

Each backend renders the same cameras (the top-down view and the four corner views) with its cache warm; the
first render of each backend (model build) is reported separately. Pin CPUs with ``taskset -c 0,1`` to measure
the 2-core target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("MUJOCO_GL", "egl")


def rss_mb() -> float:
    """Resident set size of this process, MiB."""
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # Linux fallback: current RSS from /proc
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_backend(name: str, scene, cams, repeat: int, **options) -> dict:
    from scene_gym.render import Renderer

    t0 = time.perf_counter()
    with Renderer(name, **options) as r:
        r.render(scene, cams[0], check=False)
        first = time.perf_counter() - t0
        times = []
        for k in range(repeat):
            cam = cams[k % len(cams)]
            t = time.perf_counter()
            r.render(scene, cam, check=False)
            times.append(time.perf_counter() - t)
    return {"backend": name, "median_s": statistics.median(times), "min_s": min(times), "first_s": first,
            "renders": len(times)}  # fmt: skip


def leak_check(scene, cam, n: int) -> dict:
    from scene_gym.render import Renderer

    with Renderer("tiny") as r:
        for _ in range(20):  # warm up: caches, allocator pools
            r.render(scene, cam, check=False)
        before = rss_mb()
        for _ in range(n):
            r.render(scene, cam, check=False)
        after = rss_mb()
    return {"renders": n, "rss_before_mb": before, "rss_after_mb": after, "growth_mb": after - before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="timed renders per backend (>= 20)")
    parser.add_argument("--leak", type=int, default=1000, help="tiny renders for the memory check")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--objects", type=int, default=30)
    parser.add_argument("--blender", action="store_true", help="also time the blender backend (slow)")
    parser.add_argument("--blender-samples", type=int, default=16)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()

    from scene_gym.render.views import corner_cameras, topdown_camera
    from scene_gym.samples import grid_scene

    scene = grid_scene(args.objects)
    cams = [topdown_camera(scene, args.size, args.size), *corner_cameras(scene, args.size, args.size)]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = [bench_backend("tiny", scene, cams, args.repeat), bench_backend("mujoco", scene, cams, args.repeat)]
    if args.blender:
        rows.append(bench_backend("blender", scene, cams, max(2, args.repeat // 10), samples=args.blender_samples))
    leak = leak_check(scene, cams[1], args.leak)
    tiny, mj = rows[0]["median_s"], rows[1]["median_s"]

    print(f"{len(scene)} objects, {args.size}x{args.size}, {cores} CPU cores available, MUJOCO_GL={os.environ['MUJOCO_GL']}")
    print(f"{'backend':10} {'median ms':>10} {'min ms':>8} {'first ms':>9} {'n':>4}")
    for r in rows:
        print(f"{r['backend']:10} {r['median_s'] * 1e3:10.1f} {r['min_s'] * 1e3:8.1f} {r['first_s'] * 1e3:9.0f} {r['renders']:4d}")
    print(f"ratio tiny/mujoco: {tiny / mj:.2f}  (tiny target <= 40 ms per view: {'ok' if tiny <= 0.040 else 'MISSED'})")
    print(f"RSS over {leak['renders']} tiny renders: {leak['rss_before_mb']:.1f} -> {leak['rss_after_mb']:.1f} MiB "
          f"(+{leak['growth_mb']:.1f}; target < 50: {'ok' if leak['growth_mb'] < 50 else 'MISSED'})")  # fmt: skip
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"objects": len(scene), "size": args.size, "cores": cores, "backends": rows,
                       "ratio_tiny_over_mujoco": tiny / mj, "memory": leak,
                       "targets": {"tiny_max_s": 0.040, "rss_growth_max_mb": 50}}, f, indent=2)  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
