"""An independent collision check with trimesh + python-fcl, to cross-check :class:`PhysicsWorld`.

Tests and ``benchmarks/bench_physics.py`` compare the pair sets of the two. This check shares nothing with the
pybullet path but the asset programs: it rebuilds every object's parts with :func:`build_asset`, takes each
colliding part's convex collision mesh (:func:`scene_gym.assets.meshes.collision_mesh`: primitives as
triangle meshes, mesh parts by their hull) posed by ``asset.part_transforms`` at the object's joint values
(clamped to the joint limits, as the physics world does), and makes each an ``fcl.Convex``.

For every pair of objects (all N(N-1)/2 of them; thin coverings skipped), every pair of parts whose AABBs
overlap is tested with ``fcl.collide`` (GJK). For an intersecting pair the penetration depth is computed
exactly by the separating-axis theorem on the two convex meshes (the minimum overlap over their face normals
and the cross products of their edge directions, each axis giving the shorter push that separates the
projections). fcl's own depth estimates are not used: on this data
libccd's EPA (``fcl.distance`` with ``enable_signed_distance``) and MPR (``fcl.collide`` contacts) each
sometimes return wrong values (0.28 m for a pair 0.19 m deep; 0.0 for an intersecting pair), while
separating axes are exact for convex polyhedra. A pair's depth is the deepest part penetration. Unlike
:meth:`PhysicsWorld.collisions` it does not exempt an object resting on its support parent, so compare the
two on scenes without such pairs.

Requires python-fcl (``pip install 'scene-gym[dev]'``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from scene_gym.errors import AssetError, MissingDependencyError
from scene_gym.scene import Scene, SceneObject


def _fcl():
    try:
        import fcl
    except ImportError:  # pragma: no cover - exercised only without the dev extra
        raise MissingDependencyError("fcl", "dev", "the fcl collision cross-check") from None
    return fcl


@lru_cache(maxsize=2048)
def _part_meshes(category: str, size: tuple, params: tuple, seed: int, material: str, joints: tuple):
    """(convex vertices (V, 3), faces (F, 3), (4, 4) pose in the object frame) for each colliding part."""
    import trimesh

    from scene_gym.assets import build_asset
    from scene_gym.assets.meshes import collision_mesh

    try:
        asset = build_asset(category, size, dict(params), seed, material or None)
    except AssetError:
        box = trimesh.creation.box(extents=size)
        pose = np.eye(4)
        pose[2, 3] = size[2] / 2
        return ((np.asarray(box.vertices), np.asarray(box.faces), pose),)
    q = {}
    given = dict(joints)
    for j in asset.joints:
        if j.name in given:
            q[j.name] = min(max(float(given[j.name]), j.limits[0]), j.limits[1])
    out = []
    for part, pose in zip(asset.parts, asset.part_transforms(q), strict=True):
        if part.collide:
            mesh = collision_mesh(part)
            out.append((np.asarray(mesh.vertices, dtype=float), np.asarray(mesh.faces, dtype=np.int64), pose))
    if not out:
        box = trimesh.creation.box(extents=size)
        pose = np.eye(4)
        pose[2, 3] = size[2] / 2
        out.append((np.asarray(box.vertices), np.asarray(box.faces), pose))
    return tuple(out)


def _directions(vectors: np.ndarray) -> np.ndarray:
    """Unit directions (K, 3) of vectors (N, 3), one per line (sign and duplicates folded)."""
    v = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-300)
    v = v[np.linalg.norm(vectors, axis=1) > 1e-12]
    first = np.argmax(np.abs(v) > 1e-9, axis=1)
    v *= np.sign(v[np.arange(len(v)), first])[:, None]
    return np.unique(np.round(v, 9), axis=0)


@lru_cache(maxsize=2048)
def _convexes(key: tuple):
    """Per colliding part: (fcl.Convex, pose (4, 4), vertices (V, 3), face normals (F, 3), edge directions)."""
    import trimesh

    fcl = _fcl()
    out = []
    for vertices, faces, pose in _part_meshes(*key):
        mesh = trimesh.Trimesh(vertices, faces, process=False)
        flat = np.hstack([np.full((len(faces), 1), 3), faces]).ravel()
        edges = vertices[mesh.edges_unique[:, 1]] - vertices[mesh.edges_unique[:, 0]]
        out.append((fcl.Convex(vertices, len(faces), flat), pose, vertices, _directions(mesh.face_normals),
                    _directions(edges)))  # fmt: skip
    return tuple(out)


def _key(obj: SceneObject) -> tuple:
    return (obj.category, obj.size, tuple(sorted(obj.params.items())), obj.seed, obj.material,
            tuple(sorted(obj.joints.items())))  # fmt: skip


def object_pose(obj: SceneObject) -> np.ndarray:
    """(4, 4) pose of an object's frame in the room (independent of :meth:`SceneObject.transform`)."""
    c, s = np.cos(obj.yaw), np.sin(obj.yaw)
    pose = np.eye(4)
    pose[:3, :3] = [[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]]
    pose[:3, 3] = obj.position
    return pose


