"""The heuristic planner for ``SceneSynthAsset-v1``: point at a free spot of the receptacle's surface.

From the observation only:

1. The receptacle's category is read from the prompt ("a writer's desk" -> ``desk``; the spec parser, then a
   catalog text search). Its main surface is the one the close-up camera looks at: the largest open support
   surface of the category's default asset (:func:`main_surface`), at the receptacle's known pose (the
   environment puts it at the room centre, (2, 2) m, with a yaw from the compass).
2. The yaw is recovered from where the camera's optical axis meets the surface plane (the camera aims at the
   surface centre); when the surface is centred on the object every compass yaw fits, and only points inside
   all the fitting rotated rectangles are used.
3. Spots are drawn on a grid inside that region (kept clear of the edges by the object's half-diagonal), away
   from the items listed in ``placed``; the chosen world point is projected through the camera (``camera``:
   fx, fy, cx, cy in pixels, then the 3 x 4 OpenCV camera-to-world pose) into a normalised pixel (u, v).
4. The object is a small category that suits the receptacle (:data:`~scene_gym.assets.room_priors.CROWDS`), preferring any small
   object the prompt names. With no free spot left the action is ``"done"``.
"""

from __future__ import annotations

import math
import re

import numpy as np

from scene_gym.scene import COMPASS_YAW

#: Where ``SceneSynthAsset-v1`` puts its receptacle (metres).
RECEPTACLE_XY = (2.0, 2.0)
_PLACED = re.compile(r"\(([^)]*)\) on \S+ at \(([-0-9.]+), ([-0-9.]+), ([-0-9.]+)\)")
MARGIN = 0.02  # metres kept from the surface edges and between items


def receptacle_category(prompt: str, camera=None) -> str | None:
    """The receptacle category of a close-up: among the catalog categories with a support surface that the
    prompt's words point to (spec parser, then text search), the one whose main surface best explains the
    camera (the close-up camera stands about ``1.5 * half-diagonal / tan(fovy / 2)`` metres from the surface
    centre, which lies on its optical axis near the room centre); without ``camera``, the first text match."""
    from scene_gym.agents.heuristic.plan import as_spec
    from scene_gym.assets import factories, search

    fs = factories()
    try:
        named = [c for c in as_spec(prompt).categories if c in fs and not fs[c].small]
    except Exception:  # the parser never raises on text; be safe with odd input anyway
        named = []
    found = named + [m.category for m in search(prompt, limit=12) if not fs[m.category].small]
    cands = [c for c in dict.fromkeys(found) if main_surface(c) is not None]
    if camera is None or not cands:
        return cands[0] if cands else None
    scored = sorted((_camera_misfit(c, camera), k, c) for k, c in enumerate(cands))
    return scored[0][2]


def _camera_misfit(category: str, camera) -> float:
    """How badly the camera pose fits a close-up of ``category``'s main surface (0: fits)."""
    s = main_surface(category)
    _, _, _, _, pose, _, _ = camera_parts(camera)
    eye, fwd = pose[:3, 3], pose[:3, 2]
    if fwd[2] > -1e-6 or eye[2] <= s.center[2]:
        return 10.0
    t = (s.center[2] - eye[2]) / fwd[2]
    hit = eye + t * fwd
    off = math.hypot(hit[0] - RECEPTACLE_XY[0], hit[1] - RECEPTACLE_XY[1]) - math.hypot(*s.center[:2])
    expected = max(0.5, 1.5 * 0.5 * math.hypot(*s.size) / math.tan(math.radians(55.0) / 2))
    ratio = t / expected
    # Cameras too high for the room come closer along the same ray, so only a too-far camera is a misfit there.
    too_far = max(0.0, ratio - 1.1)
    too_near = max(0.0, 0.9 - ratio) if eye[2] < 2.6 else 0.0
    return 4.0 * max(0.0, off - 0.03) + too_far + too_near


def main_surface(category: str):
    """The largest open support surface (>= 0.2 m a side) of ``category``'s default asset, or None."""
    from scene_gym.assets import build_asset, get_factory

    f = get_factory(category)
    asset = build_asset(category, f.default_size)
    usable = [s for s in asset.surfaces if min(s.size) >= 0.2]
    if not usable:
        return None
    return max(usable, key=lambda s: (math.isinf(s.clearance), s.area))


def camera_parts(vec, image_shape=None) -> tuple[float, float, float, float, np.ndarray, int, int]:
    """(fx, fy, cx, cy, cam_to_world (4, 4), width, height) from the observation's 16-float camera vector;
    the image size is the image's when given, else twice the principal point."""
    v = np.asarray(vec, dtype=float).reshape(-1)
    fx, fy, cx, cy = v[:4]
    pose = np.eye(4)
    pose[:3] = v[4:16].reshape(3, 4)
    if image_shape is not None:
        h, w = int(image_shape[0]), int(image_shape[1])
    else:
        w, h = int(round(2 * cx)), int(round(2 * cy))
    return fx, fy, cx, cy, pose, w, h


