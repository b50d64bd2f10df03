"""The heuristic planner for ``SceneSynthAsset-v2``: arrange suitable things on the receptacle's free surface.

From the observation only (never from the reward's tables):

1. **Where.** ``surfaces`` gives the receptacle's support polygons in the room frame (corners 0-1 on the back
   edge, 2-3 on the front edge). The one the camera aims at comes first, then the others by distance from the
   optical axis; each gets its clearance up to the polygon above it, which also hides what lies under it
   (:func:`surface_frames`).
2. **What.** The receptacle's category is read from the prompt (spec parser, then catalog text search), the
   candidates told apart by how well their default main surface matches the observed polygon's size. Items
   are the small objects the prompt names (with their counts), then this module's own priors
   (:data:`ITEM_PRIORS`, else the room priors' :data:`~scene_gym.assets.room_priors.CROWDS`), then the priors
   again, up to one item per :data:`AREA_PER_ITEM` of the surface (3 to 8, or the prompt's total when larger).
3. **Arrangement.** In the surface's frame (x along the back edge, y from the back edge towards the front)
   spots are filled back row first, then left to right from one end (bottom-left packing): items stand along
   the back edge, grouped side by side with :data:`GAP` between them, and nothing goes into the front
   ``WORK_FREE`` share of the depth where the receptacle needs a free work area (a desk's front, a counter's
   edge). Tables used from both long sides (dining, coffee, meeting tables) keep both long edges free for
   place settings and fill their centre line instead.
4. **Pointing.** The chosen spot is projected through ``camera`` (fx, fy, cx, cy, then the 3 x 4 OpenCV
   camera-to-world pose) into a normalised pixel (u, v); spots outside the image or hidden behind an item
   already placed (as seen from the camera) are skipped. When free spots exist but none is seen from this
   camera, the action points at an image corner away from the receptacle and names a piece of furniture
   (:data:`LOOK_AGAIN`): a step the env refuses either way, which draws a new camera and changes nothing. With no free spot left, or enough items, the action is ``"done"``. After a rejected step (``feedback``) the next item and a different spot are tried.
"""

from __future__ import annotations

import math
import re

import numpy as np

_PLACED = re.compile(r"\(([^)]*)\) on \S+ at \(([-0-9.]+), ([-0-9.]+), ([-0-9.]+)\)")
MARGIN = 0.03  # metres kept from the surface edges (0.01 on surfaces under 0.5 m a side)
GAP = 0.02  # metres between neighbouring items (0.015 on surfaces under 0.5 m a side)
AREA_PER_ITEM = 0.08  # m² of surface per item: how many items a surface gets (3 to 8) unless the prompt asks more
#: Receptacle category -> small categories that belong on it, most characteristic first (this policy's own prior).
ITEM_PRIORS: dict[str, tuple[str, ...]] = {
    "desk": ("desk_lamp", "laptop", "book_stack", "notebook", "mug", "potted_plant"),
    "student_desk": ("desk_lamp", "notebook", "book_stack", "mug"),
    "teacher_desk": ("desk_lamp", "laptop", "book_stack", "notebook", "mug"),
    "reception_desk": ("monitor", "potted_plant", "notebook", "tissue_box"),
    "side_table": ("table_lamp", "book", "cup"),
    "nightstand": ("table_lamp", "alarm_clock", "book", "drinking_glass"),
    "dining_table": ("fruit_bowl", "candle", "plate", "plate", "drinking_glass", "wine_bottle"),
    "coffee_table": ("vase", "book_stack", "candle", "cup", "board_game"),
    "meeting_table": ("laptop", "notebook", "bottle", "cup", "potted_plant"),
    "kids_table": ("toy_blocks", "board_game", "book", "teddy_bear"),
    "kitchen_counter": ("kettle", "cutting_board", "fruit_bowl", "bowl", "bottle"),
    "kitchen_cabinet": ("fruit_bowl", "kettle", "bowl"),
    "bookshelf": ("book_stack", "book", "picture_frame", "vase", "book_stack", "potted_plant"),
    "display_shelf": ("vase", "picture_frame", "potted_plant", "candle", "book_stack"),
    "storage_shelf": ("basket", "book_stack", "basket", "bottle"),
    "dresser": ("picture_frame", "vase", "candle", "basket"),
    "tv_stand": ("speaker", "picture_frame", "vase"),
    "workbench": ("basket", "bottle", "basket"),
}
#: Categories that keep the front of their top free for work.
WORK_AREA: dict[str, float] = {"desk": 0.45, "student_desk": 0.45, "teacher_desk": 0.45, "reception_desk": 0.4,
                               "kitchen_counter": 0.35, "workbench": 0.4, "kids_table": 0.3}  # fmt: skip
