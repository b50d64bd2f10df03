"""Physics and metrics speed, against an all-pairs trimesh + python-fcl check in the same process.

Usage: python benchmarks/bench_physics.py [--sizes 10 50 100 200] [--repeat 15] [--json PATH]

Two scene kinds per size N:

- ``grid``: :func:`scene_gym.samples.grid_scene` (furniture on a grid, small objects on its surfaces): the
  realistic, mostly collision-free case.
- ``crowded``: N random objects of random categories, yaws and sizes (thin coverings left out), all standing
  on the floor or architecture, on a square floor of 1.4 m² per object: many overlaps.

Cases (medians of ``--repeat`` runs; the asset and collision-shape caches are warm, as in an environment):

- ``move+query``: move one object (alternating between two spots), ``world.sync`` and ``world.collisions()``.
- ``evaluate``: :func:`scene_gym.metrics.evaluate` on a world already synced to the scene (an environment's
  repeated evaluation). Target: under 20 ms at N = 100.
- ``move+evaluate``: one object moved, then ``evaluate`` (incremental).
- ``full query``: ``collisions()`` on a synced world after ``clear_cache()``: every candidate pair queried
  again, the like-for-like peer of the fcl check (same scene state in, same pair set out).
- ``fresh world``: a new ``PhysicsWorld(scene)`` and ``collisions()`` (client, room and every body created).
- ``fcl all-pairs``: :func:`scene_gym.physics.reference.pair_depths` on the same convex meshes (fcl geometry
  cached, posed per run): every object pair, fcl.collide on parts whose AABBs overlap, exact
  separating-axis depths.

``ratio`` is fcl all-pairs / full query (target >= 10); ``x_fresh`` and ``x_move`` compare fcl with the
fresh world and with move+query. ``agree`` says whether both report the same set of pairs deeper than 1 mm;
``band`` counts pairs whose reference depth lies within 0.5 mm .. 5 mm, where pybullet's exact cylinders and
the reference's 24-sided ones may round differently.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1e3 * statistics.median(times)


def crowded_scene(n: int, seed: int = 0):
    from scene_gym.assets import factories
    from scene_gym.scene import Room, Scene, SceneObject

    rng = np.random.default_rng(seed)
    all_f = factories()
    cats = sorted(c for c, f in all_f.items() if not f.thin_covering)
    side = math.sqrt(1.4 * n)
    objects = []
    parents = {"floor": "floor", "surface": "floor", "wall": "wall", "ceiling": "ceiling"}
    for _ in range(n):
        cat = cats[int(rng.integers(len(cats)))]
        f = all_f[cat]
        x, y = rng.uniform(0.3, side - 0.3, 2)
        z = 0.0 if f.placement == "floor" else float(rng.uniform(0.0, 2.0))
        n_cat = 1 + sum(o.category == cat for o in objects)
        objects.append(SceneObject(id=f"{cat}_{n_cat}", category=cat, position=(float(x), float(y), z),
                                   yaw=float(rng.uniform(-math.pi, math.pi)), size=f.sample_size(rng),
                                   seed=int(rng.integers(1000)), parent=parents[f.placement]))  # fmt: skip
    # Built with the constructor: a crowded scene overlaps and may poke through walls, as benchmarks want.
    return Scene(Room.rectangle(side, side), objects, metadata={"generator": "crowded", "seed": seed})


def bench_scene(kind: str, n: int, scene, repeat: int) -> dict:
    from scene_gym.actions import edit
    from scene_gym.metrics import evaluate
    from scene_gym.physics import PhysicsWorld
    from scene_gym.physics.reference import pair_depths, prepare

    movable = next(o for o in scene.objects if o.parent == "floor")
    spots = [movable.position, (movable.position[0] + 0.35, movable.position[1] + 0.2, movable.position[2])]
    counter = [0]

    def move():
        counter[0] += 1
        edit.move_object(scene, movable.id, to=spots[counter[0] % 2])

    row: dict = {"kind": kind, "n": n}
    with PhysicsWorld(scene) as world:
        evaluate(scene, world)  # warm the rasters and pair cache

        def move_query():
            move()
            world.sync(scene)
            return world.collisions()

        def move_evaluate():
            move()
            return evaluate(scene, world)

        def full_query():
            world.clear_cache()
            return world.collisions()

        row["move+query_ms"] = median_ms(move_query, repeat)
        row["evaluate_ms"] = median_ms(lambda: evaluate(scene, world), repeat)
        row["move+evaluate_ms"] = median_ms(move_evaluate, repeat)
        row["full_query_ms"] = median_ms(full_query, repeat)

    def fresh():
        with PhysicsWorld(scene) as w:
            return w.collisions()

    row["fresh_world_ms"] = median_ms(fresh, max(3, repeat // 3))
    pair_depths(scene)  # build the fcl geometry once, as our shape cache is built
    fcl_repeat = max(3, repeat // 5)
    row["fcl_all_pairs_ms"] = median_ms(lambda: pair_depths(scene, prepare(scene)), fcl_repeat)
    row["ratio"] = row["fcl_all_pairs_ms"] / row["full_query_ms"]
    row["x_fresh"] = row["fcl_all_pairs_ms"] / row["fresh_world_ms"]
    row["x_move"] = row["fcl_all_pairs_ms"] / row["move+query_ms"]
    ours = {(c.a, c.b) for c in fresh()}
    depths = pair_depths(scene)
    theirs = {p for p, d in depths.items() if d > 0.001}
    row["pairs"] = len(ours)
    row["pairs_fcl"] = len(theirs)
    row["agree"] = ours == theirs
    row["band"] = sum(1 for d in depths.values() if 0.0005 < d < 0.005)
    row["disagree_in_band"] = all(0.0005 < depths.get(p, 0.0) < 0.005 for p in ours ^ theirs)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100, 200])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)

    from scene_gym.samples import grid_scene

    rows = []
    for n in args.sizes:
        for kind, scene in (("grid", grid_scene(n, seed=0)), ("crowded", crowded_scene(n, seed=n))):
            rows.append(bench_scene(kind, n, scene, args.repeat))
            r = rows[-1]
            print(f"  done {kind} N={n}: evaluate {r['evaluate_ms']:.2f} ms, fcl {r['fcl_all_pairs_ms']:.0f} ms",
                  file=sys.stderr, flush=True)  # fmt: skip

    cols = ["kind", "n", "move+query_ms", "evaluate_ms", "move+evaluate_ms", "full_query_ms", "fresh_world_ms",
            "fcl_all_pairs_ms", "ratio", "x_fresh", "x_move", "pairs", "pairs_fcl", "agree", "band"]  # fmt: skip
    width = {c: max(len(c), 7) for c in cols}
    print(" ".join(f"{c:>{width[c]}}" for c in cols))
    for r in rows:
        print(" ".join(f"{r[c]:>{width[c]}.2f}" if isinstance(r[c], float) else f"{r[c]!s:>{width[c]}}" for c in cols))
    ev100 = [r["evaluate_ms"] for r in rows if r["n"] == 100]
    verdicts = [
        f"evaluate(100) < 20 ms: {'yes' if ev100 and max(ev100) < 20 else 'no'} ({', '.join(f'{v:.2f}' for v in ev100)} ms)",
        f">= 10x faster than all-pairs fcl: {'yes' if all(r['ratio'] >= 10 for r in rows) else 'no'} "
        f"(min ratio {min(r['ratio'] for r in rows):.1f})",
        f"identical verdicts: {'yes' if all(r['agree'] for r in rows) else 'no'}",
    ]
    for v in verdicts:
        print(v)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "verdicts": verdicts}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
