"""The ``tiny`` backend: pybullet's CPU TinyRenderer in a DIRECT client of its own.

Each scene object becomes one static multibody whose links carry its parts as visual shapes (boxes,
cylinders and spheres as primitives, mesh parts from their vertices and indices), coloured from the resolved
material. The room is one more multibody. The pybullet world is cached: a later render of the same scene, or of
an edited one, only moves, adds or rebuilds the objects whose records changed. Visual shapes are shared between
identical parts. The camera's OpenGL matrices (``Camera.opengl_*``) drive TinyRenderer, so pixels follow the
package's pixel convention.
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.errors import RenderError
from scene_gym.physics.pybullet_util import import_pybullet, quat_xyzw
from scene_gym.render.camera import Camera
from scene_gym.render.geometry import Primitive, object_primitives, room_primitives
from scene_gym.render.result import RenderResult, check_camera_placement, empty_check

#: After this many cached visual shapes the client is reset (pybullet never frees a visual shape).
MAX_SHAPES = 20_000


class TinyBackend:
    """A TinyRenderer with its own pybullet client and a cached world. Not thread-safe; call :meth:`close`
    (or use it as a context manager) to free the client."""

    name = "tiny"

    def __init__(self):
        self._p = import_pybullet()
        self._cid = self._p.connect(self._p.DIRECT)
        if self._cid < 0:
            raise RenderError("pybullet could not open a DIRECT client")
        self._reset_world()

    def _reset_world(self) -> None:
        self._p.resetSimulation(physicsClientId=self._cid)
        self._shapes: dict[tuple, tuple[int, object]] = {}
        self._bodies: dict[str, tuple[object, int, list[Primitive]]] = {}
        self._room = None
        self._room_body = -1

    # --- world cache --------------------------------------------------------------------------------------
    def _shape(self, prim: Primitive) -> int:
        p = self._p
        rgba = [float(c) for c in prim.rgba]
        size = tuple(round(float(s), 6) for s in prim.size)
        key = (prim.kind, size, tuple(rgba), id(prim.mesh) if prim.mesh is not None else None)
        hit = self._shapes.get(key)
        if hit is not None:
            return hit[0]
        spec = [0.2 * (1.0 - prim.material.roughness)] * 3
        common = {"rgbaColor": rgba, "specularColor": spec, "physicsClientId": self._cid}
        if prim.kind == "box":
            sid = p.createVisualShape(p.GEOM_BOX, halfExtents=[s / 2 for s in size], **common)
        elif prim.kind == "cylinder":
            sid = p.createVisualShape(p.GEOM_CYLINDER, radius=size[0] / 2, length=size[2], **common)
        elif prim.kind == "sphere":
            sid = p.createVisualShape(p.GEOM_SPHERE, radius=size[0] / 2, **common)
        elif prim.kind == "mesh" and prim.mesh is not None:
            verts = prim.mesh.vertices
            faces = prim.mesh.faces
            # Flat shading: one vertex triple per face with the face normal, so TinyRenderer lights facets.
            tri = verts[faces].reshape(-1, 3)
            n = np.cross(verts[faces[:, 1]] - verts[faces[:, 0]], verts[faces[:, 2]] - verts[faces[:, 0]])
            n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
            normals = np.repeat(n, 3, axis=0)
            sid = p.createVisualShape(p.GEOM_MESH, vertices=tri.tolist(), indices=list(range(len(tri))),
                                      normals=normals.tolist(), meshScale=[1, 1, 1], **common)  # fmt: skip
        else:
            raise RenderError(f"{prim.name}: cannot draw a part of kind {prim.kind!r}")
        if sid < 0:
            raise RenderError(f"{prim.name}: pybullet refused the visual shape ({prim.kind}, size {size})")
        self._shapes[key] = (sid, prim.mesh)
        return sid

    def _body(self, prims: list[Primitive], frame: np.ndarray) -> int:
        p = self._p
        inv = np.linalg.inv(frame)
        shapes, positions, orientations = [], [], []
        for prim in prims:
            local = inv @ prim.pose
            shapes.append(self._shape(prim))
            positions.append(local[:3, 3].tolist())
            orientations.append(quat_xyzw(local[:3, :3]))
        n = len(shapes)
        return p.createMultiBody(
            baseMass=0, baseVisualShapeIndex=-1, baseCollisionShapeIndex=-1,
            basePosition=frame[:3, 3].tolist(), baseOrientation=quat_xyzw(frame[:3, :3]),
            linkMasses=[0] * n, linkCollisionShapeIndices=[-1] * n, linkVisualShapeIndices=shapes,
            linkPositions=positions, linkOrientations=orientations,
            linkInertialFramePositions=[[0, 0, 0]] * n, linkInertialFrameOrientations=[[0, 0, 0, 1]] * n,
            linkParentIndices=[0] * n, linkJointTypes=[p.JOINT_FIXED] * n, linkJointAxis=[[0, 0, 1]] * n,
            physicsClientId=self._cid,
        )  # fmt: skip

    def sync(self, scene) -> list[Primitive]:
        """Bring the cached pybullet world in line with ``scene``; returns the scene's object primitives."""
        p = self._p
        if len(self._shapes) > MAX_SHAPES:
            self._reset_world()
        if self._room != scene.room:
            if self._room_body >= 0:
                p.removeBody(self._room_body, physicsClientId=self._cid)
            self._room_body = self._body(room_primitives(scene), np.eye(4))
            self._room = scene.room
        seen = set()
        all_prims: list[Primitive] = []
        self._uid_index: dict[int, int] = {}
        for index, obj in enumerate(scene.objects):
            seen.add(obj.id)
            cached = self._bodies.get(obj.id)
            if cached is not None and (cached[0] is obj or cached[0] == obj):
                _, uid, prims = cached
                if prims and prims[0].object_index != index:
                    prims = object_primitives(obj, index)
                    self._bodies[obj.id] = (obj, uid, prims)
            elif cached is not None and _same_shape(cached[0], obj):
                _, uid, _ = cached
                pose = obj.transform()
                p.resetBasePositionAndOrientation(uid, pose[:3, 3].tolist(), quat_xyzw(pose[:3, :3]),
                                                  physicsClientId=self._cid)  # fmt: skip
                prims = object_primitives(obj, index)
                self._bodies[obj.id] = (obj, uid, prims)
            else:
                if cached is not None:
                    p.removeBody(cached[1], physicsClientId=self._cid)
                prims = object_primitives(obj, index)
                uid = self._body(prims, obj.transform()) if prims else -1
                self._bodies[obj.id] = (obj, uid, prims)
            self._uid_index[uid] = index
            all_prims.extend(prims)
        for oid in [o for o in self._bodies if o not in seen]:
            _, uid, _ = self._bodies.pop(oid)
            if uid >= 0:
                p.removeBody(uid, physicsClientId=self._cid)
        return all_prims

    # --- rendering ----------------------------------------------------------------------------------------
    def render(self, scene, camera: Camera, *, check: bool = True, light_direction=(0.4, -0.3, 1.0),
               shadow: bool = False) -> RenderResult:
        """Render ``scene`` through ``camera``. ``check`` rejects perspective cameras outside the room or
        inside furniture (:class:`RenderError`)."""
        p = self._p
        prims = self.sync(scene)
        if check:
            check_camera_placement(scene, camera, prims)
        draw_cam, offset = _tiny_camera(scene, camera)
        view = draw_cam.opengl_view_matrix().T.reshape(-1).tolist()  # pybullet wants column-major
        proj = draw_cam.opengl_projection_matrix().T.reshape(-1).tolist()
        w, h = camera.width, camera.height
        _, _, rgba, zbuf, seg = p.getCameraImage(
            w, h, viewMatrix=view, projectionMatrix=proj, renderer=p.ER_TINY_RENDERER, shadow=int(shadow),
            lightDirection=list(light_direction), lightAmbientCoeff=0.55, lightDiffuseCoeff=0.45,
            lightSpecularCoeff=0.05, physicsClientId=self._cid,
        )  # fmt: skip
        rgb = np.ascontiguousarray(np.asarray(rgba, dtype=np.uint8).reshape(h, w, 4)[:, :, :3])
        zbuf = np.asarray(zbuf, dtype=np.float64).reshape(h, w)
        depth = _linear_depth(zbuf, draw_cam) - np.float32(offset)
        seg_raw = np.asarray(seg, dtype=np.int64).reshape(h, w)
        lut = np.full(max(self._uid_index, default=0) + 2, -1, dtype=np.int32)
        for uid, index in self._uid_index.items():
            if uid >= 0:
                lut[uid] = index
        segmentation = np.where(seg_raw >= 0, lut[np.clip(seg_raw, 0, len(lut) - 1)], -1).astype(np.int32)
        empty_check(rgb, depth, segmentation, camera)
        return RenderResult(rgb, depth, segmentation, camera, self.name, tuple(o.id for o in scene.objects))

    def close(self) -> None:
        """Disconnect the pybullet client (idempotent)."""
        if getattr(self, "_cid", -1) >= 0:
            try:
                self._p.disconnect(physicsClientId=self._cid)
            except Exception:  # noqa: BLE001 - already gone at interpreter exit
                pass
            self._cid = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


