"""MuJoCo simulation throughput on a 40-object kitchen with 10 articulated objects (issue 9).

Usage: python benchmarks/bench_sim.py [--seconds 2] [--repeat 5] [--size 640x480] [--frames 60] [--json PATH]

Cases (medians over ``--repeat`` runs after one warm-up; the process is pinned to one CPU core where the OS
allows it, and MuJoCo runs single-threaded):

- ``physics scene``: ``mj_step`` on the scene alone (:func:`scene_gym.export.mjcf.load_model`, 2 ms steps,
  small objects free), ``--seconds`` of simulated time per run, starting from the state after 0.5 s of
  settling; steps/s.
- ``physics scene+gripper``: the same with the floating gripper parked (:class:`scene_gym.sim.SimWorld`:
  elliptic friction cones, impratio 10), body sleeping off.
- ``physics scene+gripper sleep``: as SimWorld runs by default, with MuJoCo's body sleeping on (objects at rest
  sleep until touched).
- ``physics python loop``: ``mj_step`` called once per step from Python (what an env does), SimWorld default.
- ``skill``: the scripted open skill on every articulated part; parts/s and simulated steps/s.
- ``render WxH``: ``mujoco.Renderer`` frames/s (EGL; a GPU where one exists, Mesa's llvmpipe otherwise).

Peer in the same process: the ratio of scene+gripper to scene alone (what the gripper's cone settings cost).
Target (issue 9): >= 5,000 simulation steps/s on one core without rendering.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scene_gym  # noqa: E402,F401  (before mujoco: sets MUJOCO_GL=egl on headless machines)

# isort: split
import mujoco  # noqa: E402

from scene_gym.export.mjcf import load_model  # noqa: E402
from scene_gym.samples import build_from_spec  # noqa: E402
from scene_gym.scene import Room, Scene  # noqa: E402

#: 10 articulated objects along the walls, a dining set, and small objects on the counters and the table.
KITCHEN = [
    {"category": "kitchen_counter", "at": (1.2, 0.32), "facing": "north"},
    {"category": "stove", "at": (2.6, 0.34), "facing": "north"},
    {"category": "sink_cabinet", "at": (3.6, 0.31), "facing": "north"},
    {"category": "dishwasher", "at": (4.4, 0.31), "facing": "north"},
    {"category": "fridge", "at": (5.6, 0.36), "facing": "north"},
    {"category": "kitchen_cabinet", "at": (0.3, 2.0), "facing": "east"},
    {"category": "kitchen_cabinet", "at": (0.3, 3.0), "facing": "east"},
    {"category": "oven", "at": (0.3, 4.0), "facing": "east"},
    {"category": "washing_machine", "at": (6.7, 2.5), "facing": "west"},
    {"category": "nightstand", "at": (6.75, 4.0), "facing": "west"},
    {"category": "dining_table", "at": (3.5, 3.3), "size": (1.6, 0.9, 0.75)},
    {"category": "dining_chair", "at": (3.0, 2.55), "facing": "north"},
    {"category": "dining_chair", "at": (4.0, 2.55), "facing": "north"},
    {"category": "dining_chair", "at": (3.0, 4.05), "facing": "south"},
    {"category": "dining_chair", "at": (4.0, 4.05), "facing": "south"},
    {"category": "storage_shelf", "at": (5.5, 5.3), "facing": "south"},
    {"category": "bar_stool", "at": (1.5, 5.5)},
    {"category": "bar_stool", "at": (2.1, 5.5)},
]
SMALL = ["cup", "plate", "bowl", "mug", "bottle", "drinking_glass", "kettle", "cutting_board", "fruit_bowl",
         "wine_bottle", "cooking_pot"]  # fmt: skip


def kitchen_scene() -> Scene:
    """The 40-object benchmark kitchen (7 m x 6 m): 10 articulated objects, 8 more furniture, 22 small items."""
    scene = Scene(Room.rectangle(7.0, 6.0, type="kitchen"), prompt="benchmark kitchen")
    scene = build_from_spec(scene, KITCHEN)
    spots = [("kitchen_counter_1", "worktop", (dx, 0.0)) for dx in (-0.7, -0.35, 0.0, 0.35, 0.7)]
    spots += [("dining_table_1", "top", (dx, dy)) for dx in (-0.6, -0.3, 0.0, 0.3, 0.6) for dy in (-0.2, 0.2)]
    spots += [(oid, "top", (0.0, 0.0)) for oid in ("washing_machine_1", "nightstand_1", "kitchen_cabinet_1",
                                                   "kitchen_cabinet_2", "oven_1")]
    spots += [("storage_shelf_1", "shelf_1", (0.0, 0.0)), ("storage_shelf_1", "shelf_2", (0.0, 0.0))]
    entries = [{"category": SMALL[i % len(SMALL)], "on": (pid, surface), "offset": off}
               for i, (pid, surface, off) in enumerate(spots)]  # fmt: skip
    return build_from_spec(scene, entries[: 40 - len(scene.objects)])


def _pin_one_core() -> str:
    try:
        core = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    except (AttributeError, OSError):
        return "not pinned"


def _median_rate(fn, repeat: int) -> float:
    fn()  # warm-up
    rates = [fn() for _ in range(repeat)]
    return statistics.median(rates)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="simulated seconds per physics run")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--size", default="640x480", help="render size WxH")
    ap.add_argument("--frames", type=int, default=60)
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args(argv)
    pin = _pin_one_core()
    from scene_gym.sim import SimWorld, operate_all

    scene = kitchen_scene()
    world = SimWorld(scene)
    n_art = len({p.object for p in world.parts})
    print(f"kitchen: {len(scene.objects)} objects, {n_art} articulated, {len(world.parts)} parts, "
          f"{len(world.free_bodies)} free; MuJoCo {mujoco.__version__}; {pin}")  # fmt: skip
    out = {"objects": len(scene.objects), "articulated": n_art, "parts": len(world.parts)}
    plain = load_model(scene)
    awake = SimWorld(scene, sleep=False).model
    n = int(args.seconds / plain.opt.timestep)

    def settled(model):
        data = mujoco.MjData(model)
        mujoco.mj_step(model, data, nstep=int(0.5 / model.opt.timestep))
        return data

    def physics(model):
        start = settled(model)

        def run():
            data = mujoco.MjData(model)
            mujoco.mj_copyData(data, model, start)
            t = time.perf_counter()
            mujoco.mj_step(model, data, nstep=n)
            return n / (time.perf_counter() - t)
        return run

    def python_loop():
        data = settled(world.model)
        t = time.perf_counter()
        for _ in range(n):
            mujoco.mj_step(world.model, data)
        return n / (time.perf_counter() - t)

    out["physics_scene_steps_s"] = _median_rate(physics(plain), args.repeat)
    out["physics_gripper_steps_s"] = _median_rate(physics(awake), args.repeat)
    out["physics_gripper_sleep_steps_s"] = _median_rate(physics(world.model), args.repeat)
    out["physics_python_loop_steps_s"] = _median_rate(python_loop, args.repeat)
    for key, label in (("physics_scene_steps_s", "physics scene"), ("physics_gripper_steps_s", "physics scene+gripper"),
                       ("physics_gripper_sleep_steps_s", "physics +gripper sleep"),
                       ("physics_python_loop_steps_s", "physics python loop")):  # fmt: skip
        print(f"{label:24s} {out[key]:10,.0f} steps/s")
    print(f"{'ratio gripper/scene':24s} {out['physics_gripper_steps_s'] / out['physics_scene_steps_s']:10.2f}")
    print(f"{'ratio sleep/awake':24s} {out['physics_gripper_sleep_steps_s'] / out['physics_gripper_steps_s']:10.2f}")
    print(f"target >= 5,000 steps/s (SimWorld default): "
          f"{'met' if out['physics_gripper_sleep_steps_s'] >= 5000 else 'NOT met'}; without sleeping: "
          f"{'met' if out['physics_gripper_steps_s'] >= 5000 else 'NOT met'}")  # fmt: skip

    world.settle()
    world.restore()
    t0 = float(world.data.time)  # each skill starts at the saved state's time; its last row is when it ended
    t = time.perf_counter()
    results = operate_all(world)
    wall = time.perf_counter() - t
    sim_steps = sum(float(r.joint_trajectory[-1, 0]) - t0 for r in results if len(r.joint_trajectory))
    sim_steps /= world.model.opt.timestep
    out["skill_parts_s"] = len(results) / wall
    out["skill_steps_s"] = sim_steps / wall
    out["skill_success"] = sum(r.success for r in results) / len(results)
    print(f"{'skill':24s} {out['skill_parts_s']:10.1f} parts/s ({out['skill_steps_s']:,.0f} steps/s), "
          f"{sum(r.success for r in results)}/{len(results)} opened")  # fmt: skip
    for r in results:
        if not r.success:
            print(f"    not opened: {r.object}/{r.joint} {r.opened_fraction:.0%} ({r.reason})")

    w, h = (int(v) for v in args.size.lower().split("x"))
    try:
        from scene_gym.sim.video import VideoRecorder

        rec = VideoRecorder(world.model, w, h)
        world.restore()

        def render():
            t = time.perf_counter()
            for _ in range(args.frames):
                rec.render(world.data)
            return args.frames / (time.perf_counter() - t)

        out[f"render_{w}x{h}_fps"] = _median_rate(render, max(1, args.repeat // 2))
        print(f"{'render ' + args.size:24s} {out[f'render_{w}x{h}_fps']:10.1f} frames/s")
        rec.close()
    except Exception as err:  # noqa: BLE001 - report a missing GL platform, keep the physics numbers
        print(f"render: unavailable ({err})")
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
