"""Corner views look into the room: a wardrobe standing in a corner does not fill that corner's view."""

from __future__ import annotations

import math

import numpy as np

from scene_gym.actions import edit
from scene_gym.render import render_views
from scene_gym.render.views import CORNER_CLEAR_VIEW, corner_cameras
from scene_gym.scene import Room, Scene


def test_corner_camera_moves_past_furniture_in_front_of_it():
    scene = Scene(Room.rectangle(4.0, 4.0))
    # A wardrobe just in front of corner 2 (x = y = 4), turned to face the room centre.
    edit.add_object(scene, "wardrobe", position=(3.3, 3.3, 0.0), yaw=math.radians(135), size=(1.2, 0.6, 2.0))
    cams = corner_cameras(scene, 64, 64)
    views = render_views(scene, "corners", size=(64, 64))
    depth = views["corner_2"].depth
    centre = depth[24:40, 24:40]
    assert np.median(centre) > CORNER_CLEAR_VIEW
    assert np.linalg.norm(cams[2].position[:2] - np.array([4.0, 4.0])) > 0.5  # it slid towards the centre
