"""Pillow overlays on renders (metric grid with labelled ticks, object ids) and the contact sheet of views.

Overlays are placed with the view's :class:`~scene_gym.render.camera.Camera`, so a grid line drawn at x = 1 m
passes through the pixels where the floor's x = 1 m line projects.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from scene_gym.render.camera import Camera

GRID_COLOUR = (40, 90, 200)
LABEL_COLOUR = (20, 20, 20)


def _font(size: int = 11):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has a fixed-size default font
        return ImageFont.load_default()


def grid_step(extent: float, max_lines: int = 10, pixels_per_metre: float = math.inf, min_gap_px: float = 24.0) -> float:
    """A round grid spacing (0.25, 0.5, 1, 2, 5, 10 m...) giving at most ``max_lines`` lines over ``extent``
    and lines at least ``min_gap_px`` apart (room for a tick label)."""
    for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0):
        if extent / step <= max_lines and step * pixels_per_metre >= min_gap_px:
            return step
    return 100.0


def draw_grid(rgb: np.ndarray, camera: Camera, bounds: tuple[float, float], z: float = 0.0) -> np.ndarray:
    """Draw x-y grid lines at round metric positions over [0, bounds] at height ``z`` with labelled ticks
    (metres) along the top and left edges; returns a new (H, W, 3) uint8 image."""
    img = Image.fromarray(rgb)
    draw = ImageDraw.Draw(img)
    font = _font(max(9, min(14, camera.height // 24)))
    w, d = bounds
    step = grid_step(max(w, d), pixels_per_metre=min(camera.fx, camera.fy))
    xs = np.arange(0.0, w + 1e-9, step)
    ys = np.arange(0.0, d + 1e-9, step)
    for x in xs:
        (u0, v0), (u1, v1) = camera.project([[x, 0.0, z], [x, d, z]])[0]
        draw.line([(u0, v0), (u1, v1)], fill=GRID_COLOUR, width=1)
        draw.text((u1, v1 - 2), _fmt(x), fill=LABEL_COLOUR, font=font, anchor="mb")
    for y in ys:
        (u0, v0), (u1, v1) = camera.project([[0.0, y, z], [w, y, z]])[0]
        draw.line([(u0, v0), (u1, v1)], fill=GRID_COLOUR, width=1)
        draw.text((u0 - 3, v0), _fmt(y), fill=LABEL_COLOUR, font=font, anchor="rm")
    u, v = camera.project([[w, 0.0, z]])[0][0]
    draw.text((u, v + 3), "x (m)", fill=LABEL_COLOUR, font=font, anchor="rt")
    u, v = camera.project([[0.0, d, z]])[0][0]
    draw.text((u - 3, v - 14), "y (m)", fill=LABEL_COLOUR, font=font, anchor="rb")
    return np.asarray(img)


def _fmt(v: float) -> str:
    return f"{v:g}"


def draw_ids(rgb: np.ndarray, camera: Camera, scene) -> np.ndarray:
    """Write each object's id at the projection of its bounding box's top centre; returns a new image."""
    img = Image.fromarray(rgb)
    draw = ImageDraw.Draw(img)
    font = _font(max(8, min(12, camera.height // 28)))
    pts = np.array([[*o.position[:2], o.top] for o in scene.objects]) if len(scene) else np.zeros((0, 3))
    if len(pts):
        uv, depth = camera.project(pts)
        order = np.argsort(-depth)  # far first, so labels of near (higher) objects end on top
        for k in order:
            u, v = uv[k]
            if not (math.isfinite(u) and math.isfinite(v)):
                continue
            text = scene.objects[k].id
            box = draw.textbbox((u, v), text, font=font, anchor="mm")
            draw.rectangle((box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1), fill=(255, 255, 255))
            draw.text((u, v), text, fill=LABEL_COLOUR, font=font, anchor="mm")
            draw.ellipse((u - 1.5, v - 1.5, u + 1.5, v + 1.5), fill=(220, 30, 30))
    return np.asarray(img)


def contact_sheet(images: Mapping[str, np.ndarray], cell_height: int = 256, columns: int | None = None) -> Image.Image:
    """Tile named (H, W, 3) images into one Pillow image, each scaled to ``cell_height`` with its name below."""
    names = list(images)
    if not names:
        return Image.new("RGB", (cell_height, cell_height), (255, 255, 255))
    font = _font(12)
    tiles = []
    for n in names:
        im = Image.fromarray(np.asarray(images[n], dtype=np.uint8))
        w = max(1, round(im.width * cell_height / im.height))
        tiles.append(im.resize((w, cell_height), Image.Resampling.BILINEAR))
    columns = columns or max(1, math.ceil(math.sqrt(len(tiles))))
    label_h, pad = 18, 6
    rows = [tiles[i : i + columns] for i in range(0, len(tiles), columns)]
    row_w = [sum(t.width for t in r) + pad * (len(r) + 1) for r in rows]
    sheet = Image.new("RGB", (max(row_w), len(rows) * (cell_height + label_h + pad) + pad), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    k = 0
    for ri, r in enumerate(rows):
        x = pad
        y = pad + ri * (cell_height + label_h + pad)
        for t in r:
            sheet.paste(t, (x, y))
            draw.text((x + t.width / 2, y + cell_height + 2), names[k], fill=LABEL_COLOUR, font=font, anchor="mt")
            x += t.width + pad
            k += 1
    return sheet
