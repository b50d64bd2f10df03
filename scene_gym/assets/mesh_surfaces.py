"""Support surfaces of a mesh: the horizontal places where small objects can stand (used by mesh assets).

The raster each height level is drawn on has at most :data:`MAX_RASTER_CELLS` cells (coarser cells for very
large levels), and each region is measured on its own bounding box, so detection takes bounded memory and
time in proportion to the regions' sizes.
"""

from __future__ import annotations

import math

import numpy as np
import trimesh

from scene_gym.assets.parts import BASE_LINK, SupportSurface

#: Most raster cells surface detection uses for one height level; larger levels get coarser cells.
MAX_RASTER_CELLS = 4_000_000


def detect_support_surfaces(mesh: trimesh.Trimesh, min_area: float = 0.003, min_inscribed_radius: float = 0.10,
                            *, cell: float = 0.01, height_tolerance: float = 0.005, max_tilt: float = math.radians(10),
                            min_clearance: float = 0.02) -> list[SupportSurface]:
    """Horizontal places on a mesh (in the asset frame, metres) where small objects can stand.

    1. Upward faces: normal within ``max_tilt`` of +Z.
    2. Grouped by height: faces whose centroids lie within ``height_tolerance`` of a group's lowest face.
       The group at the mesh's bottom is skipped (it is the floor contact, not a surface).
    3. Each group is rasterised on a ``cell`` grid in x-y (cells whose centres fall inside a face) and split
       into connected regions.
    4. A region is kept when its face area is at least ``min_area`` m², its inscribed radius (the largest
       value of the Euclidean distance transform of the raster, ``scipy.ndimage.distance_transform_edt``) is at
       least ``min_inscribed_radius``, and at least ``min_clearance`` is free above it.

    Returns surfaces named ``surface_0``, ``surface_1``... from the lowest up. Each is the largest
    axis-aligned rectangle of raster cells inside the region (clipped to the region's x-y bounds), at the
    region's area-weighted height; ``clearance`` is the free height above it found by casting vertical rays
    at a 5 x 5 grid of points of the rectangle against the mesh (``inf`` when nothing is above).
    """
    from scipy import ndimage

    normals = np.asarray(mesh.face_normals)
    areas = np.asarray(mesh.area_faces)
    centers = np.asarray(mesh.triangles_center)
    up = np.where((normals[:, 2] > math.cos(max_tilt)) & (areas > 0))[0]
    if len(up) == 0:
        return []
    triangles = np.asarray(mesh.triangles)
    z_bottom = float(mesh.bounds[0, 2])
    up = up[np.argsort(centers[up, 2], kind="stable")]
    groups, start = [], 0
    for i in range(1, len(up) + 1):
        if i == len(up) or centers[up[i], 2] - centers[up[start], 2] > height_tolerance:
            groups.append(up[start:i])
            start = i
    found = []
    for faces in groups:
        z = float(np.average(centers[faces, 2], weights=areas[faces]))
        if z - z_bottom <= height_tolerance:
            continue
        tri_xy = triangles[faces][:, :, :2]
        step, origin, shape = _grid(tri_xy, cell)
        mask = _rasterise(tri_xy, origin, step, shape)
        labels, count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
        boxes = ndimage.find_objects(labels)
        cells = np.floor((centers[faces, :2] - origin) / step).astype(int)
        face_label = labels[cells[:, 0], cells[:, 1]]
        for label in range(1, count + 1):
            mine = faces[face_label == label]
            if areas[mine].sum() < min_area:
                continue
            # Work on the region's bounding box: the same answers as on the whole grid, in time of its size.
            box = boxes[label - 1]
            region = labels[box] == label
            radius = float(ndimage.distance_transform_edt(np.pad(region, 1)).max()) * step
            if radius < min_inscribed_radius - 1e-9:
                continue
            i0, j0, i1, j1 = np.array(_largest_rectangle(region)) + [box[0].start, box[1].start] * 2
            xy_lo = np.maximum(origin + np.array([i0, j0]) * step, tri_xy[face_label == label].reshape(-1, 2).min(axis=0))
            xy_hi = np.minimum(origin + np.array([i1, j1]) * step, tri_xy[face_label == label].reshape(-1, 2).max(axis=0))
            clearance = _clearance_above(triangles, xy_lo, xy_hi, z)
            if clearance < min_clearance:
                continue
            found.append((z, xy_lo, xy_hi, clearance))
    found.sort(key=lambda s: (s[0], s[1][0], s[1][1]))
    return [
        SupportSurface(f"surface_{i}", BASE_LINK, (float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2), z),
                       (float(hi[0] - lo[0]), float(hi[1] - lo[1])), clearance)
        for i, (z, lo, hi, clearance) in enumerate(found)
    ]  # fmt: skip


