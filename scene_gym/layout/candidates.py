"""Candidate poses for one object: along walls, in corners, next to objects already against a wall, uniform
over the floor, and poses that a relation suggests (beside, in front of, around its target...).

Every generator returns a list of ``(x, y, yaw, tag)`` tuples and draws randomness only from the
``numpy.random.Generator`` it is given, so the solver stays deterministic for a seed.
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.layout import relations as R
from scene_gym.layout.geometry import Box, yaw_facing
from scene_gym.layout.scene_view import Layout, RoomGeometry
from scene_gym.scene.geometry import wrap_angle

FLUSH = 5e-4  # distance left between flush faces so that 1 mm tolerances never see a contact as a collision
Pose = tuple[float, float, float, str]


def along_walls(room: RoomGeometry, w: float, d: float, rng: np.random.Generator, k: int,
                walls: list[int] | None = None) -> list[Pose]:  # fmt: skip
    """``k`` poses with the object's back flush against a wall (chosen with probability ~ its length)."""
    walls = [i for i in (walls if walls is not None else range(len(room.lengths))) if room.lengths[i] >= w]
    if not walls or k <= 0:
        return []
    lengths = room.lengths[walls]
    picks = rng.choice(len(walls), size=k, p=lengths / lengths.sum())
    out = []
    for j in picks:
        i = walls[int(j)]
        s = rng.uniform(w / 2, room.lengths[i] - w / 2)
        p = room.starts[i] + room.tangents[i] * s + room.normals[i] * (d / 2 + FLUSH)
        out.append((float(p[0]), float(p[1]), room.wall_yaw(i), "wall"))
    return out


def beside_wall_neighbours(room: RoomGeometry, boxes, w: float, d: float) -> list[Pose]:
    """Poses against a wall, flush beside each object already standing with its back to that wall: this
    packs furniture along the walls and leaves the middle of the room free."""
    bs = [b for b in boxes if not b.thin and b.parent == "floor"]
    if not bs:
        return []
    back = np.array([b.world(0.0, -b.d / 2) for b in bs])  # (B, 2) back centres
    front = np.array([b.front for b in bs])
    rel = back[:, None, :] - room.starts[None, :, :]  # (B, P, 2)
    dist = np.abs((rel * room.normals[None]).sum(-1))
    facing = (front[:, None, :] * room.normals[None]).sum(-1)
    along = (rel * room.tangents[None]).sum(-1)
    out = []
    for k, i in zip(*np.nonzero((dist <= 0.02) & (facing > 1 - 1e-3)), strict=True):
        for side in (-1.0, 1.0):
            s = along[k, i] + side * (bs[k].w / 2 + w / 2 + 2 * FLUSH)
            if w / 2 <= s <= room.lengths[i] - w / 2:
                p = room.starts[i] + room.tangents[i] * s + room.normals[i] * (d / 2 + FLUSH)
                out.append((float(p[0]), float(p[1]), room.wall_yaw(int(i)), "beside"))
    return out


def in_corners(room: RoomGeometry, w: float, d: float) -> list[Pose]:
    """Poses tucked into each convex corner, back against either of its two walls."""
    out = []
    for c in room.corners:
        p = np.asarray(c.point)
        i, j = c.wall_out, c.wall_in
        q = p + room.tangents[i] * (w / 2 + FLUSH) + room.normals[i] * (d / 2 + FLUSH)
        out.append((float(q[0]), float(q[1]), room.wall_yaw(i), "corner"))
        q = p - room.tangents[j] * (w / 2 + FLUSH) + room.normals[j] * (d / 2 + FLUSH)
        out.append((float(q[0]), float(q[1]), room.wall_yaw(j), "corner"))
    return out


def snap_to_walls(room: RoomGeometry, poses: list[Pose], d: float) -> list[Pose]:
    """Each pose moved onto its nearest wall: back flush against it, facing into the room (wall objects)."""
    out = []
    for x, y, _, tag in poses:
        p = np.array([x, y])
        t = np.clip(((p - room.starts) * room.tangents).sum(axis=1), 0.0, room.lengths)
        foot = room.starts + room.tangents * t[:, None]
        i = int(np.argmin(np.linalg.norm(foot - p, axis=1)))
        q = foot[i] + room.normals[i] * (d / 2 + FLUSH)
        out.append((float(q[0]), float(q[1]), room.wall_yaw(i), tag))
    return out


