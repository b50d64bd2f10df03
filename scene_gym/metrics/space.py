"""Free-space metrics on a floor raster: navigability (NAV), accessibility (ACC), opening clearance (OPC).

Formulas (all in [0, 1]; :mod:`scene_gym.metrics.raster` describes the grid, 5 cm cells):

NAV (SceneEval). Occupied cells: outside the floor polygon, or under the footprint of an obstacle (an object
standing on the floor, thin coverings excluded). A cell is *free* for a robot of radius ``r`` (0.1 m: a
0.2 m-wide robot) when its clearance, the distance from its centre to the nearest occupied cell centre minus
half a cell, is at least ``r`` (exact to within half a cell). With ``F`` the free cells and ``C`` the largest
4-connected component of ``F``: ``NAV = |C| / |F|``; 0 when no cell is free. An empty convex room scores 1.

ACC. For each obstacle, its *access strip* is the rectangle in front of its functional side (local +Y), as
wide as the object and ``depth`` deep (0.4 m), starting at the front face of its bounding box. The object is
accessible when every strip cell lies inside the room and no strip cell is under another obstacle (the
object's own parts, such as an open drawer, do not block it). Pull-up seats (:data:`PULL_UP_SEATS`: chairs and
stools, which are pulled out in use) neither block another object's strip nor need one of their own, so a desk
with its chair tucked in counts both as accessible. ``ACC = accessible / obstacles``; 1 with none.

OPC. Each door and window of the room has a clearance zone on the floor: the opening's width along its wall,
``depth`` (0.6 m) into the room. A door's zone is blocked by any counted object whose footprint overlaps it by
more than 1 cm and whose bottom is below the door's top; a window's zone only by objects reaching above the
sill and starting below the window's top. Door objects (category ``interior_door``...) get the same zone in
front of their functional side. ``OPC = clear zones / zones``; 1 with none.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from scene_gym.metrics.raster import FloorGrid, Mask, convex_mask, rectangle
from scene_gym.physics.shapes import Placed, world_points
from scene_gym.scene import Room

ROBOT_RADIUS = 0.1
ACCESS_DEPTH = 0.4
OPENING_DEPTH = 0.6
OVERLAP_TOL = 0.01
#: Light seats that people move out of the way; they do not block other objects' access strips.
PULL_UP_SEATS = frozenset({"dining_chair", "office_chair", "stool", "bar_stool", "kids_chair", "ottoman"})


# Footprint and strip masks depend only on an object's placed geometry and the grid's cell centres, so they
# are cached per Placed record (a world keeps the same record while the object stays put).
_MASKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cached(p: Placed, grid: FloorGrid, kind: str, make) -> Mask:
    per = _MASKS.setdefault(p, {})
    key = (kind, float(grid.xs[0]), float(grid.ys[0]), grid.res, grid.shape)
    mask = per.get(key)
    if mask is None:
        mask = per[key] = make()
    return mask


def footprint_mask(grid: FloorGrid, p: Placed) -> Mask:
    """Cells under an object's footprint (cached per placed record)."""
    return _cached(p, grid, "footprint", lambda: convex_mask(grid, p.footprint))


def navigability(grid: FloorGrid, masks: Sequence[Mask], robot_radius: float = ROBOT_RADIUS) -> float:
    """NAV (module docstring) for obstacle footprint masks on ``grid``."""
    occupied = ~grid.inside
    for m in masks:
        occupied[m.rows, m.cols] |= m.mask
    # A cell is blocked when an occupied cell centre lies closer than r + res/2 (in cells: radius R), i.e.
    # the occupied set dilated by a disk of radius R; the dilation is an OR over the disk's offsets.
    radius = robot_radius / grid.res + 0.5
    reach = int(math.ceil(radius))
    blocked = occupied.copy()
    ny, nx = occupied.shape
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            if (dx or dy) and dx * dx + dy * dy < radius * radius - 1e-9:
                blocked[max(dy, 0) : ny + min(dy, 0), max(dx, 0) : nx + min(dx, 0)] |= (
                    occupied[max(-dy, 0) : ny + min(-dy, 0), max(-dx, 0) : nx + min(-dx, 0)])
    free = ~blocked
    total = int(free.sum())
    if total == 0:
        return 0.0
    labels, n = ndimage.label(free)
    largest = int(np.bincount(labels.ravel())[1:].max()) if n else 0
    return largest / total


def access_strip(p: Placed, depth: float = ACCESS_DEPTH) -> np.ndarray:
    """Corners (4, 2), counter-clockwise, of the strip in front of an object (module docstring)."""
    w, d = p.obj.size[0], p.obj.size[1]
    local = np.array([[-w / 2, d / 2], [w / 2, d / 2], [w / 2, d / 2 + depth], [-w / 2, d / 2 + depth]])
    return world_points(p.obj, local)