def project(point, vec, image_shape=None) -> tuple[float, float] | None:
    """Normalised pixel (u, v) in [0, 1]^2 of a world point (metres) seen by the camera, or None if it is
    behind the camera or outside the image."""
    fx, fy, cx, cy, pose, w, h = camera_parts(vec, image_shape)
    r, t = pose[:3, :3], pose[:3, 3]
    p = r.T @ (np.asarray(point, dtype=float) - t)
    if p[2] <= 1e-6:
        return None
    u, v = (fx * p[0] / p[2] + cx) / w, (fy * p[1] / p[2] + cy) / h
    if not (0.0 <= u <= 1.0 and 0.0 <= v <= 1.0):
        return None
    return float(u), float(v)


def _yaws(surface, vec) -> list[float]:
    """Compass yaws consistent with the camera aiming at the surface centre."""
    _, _, _, _, pose, _, _ = camera_parts(vec)
    eye, fwd = pose[:3, 3], pose[:3, 2]
    z = float(surface.center[2])
    if abs(fwd[2]) < 1e-6:
        return list(COMPASS_YAW.values())
    hit = eye + fwd * (z - eye[2]) / fwd[2]
    errs = []
    for yaw in COMPASS_YAW.values():
        c, s = math.cos(yaw), math.sin(yaw)
        cx = RECEPTACLE_XY[0] + c * surface.center[0] - s * surface.center[1]
        cy = RECEPTACLE_XY[1] + s * surface.center[0] + c * surface.center[1]
        errs.append((math.hypot(hit[0] - cx, hit[1] - cy), yaw))
    best = min(e for e, _ in errs)
    return [yaw for e, yaw in errs if e <= best + 0.03]


def _inside(xy: np.ndarray, surface, yaw: float, margin: float) -> np.ndarray:
    c, s = math.cos(yaw), math.sin(yaw)
    d = xy - np.asarray(RECEPTACLE_XY)
    lx = c * d[:, 0] + s * d[:, 1] - surface.center[0]
    ly = -s * d[:, 0] + c * d[:, 1] - surface.center[1]
    return (np.abs(lx) <= surface.size[0] / 2 - margin) & (np.abs(ly) <= surface.size[1] / 2 - margin)


def placed_items(text: str) -> list[tuple[str, np.ndarray]]:
    """(description, (x, y, z) metres) of each line of the observation's ``placed`` text."""
    return [(m.group(1), np.array([float(m.group(k)) for k in (2, 3, 4)])) for m in _PLACED.finditer(text or "")]


def _radius(description: str) -> float:
    """Half-diagonal (metres) of the default size of the category a placed item's description names."""
    from scene_gym.assets import factories

    f = factories().get(description.strip().lower().replace(" ", "_"))
    return 0.5 * math.hypot(*f.default_size[:2]) if f is not None else 0.12


def point_action(observation, rng: np.random.Generator) -> dict:
    """``{"point": (2,) float32 in [0, 1], "asset": text}`` for a ``SceneSynthAsset-v1`` observation; the asset
    is ``"done"`` when no free spot is left (module docstring)."""
    from scene_gym.agents.heuristic.plan import as_spec
    from scene_gym.assets import factories, get_factory
    from scene_gym.assets.room_priors import crowd_for

    prompt = str(observation.get("prompt", ""))
    vec = observation["camera"]
    shape = observation["image"].shape if "image" in observation else None
    done = {"point": np.array([0.5, 0.5], dtype=np.float32), "asset": "done"}
    category = receptacle_category(prompt, vec)
    if category is None:
        return done
    surface = main_surface(category)
    fs = factories()
    named = [c for c in as_spec(prompt).categories if c in fs and fs[c].small]
    cats, _ = crowd_for(None, category)
    choices = list(dict.fromkeys(named + list(cats))) or [c for c, f in fs.items() if f.small][:4]
    placed = placed_items(str(observation.get("placed", "")))
    order = rng.permutation(len(choices))
    yaws = _yaws(surface, vec)
    z = float(surface.center[2])
    for k in order:
        cat = choices[int(k)]
        w, d, _ = get_factory(cat).default_size
        r = 0.5 * math.hypot(w, d)
        half = 0.5 * max(surface.size) + 0.1
        g = np.linspace(-half, half, 25)
        xy = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2) + np.asarray(RECEPTACLE_XY)
        ok = np.ones(len(xy), bool)
        for yaw in yaws:
            ok &= _inside(xy, surface, yaw, r + MARGIN)
        for desc, p in placed:
            ok &= np.hypot(xy[:, 0] - p[0], xy[:, 1] - p[1]) >= r + _radius(desc) + MARGIN
        cand = xy[ok]
        if not len(cand):
            continue
        # Prefer spots far from what is already there and from the centre (items spread out towards the edges leave
        # room for more), with a seeded pick among the best few.
        score = np.hypot(cand[:, 0] - RECEPTACLE_XY[0], cand[:, 1] - RECEPTACLE_XY[1])
        if placed:
            score = np.min([np.hypot(cand[:, 0] - p[0], cand[:, 1] - p[1]) for _, p in placed], axis=0)
        best = np.argsort(-score)[: min(5, len(cand))]
        for j in rng.permutation(best):
            uv = project((cand[j, 0], cand[j, 1], z), vec, shape)
            if uv is not None:
                return {"point": np.array(uv, dtype=np.float32), "asset": cat.replace("_", " ")}
    return done
