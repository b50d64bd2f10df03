"""What the physics exporters (MJCF, URDF, SDF) share: the asset of a scene object, link frames, masses and
inertias from part volumes and material densities, joint limits, and part meshes as OBJ files.

Link frames follow :mod:`scene_gym.assets.parts`: axis-aligned with the asset frame, ``"base"`` at the asset
origin and every other link at the origin of the joint that creates it. Inertias are (3, 3) tensors in kg·m²
about the link's centre of mass, expressed in the link frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from scene_gym.assets.factory import build_asset, get_factory
from scene_gym.assets.materials import resolve_material
from scene_gym.assets.parts import BASE_LINK, Asset, Joint, MeshData, Part
from scene_gym.errors import ExportError, SceneGymError
from scene_gym.export.files import write_file
from scene_gym.scene.io import atomic_write

#: Joint effort (N·m for revolute, N for prismatic) and velocity (rad/s, m/s) limits written to URDF/SDF.
#: The asset contract does not model actuators; these bound what a controller may apply to furniture.
EFFORT_LIMIT = {"revolute": 50.0, "prismatic": 100.0}
VELOCITY_LIMIT = {"revolute": 2.0, "prismatic": 0.5}

#: Lightest link mass written, kg; simulators reject massless moving links.
MIN_MASS = 1e-3


def object_asset(obj) -> Asset:
    """The built :class:`Asset` of a scene object; any asset problem becomes an :class:`ExportError` naming it."""
    try:
        return build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
    except SceneGymError as err:
        raise ExportError(f"cannot export object {obj.id!r} ({obj.category}): {err}") from err


def object_factory(obj):
    """The asset program class of a scene object (for its ``small`` and ``thin_covering`` flags)."""
    try:
        return get_factory(obj.category)
    except SceneGymError as err:
        raise ExportError(f"cannot export object {obj.id!r}: {err}") from err


def articulated_objects(scene) -> list[tuple[object, Asset]]:
    """(object, asset) of every object whose asset has joints, in scene order."""
    pairs = [(obj, object_asset(obj)) for obj in scene.objects]
    return [(obj, asset) for obj, asset in pairs if asset.articulated]


def check_asset(asset: Asset, name: str) -> None:
    """Raise :class:`ExportError` naming ``name`` and the part when a mesh part cannot be exported."""
    for part in asset.parts:
        if part.shape == "mesh":
            problem = mesh_problem(part.mesh)
            if problem:
                raise ExportError(f"cannot export object {name!r} ({asset.category}): mesh part {part.name!r} {problem}")


def mesh_problem(mesh: MeshData | None) -> str | None:
    """Why a mesh is unusable for physics (None when it is fine): shapes, non-finite values, bad indices,
    or no volume (fewer than 4 points off one plane)."""
    if mesh is None:
        return "has no mesh data"
    v, f = np.asarray(mesh.vertices), np.asarray(mesh.faces)
    if v.ndim != 2 or v.shape[1] != 3 or len(v) < 4:
        return f"expected (N >= 4, 3) vertices, got shape {v.shape}"
    if f.ndim != 2 or f.shape[1] != 3 or len(f) < 4:
        return f"expected (M >= 4, 3) faces, got shape {f.shape}"
    if not np.isfinite(v).all():
        return "has non-finite vertices"
    if f.min() < 0 or f.max() >= len(v):
        return f"has face indices outside [0, {len(v) - 1}], got [{f.min()}, {f.max()}]"
    centred = v - v.mean(axis=0)
    extent = float(np.abs(centred).max())
    if extent == 0.0 or np.linalg.svd(centred / extent, compute_uv=False)[-1] < 1e-6:
        return "is flat or degenerate (no enclosed volume)"
    return None


@lru_cache(maxsize=4096)
def mesh_is_solid(mesh: MeshData) -> bool:
    """True when the mesh is closed and consistently wound, so its exact volume is meaningful."""
    import trimesh

    tm = trimesh.Trimesh(mesh.vertices, mesh.faces, process=False)
    return bool(tm.is_watertight and tm.is_winding_consistent and tm.volume > 0)


# --- link frames and inertia -----------------------------------------------------------------------------
def link_origin(asset: Asset, link: str) -> np.ndarray:
    """(3,) origin of ``link``'s frame in the asset frame: (0, 0, 0) for the base, else its joint's origin."""
    if link == BASE_LINK:
        return np.zeros(3)
    return np.asarray(child_joint(asset, link).origin, dtype=float)


def child_joint(asset: Asset, link: str) -> Joint:
    """The joint that creates ``link``."""
    for joint in asset.joints:
        if joint.child == link:
            return joint
    raise KeyError(f"{asset.category}: no joint creates link {link!r}")


def unit_axis(joint: Joint) -> np.ndarray:
    """(3,) unit axis of a joint."""
    axis = np.asarray(joint.axis, dtype=float)
    return axis / np.linalg.norm(axis)


def part_mass(part: Part) -> float:
    """kg: solid volume times the density of the part's material."""
    return part.volume * resolve_material(part.material).density


