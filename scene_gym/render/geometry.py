"""What the renderers draw: a scene flattened into world-posed primitives with resolved materials.

Objects contribute their asset parts (boxes, cylinders, spheres, meshes) posed with the object's transform and
joint positions; the room contributes a floor slab under z = 0 (triangulated from the floor polygon) and walls
standing outside the polygon's edges, with gaps for doors and windows. There is no ceiling: every view looks
into the room from inside or from above. Room primitives carry ``object_index = -1``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scene_gym.assets import Material, build_asset, resolve_material
from scene_gym.assets.parts import MeshData
from scene_gym.scene import Scene, SceneObject

#: Wall thickness drawn outside the floor polygon, metres.
WALL_THICKNESS = 0.1
#: Thickness of the floor slab below z = 0, metres.
FLOOR_THICKNESS = 0.05


@dataclass(frozen=True, eq=False)
class Primitive:
    """One drawable piece.

    Attributes:
        name: ``"<object id>/<part name>"``, or ``"room/floor"``, ``"room/wall_<i>_<k>"``.
        kind: ``"box"``, ``"cylinder"`` (along local z), ``"sphere"`` or ``"mesh"``.
        size: (3,) full extents, metres (cylinder: diameter, diameter, length; sphere: diameter).
        pose: (4, 4) world pose of the primitive's centre.
        material: resolved material (colour, roughness, metalness).
        object_index: index into ``scene.objects``, -1 for the room.
        mesh: triangles in the primitive's frame for ``kind == "mesh"``.
    """

    name: str
    kind: str
    size: tuple[float, float, float]
    pose: np.ndarray
    material: Material
    object_index: int
    mesh: MeshData | None = None

    @property
    def rgba(self) -> tuple[float, float, float, float]:
        """Base colour and alpha."""
        return self.material.rgba


def object_primitives(obj: SceneObject, index: int) -> list[Primitive]:
    """The posed parts of one scene object."""
    asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
    world = obj.transform()
    out = []
    for part, local in zip(asset.parts, asset.part_transforms(obj.joints), strict=True):
        out.append(Primitive(f"{obj.id}/{part.name}", part.shape, tuple(part.size), world @ local,
                             resolve_material(part.material), index, part.mesh))  # fmt: skip
    return out


def room_primitives(scene: Scene) -> list[Primitive]:
    """Floor slab and walls (with openings cut out) of the scene's room."""
    room = scene.room
    out = [Primitive("room/floor", "mesh", (1.0, 1.0, FLOOR_THICKNESS), np.eye(4),
                     resolve_material(room.floor_material), -1, floor_mesh(room.polygon))]  # fmt: skip
    wall_mat = resolve_material(room.wall_material)
    h, t = room.wall_height, WALL_THICKNESS
    for i in range(len(room.floor)):
        a, b = room.wall(i)
        length = float(np.linalg.norm(b - a))
        tangent = (b - a) / length
        normal = room.wall_normal(i)  # inward
        # Run past convex corners to close them (as the MJCF export does); at reflex corners stop at the vertex,
        # or the wall would poke into the room.
        start = -t if _convex(room.polygon, i) else 0.0
        end = length + t if _convex(room.polygon, (i + 1) % len(room.floor)) else length
        pieces = _wall_pieces(start, end, h, [o for o in room.openings if o.wall == i])
        for k, (s0, s1, z0, z1) in enumerate(pieces):
            mid = a + tangent * ((s0 + s1) / 2) - normal * (t / 2)
            pose = np.eye(4)
            pose[:3, 0] = (*tangent, 0.0)
            pose[:3, 1] = (*normal, 0.0)  # right-handed: tangent x inward normal = +z
            pose[:3, 2] = (0.0, 0.0, 1.0)
            pose[:3, 3] = (mid[0], mid[1], (z0 + z1) / 2)
            out.append(Primitive(f"room/wall_{i}_{k}", "box", (s1 - s0, t, z1 - z0), pose, wall_mat, -1))
    return out


def scene_primitives(scene: Scene) -> list[Primitive]:
    """Room primitives followed by every object's parts, in ``scene.objects`` order."""
    out = room_primitives(scene)
    for i, obj in enumerate(scene.objects):
        out.extend(object_primitives(obj, i))
    return out


