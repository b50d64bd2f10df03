"""Shape helpers shared by the small-object programs: stretched lathes, ellipsoids, cushions, tubes along a path
and folded sheets.

Geometry is given in the asset frame. The helpers that fill a box (oval_lathe, front_lathe, ellipsoid, cushion,
fit_box) make the bounding box exactly that box, which keeps each program's "parts fill the requested size"
promise easy to keep. Unit meshes
(lathed profiles, spheres) are generated once with trimesh and cached; placing them only stretches vertices.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import trimesh

from scene_gym.assets.builder import AssetBuilder
from scene_gym.assets.meshes import bevelled_box, lathe
from scene_gym.assets.parts import BASE_LINK, MeshData, Part

Profile = Sequence[tuple[float, float]]


def place_mesh(b: AssetBuilder, name: str, vertices: np.ndarray, faces: np.ndarray, material: str | None = None,
               *, link: str = BASE_LINK, collide: bool = True, shell: float | None = None) -> Part:
    """Add a mesh given in asset coordinates: vertices (N, 3) metres, faces (M, 3) vertex indices.

    ``shell``: make the part hollow with walls about this thick (metres), see :func:`hollow`.
    """
    v = np.asarray(vertices, dtype=float)
    if shell:
        v, faces = hollow(v, faces, shell)
    center = (v.min(axis=0) + v.max(axis=0)) / 2
    data = MeshData(v - center, np.asarray(faces, dtype=np.int64))
    return b.mesh(name, center, data, material, link=link, collide=collide)


def hollow(vertices: np.ndarray, faces: np.ndarray, thickness: float) -> tuple[np.ndarray, np.ndarray]:
    """Add an inner, inward-facing copy of a closed mesh, shrunk towards its bounding-box centre by
    ``thickness`` metres on each side, so that the enclosed volume (hence the mass) is that of a shell.

    Bottles, kettles, balls and pillows are hollow; as solids their masses would be several times too large.
    Renderers never see the inner surface, and colliders use the convex hull, so only the mass changes. The
    shrink is exact for convex shapes and close for the gently concave ones it is used on.
    """
    v = np.asarray(vertices, dtype=float)
    f = np.asarray(faces, dtype=np.int64)
    lo, hi = v.min(axis=0), v.max(axis=0)
    center, half = (lo + hi) / 2, np.maximum((hi - lo) / 2, 1e-9)
    k = np.clip(1.0 - float(thickness) / half, 0.05, 1.0)
    return np.vstack([v, center + (v - center) * k]), np.vstack([f, f[:, ::-1] + len(v)])


def fit_box(vertices: np.ndarray, lo: Sequence[float], hi: Sequence[float]) -> np.ndarray:
    """Affinely stretch vertices (N, 3) so that their bounding box becomes [lo, hi] (both (3,) metres)."""
    v = np.asarray(vertices, dtype=float)
    vmin, vmax = v.min(axis=0), v.max(axis=0)
    span = np.where(vmax - vmin > 1e-12, vmax - vmin, 1.0)
    return np.asarray(lo, dtype=float) + (v - vmin) / span * (np.asarray(hi, dtype=float) - np.asarray(lo))


def hollow_box(b: AssetBuilder, name: str, center: Sequence[float], size: Sequence[float], thickness: float,
               material: str | None = None, *, bevel: float = 0.0, link: str = BASE_LINK) -> Part:
    """A closed box of full extents ``size`` with walls ``thickness`` thick (a cardboard box, a laptop's shell).

    It looks and collides like ``b.box``; only its mass is that of the walls.
    """
    box = bevelled_box(size, bevel) if bevel > 0 else trimesh.creation.box(extents=size)
    return place_mesh(b, name, box.vertices + np.asarray(center, dtype=float), box.faces, material, link=link,
                      shell=thickness)


@lru_cache(maxsize=512)
def _lathe_unit(profile: tuple[tuple[float, float], ...], segments: int) -> MeshData:
    return lathe(profile, segments)


def oval_lathe(b: AssetBuilder, name: str, center_xy: Sequence[float], z0: float, profile: Profile,
               rx: float, ry: float, height: float, material: str | None = None, *, link: str = BASE_LINK,
               segments: int = 24, collide: bool = True, shell: float | None = None) -> Part:
    """A solid of revolution from a (radius, z) profile, stretched to fill a 2rx x 2ry x ``height`` box.

    The profile may be in any units: its widest radius is mapped to ``rx`` along x and ``ry`` along y, its
    z span to [z0, z0 + height]. Unequal ``rx`` and ``ry`` give an oval object (an oval vase, a wide mug).
    """
    data = _lathe_unit(tuple((float(r), float(z)) for r, z in profile), segments)
    cx, cy = center_xy
    v = fit_box(data.vertices, (cx - rx, cy - ry, z0), (cx + rx, cy + ry, z0 + height))
    return place_mesh(b, name, v, data.faces, material, link=link, collide=collide, shell=shell)


def front_lathe(b: AssetBuilder, name: str, center_xz: Sequence[float], y0: float, profile: Profile,
                rx: float, rz: float, depth: float, material: str | None = None, *, link: str = BASE_LINK,
                segments: int = 24) -> Part:
    """Like :func:`oval_lathe` but turned to face the front: the profile's axis runs along +Y from ``y0`` to
    ``y0 + depth`` (the profile's bottom against the wall), its radius stretched to ``rx`` along x, ``rz`` along z.
    For round wall objects: clocks, round mirrors."""
    data = _lathe_unit(tuple((float(r), float(z)) for r, z in profile), segments)
    v = data.vertices[:, [0, 2, 1]] * (1.0, 1.0, -1.0)  # a proper rotation about x taking +Z to +Y
    cx, cz = center_xz
    v = fit_box(v, (cx - rx, y0, cz - rz), (cx + rx, y0 + depth, cz + rz))
    return place_mesh(b, name, v, data.faces, material, link=link)


@lru_cache(maxsize=8)
def _unit_sphere(subdivisions: int) -> trimesh.Trimesh:
    return trimesh.creation.icosphere(subdivisions=subdivisions)


def ellipsoid(b: AssetBuilder, name: str, center: Sequence[float], radii: Sequence[float],
              material: str | None = None, *, link: str = BASE_LINK, collide: bool = True,
              shell: float | None = None) -> Part:
    """An ellipsoid with semi-axes ``radii`` (3,) along x, y, z, centred at ``center``; hollow with ``shell``."""
    s = _unit_sphere(2)
    c, r = np.asarray(center, dtype=float), np.asarray(radii, dtype=float)
    return place_mesh(b, name, fit_box(s.vertices, c - r, c + r), s.faces, material, link=link, collide=collide,
                      shell=shell)


def cushion(b: AssetBuilder, name: str, center: Sequence[float], size: Sequence[float], material: str | None = None,
            *, squareness: float = 0.35, link: str = BASE_LINK, shell: float | None = None) -> Part:
    """A puffy box (superellipsoid) of full extents ``size``: pillows, towels, a tissue.

    ``squareness`` in (0, 1]: 1 is an ellipsoid, small values approach a box with rounded edges. ``shell``
    makes it hollow (a stuffed pillow weighs far less than a solid block of its fabric).
    """
    s = _unit_sphere(3)
    v = np.sign(s.vertices) * np.abs(s.vertices) ** float(squareness)
    c, h = np.asarray(center, dtype=float), np.asarray(size, dtype=float) / 2
    return place_mesh(b, name, fit_box(v, c - h, c + h), s.faces, material, link=link, shell=shell)


def tube_mesh(path: Sequence[Sequence[float]], radius: float, sections: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (N, 3) and faces (M, 3) of a closed round tube of ``radius`` along a polyline ``path`` (K, 3),
    in the path's coordinates (place it with :func:`place_mesh`).

    Rings are perpendicular to the path (parallel-transported, so the tube does not twist); both ends are
    capped. Used for cup handles, kettle spouts, lamp arms and basket handles.
    """
    p = np.asarray(path, dtype=float)
    if len(p) < 2:
        raise ValueError(f"expected a path of at least 2 points, got {len(p)}")
    seg = np.diff(p, axis=0)
    seg /= np.maximum(np.linalg.norm(seg, axis=1, keepdims=True), 1e-12)
    tangents = np.vstack([seg[:1], seg[:-1] + seg[1:], seg[-1:]])
    tangents /= np.maximum(np.linalg.norm(tangents, axis=1, keepdims=True), 1e-12)
    ref = np.array([0.0, 0.0, 1.0]) if abs(tangents[0][2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    normal = np.cross(tangents[0], ref)
    normal /= np.linalg.norm(normal)
    angles = np.linspace(0, 2 * np.pi, sections, endpoint=False)
    rings = []
    for point, t in zip(p, tangents, strict=True):
        normal = normal - t * np.dot(normal, t)  # parallel transport: keep the frame perpendicular to the path
        normal /= np.linalg.norm(normal)
        binormal = np.cross(t, normal)
        rings.append(point + radius * (np.outer(np.cos(angles), normal) + np.outer(np.sin(angles), binormal)))
    k, n = len(p), sections
    vertices = np.vstack([*rings, p[:1], p[-1:]])
    faces = []
    for i in range(k - 1):
        for j in range(n):
            a, b_, c, d = i * n + j, i * n + (j + 1) % n, (i + 1) * n + (j + 1) % n, (i + 1) * n + j
            faces += [[a, b_, c], [a, c, d]]
    start, end = k * n, k * n + 1
    for j in range(n):
        faces.append([start, (j + 1) % n, j])
        faces.append([end, (k - 1) * n + j, (k - 1) * n + (j + 1) % n])
    mesh = trimesh.Trimesh(vertices, np.asarray(faces), process=False)
    if mesh.volume < 0:
        mesh.invert()
    return np.asarray(mesh.vertices), np.asarray(mesh.faces)


def arc(center: Sequence[float], radius_x: float, radius_z: float, start: float, stop: float, *,
        n: int = 12) -> np.ndarray:
    """Points (n, 3) on an elliptical arc in the x-z plane through ``center``, from angle ``start`` to ``stop``
    (radians, 0 along +x, pi/2 along +z)."""
    t = np.linspace(start, stop, n)
    pts = np.tile(np.asarray(center, dtype=float), (n, 1))
    pts[:, 0] += radius_x * np.cos(t)
    pts[:, 2] += radius_z * np.sin(t)
    return pts


def folded_sheet(xs: np.ndarray, ys: np.ndarray, thickness: float, z0: float,
                 z1: float) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and faces of a vertical sheet of ``thickness`` whose midline runs through (xs, ys) (K,) each,
    from height z0 to z1 (a curtain's folds). The sheet is offset by +-thickness/2 along y."""
    k = len(xs)
    front = np.column_stack([xs, ys + thickness / 2])
    back = np.column_stack([xs, ys - thickness / 2])
    ring = np.vstack([front, back[::-1]])  # outline of the cross-section, 2k points
    m = len(ring)
    vertices = np.vstack([np.column_stack([ring, np.full(m, z0)]), np.column_stack([ring, np.full(m, z1)])])
    faces = []
    for i in range(m):
        j = (i + 1) % m
        faces += [[i, j, m + j], [i, m + j, m + i]]
    for i in range(k - 1):  # caps: quads between matching front and back points
        a, b_, c, d = i, i + 1, m - 2 - i, m - 1 - i
        faces += [[a, c, b_], [a, d, c], [m + a, m + b_, m + c], [m + a, m + c, m + d]]
    mesh = trimesh.Trimesh(vertices, np.asarray(faces), process=False)
    trimesh.repair.fix_normals(mesh)
    return np.asarray(mesh.vertices), np.asarray(mesh.faces)
