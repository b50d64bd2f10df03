"""Bad input raises the package's own errors and never takes the process down."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from scene_gym.errors import MissingDependencyError, RenderError, SceneGymError
from scene_gym.render import Camera, Renderer, get_backend, render, render_views


def test_unknown_backend(table):
    cam = Camera.look_at((0.5, 0.5, 1.6), (2, 1.5, 0.5), width=16, height=16)
    with pytest.raises(RenderError, match="expected a backend in"):
        render(table, cam, backend="povray")
    with pytest.raises(RenderError):
        render_views(table, "topdown", backend="povray")
    with pytest.raises(RenderError):
        Renderer("")


@pytest.mark.parametrize("size", [(0, 64), (64, 0), (5000, 64), (64, 4097), "big", (64,)])
def test_bad_view_sizes(table, size):
    with pytest.raises(RenderError):
        render_views(table, "topdown", size=size)


@pytest.mark.parametrize("backend", ["tiny", "mujoco"])
@pytest.mark.parametrize("eye", [(-1.0, 1.5, 1.6), (2.0, 1.5, 3.5), (2.0, 1.5, -0.2), (9.0, 9.0, 1.0)])
def test_camera_outside_the_room(table, backend, eye):
    cam = Camera.look_at(eye, (2.0, 1.5, 0.5), width=16, height=16)
    with pytest.raises(RenderError, match="inside the room"):
        render(table, cam, backend=backend)


@pytest.mark.parametrize("backend", ["tiny", "mujoco"])
def test_camera_inside_furniture(table, backend):
    cam = Camera.look_at((1.3, 2.1, 0.735), (2.0, 1.0, 0.5), width=16, height=16)  # inside the table top
    with pytest.raises(RenderError, match="dining_table_1"):
        render(table, cam, backend=backend)
    # the check can be switched off (e.g. for a deliberate cut-away)
    assert render(table, cam, backend=backend, check=False).rgb.shape == (16, 16, 3)


def test_not_a_camera(table):
    with pytest.raises(RenderError, match="Camera"):
        render(table, {"fx": 1}, backend="tiny")


def test_missing_bpy_names_the_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "bpy" else real(name, *a))
    with pytest.raises(MissingDependencyError) as info:
        get_backend("blender")
    assert info.value.extra == "blender" and "scene-gym[blender]" in str(info.value)
    assert isinstance(info.value, SceneGymError) and isinstance(info.value, ImportError)


def test_closeup_without_receptacles():
    from scene_gym.scene import Room, Scene

    with pytest.raises(RenderError, match="receptacle"):
        render_views(Scene(Room.rectangle(3, 3)), "closeup", size=16, rng=np.random.default_rng(0))


def test_unknown_receptacle_id(table):
    with pytest.raises(SceneGymError, match="nope_1"):
        render_views(table, "closeup", size=16, rng=np.random.default_rng(0), receptacle="nope_1")