def _same_shape(a, b) -> bool:
    """True when two object records differ at most in pose (position, yaw, parent)."""
    return (a.category, a.size, a.material, a.params, a.seed, a.joints) == \
        (b.category, b.size, b.material, b.params, b.seed, b.joints)  # fmt: skip


#: Distance an orthographic camera is pulled back to be drawn as a telephoto perspective camera, metres.
TELEPHOTO_DISTANCE = 2000.0


def _tiny_camera(scene, camera: Camera) -> tuple[Camera, float]:
    """The perspective camera TinyRenderer draws with, and the depth offset to subtract.

    - TinyRenderer samples pixel (row i, column j) at u = j, v = i + 1 (pixel corners, from its bottom-up
      framebuffer), not at the centre (j + 0.5, i + 0.5); the principal point is shifted half a pixel to
      compensate (measured: without it depth on a sloped floor is off by 1-6 cm).
    - TinyRenderer assumes a perspective projection matrix (orthographic ones draw nothing), so an orthographic
      camera is drawn as a telephoto camera pulled back by :data:`TELEPHOTO_DISTANCE` along its view axis,
      with the focal length that keeps the pixel scale exact at the depth of the room's centre; the parallax
      left is below 0.2 px for a room 3 m deep at 128 px from the image centre.
    """
    cx, cy = camera.cx - 0.5, camera.cy + 0.5
    if camera.projection == "perspective":
        return Camera(camera.width, camera.height, camera.fx, camera.fy, cx, cy, camera.cam_to_world,
                      "perspective", camera.near, camera.far), 0.0  # fmt: skip
    d = TELEPHOTO_DISTANCE
    (rx, ry), h = scene.room.center, scene.room.wall_height
    z_ref = float(camera.to_camera([[rx, ry, h / 2]])[0, 2])
    pose = np.array(camera.cam_to_world)
    pose[:3, 3] -= d * pose[:3, 2]
    s = d + z_ref
    tele = Camera(camera.width, camera.height, camera.fx * s, camera.fy * s, cx, cy, pose, "perspective",
                  d + max(camera.near, 1e-3), d + camera.far)  # fmt: skip
    return tele, d


def _linear_depth(zbuf: np.ndarray, camera: Camera) -> np.ndarray:
    """OpenGL depth-buffer values in [0, 1] -> metres along +z; background (1.0) -> inf."""
    n, f = camera.near, camera.far
    if camera.projection == "perspective":
        z = f * n / (f - (f - n) * zbuf)
    else:
        z = n + (f - n) * zbuf
    z = np.where(zbuf >= 1.0 - 1e-7, math.inf, z)
    return z.astype(np.float32)