#: Tables used from both long sides: items go along the centre line, both long edges stay free.
CENTRE_LINE = frozenset({"dining_table", "coffee_table", "meeting_table"})
#: Things a surface may hold several of (a lamp or a laptop is not repeated unless the prompt asks).
REPEATABLE = frozenset({"book", "book_stack", "notebook", "plate", "cup", "mug", "drinking_glass", "bowl", "candle",
                        "vase", "picture_frame", "basket", "bottle", "potted_plant", "towel", "toy_blocks"})  # fmt: skip
#: The asset text of a "look again" step: no small object matches it, so the env refuses it wherever it points.
LOOK_AGAIN = "wardrobe"
GENERIC_ITEMS = ("vase", "book_stack", "picture_frame", "potted_plant", "candle")


# --- reading the observation -----------------------------------------------------------------------------------
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


def placed_items(text: str) -> list[tuple[str, np.ndarray]]:
    """(description, (x, y, z) metres) of each line of the observation's ``placed`` text."""
    return [(m.group(1), np.array([float(m.group(k)) for k in (2, 3, 4)])) for m in _PLACED.finditer(text or "")]


def _category(description: str) -> str | None:
    from scene_gym.assets import factories

    name = description.strip().lower().replace(" ", "_")
    return name if name in factories() else None


def _footprint(category: str | None) -> tuple[float, float, float]:
    """Default (width, depth, height) of a small category (a 0.2 m cube for an unknown one)."""
    from scene_gym.assets import factories

    f = factories().get(category or "")
    return tuple(float(v) for v in f.default_size) if f is not None else (0.2, 0.2, 0.2)


class Frame:
    """A support polygon's frame: origin at corner 0 (back, local -x), x along the back edge, y towards the front."""

    def __init__(self, poly: np.ndarray):
        p = np.asarray(poly, dtype=float)
        self.origin, self.z = p[0], float(p[:, 2].mean())
        ex, ey = p[1] - p[0], p[3] - p[0]
        self.width, self.depth = float(np.linalg.norm(ex[:2])), float(np.linalg.norm(ey[:2]))
        self.ex, self.ey = ex / max(self.width, 1e-9), ey / max(self.depth, 1e-9)

    def local(self, xyz) -> tuple[float, float]:
        d = np.asarray(xyz, dtype=float) - self.origin
        return float(d @ self.ex), float(d @ self.ey)

    def world(self, x: float, y: float) -> np.ndarray:
        return self.origin + x * self.ex + y * self.ey


def surface_frames(surfaces, count, vec=None) -> list[tuple[Frame, float]]:
    """(frame, clearance in metres) of each polygon of the observation: the clearance is the height up to the
    lowest polygon above it (a shelf board), ``inf`` when open. With the camera ``vec``, the surface the camera
    aims at comes first (the close-up camera looks at the receptacle's main surface), then by distance from its
    optical axis; without it, the largest first."""
    frames = [Frame(p) for p in np.asarray(surfaces, dtype=float)[: int(count)]]
    out = []
    for f in frames:
        above = [g.z - f.z for g in frames if g.z > f.z + 0.02 and _overlap(f, g)]
        out.append((f, min(above, default=math.inf)))
    if vec is None:
        return sorted(out, key=lambda fc: -fc[0].width * fc[0].depth)
    pose = camera_parts(vec)[4]
    eye, fwd = pose[:3, 3], pose[:3, 2]

    def off_axis(fc) -> float:
        c = fc[0].world(fc[0].width / 2, fc[0].depth / 2) - eye
        return float(np.linalg.norm(c - (c @ fwd) * fwd))

    return sorted(out, key=off_axis)


def _overlap(f: Frame, g: Frame) -> bool:
    """Whether the footprints of two surface frames overlap by more than 5 cm on both axes (room frame)."""
    pf = np.array([f.world(x, y) for x, y in ((0, 0), (f.width, f.depth))])[:, :2]
    pg = np.array([g.world(x, y) for x, y in ((0, 0), (g.width, g.depth))])[:, :2]
    lo = np.maximum(pf.min(0), pg.min(0))
    hi = np.minimum(pf.max(0), pg.max(0))
    return bool((hi - lo > 0.05).all())


