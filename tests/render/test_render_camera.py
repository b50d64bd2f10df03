"""The camera model: pixel convention, projection <-> rays, OpenGL matrices, serialisation, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scene_gym.errors import RenderError
from scene_gym.render import Camera
from scene_gym.scene.geometry import look_at_pose


def _cams():
    pose = look_at_pose((0.5, 0.4, 1.6), (3.0, 2.0, 0.5), up=(0.2, 0.0, 1.0))
    return [
        Camera.look_at((0.5, 0.5, 1.6), (2.0, 2.0, 0.6), width=64, height=48),
        Camera(80, 60, 70.0, 66.0, 37.0, 33.5, pose),
        Camera.top_down((2.0, 1.5), (4.0, 3.0), width=64, height=64, z=5.0),
        Camera.equirectangular((2.0, 1.5, 1.6), width=64, height=32, yaw=0.3),
    ]


@pytest.mark.parametrize("cam", _cams(), ids=lambda c: c.projection)
def test_project_ray_unproject_round_trip(cam):
    rng = np.random.default_rng(0)
    uv = rng.uniform([0, 0], [cam.width, cam.height], size=(50, 2))
    depth = rng.uniform(0.5, 4.0, size=50)
    pts = cam.unproject(uv, depth)
    uv2, depth2 = cam.project(pts)
    np.testing.assert_allclose(uv2, uv, atol=1e-6)
    np.testing.assert_allclose(depth2, depth, atol=1e-9)
    origins, dirs = cam.ray(uv)
    np.testing.assert_allclose(np.linalg.norm(dirs, axis=1), 1.0)
    # every unprojected point lies on its pixel's ray
    t = np.einsum("ij,ij->i", pts - origins, dirs)
    np.testing.assert_allclose(origins + dirs * t[:, None], pts, atol=1e-9)
    o1, d1 = cam.ray(uv[0])
    assert o1.shape == (3,) and d1.shape == (3,)


def test_pixel_convention_centre_and_axes():
    cam = Camera.look_at((0.0, 0.0, 1.0), (0.0, 5.0, 1.0), width=100, height=80, fovy=math.radians(60))
    (u, v), = cam.project([[0.0, 5.0, 1.0]])[0]
    assert (u, v) == pytest.approx((50.0, 40.0))  # the principal point is the image centre (W/2, H/2)
    (u_right, _), = cam.project([[1.0, 5.0, 1.0]])[0]  # +X is to the right when looking north
    (_, v_up), = cam.project([[0.0, 5.0, 2.0]])[0]  # +Z (up) is towards row 0
    assert u_right > 50 and v_up < 40
    origin, direction = cam.ray((50.0, 40.0))
    np.testing.assert_allclose(direction, [0, 1, 0], atol=1e-12)
    centres = cam.pixel_centers()
    assert centres.shape == (80, 100, 2) and tuple(centres[0, 0]) == (0.5, 0.5)


def test_top_down_is_north_up_and_metric():
    cam = Camera.top_down((2.0, 1.5), (4.0, 3.0), width=200, height=200, z=6.0, margin=0.0)
    uv, depth = cam.project([[0.0, 1.5, 0.0], [4.0, 1.5, 0.0], [2.0, 3.0, 1.0]])
    assert uv[0] == pytest.approx((0.0, 100.0)) and uv[1] == pytest.approx((200.0, 100.0))
    assert uv[2][1] < 100.0 and depth[2] == pytest.approx(5.0)  # north (+Y) is up, depth = height difference


def test_opengl_matrices_match_pybullet():
    from scene_gym.physics.pybullet_util import import_pybullet

    pb = import_pybullet()
    cam = Camera.look_at((0.3, 0.3, 1.6), (2.0, 1.5, 0.7), width=160, height=120, fovy=math.radians(60))
    view = np.array(pb.computeViewMatrix([0.3, 0.3, 1.6], [2, 1.5, 0.7], [0, 0, 1])).reshape(4, 4).T
    proj = np.array(pb.computeProjectionMatrixFOV(60, 160 / 120, cam.near, cam.far)).reshape(4, 4).T
    np.testing.assert_allclose(cam.opengl_view_matrix(), view, atol=1e-5)
    np.testing.assert_allclose(cam.opengl_projection_matrix(), proj, atol=1e-5)


def test_dict_round_trip_and_gl_pose():
    for cam in _cams()[:3]:
        data = cam.to_dict()
        back = Camera.from_dict(data)
        np.testing.assert_allclose(back.cam_to_world, cam.cam_to_world)
        assert (back.fx, back.cy, back.projection) == (cam.fx, cam.cy, cam.projection)
        gl = np.asarray(data["cam_to_world_gl"])
        np.testing.assert_allclose(-gl[:3, 2], cam.forward)  # OpenGL/Blender cameras look along -z


@pytest.mark.parametrize("w,h", [(0, 10), (10, 0), (4097, 10), (-5, 5), (10.5, 10), ("64", 64)])
def test_bad_image_sizes_raise(w, h):
    with pytest.raises(RenderError, match="image"):
        Camera.look_at((0, 0, 1), (1, 0, 1), width=w, height=h)


def test_bad_camera_values_raise():
    with pytest.raises(RenderError):
        Camera.look_at((0, 0, 1), (0, 0, 1))  # eye == target
    with pytest.raises(RenderError):
        Camera(10, 10, -1.0, 1.0, 5, 5, np.eye(4))
    with pytest.raises(RenderError):
        Camera(10, 10, 1.0, 1.0, 5, 5, np.diag([1.0, 1.0, -1.0, 1.0]))  # a reflection, not a rotation
    with pytest.raises(RenderError):
        Camera(10, 10, 1.0, 1.0, float("nan"), 5, np.eye(4))
