"""The ``mujoco`` backend: MuJoCo's offscreen OpenGL renderer (``MUJOCO_GL=egl``; a GPU where one exists,
Mesa's software rasteriser otherwise).

The model comes from :func:`scene_gym.export.mjcf.build_spec` (one body per object, named by its id; geoms
``<id>/<part>`` coloured from their materials), plus one fixed camera ``render_camera`` whose pose, field of
view and projection are set from the :class:`~scene_gym.render.camera.Camera` before each render. Depth and
segmentation use ``mujoco.Renderer``'s depth and segmentation modes; geom ids map to scene-object indices
through each geom's root body.
"""

from __future__ import annotations

import math
import os

import numpy as np

from scene_gym.errors import MissingDependencyError, RenderError, SceneGymError
from scene_gym.render.camera import CV_TO_GL, Camera
from scene_gym.render.geometry import object_primitives
from scene_gym.render.result import RenderResult, check_camera_placement, empty_check

CAMERA_NAME = "render_camera"
#: Colour of pixels where no geometry is seen (TinyRenderer's clear colour).
BACKGROUND = (255, 255, 255)


def _import_mujoco():
    # MuJoCo picks its GL platform when first imported; offscreen EGL works headless (with or without a GPU).
    os.environ.setdefault("MUJOCO_GL", "egl")
    try:
        import mujoco
    except ImportError:  # pragma: no cover - mujoco is a core dependency
        raise MissingDependencyError("mujoco", "core", "the mujoco renderer") from None
    return mujoco


