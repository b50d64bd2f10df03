"""Hard constraints of the solver, vectorised over many candidate poses of one object.

A candidate pose is valid when:

- ``inside_room``: its footprint lies inside the floor polygon (1 mm of slack, L-shapes included);
- ``no_collision``: it overlaps no other object in plan by more than 1 mm where their height intervals overlap
  by more than 1 mm (2.5D boxes; thin coverings such as rugs never collide; an object never collides with the
  objects it rests on);
- ``opening_clearance``: it stays out of door swing zones and, above the sill, out of the zone in front of
  windows (see :class:`~scene_gym.layout.scene_view.RoomGeometry`);
- ``front_clearance``: the strip of ``front_clearance`` metres in front of its front face lies inside the room.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from scene_gym.layout.geometry import Box, corners, rects_inside_polygon, sat_penetration
from scene_gym.layout.scene_view import RoomGeometry

TOLERANCE = 1e-3
"""Penetration (plan) and height overlap below which two boxes do not count as colliding, metres."""


class Obstacles:
    """The boxes a candidate must avoid, packed into arrays once per placement step."""

    def __init__(self, boxes: Iterable[Box]):
        self.boxes = [b for b in boxes if not b.thin]
        self.ids = [b.id for b in self.boxes]
        cols = np.array([(b.x, b.y, b.w, b.d, b.yaw, b.z, b.top) for b in self.boxes], dtype=float).reshape(-1, 7)
        self.arrays = {k: cols[:, i] for i, k in enumerate(("x", "y", "w", "d", "yaw", "z0", "z1"))}

    def __len__(self) -> int:
        return len(self.boxes)


class Candidates:
    """N poses of one object of size (w, d, h): arrays ``x``, ``y``, ``yaw``, ``z`` (bottom height), each (N,),
    and ``tags`` (N,) saying which generator proposed each pose."""

    def __init__(self, x, y, yaw, z, size, tags=None):
        self.x, self.y, self.yaw, self.z = (np.asarray(v, dtype=float).reshape(-1) for v in (x, y, yaw, z))
        self.w, self.d, self.h = (float(v) for v in size)
        self.tags = list(tags) if tags is not None else [""] * len(self.x)

    def __len__(self) -> int:
        return len(self.x)

    def subset(self, index) -> Candidates:
        index = np.asarray(index)
        tags = [self.tags[i] for i in np.flatnonzero(index)] if index.dtype == bool else [self.tags[i] for i in index]
        return Candidates(self.x[index], self.y[index], self.yaw[index], self.z[index], (self.w, self.d, self.h), tags)


def check(cands: Candidates, room: RoomGeometry, obstacles: Obstacles, *, in_room: bool = True,
          keepouts: bool = True, front_clearance: float = 0.0, height_env: float | None = None,
          thin: bool = False) -> tuple[np.ndarray, Counter]:  # fmt: skip
    """Which candidates satisfy every hard constraint: (N,) bool and a Counter of the first reason each
    rejected candidate failed (``"outside the room"``, ``"collides with desk_1"``, ...).

    ``height_env`` replaces the object's height in collision tests (an object carrying others moves with
    them); ``thin`` objects skip collision and opening tests.
    """
    n = len(cands)
    ok = np.ones(n, dtype=bool)
    reasons: Counter = Counter()
    if n == 0:
        return ok, reasons

    def reject(mask: np.ndarray, why) -> None:
        nonlocal ok
        newly = mask & ok
        if newly.any():
            if callable(why):
                for i in np.flatnonzero(newly):
                    reasons[why(i)] += 1
            else:
                reasons[why] += int(newly.sum())
            ok = ok & ~mask

    if in_room:
        rc = corners(cands.x, cands.y, cands.w, cands.d, cands.yaw)
        reject(~rects_inside_polygon(rc, room.polygon, room.convex), "outside the room")
        top = cands.z + cands.h
        reject((cands.z < -TOLERANCE) | (top > room.wall_height + TOLERANCE), "taller than the room")
    if not thin:
        h = cands.h if height_env is None else height_env
        a = {"x": cands.x, "y": cands.y, "w": np.full(n, cands.w), "d": np.full(n, cands.d), "yaw": cands.yaw}
        z0, z1 = cands.z, cands.z + h
        if len(obstacles) and ok.any():
            ob = obstacles.arrays
            pen = sat_penetration(a, ob)
            hov = np.minimum(z1[:, None], ob["z1"][None, :]) - np.maximum(z0[:, None], ob["z0"][None, :])
            hit = (pen > TOLERANCE) & (hov > TOLERANCE)
            first = hit.argmax(axis=1)
            reject(hit.any(axis=1), lambda i: f"collides with {obstacles.ids[first[i]]}")
        if keepouts and room.keepouts and ok.any():
            ko = _keepout_obstacles(room)
            pen = sat_penetration(a, ko.arrays)
            hov = np.minimum(z1[:, None], ko.arrays["z1"][None, :]) - np.maximum(z0[:, None], ko.arrays["z0"][None, :])
            hit = (pen > TOLERANCE) & (hov > TOLERANCE)
            first = hit.argmax(axis=1)
            reject(hit.any(axis=1), lambda i: f"blocks {ko.ids[first[i]]}")
    if front_clearance > 0 and ok.any():
        fx, fy = -np.sin(cands.yaw), np.cos(cands.yaw)
        off = cands.d / 2 + front_clearance / 2
        strip = corners(cands.x + fx * off, cands.y + fy * off, max(cands.w - 0.02, 0.01), front_clearance, cands.yaw)
        reject(~rects_inside_polygon(strip, room.polygon, room.convex), "front faces a wall")
    return ok, reasons


def _keepout_obstacles(room: RoomGeometry) -> Obstacles:
    ko = getattr(room, "_keepout_obstacles", None)
    if ko is None:
        ko = Obstacles(room.keepouts)
        room._keepout_obstacles = ko  # the room geometry is immutable; cache the packed arrays on it
    return ko


def describe(reasons: Counter, limit: int = 3) -> str:
    """``"outside the room (40), collides with desk_1 (12)"``: the most frequent rejection reasons."""
    if not reasons:
        return "no candidate poses"
    return ", ".join(f"{why} ({count})" for why, count in reasons.most_common(limit))
