"""Compile an object program (:mod:`scene_gym.assets.programs.schema`) into an asset factory.

:func:`compile_program` lays the program out once, at its natural size, in the asset frame of
:mod:`scene_gym.assets.parts` (origin at the bottom-face centre of the bounding box, front +Y, Z up):

1. every part's frame is its parent's frame composed with (position, rpy); each part becomes one or more
   *pieces* (a box, cylinder or sphere primitive, or a mesh: cones, ellipsoids, elliptic cylinders, lathes,
   extrusions; a catalog asset contributes all its parts). A concave extrusion becomes its convex pieces
   (:func:`~scene_gym.assets.programs.geometry.convex_pieces`), each drawn and colliding, so physics sees the
   U's opening instead of the polygon's hull;
2. the object is turned so that ``front`` faces +Y and moved so its bounding box's bottom-face centre is the
   origin;
3. geometric checks: bounding box at most 6 m per side, prismatic travel within the object's extent along the
   axis, no self-intersecting joint (the rule is in the schema docstring).

The factory's ``build`` scales that layout to the requested size (w, d, h) per axis and draws it with the
:class:`~scene_gym.assets.builder.AssetBuilder`: parts on links (``base`` and one ``<part>_link`` per joint),
joints, handles and support surfaces, as the catalog's programs do. Primitives stay primitives when the scale
keeps them exact (uniform scale, or axes the part is aligned with); otherwise they become meshes.

Class attributes of a compiled factory: ``default_size`` = the bounding box, ``size_range`` = the bounding box
scaled by [0.5, 2], ``small`` = placement ``"surface"`` and largest side <= 0.6 m, ``articulated`` = has joints,
``program`` = the validated :class:`~scene_gym.assets.programs.schema.ObjectProgram`, ``display_name`` = its name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import trimesh

from scene_gym.assets.builder import AssetBuilder
from scene_gym.assets.factory import AssetFactory
from scene_gym.assets.meshes import lathe, part_mesh
from scene_gym.assets.parts import BASE_LINK, Joint, MeshData, Part
from scene_gym.assets.programs.geometry import convex_pieces, extrude_polygon, is_convex, matrix_rpy
from scene_gym.assets.programs.schema import JOINT_TOLERANCE, MAX_OBJECT_EXTENT, ObjectProgram, parse_program
from scene_gym.assets.transforms import make_transform, rpy_matrix
from scene_gym.errors import ProgramError, SceneGymError

#: Yaw (rad) that turns each program front direction to +Y.
FRONT_YAW = {"+y": 0.0, "-y": math.pi, "+x": math.pi / 2, "-x": -math.pi / 2}
#: Joint positions sampled across the limits by the self-intersection check (0 is always added).
JOINT_SAMPLES = 9
#: Largest side of a ``surface`` object that counts as small (manipulable), metres.
SMALL_SIDE = 0.6


@dataclass(frozen=True, eq=False)
class Piece:
    """One solid of the layout: ``transform`` (4, 4) rigid pose in the asset frame; ``size`` (3,) local extents
    (m); ``mesh`` local triangles for ``shape == "mesh"``; ``material`` None = the object's material."""

    name: str
    part: str
    shape: str
    size: tuple[float, float, float]
    transform: np.ndarray
    link: str
    material: str | None = None
    bevel: float = 0.0
    mesh: MeshData | None = None

    def vertices(self) -> np.ndarray:
        """(N, 3) points of the piece in the asset frame (its mesh, or its primitive's triangulation)."""
        if self.mesh is not None:
            local = self.mesh.vertices
        else:
            local = part_mesh(Part(self.name, self.shape, self.size, (0.0, 0.0, 0.0), "plastic")).vertices
        return local @ self.transform[:3, :3].T + self.transform[:3, 3]


@dataclass(frozen=True, eq=False)
class Layout:
    """The program drawn once at its natural size, in the asset frame (see the module docstring).

    extent: (3,) bounding box (w, d, h), m. joints: asset-frame :class:`Joint` per program joint.
    handles: (position (3,), bar axis (3,)) per joint. surfaces: (center (3,), size (2,), link, clearance).
    """

    pieces: tuple[Piece, ...]
    extent: np.ndarray
    joints: tuple[Joint, ...]
    handles: tuple[tuple[np.ndarray, np.ndarray], ...]
    surfaces: tuple[tuple[np.ndarray, tuple[float, float], str, float], ...]