def prepare(scene: Scene) -> dict:
    """Posed parts per scene object id (thin coverings left out): a list of (fcl.CollisionObject, world
    vertices (V, 3), world face normals, world edge directions) and the parts' AABBs (P, 2, 3)."""
    from scene_gym.assets import get_factory

    fcl = _fcl()
    out = {}
    for obj in scene.objects:
        if get_factory(obj.category).thin_covering:
            continue
        world = object_pose(obj)
        parts, boxes = [], []
        for geom, pose, vertices, normals, edges in _convexes(_key(obj)):
            t = world @ pose
            rot = t[:3, :3]
            verts = vertices @ rot.T + t[:3, 3]
            parts.append((fcl.CollisionObject(geom, fcl.Transform(rot, t[:3, 3])), verts, normals @ rot.T, edges @ rot.T))
            boxes.append((verts.min(axis=0), verts.max(axis=0)))
        out[obj.id] = (parts, np.asarray(boxes))
    return out


def sat_depth(va: np.ndarray, na: np.ndarray, ea: np.ndarray, vb: np.ndarray, nb: np.ndarray, eb: np.ndarray) -> float:
    """Penetration depth of two convex polyhedra (vertices, unit face normals, unit edge directions; world
    frame) by separating axes; <= 0 when they are apart (then minus a lower bound of their distance)."""
    cross = np.cross(ea[:, None, :], eb[None, :, :]).reshape(-1, 3)
    length = np.linalg.norm(cross, axis=1)
    axes = np.vstack([na, nb, cross[length > 1e-9] / length[length > 1e-9, None]])
    pa, pb = va @ axes.T, vb @ axes.T
    # The shortest push along an axis that separates the projections (either way).
    push = np.minimum(pa.max(axis=0) - pb.min(axis=0), pb.max(axis=0) - pa.min(axis=0))
    return float(push.min())


def pair_depths(scene: Scene, prepared: dict | None = None) -> dict[tuple[str, str], float]:
    """Deepest part penetration (metres, >= 0) of every object pair with intersecting parts; keys sorted."""
    fcl = _fcl()
    prepared = prepare(scene) if prepared is None else prepared
    ids = list(prepared)
    request = fcl.CollisionRequest()
    out: dict[tuple[str, str], float] = {}
    for i, a in enumerate(ids):
        parts_a, boxes_a = prepared[a]
        for b in ids[i + 1 :]:
            parts_b, boxes_b = prepared[b]
            overlap = ((boxes_a[:, None, 0] <= boxes_b[None, :, 1]) & (boxes_b[None, :, 0] <= boxes_a[:, None, 1])).all(-1)
            depth = -1.0
            for p, q in zip(*np.nonzero(overlap), strict=True):
                pa, pb = parts_a[p], parts_b[q]
                if fcl.collide(pa[0], pb[0], request, fcl.CollisionResult()):
                    depth = max(depth, sat_depth(*pa[1:], *pb[1:]))
            if depth > -1.0:
                out[tuple(sorted((a, b)))] = max(0.0, depth)
    return out


def colliding_pairs(scene: Scene, min_depth: float = 0.001, prepared: dict | None = None) -> dict[tuple[str, str], float]:
    """Pairs deeper than ``min_depth`` with their depth, the same contract as :meth:`PhysicsWorld.collisions`."""
    return {k: d for k, d in pair_depths(scene, prepared).items() if d > min_depth}