def _grid(tri_xy: np.ndarray, cell: float) -> tuple[float, np.ndarray, tuple[int, int]]:
    """(step, origin, shape) of the raster over triangles (K, 3, 2): ``cell``-sized cells with a one-cell
    margin, coarsened until the grid has at most :data:`MAX_RASTER_CELLS` cells."""
    lo, hi = tri_xy.reshape(-1, 2).min(axis=0), tri_xy.reshape(-1, 2).max(axis=0)
    step = cell
    while True:
        origin = lo - step
        shape = tuple(int(v) for v in np.ceil((hi - origin) / step).astype(int) + 2)
        if shape[0] * shape[1] <= MAX_RASTER_CELLS:
            return step, origin, shape
        step *= 1.25


def _rasterise(tri_xy: np.ndarray, origin: np.ndarray, cell: float, shape: tuple[int, int]) -> np.ndarray:
    """(nx, ny) bool grid: cells whose centre lies inside any triangle (K, 3, 2), plus each triangle's centroid
    cell so that slivers narrower than a cell still count."""
    mask = np.zeros(shape, dtype=bool)
    eps = 1e-9
    for tri in tri_xy:
        lo = np.maximum(np.floor((tri.min(axis=0) - origin) / cell).astype(int), 0)
        hi = np.minimum(np.ceil((tri.max(axis=0) - origin) / cell).astype(int), np.array(shape) - 1)
        ii, jj = np.meshgrid(np.arange(lo[0], hi[0] + 1), np.arange(lo[1], hi[1] + 1), indexing="ij")
        px = origin[0] + (ii + 0.5) * cell
        py = origin[1] + (jj + 0.5) * cell
        (ax, ay), (bx, by), (cx, cy) = tri
        det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
        if abs(det) > eps:
            l1 = ((by - cy) * (px - cx) + (cx - bx) * (py - cy)) / det
            l2 = ((cy - ay) * (px - cx) + (ax - cx) * (py - cy)) / det
            inside = (l1 >= -eps) & (l2 >= -eps) & (1 - l1 - l2 >= -eps)
            mask[ii[inside], jj[inside]] = True
        c = np.floor((tri.mean(axis=0) - origin) / cell).astype(int)
        mask[c[0], c[1]] = True
    return mask


def _largest_rectangle(region: np.ndarray) -> tuple[int, int, int, int]:
    """(i0, j0, i1, j1): the largest all-True axis-aligned block of ``region`` as cell-edge indices
    (cells i0..i1-1, j0..j1-1), by the maximal-rectangle-in-a-histogram method (O(nx * ny))."""
    nx, ny = region.shape
    heights = np.zeros(ny, dtype=int)
    best, best_area = (0, 0, 1, 1), 0
    for i in range(nx):
        heights = np.where(region[i], heights + 1, 0)
        stack: list[int] = []
        for j in range(ny + 1):
            h = heights[j] if j < ny else 0
            while stack and heights[stack[-1]] >= h:
                top = stack.pop()
                left = stack[-1] + 1 if stack else 0
                area = int(heights[top]) * (j - left)
                if area > best_area:
                    best_area = area
                    best = (i - int(heights[top]) + 1, left, i + 1, j)
            stack.append(j)
    return best


def _clearance_above(triangles: np.ndarray, xy_lo: np.ndarray, xy_hi: np.ndarray, z: float) -> float:
    """Smallest free height above ``z`` over a 5 x 5 grid of points in the rectangle, casting vertical rays
    against all triangles (K, 3, 3); ``inf`` when no ray hits anything."""
    margin = 0.1 * (xy_hi - xy_lo)
    xs = np.linspace(xy_lo[0] + margin[0], xy_hi[0] - margin[0], 5)
    ys = np.linspace(xy_lo[1] + margin[1], xy_hi[1] - margin[1], 5)
    points = np.array([(x, y) for x in xs for y in ys])
    above = triangles[triangles[:, :, 2].max(axis=1) > z + 1e-3]
    if len(above) == 0:
        return math.inf
    a, b, c = above[:, 0], above[:, 1], above[:, 2]
    det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    ok = np.abs(det) > 1e-12
    a, b, c, det = a[ok], b[ok], c[ok], det[ok]
    best = math.inf
    for px, py in points:
        l1 = ((b[:, 1] - c[:, 1]) * (px - c[:, 0]) + (c[:, 0] - b[:, 0]) * (py - c[:, 1])) / det
        l2 = ((c[:, 1] - a[:, 1]) * (px - c[:, 0]) + (a[:, 0] - c[:, 0]) * (py - c[:, 1])) / det
        l3 = 1 - l1 - l2
        hit = (l1 >= 0) & (l2 >= 0) & (l3 >= 0)
        if hit.any():
            zs = l1[hit] * a[hit, 2] + l2[hit] * b[hit, 2] + l3[hit] * c[hit, 2]
            zs = zs[zs > z + 1e-3]
            if len(zs):
                best = min(best, float(zs.min()) - z)
    return best
