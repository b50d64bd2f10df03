"""The standard views of a scene (3D-Generalist's multi-view representation) and the cameras behind them.

========================  ==================================================================================
view name                 camera
========================  ==================================================================================
``topdown``               orthographic, straight down over the room, north up; a metric x-y grid with
                          labelled ticks is drawn on the image
``topdown_ids``           the same camera; each object's id is written at its position
``corner_<i>``            perspective (70 degree vertical field of view) from just inside floor corner ``i`` at
                          eye height (1.6 m), looking at the room centre 0.6 m above the floor
``panorama``              equirectangular (2:1) from the room centre at eye height, composed from six cube-face
                          renders; image centre looks north
``closeup``               perspective at a receptacle (an object with support surfaces) from a camera sampled
                          on a hemisphere over its main surface with the caller's ``numpy.random.Generator``
========================  ==================================================================================

View groups for :func:`view_names`: ``all``, ``topdown`` (both top-down views), ``corners``, ``panorama``,
``closeup``, or any single view name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from scene_gym.errors import RenderError
from scene_gym.render.camera import Camera, check_image_size
from scene_gym.render.geometry import object_primitives, point_inside
from scene_gym.render.result import RenderResult
from scene_gym.scene.geometry import look_at_pose

EYE_HEIGHT = 1.6
CORNER_FOVY = math.radians(70.0)
CORNER_TARGET_Z = 0.6
CORNER_INSET = 0.25
#: A corner camera needs this much free line of sight towards the room centre, metres.
CORNER_CLEAR_VIEW = 1.0
CLOSEUP_FOVY = math.radians(55.0)
VIEW_GROUPS = ("all", "topdown", "corners", "panorama", "closeup")


def view_names(scene, views: str | Iterable[str] = "all") -> list[str]:
    """Expand a view spec (``"all"``, a comma-separated string, or a list of names and groups) into view names."""
    if isinstance(views, str):
        views = [v.strip() for v in views.split(",") if v.strip()]
    corners = [f"corner_{i}" for i in range(len(scene.room.floor))]
    known = ["topdown", "topdown_ids", *corners, "panorama", "closeup"]
    out: list[str] = []
    for v in views:
        if v == "all":
            names = known
        elif v == "topdown":
            names = ["topdown", "topdown_ids"]
        elif v == "corners":
            names = corners
        elif v in known:
            names = [v]
        else:
            raise RenderError(f"expected a view name or group among {[*VIEW_GROUPS, *known[1:]]}, got {v!r}")
        out.extend(n for n in names if n not in out)
    if not out:
        raise RenderError(f"expected at least one view, got {views!r}")
    return out


# --- cameras -----------------------------------------------------------------------------------------------
def topdown_camera(scene, width: int = 256, height: int = 256, margin: float = 0.12) -> Camera:
    """The orthographic top-down camera framing the room's bounding box plus ``margin`` on each side."""
    w, d = scene.room.bounds
    return Camera.top_down((w / 2, d / 2), (w, d), width=width, height=height, z=scene.room.wall_height + 2.0,
                           margin=margin)  # fmt: skip


def _free(scene, eye: np.ndarray, prims) -> bool:
    """Whether ``eye`` is inside the room and outside every object's bounding box (a hollow wardrobe counts as
    solid: a camera between its shelves sees nothing) and every part."""
    if not bool(scene.room.contains(eye[None, :2])[0]):
        return False
    for obj in scene.objects:
        local = np.linalg.inv(obj.transform()) @ np.append(eye, 1.0)
        w, d, h = obj.size
        if abs(local[0]) < w / 2 and abs(local[1]) < d / 2 and 0.0 < local[2] < h:
            return False
    return not any(point_inside(p, eye) for p in prims)


def corner_cameras(scene, width: int = 256, height: int = 256) -> list[Camera]:
    """One perspective camera per floor corner at eye height, looking at the room centre. A corner camera
    inside furniture, or with furniture right in front of it (within :data:`CORNER_CLEAR_VIEW` along its line of
    sight), slides towards the centre until it is free; if no spot is, the corner's own spot is kept."""
    room = scene.room
    pts = room.polygon
    n = len(pts)
    cx, cy = room.center
    target = np.array([cx, cy, CORNER_TARGET_Z])
    prims = [p for i, o in enumerate(scene.objects) for p in object_primitives(o, i)]
    cams = []
    for i in range(n):
        bisector = room.wall_normal(i) + room.wall_normal((i - 1) % n)
        bisector /= max(np.linalg.norm(bisector), 1e-9)
        eye = np.array([*(pts[i] + bisector * CORNER_INSET * math.sqrt(2)), EYE_HEIGHT])
        start = eye.copy()
        chosen = None
        for t in np.linspace(0.0, 0.9, 19):
            eye = start + (target - start) * np.array([t, t, 0.0])
            if not _free(scene, eye, prims):
                continue
            chosen = chosen if chosen is not None else eye  # first free spot, the fallback
            sight = target - eye
            near = eye + sight * min(1.0, CORNER_CLEAR_VIEW / max(np.linalg.norm(sight), 1e-9))
            if not _blocked(prims, eye, near, set()):
                chosen = eye
                break
        eye = chosen if chosen is not None else start
        cams.append(Camera.look_at(eye, target, width=width, height=height, fovy=CORNER_FOVY))
    return cams


