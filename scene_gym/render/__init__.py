"""Rendering: one camera model, standard views, and three backends behind one interface.

- :class:`Camera` (``camera.py``): intrinsics, extrinsics, ``project`` (points -> pixels + depth), ``ray``
  (pixels -> rays), ``unproject``; pixel centres at +0.5, origin top-left, +u right, +v down.
- :func:`render` (one camera) and :func:`render_views` (the standard views of ``views.py``) return
  :class:`RenderResult`: rgb (H, W, 3) uint8, depth (H, W) float32 metres along the camera's +z axis,
  segmentation (H, W) int32 index into ``scene.objects`` (-1 for room and background), and the camera.
- Backends: ``"tiny"`` (pybullet TinyRenderer, CPU, the default), ``"mujoco"`` (MuJoCo offscreen, EGL),
  ``"blender"`` (Cycles in a subprocess; colour from Blender, depth and segmentation from ``tiny``).

Backend instances hold a renderer (a pybullet client, GL contexts) and cache the last scene; :func:`render`
reuses one per backend per process. Use :func:`get_backend` or :class:`Renderer` for one of your own.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterable

import numpy as np

from scene_gym.errors import RenderError
from scene_gym.render.camera import MAX_IMAGE_SIZE, Camera, check_image_size
from scene_gym.render.result import RenderResult

# MuJoCo chooses its GL platform when first imported (by any module); headless EGL is the default we want.
os.environ.setdefault("MUJOCO_GL", "egl")

BACKENDS = ("tiny", "mujoco", "blender")
_SHARED: dict[str, object] = {}


def get_backend(name: str = "tiny", **options):
    """A new backend instance by name: ``"tiny"``, ``"mujoco"`` or ``"blender"`` (``options`` go to its
    constructor). Unknown names raise :class:`RenderError`; a missing library raises
    :class:`~scene_gym.errors.MissingDependencyError` naming the pip extra."""
    if name == "tiny":
        from scene_gym.render.backends.tiny import TinyBackend

        return TinyBackend(**options)
    if name == "mujoco":
        from scene_gym.render.backends.mujoco import MujocoBackend

        return MujocoBackend(**options)
    if name == "blender":
        from scene_gym.render.backends.blender import BlenderBackend

        return BlenderBackend(**options)
    raise RenderError(f"expected a backend in {list(BACKENDS)}, got {name!r}")


@atexit.register
def _close_shared() -> None:
    # Free GL contexts and pybullet clients before the interpreter tears their libraries down.
    for backend in _SHARED.values():
        try:
            backend.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
    _SHARED.clear()


def _shared(name: str):
    if name not in BACKENDS:
        raise RenderError(f"expected a backend in {list(BACKENDS)}, got {name!r}")
    if name not in _SHARED:
        _SHARED[name] = get_backend(name)
    return _SHARED[name]


class Renderer:
    """A backend instance with the view helpers; one per environment keeps caches warm.

    Example::

        with Renderer("tiny") as r:
            views = r.views(scene, "topdown,corners", size=(128, 128))
    """

    def __init__(self, backend: str = "tiny", **options):
        self.backend_name = backend
        self.backend = get_backend(backend, **options)

    def render(self, scene, camera: Camera, *, check: bool = True) -> RenderResult:
        """Render one camera (equirectangular cameras are composed from cube faces)."""
        return _render_with(self.backend, scene, camera, check=check)

    def views(self, scene, views: str | Iterable[str] = "all", size=(256, 256), *, rng: np.random.Generator | None = None,
              receptacle: str | None = None, overlays: bool = True) -> dict[str, RenderResult]:
        """The named standard views (see :mod:`scene_gym.render.views`)."""
        return _views_with(self.backend, scene, views, size, rng=rng, receptacle=receptacle, overlays=overlays)

    def close(self) -> None:
        """Free the backend's resources."""
        self.backend.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def render(scene, camera: Camera, *, backend: str = "tiny", check: bool = True) -> RenderResult:
    """Render ``scene`` through ``camera`` with ``backend`` (a shared instance per process).

    ``check`` rejects perspective cameras outside the room or inside furniture with :class:`RenderError`.
    """
    if not isinstance(camera, Camera):
        raise RenderError(f"expected a scene_gym.render.Camera, got {type(camera).__name__}")
    return _render_with(_shared(backend), scene, camera, check=check)


