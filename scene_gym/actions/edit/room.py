"""Scene edits shared by the tools: moving and turning an object with everything resting on it, room checks,
pushing footprints back inside, the relations recorded in the scene, and id/category look-ups with errors that
name the argument.

Geometry is metres and radians in room coordinates (see :mod:`scene_gym.scene`). Footprints here are the
objects' bounding-box footprints, which contain their colliders, so "inside" here implies "inside" for the
physics checks.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

import numpy as np

from scene_gym.actions.tools.base import ToolError
from scene_gym.errors import SceneGymError, UnknownCategoryError
from scene_gym.scene import Room, Scene, SceneObject
from scene_gym.scene.geometry import distance_to_polygon_boundary, points_in_polygon, wrap_angle

RELATIONS_KEY = "relations"
"""``scene.metadata`` key holding the relations asked for through the tools (a list of relation dicts in the
layout format). They are kept so that later re-solves (``update_layout``, ``add_relation``,
``optimize_physics``) keep honouring them; ``remove_objects`` drops those naming removed objects."""

INSIDE_MARGIN = 0.002  # metres a pushed footprint ends inside the wall line, so float noise keeps it inside


# --- look-ups ---------------------------------------------------------------------------------------------
def get_object(scene: Scene, oid: str, field: str) -> SceneObject:
    """The object ``oid`` or a :class:`ToolError` on ``field`` suggesting close ids."""
    if oid in scene:
        return scene.get(oid)
    ids = [o.id for o in scene.objects]
    close = difflib.get_close_matches(oid, ids, n=3, cutoff=0.5) if isinstance(oid, str) else []
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    shown = ", ".join(ids[:30]) + (" ..." if len(ids) > 30 else "")
    raise ToolError(f"unknown object id {oid!r}{hint} Objects: {shown or '(none)'}", field=field)


def resolve_category(name: str) -> str:
    """Catalog category for a name or synonym; raises ``ValueError`` (for pydantic validators) with suggestions."""
    from scene_gym.assets import resolve

    try:
        return resolve(name)
    except UnknownCategoryError as err:
        hint = f"; did you mean {', '.join(repr(s) for s in err.suggestions)}?" if err.suggestions else ""
        raise ValueError(f"unknown category {name!r}{hint} (`scene-gym assets` lists them)") from None


def check_size_in_range(category: str, size, what: str = "size") -> tuple[float, float, float]:
    """``size`` as a tuple if within the category's ``size_range`` (1 mm slack), else ``ValueError``."""
    from scene_gym.assets import get_factory

    lo, hi = get_factory(category).size_range
    out = []
    for axis, v, a, b in zip(("width", "depth", "height"), size, lo, hi, strict=True):
        if not a - 1e-3 <= v <= b + 1e-3:
            raise ValueError(f"expected {category} {axis} in [{a:g}, {b:g}] m, got {v:g}; the category's size range "
                             f"is {list(lo)} to {list(hi)}")  # fmt: skip
        out.append(float(min(max(v, a), b)))
    return tuple(out)


# --- moving groups ----------------------------------------------------------------------------------------
def group_ids(scene: Scene, oid: str) -> list[str]:
    """``oid`` followed by every object resting on it, directly or not."""
    return [oid, *(o.id for o in scene.descendants(oid))]


def move_group(scene: Scene, oid: str, dx: float, dy: float, dz: float = 0.0) -> list[str]:
    """Translate an object and everything resting on it by (dx, dy, dz) metres; returns the moved ids."""
    ids = group_ids(scene, oid)
    for i in ids:
        x, y, z = scene.get(i).position
        scene.update(i, position=(round(x + dx, 6), round(y + dy, 6), round(z + dz, 6)))
    return ids


def turn_group(scene: Scene, oid: str, yaw: float) -> list[str]:
    """Set an object's yaw (radians) and turn everything resting on it about the object's vertical axis."""
    obj = scene.get(oid)
    delta = wrap_angle(yaw - obj.yaw)
    c, s = math.cos(delta), math.sin(delta)
    px, py, _ = obj.position
    ids = group_ids(scene, oid)
    for i in ids:
        o = scene.get(i)
        x, y, z = o.position
        nx, ny = px + c * (x - px) - s * (y - py), py + s * (x - px) + c * (y - py)
        scene.update(i, position=(round(nx, 6), round(ny, 6), z), yaw=wrap_angle(o.yaw + delta))
    return ids


# --- room checks ------------------------------------------------------------------------------------------
def outside_by(room: Room, corners: np.ndarray) -> float:
    """How far (metres) the footprint with ``corners`` (K, 2) leaves the floor polygon: the largest distance of
    a corner outside it, or the deepest reflex room corner inside the footprint; 0 when inside."""
    from scene_gym.physics.checks import depth_inside_convex, reflex_vertices

    worst = 0.0
    out = ~points_in_polygon(corners, room.floor)
    if out.any():
        worst = float(distance_to_polygon_boundary(corners[out], room.polygon).max())
    reflex = reflex_vertices(room.floor)
    if len(reflex):
        worst = max(worst, float(depth_inside_convex(reflex, corners).max()))
    return max(worst, 0.0)