def part_local_inertia(part: Part, mass: float) -> tuple[np.ndarray, np.ndarray]:
    """Centre of mass (3,) in the part's local frame and (3, 3) inertia about it, for a part of ``mass``."""
    w, d, h = part.size
    if part.shape == "box":
        return np.zeros(3), np.diag([d * d + h * h, w * w + h * h, w * w + d * d]) * mass / 12
    if part.shape == "cylinder":
        r = w / 2
        side = mass * (3 * r * r + h * h) / 12
        return np.zeros(3), np.diag([side, side, mass * r * r / 2])
    if part.shape == "sphere":
        return np.zeros(3), np.eye(3) * (0.4 * mass * (w / 2) ** 2)
    import trimesh

    tm = trimesh.Trimesh(part.mesh.vertices, part.mesh.faces, process=False)
    if not mesh_is_solid(part.mesh):
        tm = tm.convex_hull
    volume = abs(float(tm.volume))
    if volume <= 0.0:
        return np.zeros(3), np.zeros((3, 3))
    # trimesh's moment_inertia is for its own density (1 by default): rescale to the part's mass.
    return np.asarray(tm.center_mass, dtype=float), np.asarray(tm.moment_inertia, dtype=float) * (mass / (volume * tm.density))


@dataclass(frozen=True)
class Inertial:
    """Mass properties of one link.

    Attributes:
        mass: kg (at least :data:`MIN_MASS`).
        com: (3,) centre of mass in the link frame, metres.
        inertia: (3, 3) kg·m² about ``com``, link-frame axes.
    """

    mass: float
    com: np.ndarray
    inertia: np.ndarray


def link_inertial(asset: Asset, link: str) -> Inertial:
    """Mass, centre of mass and inertia of the parts on ``link`` (decorative parts included: they weigh;
    collision-only parts, ``visual=False``, left out: the visual part they stand in for carries the mass)."""
    origin = link_origin(asset, link)
    items = []
    for part in asset.parts_of(link):
        if not part.visual:
            continue
        m = part_mass(part)
        c_local, i_local = part_local_inertia(part, m)
        rot = part.rotation
        items.append((m, np.asarray(part.position) - origin + rot @ c_local, rot @ i_local @ rot.T))
    total = sum(m for m, _, _ in items)
    if total <= 0.0:
        side = MIN_MASS * 0.01**2 / 6  # a 1 cm cube
        return Inertial(MIN_MASS, np.zeros(3), np.eye(3) * side)
    com = sum(m * c for m, c, _ in items) / total
    inertia = np.zeros((3, 3))
    for m, c, i in items:
        r = c - com
        inertia += i + m * (float(r @ r) * np.eye(3) - np.outer(r, r))  # parallel-axis theorem
    inertia = (inertia + inertia.T) / 2
    if total < MIN_MASS:
        inertia *= MIN_MASS / total
        total = MIN_MASS
    return Inertial(float(total), com, inertia)


# --- mesh files ------------------------------------------------------------------------------------------
def mesh_relpath(name: str, part: Part) -> str:
    """Relative path (posix) of a mesh part's OBJ file, next to the model file of object ``name``."""
    return f"{name}_meshes/{part.name}.obj"


def obj_text(mesh: MeshData) -> str:
    """Wavefront OBJ text of a mesh (metres, 1-based indices)."""
    verts = "\n".join(f"v {x:.6f} {y:.6f} {z:.6f}" for x, y, z in np.asarray(mesh.vertices, dtype=float))
    faces = "\n".join(f"f {a + 1} {b + 1} {c + 1}" for a, b, c in np.asarray(mesh.faces, dtype=np.int64))
    return f"# scene-gym part mesh\n{verts}\n{faces}\n"


def write_meshes(asset: Asset, name: str, out_dir: Path) -> list[Path]:
    """Write every mesh part of ``asset`` as an OBJ file at :func:`mesh_relpath` under ``out_dir``."""
    return [atomic_write(out_dir / mesh_relpath(name, part), obj_text(part.mesh))
            for part in asset.parts if part.shape == "mesh"]  # fmt: skip


def write_articulated(scene, out_dir: Path, describe, suffix: str) -> list[Path]:
    """Write one ``<object_id>.<suffix>`` file (plus its mesh files) per articulated object of ``scene``.

    ``describe(asset, name) -> str`` renders one asset (URDF or SDF text). Returns every path written;
    failures raise :class:`ExportError` naming the object.
    """
    out_dir = Path(out_dir)
    paths = []
    for obj, asset in articulated_objects(scene):
        try:
            text = describe(asset, obj.id)
        except ExportError:
            raise
        except (ValueError, KeyError) as err:
            raise ExportError(f"cannot export object {obj.id!r} ({obj.category}) to {suffix.upper()}: {err}") from err
        paths.extend(write_meshes(asset, obj.id, out_dir))
        paths.append(write_file(out_dir / f"{obj.id}.{suffix}", text))
    return paths


def fmt(values, precision: int = 6) -> str:
    """Space-separated numbers with trailing zeros trimmed ("0.5 0 1.25"), for XML attributes."""
    out = []
    for v in np.atleast_1d(np.asarray(values, dtype=float)):
        s = f"{v:.{precision}f}".rstrip("0").rstrip(".")
        out.append("0" if s in ("-0", "") else s)
    return " ".join(out)
