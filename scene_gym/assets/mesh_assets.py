"""User mesh assets: a folder of GLB/OBJ meshes, each with a sidecar JSON, registered as catalog categories.

For ``chair.glb`` (or ``chair.obj``) the metadata lives in ``chair.json``::

    {"category": "my_chair",                 required; lowercase letters, digits and underscores
     "description": "A bentwood chair.",     one sentence, used by text search
     "synonyms": ["bentwood chair"],         other names, used by text search
     "up": "+z",                             the mesh's up axis: "+z" (default) or "+y" (glTF exporters)
     "front": "+y",                          axis the object's front faces once Z is up: +y (default), -y, +x, -x
     "size": [0.45, 0.5, 0.9],               real-world (w, d, h) in metres (each <= 25) once the front is +Y, or
     "scale": 0.01,                          a uniform factor from file units to metres (default 1.0)
     "placement": "floor",                   floor (default), wall, ceiling or surface
     "rooms": ["dining room"],               room types (scene_gym.scene.ROOM_TYPES)
     "small": false, "thin_covering": false, as in AssetFactory
     "material": "oak wood",                 main material description (default: plastic)
     "collision": "decompose",               how physics collides it: "decompose" (convex pieces) or "hull"
                                             (one convex hull); default: "decompose" when the mesh is not
                                             convex (hull volume > 1.05 x mesh volume, or not watertight)
     "max_pieces": 16}                       cap on convex pieces, 1 to 64 (default 16)

:func:`register_mesh_folder` loads each mesh with trimesh (offline), turns it so that Z is up and its front
faces +Y, scales it to metres, moves its bottom-centre to the origin, finds its support surfaces
(:func:`detect_support_surfaces`) and registers an :class:`~scene_gym.assets.factory.AssetFactory` whose
``build`` draws one ``"mesh"`` part stretched to the requested size. A mesh that collides by decomposition
(:mod:`scene_gym.assets.convex`, cached per mesh) is drawn by that ``"mesh"`` part with ``collide=False`` plus
one collision-only part (``visual=False``) per convex piece, ``"collision_0"``, ``"collision_1"``...,
stretched with it (a linear stretch keeps each piece convex); physics, the layout's shapes and the MJCF/URDF/SDF
exports collide the pieces, renderers and GLB/OBJ/Blender exports draw the mesh, and the mesh carries the mass.
A folder where a decomposition fails raises :class:`AssetError` naming the file and registers nothing.
The size range is half to twice the
metadata size; a mesh over :data:`MAX_MESH_SIZE` on any axis (by ``size`` or ``scale``) is refused, so no
sidecar can make surface detection allocate gigabytes. Every file is validated before anything is registered,
so a bad folder changes nothing.
Textures and vertex colours are not kept: the part's look comes from its material description.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import trimesh

from scene_gym.assets import catalog, convex, factory
from scene_gym.assets.factory import AssetFactory
from scene_gym.assets.materials import DEFAULT_MATERIAL
from scene_gym.assets.mesh_surfaces import detect_support_surfaces
from scene_gym.assets.parts import MeshData, SupportSurface
from scene_gym.errors import AssetError

__all__ = ["MAX_MESH_SIZE", "MeshAssetFactory", "collision_pieces", "detect_support_surfaces", "load_normalised_mesh",
           "register_mesh_folder", "unregister_mesh_assets"]  # fmt: skip

MESH_SUFFIXES = (".glb", ".obj")
SIZE_RANGE_FACTORS = (0.5, 2.0)
#: Largest extent of a mesh asset on any axis, metres: twice it is the scene's 50 m limit on object sizes.
MAX_MESH_SIZE = 25.0
_FIELDS = {"category", "description", "synonyms", "up", "front", "size", "scale", "placement", "rooms", "small",
           "thin_covering", "material", "collision", "max_pieces"}  # fmt: skip
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*$")
#: Yaw (radians) turning each possible front direction to +Y.
_FRONT_YAW = {"+y": 0.0, "-y": math.pi, "+x": math.pi / 2, "-x": -math.pi / 2}


class MeshAssetFactory(AssetFactory):
    """Base of the factories :func:`register_mesh_folder` creates; each subclass carries its mesh.

    Class attributes besides AssetFactory's: ``mesh_path`` (the source file), ``vertices`` (N, 3) and ``faces``
    (M, 3) of the normalised mesh at ``default_size`` (bottom-centre at the origin, front +Y), ``surfaces``
    detected on it, and ``collision_pieces``: (V_i (K, 3), F_i (L, 3)) convex pieces in the same frame, or
    ``()`` when the mesh collides as its hull.
    """

    mesh_path: str = ""
    vertices: np.ndarray
    faces: np.ndarray
    surfaces: tuple[SupportSurface, ...] = ()
    collision_pieces: tuple[tuple[np.ndarray, np.ndarray], ...] = ()

    def build(self, b, params):
        k = np.array([b.w, b.d, b.h]) / np.asarray(self.default_size)
        v = self.vertices * k
        center = (v.min(axis=0) + v.max(axis=0)) / 2
        b.mesh("mesh", center, MeshData(v - center, self.faces), collide=not self.collision_pieces)
        for i, (pv, pf) in enumerate(self.collision_pieces):
            pv = pv * k
            c = (pv.min(axis=0) + pv.max(axis=0)) / 2
            b.mesh(f"collision_{i}", c, MeshData(pv - c, pf), visual=False)
        for s in self.surfaces:
            b.surface(s.name, tuple(np.asarray(s.center) * k), (s.size[0] * k[0], s.size[1] * k[1]),
                      clearance=s.clearance * k[2])  # fmt: skip


def register_mesh_folder(path: str | Path) -> list[str]:
    """Register every ``*.glb`` / ``*.obj`` in ``path`` that has a sidecar ``<name>.json``; returns the new
    category names, sorted.

    Raises :class:`~scene_gym.errors.AssetError` naming the file and field for: a folder that does not exist,
    a JSON file without its mesh, a name with both a GLB and an OBJ, unreadable JSON or mesh, unknown or
    badly typed fields, an unknown ``front`` or ``up``, a non-positive ``size`` or ``scale``, a category that
    collides with a built-in one, appears twice or is already registered from another file. Meshes without
    a JSON file are skipped. Registering the same folder again replaces its categories.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise AssetError(f"expected a folder of meshes, got {str(path)!r} (not a directory)")
    specs = []
    for meta_path in sorted(folder.glob("*.json")):
        meshes = [meta_path.with_suffix(s) for s in MESH_SUFFIXES if meta_path.with_suffix(s).is_file()]
        if not meshes:
            raise AssetError(f"{meta_path}: missing mesh: expected {meta_path.stem}.glb or {meta_path.stem}.obj "
                             f"next to it")  # fmt: skip
        if len(meshes) > 1:
            raise AssetError(f"{meta_path}: both {meshes[0].name} and {meshes[1].name} exist; keep one")
        specs.append((meshes[0], _read_metadata(meta_path)))
    seen: dict[str, Path] = {}
    for mesh_path, meta in specs:
        name = meta["category"]
        if name in seen:
            raise AssetError(f"{mesh_path}: category {name!r} is also used by {seen[name]}")
        seen[name] = mesh_path
        existing = factory.factories().get(name)
        if existing is not None and not issubclass(existing, MeshAssetFactory):
            raise AssetError(f"{mesh_path}: category {name!r} collides with a built-in category; choose another name")
        if existing is not None and Path(existing.mesh_path).resolve() != mesh_path.resolve():
            raise AssetError(f"{mesh_path}: category {name!r} is already registered from {existing.mesh_path}; "
                             f"unregister it first (unregister_mesh_assets)")  # fmt: skip
    classes = [_make_factory(mesh_path, meta) for mesh_path, meta in specs]
    for cls in classes:
        factory.register(cls, replace=True)  # re-registering a mesh category replaces it
    catalog.refresh()
    factory.clear_cache()
    return sorted(cls.category for cls in classes)