def accessibility(grid: FloorGrid, obstacles: Sequence[Placed], masks: Sequence[Mask],
                  depth: float = ACCESS_DEPTH) -> tuple[float, list[str]]:
    """ACC (module docstring) and the ids of inaccessible obstacles; ``masks`` are their footprint masks."""
    if not obstacles:
        return 1.0, []
    cover = np.zeros(grid.shape, dtype=np.int32)
    for p, m in zip(obstacles, masks, strict=True):
        if p.obj.category not in PULL_UP_SEATS:
            cover[m.rows, m.cols] += m.mask
    blocked = []
    for p, own in zip(obstacles, masks, strict=True):
        if p.obj.category in PULL_UP_SEATS:
            continue
        strip = _cached(p, grid, f"strip{depth}", lambda p=p: convex_mask(grid, access_strip(p, depth)))
        cells = strip.mask
        if strip.clipped:
            blocked.append(p.obj.id)
            continue
        if not cells.any():
            # A strip narrower than a cell: judge it by the cell under its centre.
            cx, cy = access_strip(p, depth).mean(axis=0)
            r, c = int(np.abs(grid.ys - cy).argmin()), int(np.abs(grid.xs - cx).argmin())
            strip = Mask(slice(r, r + 1), slice(c, c + 1), np.ones((1, 1), dtype=bool), False)
            cells = strip.mask
        inside = grid.inside[strip.rows, strip.cols][cells]
        if not inside.all():
            blocked.append(p.obj.id)
            continue
        others = cover[strip.rows, strip.cols][cells]
        if (others > 0).any():
            mine = _own_cells(strip, own)[cells]
            if (others - mine > 0).any():
                blocked.append(p.obj.id)
    return 1.0 - len(blocked) / len(obstacles), blocked


def _own_cells(strip: Mask, own: Mask) -> np.ndarray:
    # The object's own footprint cells inside the strip's window (an open drawer reaching into its strip).
    out = np.zeros(strip.mask.shape, dtype=np.int32)
    r0, r1 = max(strip.rows.start, own.rows.start), min(strip.rows.stop, own.rows.stop)
    c0, c1 = max(strip.cols.start, own.cols.start), min(strip.cols.stop, own.cols.stop)
    if r1 > r0 and c1 > c0:
        out[r0 - strip.rows.start : r1 - strip.rows.start, c0 - strip.cols.start : c1 - strip.cols.start] = (
            own.mask[r0 - own.rows.start : r1 - own.rows.start, c0 - own.cols.start : c1 - own.cols.start])
    return out


def opening_zones(room: Room, doors: Sequence[Placed] = (),
                  depth: float = OPENING_DEPTH) -> list[tuple[str, np.ndarray, float, float]]:
    """Clearance zones (id, corners (4, 2), z_low, z_high): an object blocks a zone when its footprint overlaps
    the corners and its vertical extent overlaps (z_low, z_high)."""
    zones = []
    for o in room.openings:
        a, b = room.wall(o.wall)
        t = (b - a) / np.linalg.norm(b - a)
        n = room.wall_normal(o.wall)
        corners = rectangle(a + t * o.offset + n * depth / 2, t, o.width / 2, n, depth / 2)
        low = -math.inf if o.kind == "door" else o.sill
        zones.append((o.id, corners, low, o.sill + o.height))
    zones.extend((p.obj.id, access_strip(p, depth), -math.inf, p.top) for p in doors)
    return zones


def opening_clearance(room: Room, blockers: Sequence[Placed], doors: Sequence[Placed] = (),
                      depth: float = OPENING_DEPTH) -> tuple[float, list[str]]:
    """OPC (module docstring) and the ids of blocked openings / door objects."""
    zones = opening_zones(room, doors, depth)
    if not zones or not blockers:
        return 1.0, []
    lo = np.array([p.footprint.min(axis=0) for p in blockers])
    hi = np.array([p.footprint.max(axis=0) for p in blockers])
    bottoms = np.array([p.bottom for p in blockers])
    tops = np.array([p.top for p in blockers])
    blocked = []
    for zid, corners, z0, z1 in zones:
        zlo, zhi = corners.min(axis=0), corners.max(axis=0)
        near = ((lo < zhi - OVERLAP_TOL).all(axis=1) & (hi > zlo + OVERLAP_TOL).all(axis=1)
                & (tops > z0) & (bottoms < z1))  # fmt: skip
        for k in np.nonzero(near)[0]:
            if blockers[k].obj.id != zid and convex_overlap(corners, blockers[k].footprint) > OVERLAP_TOL:
                blocked.append(zid)
                break
    return 1.0 - len(blocked) / len(zones), blocked


def convex_overlap(p: np.ndarray, q: np.ndarray) -> float:
    """Separating-axis overlap of two convex polygons (K, 2): the smallest projected overlap over all edge
    normals (metres; <= 0 means they are disjoint or touch)."""
    if len(p) < 3 or len(q) < 3:
        return 0.0
    best = math.inf
    for poly in (p, q):
        edges = np.roll(poly, -1, axis=0) - poly
        normals = np.column_stack([-edges[:, 1], edges[:, 0]])
        normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
        pp, qq = p @ normals.T, q @ normals.T
        overlap = np.minimum(pp.max(axis=0), qq.max(axis=0)) - np.maximum(pp.min(axis=0), qq.min(axis=0))
        best = min(best, float(overlap.min()))
    return best


