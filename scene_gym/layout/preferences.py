"""Soft preferences the solver adds to the relations' scores when choosing among valid poses of a floor object.

- compactness: up to +0.1 for a pose touching a wall or another object (falling to 0 at 1 m of free space),
  which packs furniture along walls and next to each other and keeps the floor open;
- access: -0.2 when the strip in front of the object (0.4 m deep, or its ``front_clearance`` if deeper) is
  taken by another object, and -0.2 for every other floor object whose 0.4 m front strip the pose would take
  (wardrobe doors, a desk's seat); the same strips as the accessibility metric (ACC) of
  :mod:`scene_gym.metrics`.

They are small beside a relation's score (up to 1), so they only decide between otherwise equal poses.
"""

from __future__ import annotations

import numpy as np

from scene_gym.layout.constraints import Candidates, Obstacles
from scene_gym.layout.geometry import corners, sat_penetration
from scene_gym.layout.scene_view import RoomGeometry
from scene_gym.scene.geometry import distance_to_polygon_boundary

COMPACT, ACCESS = 0.1, 0.4
ACCESS_DEPTH = 0.4  # metres, as the ACC metric's strip
_BLOCK = 0.01  # metres of plan overlap with a front strip that count as blocking it


def floor_prior(cands: Candidates, obstacles: Obstacles, room: RoomGeometry, front_clearance: float) -> np.ndarray:
    """(N,) prior score of each candidate pose of a floor object (see module docstring)."""
    n = len(cands)
    if n == 0:
        return np.zeros(0)
    rc = corners(cands.x, cands.y, cands.w, cands.d, cands.yaw)
    near = distance_to_polygon_boundary(rc.reshape(-1, 2), room.polygon).reshape(n, 4).min(axis=1)
    score = np.zeros(n)
    if len(obstacles):
        a = {"x": cands.x, "y": cands.y, "w": np.full(n, cands.w), "d": np.full(n, cands.d), "yaw": cands.yaw}
        near = np.minimum(near, np.maximum(-sat_penetration(a, obstacles.arrays), 0.0).min(axis=1))
        depth = max(front_clearance, ACCESS_DEPTH)
        off = cands.d / 2 + depth / 2
        strip = {"x": cands.x - np.sin(cands.yaw) * off, "y": cands.y + np.cos(cands.yaw) * off,
                 "w": a["w"], "d": np.full(n, depth), "yaw": cands.yaw}  # fmt: skip
        score -= ACCESS * (sat_penetration(strip, obstacles.arrays) > _BLOCK).any(axis=1)
        others = [b for b in obstacles.boxes if b.category and b.parent == "floor"]  # keep-out zones have none
        if others:
            off = np.array([b.d / 2 + ACCESS_DEPTH / 2 for b in others])
            strips = {"x": np.array([b.x for b in others]) - np.array([b.s for b in others]) * off,
                      "y": np.array([b.y for b in others]) + np.array([b.c for b in others]) * off,
                      "w": np.array([b.w for b in others]), "d": np.full(len(others), ACCESS_DEPTH),
                      "yaw": np.array([b.yaw for b in others])}  # fmt: skip
            score -= ACCESS * (sat_penetration(a, strips) > _BLOCK).sum(axis=1)
    return score + COMPACT * (1.0 - np.minimum(near, 1.0))
