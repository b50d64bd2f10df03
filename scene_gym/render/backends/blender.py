"""The ``blender`` backend: Cycles (CPU) images for final renders and the leaderboard, not for every step.

Each camera is rendered by the standalone script of :func:`scene_gym.export.blender.blender_script`, run as
a subprocess of this Python (``sys.executable``, which must have the ``bpy`` module: the ``blender`` extra),
with the :class:`~scene_gym.render.camera.Camera` passed in as the script's camera (``Camera.to_dict``). A
crash or a timeout of Blender raises :class:`RenderError`; the calling process never goes down with it.

Colour comes from Blender. Depth and segmentation come from the ``tiny`` backend with the same camera and the
same geometry (Cycles writes no instance ids or linear depth to a PNG), so all three buffers of a result
line up pixel for pixel.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from scene_gym.errors import MissingDependencyError, RenderError
from scene_gym.render.camera import Camera
from scene_gym.render.result import RenderResult, empty_check


class BlenderBackend:
    """Renders through Blender subprocesses.

    Args:
        samples: Cycles samples per pixel.
        timeout: seconds one Blender run may take before it is killed.
        jobs: Blender runs at a time for a batch (each run uses several threads).
    """

    name = "blender"

    def __init__(self, samples: int = 16, timeout: float = 600.0, jobs: int = 2):
        if importlib.util.find_spec("bpy") is None:
            raise MissingDependencyError("bpy", "blender", "the blender renderer")
        if int(samples) < 1:
            raise RenderError(f"expected at least 1 Cycles sample, got {samples!r}")
        self.samples = int(samples)
        self.timeout = float(timeout)
        self.jobs = max(1, int(jobs))
        self._geometry = None

    def _geo(self):
        if self._geometry is None:
            from scene_gym.render.backends.tiny import TinyBackend

            self._geometry = TinyBackend()
        return self._geometry

    def render(self, scene, camera: Camera, *, check: bool = True) -> RenderResult:
        """Render one camera (``check`` as in the tiny backend)."""
        return self.render_many(scene, [camera], check=check)[0]

    def render_many(self, scene, cameras: list[Camera], *, check: bool = False) -> list[RenderResult]:
        """Render several cameras of one scene, ``jobs`` Blender processes at a time."""
        from scene_gym.export.blender import blender_script

        geo = [self._geo().render(scene, cam, check=check) for cam in cameras]  # validates cameras first
        for cam in cameras:
            if cam.projection == "equirectangular":
                raise RenderError("render an equirectangular camera through scene_gym.render.render (cube faces)")
            if abs(cam.fx - cam.fy) > 1e-6 * cam.fx:
                raise RenderError(f"the blender backend needs square pixels, got fx={cam.fx}, fy={cam.fy}")
        with tempfile.TemporaryDirectory(prefix="scene_gym_blender_") as tmp:
            runs = []
            for k, cam in enumerate(cameras):
                png = Path(tmp) / f"view_{k}.png"
                script = Path(tmp) / f"view_{k}.py"
                script.write_text(blender_script(scene, render_path=str(png), resolution=(cam.width, cam.height),
                                                 samples=self.samples, camera=cam.to_dict()))  # fmt: skip
                runs.append((script, png))
            self._run_all(runs)
            rgbs = []
            for (script, png), cam in zip(runs, cameras, strict=True):
                try:
                    with Image.open(png) as im:
                        rgb = np.asarray(im.convert("RGB"), dtype=np.uint8)
                except OSError as err:
                    raise RenderError(f"Blender wrote no readable image for {script.name}: {err}") from None
                if rgb.shape[:2] != (cam.height, cam.width):
                    raise RenderError(f"Blender wrote a {rgb.shape[1]}x{rgb.shape[0]} image for a {cam.width}x{cam.height} camera")
                rgbs.append(np.ascontiguousarray(rgb))
        out = []
        for rgb, g, cam in zip(rgbs, geo, cameras, strict=True):
            empty_check(rgb, g.depth, g.segmentation, cam)
            out.append(RenderResult(rgb, g.depth, g.segmentation, cam, self.name, g.object_ids,
                                    {"samples": self.samples, "buffers_from": "tiny"}))  # fmt: skip
        return out

    def _run_all(self, runs) -> None:
        env = dict(os.environ)
        pending = list(runs)
        active: list[tuple[subprocess.Popen, Path]] = []
        try:
            while pending or active:
                while pending and len(active) < self.jobs:
                    script, _ = pending.pop(0)
                    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, env=env, cwd=script.parent)  # fmt: skip
                    active.append((proc, script))
                proc, script = active.pop(0)
                try:
                    log, _ = proc.communicate(timeout=self.timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.communicate()
                    raise RenderError(f"Blender took longer than {self.timeout:.0f} s on {script.name}") from None
                if proc.returncode != 0:
                    tail = log.decode(errors="replace")[-1500:]
                    raise RenderError(f"Blender failed on {script.name} (exit {proc.returncode}):\n{tail}")
        finally:
            for proc, _ in active:
                if proc.poll() is None:
                    proc.kill()
                    proc.communicate()

    def close(self) -> None:
        """Free the tiny renderer used for depth and segmentation."""
        if self._geometry is not None:
            self._geometry.close()
            self._geometry = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
