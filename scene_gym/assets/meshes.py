"""Triangle meshes for parts: generated shapes (bevelled boxes, lathed profiles, extrusions) and the mesh of
any part or whole asset. Uses trimesh; results are cached because assets are immutable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import trimesh

from scene_gym.assets.materials import resolve_material
from scene_gym.assets.parts import Asset, MeshData, Part


def lathe(profile: Sequence[tuple[float, float]], segments: int = 24) -> MeshData:
    """Revolve a (radius, z) profile about the z axis into a closed mesh, centred on its bounding box.

    profile : sequence of (r, z) in metres, from bottom to top; endpoints with r = 0 close the solid.
    """
    pts = np.asarray(profile, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2 or (pts[:, 0] < 0).any():
        raise ValueError(f"expected a (r >= 0, z) profile of at least 2 points, got {profile!r}")
    mesh = trimesh.creation.revolve(pts, sections=segments)
    mesh.apply_translation(-mesh.bounds.mean(axis=0))
    return MeshData(np.asarray(mesh.vertices, dtype=float), np.asarray(mesh.faces, dtype=np.int64))


def extrude(polygon: Sequence[tuple[float, float]], height: float) -> MeshData:
    """Extrude an x-y polygon that is star-shaped about its vertex mean by ``height`` along z, centred.

    Triangulated as fans from the mean, so no polygon-triangulation dependency (shapely) is needed.
    """
    poly = np.asarray(polygon, dtype=float)
    n = len(poly)
    c = poly.mean(axis=0)
    ring = np.vstack([poly, c[None]])
    bottom = np.column_stack([ring, np.zeros(n + 1)])
    top = np.column_stack([ring, np.full(n + 1, height)])
    vertices = np.vstack([bottom, top])
    faces = []
    for i in range(n):
        j = (i + 1) % n
        faces.append([n, j, i])  # bottom fan, facing down
        faces.append([n + 1 + n, n + 1 + i, n + 1 + j])  # top fan, facing up
        faces.append([i, j, n + 1 + j])
        faces.append([i, n + 1 + j, n + 1 + i])
    mesh = trimesh.Trimesh(vertices, np.asarray(faces), process=True)
    if mesh.volume < 0:
        mesh.invert()
    mesh.apply_translation(-mesh.bounds.mean(axis=0))
    return MeshData(np.asarray(mesh.vertices, dtype=float), np.asarray(mesh.faces, dtype=np.int64))


def bevelled_box(size: Sequence[float], radius: float) -> trimesh.Trimesh:
    """A box of full extents ``size`` with its edges chamfered by ``radius`` (convex hull of inset corners)."""
    half = np.asarray(size, dtype=float) / 2
    r = min(radius, float(half.min()) * 0.9)
    pts = []
    for sx in (-1, 1):
        for sy in (-1, 1):
            for sz in (-1, 1):
                corner = np.array([sx, sy, sz]) * half
                inset = np.array([sx, sy, sz]) * (half - r)
                for axis in range(3):
                    p = inset.copy()
                    p[axis] = corner[axis]
                    pts.append(p)
    return trimesh.convex.convex_hull(np.asarray(pts))


@lru_cache(maxsize=8192)
def _primitive_mesh(shape: str, size: tuple[float, float, float], bevel: float) -> trimesh.Trimesh:
    if shape == "box":
        return bevelled_box(size, bevel) if bevel > 0 else trimesh.creation.box(extents=size)
    if shape == "cylinder":
        return trimesh.creation.cylinder(radius=size[0] / 2, height=size[2], sections=24)
    if shape == "sphere":
        return trimesh.creation.icosphere(subdivisions=2, radius=size[0] / 2)
    raise ValueError(f"not a primitive shape: {shape!r}")


def part_mesh(part: Part) -> trimesh.Trimesh:
    """The part's triangles in its own local frame (centred), as a new trimesh."""
    if part.shape == "mesh":
        return trimesh.Trimesh(part.mesh.vertices.copy(), part.mesh.faces.copy(), process=False)
    return _primitive_mesh(part.shape, tuple(part.size), float(part.bevel)).copy()


def collision_mesh(part: Part) -> trimesh.Trimesh:
    """The convex shape physics uses for a part, local frame: primitives as they are, meshes by their hull.

    Bevels are visual only, so boxes collide as plain boxes. A concave user mesh collides as several convex
    collision-only parts (:mod:`scene_gym.assets.convex`), each of which is its own hull here.
    """
    if part.shape == "mesh":
        return part_mesh(part).convex_hull
    return _primitive_mesh(part.shape, tuple(part.size), 0.0).copy()


def mesh_volume(mesh: MeshData) -> float:
    """Enclosed volume of a mesh, m³ (its convex hull's when the mesh is not watertight)."""
    tm = trimesh.Trimesh(mesh.vertices, mesh.faces, process=False)
    return float(abs(tm.volume) if tm.is_watertight else tm.convex_hull.volume)


def asset_mesh(asset: Asset, joints: dict[str, float] | None = None, *, colored: bool = True) -> trimesh.Trimesh:
    """All drawn parts of an asset (``visual=False`` ones left out) merged into one mesh in the asset frame, with
    per-face material colours."""
    meshes = []
    for part, transform in zip(asset.parts, asset.part_transforms(joints), strict=True):
        if not part.visual:
            continue
        m = part_mesh(part)
        m.apply_transform(transform)
        if colored:
            rgba = np.array(resolve_material(part.material).rgba) * 255
            m.visual.face_colors = np.tile(rgba.astype(np.uint8), (len(m.faces), 1))
        meshes.append(m)
    return trimesh.util.concatenate(meshes)


def cylinder_between(a: Sequence[float], b: Sequence[float]) -> tuple[tuple, tuple, float]:
    """Centre (3,), roll-pitch-yaw (3,) and length of a cylinder whose axis runs from point a to point b."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = b - a
    length = float(np.linalg.norm(d))
    d = d / max(length, 1e-12)
    pitch = math.atan2(math.hypot(d[0], d[1]), d[2])
    yaw = math.atan2(d[1], d[0])
    return tuple((a + b) / 2), (0.0, pitch, yaw), length
