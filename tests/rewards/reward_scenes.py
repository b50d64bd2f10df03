"""Broken variants of the hand-built bedroom for the reward tests (shuffled, colliding, emptied)."""

from __future__ import annotations

import math

import numpy as np

from scene_gym.actions import edit
from scene_gym.samples import bedroom_scene


def move_with_children(scene, obj, x, y, yaw):
    """Move a floor object to (x, y, yaw) carrying everything resting on it rigidly (the edit core carries)."""
    edit.move_object(scene, obj.id, to=(x, y))
    edit.turn_object(scene, obj.id, yaw)


def shuffled_bedroom(seed: int):
    """The bedroom with every floor object at a random position and yaw inside the room."""
    scene = bedroom_scene()
    rng = np.random.default_rng(seed)
    w, d = scene.room.bounds
    for obj in scene.objects:
        if obj.parent == "floor":
            move_with_children(scene, obj, rng.uniform(0.3, w - 0.3), rng.uniform(0.3, d - 0.3),
                               rng.uniform(-math.pi, math.pi))  # fmt: skip
    return scene


def colliding_bedroom():
    """The bedroom with every floor object moved onto the room's centre."""
    scene = bedroom_scene()
    cx, cy = scene.room.center
    for obj in scene.objects:
        if obj.parent == "floor":
            move_with_children(scene, obj, cx, cy, obj.yaw)
    return scene


def emptied_bedroom():
    """The bedroom's room with no objects."""
    scene = bedroom_scene()
    edit.remove_objects(scene, [o.id for o in scene.objects])
    return scene
