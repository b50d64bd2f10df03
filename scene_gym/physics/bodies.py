"""pybullet bodies for object colliders and room solids (used by :class:`~scene_gym.physics.PhysicsWorld`).

- Box, cylinder and sphere colliders are grouped into compound shapes of at most 16 children (pybullet silently
  drops children beyond 16); each mesh collider becomes one convex-hull shape whose vertices are given already
  posed in the object frame (pybullet wraps a hull with a frame offset in a compound whose child keeps the
  default margin on maximal-coordinate bodies).
- Every shape gets a 10 micrometre collision margin. With pybullet's defaults, hulls are padded by 1 mm
  (touching hulls would be 2 mm deep) and boxes meeting hulls or cylinders get rounded edges (depths off by a
  millimetre), while a zero margin makes ray tests miss hulls.
- Bodies are static (mass 0) and use maximal coordinates (plain rigid bodies, cheaper to create).
- The room (for ray casts only) is the shared architecture of :mod:`scene_gym.scene.architecture`: the wall
  boxes, with doors and windows cut out, and the floor's triangles as slabs below z = 0 and, mirrored, above the
  wall height for the ceiling. :func:`room_solids` lists them with a geometry key each, so that
  :class:`~scene_gym.physics.pool.ClientPool` creates one shape per distinct geometry.
- Hull shapes go through :func:`~scene_gym.physics.pybullet_util.create_convex_mesh`, which undoes pybullet's
  leaked references to the vertex lists.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from scene_gym.errors import SceneGymError
from scene_gym.physics.pybullet_util import create_convex_mesh, quat_xyzw
from scene_gym.physics.shapes import ObjectShape
from scene_gym.scene import Room
from scene_gym.scene.architecture import FLOOR_THICKNESS, triangulate_polygon, wall_boxes

MARGIN = 1e-5
MAX_COMPOUND = 16


class Spec(NamedTuple):
    """One collision shape made for a body: pybullet shape id, (2, 3) AABB of its children in the body frame
    (metres) and its number of convex children (a compound's children; 1 for a box or a hull)."""

    sid: int
    local: np.ndarray
    children: int


class RoomSolid(NamedTuple):
    """One solid of the room: ``label`` (``"floor"``, ``"wall"``, ``"ceiling"``), wall index or None, the
    geometry key of its shape (``("box", half extents)`` or ``("hull", vertices)``, metres, in the body frame)
    and its body pose (position, metres; yaw, radians)."""

    label: str
    wall: int | None
    key: tuple
    position: tuple[float, float, float]
    yaw: float


def create_shapes(p, cid: int, shape: ObjectShape) -> list[Spec]:
    """Collision shapes for an object's colliders, one :class:`Spec` per body the object needs."""
    kinds = {"box": p.GEOM_BOX, "cylinder": p.GEOM_CYLINDER, "sphere": p.GEOM_SPHERE}
    specs = []
    prims = [c for c in shape.colliders if c.kind != "hull"]
    for i in range(0, len(prims), MAX_COMPOUND):
        group = prims[i : i + MAX_COMPOUND]
        sid = p.createCollisionShapeArray(
            [kinds[c.kind] for c in group],
            radii=[c.size[0] / 2 for c in group],
            halfExtents=[[v / 2 for v in c.size] for c in group],
            lengths=[c.size[2] for c in group],
            collisionFramePositions=[c.transform[:3, 3].tolist() for c in group],
            collisionFrameOrientations=[quat_xyzw(c.transform[:3, :3]) for c in group],
            physicsClientId=cid,
        )
        local = np.array([np.min([c.aabb[0] for c in group], axis=0), np.max([c.aabb[1] for c in group], axis=0)])
        specs.append(Spec(sid, local, len(group)))
    for c in shape.colliders:
        if c.kind == "hull":
            posed = c.vertices @ c.transform[:3, :3].T + c.transform[:3, 3]
            specs.append(Spec(create_convex_mesh(p, cid, posed), c.aabb, 1))
    if any(s.sid < 0 for s in specs):
        raise SceneGymError(f"pybullet could not create collision shapes for {shape.key[0]!r}")
    return specs


def create_body(p, cid: int, shape_id: int, position, yaw: float, *, set_margin: bool) -> int:
    """A static body of ``shape_id`` at ``position`` turned by ``yaw``; ``set_margin`` the first time a shape
    is used (the margin lives on the shared shape, and a compound passes it to every child)."""
    body = p.createMultiBody(0, shape_id, basePosition=list(position), baseOrientation=yaw_xyzw(yaw),
                             useMaximalCoordinates=True, physicsClientId=cid)  # fmt: skip
    if set_margin:
        p.changeDynamics(body, -1, collisionMargin=MARGIN, physicsClientId=cid)
    return body


def yaw_xyzw(yaw: float) -> list[float]:
    """pybullet (x, y, z, w) quaternion of a turn by ``yaw`` radians about +Z."""
    return [0.0, 0.0, float(np.sin(yaw / 2)), float(np.cos(yaw / 2))]


def room_solids(room: Room) -> list[RoomSolid]:
    """The room's floor and ceiling slabs (one triangular prism per floor triangle, posed at the origin) and its
    wall boxes, as :class:`RoomSolid` records; equal geometry gives equal keys, so shapes can be shared."""
    out = []
    poly, h = room.polygon, room.wall_height
    for tri in triangulate_polygon(poly):
        pts = poly[tri]
        for label, z0, z1 in (("floor", -FLOOR_THICKNESS, 0.0), ("ceiling", h, h + FLOOR_THICKNESS)):
            prism = np.vstack([np.column_stack([pts, np.full(3, z0)]), np.column_stack([pts, np.full(3, z1)])])
            key = ("hull", tuple(tuple(float(v) for v in row) for row in prism))
            out.append(RoomSolid(label, None, key, (0.0, 0.0, 0.0), 0.0))
    for box in wall_boxes(room):
        key = ("box", tuple(float(v) / 2 for v in box.size))
        out.append(RoomSolid("wall", box.wall, key, tuple(float(v) for v in box.center), float(box.yaw)))
    return out


def create_room_shape(p, cid: int, key: tuple) -> list[Spec]:
    """The collision shape of a :class:`RoomSolid` key, as a one-item list (like :func:`create_shapes`)."""
    kind, geometry = key
    if kind == "hull":
        sid = create_convex_mesh(p, cid, geometry)
    else:
        sid = p.createCollisionShape(p.GEOM_BOX, halfExtents=list(geometry), physicsClientId=cid)
    if sid < 0:
        raise SceneGymError(f"pybullet could not create the room's {kind} shape {geometry!r}")
    pts = np.array(geometry if kind == "hull" else [[-v for v in geometry], list(geometry)], dtype=float)
    return [Spec(int(sid), np.array([pts.min(axis=0), pts.max(axis=0)]), 1)]
