"""Object programs: a part-wise object written as data (JSON), validated before anything is built.

An object program describes one object the catalog does not have ("pottery wheel", "kiln") as a tree of parts
with joints and support surfaces. It is data only: parsing checks types, ranges and structure and never evaluates
anything; :func:`scene_gym.assets.programs.compile.compile_program` turns it into an asset factory like the
catalog's, so physics, renderers, exports and the robot skills work on it unchanged. Units are metres and
radians throughout.

Example (a one-door cabinet)::

    {"name": "storage cabinet", "placement": "floor", "front": "+y", "material": "white paint",
     "parts": [
       {"name": "bottom", "shape": "box", "size": [0.6, 0.4, 0.02]},
       {"name": "back", "shape": "box", "size": [0.6, 0.02, 0.8], "parent": "bottom", "position": [0, -0.19, 0.41]},
       ...
       {"name": "door", "shape": "box", "size": [0.6, 0.02, 0.8], "parent": "bottom", "position": [0, 0.21, 0.41]},
       {"name": "knob", "shape": "box", "size": [0.02, 0.02, 0.12], "parent": "door", "position": [0.25, 0.02, 0]}],
     "joints": [{"name": "hinge", "kind": "revolute", "part": "door", "axis": [0, 0, 1],
                 "origin": [-0.3, 0.22, 0.41], "limits": [0, 1.9], "handle": "knob"}],
     "surfaces": [{"part": "top", "size": [0.56, 0.36]}]}

``ObjectProgram`` fields:

- ``name``: the user's name for the object, 1-48 characters of letters, digits, spaces, hyphens and apostrophes
  (``"potter's wheel"``). The category is ``slug(name)_<8 hex digits of the content hash>``.
- ``description``: free text, at most 500 characters (default ``""``).
- ``placement``: where instances go: ``"floor"``, ``"wall"``, ``"surface"`` (on other objects) or
  ``"ceiling"``.
- ``front``: the direction the object's front faces *in the program's coordinates*: ``"+y"`` (default), ``"-y"``,
  ``"+x"`` or ``"-x"``. Compiling turns the object so its front faces +Y, the asset convention.
- ``material``: the default material description of every part that names none (``"oak wood"``); it must name
  a known material or colour. Setting an instance's material replaces it.
- ``parts``: 1 to :data:`MAX_PARTS` parts (below). Exactly one has no ``parent``: the root, which never moves.
- ``joints``: up to :data:`MAX_JOINTS` joints (below).
- ``surfaces``: up to :data:`MAX_SURFACES` support surfaces (below).
- ``rooms``: room types the object belongs in (``scene_gym.scene.ROOM_TYPES``), default none.

``PartSpec`` (one solid; its *origin* is the centre of its bounding box, its *frame* that origin turned by
``rpy``):

- ``name``: unique, 1-48 characters: letters and digits in runs joined by single ``_`` or ``-`` (``"leg_0"``).
- ``shape``: ``"box"``; ``"cylinder"`` (axis along the part's z; an elliptic one when width != depth);
  ``"cone"`` (base down, apex up along z); ``"sphere"`` (an ellipsoid when the extents differ); ``"lathe"``
  (``profile`` revolved about z); ``"extrusion"`` (``profile`` polygon extruded along z); ``"asset"`` (a catalog
  object, ``asset``, scaled to fit).
- ``size``: (width, depth, height) full extents of the part along its own axes, each in [:data:`MIN_EXTENT`,
  :data:`MAX_EXTENT`] m. Lathe, extrusion and asset parts are scaled to fill it.
- ``parent``: the part it is attached to, or ``null`` for the root.
- ``position``: (x, y, z) of its origin in the parent's frame (the root: in the program's frame), each within
  ±:data:`MAX_COORD` m; default (0, 0, 0).
- ``rpy``: (roll, pitch, yaw) of its frame relative to the parent's frame (fixed axes, R = Rz Ry Rx), radians
  within ±2π; default (0, 0, 0).
- ``material``: material description; default the program's ``material`` (asset parts: the catalog object's
  own materials).
- ``bevel``: edge rounding of boxes, metres, at most half the smallest extent (visual only); default 0.
- ``profile``: lathe: 2 to :data:`MAX_PROFILE_POINTS` (radius, z) points from bottom to top, radius >= 0 (a
  radius of 0 at an end closes the solid); extrusion: 3 to :data:`MAX_PROFILE_POINTS` (x, y) vertices of a
  simple polygon (no crossing edges, either winding). Coordinates within ±:data:`MAX_COORD` m; only the shape
  matters, the solid is scaled to ``size``. A concave extrusion (an L or U) collides as convex pieces, not as
  its hull.
- ``asset``: ``{"category": <catalog category>, "params": {...}}`` for ``shape == "asset"``: the catalog object
  built at the nearest size its range allows, every part of it at joint positions 0, then scaled to ``size``
  (its joints and surfaces are not kept).

``JointSpec`` (one degree of freedom; positive motion should open):

- ``name``: unique, same characters as part names.
- ``kind``: ``"revolute"`` (radians) or ``"prismatic"`` (metres).
- ``part``: the moving part; its whole subtree moves with it. Not the root; one joint per part; a moving part
  may not lie inside another joint's moving subtree (no nested joints: the robot skills and the
  self-intersection rule take every joint relative to the fixed root).
- ``axis``: (3,) non-zero direction in the moving part's parent frame; stored normalised.
- ``origin``: (3,) a point on the axis in the moving part's parent frame, metres (the hinge line of a door).
- ``limits``: (lower, upper) with lower <= 0 <= upper and lower < upper; revolute within [-2π, 2π] rad,
  prismatic no longer than the object's extent along the axis.
- ``handle``: what the gripper grasps: the name of a part in the moving subtree (its centre; the bar runs along
  its longest side), or a point (x, y, z) in the moving part's frame.

Self-intersecting joints are refused: at 9 positions across the limits (0 included), no moving part's
axis-aligned box may overlap a box of the root part by more than :data:`JOINT_TOLERANCE` m on all three axes
(a door swinging into its carcass, a drawer sliding through the plinth).

``SurfaceSpec`` (an upward rectangle where objects can be placed, on top of a part):

- ``part``: the part it lies on; the surface moves with that part's joint (a drawer's inside).
- ``center``: (x, y) offset from the part's origin along the program's x and y axes, metres; default (0, 0).
- ``size``: (x, y) extents, each in [:data:`MIN_EXTENT`, :data:`MAX_EXTENT`] m, inside the part's top.
- ``clearance``: free height above it, metres, or ``null`` when open above (default).

The surface's height is the top of the part's bounding box.

Object limits: the bounding box of all parts at joint positions 0 is at most :data:`MAX_OBJECT_EXTENT` m per
side. Names at most :data:`MAX_NAME` characters. Errors are :class:`~scene_gym.errors.ProgramError` whose
message starts with the field path (``parts[3].size[1]: expected a finite extent in [0.002, 5] m, got nan``);
long values are cut (:func:`scene_gym.scene.document.shown`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pydantic
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)

from scene_gym.errors import ProgramError
from scene_gym.scene.document import shown

MAX_PARTS = 64
MAX_JOINTS = 8
MAX_SURFACES = 8
MAX_PROFILE_POINTS = 64
MIN_EXTENT, MAX_EXTENT = 0.002, 5.0
MAX_OBJECT_EXTENT = 6.0
MAX_COORD = 5.0
MAX_ANGLE = 2 * math.pi
MAX_NAME = 48
MAX_DESCRIPTION = 500
MAX_MATERIAL = 128
#: Overlap (m) a moving part may have with the root part on all three axes before a joint counts as
#: self-intersecting.
JOINT_TOLERANCE = 0.005

_PART_NAME = re.compile(r"^[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$")
_FRONTS = ("+y", "-y", "+x", "-x")


def _extent(v: float) -> float:
    if not (math.isfinite(v) and MIN_EXTENT <= v <= MAX_EXTENT):
        raise ValueError(f"expected a finite extent in [{MIN_EXTENT}, {MAX_EXTENT:g}] m, got {shown(v)}")
    return v


def _coord(v: float) -> float:
    if not (math.isfinite(v) and abs(v) <= MAX_COORD):
        raise ValueError(f"expected a finite coordinate within ±{MAX_COORD:g} m, got {shown(v)}")
    return v


def _angle(v: float) -> float:
    if not (math.isfinite(v) and abs(v) <= MAX_ANGLE + 1e-9):
        raise ValueError(f"expected a finite angle within ±2π rad, got {shown(v)}")
    return v


def _limit(v: float) -> float:
    if not (math.isfinite(v) and abs(v) <= MAX_ANGLE + 1e-9):
        raise ValueError(f"expected a finite joint limit within ±2π (rad) or ±{MAX_OBJECT_EXTENT:g} m, got {shown(v)}")
    return v


def _part_name(v: str) -> str:
    if not 1 <= len(v) <= MAX_NAME or not _PART_NAME.match(v):
        raise ValueError(f"expected a name of 1-{MAX_NAME} letters and digits joined by single '_' or '-', got "
                         f"{shown(v, 60)}")  # fmt: skip
    return v


def _material(v: str) -> str:
    from scene_gym.assets.materials import resolve_material
    from scene_gym.errors import SceneGymError

    if len(v) > MAX_MATERIAL:
        raise ValueError(f"expected a material description of at most {MAX_MATERIAL} characters, got {len(v)}")
    try:
        resolve_material(v, strict=True)
    except SceneGymError:
        raise ValueError(f"expected a material description such as 'oak wood' or 'grey fabric', got "
                         f"{shown(v, 60)}") from None  # fmt: skip
    return v


Extent = Annotated[StrictFloat, AfterValidator(_extent)]
Coord = Annotated[StrictFloat, AfterValidator(_coord)]
Angle = Annotated[StrictFloat, AfterValidator(_angle)]
Limit = Annotated[StrictFloat, AfterValidator(_limit)]
PartName = Annotated[StrictStr, AfterValidator(_part_name)]
MaterialText = Annotated[StrictStr, AfterValidator(_material)]
Vec3 = tuple[Coord, Coord, Coord]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AssetRef(_Spec):
    """A catalog object used as one part: ``category`` (a catalog name) and its ``params``."""

    category: StrictStr = Field(max_length=64)
    params: dict[StrictStr, StrictBool | StrictInt | StrictFloat | StrictStr] = Field(default_factory=dict, max_length=16)


class PartSpec(_Spec):
    """One part of an object program (see the module docstring for every field, unit and limit)."""

    name: PartName
    shape: Literal["box", "cylinder", "cone", "sphere", "lathe", "extrusion", "asset"]
    size: tuple[Extent, Extent, Extent]
    parent: PartName | None = None
    position: Vec3 = (0.0, 0.0, 0.0)
    rpy: tuple[Angle, Angle, Angle] = (0.0, 0.0, 0.0)
    material: MaterialText | None = None
    bevel: Annotated[StrictFloat, AfterValidator(_coord)] = 0.0
    profile: list[tuple[Coord, Coord]] | None = None
    asset: AssetRef | None = None


class JointSpec(_Spec):
    """One joint of an object program (see the module docstring)."""

    name: PartName
    kind: Literal["revolute", "prismatic"]
    part: PartName
    axis: Vec3
    origin: Vec3 = (0.0, 0.0, 0.0)
    limits: tuple[Limit, Limit]
    handle: Any

    @field_validator("axis")
    @classmethod
    def _unit_axis(cls, v):
        n = math.sqrt(sum(c * c for c in v))
        if n < 1e-6:
            raise ValueError(f"expected a non-zero axis, got {shown(list(v))}")
        # Already-unit axes are kept as given, so a stored program re-validates to the same content (and hash).
        return v if abs(n - 1.0) <= 1e-12 else tuple(c / n for c in v)

    @field_validator("handle")
    @classmethod
    def _handle_kind(cls, v):
        if isinstance(v, str):
            return _part_name(v)
        if isinstance(v, list | tuple) and len(v) == 3 and all(isinstance(c, float | int) and not isinstance(c, bool)
                                                               for c in v):  # fmt: skip
            return tuple(_coord(float(c) if abs(c) < 1e300 else math.inf) for c in v)
        raise ValueError(f"expected a part name or a point (x, y, z) in metres, got {shown(v)} ({type(v).__name__})")


class SurfaceSpec(_Spec):
    """One support surface on top of a part (see the module docstring)."""

    part: PartName
    center: tuple[Coord, Coord] = (0.0, 0.0)
    size: tuple[Extent, Extent]
    clearance: Extent | None = None


class ObjectProgram(_Spec):
    """A part-wise object as data (see the module docstring for every field, unit and limit)."""

    name: StrictStr
    description: StrictStr = Field(default="", max_length=MAX_DESCRIPTION)
    placement: Literal["floor", "wall", "surface", "ceiling"]
    front: Literal["+y", "-y", "+x", "-x"] = "+y"
    material: MaterialText = "oak wood"
    parts: list[PartSpec] = Field(min_length=1, max_length=MAX_PARTS)
    joints: list[JointSpec] = Field(default_factory=list, max_length=MAX_JOINTS)
    surfaces: list[SurfaceSpec] = Field(default_factory=list, max_length=MAX_SURFACES)
    rooms: tuple[StrictStr, ...] = Field(default=(), max_length=32)

    @field_validator("name")
    @classmethod
    def _check_name(cls, v: str) -> str:
        ok = 1 <= len(v) <= MAX_NAME and all(c.isalnum() or c in " -'" for c in v) and any(c.isalpha() for c in v)
        if not ok:
            raise ValueError(f"expected a name of 1-{MAX_NAME} letters, digits, spaces, hyphens and apostrophes "
                             f"with at least one letter, got {shown(v, 60)}")  # fmt: skip
        return v

    @field_validator("rooms")
    @classmethod
    def _check_rooms(cls, v):
        from scene_gym.scene import ROOM_TYPES

        for room in v:
            if room not in ROOM_TYPES:
                raise ValueError(f"expected room types among {', '.join(ROOM_TYPES)}, got {shown(room, 40)}")
        return v

    def to_data(self) -> dict[str, Any]:
        """The normalised JSON-ready form (defaults filled, axes unit length): what is hashed and stored."""
        return self.model_dump(mode="json")


_NESTED = {"parts": PartSpec, "joints": JointSpec, "surfaces": SurfaceSpec, "asset": AssetRef}
_LIST_LIMITS = {"parts": MAX_PARTS, "joints": MAX_JOINTS, "surfaces": MAX_SURFACES}


def field_path(loc: tuple) -> str:
    """``("parts", 3, "size", 1)`` -> ``"parts[3].size[1]"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _allowed_fields(loc: tuple) -> list[str]:
    model: type[BaseModel] = ObjectProgram
    for part in loc[:-1]:
        if isinstance(part, str) and part in _NESTED:
            model = _NESTED[part]
    return sorted(model.model_fields)


