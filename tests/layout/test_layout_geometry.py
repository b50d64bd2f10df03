"""The solver's fast plan geometry against slow, independent computations (polygon clipping, dense sampling)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scene_gym.layout.geometry import (
    Box,
    angular_miss,
    corners,
    gap,
    penetration,
    polygon_centroid,
    rects_inside_polygon,
    sat_penetration,
)
from scene_gym.scene import Room


def _clip(subject: list, clip: list) -> list:
    """Sutherland-Hodgman: the part of convex polygon ``subject`` inside convex ``clip`` (both CCW)."""

    def inside(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def cut(p, q, a, b):
        dx, dy = q[0] - p[0], q[1] - p[1]
        ex, ey = b[0] - a[0], b[1] - a[1]
        t = ((a[0] - p[0]) * ey - (a[1] - p[1]) * ex) / (dx * ey - dy * ex)
        return (p[0] + t * dx, p[1] + t * dy)

    out = subject
    for i in range(len(clip)):
        a, b = clip[i], clip[(i + 1) % len(clip)]
        pts, out = out, []
        for j in range(len(pts)):
            p, q = pts[j], pts[(j + 1) % len(pts)]
            if inside(q, a, b):
                if not inside(p, a, b):
                    out.append(cut(p, q, a, b))
                out.append(q)
            elif inside(p, a, b):
                out.append(cut(p, q, a, b))
        if not out:
            return []
    return out


def _area(poly) -> float:
    if len(poly) < 3:
        return 0.0
    return 0.5 * abs(sum(poly[i][0] * poly[(i + 1) % len(poly)][1] - poly[(i + 1) % len(poly)][0] * poly[i][1]
                         for i in range(len(poly))))  # fmt: skip


def _random_box(rng, i) -> Box:
    return Box(f"b_{i}", "x", *rng.uniform(0, 3, 2), 0.0, *rng.uniform(0.1, 1.5, 2), 1.0, rng.uniform(-math.pi, math.pi))


def test_sat_overlap_matches_polygon_clipping():
    rng = np.random.default_rng(0)
    checked = 0
    for i in range(1500):
        a, b = _random_box(rng, 2 * i), _random_box(rng, 2 * i + 1)
        area = _area(_clip(a.corners(), b.corners()))
        pen = penetration(a, b)
        if abs(pen) < 1e-6:
            continue  # touching: either answer is right
        assert (pen > 0) == (area > 1e-12), (a, b, pen, area)
        checked += 1
    assert checked > 1400


def test_vectorised_sat_equals_the_pairwise_one():
    rng = np.random.default_rng(1)
    boxes = [_random_box(rng, i) for i in range(30)]
    arr = {k: np.array([getattr(b, k) for b in boxes]) for k in ("x", "y", "w", "d", "yaw")}
    pen = sat_penetration(arr, arr)
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes):
            assert pen[i, j] == pytest.approx(penetration(a, b), abs=1e-9)


def test_gap_matches_dense_boundary_sampling():
    rng = np.random.default_rng(2)

    def to_rect(pts: np.ndarray, r: Box) -> float:
        dx, dy = pts[:, 0] - r.x, pts[:, 1] - r.y
        lx, ly = r.c * dx + r.s * dy, -r.s * dx + r.c * dy
        return float(np.hypot(np.maximum(np.abs(lx) - r.w / 2, 0), np.maximum(np.abs(ly) - r.d / 2, 0)).min())

    def boundary(b: Box, n=2000):
        c = b.corners() + [b.corners()[0]]
        return np.concatenate([np.linspace(c[k], c[k + 1], n) for k in range(4)])

    for i in range(60):
        a, b = _random_box(rng, 2 * i), _random_box(rng, 2 * i + 1)
        g = gap(a, b)
        if penetration(a, b) > 0:
            assert g == 0.0
            continue
        # Densely sampled boundary of each, exact distance to the other rectangle (in its frame).
        brute = min(to_rect(boundary(a), b), to_rect(boundary(b), a))
        assert g <= brute + 1e-9 and brute <= g + 1e-3  # sampling can only overestimate the gap


def test_axis_aligned_gap_and_penetration_are_exact():
    a = Box("a_1", "x", 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0)
    b = Box("b_1", "x", 1.3, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0)
    assert gap(a, b) == pytest.approx(0.3)
    assert penetration(a, b) == pytest.approx(-0.3)
    c = Box("c_1", "x", 0.9, 0.0, 0.0, 1.0, 1.0, 1.0, math.pi / 2)
    assert penetration(a, c) == pytest.approx(0.1)


def test_l_shape_containment_catches_the_reflex_corner():
    room = Room.l_shape(5.0, 6.0, 2.0, 2.0)  # notch x in (3, 5), y in (4, 6); reflex corner (3, 4)
    poly = room.polygon
    # A thin rectangle across the notch: all four corners inside the L, its middle in the notch.
    diag = corners(3.1, 4.1, 1.2, 0.2, math.pi / 4 + math.pi / 2)
    assert room.contains(diag[0]).all()
    # Flush against walls counts as inside; a centimetre beyond does not.
    flush = corners([0.5, 0.5, 4.5], [0.3, 5.7, 0.3], 1.0, 0.6, 0.0)
    beyond = corners([0.49, 2.5], [0.29, 5.71], 1.0, 0.6, 0.0)
    inside = rects_inside_polygon(np.concatenate([diag, flush, beyond]), poly)
    assert inside.tolist() == [False, True, True, True, False, False]


def test_rectangles_inside_convex_room_agree_with_corner_tests():
    rng = np.random.default_rng(3)
    room = Room.rectangle(4.0, 3.0)
    n = 500
    rc = corners(rng.uniform(-0.5, 4.5, n), rng.uniform(-0.5, 3.5, n), rng.uniform(0.1, 2, n), rng.uniform(0.1, 2, n),
                 rng.uniform(-math.pi, math.pi, n))  # fmt: skip
    expected = ((rc[..., 0] > 0) & (rc[..., 0] < 4) & (rc[..., 1] > 0) & (rc[..., 1] < 3)).all(axis=1)
    assert (rects_inside_polygon(rc, room.polygon, margin=0.0) == expected).all()


def test_angular_miss():
    a = Box("a_1", "x", 0.0, 0.0, 0.0, 0.5, 0.5, 1.0, 0.0)  # faces +Y
    ahead = Box("t_1", "x", 0.0, 3.0, 0.0, 1.0, 1.0, 1.0, 0.0)
    side = Box("t_2", "x", 3.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0)
    behind = Box("t_3", "x", 0.0, -3.0, 0.0, 1.0, 1.0, 1.0, 0.0)
    assert angular_miss(a, ahead) == 0.0
    assert angular_miss(a, side) == pytest.approx(math.atan2(2.5, 0.5))  # to its nearest corner (2.5, 0.5)
    assert angular_miss(a, behind) == pytest.approx(math.pi - math.atan2(0.5, 2.5))


def test_polygon_centroid_of_an_l():
    cx, cy = polygon_centroid(Room.l_shape(4.0, 4.0, 2.0, 2.0).polygon)
    # Three unit-area-4 squares at centres (1, 1), (3, 1), (1, 3).
    assert (cx, cy) == pytest.approx((5 / 3, 5 / 3))
