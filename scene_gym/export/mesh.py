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
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import trimesh

from scene_gym.assets import Material, Part, resolve_material
from scene_gym.assets.meshes import part_mesh
from scene_gym.errors import ExportError
from scene_gym.export.physics_props import object_asset
from scene_gym.scene.io import atomic_write

#: Wall thickness in metres; walls stand outside the floor polygon so the floor stays free.
WALL_THICKNESS = 0.1
#: Floor slab thickness in metres; the slab spans z in [-FLOOR_THICKNESS, 0].
FLOOR_THICKNESS = 0.05
#: (4, 4) rotation taking Z-up scene coordinates (x, y, z) to glTF's Y-up (x, z, -y).
Z_UP_TO_Y_UP = np.array([[1.0, 0, 0, 0], [0, 0, 1.0, 0], [0, -1.0, 0, 0], [0, 0, 0, 1.0]])


# --- room geometry ------------------------------------------------------------------------------------------
def _cross(o, a, b) -> float:
    """z of (a - o) x (b - o): positive when o -> a -> b turns left (counter-clockwise)."""
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def triangulate_polygon(points) -> np.ndarray:
    """Ear-clipping triangulation of a simple counter-clockwise polygon.

    points : (N, 2) float. Returns (N - 2 or fewer, 3) int64 vertex indices, each triangle counter-clockwise;
    collinear vertices are dropped rather than given zero-area triangles. Raises ``ValueError`` when the
    polygon is not simple (no ear can be found).
    """
    pts = np.asarray(points, dtype=float)
    remaining = list(range(len(pts)))
    triangles = []
    scale = max(float(np.ptp(pts, axis=0).max()), 1.0) if len(pts) else 1.0
    eps = 1e-12 * scale * scale
    while len(remaining) > 3:
        n = len(remaining)
        for k in range(n):
            i_prev, i, i_next = remaining[k - 1], remaining[k], remaining[(k + 1) % n]
            a, b, c = pts[i_prev], pts[i], pts[i_next]
            turn = _cross(a, b, c)
            if abs(turn) <= eps and np.dot(b - a, c - b) > 0:
                remaining.pop(k)  # collinear vertex: the polygon keeps its shape without it
                break
            if turn <= eps:
                continue  # reflex (or a spike): not an ear
            # An ear only if no other vertex lies in (or on the boundary of) the triangle.
            blocked = False
            for j in remaining:
                if j in (i_prev, i, i_next):
                    continue
                p = pts[j]
                if _cross(a, b, p) >= -eps and _cross(b, c, p) >= -eps and _cross(c, a, p) >= -eps:
                    blocked = True
                    break
            if not blocked:
                triangles.append((i_prev, i, i_next))
                remaining.pop(k)
                break
        else:
            raise ValueError(f"cannot triangulate polygon (not simple?): {pts.tolist()!r}")
    if len(remaining) == 3 and _cross(*(pts[j] for j in remaining)) > eps:
        triangles.append(tuple(remaining))
    return np.asarray(triangles, dtype=np.int64).reshape(-1, 3)


def floor_slab(room) -> trimesh.Trimesh:
    """The floor polygon extruded downwards into a slab: z in [-FLOOR_THICKNESS, 0], watertight."""
    poly = room.polygon
    faces = triangulate_polygon(poly)
    slab = trimesh.creation.extrude_triangulation(poly, faces, FLOOR_THICKNESS)
    slab.apply_translation((0.0, 0.0, -FLOOR_THICKNESS))
    return slab


@dataclass(frozen=True)
class WallBox:
    """One solid box of wall.

    Attributes:
        wall: index of the wall (floor-polygon edge) it belongs to.
        center: (3,) box centre in room coordinates, metres.
        size: (3,) full extents (along the wall, across it, height), metres.
        yaw: rotation about +Z of the box's x axis (the wall direction), radians.
    """

    wall: int
    center: tuple[float, float, float]
    size: tuple[float, float, float]
    yaw: float

    def transform(self) -> np.ndarray:
        """(4, 4) pose of the box centre."""
        c, s = math.cos(self.yaw), math.sin(self.yaw)
        t = np.eye(4)
        t[:2, :2] = [[c, -s], [s, c]]
        t[:3, 3] = self.center
        return t


def _subtract(span: tuple[float, float], holes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of interval ``span`` not covered by any of ``holes``."""
    out, (lo, hi) = [], span
    for a, b in sorted(holes):
        if b <= lo or a >= hi:
            continue
        if a > lo:
            out.append((lo, a))
        lo = max(lo, b)
    if hi > lo:
        out.append((lo, hi))
    return [(a, b) for a, b in out if b - a > 1e-6]


def wall_boxes(room, thickness: float = WALL_THICKNESS) -> list[WallBox]:
    """Boxes that make up the walls, outside the floor polygon, with openings cut out.

    At convex corners a wall runs on by ``thickness`` so neighbouring walls close the corner; at reflex corners
    (the inner corner of an L) it stops at the vertex, since running on would poke into the room.
    """
    pts = room.polygon
    n = len(pts)
    height = room.wall_height
    boxes: list[WallBox] = []
    for w in range(n):
        a, b = pts[w], pts[(w + 1) % n]
        length = float(np.linalg.norm(b - a))
        t = (b - a) / length
        outward = np.array([t[1], -t[0]])
        convex_start = _cross(pts[w - 1], a, b) > 0
        convex_end = _cross(a, b, pts[(w + 2) % n]) > 0
        s0 = -thickness if convex_start else 0.0
        s1 = length + thickness if convex_end else length
        openings = [o for o in room.openings if o.wall == w]
        edges = [min(max(o.offset + k * o.width / 2, s0), s1) for o in openings for k in (-1, 1)]
        cuts = sorted({s0, s1, *edges})
        runs: list[tuple[float, float, list]] = []  # (start, end, solid z intervals), merged when equal
        for u, v in zip(cuts, cuts[1:], strict=False):
            if v - u < 1e-6:
                continue
            mid = (u + v) / 2
            holes = [(o.sill, o.sill + o.height) for o in openings if abs(mid - o.offset) < o.width / 2]
            solid = _subtract((0.0, height), holes)
            if runs and runs[-1][2] == solid and abs(runs[-1][1] - u) < 1e-9:
                runs[-1] = (runs[-1][0], v, solid)
            else:
                runs.append((u, v, solid))
        yaw = math.atan2(t[1], t[0])
        for u, v, solid in runs:
            xy = a + t * (u + v) / 2 + outward * thickness / 2
            for z0, z1 in solid:
                boxes.append(WallBox(w, (float(xy[0]), float(xy[1]), (z0 + z1) / 2), (v - u, thickness, z1 - z0),
                                     yaw))  # fmt: skip
    return boxes


# --- objects ------------------------------------------------------------------------------------------------
def slug(text: str) -> str:
    """``text`` reduced to ``[a-z0-9_]`` (safe as an OBJ/MTL name); "part" when nothing is left."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "part"


def object_parts(obj) -> list[tuple[Part, np.ndarray]]:
    """Each part of an object's asset with its (4, 4) pose in the object frame, joint states applied.

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
    return list(zip(asset.parts, transforms, strict=True))


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
def write_file(path: Path, data: str | bytes) -> Path:
    """``atomic_write`` that reports failures as :class:`ExportError` naming the path."""
    try:
        return atomic_write(path, data)
    except OSError as err:
        raise ExportError(f"cannot write {str(path)!r}: {err.strerror or err}") from err


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