def _message(e: dict) -> str:
    kind, msg = e["type"], e["msg"]
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "missing":
        return "expected a value for this required field, got none"
    if kind == "extra_forbidden":
        return f"unknown field; expected one of {', '.join(_allowed_fields(e['loc']))}"
    text = msg.removeprefix("Input should be ").removeprefix("Input ")
    return f"expected {text}, got {shown(e.get('input'))}"


def _precheck(data: Any) -> None:
    """Bound the raw input before pydantic walks it: a mapping, lists no longer than their caps (so 10,000 parts
    fail at once, naming the count)."""
    if not isinstance(data, Mapping):
        raise ProgramError("", f"expected an object program (a JSON object), got {shown(data)} ({type(data).__name__})")
    for key, cap in _LIST_LIMITS.items():
        value = data.get(key)
        if isinstance(value, list | tuple) and len(value) > cap:
            raise ProgramError(key, f"expected at most {cap} {key}, got {len(value)}")
    parts = data.get("parts")
    if isinstance(parts, list | tuple):
        for i, part in enumerate(parts):
            profile = part.get("profile") if isinstance(part, Mapping) else None
            if isinstance(profile, list | tuple) and len(profile) > MAX_PROFILE_POINTS:
                raise ProgramError(f"parts[{i}].profile", f"expected at most {MAX_PROFILE_POINTS} points, got "
                                                          f"{len(profile)}")  # fmt: skip