def unregister_mesh_assets(categories: list[str] | None = None) -> list[str]:
    """Remove registered mesh categories (all of them by default); returns the names removed.

    Built-in categories cannot be removed: naming one raises :class:`AssetError`.
    """
    current = {n: f for n, f in factory.factories().items() if issubclass(f, MeshAssetFactory)}
    names = sorted(current) if categories is None else list(categories)
    for name in names:
        if name not in current:
            raise AssetError(f"expected a registered mesh category, got {name!r}")
    for name in names:
        factory.unregister(name)
    catalog.refresh()
    factory.clear_cache()
    return names


# --- metadata and mesh loading ----------------------------------------------------------------------------
def _read_metadata(meta_path: Path) -> dict[str, Any]:
    """Parse and validate one sidecar file; every error names the file and the field."""
    try:
        raw = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, ValueError) as err:  # ValueError: JSONDecodeError, huge ints
        raise AssetError(f"{meta_path}: expected valid JSON metadata, got an error: {err}") from None
    if not isinstance(raw, dict):
        raise AssetError(f"{meta_path}: expected a JSON object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise AssetError(f"{meta_path}: unknown field(s) {unknown}; known: {sorted(_FIELDS)}")

    def fail(field: str, expected: str) -> AssetError:
        return AssetError(f"{meta_path}: field {field!r}: expected {expected}, got {raw.get(field)!r}")

    meta: dict[str, Any] = {}
    category = raw.get("category")
    if not isinstance(category, str) or not _CATEGORY.match(category):
        raise fail("category", "a name of lowercase letters, digits and underscores")
    meta["category"] = category
    for field, default in (("description", ""), ("material", DEFAULT_MATERIAL)):
        value = raw.get(field, default)
        if not isinstance(value, str):
            raise fail(field, "a string")
        meta[field] = value
    synonyms = raw.get("synonyms", [])
    if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
        raise fail("synonyms", "a list of strings")
    meta["synonyms"] = tuple(s.lower().strip() for s in synonyms)
    up = raw.get("up", "+z")
    if up not in ("+z", "+y"):
        raise fail("up", "'+z' or '+y'")
    meta["up"] = up
    front = raw.get("front", "+y")
    if front not in _FRONT_YAW:
        raise fail("front", f"one of {list(_FRONT_YAW)}")
    meta["front"] = front
    if "size" in raw and "scale" in raw:
        raise AssetError(f"{meta_path}: give either 'size' or 'scale', not both")
    if "size" in raw:
        size = raw["size"]
        if not (isinstance(size, list) and len(size) == 3 and all(_is_positive(v) and v <= MAX_MESH_SIZE for v in size)):
            raise fail("size", f"[width, depth, height] of positive finite metres, each at most {MAX_MESH_SIZE:g}")
        meta["size"] = tuple(float(v) for v in size)
    scale = raw.get("scale", 1.0)
    if not _is_positive(scale):
        raise fail("scale", "a positive finite number")
    meta["scale"] = float(scale)
    placement = raw.get("placement", "floor")
    if placement not in ("floor", "wall", "ceiling", "surface"):
        raise fail("placement", "one of 'floor', 'wall', 'ceiling', 'surface'")
    meta["placement"] = placement
    from scene_gym.scene import ROOM_TYPES

    rooms = raw.get("rooms", [])
    if not isinstance(rooms, list) or not all(r in ROOM_TYPES for r in rooms):
        raise fail("rooms", f"a list of room types from {list(ROOM_TYPES)}")
    meta["rooms"] = tuple(rooms)
    for field in ("small", "thin_covering"):
        value = raw.get(field, False)
        if not isinstance(value, bool):
            raise fail(field, "true or false")
        meta[field] = value
    collision = raw.get("collision")
    if collision not in (None, "decompose", "hull"):
        raise fail("collision", "'decompose' or 'hull'")
    meta["collision"] = collision
    max_pieces = raw.get("max_pieces", convex.DEFAULT_MAX_PIECES)
    if isinstance(max_pieces, bool) or not isinstance(max_pieces, int) or not 1 <= max_pieces <= convex.MAX_PIECES:
        raise fail("max_pieces", f"an integer from 1 to {convex.MAX_PIECES}")
    meta["max_pieces"] = max_pieces
    return meta


def _is_positive(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def load_normalised_mesh(mesh_path: Path, meta: dict[str, Any]) -> trimesh.Trimesh:
    """The mesh turned Z-up and front +Y, in metres, with its bounding box's bottom-centre at the origin."""
    try:
        mesh = trimesh.load(str(mesh_path), force="mesh")
    except Exception as err:  # noqa: BLE001 - any parser failure becomes one clear error naming the file
        raise AssetError(f"{mesh_path}: cannot read mesh: {err}") from None
    if not isinstance(mesh, trimesh.Trimesh) or len(mesh.faces) == 0:
        raise AssetError(f"{mesh_path}: expected a mesh with triangles, got none")
    if not np.isfinite(mesh.vertices).all():
        raise AssetError(f"{mesh_path}: expected finite vertex coordinates, got NaN or infinity")
    mesh = trimesh.Trimesh(np.asarray(mesh.vertices, dtype=float), np.asarray(mesh.faces), process=True)
    if meta["up"] == "+y":
        mesh.apply_transform(trimesh.transformations.rotation_matrix(math.pi / 2, (1, 0, 0)))
    mesh.apply_transform(trimesh.transformations.rotation_matrix(_FRONT_YAW[meta["front"]], (0, 0, 1)))
    extents = mesh.bounds[1] - mesh.bounds[0]
    if (extents <= 1e-9).any():
        raise AssetError(f"{mesh_path}: expected a mesh with volume, got extents {extents.tolist()} (flat)")
    factors = np.asarray(meta["size"]) / extents if "size" in meta else np.full(3, meta["scale"])
    scaled = extents * factors
    if not (np.isfinite(scaled).all() and scaled.max() <= MAX_MESH_SIZE * (1 + 1e-9)):
        field = "size" if "size" in meta else "scale"
        raise AssetError(f"{mesh_path}: field {field!r}: expected a mesh at most {MAX_MESH_SIZE:g} m on every axis, "
                         f"got extents {[round(float(v), 3) for v in scaled]} m")  # fmt: skip
    lo, hi = mesh.bounds
    bottom_centre = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2]])
    return trimesh.Trimesh((mesh.vertices - bottom_centre) * factors, mesh.faces, process=False)


