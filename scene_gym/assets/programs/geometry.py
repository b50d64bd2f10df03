"""Geometry for object programs: simple polygons (validity, ear-clipping triangulation, convex decomposition),
prisms extruded from them, and rotation matrices back to roll-pitch-yaw.

Polygons are (N, 2) sequences of (x, y) metres with N <= 64, so the O(N²)-O(N³) algorithms here stay cheap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from scene_gym.assets.parts import MeshData

_EPS = 1e-12


def signed_area(poly: np.ndarray) -> float:
    """Signed area of an (N, 2) polygon, m²: positive when counter-clockwise."""
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _cross(o, a, b) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(p1, p2, q1, q2) -> bool:
    """Whether closed segments p1p2 and q1q2 intersect (touching counts)."""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if ((d1 > _EPS and d2 < -_EPS) or (d1 < -_EPS and d2 > _EPS)) and (
        (d3 > _EPS and d4 < -_EPS) or (d3 < -_EPS and d4 > _EPS)
    ):
        return True

    def on(a, b, c):  # c collinear with ab and within its box
        return abs(_cross(a, b, c)) <= _EPS and min(a[0], b[0]) - _EPS <= c[0] <= max(a[0], b[0]) + _EPS and \
            min(a[1], b[1]) - _EPS <= c[1] <= max(a[1], b[1]) + _EPS  # fmt: skip

    return on(q1, q2, p1) or on(q1, q2, p2) or on(p1, p2, q1) or on(p1, p2, q2)


def polygon_problem(points: Sequence[Sequence[float]]) -> str | None:
    """Why ``points`` is not a usable simple polygon (None when it is): fewer than 3 vertices, repeated
    vertices, crossing or touching edges, or an area under 1e-6 m²."""
    poly = np.asarray(points, dtype=float)
    n = len(poly)
    if n < 3:
        return f"expected at least 3 (x, y) vertices, got {n}"
    for i in range(n):
        if np.linalg.norm(poly[i] - poly[(i + 1) % n]) < 1e-6:
            return f"expected distinct consecutive vertices, got a repeated vertex at index {(i + 1) % n}"
    for i in range(n):
        a1, a2 = poly[i], poly[(i + 1) % n]
        for j in range(i + 1, n):
            if j == i or (j + 1) % n == i or j == (i + 1) % n:
                continue  # adjacent edges share a vertex
            if _segments_cross(a1, a2, poly[j], poly[(j + 1) % n]):
                return f"expected a simple polygon, got edges {i} and {j} crossing or touching"
    if abs(signed_area(poly)) < 1e-6:
        return f"expected a polygon with an area, got {abs(signed_area(poly)):.3g} m²"
    return None


def _ccw(poly: np.ndarray) -> np.ndarray:
    return poly if signed_area(poly) > 0 else poly[::-1].copy()


def _inside_triangle(p, a, b, c) -> bool:
    return _cross(a, b, p) >= -_EPS and _cross(b, c, p) >= -_EPS and _cross(c, a, p) >= -_EPS


def triangulate(points: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
    """Ear-clipping triangulation of a simple polygon: (N, 2) counter-clockwise vertices and (N - 2, 3) triangles
    of vertex indices, counter-clockwise."""
    poly = _ccw(np.asarray(points, dtype=float))
    remaining = list(range(len(poly)))
    triangles = []
    guard = 0
    while len(remaining) > 3 and guard < 4 * len(poly) ** 2:
        guard += 1
        m = len(remaining)
        for k in range(m):
            i, j, n = remaining[(k - 1) % m], remaining[k], remaining[(k + 1) % m]
            a, b, c = poly[i], poly[j], poly[n]
            if _cross(a, b, c) <= _EPS:
                continue  # reflex or flat corner: not an ear
            if any(_inside_triangle(poly[q], a, b, c) for q in remaining if q not in (i, j, n)):
                continue
            triangles.append((i, j, n))
            remaining.pop(k)
            break
        else:  # numerically stuck: clip the flattest corner
            triangles.append((remaining[-1], remaining[0], remaining[1]))
            remaining.pop(0)
    triangles.append(tuple(remaining))
    return poly, np.asarray(triangles, dtype=np.int64)


def _is_convex(poly: np.ndarray, ring: list[int]) -> bool:
    m = len(ring)
    return all(_cross(poly[ring[k - 1]], poly[ring[k]], poly[ring[(k + 1) % m]]) >= -1e-12 for k in range(m))


def is_convex(points: Sequence[Sequence[float]]) -> bool:
    """Whether a simple polygon is convex."""
    poly = _ccw(np.asarray(points, dtype=float))
    return _is_convex(poly, list(range(len(poly))))


def convex_pieces(points: Sequence[Sequence[float]]) -> list[np.ndarray]:
    """A simple polygon cut into convex polygons (Hertel-Mehlhorn: triangulate, then drop every diagonal whose
    removal keeps both sides convex; at most 4x the optimum count). Each piece is (K, 2), counter-clockwise."""
    poly, triangles = triangulate(points)
    rings = [list(t) for t in triangles]
    merged = True
    while merged:
        merged = False
        for a in range(len(rings)):
            for b in range(a + 1, len(rings)):
                joined = _join(rings[a], rings[b])
                if joined is not None and _is_convex(poly, joined):
                    rings[a] = joined
                    rings.pop(b)
                    merged = True
                    break
            if merged:
                break
    return [poly[ring] for ring in rings]


def _join(r1: list[int], r2: list[int]) -> list[int] | None:
    """Two counter-clockwise rings sharing exactly one edge, merged into one ring (None when they share none)."""
    for k in range(len(r1)):
        u, v = r1[k], r1[(k + 1) % len(r1)]
        for m in range(len(r2)):
            if r2[m] == v and r2[(m + 1) % len(r2)] == u:
                # r1 from v around to u, then r2 from u (exclusive) around to v (exclusive)
                path1 = [r1[(k + 1 + t) % len(r1)] for t in range(len(r1))]
                path2 = [r2[(m + 2 + t) % len(r2)] for t in range(len(r2) - 2)]
                return path1 + path2
    return None


def extrude_polygon(points: Sequence[Sequence[float]], height: float) -> MeshData:
    """A closed, outward-wound prism from a simple polygon extruded by ``height`` along z, centred on its
    bounding box (vertices (2N, 3), faces (4N - 4, 3))."""
    poly, triangles = triangulate(points)
    n = len(poly)
    vertices = np.vstack([np.column_stack([poly, np.zeros(n)]), np.column_stack([poly, np.full(n, float(height))])])
    faces = [tri[::-1] for tri in triangles] + [tri + n for tri in triangles]
    for i in range(n):
        j = (i + 1) % n
        faces += [np.array([i, j, n + j]), np.array([i, n + j, n + i])]
    vertices -= (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    return MeshData(vertices, np.asarray(faces, dtype=np.int64))


def matrix_rpy(m: np.ndarray) -> tuple[float, float, float]:
    """(roll, pitch, yaw) radians of a (3, 3) rotation, the inverse of
    :func:`scene_gym.assets.transforms.rpy_matrix` (R = Rz Ry Rx)."""
    m = np.asarray(m, dtype=float)
    pitch = math.asin(max(-1.0, min(1.0, -m[2, 0])))
    if abs(m[2, 0]) < 1 - 1e-9:
        return math.atan2(m[2, 1], m[2, 2]), pitch, math.atan2(m[1, 0], m[0, 0])
    # Gimbal lock: only roll - yaw (or roll + yaw) is defined; put it all in yaw.
    return 0.0, pitch, math.atan2(-m[0, 1], m[1, 1])


__all__ = ["convex_pieces", "extrude_polygon", "is_convex", "matrix_rpy", "polygon_problem", "signed_area",
           "triangulate"]  # fmt: skip