# --- pieces of one part -------------------------------------------------------------------------------------
def _mesh(tm: trimesh.Trimesh, size) -> MeshData:
    """A trimesh scaled to fill ``size`` and centred on its bounding box."""
    v = np.asarray(tm.vertices, dtype=float)
    lo, hi = v.min(axis=0), v.max(axis=0)
    if len(v) < 4 or float(np.min(hi - lo)) < 1e-6 * max(float(np.max(hi - lo)), 1e-12):
        raise ValueError(f"expected a solid with an extent along every axis, got extents {(hi - lo).tolist()}")
    v = (v - (lo + hi) / 2) * (np.asarray(size, dtype=float) / np.maximum(hi - lo, 1e-12))
    return MeshData(v, np.asarray(tm.faces, dtype=np.int64))


def _local_pieces(spec, link: str) -> list[Piece]:
    """The pieces of one part in its own frame (transform relative to the part)."""
    eye, size = np.eye(4), tuple(spec.size)
    base = Piece(spec.name, spec.name, "box", size, eye, link, spec.material, spec.bevel)
    w, d, h = size
    if spec.shape == "box":
        return [base]
    if spec.shape == "cylinder":
        if abs(w - d) <= 1e-9:
            return [replace(base, shape="cylinder")]
        return [replace(base, shape="mesh", mesh=_mesh(trimesh.creation.cylinder(0.5, 1.0, sections=24), size))]
    if spec.shape == "sphere":
        if abs(w - d) <= 1e-9 and abs(w - h) <= 1e-9:
            return [replace(base, shape="sphere")]
        return [replace(base, shape="mesh", mesh=_mesh(trimesh.creation.icosphere(2, 0.5), size))]
    if spec.shape == "cone":
        return [replace(base, shape="mesh", mesh=_mesh(trimesh.creation.cone(0.5, 1.0, sections=24), size))]
    if spec.shape == "lathe":
        data = lathe([tuple(p) for p in spec.profile])
        return [replace(base, shape="mesh", mesh=_mesh(trimesh.Trimesh(data.vertices, data.faces, process=False), size))]
    if spec.shape == "extrusion":
        return _extrusion_pieces(base, spec.profile)
    return _asset_pieces(base, spec.asset)


def _extrusion_pieces(base: Piece, profile) -> list[Piece]:
    poly = np.asarray(profile, dtype=float)
    lo, hi = poly.min(axis=0), poly.max(axis=0)
    w, d, h = base.size
    scale, centre = np.array([w, d]) / (hi - lo), (lo + hi) / 2
    fitted = (poly - centre) * scale  # the polygon filling w x d, centred
    rings = [fitted] if is_convex(fitted) else convex_pieces(fitted)
    out = []
    for k, ring in enumerate(rings):
        data = extrude_polygon(ring, h)
        rlo, rhi = ring.min(axis=0), ring.max(axis=0)
        offset = make_transform(None, ((rlo[0] + rhi[0]) / 2, (rlo[1] + rhi[1]) / 2, 0.0))
        name = base.name if len(rings) == 1 else f"{base.name}__c{k}"
        out.append(replace(base, name=name, shape="mesh", mesh=data, transform=offset))
    return out


def _asset_pieces(base: Piece, ref) -> list[Piece]:
    from scene_gym.assets.factory import build_asset, get_factory

    factory = get_factory(ref.category)
    asset = build_asset(ref.category, factory.clamp_size(base.size), ref.params)
    s = np.asarray(base.size, dtype=float) / np.asarray(asset.size, dtype=float)
    centre = make_transform(None, (0.0, 0.0, -asset.size[2] / 2))
    out = []
    for k, (part, pose) in enumerate(zip(asset.parts, asset.part_transforms(), strict=True)):
        piece = Piece(f"{base.name}__{k}", base.part, part.shape, tuple(part.size), centre @ pose, base.link,
                      base.material or part.material, part.bevel, part.mesh)  # fmt: skip
        out.append(scale_piece(piece, s))
    return out


# --- scaling ------------------------------------------------------------------------------------------------
def _axis_aligned(v: np.ndarray) -> bool:
    return int(np.sum(np.abs(v) > 1e-9)) == 1


