"""Geometry helpers: plane geometry of floor polygons and footprints, and the look-at camera pose shared by
the renderers and the exporters (metres, radians, numpy, no heavy imports)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from scene_gym.errors import SceneGymError

Point2 = tuple[float, float]


def polygon_signed_area(points: Sequence[Point2]) -> float:
    """Shoelace area of a polygon, positive when its vertices run counter-clockwise. Units: m²."""
    pts = np.asarray(points, dtype=float)
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _segments_cross(p1, p2, q1, q2) -> bool:
    """True when the closed segments p1p2 and q1q2 properly intersect (shared endpoints excluded)."""

    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    return (d1 * d2 < 0) and (d3 * d4 < 0)


def polygon_is_simple(points: Sequence[Point2]) -> bool:
    """True when no two non-adjacent edges of the closed polygon cross."""
    n = len(points)
    for i in range(n):
        a1, a2 = points[i], points[(i + 1) % n]
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # adjacent through the closing edge
            if _segments_cross(a1, a2, points[j], points[(j + 1) % n]):
                return False
    return True


def points_in_polygon(xy: np.ndarray, polygon: Sequence[Point2]) -> np.ndarray:
    """Even-odd test of many points against one polygon.

    xy : (N, 2) float, polygon : (M, 2). Returns (N,) bool; points exactly on an edge may go either way.
    """
    xy = np.atleast_2d(np.asarray(xy, dtype=float))
    poly = np.asarray(polygon, dtype=float)
    x, y = xy[:, 0:1], xy[:, 1:2]
    x1, y1 = poly[:, 0], poly[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    straddles = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    hits = straddles & (x < x_cross)
    return (hits.sum(axis=1) % 2) == 1


def distance_to_polygon_boundary(xy: np.ndarray, polygon: Sequence[Point2]) -> np.ndarray:
    """Euclidean distance from each point (N, 2) to the nearest edge of the polygon. Returns (N,) metres."""
    xy = np.atleast_2d(np.asarray(xy, dtype=float))
    a = np.asarray(polygon, dtype=float)
    b = np.roll(a, -1, axis=0)
    ab = b - a  # (M, 2)
    ap = xy[:, None, :] - a[None, :, :]  # (N, M, 2)
    t = np.clip((ap * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0.0, 1.0)
    closest = a[None] + t[..., None] * ab[None]
    return np.linalg.norm(xy[:, None, :] - closest, axis=-1).min(axis=1)


def footprint_corners(center: Sequence[float], width: float, depth: float, yaw: float) -> np.ndarray:
    """Corners (4, 2) of a width x depth rectangle centred at ``center`` (x, y) rotated by ``yaw`` radians.

    Order: counter-clockwise starting at the local (-w/2, -d/2) corner.
    """
    c, s = math.cos(yaw), math.sin(yaw)
    local = np.array([[-width, -depth], [width, -depth], [width, depth], [-width, depth]]) * 0.5
    rot = np.array([[c, -s], [s, c]])
    return local @ rot.T + np.asarray(center[:2], dtype=float)


def wrap_angle(angle: float) -> float:
    """Wrap an angle in radians into (-pi, pi]."""
    wrapped = math.remainder(angle, math.tau)
    return math.pi if wrapped == -math.pi else wrapped


def _unit(v: np.ndarray, what: str) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if not math.isfinite(n) or n < 1e-12:
        raise SceneGymError(f"expected a non-zero finite {what}, got {v.tolist()!r}")
    return v / n


def look_at_pose(eye: Sequence[float], target: Sequence[float], up: Sequence[float] = (0.0, 0.0, 1.0)) -> np.ndarray:
    """(4, 4) OpenCV-frame camera-to-world pose at ``eye`` looking at ``target`` with ``up`` roughly up.

    Camera frame (OpenCV): +x right, +y down, +z forward (the viewing direction). When the view runs along
    ``up``, any perpendicular serves as right. Raises :class:`SceneGymError` for a zero or non-finite view
    direction or up vector.
    """
    eye_v = np.asarray(eye, dtype=float).reshape(3)
    fwd = _unit(np.asarray(target, dtype=float).reshape(3) - eye_v, "view direction (target - eye)")
    up_v = _unit(np.asarray(up, dtype=float).reshape(3), "up vector")
    right = np.cross(fwd, up_v)
    if np.linalg.norm(right) < 1e-6:  # looking straight along up: pick any perpendicular
        right = np.cross(fwd, np.array([0.0, 1.0, 0.0]) if abs(fwd[1]) < 0.9 else np.array([1.0, 0.0, 0.0]))
    right = _unit(right, "right vector")
    down = np.cross(fwd, right)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = right, down, fwd, eye_v
    return pose