# --- what to put there -------------------------------------------------------------------------------------------
def receptacle_category(prompt: str, surface=None) -> str | None:
    """The receptacle category: among the non-small catalog categories the prompt's words point to (spec parser,
    then text search), the one whose default main surface best matches ``surface``'s size (a polygon or a
    :class:`Frame`; first match without one)."""
    from scene_gym.agents.heuristic.plan import as_spec
    from scene_gym.assets import factories, search

    fs = factories()
    try:
        named = [c for c in as_spec(prompt).categories if c in fs and not fs[c].small]
    except Exception:  # the parser never raises on text; be safe with odd input anyway
        named = []
    found = named + [m.category for m in search(prompt, limit=12) if not fs[m.category].small]
    cands = [c for c in dict.fromkeys(found) if _main_size(c) is not None]
    if surface is None or not cands:
        return cands[0] if cands else None
    f = surface if isinstance(surface, Frame) else Frame(surface)
    seen = np.sort([f.width, f.depth])
    return min(cands, key=lambda c: (float(np.abs(np.sort(_main_size(c)) - seen).sum()) > 0.05, cands.index(c)))


def _main_size(category: str) -> tuple[float, float] | None:
    from scene_gym.assets import build_asset, get_factory

    usable = [s for s in build_asset(category, get_factory(category).default_size).surfaces if min(s.size) >= 0.2]
    if not usable:
        return None
    return tuple(max(usable, key=lambda s: (math.isinf(s.clearance), s.area)).size)


def item_plan(prompt: str, receptacle: str | None, area: float = 0.5) -> list[str]:
    """The small categories to place, in order: what the prompt names (with its counts), then the priors (each
    once, then again), as many as ``area`` m² of surface takes."""
    from scene_gym.agents.heuristic.plan import as_spec
    from scene_gym.assets import factories
    from scene_gym.assets.room_priors import crowd_for

    fs = factories()
    named: list[str] = []
    try:
        for o in as_spec(prompt).objects:
            if o.category in fs and fs[o.category].small:
                named += [o.category] * max(1, min(int(o.count or 1), 4))
    except Exception:  # odd text: no named items
        named = []
    prior = ITEM_PRIORS.get(receptacle or "") or crowd_for(None, receptacle or "")[0] or GENERIC_ITEMS
    extra = [c for c in prior if c in fs and c not in named]
    target = max(len(named), min(8, max(3, int(area / AREA_PER_ITEM))))
    return (named + extra + [c for c in prior if c in fs and c in REPEATABLE] * 4)[:target]


# --- where to put it ---------------------------------------------------------------------------------------------
def _occupied(frame: Frame, placed) -> list[tuple[float, float, float, float]]:
    """(x0, x1, y0, y1) boxes in the surface frame of the items placed on or near this surface."""
    boxes = []
    for desc, p in placed:
        if abs(p[2] - frame.z) > 0.05:
            continue
        w, d, _ = _footprint(_category(desc))
        x, y = frame.local(p)
        boxes.append((x - w / 2, x + w / 2, y - d / 2, y + d / 2))
    return boxes


def spots(frame: Frame, size, placed, receptacle: str | None, from_right: bool) -> list[tuple[float, float]]:
    """Free (x, y) centres for an item of ``size`` in the surface frame, best first (module docstring, 3)."""
    w, d = size[0], size[1]
    small = min(frame.width, frame.depth) < 0.5  # a nightstand or side table: tighter margins and gaps
    margin, gap = (0.01, 0.015) if small else (MARGIN, GAP)
    mx = max(0.005, min(margin, (frame.width - w) / 2))  # tight surfaces: closer to the edge, not nothing
    my = max(0.005, min(margin, (frame.depth - d) / 2))
    boxes = _occupied(frame, placed)
    if receptacle in CENTRE_LINE and frame.depth > 0.5:
        ys = np.arange(frame.depth / 2, frame.depth * 0.75 - d / 2 + 1e-9, 0.02)
        ys = np.concatenate([np.stack([ys, frame.depth - ys], 1).reshape(-1)]) if len(ys) else ys
    else:
        limit = frame.depth * (1.0 - WORK_AREA.get(receptacle or "", 0.0))
        if limit - my < d:  # a shallow surface: use all of it rather than nothing
            limit = frame.depth - my
        ys = np.arange(my + d / 2, limit - d / 2 + 1e-9, 0.02)
    xs = np.arange(mx + w / 2, frame.width - mx - w / 2 + 1e-9, 0.01)
    if from_right:
        xs = xs[::-1]
    out = []
    for y in ys:
        if not my + d / 2 - 1e-9 <= y <= frame.depth - my - d / 2 + 1e-9:
            continue
        row = 0
        for x in xs:
            if all(x + w / 2 + gap <= b[0] or x - w / 2 - gap >= b[1] or y + d / 2 + gap <= b[2]
                   or y - d / 2 - gap >= b[3] for b in boxes):  # fmt: skip
                out.append((float(x), float(y)))  # rows from the back, each from one end: packed groups
                row += 1
                if len(out) >= 60:
                    return out
                if row >= 6:
                    break
    return out


