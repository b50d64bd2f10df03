"""Speed of the scene tools: the ten-call example trajectory end to end, and each tool on its own.

Usage: python benchmarks/bench_tools.py [--repeat 20] [--json PATH]

Cases (medians over ``--repeat`` runs, each from an empty scene with a different seed; asset and collision-shape
caches warm, as in a long-running environment):

- ``trajectory (shared world)``: parse + validate + apply the ten calls of
  :func:`scene_gym.actions.tools.examples.example_trajectory` with one :class:`PhysicsWorld` kept across runs
  (what the trajectory-level environment does). Target: under 150 ms, i.e. at least 5 ten-call trajectories per
  second including the environment's own evaluation (reported separately as ``evaluate after``).
- ``trajectory (no world)``: the same with ``world=None`` (tools needing physics create a temporary world);
  the peer the shared world is compared with (``ratio``).
- ``validate only``: ``parse_trajectory`` + ``validate_trajectory`` of the ten calls.
- per tool: the median wall time of each call of the trajectory, plus the tools the trajectory does not use,
  run on the finished scene (``add_relation``, ``update_layout``, ``update_size``, ``remove_objects``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np


def run_trajectory(text: str, seed: int, world) -> tuple[object, list]:
    from scene_gym.actions.tools import apply_tool, parse_trajectory, validate_trajectory
    from scene_gym.scene import Room, Scene

    scene = Scene(Room.rectangle(4, 5))
    rng = np.random.default_rng(seed)
    calls = validate_trajectory(parse_trajectory(text))
    return scene, [apply_tool(scene, c, rng=rng, world=world) for c in calls]


EXTRA_CALLS = [
    {"tool": "add_relation", "args": {"relation": {"relation": "next_to", "subject": "armchair_1",
                                                   "target": "sofa_1"}}},
    {"tool": "update_layout", "args": {"objects": [{"id": "side_table_1"}]}},
    {"tool": "update_size", "args": {"id": "coffee_table_1", "scale": 0.9}},
    {"tool": "remove_objects", "args": {"ids": ["floor_lamp_1"]}},
]  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs per case (default 20)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    from scene_gym.actions.tools import apply_tool, parse_trajectory, validate_call, validate_trajectory
    from scene_gym.actions.tools.examples import example_trajectory
    from scene_gym.metrics import evaluate
    from scene_gym.physics import PhysicsWorld

    text = json.dumps(example_trajectory())
    world = PhysicsWorld()
    run_trajectory(text, 10_000, world)  # warm the asset and shape caches
    run_trajectory(text, 10_001, None)

    shared, fresh, validate, evals = [], [], [], []
    per_tool: dict[str, list[float]] = defaultdict(list)
    n_obj = []
    for i in range(args.repeat):
        t = time.perf_counter()
        scene, results = run_trajectory(text, i, world)
        shared.append(time.perf_counter() - t)
        for r in results:
            per_tool[r.tool].append(r.wall_time_s)
        t = time.perf_counter()
        m = evaluate(scene, world)
        evals.append(time.perf_counter() - t)
        n_obj.append(m.n_obj)
        if m.n_collisions or m.n_oob:
            print(f"warning: run {i}: {m.n_collisions} collisions, {m.n_oob} out of bounds", file=sys.stderr)
        rng = np.random.default_rng(i)
        for raw in EXTRA_CALLS:
            r = apply_tool(scene, validate_call(raw), rng=rng, world=world)
            per_tool[r.tool].append(r.wall_time_s)
        t = time.perf_counter()
        run_trajectory(text, i, None)
        fresh.append(time.perf_counter() - t)
        t = time.perf_counter()
        validate_trajectory(parse_trajectory(text))
        validate.append(time.perf_counter() - t)
        print(f"\r{i + 1}/{args.repeat}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    world.close()

    def med(xs):
        return round(1e3 * statistics.median(xs), 3)

    rows = {
        "trajectory (shared world)": med(shared),
        "trajectory (no world)": med(fresh),
        "evaluate after": med(evals),
        "validate only": med(validate),
    }
    tools = {name: med(ts) for name, ts in per_tool.items()}
    per_s = 1e3 / (rows["trajectory (shared world)"] + rows["evaluate after"])
    out = {"median_ms": rows, "tool_median_ms": tools, "ratio_no_world_over_shared": round(
        rows["trajectory (no world)"] / rows["trajectory (shared world)"], 3),
        "trajectories_per_s_with_evaluate": round(per_s, 2), "target_ms": 150.0,
        "n_obj_median": statistics.median(n_obj), "repeat": args.repeat}  # fmt: skip

    width = max(map(len, [*rows, *tools]))
    print(f"{'case':<{width}}  median ms")
    for name, v in rows.items():
        print(f"{name:<{width}}  {v:9.2f}")
    print(f"{'ratio no world / shared':<{width}}  {out['ratio_no_world_over_shared']:9.2f}")
    print(f"{'trajectories/s (+evaluate)':<{width}}  {per_s:9.2f}   (target >= 5; median n_obj {out['n_obj_median']})")
    print()
    print(f"{'tool':<{width}}  median ms")
    for name, v in tools.items():
        print(f"{name:<{width}}  {v:9.2f}")
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