def footprint(obj: SceneObject, x: float | None = None, y: float | None = None, yaw: float | None = None) -> np.ndarray:
    """Bounding-box footprint corners (4, 2), counter-clockwise, optionally at another pose."""
    from scene_gym.scene.geometry import footprint_corners

    pos = (obj.position[0] if x is None else x, obj.position[1] if y is None else y, 0.0)
    return footprint_corners(pos, obj.size[0], obj.size[1], obj.yaw if yaw is None else yaw)


def _closest_on_boundary(p: np.ndarray, poly: np.ndarray) -> np.ndarray:
    a, b = poly, np.roll(poly, -1, axis=0)
    ab = b - a
    t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12), 0.0, 1.0)
    q = a + t[:, None] * ab
    return q[np.argmin(np.linalg.norm(q - p, axis=1))]


def push_inside(room: Room, corners: np.ndarray, max_shift: float) -> tuple[float, float] | None:
    """A translation (dx, dy), at most ``max_shift`` metres long, that brings the footprint ``corners`` (K, 2)
    inside the floor polygon (each corner at least 2 mm inside its wall line); None when none is found."""
    poly = room.polygon
    shift = np.zeros(2)
    for _ in range(8):
        pts = corners + shift
        if outside_by(room, pts) == 0.0 and points_in_polygon(pts, room.floor).all():
            d = distance_to_polygon_boundary(pts, poly)
            if d.min() >= INSIDE_MARGIN * 0.5:
                return (float(shift[0]), float(shift[1])) if np.linalg.norm(shift) <= max_shift + 1e-9 else None
        out = ~points_in_polygon(pts, room.floor)
        best = np.zeros(2)
        for p in pts[out] if out.any() else pts:
            q = _closest_on_boundary(p, poly)
            v = q - p
            n = np.linalg.norm(v)
            if out.any():
                v = v + (v / n if n > 1e-12 else 0.0) * INSIDE_MARGIN
            elif n >= INSIDE_MARGIN:
                continue
            else:  # on the wall line: step inwards along the polygon's inward normal at q
                v = _inward_normal(poly, q) * INSIDE_MARGIN
            if np.linalg.norm(v) > np.linalg.norm(best):
                best = v
        if not np.any(best):
            break
        shift = shift + best
    pts = corners + shift
    if outside_by(room, pts) == 0.0 and np.linalg.norm(shift) <= max_shift + 1e-9:
        return float(shift[0]), float(shift[1])
    return None


def _inward_normal(poly: np.ndarray, q: np.ndarray) -> np.ndarray:
    a, b = poly, np.roll(poly, -1, axis=0)
    ab = b - a
    t = np.clip(((q - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12), 0.0, 1.0)
    i = int(np.argmin(np.linalg.norm(a + t[:, None] * ab - q, axis=1)))
    e = ab[i] / max(np.linalg.norm(ab[i]), 1e-12)
    return np.array([-e[1], e[0]])  # the floor polygon runs counter-clockwise: inside is on the left


# --- recorded relations -----------------------------------------------------------------------------------
def recorded_relations(scene: Scene) -> list[dict[str, Any]]:
    """Relation dicts recorded in ``scene.metadata`` (see :data:`RELATIONS_KEY`); malformed entries skipped."""
    raw = scene.metadata.get(RELATIONS_KEY, [])
    return [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []


def relation_ids(rel: dict[str, Any]) -> list[str]:
    """Object ids a relation dict names."""
    out = [rel.get("subject"), rel.get("target"), *(rel.get("subjects") or [])]
    return [i for i in out if isinstance(i, str)]


def record_relations(scene: Scene, rels: list) -> None:
    """Append relations (objects or dicts) to the scene's recorded relations, skipping exact duplicates."""
    from scene_gym.layout import Relation

    current = recorded_relations(scene)
    for rel in rels:
        d = rel.to_dict() if isinstance(rel, Relation) else dict(rel)
        if d not in current:
            current.append(d)
    scene.metadata = {**scene.metadata, RELATIONS_KEY: current}


def relations_for(scene: Scene, ids) -> list:
    """Recorded relations naming any of ``ids`` whose other objects all exist, as Relation objects."""
    from scene_gym.layout import Relation

    wanted, out = set(ids), []
    for d in recorded_relations(scene):
        names = relation_ids(d)
        if wanted & set(names) and all(n in scene for n in names):
            try:
                out.append(Relation.from_dict(d))
            except SceneGymError:
                continue
    return out


def forget_relations(scene: Scene, removed) -> int:
    """Drop recorded relations naming any of ``removed``; returns how many were dropped."""
    gone = set(removed)
    current = recorded_relations(scene)
    kept = [d for d in current if not gone & set(relation_ids(d))]
    if len(kept) != len(current) or RELATIONS_KEY in scene.metadata:
        if kept:
            scene.metadata = {**scene.metadata, RELATIONS_KEY: kept}
        else:
            scene.metadata = {k: v for k, v in scene.metadata.items() if k != RELATIONS_KEY}
    return len(current) - len(kept)


def adopt(scene: Scene, result_scene: Scene) -> None:
    """Make ``scene`` hold exactly the state of ``result_scene`` (a solver's copy of it, made after the last
    edit of ``scene``)."""
    scene.restore(result_scene.snapshot())


def fmt_ids(ids, n: int = 12) -> str:
    """``a, b, c`` (at most ``n``, then ``... (+k)``)."""
    ids = list(ids)
    head = ", ".join(ids[:n])
    return head + (f" ... (+{len(ids) - n})" if len(ids) > n else "") if ids else "none"
