"""Videos of MuJoCo rollouts: frames from ``mujoco.Renderer`` (offscreen; ``MUJOCO_GL=egl`` is set by
``import scene_gym`` on headless machines), written with imageio.

``.gif`` needs only imageio (with Pillow); ``.mp4`` also needs the ``imageio-ffmpeg`` plugin, and raises
:class:`~scene_gym.errors.MissingDependencyError` naming it when it is missing (:func:`mp4_available`).
Frames are (H, W, 3) uint8 RGB arrays.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import mujoco
import numpy as np

from scene_gym.errors import MissingDependencyError, RenderError
from scene_gym.scene.io import atomic_write

#: pip extra that should carry imageio and imageio-ffmpeg (see the closing note of the sim issue).
VIDEO_EXTRA = "video"


def mp4_available() -> bool:
    """True when imageio and its ffmpeg plugin are importable."""
    return all(importlib.util.find_spec(m) is not None for m in ("imageio", "imageio_ffmpeg"))


class VideoRecorder:
    """Collects frames of a model and writes them as a video.

    Args:
        model: the compiled ``MjModel`` (for instance ``SimWorld.model``).
        width, height: frame size in pixels (at most the model's offscreen buffer, 640 x 480 by default).
        fps: frames per second of the written video.

    The camera is a free camera: :meth:`look_at` aims it (metres, degrees).

    Raises:
        RenderError: when the offscreen GL context cannot be made or the size is out of range.
    """

    def __init__(self, model: mujoco.MjModel, width: int = 480, height: int = 360, fps: int = 25):
        if not (16 <= width <= model.vis.global_.offwidth and 16 <= height <= model.vis.global_.offheight):
            raise RenderError(f"expected a frame size within 16 x 16 and {model.vis.global_.offwidth} x "
                              f"{model.vis.global_.offheight}, got {width} x {height}")  # fmt: skip
        if fps <= 0:
            raise RenderError(f"expected a positive fps, got {fps!r}")
        self.model, self.fps = model, int(fps)
        try:
            self.renderer = mujoco.Renderer(model, height, width)
        except Exception as err:  # noqa: BLE001 - GL platform failures come as many types
            raise RenderError(f"cannot create a MuJoCo offscreen renderer (MUJOCO_GL="
                              f"{os.environ.get('MUJOCO_GL', '')!r}): {err}") from err  # fmt: skip
        self.camera = mujoco.MjvCamera()
        self.camera.type = mujoco.mjtCamera.mjCAMERA_FREE
        self.look_at(np.asarray(model.stat.center), float(model.stat.extent) * 1.2, 135.0, -30.0)
        self.frames: list[np.ndarray] = []

    def look_at(self, point, distance: float, azimuth: float = 90.0, elevation: float = -25.0) -> None:
        """Aim the camera at ``point`` ((3,) metres) from ``distance`` metres; angles in degrees."""
        self.camera.lookat[:] = np.asarray(point, dtype=float)
        self.camera.distance = float(distance)
        self.camera.azimuth = float(azimuth)
        self.camera.elevation = float(elevation)

    def frame_part(self, world, part, distance: float = 1.8, elevation: float = -20.0) -> None:
        """Aim at a part's handle from in front of its object (``world``: a :class:`~scene_gym.sim.SimWorld`),
        turned 30 degrees so that the swing of a door shows."""
        front = world.data.xmat[world.model.body(part.object).id].reshape(3, 3)[:, 1]
        az = np.degrees(np.arctan2(-front[1], -front[0])) + 30.0
        self.look_at(world.handle_world(part), distance, az, elevation)

    def render(self, data: mujoco.MjData) -> np.ndarray:
        """One (H, W, 3) uint8 frame of ``data`` now (not stored)."""
        self.renderer.update_scene(data, self.camera)
        return self.renderer.render().copy()

    def capture(self, data: mujoco.MjData) -> None:
        """Render ``data`` now and keep the frame."""
        self.frames.append(self.render(data))

    def save(self, path: str | Path) -> Path:
        """Write the frames to ``path`` (``.mp4`` or ``.gif``) atomically and return it.

        Raises:
            MissingDependencyError: imageio missing, or imageio-ffmpeg missing for ``.mp4``.
            RenderError: no frames, or an unsupported suffix.
        """
        return write_video(path, self.frames, self.fps)

    def close(self) -> None:
        """Free the GL context."""
        self.renderer.close()


def write_video(path: str | Path, frames: list[np.ndarray], fps: int = 25) -> Path:
    """Write (H, W, 3) uint8 ``frames`` to ``path`` (``.mp4`` needs imageio-ffmpeg; ``.gif`` imageio)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".mp4", ".gif"):
        raise RenderError(f"expected a video path ending in .mp4 or .gif, got {str(path)!r}")
    if not frames:
        raise RenderError(f"expected at least one frame to write to {str(path)!r}, got none")
    if importlib.util.find_spec("imageio") is None:
        raise MissingDependencyError("imageio", VIDEO_EXTRA, "writing videos")
    import imageio.v3 as iio

    stack = np.stack([np.asarray(f, dtype=np.uint8) for f in frames])
    if suffix == ".gif":
        return atomic_write(path, iio.imwrite("<bytes>", stack, extension=".gif", duration=1000.0 / fps, loop=0))
    if not mp4_available():
        raise MissingDependencyError("imageio_ffmpeg", VIDEO_EXTRA, "writing .mp4 videos (write a .gif instead)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".mp4", dir=path.parent)
    os.close(fd)
    try:
        iio.imwrite(tmp, stack, fps=fps, plugin="FFMPEG", macro_block_size=1)
        return atomic_write(path, Path(tmp).read_bytes())
    finally:
        Path(tmp).unlink(missing_ok=True)


__all__ = ["VIDEO_EXTRA", "VideoRecorder", "mp4_available", "write_video"]