def cube_face_cameras(position, size: int) -> list[Camera]:
    """Six 90-degree square cameras at ``position`` (+X, -X, +Y, -Y, +Z, -Z)."""
    pos = np.asarray(position, dtype=float)
    dirs = [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)]
    ups = [(0, 0, 1)] * 4 + [(0, 1, 0), (0, 1, 0)]
    return [Camera(size, size, size / 2, size / 2, size / 2, size / 2,
                   look_at_pose(pos, pos + np.asarray(d, dtype=float), up), "perspective", 0.02, 60.0)
            for d, up in zip(dirs, ups, strict=True)]  # fmt: skip


def panorama_camera(scene, width: int = 512, height: int = 256) -> Camera:
    """The equirectangular camera at the room centre at eye height (image centre facing north)."""
    cx, cy = scene.room.center
    return Camera.equirectangular((cx, cy, min(EYE_HEIGHT, scene.room.wall_height * 0.6)), width=width,
                                  height=height)  # fmt: skip


#: Shortest side of a support surface that counts as a receptacle for close-ups, metres.
MIN_RECEPTACLE_SIDE = 0.2


def receptacles(scene) -> list[tuple[int, object]]:
    """(object index, main support surface) of every receptacle: an object with a support surface open above
    (a table top, a bed); the main surface is its largest open one. Objects whose only surfaces are inside
    (shelves, drawers) count only when no object has an open surface. Small manipulable objects (a speaker, a
    tray) and surfaces under :data:`MIN_RECEPTACLE_SIDE` on a side are not receptacles."""
    from scene_gym.assets import build_asset, get_factory

    open_, closed = [], []
    for i, obj in enumerate(scene.objects):
        if get_factory(obj.category).small:
            continue
        asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
        usable = [s for s in asset.surfaces if min(s.size) >= MIN_RECEPTACLE_SIDE]
        if not usable:
            continue
        best = max(usable, key=lambda s: (math.isinf(s.clearance), s.area))
        (open_ if math.isinf(best.clearance) else closed).append((i, best))
    return open_ or closed


def _blocked(prims, eye: np.ndarray, target: np.ndarray, skip: set[int]) -> bool:
    """Whether the segment eye -> target passes through a part (its oriented box) of an object not in ``skip``."""
    d = target - eye
    for p in prims:
        if p.object_index in skip:
            continue
        r, c = p.pose[:3, :3], p.pose[:3, 3]
        o, v = (eye - c) @ r, d @ r  # segment in the part's frame
        half = np.asarray(p.size) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            t1, t2 = (-half - o) / v, (half - o) / v
        lo = np.where(np.abs(v) < 1e-12, np.where(np.abs(o) <= half, -np.inf, np.inf), np.minimum(t1, t2))
        hi = np.where(np.abs(v) < 1e-12, np.where(np.abs(o) <= half, np.inf, -np.inf), np.maximum(t1, t2))
        t_in, t_out = max(lo.max(), 0.0), min(hi.min(), 0.98)
        if t_in < t_out:
            return True
    return False