def parse_program(data: Any) -> ObjectProgram:
    """Validate a decoded JSON value (or an :class:`ObjectProgram`) field by field and structurally
    (:func:`check_structure`); raises :class:`ProgramError` naming the first bad field (and how many more)."""
    if isinstance(data, ObjectProgram):
        program = data
    else:
        _precheck(data)
        try:
            program = ObjectProgram.model_validate(dict(data))
        except pydantic.ValidationError as err:
            errors = err.errors(include_url=False)
            first = errors[0]
            more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
            raise ProgramError(field_path(first["loc"]), _message(first) + more) from None
        except RecursionError:
            raise ProgramError("", "expected a program nested a few levels deep, got deeper nesting") from None
    check_structure(program)
    return program


def check_structure(program: ObjectProgram) -> None:
    """The checks across fields (module docstring): the part tree, shape-specific fields, joints, handles and
    surfaces. Raises :class:`ProgramError` naming the field."""
    from scene_gym.assets.programs.structure import check_joints, check_parts, check_surfaces

    check_parts(program)
    check_joints(program)
    check_surfaces(program)


__all__ = ["AssetRef", "JOINT_TOLERANCE", "JointSpec", "MAX_COORD", "MAX_EXTENT", "MAX_JOINTS", "MAX_NAME",
           "MAX_OBJECT_EXTENT", "MAX_PARTS", "MAX_PROFILE_POINTS", "MAX_SURFACES", "MIN_EXTENT", "ObjectProgram",
           "PartSpec", "SurfaceSpec", "check_structure", "field_path", "parse_program"]  # fmt: skip
