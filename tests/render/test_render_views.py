"""The standard views: names and groups, shapes, overlays placed by the camera, the panorama and the close-up."""

from __future__ import annotations

import numpy as np
import pytest

from scene_gym.errors import RenderError
from scene_gym.render import render, render_views
from scene_gym.render.sheet import GRID_COLOUR, contact_sheet, grid_step
from scene_gym.render.views import closeup_camera, corner_cameras, panorama_camera, view_names


def test_view_names_and_groups(grid12):
    assert view_names(grid12, "all") == ["topdown", "topdown_ids", "corner_0", "corner_1", "corner_2", "corner_3",
                                         "panorama", "closeup"]  # fmt: skip
    assert view_names(grid12, "topdown,corner_2") == ["topdown", "topdown_ids", "corner_2"]
    assert view_names(grid12, ["corners", "corner_1"]) == ["corner_0", "corner_1", "corner_2", "corner_3"]
    with pytest.raises(RenderError, match="sideways"):
        view_names(grid12, "topdown,sideways")
    with pytest.raises(RenderError):
        view_names(grid12, "")


def test_all_views_shapes_and_meta(grid12):
    views = render_views(grid12, "all", size=(64, 48), rng=np.random.default_rng(1))
    for name, res in views.items():
        h, w = (48, 96) if name == "panorama" else (48, 64)
        assert res.rgb.shape == (h, w, 3) and res.depth.shape == (h, w) and res.segmentation.shape == (h, w), name
        assert res.rgb.dtype == np.uint8 and res.depth.dtype == np.float32 and res.segmentation.dtype == np.int32
        assert res.segmentation.min() >= -1 and res.segmentation.max() < len(grid12)
    assert views["panorama"].camera.projection == "equirectangular"
    assert views["topdown"].camera.projection == "orthographic"
    assert views["closeup"].meta["receptacle"] in grid12
    # the two top-down views share one render: same geometry, different overlays
    assert np.array_equal(views["topdown"].segmentation, views["topdown_ids"].segmentation)
    assert not np.array_equal(views["topdown"].rgb, views["topdown_ids"].rgb)
    assert np.array_equal(views["topdown"].meta["rgb_raw"], views["topdown_ids"].meta["rgb_raw"])


def test_grid_lines_sit_where_the_camera_projects_them(table):
    res = render_views(table, "topdown", size=(240, 200))["topdown"]
    cam = res.camera
    step = grid_step(4.0, pixels_per_metre=cam.fx)
    for x in np.arange(step, 4.0, step):
        (u, _), = cam.project([[x, 0.5, 0.0]])[0]
        v_rows = [int(cam.project([[x, y, 0.0]])[0][0, 1]) for y in (0.3, 0.6)]  # floor, away from the table
        col = int(u)
        hits = [np.abs(res.rgb[v, col - 1 : col + 2].astype(int) - GRID_COLOUR).sum(axis=1).min() for v in v_rows]
        assert max(hits) < 30, (x, hits)


def test_corner_cameras_at_eye_height_looking_at_centre(grid12):
    cams = corner_cameras(grid12, 32, 32)
    assert len(cams) == len(grid12.room.floor)
    cx, cy = grid12.room.center
    for cam in cams:
        assert cam.position[2] == pytest.approx(1.6)
        assert grid12.room.contains(cam.position[None, :2])[0]
        uv, depth = cam.project([[cx, cy, 0.6]])
        assert depth[0] > 0 and np.abs(uv[0] - 16).max() < 1e-6


def test_panorama_pixels_map_to_rays(table):
    cam = panorama_camera(table, 128, 64)
    res = render(table, cam)
    # the table seen from the room centre: its mask contains the projection of its top centre
    (u, v), = cam.project([[1.3, 2.1, 0.75]])[0]
    assert res.segmentation[int(v), int(u)] == 0
    # depth is the range: the point found by unprojecting a floor pixel lies on the floor
    rows, cols = np.nonzero((res.segmentation == -1) & np.isfinite(res.depth))
    k = np.argmax(rows)  # the lowest visible room pixel: floor
    p = cam.unproject((cols[k] + 0.5, rows[k] + 0.5), res.depth[rows[k], cols[k]])
    assert abs(p[2]) < 0.05


def test_closeup_is_seeded_and_sees_its_receptacle(grid12):
    cam_a, meta_a = closeup_camera(grid12, np.random.default_rng(7), width=64, height=64)
    cam_b, meta_b = closeup_camera(grid12, np.random.default_rng(7), width=64, height=64)
    np.testing.assert_allclose(cam_a.cam_to_world, cam_b.cam_to_world)
    assert meta_a == meta_b
    res = render(grid12, cam_a)
    index = [o.id for o in grid12.objects].index(meta_a["receptacle"])
    assert (res.segmentation == index).mean() > 0.05
    (u, v), = cam_a.project([meta_a["surface_center"]])[0]
    assert abs(u - 32) < 1e-6 and abs(v - 32) < 1e-6
    with pytest.raises(RenderError, match="Generator"):
        closeup_camera(grid12, 7)


def test_closeup_of_named_receptacle(table):
    _, meta = closeup_camera(table, np.random.default_rng(0), receptacle="dining_table_1")
    assert meta["receptacle"] == "dining_table_1" and meta["surface"] == "top"


def test_contact_sheet_tiles_everything():
    imgs = {f"v{i}": np.full((20, 30 if i else 60, 3), 40 * i, np.uint8) for i in range(5)}
    sheet = contact_sheet(imgs, cell_height=40)
    assert sheet.mode == "RGB" and sheet.height > 2 * 40 and sheet.width >= 3 * 60
