"""Files the scene-producing commands (``demo``, ``generate``) write besides the exports: renders and counts."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

RENDER_VIEWS = "topdown_ids,corners"


def png_bytes(image) -> bytes:
    """A PIL image encoded as PNG."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def write_renders(scene, out: Path, size: int, seed: int = 0) -> list[Path]:
    """Render :data:`RENDER_VIEWS` at ``size`` x ``size`` pixels with the tiny backend and write
    ``render_<view>.png`` per view plus ``render.png``, a contact sheet of all of them. Returns the paths."""
    from PIL import Image

    from scene_gym.render import render_views
    from scene_gym.render.sheet import contact_sheet
    from scene_gym.scene.io import atomic_write

    views = render_views(scene, RENDER_VIEWS, size=(size, size), rng=np.random.default_rng(seed))
    paths = [atomic_write(out / f"render_{name}.png", png_bytes(Image.fromarray(res.rgb))) for name, res in views.items()]
    sheet = contact_sheet({n: r.rgb for n, r in views.items()}, cell_height=size)
    paths.append(atomic_write(out / "render.png", png_bytes(sheet)))
    return paths


def joint_count(scene) -> int:
    """Number of articulated joints over all objects of ``scene``."""
    from scene_gym.assets import build_asset

    return sum(len(build_asset(o.category, o.size, o.params, o.seed, o.material or None).joints) for o in scene)