def axis_yaws(room: RoomGeometry) -> list[float]:
    """The distinct yaws that face away from each wall (four for a rectangle)."""
    out: list[float] = []
    for i in range(len(room.lengths)):
        y = room.wall_yaw(i)
        if all(abs(wrap_angle(y - o)) > 1e-6 for o in out):
            out.append(y)
    return out


def uniform(room: RoomGeometry, w: float, d: float, rng: np.random.Generator, k: int) -> list[Pose]:
    """``k`` poses uniform over the floor's bounding box, turned to one of the walls' directions."""
    if k <= 0:
        return []
    bx, by = room.polygon.max(axis=0)
    yaws = axis_yaws(room)
    r = min(w, d) / 2
    xs = rng.uniform(r, max(r, bx - r), size=k)
    ys = rng.uniform(r, max(r, by - r), size=k)
    picks = rng.integers(len(yaws), size=k)
    return [(float(x), float(y), yaws[int(j)], "uniform") for x, y, j in zip(xs, ys, picks, strict=True)]


def jitter(box: Box, rng: np.random.Generator, k: int, sigma: float = 0.15) -> list[Pose]:
    """``k`` poses near a box's current one: small moves, a quarter of them also turned by 90 degrees."""
    out = []
    for i in range(k):
        dx, dy = rng.normal(0.0, sigma, size=2)
        turn = 0.0 if i % 4 else float(rng.choice([-math.pi / 2, math.pi / 2, math.pi]))
        out.append((box.x + float(dx), box.y + float(dy), wrap_angle(box.yaw + turn), "jitter"))
    return out


# --- around a reference object --------------------------------------------------------------------------
_SIDE_YAW = {"front": math.pi, "back": 0.0, "left": -math.pi / 2, "right": math.pi / 2}
"""Yaw, relative to the reference, that makes an object on each side of it face it."""


def beside_box(t: Box, w: float, d: float, rng: np.random.Generator, k: int, sides, gaps: tuple[float, float],
               spread: float, yaw_mode: str, tag: str) -> list[Pose]:  # fmt: skip
    """``k`` poses on the given ``sides`` of box ``t`` at a footprint gap in ``gaps``, offset along the side
    by up to ``spread`` of its half length. ``yaw_mode``: ``"facing"`` (turned towards t), ``"away"``,
    ``"same"`` (t's yaw) or ``"any"``."""
    out = []
    sides = list(sides)
    for _ in range(k):
        side = sides[int(rng.integers(len(sides)))]
        mode = yaw_mode if yaw_mode != "any" else ("facing", "same", "away")[int(rng.integers(3))]
        rel = {"facing": _SIDE_YAW[side], "away": _SIDE_YAW[side] + math.pi, "same": 0.0}[mode]
        c, s = abs(math.cos(rel)), abs(math.sin(rel))
        ex, ey = c * w / 2 + s * d / 2, s * w / 2 + c * d / 2
        g = float(rng.uniform(*gaps)) + FLUSH
        u = float(rng.uniform(-spread, spread))
        if side == "front":
            lx, ly = u * t.w / 2, t.d / 2 + g + ey
        elif side == "back":
            lx, ly = u * t.w / 2, -(t.d / 2 + g + ey)
        elif side == "left":
            lx, ly = -(t.w / 2 + g + ex), u * t.d / 2
        else:
            lx, ly = t.w / 2 + g + ex, u * t.d / 2
        x, y = t.world(lx, ly)
        out.append((x, y, wrap_angle(t.yaw + rel), tag))
    return out


ALL_SIDES = ("front", "back", "left", "right")


