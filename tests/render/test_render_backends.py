"""Rendered geometry: shapes and dtypes, a table at a known place in the top-down view, depth against analytic
values, and the 2-pixel agreement of the tiny and mujoco backends."""

from __future__ import annotations

import math

import numpy as np
import pytest
from render_helpers import TABLE_SIZE, TABLE_XY, table_scene

from scene_gym.actions import edit
from scene_gym.render import Camera, Renderer, render
from scene_gym.render.views import corner_cameras, topdown_camera

BACKENDS = ["tiny", "mujoco"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_shapes_and_dtypes(backend, table):
    cam = Camera.look_at((0.4, 0.4, 1.6), (2.0, 1.5, 0.5), width=48, height=32)
    res = render(table, cam, backend=backend)
    assert res.rgb.shape == (32, 48, 3) and res.rgb.dtype == np.uint8
    assert res.depth.shape == (32, 48) and res.depth.dtype == np.float32
    assert res.segmentation.shape == (32, 48) and res.segmentation.dtype == np.int32
    assert set(np.unique(res.segmentation)) <= {-1, 0}
    assert res.camera is cam and res.backend == backend and res.object_ids == ("dining_table_1",)
    assert np.all(res.depth[np.isfinite(res.depth)] > 0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_table_lands_at_expected_topdown_pixel(backend, table):
    cam = topdown_camera(table, 200, 160)
    res = render(table, cam, backend=backend)
    top = TABLE_SIZE[2]
    (u, v), = cam.project([[*TABLE_XY, top]])[0]
    i, j = int(v), int(u)
    assert res.segmentation[i, j] == 0
    assert res.depth[i, j] == pytest.approx(cam.position[2] - top, abs=0.01)
    # the table top's mask: centroid within 2 px of the projected centre, edges where the box projects
    centroid = res.centroid(0)
    assert np.abs(centroid - (u, v)).max() <= 2.0
    corners, _ = cam.project([[TABLE_XY[0] - TABLE_SIZE[0] / 2, TABLE_XY[1] + TABLE_SIZE[1] / 2, top],
                              [TABLE_XY[0] + TABLE_SIZE[0] / 2, TABLE_XY[1] - TABLE_SIZE[1] / 2, top]])
    rows, cols = np.nonzero(res.segmentation == 0)
    assert abs(cols.min() - corners[0, 0]) <= 1.0 and abs(cols.max() + 1 - corners[1, 0]) <= 1.0
    assert abs(rows.min() - corners[0, 1]) <= 1.0 and abs(rows.max() + 1 - corners[1, 1]) <= 1.0
    # the floor next to it is the room (-1) at the camera height
    (uf, vf), = cam.project([[TABLE_XY[0] + 1.2, TABLE_XY[1], 0.0]])[0]
    assert res.segmentation[int(vf), int(uf)] == -1
    assert res.depth[int(vf), int(uf)] == pytest.approx(cam.position[2], abs=0.01)


@pytest.mark.parametrize("backend", BACKENDS)
def test_perspective_floor_depth_matches_ray_plane_intersection(backend):
    from scene_gym.scene import Room, Scene

    scene = Scene(Room.rectangle(5.0, 4.0))
    cam = Camera.look_at((0.5, 0.5, 1.6), (3.0, 2.5, 0.0), width=80, height=60)
    res = render(scene, cam, backend=backend)
    origins, dirs = cam.ray(cam.pixel_centers().reshape(-1, 2))
    t = -origins[:, 2] / dirs[:, 2]
    hit = origins + dirs * t[:, None]
    _, expected = cam.project(hit)
    inside = ((t > 0) & (hit[:, 0] > 0.1) & (hit[:, 0] < 4.9) & (hit[:, 1] > 0.1) & (hit[:, 1] < 3.9)).reshape(60, 80)
    err = np.abs(res.depth - expected.reshape(60, 80))[inside]
    assert inside.sum() > 1000 and np.percentile(err, 99) < 0.01


def _agreement_cameras(scene):
    cams = [topdown_camera(scene, 128, 128), *corner_cameras(scene, 128, 96)[:2]]
    base = cams[1]
    cams.append(Camera(128, 96, base.fx * 1.1, base.fy, 70.0, 44.0, base.cam_to_world))  # off-centre, fx != fy
    return cams


def test_tiny_and_mujoco_agree_within_two_pixels(grid12):
    cams = _agreement_cameras(grid12)
    with Renderer("tiny") as tiny, Renderer("mujoco") as mj:
        for cam in cams:
            a, b = tiny.render(grid12, cam), mj.render(grid12, cam)
            compared = 0
            for i in range(len(grid12)):
                ca, cb = a.centroid(i), b.centroid(i)
                na, nb = (a.segmentation == i).sum(), (b.segmentation == i).sum()
                if min(na, nb) < 20:  # a sliver at the image border or behind another object
                    continue
                compared += 1
                assert np.abs(ca - cb).max() <= 2.0, (grid12.objects[i].id, cam.projection, ca, cb)
            assert compared >= 3
            assert (a.segmentation == b.segmentation).mean() > 0.97
            both = np.isfinite(a.depth) & np.isfinite(b.depth)
            assert np.median(np.abs(a.depth[both] - b.depth[both])) < 0.01


def test_tiny_cache_follows_edits(table):
    with Renderer("tiny") as r:
        cam = topdown_camera(table, 120, 90)
        first = r.render(table, cam)
        edit.move_object(table, "dining_table_1", to=(2.8, 1.0, 0.0))  # pose-only edit: the body is moved
        moved = r.render(table, cam)
        (u, v), = cam.project([[2.8, 1.0, TABLE_SIZE[2]]])[0]
        assert moved.segmentation[int(v), int(u)] == 0 and np.abs(moved.centroid(0) - (u, v)).max() <= 2
        edit.set_material(table, "dining_table_1", "black metal")  # rebuilt with a new colour
        edit.turn_object(table, "dining_table_1", math.pi / 2)
        recoloured = r.render(table, cam)
        assert recoloured.rgb[int(v), int(u)].mean() < first.rgb[first.segmentation == 0].mean()
        edit.add_object(table, "dining_table", position=(1.0, 0.8, 0.0), size=(0.8, 0.7, 0.7))
        edit.remove_objects(table, ["dining_table_1"])
        after = r.render(table, cam)
        assert set(np.unique(after.segmentation)) == {-1, 0} and after.object_ids == ("dining_table_2",)
        assert after.segmentation[int(v), int(u)] == -1


def test_same_scene_renders_identically_twice(grid12):
    cam = corner_cameras(grid12, 64, 48)[0]
    a = render(grid12, cam)
    b = render(grid12.copy(), cam)
    assert np.array_equal(a.rgb, b.rgb) and np.array_equal(a.segmentation, b.segmentation)


def test_materials_drive_colour():
    scene = table_scene()
    cam = topdown_camera(scene, 100, 80)
    res = render(scene, cam)
    marble = res.rgb[res.segmentation == 0].astype(float).mean(axis=0)
    edit.set_material(scene, "dining_table_1", "red velvet")
    red = render(scene, cam).rgb[res.segmentation == 0].astype(float).mean(axis=0)
    assert marble.min() > 150  # white marble is light
    assert red[0] > 1.5 * red[1] and red[0] > 1.5 * red[2]
