"""Core speed: building every asset category, and exporting a 50-object scene to MuJoCo and loading it.

Usage: python benchmarks/bench_core.py [--repeat 5] [--json PATH]

Cases (median of ``--repeat`` runs each):

- ``build all categories``: every registered category once at its default size, with the asset cache cleared
  before each run (cold). Target: under 2 s in total. The row also reports the category count and the
  slowest category (the median over the runs of each category's own build time).
- ``grid_scene(50) -> MJCF XML -> MjModel``: ``mjcf.to_xml`` then ``MjModel.from_xml_string`` (the assets are
  in the cache, as after building the scene). Target: under 1 s. Peer: MuJoCo alone parsing and compiling the
  same XML, so the ratio is the cost of export relative to MuJoCo's own load.
- ``grid_scene(50) -> MjSpec -> MjModel``: ``mjcf.build_spec`` then ``spec.compile()``. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """Median wall time in seconds of ``fn()`` over ``repeat`` runs, calling ``setup()`` untimed before each."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run(repeat: int) -> list[dict]:
    import mujoco

    from scene_gym import samples
    from scene_gym.assets import build_asset, factories
    from scene_gym.assets.factory import clear_cache
    from scene_gym.export import mjcf

    categories = list(factories())
    per_category: dict[str, list[float]] = {c: [] for c in categories}

    def build_all():
        for category in categories:
            t = time.perf_counter()
            build_asset(category)
            per_category[category].append(time.perf_counter() - t)

    total = median_time(build_all, repeat, setup=clear_cache)
    worst = max(categories, key=lambda c: statistics.median(per_category[c]))
    results = [{"name": f"build all categories ({len(categories)}, cold cache)", "target_s": 2.0, "median_s": total,
                "count": len(categories), "worst_category": worst,
                "worst_median_s": statistics.median(per_category[worst])}]  # fmt: skip

    scene = samples.grid_scene(50, 0)
    xml = mjcf.to_xml(scene)  # also warms the caches the timed runs would otherwise pay for once
    export_load = median_time(lambda: mujoco.MjModel.from_xml_string(mjcf.to_xml(scene)), repeat)
    peer = median_time(lambda: mujoco.MjModel.from_xml_string(xml), repeat)
    results.append({"name": "grid_scene(50) -> MJCF XML -> MjModel", "target_s": 1.0, "median_s": export_load,
                    "peer": "MjModel.from_xml_string of the same XML", "peer_median_s": peer,
                    "ratio": export_load / peer})  # fmt: skip
    results.append({"name": "grid_scene(50) -> MjSpec -> MjModel", "target_s": 1.0,
                    "median_s": median_time(lambda: mjcf.build_spec(scene).compile(), repeat)})  # fmt: skip
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (at least 5)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    if args.repeat < 5:
        parser.error(f"expected --repeat >= 5, got {args.repeat}")
    results = run(args.repeat)
    print(f"{'case':<48} {'median':>10} {'target':>8}  {'ok':<3} peer")
    for r in results:
        peer = f"{r['peer']}: {r['peer_median_s'] * 1000:.1f} ms, ratio {r['ratio']:.1f}x" if "peer" in r else ""
        if "worst_category" in r:
            peer = f"slowest: {r['worst_category']} {r['worst_median_s'] * 1000:.1f} ms"
        ok = "yes" if r["median_s"] < r["target_s"] else "NO"
        print(f"{r['name']:<48} {r['median_s'] * 1000:>7.1f} ms {r['target_s']:>6.1f} s  {ok:<3} {peer}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
