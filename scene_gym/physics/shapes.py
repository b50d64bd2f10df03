"""Collision geometry of scene objects, in the object frame, cached per asset and joint state.

Every physics query reads an object's geometry from one :class:`ObjectShape`, built once per
(category, size, params, seed, material, joint positions) and shared by every object and every world with
that key. It holds:

- the colliding parts (``collide=True``) as convex colliders: boxes, cylinders and spheres as they are, mesh
  parts by the convex hull of their triangles (:func:`scene_gym.assets.meshes.collision_mesh`; a concave user
  mesh arrives as collision-only convex pieces, see :mod:`scene_gym.assets.convex`), each with its
  pose in the object frame at the object's joint positions (joint values are clamped to the joint limits);
- derived data for the cheap checks: the object-frame AABB, the footprint (counter-clockwise 2D convex hull
  of every collider vertex), the lowest and highest collider point, the centre of mass (part centres
  weighted by part mass) and the support surfaces moved with their links.

An object whose asset cannot be built (its size lies outside the category's range, which scene validation
allows) collides as one box filling its bounding box; ``ObjectShape.fallback`` is then True.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from scene_gym.assets import build_asset, get_factory
from scene_gym.assets.materials import resolve_material
from scene_gym.errors import AssetError
from scene_gym.scene import SceneObject


@dataclass(frozen=True, eq=False)
class Collider:
    """One convex collider of an object.

    Attributes:
        part: name of the asset part.
        kind: ``"box"``, ``"cylinder"``, ``"sphere"`` or ``"hull"``.
        size: (3,) full extents (box), (diameter, diameter, length) (cylinder), (diameter,) * 3 (sphere);
            for a hull the extents of its vertices.
        transform: (4, 4) pose of the collider's local frame in the object frame.
        vertices: (V, 3) collider vertices in its local frame (hulls: the hull; primitives: their corners or a
            polygonal approximation, used for footprints only).
        faces: (F, 3) int triangles of the hull (empty for primitives).
        aabb: (2, 3) exact min/max corner of the collider in the object frame.
    """

    part: str
    kind: str
    size: tuple[float, float, float]
    transform: np.ndarray
    vertices: np.ndarray
    faces: np.ndarray
    aabb: np.ndarray


@dataclass(frozen=True)
class Surface:
    """A support surface in the object frame: centre (3,) (z = height), half extents (2,), yaw (radians)."""

    name: str
    center: tuple[float, float, float]
    half: tuple[float, float]
    yaw: float


@dataclass(frozen=True, eq=False)
class ObjectShape:
    """Collision geometry of one (asset, joint state) in the object frame; see the module docstring."""

    key: tuple
    colliders: tuple[Collider, ...]
    aabb: np.ndarray
    footprint: np.ndarray
    z_range: tuple[float, float]
    com: np.ndarray
    surfaces: tuple[Surface, ...]
    fallback: bool = False


def shape_key(obj: SceneObject) -> tuple:
    """The record fields that determine an object's geometry (everything but its pose and parent)."""
    return (obj.category, obj.size, tuple(sorted(obj.params.items())), obj.seed, obj.material,
            tuple(sorted(obj.joints.items())))  # fmt: skip


def object_shape(obj: SceneObject) -> ObjectShape:
    """The cached :class:`ObjectShape` of a scene object."""
    return _shape_for_key(shape_key(obj))


def is_thin_covering(category: str) -> bool:
    """True for rugs, mats and other coverings that collision checks ignore."""
    return bool(get_factory(category).thin_covering)


@lru_cache(maxsize=4096)
def _shape_for_key(key: tuple) -> ObjectShape:
    category, size, params, seed, material, joints = key
    try:
        asset = build_asset(category, size, dict(params), seed, material or None)
    except AssetError:
        return _box_shape(key, size)
    q = {}
    for joint in asset.joints:
        if joint.name in dict(joints):
            lo, hi = joint.limits
            q[joint.name] = min(max(float(dict(joints)[joint.name]), lo), hi)
    colliders, masses, centres = [], [], []
    for part, transform in zip(asset.parts, asset.part_transforms(q), strict=True):
        if not part.collide:
            continue
        colliders.append(_collider(part, transform))
        density = resolve_material(part.material).density
        masses.append(max(part.volume, 1e-12) * density)
        centres.append(transform[:3, 3])
    if not colliders:
        return _box_shape(key, size)
    motions = asset.link_motions(q)
    surfaces = []
    for s in asset.surfaces:
        m = motions[s.link]
        c = m @ np.append(np.asarray(s.center, dtype=float), 1.0)
        surfaces.append(Surface(s.name, tuple(float(v) for v in c[:3]), (s.size[0] / 2, s.size[1] / 2),
                                math.atan2(m[1, 0], m[0, 0])))  # fmt: skip
    com = np.average(np.asarray(centres), axis=0, weights=np.asarray(masses))
    return _finish(key, colliders, com, tuple(surfaces))


def _box_shape(key: tuple, size) -> ObjectShape:
    w, d, h = (float(v) for v in size)
    t = np.eye(4)
    t[2, 3] = h / 2
    collider = _primitive("body", "box", (w, d, h), t)
    return _finish(key, [collider], np.array([0.0, 0.0, h / 2]), (), fallback=True)


