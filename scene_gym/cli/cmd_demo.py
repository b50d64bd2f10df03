"""``scene-gym demo [--out DIR]``: build the hand-written furnished bedroom and write its exports and renders.

This is what ``make demo`` runs until a default policy generates scenes from prompts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("demo", help="build the sample bedroom; write scene.json, MJCF, GLB, Blender script, renders")
    p.add_argument("--out", default="demo_out", help="output folder (default: demo_out)")
    p.add_argument("--size", type=int, default=384, help="render size in pixels (default 384)")
    p.set_defaults(func=run)


def run(args) -> int:
    from tqdm import tqdm

    from scene_gym.cli.outputs import joint_count, write_renders
    from scene_gym.export import export_scene
    from scene_gym.samples import bedroom_scene

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    steps = ["scene", "mjcf", "urdf", "glb", "obj", "blender", "render"]
    with tqdm(steps, desc="demo", unit="step") as bar:
        for step in bar:
            bar.set_postfix_str(step)
            t = time.perf_counter()
            if step == "scene":
                scene = bedroom_scene()
                scene.save(out / "scene.json")
            elif step == "render":
                write_renders(scene, out, args.size)
            else:
                export_scene(scene, step, out)
            timings[step] = time.perf_counter() - t
    summary = {"objects": len(scene), "articulated_joints": joint_count(scene), "seconds": timings,
               "files": sorted(p.name for p in out.iterdir() if p.is_file())}  # fmt: skip
    print(json.dumps(summary, indent=2))
    return 0

