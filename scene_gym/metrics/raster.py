"""Floor rasters for the navigation and access metrics: a grid of cell centres over the room, and masks of
convex polygons (object footprints, access strips) on it.

The grid covers the floor polygon's bounding box plus a 1 m margin (so that strips poking out of the room
still land on cells, which are marked outside). Cells are ``res`` metres (5 cm by default); for very large
rooms the cell size grows so that the grid stays under four million cells. A cell belongs to a polygon when
its centre does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from scene_gym.scene.geometry import points_in_polygon

RES = 0.05
MARGIN = 1.0
MAX_CELLS = 4_000_000


@dataclass(frozen=True, eq=False)
class FloorGrid:
    """Cell centres ``xs`` (nx,), ``ys`` (ny,) (metres), cell size ``res`` and the (ny, nx) bool mask of
    cells inside the floor polygon."""

    xs: np.ndarray
    ys: np.ndarray
    res: float
    inside: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.inside.shape

    @property
    def cell_area(self) -> float:
        return self.res * self.res


@lru_cache(maxsize=32)
def floor_grid(floor: tuple, res: float = RES) -> FloorGrid:
    """The cached :class:`FloorGrid` of a floor polygon (a tuple of (x, y) vertices)."""
    poly = np.asarray(floor, dtype=float)
    lo, hi = poly.min(axis=0) - MARGIN, poly.max(axis=0) + MARGIN
    span = hi - lo
    res = max(float(res), math.sqrt(float(span[0] * span[1]) / MAX_CELLS))
    nx, ny = int(math.ceil(span[0] / res)), int(math.ceil(span[1] / res))
    xs = lo[0] + (np.arange(nx) + 0.5) * res
    ys = lo[1] + (np.arange(ny) + 0.5) * res
    gx, gy = np.meshgrid(xs, ys)
    inside = points_in_polygon(np.column_stack([gx.ravel(), gy.ravel()]), poly).reshape(ny, nx)
    for a in (xs, ys, inside):
        a.setflags(write=False)
    return FloorGrid(xs, ys, res, inside)


@dataclass(frozen=True)
class Mask:
    """Cells of a polygon: the window ``rows``/``cols`` (slices) of the grid and a bool mask over it.

    ``clipped`` is True when the polygon reaches beyond the grid (so it certainly leaves the room).
    """

    rows: slice
    cols: slice
    mask: np.ndarray
    clipped: bool

    @property
    def empty(self) -> bool:
        return not self.mask.any()


def _span(centres: np.ndarray, res: float, lo: float, hi: float) -> tuple[int, int, bool]:
    n = len(centres)
    start = (lo - centres[0]) / res
    stop = (hi - centres[0]) / res
    i0, i1 = int(math.ceil(start - 1e-9)), int(math.floor(stop + 1e-9)) + 1
    clipped = i0 < 0 or i1 > n
    return max(i0, 0), min(max(i1, 0), n), clipped


def convex_mask(grid: FloorGrid, polygon: np.ndarray) -> Mask:
    """Cells whose centre lies in a counter-clockwise convex polygon (K, 2) (K >= 3; fewer gives no cells)."""
    poly = np.asarray(polygon, dtype=float)
    lo, hi = poly.min(axis=0), poly.max(axis=0)
    c0, c1, cx = _span(grid.xs, grid.res, lo[0], hi[0])
    r0, r1, cy = _span(grid.ys, grid.res, lo[1], hi[1])
    rows, cols = slice(r0, max(r0, r1)), slice(c0, max(c0, c1))
    if len(poly) < 3 or r1 <= r0 or c1 <= c0:
        return Mask(rows, cols, np.zeros((max(r1 - r0, 0), max(c1 - c0, 0)), dtype=bool), cx or cy)
    return Mask(rows, cols, inside_convex(grid.xs[cols], grid.ys[rows], poly), cx or cy)


def inside_convex(xs: np.ndarray, ys: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """(len(ys), len(xs)) mask of grid points inside a counter-clockwise convex polygon (K, 2)."""
    out = np.ones((len(ys), len(xs)), dtype=bool)
    b = np.roll(poly, -1, axis=0)
    for (ax, ay), (bx, by) in zip(poly, b, strict=True):
        ex, ey = bx - ax, by - ay
        # Left of (or on) every edge; the tolerance keeps cells on a shared edge in both polygons.
        out &= (ex * (ys[:, None] - ay) - ey * (xs[None, :] - ax)) >= -1e-9 * math.hypot(ex, ey)
    return out


def rectangle(center: np.ndarray, axis_u: np.ndarray, half_u: float, axis_v: np.ndarray, half_v: float) -> np.ndarray:
    """Corners (4, 2), counter-clockwise, of the rectangle centre ± half_u·u ± half_v·v (u, v orthonormal, v
    to the left of u)."""
    u, v = np.asarray(axis_u, dtype=float) * half_u, np.asarray(axis_v, dtype=float) * half_v
    c = np.asarray(center, dtype=float)
    return np.array([c - u - v, c + u - v, c + u + v, c - u + v])
