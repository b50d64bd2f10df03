"""What an asset program produces: named parts on rigid links, joints between links, support surfaces and
handles.

Asset frame (the same as a :class:`~scene_gym.scene.SceneObject`'s frame): origin at the centre of the bounding
box's bottom face, Z up, front facing +Y. An asset of size (w, d, h) occupies x in [-w/2, w/2],
y in [-d/2, d/2], z in [0, h] at joint positions 0.

Every part belongs to a *link*. The link ``"base"`` is fixed to the object; each :class:`Joint` moves one child
link relative to its parent link. Link frames are axis-aligned with the asset frame and have their origin at
the joint's origin (``"base"`` at the asset origin), which is how the MJCF, URDF and SDF exporters place bodies.
Part poses are stored in the **asset frame at joint positions 0**.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np

from scene_gym.assets.transforms import axis_angle_matrix, make_transform, rpy_matrix

Vec3 = tuple[float, float, float]
ShapeKind = Literal["box", "cylinder", "sphere", "mesh"]
JointKind = Literal["revolute", "prismatic"]
BASE_LINK = "base"


@dataclass(frozen=True, eq=False)
class MeshData:
    """A triangle mesh in the part's local frame, centred on the part's origin.

    vertices : (N, 3) float64 metres; faces : (M, 3) int64 vertex indices, counter-clockwise seen from outside.
    """

    vertices: np.ndarray
    faces: np.ndarray

    def __post_init__(self):
        self.vertices.setflags(write=False)
        self.faces.setflags(write=False)


@dataclass(frozen=True)
class Part:
    """One rigid piece of an asset.

    Attributes:
        name: unique within the asset, e.g. ``"leg_0"``, ``"drawer_1_front"``.
        shape: ``"box"`` (full extents ``size``), ``"cylinder"`` (diameter size[0], length size[2] along the
            part's local z), ``"sphere"`` (diameter size[0]) or ``"mesh"`` (``mesh`` holds the triangles,
            ``size`` its bounding-box extents).
        size: (3,) metres, see ``shape``.
        position: (3,) centre of the part in the asset frame, metres.
        rpy: (3,) orientation of the part's local frame, roll-pitch-yaw radians.
        material: natural-language material description (see :mod:`scene_gym.assets.materials`).
        link: rigid link the part belongs to (``"base"`` or a joint's child link).
        bevel: edge rounding radius for boxes, metres (visual only; colliders use the plain box).
        mesh: triangles for ``shape == "mesh"``.
        collide: False for purely decorative parts (a lamp's light bulb) that physics ignores.
        visual: False for collision-only parts (the convex pieces a concave mesh collides as, see
            :mod:`scene_gym.assets.convex`): renderers and visual exports (GLB, OBJ, Blender, URDF/SDF
            ``<visual>``) skip them, MJCF makes them transparent, and they weigh nothing, because the visual
            part they stand in for carries the mass.
    """

    name: str
    shape: ShapeKind
    size: Vec3
    position: Vec3
    material: str
    link: str = BASE_LINK
    rpy: Vec3 = (0.0, 0.0, 0.0)
    bevel: float = 0.0
    mesh: MeshData | None = field(default=None, compare=False, repr=False)
    collide: bool = True
    visual: bool = True

    @property
    def rotation(self) -> np.ndarray:
        """(3, 3) rotation of the part in the asset frame."""
        return rpy_matrix(self.rpy)

    @property
    def transform(self) -> np.ndarray:
        """(4, 4) pose of the part in the asset frame at joint positions 0."""
        return make_transform(self.rotation, self.position)

    @property
    def volume(self) -> float:
        """Solid volume, m³ (mesh parts: the enclosed volume of the mesh, or its hull if not watertight)."""
        w, d, h = self.size
        if self.shape == "box":
            return w * d * h
        if self.shape == "cylinder":
            return math.pi * (w / 2) ** 2 * h
        if self.shape == "sphere":
            return 4 / 3 * math.pi * (w / 2) ** 3
        from scene_gym.assets.meshes import mesh_volume

        return mesh_volume(self.mesh)


@dataclass(frozen=True)
class Joint:
    """A one-degree-of-freedom joint moving ``child`` relative to ``parent``.

    Attributes:
        name: unique within the asset, e.g. ``"door_0_hinge"``.
        kind: ``"revolute"`` (radians) or ``"prismatic"`` (metres).
        parent, child: link names; ``child`` must be a link created for this joint.
        axis: (3,) unit axis in the asset frame; positive motion opens (drawers slide towards +Y/front,
            doors swing outwards).
        origin: (3,) a point on the axis in the asset frame, metres; the child link's frame origin.
        limits: (lower, upper) joint positions; 0 (closed) lies inside them.
        damping: N·s/m or N·m·s/rad; friction: frictionloss in N or N·m.
    """

    name: str
    kind: JointKind
    parent: str
    child: str
    axis: Vec3
    origin: Vec3
    limits: tuple[float, float]
    damping: float = 0.5
    friction: float = 0.05

    @property
    def range(self) -> float:
        """upper - lower."""
        return self.limits[1] - self.limits[0]

    def motion(self, q: float) -> np.ndarray:
        """(4, 4) transform this joint applies to its child link (in the asset frame) at position ``q``."""
        axis = np.asarray(self.axis, dtype=float)
        if self.kind == "prismatic":
            return make_transform(None, axis * q)
        origin = np.asarray(self.origin, dtype=float)
        r = axis_angle_matrix(axis, q)
        return make_transform(r, origin - r @ origin)


@dataclass(frozen=True)
class SupportSurface:
    """A horizontal, upward-facing rectangle where small objects can be placed (table top, shelf board...).

    Attributes:
        name: e.g. ``"top"``, ``"shelf_2"``.
        link: link the surface moves with (a drawer's bottom moves with the drawer).
        center: (3,) centre of the rectangle in the asset frame; z is the surface height, metres.
        size: (2,) extents along the asset's x and y, metres.
        clearance: free height above the surface (up to the next shelf or the top of the asset), metres;
            ``inf`` when open above.
    """

    name: str
    link: str
    center: Vec3
    size: tuple[float, float]
    clearance: float = math.inf

    @property
    def area(self) -> float:
        """m²."""
        return self.size[0] * self.size[1]


@dataclass(frozen=True)
class Handle:
    """A place to grasp: the anchor a robot gripper closes on to open a joint.

    Attributes:
        name: e.g. ``"drawer_0_handle"``.
        link: link the handle is attached to.
        position: (3,) anchor in the asset frame at joint positions 0, metres.
        joint: the joint this handle operates, or None for a fixed handle.
        axis: (3,) direction of the handle bar (the gripper closes across it).
    """

    name: str
    link: str
    position: Vec3
    joint: str | None = None
    axis: Vec3 = (1.0, 0.0, 0.0)


@dataclass(frozen=True, eq=False)
class Asset:
    """A built asset: geometry and articulation of one object, in the asset frame (see module docstring).

    Attributes:
        category: catalog category that built it.
        size: (3,) full extents (w, d, h) of its bounding box at joint positions 0, metres.
        parts, joints, surfaces, handles: see the classes above.
        params: the resolved parameters the program used.
        seed: the program's seed.
        front: (3,) the front direction in the asset frame; always +Y by convention.
    """

    category: str
    size: Vec3
    parts: tuple[Part, ...]
    joints: tuple[Joint, ...] = ()
    surfaces: tuple[SupportSurface, ...] = ()
    handles: tuple[Handle, ...] = ()
    params: dict = field(default_factory=dict)
    seed: int = 0
    front: Vec3 = (0.0, 1.0, 0.0)

    @property
    def articulated(self) -> bool:
        """True when the asset has at least one joint."""
        return bool(self.joints)

    @cached_property
    def links(self) -> tuple[str, ...]:
        """Link names, parents before children, ``"base"`` first."""
        order, pending = [BASE_LINK], list(self.joints)
        while pending:
            progressed = False
            for joint in list(pending):
                if joint.parent in order:
                    order.append(joint.child)
                    pending.remove(joint)
                    progressed = True
            if not progressed:
                raise ValueError(f"{self.category}: joints {[j.name for j in pending]} do not connect to 'base'")
        return tuple(order)

    def joint(self, name: str) -> Joint:
        """The joint called ``name``."""
        for j in self.joints:
            if j.name == name:
                return j
        raise KeyError(f"{self.category} has no joint {name!r}; joints: {[j.name for j in self.joints]}")

    def link_motions(self, q: dict[str, float] | None = None) -> dict[str, np.ndarray]:
        """(4, 4) transform of each link relative to its pose at joint positions 0, in the asset frame."""
        q = q or {}
        motions = {BASE_LINK: np.eye(4)}
        by_child = {j.child: j for j in self.joints}
        for link in self.links[1:]:
            joint = by_child[link]
            motions[link] = motions[joint.parent] @ joint.motion(float(q.get(joint.name, 0.0)))
        return motions

    def part_transforms(self, q: dict[str, float] | None = None) -> list[np.ndarray]:
        """(4, 4) pose of each part in the asset frame at joint positions ``q`` (same order as ``parts``)."""
        motions = self.link_motions(q)
        return [motions[p.link] @ p.transform for p in self.parts]

    def parts_of(self, link: str) -> list[Part]:
        """Parts rigidly attached to ``link``."""
        return [p for p in self.parts if p.link == link]

    @property
    def volume(self) -> float:
        """Sum of part volumes, m³ (collision-only parts, ``visual=False``, left out: they duplicate a part)."""
        return float(sum(p.volume for p in self.parts if p.visual))

    def mass(self) -> float:
        """Mass in kg from part volumes and the densities of their materials (collision-only parts weigh 0)."""
        from scene_gym.assets.materials import resolve_material

        return float(sum(p.volume * resolve_material(p.material).density for p in self.parts if p.visual))
