"""Support surfaces of an object's asset: a free spot for a new object, and where the objects resting on an
object go when it is resized.

Surfaces are the asset's base-link support surfaces (table tops, fixed shelf boards; drawers are left alone).
Positions are metres in the parent object's frame: origin at its bottom centre, x to its right, y to its front,
z up (see :meth:`~scene_gym.scene.SceneObject.transform`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scene_gym.errors import EditError
from scene_gym.scene import Scene, SceneObject

SURFACE_SNAP = 0.02  # metres: a child this close to a surface's height (and over it) rests on that surface
_GRID = 7  # candidate spots per side when looking for a free one


def asset_of(obj: SceneObject):
    """The built :class:`~scene_gym.assets.Asset` of a scene object (cached by the asset registry)."""
    from scene_gym.assets import build_asset

    return build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)


def _children_at(scene: Scene, parent: SceneObject, z: float) -> list[np.ndarray]:
    """Footprint corners (4, 2), in the parent's frame, of the children resting at height ``z`` (parent frame)."""
    inv = np.linalg.inv(parent.transform())
    out = []
    for child in scene.children(parent.id):
        local = (inv @ np.c_[np.c_[child.footprint(), np.full(4, child.position[2])], np.ones(4)].T).T
        if abs(local[0, 2] - z) < SURFACE_SNAP:
            out.append(local[:, :2])
    return out


def surface_spot(scene: Scene, parent: SceneObject, size, at=None):
    """(surface, x, y) in the parent's frame for an object of ``size`` (w, d, h) metres on ``parent``.

    The surface is the largest base-link support surface that fits the object (footprint and clearance). ``at``
    = (u, v) in [-1, 1] spans that surface along the parent's x and y; without it the free spot nearest the
    surface's centre (of 7 x 7 candidates, on the fitting surfaces from the largest) clear of the items already
    there. Raises :class:`EditError` on ``size`` when no surface fits, on ``parent`` when they are full.
    """
    w, d, h = size
    surfaces = sorted((s for s in asset_of(parent).surfaces if s.link == "base"), key=lambda s: -s.area)
    fitting = [s for s in surfaces if s.size[0] >= w and s.size[1] >= d and s.clearance >= h]
    if not fitting:
        have = ", ".join(f"{s.name} {s.size[0]:.2f} x {s.size[1]:.2f} m (clearance {s.clearance:.2f} m)"
                         for s in surfaces) or "none"  # fmt: skip
        raise EditError(f"expected a support surface of {parent.id} that fits {w:.2f} x {d:.2f} x {h:.2f} m, got "
                        f"surfaces: {have}", field="size")  # fmt: skip
    if at is not None:
        s = fitting[0]
        u, v = at
        return s, s.center[0] + u * (s.size[0] - w) / 2, s.center[1] + v * (s.size[1] - d) / 2
    grid = [(u, v) for u in np.linspace(-1, 1, _GRID) for v in np.linspace(-1, 1, _GRID)]
    grid.sort(key=lambda uv: (uv[0] ** 2 + uv[1] ** 2, uv))
    for s in fitting:
        taken = _children_at(scene, parent, s.center[2])
        for u, v in grid:
            cx, cy = s.center[0] + u * (s.size[0] - w) / 2, s.center[1] + v * (s.size[1] - d) / 2
            lo, hi = np.array([cx - w / 2, cy - d / 2]), np.array([cx + w / 2, cy + d / 2])
            if all((c.max(axis=0) <= lo + 1e-3).any() or (c.min(axis=0) >= hi - 1e-3).any() for c in taken):
                return s, cx, cy
    raise EditError(f"expected free room for {w:.2f} x {d:.2f} m on {parent.id}, got its surfaces full", field="parent")


def surface_under(asset, local: np.ndarray):
    """The support surface of ``asset`` that a child whose bottom centre is at ``local`` (3,) (parent frame)
    rests on: within :data:`SURFACE_SNAP` of its height and over it; the nearest in height wins; None if none."""
    lx, ly, dz = (float(v) for v in local[:3])
    best = None
    for s in asset.surfaces:
        over = abs(lx - s.center[0]) <= s.size[0] / 2 + SURFACE_SNAP and abs(ly - s.center[1]) <= s.size[1] / 2 + SURFACE_SNAP
        if over and abs(dz - s.center[2]) <= SURFACE_SNAP:
            if best is None or abs(dz - s.center[2]) < abs(dz - best.center[2]):
                best = s
    return best


def resize_map(before: SceneObject, after: SceneObject) -> Callable[[np.ndarray], np.ndarray]:
    """How a point resting on ``before`` maps onto ``after`` (the same object resized): a function from a (3,)
    position in ``before``'s frame to one in ``after``'s frame.

    A point on a support surface keeps its place relative to that surface: its offset from the surface's centre
    scales with the surface, and it lands at the new surface's height. Other points scale with the object's
    size along each axis.
    """
    old, new = asset_of(before), asset_of(after)
    new_by_name = {s.name: s for s in new.surfaces}
    ratio = np.asarray(after.size) / np.asarray(before.size)

    def remap(local: np.ndarray) -> np.ndarray:
        s0 = surface_under(old, local)
        s1 = new_by_name.get(s0.name) if s0 is not None else None
        if s0 is None or s1 is None:
            return np.asarray(local[:3], dtype=float) * ratio
        fx = s1.size[0] / s0.size[0] if s0.size[0] > 0 else 1.0
        fy = s1.size[1] / s0.size[1] if s0.size[1] > 0 else 1.0
        return np.array([s1.center[0] + (local[0] - s0.center[0]) * fx, s1.center[1] + (local[1] - s0.center[1]) * fy,
                         s1.center[2]])  # fmt: skip

    return remap
