"""The one camera model every renderer uses: pinhole or orthographic intrinsics plus a rigid pose.

Conventions (tested in ``tests/render/test_camera.py``):

- **Camera frame** (OpenCV): +x right, +y down, +z forward (the viewing direction). ``cam_to_world`` (4, 4)
  maps camera-frame points to room coordinates; ``world_to_cam`` is its inverse.
- **Pixels**: the origin is the top-left corner of the image, +u to the right, +v down, and the centre of the
  pixel in row ``i`` and column ``j`` is at ``(u, v) = (j + 0.5, i + 0.5)``. A (W, H) image spans
  u in [0, W], v in [0, H]; the principal point of a centred camera is ``(W / 2, H / 2)``.
- **Perspective**: ``u = fx * x / z + cx``, ``v = fy * y / z + cy`` (fx, fy in pixels).
- **Orthographic**: ``u = fx * x + cx``, ``v = fy * y + cy`` (fx, fy in pixels per metre).
- **Equirectangular** (panoramas): longitude ``lon = atan2(x, z)`` (positive to the right) and elevation
  ``lat = asin(-y / |p|)`` (positive up) give ``u = fx * lon + cx``, ``v = cy - fy * lat`` with
  ``fx = W / (2 pi)``, ``fy = H / pi`` and the principal point at the image centre; the image centre looks
  along +z.
- **Depth** is the distance along the camera's +z axis (not along the ray), metres, for perspective and
  orthographic cameras; for equirectangular cameras it is the distance from the camera centre (the range).

``Camera.project`` turns world points into pixels and depths; ``Camera.ray`` turns pixels into world rays;
``Camera.unproject`` turns a pixel and its depth back into the world point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from scene_gym.errors import RenderError, SceneGymError
from scene_gym.scene.geometry import look_at_pose

Projection = Literal["perspective", "orthographic", "equirectangular"]

#: Largest accepted image side, pixels.
MAX_IMAGE_SIZE = 4096

# Rotation from the OpenCV camera frame (+y down, +z forward) to the OpenGL / Blender camera frame
# (+y up, -z forward): flip y and z.
CV_TO_GL = np.diag([1.0, -1.0, -1.0, 1.0])


def _look_at(eye: Sequence[float], target: Sequence[float], up: Sequence[float] = (0.0, 0.0, 1.0)) -> np.ndarray:
    """:func:`~scene_gym.scene.geometry.look_at_pose`, its bad-input errors raised as :class:`RenderError`."""
    try:
        return look_at_pose(eye, target, up)
    except SceneGymError as err:
        raise RenderError(str(err)) from None


def check_image_size(width: Any, height: Any) -> tuple[int, int]:
    """Validate an image size; returns (width, height) as ints or raises :class:`RenderError`."""
    out = []
    for name, v in (("width", width), ("height", height)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise RenderError(f"expected image {name} as an integer number of pixels, got {v!r}")
        if not 1 <= int(v) <= MAX_IMAGE_SIZE:
            raise RenderError(f"expected image {name} in 1..{MAX_IMAGE_SIZE} pixels, got {int(v)}")
        out.append(int(v))
    return out[0], out[1]


@dataclass(frozen=True, eq=False)
class Camera:
    """A camera: intrinsics, pose and clipping range (see the module docstring for conventions).

    Attributes:
        width, height: image size in pixels, 1..4096.
        fx, fy: focal lengths in pixels (perspective) or pixels per metre (orthographic).
        cx, cy: principal point in pixels (image centre: ``width / 2, height / 2``).
        cam_to_world: (4, 4) float pose of the OpenCV camera frame in room coordinates.
        projection: ``"perspective"``, ``"orthographic"`` or ``"equirectangular"``.
        near, far: clipping distances along +z, metres.
    """

    width: int
    height: int
    fx: float
    fy: float
    cx: float
    cy: float
    cam_to_world: np.ndarray = field(repr=False)
    projection: Projection = "perspective"
    near: float = 0.02
    far: float = 60.0

    def __post_init__(self):
        check_image_size(self.width, self.height)
        if self.projection not in ("perspective", "orthographic", "equirectangular"):
            raise RenderError(f"expected projection 'perspective', 'orthographic' or 'equirectangular', "
                              f"got {self.projection!r}")  # fmt: skip
        for name in ("fx", "fy", "cx", "cy", "near", "far"):
            v = getattr(self, name)
            if not isinstance(v, int | float | np.floating | np.integer) or not math.isfinite(float(v)):
                raise RenderError(f"expected camera {name} to be a finite number, got {v!r}")
        if self.fx <= 0 or self.fy <= 0:
            raise RenderError(f"expected positive focal lengths, got fx={self.fx}, fy={self.fy}")
        if not 0 < self.near < self.far:
            raise RenderError(f"expected 0 < near < far, got near={self.near}, far={self.far}")
        pose = np.array(self.cam_to_world, dtype=float)
        if pose.shape != (4, 4) or not np.isfinite(pose).all():
            raise RenderError(f"expected cam_to_world as a finite (4, 4) matrix, got shape {pose.shape}")
        r = pose[:3, :3]
        if not np.allclose(r.T @ r, np.eye(3), atol=1e-6) or np.linalg.det(r) < 0:
            raise RenderError("expected cam_to_world to hold a proper rotation (orthonormal, det +1)")
        pose[3] = (0.0, 0.0, 0.0, 1.0)
        pose.setflags(write=False)
        object.__setattr__(self, "cam_to_world", pose)

    # --- constructors -------------------------------------------------------------------------------------
    @classmethod
    def look_at(cls, eye: Sequence[float], target: Sequence[float], *, width: int = 256, height: int = 256,
                fovy: float = math.radians(60.0), up: Sequence[float] = (0.0, 0.0, 1.0), near: float = 0.02,
                far: float = 60.0) -> Camera:
        """A centred perspective camera at ``eye`` looking at ``target``; ``fovy`` is the vertical field of
        view in radians; image +v points along -``up`` as far as the view direction allows."""
        width, height = check_image_size(width, height)
        if not 0.0 < fovy < math.pi:
            raise RenderError(f"expected fovy in (0, pi) radians, got {fovy!r}")
        f = fy = height / 2 / math.tan(fovy / 2)
        return cls(width, height, f, fy, width / 2, height / 2, _look_at(eye, target, up), "perspective",
                   near, far)  # fmt: skip

    @classmethod
    def top_down(cls, center_xy: Sequence[float], extent: Sequence[float], *, width: int = 256,
                 height: int = 256, z: float = 10.0, margin: float = 0.05) -> Camera:
        """An orthographic camera at height ``z`` looking straight down at ``center_xy``, framing an
        ``extent`` (x size, y size) in metres plus a ``margin`` fraction on each side; +u is +X (east) and
        -v is +Y (north), square pixels."""
        width, height = check_image_size(width, height)
        ex, ey = (float(e) * (1.0 + 2.0 * margin) for e in extent)
        if not (ex > 0 and ey > 0):
            raise RenderError(f"expected a positive extent, got {tuple(extent)!r}")
        scale = min(width / ex, height / ey)
        pose = np.eye(4)
        pose[:3, :3] = np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]])
        pose[:3, 3] = (float(center_xy[0]), float(center_xy[1]), float(z))
        return cls(width, height, scale, scale, width / 2, height / 2, pose, "orthographic", 0.01, float(z) + 5.0)

    @classmethod
    def equirectangular(cls, position: Sequence[float], *, width: int = 512, height: int = 256,
                        yaw: float = 0.0, near: float = 0.02, far: float = 60.0) -> Camera:
        """A 360 x 180 degree panorama camera at ``position``, level, whose image centre looks along compass
        ``yaw`` (0: +Y, north; counter-clockwise about +Z, as object yaws)."""
        width, height = check_image_size(width, height)
        fwd = np.array([-math.sin(yaw), math.cos(yaw), 0.0])
        pose = _look_at(position, np.asarray(position, dtype=float) + fwd)
        return cls(width, height, width / (2 * math.pi), height / math.pi, width / 2, height / 2, pose,
                   "equirectangular", near, far)  # fmt: skip

    # --- matrices -----------------------------------------------------------------------------------------
    @property
    def world_to_cam(self) -> np.ndarray:
        """(4, 4) inverse of :attr:`cam_to_world`."""
        r, t = self.cam_to_world[:3, :3], self.cam_to_world[:3, 3]
        out = np.eye(4)
        out[:3, :3] = r.T
        out[:3, 3] = -r.T @ t
        return out

    @property
    def position(self) -> np.ndarray:
        """(3,) camera centre in room coordinates (for orthographic cameras: the centre of the image plane)."""
        return self.cam_to_world[:3, 3].copy()

    @property
    def forward(self) -> np.ndarray:
        """(3,) unit viewing direction (+z of the camera frame) in room coordinates."""
        return self.cam_to_world[:3, 2].copy()

    @property
    def K(self) -> np.ndarray:  # noqa: N802 - the usual name of the intrinsic matrix
        """(3, 3) intrinsic matrix [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]."""
        return np.array([[self.fx, 0.0, self.cx], [0.0, self.fy, self.cy], [0.0, 0.0, 1.0]])

    @property
    def fovy(self) -> float:
        """Vertical field of view in radians (perspective cameras with a centred principal point)."""
        return 2.0 * math.atan(self.height / 2.0 / self.fy)

    @property
    def is_centred(self) -> bool:
        """True when the principal point is the image centre and the pixels are square."""
        return (abs(self.cx - self.width / 2) < 1e-6 and abs(self.cy - self.height / 2) < 1e-6
                and abs(self.fx - self.fy) < 1e-9 * max(self.fx, 1.0))  # fmt: skip

    def opengl_view_matrix(self) -> np.ndarray:
        """(4, 4) OpenGL view matrix (camera looks along -z, +y up)."""
        return CV_TO_GL @ self.world_to_cam

    def opengl_projection_matrix(self) -> np.ndarray:
        """(4, 4) OpenGL projection matrix reproducing this camera's pixel mapping, with row 0 of the image
        at the top (NDC y = 1 - 2 v / H) and clip range [near, far]. Not defined for equirectangular cameras."""
        if self.projection == "equirectangular":
            raise RenderError("an equirectangular camera has no projection matrix; render it from cube faces")
        w, h, n, f = self.width, self.height, self.near, self.far
        p = np.zeros((4, 4))
        p[0, 0] = 2.0 * self.fx / w
        p[1, 1] = 2.0 * self.fy / h
        if self.projection == "perspective":
            p[0, 2] = 1.0 - 2.0 * self.cx / w
            p[1, 2] = 2.0 * self.cy / h - 1.0
            p[2, 2] = -(f + n) / (f - n)
            p[2, 3] = -2.0 * f * n / (f - n)
            p[3, 2] = -1.0
        else:
            p[0, 3] = 2.0 * self.cx / w - 1.0
            p[1, 3] = 1.0 - 2.0 * self.cy / h
            p[2, 2] = -2.0 / (f - n)
            p[2, 3] = -(f + n) / (f - n)
            p[3, 3] = 1.0
        return p

    # --- geometry -----------------------------------------------------------------------------------------
    def to_camera(self, points) -> np.ndarray:
        """World points (N, 3) -> camera-frame points (N, 3)."""
        pts = np.asarray(points, dtype=float).reshape(-1, 3)
        r, t = self.cam_to_world[:3, :3], self.cam_to_world[:3, 3]
        return (pts - t) @ r

    def project(self, points) -> tuple[np.ndarray, np.ndarray]:
        """Project world points (N, 3) (or one (3,) point) to pixels.

        Returns ``(uv, depth)``: uv (N, 2) float pixel coordinates (see the pixel convention) and depth (N,)
        along the camera's +z axis (equirectangular: the range). Points behind a perspective camera (depth <= 0)
        get uv = nan.
        """
        pc = self.to_camera(points)
        x, y, z = pc[:, 0], pc[:, 1], pc[:, 2]
        if self.projection == "perspective":
            with np.errstate(divide="ignore", invalid="ignore"):
                zz = np.where(z > 1e-12, z, np.nan)
                u, v = self.fx * x / zz + self.cx, self.fy * y / zz + self.cy
        elif self.projection == "equirectangular":
            rng = np.linalg.norm(pc, axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                lat = np.arcsin(np.clip(-y / rng, -1.0, 1.0))
            u, v = self.fx * np.arctan2(x, z) + self.cx, self.cy - self.fy * lat
            return np.column_stack([u, v]), rng
        else:
            u, v = self.fx * x + self.cx, self.fy * y + self.cy
        return np.column_stack([u, v]), z.copy()

    def ray(self, uv) -> tuple[np.ndarray, np.ndarray]:
        """World rays through pixel coordinates.

        ``uv`` (2,) -> origin (3,), unit direction (3,); ``uv`` (N, 2) -> origins (N, 3), directions (N, 3).
        Use ``(j + 0.5, i + 0.5)`` for the centre of pixel (row i, column j).
        """
        arr = np.asarray(uv, dtype=float)
        single = arr.ndim == 1
        arr = arr.reshape(-1, 2)
        a = (arr[:, 0] - self.cx) / self.fx
        b = (arr[:, 1] - self.cy) / self.fy
        r, t = self.cam_to_world[:3, :3], self.cam_to_world[:3, 3]
        if self.projection == "perspective":
            d = np.column_stack([a, b, np.ones_like(a)])
            d /= np.linalg.norm(d, axis=1, keepdims=True)
            directions = d @ r.T
            origins = np.broadcast_to(t, directions.shape).copy()
        elif self.projection == "equirectangular":
            lon, lat = (arr[:, 0] - self.cx) / self.fx, (self.cy - arr[:, 1]) / self.fy
            d = np.column_stack([np.cos(lat) * np.sin(lon), -np.sin(lat), np.cos(lat) * np.cos(lon)])
            directions = d @ r.T
            origins = np.broadcast_to(t, directions.shape).copy()
        else:
            origins = np.column_stack([a, b, np.zeros_like(a)]) @ r.T + t
            directions = np.broadcast_to(r[:, 2], origins.shape).copy()
        if single:
            return origins[0], directions[0]
        return origins, directions

    def unproject(self, uv, depth) -> np.ndarray:
        """World points at pixel coordinates ``uv`` (N, 2) with depths (N,) along +z; (2,) -> (3,)."""
        arr = np.asarray(uv, dtype=float)
        single = arr.ndim == 1
        arr = arr.reshape(-1, 2)
        z = np.broadcast_to(np.asarray(depth, dtype=float).reshape(-1), (len(arr),))
        if self.projection == "equirectangular":
            origins, directions = self.ray(arr)
            world = origins + directions * z[:, None]
            return world[0] if single else world
        a = (arr[:, 0] - self.cx) / self.fx
        b = (arr[:, 1] - self.cy) / self.fy
        pc = np.column_stack([a * z, b * z, z]) if self.projection == "perspective" else np.column_stack([a, b, z])
        world = pc @ self.cam_to_world[:3, :3].T + self.cam_to_world[:3, 3]
        return world[0] if single else world

    def pixel_centers(self) -> np.ndarray:
        """(H, W, 2) float (u, v) of every pixel centre."""
        u = np.arange(self.width) + 0.5
        v = np.arange(self.height) + 0.5
        uu, vv = np.meshgrid(u, v)
        return np.stack([uu, vv], axis=-1)

    def resized(self, width: int, height: int) -> Camera:
        """The same view at another resolution (intrinsics scaled)."""
        width, height = check_image_size(width, height)
        sx, sy = width / self.width, height / self.height
        return Camera(width, height, self.fx * sx, self.fy * sy, self.cx * sx, self.cy * sy, self.cam_to_world,
                      self.projection, self.near, self.far)  # fmt: skip

    # --- serialisation ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: type, width, height, fx, fy, cx, cy, near, far, ``cam_to_world`` (OpenCV frame),
        ``cam_to_world_gl`` (the same pose in the OpenGL / Blender camera frame: +y up, -z forward) and
        ``world_to_cam``, matrices as nested row lists."""
        return {"type": self.projection, "width": self.width, "height": self.height, "fx": float(self.fx),
                "fy": float(self.fy), "cx": float(self.cx), "cy": float(self.cy), "near": float(self.near),
                "far": float(self.far), "cam_to_world": self.cam_to_world.tolist(),
                "cam_to_world_gl": (self.cam_to_world @ CV_TO_GL).tolist(),
                "world_to_cam": self.world_to_cam.tolist()}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Camera:
        """Inverse of :meth:`to_dict` (reads ``cam_to_world``, the OpenCV-frame pose)."""
        try:
            return cls(int(data["width"]), int(data["height"]), float(data["fx"]), float(data["fy"]),
                       float(data["cx"]), float(data["cy"]), np.asarray(data["cam_to_world"], dtype=float),
                       data.get("type", "perspective"), float(data.get("near", 0.02)), float(data.get("far", 60.0)))  # fmt: skip
        except (KeyError, TypeError, ValueError) as err:
            raise RenderError(f"expected a camera dict with width, height, fx, fy, cx, cy, cam_to_world; {err}") from None

