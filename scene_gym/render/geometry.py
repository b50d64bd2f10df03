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
from scene_gym.scene.architecture import FLOOR_THICKNESS, floor_slab_arrays, wall_boxes


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
    """The posed drawn parts of one scene object (collision-only parts, ``visual=False``, left out)."""
    asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
    world = obj.transform()
    out = []
    for part, local in zip(asset.parts, asset.part_transforms(obj.joints), strict=True):
        if not part.visual:
            continue
        out.append(Primitive(f"{obj.id}/{part.name}", part.shape, tuple(part.size), world @ local,
                             resolve_material(part.material), index, part.mesh))  # fmt: skip
    return out


def room_primitives(scene: Scene) -> list[Primitive]:
    """Floor slab and walls (with openings cut out) of the scene's room, as every exporter builds them."""
    room = scene.room
    out = [Primitive("room/floor", "mesh", (1.0, 1.0, FLOOR_THICKNESS), np.eye(4),
                     resolve_material(room.floor_material), -1, floor_mesh(room.polygon))]  # fmt: skip
    wall_mat = resolve_material(room.wall_material)
    counts: dict[int, int] = {}
    for box in wall_boxes(room):
        k = counts[box.wall] = counts.get(box.wall, -1) + 1
        out.append(Primitive(f"room/wall_{box.wall}_{k}", "box", box.size, box.transform(), wall_mat, -1))
    return out


def scene_primitives(scene: Scene) -> list[Primitive]:
    """Room primitives followed by every object's parts, in ``scene.objects`` order."""
    out = room_primitives(scene)
    for i, obj in enumerate(scene.objects):
        out.extend(object_primitives(obj, i))
    return out


def floor_mesh(poly: np.ndarray) -> MeshData:
    """The floor slab (see :func:`scene_gym.scene.architecture.floor_slab_arrays`) as mesh data, world frame."""
    return MeshData(*floor_slab_arrays(poly))


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
