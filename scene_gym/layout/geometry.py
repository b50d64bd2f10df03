"""Fast plan geometry for layout: oriented rectangles with a height interval ("2.5D boxes").

The solver checks thousands of candidate poses per second, far too many for a physics engine, so it works on
footprints: an object is the rectangle ``w x d`` centred at ``(x, y)`` and turned by ``yaw`` (the same frame as
:class:`~scene_gym.scene.SceneObject`: local +Y is the front), standing between heights ``z`` and ``z + h``.

Two kinds of functions live here:

- single-pair functions in plain ``math`` (``Box.local``, :func:`gap`, :func:`penetration`), which are faster
  than numpy on one pair and are what relation evaluators use;
- vectorised numpy functions over many candidates at once (:func:`corners`, :func:`sat_penetration`,
  :func:`rects_inside_polygon`), which the solver's hard-constraint checks use.

Overlap uses the separating-axis theorem: two convex shapes are disjoint when their projections onto some axis
are disjoint, and for rectangles the four edge normals are the only axes to try. The *penetration depth* is the
smallest projection overlap over those axes (the distance one rectangle must move to stop overlapping).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from scene_gym.scene.geometry import points_in_polygon


class Box:
    """An oriented footprint ``w x d`` centred at ``(x, y)``, turned by ``yaw``, between heights z and z + h.

    Attributes:
        id: object id (or a keep-out zone's id such as ``door_1``).
        category: asset category (empty for keep-out zones).
        x, y, z: centre of the bottom face, metres (as ``SceneObject.position``).
        w, d, h: width (local x), depth (local y, front to back) and height, metres.
        yaw: radians, counter-clockwise; the front faces (-sin yaw, cos yaw).
        parent: ``"floor"``, ``"wall"``, ``"ceiling"`` or the supporting object's id.
        thin: True for thin coverings (rugs) that never collide.
    """

    __slots__ = ("id", "category", "x", "y", "z", "w", "d", "h", "yaw", "c", "s", "parent", "thin", "asset_key")

    def __init__(self, id: str, category: str, x: float, y: float, z: float, w: float, d: float, h: float,
                 yaw: float, parent: str = "floor", thin: bool = False, asset_key: tuple | None = None):  # fmt: skip
        self.id, self.category, self.parent, self.thin = id, category, parent, thin
        self.x, self.y, self.z = float(x), float(y), float(z)
        self.w, self.d, self.h = float(w), float(d), float(h)
        self.yaw = float(yaw)
        self.c, self.s = math.cos(self.yaw), math.sin(self.yaw)
        self.asset_key = asset_key

    def moved(self, x: float, y: float, yaw: float, z: float | None = None) -> Box:
        """A copy at another pose."""
        return Box(self.id, self.category, x, y, self.z if z is None else z, self.w, self.d, self.h, yaw, self.parent,
                   self.thin, self.asset_key)  # fmt: skip

    @property
    def top(self) -> float:
        """Height of the top face, metres."""
        return self.z + self.h

    @property
    def front(self) -> tuple[float, float]:
        """Unit vector the box faces."""
        return (-self.s, self.c)

    def local(self, px: float, py: float) -> tuple[float, float]:
        """World point -> the box's frame (x to its right, y to its front), metres."""
        dx, dy = px - self.x, py - self.y
        return (self.c * dx + self.s * dy, -self.s * dx + self.c * dy)

    def world(self, lx: float, ly: float) -> tuple[float, float]:
        """Point in the box's frame -> world (x, y)."""
        return (self.x + self.c * lx - self.s * ly, self.y + self.s * lx + self.c * ly)

    def corners(self) -> list[tuple[float, float]]:
        """The four footprint corners, counter-clockwise from the back-left one."""
        hw, hd = self.w / 2, self.d / 2
        return [self.world(-hw, -hd), self.world(hw, -hd), self.world(hw, hd), self.world(-hw, hd)]

    def point_distance(self, px: float, py: float) -> float:
        """Distance from a world point to the footprint (0 inside)."""
        lx, ly = self.local(px, py)
        dx, dy = max(abs(lx) - self.w / 2, 0.0), max(abs(ly) - self.d / 2, 0.0)
        return math.hypot(dx, dy)

    def __repr__(self) -> str:
        return (f"Box({self.id!r}, x={self.x:.3f}, y={self.y:.3f}, z={self.z:.3f}, size=({self.w:.3f}, "
                f"{self.d:.3f}, {self.h:.3f}), yaw={self.yaw:.3f})")  # fmt: skip


def penetration(a: Box, b: Box) -> float:
    """Separating-axis penetration depth of two footprints, metres; <= 0 when they do not overlap."""
    dx, dy = b.x - a.x, b.y - a.y
    best = math.inf
    for ux, uy in ((a.c, a.s), (-a.s, a.c), (b.c, b.s), (-b.s, b.c)):
        ra = a.w / 2 * abs(a.c * ux + a.s * uy) + a.d / 2 * abs(-a.s * ux + a.c * uy)
        rb = b.w / 2 * abs(b.c * ux + b.s * uy) + b.d / 2 * abs(-b.s * ux + b.c * uy)
        overlap = ra + rb - abs(dx * ux + dy * uy)
        if overlap < best:
            best = overlap
    return best


def gap(a: Box, b: Box) -> float:
    """Smallest distance between two footprints, metres; 0 when they touch or overlap.

    For disjoint convex polygons the closest pair of points always involves a vertex of one of them, so the
    gap is the smallest corner-to-rectangle distance in either direction.
    """
    if penetration(a, b) > 0.0:
        return 0.0
    return min(min(b.point_distance(px, py) for px, py in a.corners()),
               min(a.point_distance(px, py) for px, py in b.corners()))  # fmt: skip


def height_overlap(a: Box, b: Box) -> float:
    """Length of the overlap of the two height intervals, metres (negative when apart)."""
    return min(a.top, b.top) - max(a.z, b.z)


def angle_between(ax: float, ay: float, bx: float, by: float) -> float:
    """Unsigned angle between two plane vectors, radians in [0, pi] (0 when either is zero)."""
    cross, dot = ax * by - ay * bx, ax * bx + ay * by
    return abs(math.atan2(cross, dot)) if (cross or dot) else 0.0


def angular_miss(origin: Box, target: Box) -> float:
    """How far ``origin`` must turn, radians, for its front ray (from its centre) to hit ``target``'s footprint.

    0 when the ray already hits it or when ``origin``'s centre lies inside it. The target's corners, seen from
    the origin, span an angular interval narrower than pi (the origin is outside a convex shape); the miss is the
    distance from the front direction to that interval.
    """
    if target.point_distance(origin.x, origin.y) == 0.0:
        return 0.0
    fx, fy = origin.front
    rel = []
    for px, py in target.corners():
        vx, vy = px - origin.x, py - origin.y
        rel.append(math.atan2(fx * vy - fy * vx, fx * vx + fy * vy))
    lo, hi = min(rel), max(rel)
    if hi - lo > math.pi:  # the interval wraps through +-pi (the target is behind): its ends nearest to 0
        return min(min(r for r in rel if r >= 0), -max(r for r in rel if r < 0))
    if lo <= 0.0 <= hi:
        return 0.0
    return min(abs(lo), abs(hi))


# --- vectorised -------------------------------------------------------------------------------------------
def corners(x, y, w, d, yaw) -> np.ndarray:
    """Corners (N, 4, 2) of N rectangles; every argument broadcasts to (N,). Counter-clockwise order."""
    x, y, w, d, yaw = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float)) for v in (x, y, w, d, yaw)))
    c, s = np.cos(yaw), np.sin(yaw)
    lx = np.stack([-w, w, w, -w], axis=-1) / 2
    ly = np.stack([-d, -d, d, d], axis=-1) / 2
    px = x[:, None] + c[:, None] * lx - s[:, None] * ly
    py = y[:, None] + s[:, None] * lx + c[:, None] * ly
    return np.stack([px, py], axis=-1)