def render_views(scene, views: str | Iterable[str] = "all", size=(256, 256), backend: str = "tiny", *,
                 rng: np.random.Generator | None = None, receptacle: str | None = None,
                 overlays: bool = True) -> dict[str, RenderResult]:
    """Render the standard views named by ``views`` (``"all"``, groups or names; see
    :func:`scene_gym.render.views.view_names`) at ``size`` = (width, height); returns name -> result.

    ``rng`` draws the close-up camera (default: a generator seeded 0); ``receptacle`` picks its object.
    ``overlays`` draws the grid and the ids on the top-down views (``meta["rgb_raw"]`` keeps the plain image).
    """
    return _views_with(_shared(backend), scene, views, size, rng=rng, receptacle=receptacle, overlays=overlays)


def _render_with(backend, scene, camera: Camera, *, check: bool = True) -> RenderResult:
    if camera.projection == "equirectangular":
        from scene_gym.render.result import check_camera_placement
        from scene_gym.render.views import render_equirectangular

        if check:
            from scene_gym.render.geometry import object_primitives

            face = Camera.look_at(camera.position, camera.position + camera.forward, width=8, height=8)
            prims = [p for i, o in enumerate(scene.objects) for p in object_primitives(o, i)]
            check_camera_placement(scene, face, prims)
        return render_equirectangular(_faces_renderer(backend), scene, camera)
    return backend.render(scene, camera, check=check)


def _faces_renderer(backend):
    """``(scene, cameras) -> results``: the backend's batch renderer where it has one (one Blender run for six
    cube faces), else one render per camera."""
    many = getattr(backend, "render_many", None)
    if many is not None:
        return many
    return lambda scene, cams: [backend.render(scene, c, check=False) for c in cams]


def _views_with(backend, scene, views, size, *, rng=None, receptacle=None, overlays=True) -> dict[str, RenderResult]:
    from scene_gym.render.sheet import draw_grid, draw_ids
    from scene_gym.render.views import view_cameras, view_names

    try:
        width, height = (int(size), int(size)) if np.isscalar(size) else tuple(size)
    except (TypeError, ValueError):
        raise RenderError(f"expected size as (width, height) pixels, got {size!r}") from None
    check_image_size(width, height)
    names = view_names(scene, views)
    cams = view_cameras(scene, names, (width, height), rng=rng, receptacle=receptacle)
    out: dict[str, RenderResult] = {}
    plain = []
    for n in names:
        if cams[n][0].projection != "equirectangular" and all(cams[n][0] is not cams[m][0] for m in plain):
            plain.append(n)
    # One render per distinct camera (the two top-down views share one), batched where the backend can.
    by_cam = {id(cams[n][0]): r for n, r in zip(plain, _faces_renderer(backend)(scene, [cams[n][0] for n in plain]),
                                                  strict=True)}  # fmt: skip
    for name in names:
        cam, meta = cams[name]
        base = by_cam.get(id(cam))
        if base is None:
            res = _render_with(backend, scene, cam, check=False)
        else:
            res = RenderResult(base.rgb, base.depth, base.segmentation, cam, base.backend, base.object_ids,
                               dict(base.meta))  # fmt: skip
        res.meta.update(meta)
        if overlays and meta.get("overlay"):
            res.meta["rgb_raw"] = res.rgb
            if meta["overlay"] == "grid":
                res.rgb = draw_grid(res.rgb, cam, scene.room.bounds)
            else:
                res.rgb = draw_ids(res.rgb, cam, scene)
        out[name] = res
    return out


__all__ = ["BACKENDS", "MAX_IMAGE_SIZE", "Camera", "RenderResult", "Renderer", "get_backend", "render",
           "render_views"]  # fmt: skip
