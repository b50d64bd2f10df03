"""The blender backend: a small scene renders through a Cycles subprocess with our camera imposed."""

from __future__ import annotations

import numpy as np
import pytest
from render_helpers import table_scene

pytest.importorskip("bpy")

from scene_gym.render import Renderer, render_views  # noqa: E402
from scene_gym.render.views import corner_cameras, topdown_camera  # noqa: E402


@pytest.mark.slow
def test_blender_renders_small_scene_with_our_camera():
    scene = table_scene()
    cams = [topdown_camera(scene, 96, 72), corner_cameras(scene, 64, 48)[0]]
    with Renderer("blender", samples=4) as r:
        top, corner = r.backend.render_many(scene, cams)
    for res, cam in ((top, cams[0]), (corner, cams[1])):
        assert res.rgb.shape == (cam.height, cam.width, 3) and res.rgb.dtype == np.uint8
        assert res.depth.dtype == np.float32 and res.segmentation.dtype == np.int32
        assert res.backend == "blender" and res.rgb.std() > 5
    # Geometry lines up with the camera: the white marble table top is where its mask says, and brighter
    # than the oak floor ring just around it.
    lum = top.rgb.astype(float).mean(axis=2)
    table = top.segmentation == 0
    inner = table & np.roll(table, 2, 0) & np.roll(table, -2, 0) & np.roll(table, 2, 1) & np.roll(table, -2, 1)
    grown = table.copy()
    for shift in (3, -3):
        grown |= np.roll(table, shift, 0) | np.roll(table, shift, 1)
    ring = grown & ~table & (top.segmentation == -1)
    assert inner.sum() > 20 and ring.sum() > 20
    assert lum[inner].mean() > lum[ring].mean() + 20


@pytest.mark.slow
def test_blender_views_through_public_api(tmp_path):
    views = render_views(table_scene(), "topdown_ids", size=(48, 40), backend="blender")
    res = views["topdown_ids"]
    assert res.rgb.shape == (40, 48, 3) and not np.array_equal(res.rgb, res.meta["rgb_raw"])
