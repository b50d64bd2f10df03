"""Layout solver speed and quality: place 40 floor objects in a 5 m x 6 m room.

Usage: python benchmarks/bench_layout.py [--seeds 5] [--budget 1.0] [--json PATH]

For each seed, the scene is a 5 m x 6 m room with a door and a window; the requests are a dining table with
four chairs around it plus 35 objects drawn (seeded) from every catalog category with ``placement == "floor"``
(thin coverings and categories whose smallest footprint exceeds 0.35 m² excluded), each at its default size
scaled down so that its footprint is at most 0.35 m² (within the category's size range). Relations: the chairs ``around`` the table, the table in the ``middle``,
every third object ``against_wall``, every fifth ``next_to`` the previous object, every seventh ``facing`` the
table. The solver runs with ``time_budget_s=--budget``.

Peer, in the same process: rejection sampling (uniform random poses on the floor, turned to a wall direction,
with the same hard-constraint check, up to 400 tries per object, relations ignored), the simplest placer
that produces a valid layout. Reported: median wall time, objects placed, mean relation satisfaction, the
fraction of relations satisfied (score >= 0.9), and the solver's time ratio to the peer.

Target: solver median under 1 s.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time

import numpy as np

ROOM_W, ROOM_D, N_OBJECTS = 5.0, 6.0, 40
MAX_AREA = 0.35  # m², largest footprint of the 35 drawn objects


def build_case(seed: int):
    """(scene, requests, relations) for one seed."""
    from scene_gym.assets import factories
    from scene_gym.layout import Around, Facing, Middle, NextTo, PlacementRequest
    from scene_gym.layout.relations import AgainstWall
    from scene_gym.scene import Opening, Room, Scene

    rng = np.random.default_rng(seed)
    room = Room.rectangle(ROOM_W, ROOM_D, type="living room", openings=(
        Opening(id="door_1", kind="door", wall=0, offset=0.8, width=0.9, height=2.05),
        Opening(id="window_1", kind="window", wall=1, offset=3.0, width=1.4, height=1.2, sill=0.9)))  # fmt: skip
    scene = Scene(room, prompt=f"layout benchmark seed {seed}")
    all_f = factories()
    floor = sorted(c for c, f in all_f.items() if f.placement == "floor" and not f.thin_covering
                   and f.size_range[0][0] * f.size_range[0][1] <= MAX_AREA)  # fmt: skip
    requests, relations = [], []
    table = "dining_table" if "dining_table" in all_f else floor[0]
    chair = "dining_chair" if "dining_chair" in all_f else floor[1]
    requests.append(PlacementRequest(table, size=_fit(all_f[table], 1.2)))
    requests += [PlacementRequest(chair, size=_fit(all_f[chair], MAX_AREA)) for _ in range(4)]
    relations += [Middle(f"{table}_1", tolerance=0.8),
                  Around(f"{table}_1", tuple(f"{chair}_{i}" for i in range(1, 5)))]  # fmt: skip
    counts = {table: 1, chair: 4}
    ids = []
    for k in range(N_OBJECTS - 5):
        cat = floor[int(rng.integers(len(floor)))]
        counts[cat] = counts.get(cat, 0) + 1
        oid = f"{cat}_{counts[cat]}"
        requests.append(PlacementRequest(cat, size=_fit(all_f[cat], MAX_AREA), seed=int(rng.integers(1000))))
        if k % 3 == 0:
            relations.append(AgainstWall(oid))
        if k % 5 == 4 and ids:
            relations.append(NextTo(oid, ids[-1]))
        if k % 7 == 6:
            relations.append(Facing(oid, f"{table}_1"))
        ids.append(oid)
    return scene, requests, relations


def _fit(factory, max_area: float) -> tuple[float, float, float]:
    w, d, h = factory.default_size
    s = min(1.0, math.sqrt(max_area / (w * d)))
    return factory.clamp_size((w * s, d * s, h))


def rejection_sampling(scene, requests, seed: int, tries: int = 400):
    """The peer: uniform random valid poses, relations ignored. Returns the number of objects placed."""
    from scene_gym.assets import get_factory
    from scene_gym.layout.candidates import axis_yaws
    from scene_gym.layout.constraints import Candidates, Obstacles, check
    from scene_gym.layout.geometry import Box
    from scene_gym.layout.scene_view import Layout

    rng = np.random.default_rng(seed)
    layout = Layout.from_scene(scene)
    bx, by = layout.room.polygon.max(axis=0)
    yaws = np.array(axis_yaws(layout.room))
    placed = 0
    for k, req in enumerate(requests):
        f = get_factory(req.category)
        w, d, h = req.size or f.default_size
        obstacles = Obstacles(layout.boxes.values())
        for _ in range(tries // 20):  # 20 poses per vectorised check
            c = Candidates(rng.uniform(0, bx, 20), rng.uniform(0, by, 20), yaws[rng.integers(len(yaws), size=20)],
                           np.zeros(20), (w, d, h))  # fmt: skip
            ok, _ = check(c, layout.room, obstacles, front_clearance=0.4)
            if ok.any():
                i = int(np.argmax(ok))
                layout.boxes[f"o_{k}"] = Box(f"o_{k}", req.category, c.x[i], c.y[i], 0.0, w, d, h, c.yaw[i])
                placed += 1
                break
    return placed


def run(seeds: int, budget: float) -> list[dict]:
    from scene_gym.layout import solve

    rows = []
    for seed in range(seeds):
        scene, requests, relations = build_case(seed)
        t = time.perf_counter()
        res = solve(scene, requests, relations, seed=seed, time_budget_s=budget)
        dt = time.perf_counter() - t
        t = time.perf_counter()
        peer_placed = rejection_sampling(scene, requests, seed)
        peer_dt = time.perf_counter() - t
        satisfied = sum(s >= 0.9 for s in res.scores) / max(len(res.scores), 1)
        rows.append({"seed": seed, "time_s": dt, "placed": len(res.placed), "failed": len(res.failed),
                     "relations": len(relations), "satisfaction": res.satisfaction, "satisfied_fraction": satisfied,
                     "resized": len(res.resized), "timed_out": res.timed_out, "peer_time_s": peer_dt,
                     "peer_placed": peer_placed})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5, help="number of seeds (at least 5)")
    parser.add_argument("--budget", type=float, default=1.0, help="solver time budget, seconds")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    if args.seeds < 5:
        parser.error(f"expected --seeds >= 5, got {args.seeds}")
    from scene_gym.layout import solve

    solve(*build_case(0), seed=0)  # warm the asset caches so the timings measure the solver
    rows = run(args.seeds, args.budget)
    print(f"{'seed':>4} {'time':>9} {'placed':>7} {'failed':>6} {'resized':>7} {'rels':>5} {'satisf.':>8} "
          f"{'sat>=0.9':>8} {'peer time':>10} {'peer placed':>11}")  # fmt: skip
    for r in rows:
        print(f"{r['seed']:>4} {r['time_s'] * 1000:>6.0f} ms {r['placed']:>7} {r['failed']:>6} {r['resized']:>7} "
              f"{r['relations']:>5} {r['satisfaction']:>8.3f} {r['satisfied_fraction']:>8.2f} "
              f"{r['peer_time_s'] * 1000:>7.0f} ms {r['peer_placed']:>11}")  # fmt: skip
    med = {k: statistics.median(r[k] for r in rows) for k in ("time_s", "placed", "satisfaction",
                                                              "satisfied_fraction", "peer_time_s", "peer_placed")}
    summary = {"case": f"solve {N_OBJECTS} floor objects in a {ROOM_W:g} m x {ROOM_D:g} m room",
               "target_s": 1.0, "median_s": med["time_s"], "median_placed": med["placed"],
               "median_satisfaction": med["satisfaction"], "median_satisfied_fraction": med["satisfied_fraction"],
               "peer": "rejection sampling, relations ignored", "peer_median_s": med["peer_time_s"],
               "peer_median_placed": med["peer_placed"], "ratio": med["time_s"] / med["peer_time_s"],
               "seeds": rows}  # fmt: skip
    ok = "yes" if med["time_s"] < 1.0 else "NO"
    print(f"median: {med['time_s'] * 1000:.0f} ms (target < 1000 ms: {ok}), placed {med['placed']:g}/{N_OBJECTS}, "
          f"satisfaction {med['satisfaction']:.3f}, satisfied {med['satisfied_fraction']:.0%}; peer "
          f"{med['peer_time_s'] * 1000:.0f} ms placing {med['peer_placed']:g}, ratio {summary['ratio']:.1f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