def _finish(key, colliders, com, surfaces, fallback=False) -> ObjectShape:
    aabb = np.array([np.min([c.aabb[0] for c in colliders], axis=0), np.max([c.aabb[1] for c in colliders], axis=0)])
    pts = np.vstack([(c.vertices @ c.transform[:3, :3].T + c.transform[:3, 3])[:, :2] for c in colliders])
    for a in (pts, aabb, com):
        a.setflags(write=False)
    footprint = convex_hull_2d(pts)
    footprint.setflags(write=False)
    return ObjectShape(key, tuple(colliders), aabb, footprint, (float(aabb[0, 2]), float(aabb[1, 2])), com,
                       surfaces, fallback)  # fmt: skip


def _collider(part, transform: np.ndarray) -> Collider:
    if part.shape == "mesh":
        from scene_gym.assets.meshes import collision_mesh

        hull = collision_mesh(part)
        vertices = np.asarray(hull.vertices, dtype=float)
        faces = np.asarray(hull.faces, dtype=np.int64)
        world = vertices @ transform[:3, :3].T + transform[:3, 3]
        extents = vertices.max(axis=0) - vertices.min(axis=0)
        aabb = np.array([world.min(axis=0), world.max(axis=0)])
        for a in (vertices, faces, aabb, transform):
            a.setflags(write=False)
        return Collider(part.name, "hull", tuple(float(v) for v in extents), transform, vertices, faces, aabb)
    return _primitive(part.name, part.shape, tuple(float(v) for v in part.size), transform)


def _primitive(name: str, kind: str, size: tuple, transform: np.ndarray) -> Collider:
    rot, pos = transform[:3, :3], transform[:3, 3]
    if kind == "box":
        half = np.asarray(size) / 2
        vertices = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]) * half
        ext = np.abs(rot) @ half
    elif kind == "cylinder":
        r, h = size[0] / 2, size[2] / 2
        ang = np.linspace(0.0, 2 * math.pi, 24, endpoint=False)
        ring = np.column_stack([r * np.cos(ang), r * np.sin(ang)])
        vertices = np.vstack([np.column_stack([ring, np.full(24, -h)]), np.column_stack([ring, np.full(24, h)])])
        axis = rot[:, 2]
        ext = np.abs(axis) * h + r * np.sqrt(np.clip(1.0 - axis**2, 0.0, 1.0))
    elif kind == "sphere":
        r = size[0] / 2
        vertices = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]) * r
        ext = np.full(3, r)
    else:
        raise ValueError(f"expected a box, cylinder or sphere collider, got {kind!r}")
    aabb = np.array([pos - ext, pos + ext])
    faces = np.zeros((0, 3), dtype=np.int64)
    for a in (vertices, faces, aabb, transform):
        a.setflags(write=False)
    return Collider(name, kind, size, transform, vertices, faces, aabb)


def convex_hull_2d(points: np.ndarray) -> np.ndarray:
    """Counter-clockwise convex hull (K, 2) of 2D points (N, 2) (monotone chain; collinear points dropped)."""
    pts = np.unique(np.round(np.asarray(points, dtype=float), 9), axis=0)
    if len(pts) < 3:
        return pts

    def half(seq):
        out: list = []
        for p in seq:
            while len(out) >= 2 and _cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(pts[::-1])
    return np.asarray(lower[:-1] + upper[:-1])


def _cross(o, a, b) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def world_points(obj: SceneObject, local_xy: np.ndarray) -> np.ndarray:
    """Object-frame 2D points (N, 2) in room coordinates, (N, 2)."""
    c, s = math.cos(obj.yaw), math.sin(obj.yaw)
    x, y = local_xy[:, 0], local_xy[:, 1]
    return np.column_stack([c * x - s * y + obj.position[0], s * x + c * y + obj.position[1]])


def rotated_aabb(obj: SceneObject, local: np.ndarray) -> np.ndarray:
    """(2, 3) room-frame AABB enclosing an object-frame AABB (2, 3) at the object's pose (exact when the
    yaw is a multiple of 90 degrees, conservative otherwise)."""
    lo, hi = local
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    c, s = abs(math.cos(obj.yaw)), abs(math.sin(obj.yaw))
    cx, cy = world_points(obj, centre[None, :2])[0]
    hx, hy = c * half[0] + s * half[1], s * half[0] + c * half[1]
    z = obj.position[2]
    return np.array([[cx - hx, cy - hy, z + lo[2]], [cx + hx, cy + hy, z + hi[2]]])


@dataclass(frozen=True, eq=False)
class Placed:
    """An object's geometry at its pose, in room coordinates.

    Attributes:
        obj: the record; shape: its :class:`ObjectShape`.
        footprint: (K, 2) counter-clockwise convex footprint.
        com: (3,) centre of mass.
        bottom, top: lowest and highest collider point, metres.
        aabb: (2, 3) enclosing box of the colliders.
    """

    obj: SceneObject
    shape: ObjectShape
    footprint: np.ndarray
    com: np.ndarray
    bottom: float
    top: float
    aabb: np.ndarray


def place(obj: SceneObject, shape: ObjectShape | None = None) -> Placed:
    """The :class:`Placed` geometry of an object (``shape`` defaults to its cached shape)."""
    shape = shape or object_shape(obj)
    footprint = world_points(obj, shape.footprint)
    cxy = world_points(obj, shape.com[None, :2])[0]
    z = obj.position[2]
    com = np.array([cxy[0], cxy[1], z + shape.com[2]])
    return Placed(obj, shape, footprint, com, z + shape.z_range[0], z + shape.z_range[1], rotated_aabb(obj, shape.aabb))