def _hidden(frame: Frame, eye: np.ndarray, x: float, y: float, placed, boards=()) -> bool:
    """Whether the camera's line of sight to the spot (x, y) of the surface passes through another surface of the
    receptacle (``boards``: frames) or an item already placed there (its box: the items share the receptacle's
    yaw, so their footprints are aligned with the frame)."""
    target = frame.world(x, y)
    for g in boards:
        if g is frame or abs(eye[2] - target[2]) < 1e-6:
            continue
        t = (g.z - eye[2]) / (target[2] - eye[2])
        if 0.0 < t < 0.999:
            gx, gy = g.local(eye + t * (target - eye))
            if -0.02 <= gx <= g.width + 0.02 and -0.02 <= gy <= g.depth + 0.02:
                return True
    ex, ey = frame.local(eye)
    start = np.array([ex, ey, float(eye[2]) - frame.z])
    seg = np.array([x, y, 0.003]) - start
    for desc, p in placed:
        if abs(p[2] - frame.z) > 0.05:
            continue
        w, d, h = _footprint(_category(desc))
        px, py = frame.local(p)
        lo, hi = np.array([px - w / 2, py - d / 2, -0.01]), np.array([px + w / 2, py + d / 2, h + 0.01])
        with np.errstate(divide="ignore", invalid="ignore"):
            t0, t1 = (lo - start) / seg, (hi - start) / seg
        tmin, tmax = np.nanmax(np.minimum(t0, t1)), np.nanmin(np.maximum(t0, t1))
        if tmin <= tmax and tmax > 0 and tmin < 0.999:
            return True
    return False


def point_action(observation, rng: np.random.Generator) -> dict:
    """``{"point": (2,) float32 in [0, 1], "asset": text}`` for a ``SceneSynthAsset-v2`` observation; the asset
    is ``"done"`` when nothing more should go on (module docstring)."""
    done = {"point": np.array([0.5, 0.5], dtype=np.float32), "asset": "done"}
    frames = surface_frames(observation.get("surfaces", np.zeros((0, 4, 3))), observation.get("surface_count", 0),
                            observation["camera"])  # fmt: skip
    if not frames:
        return done
    prompt = str(observation.get("prompt", ""))
    vec = observation["camera"]
    shape = observation["image"].shape if "image" in observation else None
    eye = camera_parts(vec)[4][:3, 3]
    main = frames[0][0]
    largest = max((f for f, _ in frames), key=lambda f: f.width * f.depth)
    receptacle = receptacle_category(prompt, largest)
    placed = placed_items(str(observation.get("placed", "")))
    todo = item_plan(prompt, receptacle, main.width * main.depth)
    for desc, _ in placed:  # what is already there is crossed off the plan
        cat = _category(desc)
        if cat in todo:
            todo.remove(cat)
    # Something that would take over 40% of the surface goes last, so a small top holds several things.
    todo.sort(key=lambda c: _footprint(c)[0] * _footprint(c)[1] > 0.4 * main.width * main.depth)
    retry = "rejected:" in str(observation.get("feedback", ""))
    if retry and len(todo) > 1:
        todo = todo[1:] + todo[:1]
    from_right = bool(rng.integers(2)) if not placed else _packed_right(main, placed)
    boards = [f for f, _ in frames]
    hidden = None
    for cat in todo:
        size = _footprint(cat)
        for frame, clearance in frames:
            if size[2] > clearance - 0.02:
                continue
            cands = spots(frame, size, placed, receptacle, from_right)
            if retry and len(cands) > 1:
                cands = cands[1:] + cands[:1]
            for x, y in cands:
                uv = project(frame.world(x, y), vec, shape)
                if uv is not None and not _hidden(frame, eye, x, y, placed, boards):
                    return {"point": np.array(uv, dtype=np.float32), "asset": cat.replace("_", " ")}
                hidden = hidden or cat
    if hidden is not None:  # free spots, but none seen from here: look again (a miss costs a step, changes nothing)
        return {"point": np.array(_away(main, vec, shape), dtype=np.float32), "asset": LOOK_AGAIN}
    return done


def _away(frame: Frame, vec, shape) -> tuple[float, float]:
    """The image corner farthest from the surface's projected centre: a pixel whose ray misses the receptacle."""
    c = project(frame.world(frame.width / 2, frame.depth / 2), vec, shape) or (0.5, 0.5)
    return max(((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)), key=lambda k: math.hypot(k[0] - c[0], k[1] - c[1]))


def _packed_right(frame: Frame, placed) -> bool:
    """Whether the items already on the main surface were packed from its right end (keeps one group)."""
    xs = [frame.local(p)[0] for _, p in placed if abs(p[2] - frame.z) <= 0.05]
    return bool(xs) and float(np.mean(xs)) > frame.width / 2