def scale_piece(piece: Piece, s: np.ndarray) -> Piece:
    """The piece with its frame's frame scaled by diag(``s``) (3,) about the origin: primitives stay primitives
    where that is exact, others become meshes with the rotation baked in."""
    r, t = piece.transform[:3, :3], piece.transform[:3, 3]
    moved = make_transform(r, t * s)
    if np.ptp(s) <= 1e-6 * float(np.max(s)) and piece.shape != "mesh":  # uniform
        k = float(np.mean(s))
        return replace(piece, size=tuple(float(v) * k for v in piece.size), transform=moved, bevel=piece.bevel * k)
    stretch = np.linalg.norm(s[:, None] * r, axis=0)  # how much each local axis lengthens
    if piece.shape == "box" and all(_axis_aligned(r[:, i]) for i in range(3)):
        return replace(piece, size=tuple(float(v * k) for v, k in zip(piece.size, stretch, strict=True)),
                       transform=moved, bevel=piece.bevel * float(stretch.min()))  # fmt: skip
    if piece.shape == "cylinder" and _axis_aligned(r[:, 2]) and abs(stretch[0] - stretch[1]) <= 1e-9:
        w, _, h = piece.size
        return replace(piece, size=(w * stretch[0], w * stretch[0], h * stretch[2]), transform=moved)
    local = piece.mesh.vertices if piece.mesh is not None else part_mesh(
        Part(piece.name, piece.shape, piece.size, (0.0, 0.0, 0.0), "plastic", bevel=piece.bevel)).vertices  # fmt: skip
    faces = piece.mesh.faces if piece.mesh is not None else part_mesh(
        Part(piece.name, piece.shape, piece.size, (0.0, 0.0, 0.0), "plastic", bevel=piece.bevel)).faces  # fmt: skip
    v = (np.asarray(local) @ r.T) * s
    mid = (v.min(axis=0) + v.max(axis=0)) / 2
    mesh = MeshData(v - mid, np.asarray(faces, dtype=np.int64))
    return replace(piece, shape="mesh", mesh=mesh, size=tuple(v.max(axis=0) - v.min(axis=0)),
                   transform=make_transform(None, t * s + mid), bevel=0.0)  # fmt: skip


# --- layout -------------------------------------------------------------------------------------------------
def _frames(program: ObjectProgram) -> dict[str, np.ndarray]:
    """(4, 4) pose of every part's frame in the program's frame (parents before children)."""
    specs = {p.name: p for p in program.parts}
    frames: dict[str, np.ndarray] = {}

    def frame(name: str) -> np.ndarray:
        chain = []
        while name not in frames:
            chain.append(name)
            parent = specs[name].parent
            if parent is None:
                break
            name = parent
        for node in reversed(chain):
            spec = specs[node]
            parent = frames[spec.parent] if spec.parent is not None else np.eye(4)
            frames[node] = parent @ make_transform(rpy_matrix(spec.rpy), spec.position)
        return frames[chain[0]] if chain else frames[name]

    for p in program.parts:
        frame(p.name)
    return frames


def _links(program: ObjectProgram) -> dict[str, str]:
    """Part name -> link: ``<moving part>_link`` for the subtree of each joint, ``base`` otherwise."""
    from scene_gym.assets.programs.structure import subtree

    links = {p.name: BASE_LINK for p in program.parts}
    for joint in program.joints:
        for name in subtree(program, joint.part):
            links[name] = f"{joint.part}_link"
    return links


def layout(program: ObjectProgram) -> Layout:
    """Draw ``program`` at its natural size in the asset frame and run the geometric checks (module docstring);
    raises :class:`ProgramError` naming the field."""
    frames, links = _frames(program), _links(program)
    turn = make_transform(rpy_matrix((0.0, 0.0, FRONT_YAW[program.front])))
    pieces = []
    for i, spec in enumerate(program.parts):
        try:
            local = _local_pieces(spec, links[spec.name])
        except SceneGymError:
            raise
        except (ValueError, TypeError, IndexError, ArithmeticError) as err:  # a degenerate profile
            where = f"parts[{i}].profile" if spec.profile is not None else f"parts[{i}]"
            raise ProgramError(where, f"cannot build the {spec.shape}: {str(err)[:200]}") from None
        for piece in local:
            pieces.append(replace(piece, transform=turn @ frames[spec.name] @ piece.transform))
    points = np.vstack([p.vertices() for p in pieces])
    lo, hi = points.min(axis=0), points.max(axis=0)
    extent = np.round(hi - lo, 6)  # micrometres: sizes read cleanly, and the scale at the default size is 1 +- 1e-6
    if extent.max() > MAX_OBJECT_EXTENT:
        raise ProgramError("parts", f"expected the object's bounding box at most {MAX_OBJECT_EXTENT:g} m per side, "
                                    f"got {np.round(extent, 3).tolist()} m")  # fmt: skip
    shift = make_transform(None, (-(lo[0] + hi[0]) / 2, -(lo[1] + hi[1]) / 2, -lo[2]))
    to_asset = shift @ turn
    pieces = tuple(replace(p, transform=shift @ p.transform) for p in pieces)
    joints, handles = [], []
    for j, spec in enumerate(program.joints):
        parent_frame = to_asset @ frames[program.parts[_index(program, spec.part)].parent]
        axis = parent_frame[:3, :3] @ np.asarray(spec.axis, dtype=float)
        origin = (parent_frame @ np.array([*spec.origin, 1.0]))[:3]
        joint = Joint(spec.name, spec.kind, BASE_LINK, f"{spec.part}_link", tuple(axis), tuple(origin),
                      tuple(spec.limits))  # fmt: skip
        _check_travel(j, joint, extent)
        _check_sweep(j, joint, _root(program), pieces)
        joints.append(joint)
        handles.append(_handle(spec, frames, to_asset, program))
    surfaces = tuple(_surface(k, spec, frames, to_asset, pieces, links, program) for k, spec in
                     enumerate(program.surfaces))  # fmt: skip
    return Layout(pieces, extent, tuple(joints), tuple(handles), surfaces)