def for_relation(rel: R.Relation, item: str, layout: Layout, w: float, d: float, rng: np.random.Generator,
                 k: int) -> list[Pose]:  # fmt: skip
    """Poses for object ``item`` that the relation ``rel`` suggests, given the objects already in ``layout``."""
    room, tag = layout.room, rel.name
    if isinstance(rel, R.AgainstWall | R.OnWall):
        return along_walls(room, w, d, rng, k, room.walls_for(rel.wall))
    if isinstance(rel, R.InCorner):
        return in_corners(room, w, d)
    if isinstance(rel, R.Middle):
        cx, cy = room.centroid
        yaws = axis_yaws(room)
        return [(cx + float(rng.normal(0, rel.tolerance / 2)), cy + float(rng.normal(0, rel.tolerance / 2)),
                 yaws[i % len(yaws)], tag) for i in range(k)]  # fmt: skip
    other = None
    if getattr(rel, "subject", None) == item or item in getattr(rel, "subjects", ()):
        other = getattr(rel, "target", None)
    elif getattr(rel, "target", None) == item:
        other = getattr(rel, "subject", None)
    if other is None or other not in layout.boxes:
        return []
    t = layout.boxes[other]
    if getattr(rel, "target", None) == item and not isinstance(rel, R.Around):
        # The reference is being placed after its subject: stand somewhere around the subject.
        return beside_box(t, w, d, rng, k, ALL_SIDES, (0.0, 1.2), 0.6, "any", tag)
    if isinstance(rel, R.InFrontOf | R.Behind):
        side = "front" if isinstance(rel, R.InFrontOf) else "back"
        return beside_box(t, w, d, rng, k, [side], (0.0, 0.7 * rel.max_distance), 0.4, "any", tag)
    if isinstance(rel, R.LeftOf | R.RightOf):
        side = "left" if isinstance(rel, R.LeftOf) else "right"
        return beside_box(t, w, d, rng, k, [side], (0.0, 0.7 * rel.max_distance), 0.4, "same", tag)
    if isinstance(rel, R.Near):
        return beside_box(t, w, d, rng, k, ALL_SIDES, (rel.min_distance, rel.max_distance), 0.8, "any", tag)
    if isinstance(rel, R.NextTo):
        return beside_box(t, w, d, rng, k, ALL_SIDES, (0.0, 0.6 * rel.max_gap), 0.8, "any", tag)
    if isinstance(rel, R.Facing):
        return beside_box(t, w, d, rng, k, ALL_SIDES, (0.3, 2.5), 0.5, "facing", tag)
    if isinstance(rel, R.Around):
        return beside_box(t, w, d, rng, k, ALL_SIDES, (0.0, 0.6 * rel.max_gap), 0.75, "facing", tag)
    if isinstance(rel, R.SideBySide):
        out = []
        for x, y, yaw, _ in beside_box(t, w, d, rng, k, ("left", "right"), (0.0, 0.6 * rel.max_gap), 0.0, "same", tag):
            lx, _ly = t.local(x, y)
            out.append((*t.world(lx, t.d / 2 - d / 2), yaw, tag))  # fronts aligned
        return out
    if isinstance(rel, R.BackToBack):
        return beside_box(t, w, d, rng, k, ["back"], (0.0, 0.6 * rel.max_gap), 0.0, "away", tag)
    if isinstance(rel, R.AlignedWith):
        sides = {"row": ("left", "right"), "column": ("front", "back"), "any": ALL_SIDES}[rel.axis]
        return beside_box(t, w, d, rng, k, sides, (0.05, 2.0), 0.0, "same", tag)
    if isinstance(rel, R.AcrossFrom):
        out = []
        for _ in range(k):
            dist = float(rng.uniform(rel.min_distance, rel.max_distance))
            x, y = t.world(float(rng.normal(0, 0.1)), dist)
            out.append((x, y, yaw_facing(t.x - x, t.y - y), tag))
        return out
    if isinstance(rel, R.Under):
        return [(*t.world(float(rng.normal(0, 0.05)), float(rng.normal(0, 0.05))), t.yaw, tag) for _ in range(k)]
    return []  # far, on_top_of, on_ceiling: generic poses serve