def collision_pieces(mesh_path: Path, mesh: trimesh.Trimesh, meta: dict[str, Any]) -> tuple:
    """The convex pieces a normalised mesh (metres, see :func:`load_normalised_mesh`) collides as, by the
    sidecar's ``collision`` and ``max_pieces`` (module docstring): a tuple of (V_i (K, 3) float metres,
    F_i (L, 3) int) in the mesh's frame, or ``()`` when it collides as its hull. A failed decomposition raises
    :class:`AssetError` naming the file."""
    mode = meta.get("collision")
    if mode is None:
        mode = "hull" if convex.is_convex(mesh.vertices, mesh.faces) else "decompose"
    if mode == "hull":
        return ()
    try:
        max_pieces = meta.get("max_pieces", convex.DEFAULT_MAX_PIECES)
        pieces = convex.decompose(mesh.vertices, mesh.faces, max_pieces=max_pieces)
    except AssetError as err:
        raise AssetError(f"{mesh_path}: convex decomposition for collision failed: {err}") from None
    return tuple(pieces) if len(pieces) > 1 else ()


def _make_factory(mesh_path: Path, meta: dict[str, Any]) -> type[MeshAssetFactory]:
    mesh = load_normalised_mesh(mesh_path, meta)
    size = tuple(float(v) for v in mesh.bounds[1] - mesh.bounds[0])
    lo, hi = SIZE_RANGE_FACTORS
    attrs = {
        "category": meta["category"], "synonyms": meta["synonyms"], "description": meta["description"],
        "size_range": (tuple(lo * v for v in size), tuple(hi * v for v in size)), "default_size": size,
        "default_material": meta["material"], "rooms": meta["rooms"], "placement": meta["placement"],
        "small": meta["small"], "thin_covering": meta["thin_covering"], "params": {},
        "mesh_path": str(mesh_path), "vertices": np.asarray(mesh.vertices, dtype=float),
        "faces": np.asarray(mesh.faces, dtype=np.int64), "surfaces": tuple(detect_support_surfaces(mesh)),
        "collision_pieces": collision_pieces(mesh_path, mesh, meta),
    }  # fmt: skip
    attrs["vertices"].setflags(write=False)
    attrs["faces"].setflags(write=False)
    return type(f"MeshAsset_{meta['category']}", (MeshAssetFactory,), attrs)