def _index(program: ObjectProgram, name: str) -> int:
    return next(i for i, p in enumerate(program.parts) if p.name == name)


def _root(program: ObjectProgram) -> str:
    return next(p.name for p in program.parts if p.parent is None)


def _check_travel(j: int, joint: Joint, extent: np.ndarray) -> None:
    if joint.kind != "prismatic":
        return
    reach = float(np.abs(np.asarray(joint.axis)) @ extent)
    if max(-joint.limits[0], joint.limits[1]) > reach + 1e-9:
        raise ProgramError(f"joints[{j}].limits", f"expected a prismatic travel within the object's extent along "
                                                  f"the axis ({reach:.3g} m), got {list(joint.limits)}")  # fmt: skip


def _aabb(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return points.min(axis=0), points.max(axis=0)


def _check_sweep(j: int, joint: Joint, root: str, pieces: tuple[Piece, ...]) -> None:
    """Refuse a joint whose moving pieces cut through a root-part piece anywhere across its limits."""
    fixed = [(p.name, _aabb(p.vertices())) for p in pieces if p.part == root]
    moving = [(p.name, p.vertices()) for p in pieces if p.link == joint.child]
    lo, hi = joint.limits
    for q in sorted({0.0, *np.linspace(lo, hi, JOINT_SAMPLES).tolist()}):
        motion = joint.motion(q)
        for name, points in moving:
            a_lo, a_hi = _aabb(points @ motion[:3, :3].T + motion[:3, 3])
            for root_name, (b_lo, b_hi) in fixed:
                overlap = np.minimum(a_hi, b_hi) - np.maximum(a_lo, b_lo)
                if np.all(overlap > JOINT_TOLERANCE):
                    raise ProgramError(f"joints[{j}].limits", f"self-intersecting joint: at {q:.3g} part "
                                       f"{name.split('__')[0]!r} cuts {np.round(overlap, 3).tolist()} m into the root "
                                       f"part {root_name.split('__')[0]!r} (tolerance {JOINT_TOLERANCE} m); move the "
                                       "axis or origin, or flip the limits' sign")  # fmt: skip


def _handle(spec, frames, to_asset, program) -> tuple[np.ndarray, np.ndarray]:
    """(position (3,), bar axis (3,)) of a joint's handle in the asset frame."""
    if isinstance(spec.handle, str):
        frame = to_asset @ frames[spec.handle]
        size = program.parts[_index(program, spec.handle)].size
        return frame[:3, 3].copy(), frame[:3, :3][:, int(np.argmax(size))].copy()
    frame = to_asset @ frames[spec.part]
    return (frame @ np.array([*spec.handle, 1.0]))[:3], np.array([1.0, 0.0, 0.0])


def _surface(k, spec, frames, to_asset, pieces, links, program):
    """(center (3,), size (2,), link, clearance) of a support surface in the asset frame."""
    own = np.vstack([p.vertices() for p in pieces if p.part == spec.part])
    top = float(own[:, 2].max())
    origin = frames[spec.part][:3, 3] + np.array([spec.center[0], spec.center[1], 0.0])
    center = (to_asset @ np.array([*origin, 1.0]))[:3]
    sx, sy = spec.size if program.front in ("+y", "-y") else spec.size[::-1]
    lo, hi = own.min(axis=0), own.max(axis=0)
    if (center[0] - sx / 2 < lo[0] - 0.01 or center[0] + sx / 2 > hi[0] + 0.01 or
            center[1] - sy / 2 < lo[1] - 0.01 or center[1] + sy / 2 > hi[1] + 0.01):  # fmt: skip
        raise ProgramError(f"surfaces[{k}]", f"expected the rectangle inside the top of part {spec.part!r} "
                                             f"({np.round(hi[:2] - lo[:2], 3).tolist()} m), got size "
                                             f"{list(spec.size)} at {list(spec.center)}")  # fmt: skip
    clearance = math.inf if spec.clearance is None else float(spec.clearance)
    return np.array([center[0], center[1], top]), (float(sx), float(sy)), links[spec.part], clearance


# --- the factory --------------------------------------------------------------------------------------------
class ProgramFactory(AssetFactory):
    """Base of compiled object programs: ``build`` scales the class's :class:`Layout` to the requested size."""

    program: ObjectProgram
    display_name: str = ""
    layout: Layout

    def build(self, b: AssetBuilder, params: dict[str, Any]) -> None:
        """Draw the layout scaled to (``b.w``, ``b.d``, ``b.h``) m (module docstring)."""
        lay = self.layout
        s = np.array([b.w, b.d, b.h]) / lay.extent
        for piece in lay.pieces:
            _draw(b, scale_piece(piece, s))
        for joint, (pos, bar) in zip(lay.joints, lay.handles, strict=True):
            axis = np.asarray(joint.axis) * s
            stretch = float(np.linalg.norm(axis))
            limits = joint.limits if joint.kind == "revolute" else tuple(v * stretch for v in joint.limits)
            b.joint(joint.name, joint.kind, joint.child, axis / stretch, np.asarray(joint.origin) * s, limits)
            bar = bar * s
            b.handle(f"{joint.name}_handle", pos * s, link=joint.child, joint=joint.name,
                     axis=bar / np.linalg.norm(bar))  # fmt: skip
        for k, (center, size, link, clearance) in enumerate(lay.surfaces):
            b.surface(f"surface_{k}", center * s, (size[0] * s[0], size[1] * s[1]), link=link,
                      clearance=clearance * s[2])  # fmt: skip


def _draw(b: AssetBuilder, piece: Piece) -> None:
    r, t = piece.transform[:3, :3], piece.transform[:3, 3]
    rpy = matrix_rpy(r)
    if piece.shape == "box":
        b.box(piece.name, t, piece.size, piece.material, link=piece.link, bevel=piece.bevel, rpy=rpy)
    elif piece.shape == "cylinder":
        b.cylinder(piece.name, t, piece.size[0] / 2, piece.size[2], piece.material, link=piece.link, rpy=rpy)
    elif piece.shape == "sphere":
        b.sphere(piece.name, t, piece.size[0] / 2, piece.material, link=piece.link)
    else:
        v = np.asarray(piece.mesh.vertices) @ r.T
        mid = (v.min(axis=0) + v.max(axis=0)) / 2
        b.mesh(piece.name, t + mid, MeshData(v - mid, piece.mesh.faces), piece.material, link=piece.link)


def compile_program(program: Any, category: str | None = None) -> type[AssetFactory]:
    """An :class:`AssetFactory` subclass for an object program (an :class:`ObjectProgram` or its JSON data):
    class attributes as in the module docstring, ``category`` its content address unless given. Raises
    :class:`ProgramError` naming the field when the program is invalid."""
    from scene_gym.scene.definitions import category_for

    program = parse_program(program)
    try:
        lay = layout(program)
    except SceneGymError:
        raise
    except (ValueError, TypeError, IndexError, ArithmeticError) as err:  # a geometry library refusing a shape
        raise ProgramError("parts", f"cannot lay out the parts: {type(err).__name__}: {str(err)[:200]}") from None
    extent = tuple(float(v) for v in lay.extent)
    attrs = {
        "category": category or category_for(program.to_data()),
        "display_name": program.name,
        "description": program.description or program.name,
        "size_range": (tuple(v * 0.5 for v in extent), tuple(v * 2.0 for v in extent)),
        "default_size": extent,
        "default_material": program.material,
        "rooms": tuple(program.rooms),
        "placement": program.placement,
        "articulated": bool(program.joints),
        "small": program.placement == "surface" and max(extent) <= SMALL_SIDE,
        "params": {},
        "program": program,
        "layout": lay,
    }
    return type(f"Program_{attrs['category']}", (ProgramFactory,), attrs)


__all__ = ["FRONT_YAW", "Layout", "Piece", "ProgramFactory", "compile_program", "layout", "scale_piece"]