class MujocoBackend:
    """A MuJoCo offscreen renderer with the compiled model of the last scene cached. Call :meth:`close` to free
    the GL contexts."""

    name = "mujoco"

    def __init__(self):
        self._mj = _import_mujoco()
        self._records = None
        self._model = None
        self._data = None
        self._renderers: dict[tuple[int, int], object] = {}
        self._geom_index = np.zeros(0, dtype=np.int32)

    def _sync(self, scene) -> None:
        records = (scene.room, tuple(scene.objects))
        if self._records is not None and self._records == records:
            return
        mj = self._mj
        from scene_gym.export.mjcf import build_spec, compile_spec

        try:
            spec = build_spec(scene, free_small_objects=False)
        except SceneGymError:
            raise
        except ValueError as err:
            raise RenderError(f"cannot build the MuJoCo model of this scene: {err}") from err
        spec.worldbody.add_camera(name=CAMERA_NAME, pos=[0.0, 0.0, 1.0])
        spec.visual.headlight.ambient = [0.45, 0.45, 0.45]
        spec.visual.headlight.diffuse = [0.45, 0.45, 0.45]
        spec.visual.headlight.specular = [0.05, 0.05, 0.05]
        spec.visual.quality.shadowsize = 0
        model = compile_spec(spec)
        self.close_renderers()
        self._model = model
        self._data = mj.MjData(model)
        mj.mj_forward(model, self._data)
        self._cam_id = mj.mj_name2id(model, mj.mjtObj.mjOBJ_CAMERA, CAMERA_NAME)
        id_to_index = {o.id: i for i, o in enumerate(scene.objects)}
        root = np.arange(model.nbody)
        parent = model.body_parentid
        for b in range(model.nbody):  # walk each body up to the child of the world
            r = b
            while r > 0 and parent[r] != 0:
                r = parent[r]
            root[b] = r
        body_index = np.array([id_to_index.get(model.body(int(root[b])).name, -1) if root[b] > 0 else -1
                               for b in range(model.nbody)], dtype=np.int32)  # fmt: skip
        self._geom_index = body_index[model.geom_bodyid]
        self._records = records

    def _renderer(self, width: int, height: int):
        key = (width, height)
        r = self._renderers.get(key)
        if r is None:
            if len(self._renderers) >= 4:
                self.close_renderers()
            vis = self._model.vis.global_
            vis.offwidth, vis.offheight = max(vis.offwidth, width), max(vis.offheight, height)
            try:
                r = self._mj.Renderer(self._model, height, width)
            except Exception as err:  # noqa: BLE001 - GL platform failures come as many types
                raise RenderError(
                    f"MuJoCo could not open an offscreen GL context ({type(err).__name__}: {err}); set "
                    "MUJOCO_GL=egl before anything imports mujoco and install libegl1, libgl1-mesa-dri, libegl-mesa0"
                ) from err
            self._renderers[key] = r
        return r

    def _place_camera(self, camera: Camera) -> None:
        m, cid = self._model, self._cam_id
        pose_gl = camera.cam_to_world @ CV_TO_GL  # MuJoCo cameras look along -z with +y up, as OpenGL's
        from scene_gym.assets.transforms import matrix_quat

        m.cam_pos[cid] = pose_gl[:3, 3]
        m.cam_quat[cid] = matrix_quat(pose_gl[:3, :3])
        ortho = camera.projection == "orthographic"
        m.cam_projection[cid] = 1 if ortho else 0
        if camera.is_centred:
            m.cam_sensorsize[cid] = (0.0, 0.0)
            m.cam_fovy[cid] = camera.height / camera.fy if ortho else math.degrees(camera.fovy)
        else:
            if ortho:
                raise RenderError("the mujoco backend needs a centred orthographic camera (cx = W/2, cy = H/2, fx = fy)")
            # Intrinsics in "pixel" length units: a sensor of W x H units, focal lengths fx, fy, and the principal
            # point as MuJoCo's offset from the image centre (both signs measured against our +u right, +v down).
            m.cam_sensorsize[cid] = (camera.width, camera.height)
            m.cam_intrinsic[cid] = (camera.fx, camera.fy, camera.width / 2 - camera.cx, camera.height / 2 - camera.cy)
            m.cam_resolution[cid] = (camera.width, camera.height)
        extent = m.stat.extent
        m.vis.map.znear = camera.near / extent
        m.vis.map.zfar = camera.far / extent
        self._mj.mj_kinematics(m, self._data)
        self._mj.mj_camlight(m, self._data)

    def render(self, scene, camera: Camera, *, check: bool = True) -> RenderResult:
        """Render ``scene`` through ``camera``; ``check`` as in the tiny backend."""
        self._sync(scene)
        if check:
            prims = [p for i, o in enumerate(scene.objects) for p in object_primitives(o, i)]
            check_camera_placement(scene, camera, prims)
        self._place_camera(camera)
        r = self._renderer(camera.width, camera.height)
        r.update_scene(self._data, camera=self._cam_id)
        rgb = np.ascontiguousarray(r.render())
        r.enable_depth_rendering()
        depth = np.asarray(r.render(), dtype=np.float32)
        r.disable_depth_rendering()
        r.enable_segmentation_rendering()
        seg_raw = r.render()
        r.disable_segmentation_rendering()
        objid, objtype = seg_raw[:, :, 0], seg_raw[:, :, 1]
        is_geom = (objtype == int(self._mj.mjtObj.mjOBJ_GEOM)) & (objid >= 0)
        lut = self._geom_index
        seg = np.where(is_geom, lut[np.clip(objid, 0, max(len(lut) - 1, 0))], -1).astype(np.int32)
        depth = np.where(objid < 0, np.float32(np.inf), depth).astype(np.float32)
        rgb[objid < 0] = BACKGROUND  # the tiny backend's background, so views look alike across backends
        empty_check(rgb, depth, seg, camera)
        return RenderResult(rgb, depth, seg, camera, self.name, tuple(o.id for o in scene.objects))

    def close_renderers(self) -> None:
        """Free the GL contexts of every cached renderer."""
        for r in self._renderers.values():
            try:
                r.close()
            except Exception:  # noqa: BLE001 - closing at exit may find GL gone
                pass
        self._renderers.clear()

    def close(self) -> None:
        """Free GL contexts and the cached model."""
        self.close_renderers()
        self._model = self._data = self._records = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close_renderers()
