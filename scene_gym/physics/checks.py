"""Geometric checks that need no physics engine: out-of-bounds and support.

Both read object geometry from :mod:`scene_gym.physics.shapes` and work in room coordinates (metres).

Out of bounds (:func:`out_of_bounds`), for every object:

- its *footprint* is the convex hull of its colliders seen from above (joint states applied, so an open
  wardrobe door counts). It leaves the floor when a footprint vertex lies outside the floor polygon by more than
  ``tol``, or, for a non-convex floor, when a reflex floor corner lies inside the footprint deeper than ``tol``
  (a sofa across the notch of an L-shaped room);
- vertically, when its lowest collider point is below the floor or its highest above the wall height by more
  than ``tol``.

Wall and ceiling objects get the same test: standing against their wall, a correctly placed painting's
footprint lies inside the floor polygon, with its back on the wall line.

Support (:func:`unsupported`), by the object's ``parent``:

- ``"floor"``: the object's lowest point is within ``tol`` of z = 0 and its centre of mass (part centres
  weighted by part mass) projects inside the floor polygon;
- ``"wall"``: some footprint vertex lies within ``tol`` of a wall (floor-polygon edge);
- ``"ceiling"``: its highest point is within ``tol`` of the wall height;
- an object: its lowest point is within ``tol`` of one of the parent's support surfaces (moved with the
  parent's joints) and its centre of mass projects inside that surface's rectangle; or, for parents whose
  surfaces do not match, within ``tol`` of the parent's top with the centre of mass inside the parent's
  footprint.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np

from scene_gym.physics.shapes import Placed, place
from scene_gym.scene import Room, SceneObject
from scene_gym.scene.geometry import distance_to_polygon_boundary, points_in_polygon

TOLERANCE = 0.01


def depth_inside_convex(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """For points (N, 2) and a counter-clockwise convex polygon (K, 2): the distance from each point to the
    polygon's boundary when inside (positive), or minus the largest edge-line distance when outside."""
    a = polygon
    b = np.roll(polygon, -1, axis=0)
    edge = b - a
    length = np.maximum(np.linalg.norm(edge, axis=1), 1e-12)
    rel = points[:, None, :] - a[None]
    signed = (edge[None, :, 0] * rel[..., 1] - edge[None, :, 1] * rel[..., 0]) / length[None]
    return signed.min(axis=1)


@lru_cache(maxsize=256)
def reflex_vertices(floor: tuple) -> np.ndarray:
    """Reflex (inward-pointing) corners (R, 2) of a counter-clockwise floor polygon."""
    poly = np.asarray(floor, dtype=float)
    prev, nxt = np.roll(poly, 1, axis=0), np.roll(poly, -1, axis=0)
    turn = (poly[:, 0] - prev[:, 0]) * (nxt[:, 1] - poly[:, 1]) - (poly[:, 1] - prev[:, 1]) * (nxt[:, 0] - poly[:, 0])
    out = poly[turn < -1e-12]
    out.setflags(write=False)
    return out


def _placed(objects) -> dict[str, Placed]:
    items = objects.values() if isinstance(objects, Mapping) else objects
    return {p.obj.id: p for p in (o if isinstance(o, Placed) else place(o) for o in items)}


def out_of_bounds(objects: Iterable[SceneObject | Placed] | Mapping, room: Room, tol: float = TOLERANCE) -> list[str]:
    """Ids (in input order) of objects that leave the room by more than ``tol`` metres (module docstring).

    ``objects`` are records or :class:`~scene_gym.physics.shapes.Placed` geometry (a world passes the latter).
    """
    placed = list(_placed(objects).values())
    if not placed:
        return []
    poly = room.polygon
    verts = np.vstack([p.footprint for p in placed])
    owner = np.repeat(np.arange(len(placed)), [len(p.footprint) for p in placed])
    bad = np.zeros(len(placed), dtype=bool)
    outside = ~points_in_polygon(verts, poly)
    if outside.any():
        far = distance_to_polygon_boundary(verts[outside], poly) > tol
        bad[owner[outside][far]] = True
    bottoms = np.array([p.bottom for p in placed])
    tops = np.array([p.top for p in placed])
    bad |= (bottoms < -tol) | (tops > room.wall_height + tol)
    reflex = reflex_vertices(room.floor)
    if len(reflex):
        for i, p in enumerate(placed):
            if not bad[i] and len(p.footprint) >= 3 and (depth_inside_convex(reflex, p.footprint) > tol).any():
                bad[i] = True
    return [p.obj.id for p, b in zip(placed, bad, strict=True) if b]


def unsupported(objects: Iterable[SceneObject | Placed] | Mapping, room: Room, tol: float = TOLERANCE,
                ids: Iterable[str] | None = None) -> list[str]:
    """Ids of objects (all, or ``ids``) that do not rest on their parent (module docstring).

    ``objects`` must include every parent of the objects checked.
    """
    placed = _placed(objects)
    check = list(placed) if ids is None else list(ids)
    bad: set[str] = set()
    floor_ids = [i for i in check if placed[i].obj.parent == "floor"]
    if floor_ids:
        coms = np.array([placed[i].com[:2] for i in floor_ids])
        inside = points_in_polygon(coms, room.floor)
        for oid, ok in zip(floor_ids, inside, strict=True):
            if not ok or abs(placed[oid].bottom) > tol:
                bad.add(oid)
    for oid in check:
        p = placed[oid]
        parent = p.obj.parent
        if parent == "floor":
            continue
        if parent == "ceiling":
            ok = abs(p.top - room.wall_height) <= tol
        elif parent == "wall":
            ok = float(distance_to_polygon_boundary(p.footprint, room.floor).min()) <= tol
        else:
            ok = _rests_on(p, placed[parent], tol)
        if not ok:
            bad.add(oid)
    return [i for i in check if i in bad]


def _rests_on(child: Placed, parent: Placed, tol: float) -> bool:
    pobj = parent.obj
    cx, cy = float(child.com[0]), float(child.com[1])
    pc, ps = math.cos(pobj.yaw), math.sin(pobj.yaw)
    px, py, pz = pobj.position
    for surf in parent.shape.surfaces:
        if abs(child.bottom - (pz + surf.center[2])) > tol:
            continue
        sx, sy = surf.center[0], surf.center[1]
        dx, dy = cx - (px + pc * sx - ps * sy), cy - (py + ps * sx + pc * sy)
        yaw = pobj.yaw + surf.yaw
        c, s = math.cos(yaw), math.sin(yaw)
        if abs(c * dx + s * dy) <= surf.half[0] and abs(-s * dx + c * dy) <= surf.half[1]:
            return True
    if abs(child.bottom - parent.top) <= tol and len(parent.footprint) >= 3:
        return bool(depth_inside_convex(child.com[None, :2], parent.footprint)[0] >= 0.0)
    return False