def closeup_camera(scene, rng: np.random.Generator, *, receptacle: str | None = None, width: int = 256,
                   height: int = 256, tries: int = 64) -> tuple[Camera, dict]:
    """A camera looking at a receptacle's main support surface from a point sampled on a hemisphere over it.

    The receptacle is ``receptacle`` (an object id) or one drawn with ``rng`` among :func:`receptacles`.
    Elevation is drawn in [30, 75] degrees, azimuth in [0, 360), radius so the surface fills about two
    thirds of the view; samples outside the room, inside furniture or with other furniture between the camera
    and the surface are redrawn (up to ``tries``).
    Returns the camera and ``{"receptacle": id, "surface": name, "surface_center": [x, y, z]}``.
    """
    if not isinstance(rng, np.random.Generator):
        raise RenderError(f"expected a numpy.random.Generator for the close-up camera, got {type(rng).__name__}")
    cands = receptacles(scene)
    if receptacle is not None:
        cands = [c for c in cands if scene.objects[c[0]].id == receptacle]
        if not cands:
            scene.get(receptacle)  # unknown ids raise naming the known ones
            raise RenderError(f"expected an object with support surfaces for the close-up, got {receptacle!r}")
    if not cands:
        raise RenderError("expected at least one object with support surfaces (a receptacle) for the close-up view")
    index, surface = cands[int(rng.integers(len(cands)))]
    obj = scene.objects[index]
    center = (obj.transform() @ np.append(np.asarray(surface.center, dtype=float), 1.0))[:3]
    half_diag = 0.5 * math.hypot(*surface.size)
    radius = max(0.5, 1.5 * half_diag / math.tan(CLOSEUP_FOVY / 2))
    prims = [p for i, o in enumerate(scene.objects) for p in object_primitives(o, i)]
    # The receptacle's own parts and what rests on it may stand in the way; other furniture may not.
    ids = {obj.id, *(o.id for o in scene.descendants(obj.id))}
    skip = {i for i, o in enumerate(scene.objects) if o.id in ids}
    h = scene.room.wall_height
    for _ in range(tries):
        elev = math.radians(rng.uniform(30.0, 75.0))
        azim = rng.uniform(0.0, 2 * math.pi)
        r = radius * rng.uniform(0.9, 1.1)
        eye = center + r * np.array([math.cos(elev) * math.cos(azim), math.cos(elev) * math.sin(azim), math.sin(elev)])
        if not 0.05 < eye[2] < h - 0.05:
            # Too high for the room: come closer along the same direction.
            scale = (h - 0.1 - center[2]) / max(eye[2] - center[2], 1e-6)
            eye = center + (eye - center) * max(min(scale, 1.0), 0.0)
        if np.linalg.norm(eye - center) < 0.3 or not _free(scene, eye, prims) or not 0.05 < eye[2] < h - 0.05:
            continue
        if _blocked(prims, eye, center, skip):
            continue  # something stands between the camera and the surface
        cam = Camera.look_at(eye, center, width=width, height=height, fovy=CLOSEUP_FOVY)
        return cam, {"receptacle": obj.id, "surface": surface.name, "surface_center": center.tolist()}
    raise RenderError(f"no free camera position found around {obj.id!r} in {tries} samples; the receptacle "
                      "is boxed in by walls or furniture")  # fmt: skip


# --- composition ---------------------------------------------------------------------------------------------
def render_equirectangular(render_faces, scene, camera: Camera) -> RenderResult:
    """Compose an equirectangular render from six cube-face renders made by ``render_faces(scene, cams)``.

    Every panorama pixel takes the nearest pixel of the face its ray hits; depth is the range (distance from
    the camera centre), converted from each face's z-depth.
    """
    face = max(16, int(math.ceil(camera.width / 4)) + 2)
    faces = cube_face_cameras(camera.position, face)
    renders = list(render_faces(scene, faces))
    origin, dirs = camera.ray(camera.pixel_centers().reshape(-1, 2))
    h, w = camera.height, camera.width
    rgb = np.zeros((h * w, 3), dtype=np.uint8)
    depth = np.full(h * w, np.inf, dtype=np.float32)
    seg = np.full(h * w, -1, dtype=np.int32)
    axes = np.array([f.forward for f in faces])  # (6, 3)
    which = np.argmax(dirs @ axes.T, axis=1)
    for k, (f, r) in enumerate(zip(faces, renders, strict=True)):
        sel = np.nonzero(which == k)[0]
        if len(sel) == 0:
            continue
        uv, _ = f.project(f.position + dirs[sel])
        j = np.clip(np.floor(uv[:, 0]).astype(int), 0, face - 1)
        i = np.clip(np.floor(uv[:, 1]).astype(int), 0, face - 1)
        rgb[sel] = r.rgb[i, j]
        cos = np.clip(dirs[sel] @ f.forward, 1e-6, 1.0)
        depth[sel] = (r.depth[i, j] / cos).astype(np.float32)
        seg[sel] = r.segmentation[i, j]
    return RenderResult(rgb.reshape(h, w, 3), depth.reshape(h, w), seg.reshape(h, w), camera, renders[0].backend,
                        renders[0].object_ids, {"faces": face})  # fmt: skip


def view_cameras(scene, names: list[str], size: tuple[int, int], rng: np.random.Generator | None = None,
                 receptacle: str | None = None) -> dict[str, tuple[Camera, dict]]:
    """Camera (and view metadata) of each named view at ``size`` = (width, height); the panorama is
    (2 * height, height)."""
    width, height = check_image_size(*size)
    out: dict[str, tuple[Camera, dict]] = {}
    corners = top = None
    for name in names:
        if name in ("topdown", "topdown_ids"):
            top = top or topdown_camera(scene, width, height)
            out[name] = (top, {"overlay": "grid" if name == "topdown" else "ids"})
        elif name.startswith("corner_"):
            corners = corners or corner_cameras(scene, width, height)
            out[name] = (corners[int(name.split("_")[1])], {})
        elif name == "panorama":
            out[name] = (panorama_camera(scene, 2 * height, height), {})
        elif name == "closeup":
            out[name] = closeup_camera(scene, rng if rng is not None else np.random.default_rng(0),
                                       receptacle=receptacle, width=width, height=height)  # fmt: skip
        else:  # pragma: no cover - view_names validates
            raise RenderError(f"unknown view {name!r}")
    return out