def sat_penetration(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> np.ndarray:
    """Penetration depth (N, M) between N rectangles ``a`` and M rectangles ``b``; <= 0 means disjoint.

    ``a`` and ``b`` map ``"x", "y", "w", "d", "yaw"`` to (N,) / (M,) float arrays.
    """
    ax, ay, aw, ad, ayaw = (np.asarray(a[k], dtype=float)[:, None] for k in ("x", "y", "w", "d", "yaw"))
    bx, by, bw, bd, byaw = (np.asarray(b[k], dtype=float)[None, :] for k in ("x", "y", "w", "d", "yaw"))
    ac, as_, bc, bs = np.cos(ayaw), np.sin(ayaw), np.cos(byaw), np.sin(byaw)
    dx, dy = bx - ax, by - ay
    # |u_a . u_b| etc.: cosines between the two frames' axes.
    cc = np.abs(ac * bc + as_ * bs)  # |cos(delta)|
    ss = np.abs(as_ * bc - ac * bs)  # |sin(delta)|
    # Along a's x axis, a's y axis, b's x axis, b's y axis.
    o1 = aw / 2 + bw / 2 * cc + bd / 2 * ss - np.abs(dx * ac + dy * as_)
    o2 = ad / 2 + bw / 2 * ss + bd / 2 * cc - np.abs(-dx * as_ + dy * ac)
    o3 = bw / 2 + aw / 2 * cc + ad / 2 * ss - np.abs(dx * bc + dy * bs)
    o4 = bd / 2 + aw / 2 * ss + ad / 2 * cc - np.abs(-dx * bs + dy * bc)
    return np.minimum(np.minimum(o1, o2), np.minimum(o3, o4))


def _orient(ax, ay, bx, by, cx, cy):
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


def rects_inside_polygon(rect_corners: np.ndarray, polygon: np.ndarray, convex: bool | None = None,
                         margin: float = 1e-3) -> np.ndarray:  # fmt: skip
    """Whether each rectangle (N, 4, 2) lies inside the simple polygon (P, 2); returns (N,) bool.

    The rectangles are first shrunk by ``margin`` metres towards their centres so that one resting flush
    against a wall counts as inside. A rectangle is inside when its corners are inside the polygon, no polygon
    vertex is strictly inside it and no polygon edge crosses its edges (the last two matter only for
    non-convex rooms such as L-shapes, where a reflex corner can poke into a rectangle whose corners are all
    in the room).
    """
    rc = np.asarray(rect_corners, dtype=float)
    n = rc.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    poly = np.asarray(polygon, dtype=float)
    # Move each corner inwards by `margin` along both rectangle axes (at most 49% of a side).
    e1, e2 = rc[:, 1] - rc[:, 0], rc[:, 3] - rc[:, 0]
    l1 = np.linalg.norm(e1, axis=-1, keepdims=True)
    l2 = np.linalg.norm(e2, axis=-1, keepdims=True)
    u1 = e1 / np.maximum(l1, 1e-12) * np.minimum(margin, 0.49 * l1)
    u2 = e2 / np.maximum(l2, 1e-12) * np.minimum(margin, 0.49 * l2)
    inward = np.stack([u1 + u2, u2 - u1, -u1 - u2, u1 - u2], axis=1)
    shrunk = rc + inward
    inside = points_in_polygon(shrunk.reshape(-1, 2), poly).reshape(n, 4).all(axis=1)
    if convex is None:
        convex = polygon_is_convex(poly)
    if convex or not inside.any():
        return inside
    # Polygon vertices strictly inside a rectangle: test in each rectangle's own frame.
    e1 = shrunk[:, 1] - shrunk[:, 0]
    e2 = shrunk[:, 3] - shrunk[:, 0]
    rel = poly[None, :, :] - shrunk[:, None, 0, :]  # (N, P, 2)
    t1 = (rel * e1[:, None, :]).sum(-1) / np.maximum((e1 * e1).sum(-1), 1e-12)[:, None]
    t2 = (rel * e2[:, None, :]).sum(-1) / np.maximum((e2 * e2).sum(-1), 1e-12)[:, None]
    vertex_in = ((t1 > 0) & (t1 < 1) & (t2 > 0) & (t2 < 1)).any(axis=1)
    # Proper crossings between rectangle edges (N, 4) and polygon edges (P).
    p1 = shrunk[:, :, None, :]
    p2 = np.roll(shrunk, -1, axis=1)[:, :, None, :]
    q1 = poly[None, None, :, :]
    q2 = np.roll(poly, -1, axis=0)[None, None, :, :]
    d1 = _orient(q1[..., 0], q1[..., 1], q2[..., 0], q2[..., 1], p1[..., 0], p1[..., 1])
    d2 = _orient(q1[..., 0], q1[..., 1], q2[..., 0], q2[..., 1], p2[..., 0], p2[..., 1])
    d3 = _orient(p1[..., 0], p1[..., 1], p2[..., 0], p2[..., 1], q1[..., 0], q1[..., 1])
    d4 = _orient(p1[..., 0], p1[..., 1], p2[..., 0], p2[..., 1], q2[..., 0], q2[..., 1])
    crossing = ((d1 * d2 < 0) & (d3 * d4 < 0)).any(axis=(1, 2))
    return inside & ~vertex_in & ~crossing


def polygon_is_convex(polygon: Sequence[Sequence[float]]) -> bool:
    """True when every turn of the (counter-clockwise) polygon is to the left (collinear vertices allowed)."""
    p = np.asarray(polygon, dtype=float)
    a, b = np.roll(p, -1, axis=0) - p, np.roll(p, -2, axis=0) - np.roll(p, -1, axis=0)
    return bool((a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0] >= -1e-12).all())


def polygon_centroid(polygon: Sequence[Sequence[float]]) -> tuple[float, float]:
    """Area centroid (x, y) of a simple polygon (for an L-shape it may lie near the inner corner)."""
    p = np.asarray(polygon, dtype=float)
    x, y = p[:, 0], p[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y2 - x2 * y
    area = cross.sum() / 2
    return float(((x + x2) * cross).sum() / (6 * area)), float(((y + y2) * cross).sum() / (6 * area))


def yaw_facing(fx: float, fy: float) -> float:
    """The yaw whose front is the direction (fx, fy)."""
    return math.atan2(-fx, fy)
