"""Broken variants of the hand-built bedroom for the reward tests (shuffled, colliding, emptied)."""

from __future__ import annotations

import math

import numpy as np

from scene_gym.samples import bedroom_scene


def move_with_children(scene, obj, x, y, yaw):
    """Move a floor object to (x, y, yaw) carrying everything resting on it rigidly."""
    dyaw = yaw - obj.yaw
    c, s = math.cos(dyaw), math.sin(dyaw)
    for child in scene.descendants(obj.id):
        rx, ry = child.position[0] - obj.position[0], child.position[1] - obj.position[1]
        scene.update(child.id, position=(x + c * rx - s * ry, y + s * rx + c * ry, child.position[2]),
                     yaw=child.yaw + dyaw)  # fmt: skip
    scene.update(obj.id, position=(x, y, obj.position[2]), yaw=yaw)


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
    for obj in scene.objects:
        if obj.id in scene:
            scene.remove(obj.id)
    return scene
