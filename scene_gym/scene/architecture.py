"""Room architecture as geometry: floor triangulation and the wall boxes around the floor polygon.

Pure numpy, shared by every consumer (GLB/OBJ, MJCF, Blender, renderers, physics) so that the walls a robot
bumps into are the walls a camera sees. Walls stand *outside* the floor polygon, so the floor stays free, and
doors and windows are cut out of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Wall thickness in metres; walls stand outside the floor polygon so the floor stays free.
WALL_THICKNESS = 0.1
#: Floor slab thickness in metres; the slab spans z in [-FLOOR_THICKNESS, 0].
FLOOR_THICKNESS = 0.05


def _cross(o, a, b) -> float:
    """z of (a - o) x (b - o): positive when o -> a -> b turns left (counter-clockwise)."""
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def triangulate_polygon(points) -> np.ndarray:
    """Ear-clipping triangulation of a simple counter-clockwise polygon.

    points : (N, 2) float. Returns (N - 2 or fewer, 3) int64 vertex indices, each triangle counter-clockwise;
    collinear vertices are dropped rather than given zero-area triangles. Raises ``ValueError`` when the
    polygon is not simple (no ear can be found).
    """
    pts = np.asarray(points, dtype=float)
    remaining = list(range(len(pts)))
    triangles = []
    scale = max(float(np.ptp(pts, axis=0).max()), 1.0) if len(pts) else 1.0
    eps = 1e-12 * scale * scale
    while len(remaining) > 3:
        n = len(remaining)
        for k in range(n):
            i_prev, i, i_next = remaining[k - 1], remaining[k], remaining[(k + 1) % n]
            a, b, c = pts[i_prev], pts[i], pts[i_next]
            turn = _cross(a, b, c)
            if abs(turn) <= eps and np.dot(b - a, c - b) > 0:
                remaining.pop(k)  # collinear vertex: the polygon keeps its shape without it
                break
            if turn <= eps:
                continue  # reflex (or a spike): not an ear
            # An ear only if no other vertex lies in (or on the boundary of) the triangle.
            blocked = False
            for j in remaining:
                if j in (i_prev, i, i_next):
                    continue
                p = pts[j]
                if _cross(a, b, p) >= -eps and _cross(b, c, p) >= -eps and _cross(c, a, p) >= -eps:
                    blocked = True
                    break
            if not blocked:
                triangles.append((i_prev, i, i_next))
                remaining.pop(k)
                break
        else:
            raise ValueError(f"cannot triangulate polygon (not simple?): {pts.tolist()!r}")
    if len(remaining) == 3 and _cross(*(pts[j] for j in remaining)) > eps:
        triangles.append(tuple(remaining))
    return np.asarray(triangles, dtype=np.int64).reshape(-1, 3)


@dataclass(frozen=True)
class WallBox:
    """One solid box of wall.

    Attributes:
        wall: index of the wall (floor-polygon edge) it belongs to.
        center: (3,) box centre in room coordinates, metres.
        size: (3,) full extents (along the wall, across it, height), metres.
        yaw: rotation about +Z of the box's x axis (the wall direction), radians.
    """

    wall: int
    center: tuple[float, float, float]
    size: tuple[float, float, float]
    yaw: float

    def transform(self) -> np.ndarray:
        """(4, 4) pose of the box centre."""
        c, s = math.cos(self.yaw), math.sin(self.yaw)
        t = np.eye(4)
        t[:2, :2] = [[c, -s], [s, c]]
        t[:3, 3] = self.center
        return t


def _subtract(span: tuple[float, float], holes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of interval ``span`` not covered by any of ``holes``."""
    out, (lo, hi) = [], span
    for a, b in sorted(holes):
        if b <= lo or a >= hi:
            continue
        if a > lo:
            out.append((lo, a))
        lo = max(lo, b)
    if hi > lo:
        out.append((lo, hi))
    return [(a, b) for a, b in out if b - a > 1e-6]


def wall_boxes(room, thickness: float = WALL_THICKNESS) -> list[WallBox]:
    """Boxes that make up the walls, outside the floor polygon, with openings cut out.

    At convex corners a wall runs on by ``thickness`` so neighbouring walls close the corner; at reflex corners
    (the inner corner of an L) it stops at the vertex, since running on would poke into the room.
    """
    pts = room.polygon
    n = len(pts)
    height = room.wall_height
    boxes: list[WallBox] = []
    for w in range(n):
        a, b = pts[w], pts[(w + 1) % n]
        length = float(np.linalg.norm(b - a))
        t = (b - a) / length
        outward = np.array([t[1], -t[0]])
        convex_start = _cross(pts[w - 1], a, b) > 0
        convex_end = _cross(a, b, pts[(w + 2) % n]) > 0
        s0 = -thickness if convex_start else 0.0
        s1 = length + thickness if convex_end else length
        openings = [o for o in room.openings if o.wall == w]
        edges = [min(max(o.offset + k * o.width / 2, s0), s1) for o in openings for k in (-1, 1)]
        cuts = sorted({s0, s1, *edges})
        runs: list[tuple[float, float, list]] = []  # (start, end, solid z intervals), merged when equal
        for u, v in zip(cuts, cuts[1:], strict=False):
            if v - u < 1e-6:
                continue
            mid = (u + v) / 2
            holes = [(o.sill, o.sill + o.height) for o in openings if abs(mid - o.offset) < o.width / 2]
            solid = _subtract((0.0, height), holes)
            if runs and runs[-1][2] == solid and abs(runs[-1][1] - u) < 1e-9:
                runs[-1] = (runs[-1][0], v, solid)
            else:
                runs.append((u, v, solid))
        yaw = math.atan2(t[1], t[0])
        for u, v, solid in runs:
            xy = a + t * (u + v) / 2 + outward * thickness / 2
            for z0, z1 in solid:
                boxes.append(WallBox(w, (float(xy[0]), float(xy[1]), (z0 + z1) / 2), (v - u, thickness, z1 - z0),
                                     yaw))  # fmt: skip
    return boxes


def floor_slab_arrays(polygon) -> tuple[np.ndarray, np.ndarray]:
    """The floor polygon as a closed slab of :data:`FLOOR_THICKNESS`, top face at z = 0.

    polygon : (N, 2) counter-clockwise. Returns vertices (2N, 3) float64 (top ring, then bottom ring) and faces
    (M, 3) int64, wound counter-clockwise seen from outside.
    """
    poly = np.asarray(polygon, dtype=float)
    n = len(poly)
    tris = triangulate_polygon(poly)
    vertices = np.vstack([np.column_stack([poly, np.zeros(n)]), np.column_stack([poly, np.full(n, -FLOOR_THICKNESS)])])
    faces = [tris, tris[:, ::-1] + n]
    for i in range(n):
        j = (i + 1) % n
        faces.append(np.array([[i, i + n, j + n], [i, j + n, j]]))
    return vertices, np.vstack(faces).astype(np.int64)
