"""Geometry for the DSL executor: the inside-the-room test, compass walls, and free spots on support surfaces.

Units: metres and radians; compass words as in :mod:`scene_gym.scene` (north = +Y). A compass wall is the wall on
that side of the room: the "north" wall's inward normal points south (-Y).
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene, SceneObject

#: Slack for the inside-the-room test, metres.
ROOM_TOLERANCE = 0.01
#: Centre height of wall objects added without z, metres.
WALL_CENTER_HEIGHT = 1.5
_INWARD = {"north": (0.0, -1.0), "south": (0.0, 1.0), "east": (-1.0, 0.0), "west": (1.0, 0.0)}


class ExecutionError(SceneGymError):
    """A statement that is well formed but cannot be applied to this scene (the message says why)."""


def check_inside(scene: Scene, obj: SceneObject) -> None:
    room = scene.room
    corners = obj.footprint()
    center = corners.mean(axis=0)
    shrunk = center + (corners - center) * np.clip(1 - ROOM_TOLERANCE / np.maximum(
        np.linalg.norm(corners - center, axis=1, keepdims=True), 1e-9), 0, 1)  # fmt: skip
    pts = np.vstack([shrunk, (shrunk + np.roll(shrunk, 1, axis=0)) / 2, center[None]])
    inside = room.contains(pts)
    low, top = obj.position[2], obj.top
    if inside.all() and low >= -ROOM_TOLERANCE and top <= room.wall_height + ROOM_TOLERANCE:
        return
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    w, d = room.bounds
    raise ExecutionError(f"{obj.id} would leave the room: it spans x {lo[0]:.2f}..{hi[0]:.2f}, y {lo[1]:.2f}.."
                         f"{hi[1]:.2f}, z {low:.2f}..{top:.2f} m; the room spans x 0..{w:.2f}, y 0..{d:.2f}, "
                         f"z 0..{room.wall_height:.2f} m")  # fmt: skip


def compass_wall(room, side: str, near_xy=None) -> int:
    want = np.asarray(_INWARD[side])
    walls = [i for i in range(len(room.floor)) if float(room.wall_normal(i) @ want) > 0.9]
    if not walls:
        raise ExecutionError(f"expected a room with a {side} wall, got none facing that way")
    if near_xy is None:
        return max(walls, key=room.wall_length)
    p = np.asarray(near_xy, dtype=float)

    def dist(i):
        a, b = room.wall(i)
        t = np.clip((p - a) @ (b - a) / max((b - a) @ (b - a), 1e-12), 0, 1)
        return float(np.linalg.norm(a + t * (b - a) - p))

    return min(walls, key=dist)


def snap_to_wall(room, side: str, xy, width: float, depth: float) -> tuple[float, float, float]:
    """(x, y, yaw) putting an object's back flush against the ``side`` wall, facing into the room."""
    i = compass_wall(room, side, xy)
    a, b = room.wall(i)
    length = room.wall_length(i)
    if width > length + 1e-9:
        raise ExecutionError(f"expected an object at most {length:.2f} m wide for the {side} wall, got {width:.2f} m")
    t, n = (b - a) / length, room.wall_normal(i)
    s = length / 2 if xy is None else float(np.clip((np.asarray(xy) - a) @ t, width / 2, length - width / 2))
    p = a + t * s + n * (depth / 2 + 0.005)
    return float(p[0]), float(p[1]), math.atan2(-n[0], n[1])


def _surface_children(scene: Scene, parent: SceneObject, z: float) -> list[np.ndarray]:
    """Footprint corners (4, 2), in the parent's frame, of the children resting at height ``z`` (parent frame)."""
    inv = np.linalg.inv(parent.transform())
    out = []
    for child in scene.children(parent.id):
        local = (inv @ np.c_[np.c_[child.footprint(), np.full(4, child.position[2])], np.ones(4)].T).T
        if abs(local[0, 2] - z) < 0.02:
            out.append(local[:, :2])
    return out


def surface_spot(scene: Scene, parent: SceneObject, size, at=None):
    """(surface, x, y) in the parent's frame for an object of ``size`` (w, d, h) metres on ``parent``: the
    largest base-link support surface that fits; ``at`` = (u, v) in [-1, 1] across it, or else the free spot
    nearest its centre (7 x 7 candidates) clear of the items already on it. Raises :class:`ExecutionError`."""
    from scene_gym.assets import build_asset

    w, d, h = size
    asset = build_asset(parent.category, parent.size, parent.params, parent.seed, parent.material or None)
    surfaces = sorted((s for s in asset.surfaces if s.link == "base"), key=lambda s: -s.area)
    fitting = [s for s in surfaces if s.size[0] >= w and s.size[1] >= d and s.clearance >= h]
    if not fitting:
        have = ", ".join(f"{s.name} {s.size[0]:.2f} x {s.size[1]:.2f} m (clearance {s.clearance:.2f} m)"
                         for s in surfaces) or "none"  # fmt: skip
        raise ExecutionError(f"expected a support surface of {parent.id} that fits {w:.2f} x {d:.2f} x {h:.2f} m, "
                             f"got surfaces: {have}")  # fmt: skip
    spot = None
    if at is not None:
        s = fitting[0]
        u, v = at
        spot = (s, s.center[0] + u * (s.size[0] - w) / 2, s.center[1] + v * (s.size[1] - d) / 2)
    else:
        grid = [(u, v) for u in np.linspace(-1, 1, 7) for v in np.linspace(-1, 1, 7)]
        grid.sort(key=lambda uv: (uv[0] ** 2 + uv[1] ** 2, uv))
        for s in fitting:
            taken = _surface_children(scene, parent, s.center[2])
            for u, v in grid:
                cx, cy = s.center[0] + u * (s.size[0] - w) / 2, s.center[1] + v * (s.size[1] - d) / 2
                lo, hi = np.array([cx - w / 2, cy - d / 2]), np.array([cx + w / 2, cy + d / 2])
                if all((c.max(axis=0) <= lo + 1e-3).any() or (c.min(axis=0) >= hi - 1e-3).any() for c in taken):
                    spot = (s, cx, cy)
                    break
            if spot:
                break
        if spot is None:
            raise ExecutionError(f"expected free room for {w:.2f} x {d:.2f} m on {parent.id}, got its surfaces full")
    return spot
