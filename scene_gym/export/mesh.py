"""GLB and OBJ export: the room and every object as triangle meshes with PBR materials, through trimesh.

Structure of :func:`scene_mesh` (and so of the GLB):

- node ``floor``: the floor polygon as a slab of :data:`FLOOR_THICKNESS`, top face at z = 0 (ear-clipped, so
  L-shaped and other non-convex rooms come out right);
- node ``walls``: one box per wall stretch, :data:`WALL_THICKNESS` thick, standing *outside* the floor polygon
  from z = 0 to the wall height, with doors and windows left open;
- node ``<object id>`` per object, whose transform is ``SceneObject.transform()``; under it one child node per
  distinct part material, ``<object id>/<material>``, holding those parts' triangles in the object frame with
  joint states applied. glTF gives one material per mesh primitive, so a multi-material object needs one child
  per material to keep base colour, roughness, metalness and alpha.

The GLB puts all of these under a root node ``y_up`` that turns the scene's Z-up frame into glTF's Y up.
The OBJ has the same content in world coordinates: ``o <object id>`` per object with ``usemtl`` switching per
material, and ``scene.mtl`` holding ``Kd``, ``d`` (alpha) and the PBR extension ``Pr``/``Pm``.
Object ids and material names written into files match ``[a-z0-9_]`` (see ``slug``), so a prompt or a
material description can never add lines to the OBJ or MTL text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import trimesh

from scene_gym.assets import Material, Part, resolve_material
from scene_gym.assets.meshes import part_mesh
from scene_gym.errors import ExportError
from scene_gym.export.files import write_file
from scene_gym.export.physics_props import object_asset
from scene_gym.scene.architecture import (
    FLOOR_THICKNESS,
    WALL_THICKNESS,
    WallBox,
    floor_slab_arrays,
    triangulate_polygon,
    wall_boxes,
)

#: (4, 4) rotation taking Z-up scene coordinates (x, y, z) to glTF's Y-up (x, z, -y).
Z_UP_TO_Y_UP = np.array([[1.0, 0, 0, 0], [0, 0, 1.0, 0], [0, -1.0, 0, 0], [0, 0, 0, 1.0]])


# --- room geometry ------------------------------------------------------------------------------------------
def floor_slab(room) -> trimesh.Trimesh:
    """The floor polygon as a watertight slab, z in [-FLOOR_THICKNESS, 0] (shared with the renderers)."""
    return trimesh.Trimesh(*floor_slab_arrays(room.polygon), process=False)


# --- objects ------------------------------------------------------------------------------------------------
def slug(text: str) -> str:
    """``text`` reduced to ``[a-z0-9_]`` (safe as an OBJ/MTL name); "part" when nothing is left."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "part"


def object_parts(obj) -> list[tuple[Part, np.ndarray]]:
    """Each drawn part of an object's asset with its (4, 4) pose in the object frame, joint states applied
    (collision-only parts, ``visual=False``, left out).

    Raises :class:`ExportError` naming the object when the asset cannot be built, a joint state cannot be
    applied, or a mesh part has non-finite vertices or face indices out of range.
    """
    asset = object_asset(obj)
    try:
        transforms = asset.part_transforms(obj.joints)
    except (ValueError, KeyError) as err:
        raise ExportError(f"cannot export object {obj.id!r}: joints {obj.joints!r}: {err}") from err
    for part in asset.parts:
        if part.shape == "mesh":
            v, f = part.mesh.vertices, part.mesh.faces
            indices_ok = f.ndim == 2 and f.shape[1] == 3 and (f.size == 0 or 0 <= f.min() <= f.max() < len(v))
            if not (indices_ok and np.isfinite(v).all()):
                raise ExportError(f"cannot export object {obj.id!r}: mesh part {part.name!r} has non-finite "
                                  f"vertices or face indices outside [0, {len(v) - 1}]")  # fmt: skip
    return [(part, t) for part, t in zip(asset.parts, transforms, strict=True) if part.visual]


def object_meshes(obj) -> list[tuple[Material, trimesh.Trimesh]]:
    """An object's triangles in its own frame (joint states applied), one merged mesh per distinct material,
    in order of first use."""
    groups: dict[Material, list[trimesh.Trimesh]] = {}
    for part, transform in object_parts(obj):
        mesh = part_mesh(part)
        mesh.apply_transform(transform)
        groups.setdefault(resolve_material(part.material), []).append(mesh)
    return [(mat, trimesh.util.concatenate(meshes)) for mat, meshes in groups.items()]


def pbr_material(material: Material, name: str) -> trimesh.visual.material.PBRMaterial:
    """A glTF metallic-roughness material from a resolved :class:`Material` (blended when translucent)."""
    alpha = material.rgba[3]
    return trimesh.visual.material.PBRMaterial(
        name=name,
        baseColorFactor=[int(round(255 * c)) for c in material.rgba],
        metallicFactor=float(material.metalness),
        roughnessFactor=float(material.roughness),
        alphaMode="BLEND" if alpha < 1.0 else "OPAQUE",
        doubleSided=alpha < 1.0,
    )


@dataclass
class _Group:
    name: str  # node name: "floor", "walls" or an object id
    transform: np.ndarray  # (4, 4) node pose in room coordinates
    pieces: list[tuple[Material, trimesh.Trimesh]]  # meshes in the node frame


