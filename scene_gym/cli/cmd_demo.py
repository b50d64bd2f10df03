"""``scene-gym demo [--out DIR]``: build the hand-written furnished bedroom and write its exports and renders.

This is what ``make demo`` runs until a default policy generates scenes from prompts.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("demo", help="build the sample bedroom; write scene.json, MJCF, GLB, Blender script, renders")
    p.add_argument("--out", default="demo_out", help="output folder (default: demo_out)")
    p.add_argument("--size", type=int, default=384, help="render size in pixels (default 384)")
    p.set_defaults(func=run)


def run(args) -> int:
    import numpy as np
    from PIL import Image
    from tqdm import tqdm

    from scene_gym.export import export_scene
    from scene_gym.render import render_views
    from scene_gym.render.sheet import contact_sheet
    from scene_gym.samples import bedroom_scene
    from scene_gym.scene.io import atomic_write

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
                views = render_views(scene, "topdown_ids,corners", size=(args.size, args.size),
                                     rng=np.random.default_rng(0))  # fmt: skip
                for name, res in views.items():
                    atomic_write(out / f"render_{name}.png", _png(Image.fromarray(res.rgb)))
                sheet = contact_sheet({n: r.rgb for n, r in views.items()}, cell_height=args.size)
                atomic_write(out / "render.png", _png(sheet))
            else:
                export_scene(scene, step, out)
            timings[step] = time.perf_counter() - t
    summary = {"objects": len(scene), "articulated_joints": _joint_count(scene), "seconds": timings,
               "files": sorted(p.name for p in out.iterdir() if p.is_file())}  # fmt: skip
    print(json.dumps(summary, indent=2))
    return 0


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _joint_count(scene) -> int:
    from scene_gym.assets import build_asset

    return sum(len(build_asset(o.category, o.size, o.params, o.seed, o.material or None).joints) for o in scene)