def _convex(pts: np.ndarray, v: int) -> bool:
    """Whether the counter-clockwise polygon turns left (a convex corner) at vertex ``v``."""
    n = len(pts)
    e0, e1 = pts[v] - pts[v - 1], pts[(v + 1) % n] - pts[v]
    return bool(e0[0] * e1[1] - e0[1] * e1[0] > 0)


def _wall_pieces(s_start: float, s_end: float, height: float, openings) -> list[tuple[float, float, float, float]]:
    """Rectangles (s0, s1, z0, z1) along a wall that cover it except the openings."""
    pieces = []
    cursor = s_start
    for o in sorted(openings, key=lambda o: o.offset):
        lo, hi = o.offset - o.width / 2, o.offset + o.width / 2
        if lo > cursor + 1e-6:
            pieces.append((cursor, lo, 0.0, height))
        if o.sill > 1e-6:
            pieces.append((lo, hi, 0.0, o.sill))
        if o.sill + o.height < height - 1e-6:
            pieces.append((lo, hi, o.sill + o.height, height))
        cursor = max(cursor, hi)
    if s_end > cursor + 1e-6:
        pieces.append((cursor, s_end, 0.0, height))
    return pieces


def triangulate_polygon(poly: np.ndarray) -> np.ndarray:
    """Ear-clipping triangulation of a simple counter-clockwise polygon (N, 2); returns (N - 2, 3) indices."""
    idx = list(range(len(poly)))
    tris = []

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    guard = 0
    while len(idx) > 3 and guard < 10 * len(poly) ** 2:
        guard += 1
        for k in range(len(idx)):
            i0, i1, i2 = idx[k - 1], idx[k], idx[(k + 1) % len(idx)]
            a, b, c = poly[i0], poly[i1], poly[i2]
            if cross(a, b, c) <= 1e-12:
                continue  # reflex or degenerate corner
            inside = False
            for j in idx:
                if j in (i0, i1, i2):
                    continue
                p = poly[j]
                if cross(a, b, p) >= 0 and cross(b, c, p) >= 0 and cross(c, a, p) >= 0:
                    inside = True
                    break
            if not inside:
                tris.append((i0, i1, i2))
                idx.pop(k)
                break
        else:
            break
    if len(idx) == 3:
        tris.append(tuple(idx))
    return np.asarray(tris, dtype=np.int64)


def floor_mesh(poly: np.ndarray) -> MeshData:
    """A slab of thickness :data:`FLOOR_THICKNESS` whose top face is the floor polygon at z = 0 (world frame)."""
    poly = np.asarray(poly, dtype=float)
    n = len(poly)
    tris = triangulate_polygon(poly)
    top = np.column_stack([poly, np.zeros(n)])
    bottom = np.column_stack([poly, np.full(n, -FLOOR_THICKNESS)])
    vertices = np.vstack([top, bottom])
    faces = [tris, tris[:, ::-1] + n]
    for i in range(n):
        j = (i + 1) % n
        faces.append(np.array([[i, i + n, j + n], [i, j + n, j]]))
    return MeshData(vertices, np.vstack(faces).astype(np.int64))


def primitive_corners(prim: Primitive) -> np.ndarray:
    """(8, 3) world corners of the primitive's bounding box (for meshes: of its vertices' box)."""
    if prim.kind == "mesh" and prim.mesh is not None:
        lo, hi = prim.mesh.vertices.min(axis=0), prim.mesh.vertices.max(axis=0)
    else:
        half = np.asarray(prim.size) / 2
        lo, hi = -half, half
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    return corners @ prim.pose[:3, :3].T + prim.pose[:3, 3]


def point_inside(prim: Primitive, point: np.ndarray, margin: float = 0.0) -> bool:
    """Whether a world point lies inside the primitive's (oriented) bounding box shrunk by ``margin``."""
    local = (np.asarray(point, dtype=float) - prim.pose[:3, 3]) @ prim.pose[:3, :3]
    if prim.kind == "mesh" and prim.mesh is not None:
        lo, hi = prim.mesh.vertices.min(axis=0) + margin, prim.mesh.vertices.max(axis=0) - margin
        return bool(np.all(local > lo) and np.all(local < hi))
    half = np.asarray(prim.size) / 2 - margin
    if prim.kind == "sphere":
        return bool(np.linalg.norm(local) < half[0])
    if prim.kind == "cylinder":
        return bool(math.hypot(local[0], local[1]) < half[0] and abs(local[2]) < half[2])
    return bool(np.all(np.abs(local) < half))
