"""The toolbox an asset program draws with: parts, joints, support surfaces and handles, in metres, in the
asset frame (origin bottom-centre, +Y front, Z up)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from scene_gym.assets.meshes import cylinder_between, extrude, lathe
from scene_gym.assets.parts import BASE_LINK, Handle, Joint, MeshData, Part, SupportSurface


class AssetBuilder:
    """Collects the pieces of one asset while its program runs.

    Args:
        size: (w, d, h) full extents the program must fill, metres.
        material: the object's main material description (programs use it for their main parts).
        rng: the program's seeded generator; programs draw every random choice from it.
    """

    def __init__(self, size: Sequence[float], material: str, rng: np.random.Generator):
        self.w, self.d, self.h = (float(v) for v in size)
        self.material = material
        self.rng = rng
        self.parts: list[Part] = []
        self.joints: list[Joint] = []
        self.surfaces: list[SupportSurface] = []
        self.handles: list[Handle] = []

    # --- parts --------------------------------------------------------------------------------------------
    def _add(self, part: Part) -> Part:
        if any(p.name == part.name for p in self.parts):
            raise ValueError(f"duplicate part name {part.name!r}")
        if not (part.collide or part.visual):
            raise ValueError(f"part {part.name!r}: expected a part that collides or is drawn, got neither")
        if min(part.size) <= 0:
            raise ValueError(f"part {part.name!r}: expected positive size, got {part.size}")
        self.parts.append(part)
        return part

    def box(self, name: str, center: Sequence[float], size: Sequence[float], material: str | None = None, *,
            link: str = BASE_LINK, bevel: float = 0.0, rpy=(0.0, 0.0, 0.0), collide: bool = True) -> Part:
        """A box of full extents ``size`` centred at ``center``."""
        return self._add(Part(name, "box", _vec(size), _vec(center), material or self.material, link,
                              _vec(rpy), float(bevel), collide=collide))  # fmt: skip

    def cylinder(self, name: str, center: Sequence[float], radius: float, height: float,
                 material: str | None = None, *, link: str = BASE_LINK, rpy=(0.0, 0.0, 0.0),
                 collide: bool = True) -> Part:
        """A cylinder of ``radius`` and ``height`` along the part's z axis (vertical unless ``rpy``)."""
        return self._add(Part(name, "cylinder", (2 * radius, 2 * radius, float(height)), _vec(center),
                              material or self.material, link, _vec(rpy), collide=collide))  # fmt: skip

    def rod(self, name: str, a: Sequence[float], b: Sequence[float], radius: float, material: str | None = None,
            *, link: str = BASE_LINK) -> Part:
        """A cylinder running from point ``a`` to point ``b``."""
        center, rpy, length = cylinder_between(a, b)
        return self.cylinder(name, center, radius, length, material, link=link, rpy=rpy)

    def sphere(self, name: str, center: Sequence[float], radius: float, material: str | None = None, *,
               link: str = BASE_LINK, collide: bool = True) -> Part:
        """A sphere."""
        return self._add(Part(name, "sphere", (2 * radius,) * 3, _vec(center), material or self.material, link,
                              collide=collide))  # fmt: skip

    def mesh(self, name: str, center: Sequence[float], mesh: MeshData, material: str | None = None, *,
             link: str = BASE_LINK, rpy=(0.0, 0.0, 0.0), collide: bool = True, visual: bool = True) -> Part:
        """A generated mesh (centred on its bounding box) placed at ``center``; ``visual=False`` makes it
        collision-only (see :class:`~scene_gym.assets.parts.Part`)."""
        extents = mesh.vertices.max(axis=0) - mesh.vertices.min(axis=0)
        return self._add(Part(name, "mesh", _vec(np.maximum(extents, 1e-4)), _vec(center), material or self.material,
                              link, _vec(rpy), mesh=mesh, collide=collide, visual=visual))  # fmt: skip

    def lathe(self, name: str, base_center: Sequence[float], profile: Sequence[tuple[float, float]],
              material: str | None = None, *, link: str = BASE_LINK, segments: int = 24) -> Part:
        """A solid of revolution from a (radius, z) profile; ``base_center`` is where z = min(profile z) sits."""
        data = lathe(profile, segments)
        zs = [z for _, z in profile]
        cx, cy, cz = base_center
        return self.mesh(name, (cx, cy, cz + (max(zs) - min(zs)) / 2), data, material, link=link)

    def extrusion(self, name: str, base_center: Sequence[float], polygon: Sequence[tuple[float, float]],
                  height: float, material: str | None = None, *, link: str = BASE_LINK) -> Part:
        """A prism from an x-y polygon (star-shaped about its mean); ``base_center`` is its bottom centre."""
        data = extrude(polygon, height)
        cx, cy, cz = base_center
        return self.mesh(name, (cx, cy, cz + height / 2), data, material, link=link)

    # --- articulation, surfaces, handles ------------------------------------------------------------------
    def joint(self, name: str, kind: str, child: str, axis: Sequence[float], origin: Sequence[float],
              limits: tuple[float, float], *, parent: str = BASE_LINK, damping: float | None = None,
              friction: float | None = None) -> Joint:
        """Add a revolute or prismatic joint creating link ``child``."""
        if kind not in ("revolute", "prismatic"):
            raise ValueError(f"expected joint kind 'revolute' or 'prismatic', got {kind!r}")
        lo, hi = float(limits[0]), float(limits[1])
        if not lo <= 0.0 <= hi or lo == hi:
            raise ValueError(f"joint {name!r}: expected limits around 0, got {limits}")
        joint = Joint(name, kind, parent, child, _vec(axis), _vec(origin), (lo, hi),
                      damping if damping is not None else (2.0 if kind == "prismatic" else 0.5),
                      friction if friction is not None else (0.5 if kind == "prismatic" else 0.1))  # fmt: skip
        self.joints.append(joint)
        return joint

    def surface(self, name: str, center: Sequence[float], size: tuple[float, float], *, link: str = BASE_LINK,
                clearance: float = math.inf) -> SupportSurface:
        """Declare a support surface: an upward rectangle centred at ``center`` (z = height of the surface)."""
        s = SupportSurface(name, link, _vec(center), (float(size[0]), float(size[1])), float(clearance))
        self.surfaces.append(s)
        return s

    def handle(self, name: str, position: Sequence[float], *, link: str = BASE_LINK, joint: str | None = None,
               axis=(1.0, 0.0, 0.0)) -> Handle:
        """Declare a grasp anchor (usually the centre of a handle bar or knob)."""
        h = Handle(name, link, _vec(position), joint, _vec(axis))
        self.handles.append(h)
        return h


def _vec(v: Sequence[float]) -> tuple[float, ...]:
    return tuple(float(x) for x in v)
