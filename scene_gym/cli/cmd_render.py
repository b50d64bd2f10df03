"""``scene-gym render SCENE.json [--backend tiny|mujoco|blender] [--views all] [--size 256] --out DIR``: write one
PNG per view and ``contact_sheet.png`` of all views.

Each PNG is written atomically (:func:`scene_gym.scene.io.atomic_write`): a symbolic link already at an output
path is replaced by the image, never written through, so ``--out`` cannot be used to overwrite the file a
link points at."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("render", help="render a scene's standard views to PNGs plus a contact sheet")
    p.add_argument("scene", metavar="SCENE.json", help="scene file (scene-gym/scene@2 JSON; @1 still loads)")
    p.add_argument("--backend", default="tiny", help="tiny (CPU, default), mujoco (EGL) or blender (Cycles, slow)")
    p.add_argument("--views", default="all",
                   help="comma-separated views or groups: all, topdown, topdown_ids, corners, corner_<i>, "
                        "panorama, closeup (default: all)")  # fmt: skip
    p.add_argument("--size", default="256", help="image size in pixels: N or WxH (default 256)")
    p.add_argument("--samples", type=int, default=16, help="Cycles samples per pixel (blender backend)")
    p.add_argument("--seed", type=int, default=0, help="seed of the close-up camera")
    p.add_argument("--receptacle", default=None, help="object id for the close-up view (default: drawn by seed)")
    p.add_argument("--out", required=True, help="output folder")
    p.set_defaults(func=run)


def parse_size(text: str) -> tuple[int, int]:
    """``"256"`` -> (256, 256); ``"320x240"`` -> (320, 240); bad text raises RenderError."""
    from scene_gym.errors import RenderError
    from scene_gym.render.camera import check_image_size

    parts = str(text).lower().replace("*", "x").split("x")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise RenderError(f"expected --size as N or WxH pixels, got {text!r}") from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2:
        raise RenderError(f"expected --size as N or WxH pixels, got {text!r}")
    return check_image_size(values[0], values[1])


def run(args) -> int:
    import numpy as np
    from PIL import Image

    from scene_gym.assets.validation import check_scene
    from scene_gym.render import Renderer
    from scene_gym.render.sheet import contact_sheet
    from scene_gym.scene import Scene
    from scene_gym.scene.io import atomic_write

    size = parse_size(args.size)
    scene = check_scene(Scene.load(args.scene))  # catalog check before any building
    options = {"samples": args.samples} if args.backend == "blender" else {}
    with Renderer(args.backend, **options) as renderer:
        views = renderer.views(scene, args.views, size=size, rng=np.random.default_rng(args.seed),
                               receptacle=args.receptacle)  # fmt: skip
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, res in views.items():
        atomic_write(out / f"{name}.png", _png(Image.fromarray(res.rgb)))
    sheet = contact_sheet({n: r.rgb for n, r in views.items()}, cell_height=min(size[1], 256))
    atomic_write(out / "contact_sheet.png", _png(sheet))
    print(f"wrote {len(views)} views and contact_sheet.png to {out} ({args.backend})")
    return 0


def _png(image) -> bytes:
    """A PIL image encoded as PNG bytes."""
    import io

    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
