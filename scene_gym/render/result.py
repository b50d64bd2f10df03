"""What every render returns, and the checks every backend shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scene_gym.errors import RenderError
from scene_gym.render.camera import Camera
from scene_gym.render.geometry import Primitive, point_inside


@dataclass(eq=False)
class RenderResult:
    """One rendered view.

    Attributes:
        rgb: (H, W, 3) uint8 colour image, row 0 at the top.
        depth: (H, W) float32 distance along the camera's +z axis in metres (not along the ray); ``inf`` where
            nothing was hit (beyond ``camera.far``).
        segmentation: (H, W) int32 index into ``scene.objects`` of the object seen at each pixel; -1 for the
            room (floor, walls) and the background.
        camera: the camera that made it (intrinsics and extrinsics: pixels map to rays, points to pixels).
        backend: name of the backend that rendered it.
        object_ids: ``scene.objects[i].id`` for each index i, so segmentation indices stay readable.
        meta: extra per-view data (e.g. the chosen receptacle of a close-up).
    """

    rgb: np.ndarray
    depth: np.ndarray
    segmentation: np.ndarray
    camera: Camera
    backend: str
    object_ids: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        """(H, W)."""
        return self.rgb.shape[:2]

    def mask(self, object_id: str) -> np.ndarray:
        """(H, W) bool mask of one object by id."""
        return self.segmentation == self.object_ids.index(object_id)

    def centroid(self, index: int) -> np.ndarray | None:
        """(2,) mean (u, v) pixel-centre coordinates of object ``index``'s mask, or None if it is not visible."""
        rows, cols = np.nonzero(self.segmentation == index)
        if len(rows) == 0:
            return None
        return np.array([cols.mean() + 0.5, rows.mean() + 0.5])


def check_camera_placement(scene, camera: Camera, primitives: list[Primitive]) -> None:
    """Raise :class:`RenderError` for a perspective camera outside the room or inside an object.

    Orthographic cameras are exempt: they look at the room from above by design (there is no ceiling).
    """
    if camera.projection != "perspective":
        return
    eye = camera.position
    room = scene.room
    if not bool(room.contains(eye[None, :2])[0]) or not 0.0 < eye[2] < room.wall_height:
        w, d = room.bounds
        raise RenderError(
            f"expected the camera inside the room (floor polygon within [0, {w:.2f}] x [0, {d:.2f}] m, "
            f"height in (0, {room.wall_height}) m), got eye at ({eye[0]:.3f}, {eye[1]:.3f}, {eye[2]:.3f})"
        )
    for prim in primitives:
        if prim.object_index >= 0 and point_inside(prim, eye, margin=1e-4):
            oid = prim.name.split("/", 1)[0]
            raise RenderError(f"expected the camera outside furniture, got eye at {tuple(round(float(v), 3) for v in eye)} "
                              f"inside {oid!r} (part {prim.name!r})")  # fmt: skip


def empty_check(rgb: np.ndarray, depth: np.ndarray, seg: np.ndarray, camera: Camera) -> None:
    """Shape and dtype guard every backend runs on its output (a bug here is ours, not the caller's)."""
    h, w = camera.height, camera.width
    if rgb.shape != (h, w, 3) or rgb.dtype != np.uint8 or depth.shape != (h, w) or depth.dtype != np.float32 \
            or seg.shape != (h, w) or seg.dtype != np.int32:  # fmt: skip
        raise RenderError(f"backend returned rgb {rgb.shape} {rgb.dtype}, depth {depth.shape} {depth.dtype}, "
                          f"segmentation {seg.shape} {seg.dtype} for a {w}x{h} camera")  # fmt: skip