def _groups(scene) -> list[_Group]:
    room = scene.room
    walls = [trimesh.creation.box(extents=b.size, transform=b.transform()) for b in wall_boxes(room)]
    groups = [
        _Group("floor", np.eye(4), [(resolve_material(room.floor_material), floor_slab(room))]),
        _Group("walls", np.eye(4), [(resolve_material(room.wall_material), trimesh.util.concatenate(walls))]),
    ]
    groups += [_Group(obj.id, obj.transform(), object_meshes(obj)) for obj in scene.objects]
    return groups


def _material_names(groups: list[_Group]) -> dict[Material, str]:
    """A unique, file-safe name per distinct material."""
    names: dict[Material, str] = {}
    for group in groups:
        for mat, _ in group.pieces:
            if mat not in names:
                base = name = slug(mat.name)
                k = 1
                while name in names.values():
                    k += 1
                    name = f"{base}_{k}"
                names[mat] = name
    return names


def scene_mesh(scene, *, y_up: bool = False) -> trimesh.Scene:
    """The scene as a ``trimesh.Scene``: ``floor``, ``walls`` and one node per object id (see module doc).

    Coordinates are the scene's (Z up). With ``y_up`` every node hangs under a root node ``y_up`` whose
    transform :data:`Z_UP_TO_Y_UP` turns them into glTF's Y-up convention.
    """
    groups = _groups(scene)
    names = _material_names(groups)
    materials = {mat: pbr_material(mat, name) for mat, name in names.items()}
    out = trimesh.Scene()
    root = out.graph.base_frame
    if y_up:
        out.graph.update(frame_from=root, frame_to="y_up", matrix=Z_UP_TO_Y_UP)
        root = "y_up"
    for group in groups:
        out.graph.update(frame_from=root, frame_to=group.name, matrix=group.transform)
        for mat, mesh in group.pieces:
            mesh = mesh.copy()
            mesh.visual = trimesh.visual.TextureVisuals(material=materials[mat])
            child = f"{group.name}/{names[mat]}"
            out.add_geometry(mesh, node_name=child, geom_name=child, parent_node_name=group.name)
    return out


# --- writers ------------------------------------------------------------------------------------------------
def write_glb(scene, out_dir: Path) -> list[Path]:
    """Write ``out_dir/scene.glb`` (binary glTF 2.0, metres); returns ``[path]``.

    glTF is Y up, so the nodes hang under a root node ``y_up`` that rotates the scene's Z-up frame into it:
    viewers show the room upright and Blender's importer brings back the scene's own coordinates. Below that
    node, transforms and vertices are exactly :func:`scene_mesh`'s.
    """
    data = scene_mesh(scene, y_up=True).export(file_type="glb")
    return [write_file(Path(out_dir) / "scene.glb", data)]


def _mtl_text(names: dict[Material, str]) -> str:
    lines = ["# scene-gym materials (Pr/Pm: PBR roughness/metalness extension)"]
    for mat, name in names.items():
        r, g, b, alpha = mat.rgba
        shininess = (1.0 - mat.roughness) ** 2 * 1000.0
        spec = 0.04 + 0.96 * mat.metalness
        lines += [
            "",
            f"newmtl {name}",
            f"Kd {r:.4f} {g:.4f} {b:.4f}",
            "Ka 0.0000 0.0000 0.0000",
            f"Ks {spec:.4f} {spec:.4f} {spec:.4f}",
            f"Ns {shininess:.2f}",
            f"d {alpha:.4f}",
            f"Pr {mat.roughness:.4f}",
            f"Pm {mat.metalness:.4f}",
            "illum 2",
        ]
    return "\n".join(lines) + "\n"


def write_obj(scene, out_dir: Path) -> list[Path]:
    """Write ``out_dir/scene.obj`` (world coordinates, Z up) and ``scene.mtl``; returns both paths.

    One ``o`` block per object named by its id (``floor`` and ``walls`` for the room), ``usemtl`` per part
    material.
    """
    out_dir = Path(out_dir)
    groups = _groups(scene)
    names = _material_names(groups)
    buf = io.StringIO()
    buf.write("# scene-gym scene export\nmtllib scene.mtl\n")
    offset = 1
    for group in groups:
        buf.write(f"o {group.name}\n")
        for mat, mesh in group.pieces:
            vertices = trimesh.transform_points(mesh.vertices, group.transform)
            buf.write(f"usemtl {names[mat]}\n")
            np.savetxt(buf, vertices, fmt="v %.6f %.6f %.6f")
            np.savetxt(buf, mesh.faces + offset, fmt="f %d %d %d")
            offset += len(vertices)
    obj_path = write_file(out_dir / "scene.obj", buf.getvalue())
    mtl_path = write_file(out_dir / "scene.mtl", _mtl_text(names))
    return [obj_path, mtl_path]


__all__ = ["FLOOR_THICKNESS", "WALL_THICKNESS", "Z_UP_TO_Y_UP", "WallBox", "floor_slab", "object_meshes",
           "object_parts", "scene_mesh", "slug", "triangulate_polygon", "wall_boxes", "write_glb", "write_obj"]  # fmt: skip
