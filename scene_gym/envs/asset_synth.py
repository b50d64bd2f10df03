"""``SceneSynthAsset-v2``: asset-level placement by pointing (3D-Generalist's asset-level policy)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from gymnasium import spaces

from scene_gym.envs.shell import Outcome, SceneEnv
from scene_gym.envs.spaces import ASSET_TEXT_MAX, FEEDBACK_MAX, action_text, clean_text, text_space
from scene_gym.errors import SceneGymError
from scene_gym.scene import COMPASS_YAW, Room, Scene, SceneObject

#: Receptacle categories and short prompts for them.
RECEPTACLES: dict[str, tuple[str, ...]] = {
    "desk": ("a writer's desk", "a tidy home-office desk", "a student's desk before exams"),
    "side_table": ("a side table by the sofa", "a reading corner side table"),
    "dining_table": ("a dining table set for two", "a breakfast table"),
    "kitchen_counter": ("a busy kitchen counter", "a baker's counter"),
    "bookshelf": ("the top of a bookshelf", "a collector's bookshelf"),
    "nightstand": ("a nightstand by the bed", "a guest room nightstand"),
    "coffee_table": ("a coffee table for game night", "a living room coffee table"),
    "dresser": ("a dresser with keepsakes", "a bedroom dresser top"),
}
#: Shortest side (metres) of a support surface that makes a category usable as a receptacle.
MIN_RECEPTACLE_SIDE = 0.2


def receptacle_prompts(category: str) -> tuple[str, ...]:
    """Prompts for a receptacle: the curated ones of :data:`RECEPTACLES`, or a generic prompt for any other
    catalog category that stands on the floor and has a base support surface of at least
    :data:`MIN_RECEPTACLE_SIDE` on each side (a storage shelf, a meeting table...). Others raise
    :class:`SceneGymError` naming the category."""
    if category in RECEPTACLES:
        return RECEPTACLES[category]
    from scene_gym.assets import build_asset, factories

    f = factories().get(category)
    usable = f is not None and not f.small and f.placement == "floor" and any(
        s.link == "base" and min(s.size) >= MIN_RECEPTACLE_SIDE for s in build_asset(category).surfaces)  # fmt: skip
    if not usable:
        raise SceneGymError(f"expected options['receptacle'] to be a catalog category with a support surface of at "
                            f"least {MIN_RECEPTACLE_SIDE} m a side (e.g. {', '.join(sorted(RECEPTACLES))}), "
                            f"got {category!r}")  # fmt: skip
    return (f"a {category.replace('_', ' ')} with a few well-chosen things on it",)


#: Most support polygons the ``surfaces`` observation carries.
MAX_SURFACES = 8


def surface_polygons(obj) -> np.ndarray:
    """(K, 4, 3) float32 corners (metres, room frame) of the static support surfaces (``link == "base"``; drawer
    bottoms move and are left out) of a placed receptacle, in the asset's order, at most :data:`MAX_SURFACES`.
    Corners go counter-clockwise seen from above, starting at the asset's local (-x, -y): corners 0-1 are the
    back edge (the front faces local +y), 2-3 the front edge."""
    from scene_gym.assets import build_asset

    asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
    surfs = [s for s in asset.surfaces if s.link == "base"][:MAX_SURFACES]
    out = np.zeros((len(surfs), 4, 3), dtype=np.float64)
    for k, s in enumerate(surfs):
        (cx, cy, cz), (w, d) = s.center, s.size
        out[k] = [(cx - w / 2, cy - d / 2, cz), (cx + w / 2, cy - d / 2, cz), (cx + w / 2, cy + d / 2, cz),
                  (cx - w / 2, cy + d / 2, cz)]  # fmt: skip
    t = obj.transform()
    return (out @ t[:3, :3].T + t[:3, 3]).astype(np.float32)


#: Steepest surface normal that still counts as placeable (degrees from vertical).
MAX_SLOPE_DEG = 30.0


class SceneSynthAssetEnv(SceneEnv):
    """Put small objects on a receptacle by pointing at a close-up image and naming the object.

    ## Description
    The scene is a room with one receptacle (a desk, side table, dining table, counter, bookshelf, nightstand,
    coffee table or dresser). Each step the agent sees the receptacle from a camera drawn anew on a hemisphere
    over it, points at a pixel and names an object ("a stack of books"). The ray through the pixel must hit a
    placeable surface of the receptacle or of an item already on it (normal within 30 degrees of vertical,
    enough free height above); the object is found by text (:func:`scene_gym.assets.resolve_name`: its match,
    else its best small alternative at or above the threshold; a text naming no small catalog object is
    rejected, never swapped, and a non-exact match is reported in ``info["substitutions"]``), put with its bottom centre at the hit through the edit core and rejected if the step's evaluation
    finds it colliding, overhanging or leaving the room (the reason goes to ``info["error"]`` and
    ``feedback``; the scene is restored). Stacking on placed items works.

    ## Action Space
    ``Dict(point=Box(0, 1, (2,), float32), asset=UnicodeText(256))``: ``point`` = (u, v) normalised pixel, u to
    the right, v down; ``asset`` the object's description, or ``"done"`` to finish. Use
    :class:`~scene_gym.envs.wrappers.MolmoPointAction` for Molmo-style text (``<point x="61.5" y="40.2"
    alt="...">books</point>``, 0-100 coordinates).

    ## Observation Space
    ``Dict``: ``image`` Box(0, 255, (H, W, 3), uint8) the close-up (only if ``image_size``); ``camera``
    Box(16,) float32: fx, fy, cx, cy in pixels of a (W, H) image, then the 3 x 4 camera-to-world pose (OpenCV
    frame: +x right, +y down, +z forward; metres) row by row; ``prompt`` UnicodeText(1024); ``placed``
    UnicodeText(8192), one line per item placed; ``surfaces`` Box(-1e4, 1e4, (8, 4, 3), float32): the
    receptacle's static support polygons (table top, shelf boards; not drawer bottoms), each as 4 corner points
    (x, y, z) in metres in the room frame, counter-clockwise seen from above with corners 0-1 on the back edge
    and 2-3 on the front edge (the receptacle's front faces its local +y), in the asset's order
    (:func:`surface_polygons`), rows past ``surface_count`` all zeros; ``surface_count`` Discrete(9): how many
    rows are real; ``feedback`` UnicodeText(8192). Project a corner with ``camera`` to find it in the close-up.

    ## Rewards
    The change in the configured reward (``reward=`` as in ``SceneSynth-v1``), minus ``invalid_penalty`` for a
    rejected or unreadable step. The default is ``"asset"`` (:mod:`scene_gym.rewards.asset_fit`): how well the
    items suit the receptacle and the prompt, how they are arranged (edges, groups, spacing, sensible stacks),
    the working area left free and their stability, each a term in [0, 1]; an empty receptacle scores 0.
    ``"quality"`` (the offline judge's normalised Q, which rewards filling the surface) and ``"q_phy"`` (+1 per
    placed object) remain available.

    ## Starting State
    A 4 x 4 m room with the receptacle at its centre, yaw drawn from the compass; receptacle and prompt drawn
    with the seed (``options`` may set ``receptacle`` and ``prompt``).

    ## Episode End
    Terminated after ``max_placements`` (10) successful placements or ``"done"``; truncated after ``max_steps``.

    ## Info
    The shell's keys (:mod:`scene_gym.envs.shell`) plus ``receptacle`` (its id), ``placements`` (count) and
    ``placement`` (``category``, ``placed_id`` and the ray ``hit``; empty when nothing was placed).

    ## Arguments
    ``render_mode="rgb_array"``, ``max_steps=20``, ``max_placements=10``, ``image_size=(256, 256)`` (None: no
    image in the observation; pointing then uses a 256 x 256 camera), ``reward=None``, ``invalid_penalty=0.0``.

    ## Version History
    * v2: the observation gains ``surfaces`` and ``surface_count`` (the receptacle's support polygons); the
      default reward is the asset-level ``"asset"`` instead of ``"quality"``.
    * v1: one env shell: Unicode text spaces, one ``info`` vocabulary (``ok``/``reason`` became
      ``applied``/``error``; the placement's details moved under ``placement``); the placement checks read the
      step's one evaluation; a failing reward undoes the placement.
    * v0: initial version.
    """

    KIND = "asset"
    DEFAULT_REWARD = "asset"
    RESET_OPTIONS = ("prompt", "receptacle")

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 20, max_placements: int = 10,
                 image_size=(256, 256), reward: Any = None, invalid_penalty: float = 0.0):  # fmt: skip
        if isinstance(max_placements, bool) or not isinstance(max_placements, int) or max_placements < 1:
            raise SceneGymError(f"expected max_placements as a positive integer, got {max_placements!r}")
        self.max_placements = max_placements
        self.receptacle: str | None = None
        self.camera = None
        self._placements = 0
        self._placed: list[str] = []
        self._rgb: np.ndarray | None = None
        self._surfaces = np.zeros((MAX_SURFACES, 4, 3), dtype=np.float32)
        self._n_surfaces = 0
        super().__init__(render_mode, max_steps=max_steps, image_size=image_size, reward=reward,
                         invalid_penalty=invalid_penalty)  # fmt: skip
        self.camera_size = self.image_size or self.DEFAULT_RENDER_SIZE

    # --- shell hooks -------------------------------------------------------------------------------------------
    def _action_space(self) -> spaces.Space:
        return spaces.Dict({"point": spaces.Box(0.0, 1.0, (2,), np.float32), "asset": text_space(ASSET_TEXT_MAX)})

    def _extra_spaces(self) -> dict[str, spaces.Space]:
        return {"camera": spaces.Box(-1e4, 1e4, (16,), np.float32), "placed": text_space(FEEDBACK_MAX),
                "surfaces": spaces.Box(-1e4, 1e4, (MAX_SURFACES, 4, 3), np.float32),
                "surface_count": spaces.Discrete(MAX_SURFACES + 1)}  # fmt: skip

    def _extra_obs(self) -> dict[str, Any]:
        cam = self.camera
        vec = np.concatenate([[cam.fx, cam.fy, cam.cx, cam.cy], cam.cam_to_world[:3].reshape(-1)]).astype(np.float32)
        return {"camera": vec, "placed": clean_text("\n".join(self._placed) or "(nothing yet)", FEEDBACK_MAX),
                "surfaces": self._surfaces.copy(), "surface_count": np.int64(self._n_surfaces)}  # fmt: skip

    def _set_surfaces(self, receptacle: str, scene: Scene) -> dict[str, Any]:
        polys = surface_polygons(scene.get(receptacle))
        padded = np.zeros((MAX_SURFACES, 4, 3), dtype=np.float32)
        padded[: len(polys)] = polys
        return {"_surfaces": padded, "_n_surfaces": len(polys)}

    def _start(self, options: dict) -> Scene:
        from scene_gym.assets import get_factory

        names = sorted(RECEPTACLES)
        category = options.get("receptacle") or names[int(self.np_random.integers(len(names)))]
        prompts = receptacle_prompts(category)
        prompt = options.get("prompt") or prompts[int(self.np_random.integers(len(prompts)))]
        yaw = list(COMPASS_YAW.values())[int(self.np_random.integers(4))]
        f = get_factory(category)
        receptacle = SceneObject(id=f"{category}_1", category=category, position=(2.0, 2.0, 0.0), yaw=yaw,
                                 size=f.default_size, material=f.default_material)  # fmt: skip
        return Scene(Room.rectangle(4.0, 4.0, type="living room"), [receptacle], prompt=prompt[:1024])

    def _on_reset(self, options: dict) -> str:
        self.receptacle = self.scene.objects[0].id
        self._placements, self._placed = 0, []
        fields = self._set_surfaces(self.receptacle, self.scene)
        self._surfaces, self._n_surfaces = fields["_surfaces"], fields["_n_surfaces"]
        self._new_view()
        return f"new episode: decorate {self.receptacle}: {self.scene.prompt}"

    def _render_image(self, size: tuple[int, int]) -> np.ndarray:
        return self.renderer().render(self.scene, self.camera, check=False).rgb

    def _image(self, size: tuple[int, int]) -> np.ndarray:
        if self._rgb is None:
            self._rgb = self._render_image(size)
        return self._rgb

    def _save_counters(self) -> dict[str, Any]:
        return {**super()._save_counters(), "_placements": self._placements, "_placed": list(self._placed)}

    def _info(self, outcome: Outcome, reward_error: str = "") -> dict[str, Any]:
        return {"receptacle": self.receptacle, "placements": self._placements, "placement": {},
                **super()._info(outcome, reward_error)}  # fmt: skip

    # --- the step --------------------------------------------------------------------------------------------
    def _after_step(self, outcome: Outcome) -> None:
        self._new_view()  # a fresh camera for the next pointing, whatever happened

    def _apply(self, action: Any) -> Outcome:
        point, text = self._read(action)
        if text.lower() in ("done", "stop", "finish"):
            return Outcome(terminate=True, lines=["ok: finished"])
        if self._placements >= self.max_placements:
            return self._rejected(f"expected at most {self.max_placements} placements, got one more")
        return self._place(point, text)

    def _read(self, action: Any) -> tuple[np.ndarray, str]:
        if not isinstance(action, dict) or "point" not in action or "asset" not in action:
            raise SceneGymError(f"expected an action dict with 'point' and 'asset', got {type(action).__name__}")
        try:
            point = np.asarray(action["point"], dtype=float).reshape(-1)
        except (TypeError, ValueError, OverflowError):
            raise SceneGymError(f"expected point as 2 numbers in [0, 1], got {action['point']!r:.60}") from None
        if point.shape != (2,) or not np.isfinite(point).all() or (point < 0).any() or (point > 1).any():
            raise SceneGymError(f"expected point as 2 finite numbers in [0, 1], got {point.tolist()!r:.60}")
        text = action_text(action["asset"], ASSET_TEXT_MAX).strip()
        if not text:
            raise SceneGymError("expected a description of the object to place, got empty text")
        return point, text

    def _rejected(self, reason: str) -> Outcome:
        return Outcome(valid=True, applied=False, failed=1, error=reason, lines=[f"rejected: {reason}"])

    def _place(self, point: np.ndarray, text: str) -> Outcome:
        from scene_gym.actions.edit import add_object, substitution_record
        from scene_gym.assets import get_factory

        world, scene, cam = self.world(), self.scene, self.camera
        origin, direction = cam.ray((point[0] * cam.width, point[1] * cam.height))
        hit = world.ray_cast(origin, direction, max_dist=20.0)[0]
        at = f"pixel ({point[0]:.3f}, {point[1]:.3f})"
        allowed = {self.receptacle, *(o.id for o in scene.descendants(self.receptacle))}
        if not hit.hit:
            return self._rejected(f"the ray through {at} hit nothing")
        if hit.object_id not in allowed:
            return self._rejected(f"the ray through {at} hit {hit.object_id}, not {self.receptacle} or an item on it")
        if hit.normal[2] < math.cos(math.radians(MAX_SLOPE_DEG)):
            slope = math.degrees(math.acos(min(1.0, max(-1.0, float(hit.normal[2])))))
            return self._rejected(f"the surface hit at {at} is not placeable: its normal is {slope:.0f} degrees from "
                                  f"vertical (at most {MAX_SLOPE_DEG:.0f})")  # fmt: skip
        category, why = _small_category(text)
        if category is None:
            return self._rejected(f"expected a small object to put on {self.receptacle}, got {text!r:.60} ({why})")
        f = get_factory(category)
        above = world.ray_cast(hit.point + np.array([0, 0, 0.002]), (0.0, 0.0, 1.0), max_dist=f.default_size[2])[0]
        if above.hit:
            return self._rejected(f"only {above.distance:.2f} m free above {at}, a {category} needs "
                                  f"{f.default_size[2]:.2f} m")  # fmt: skip
        parent = scene.get(hit.object_id)
        snap, before = scene.snapshot(), self._eval
        obj = add_object(scene, category, position=tuple(float(v) for v in hit.point), yaw=parent.yaw,
                         size=f.default_size, material=f.default_material, parent=parent.id)  # fmt: skip
        self._eval = self._evaluate()
        problem = self._placement_problem(obj.id, category, parent.id, at)
        if problem:
            self._undo(snap, {"_eval": before})
            return self._rejected(problem)
        self._placements += 1
        x, y, z = obj.position
        self._placed.append(f"{obj.id} ({text[:60]}) on {parent.id} at ({x:.2f}, {y:.2f}, {z:.2f})")
        record = substitution_record(text, category)
        used = [record] if record is not None else []
        return Outcome(applied=True, lines=[f"ok: placed {obj.id} ({category}) on {parent.id}"], substitutions=used,
                       terminate=self._placements >= self.max_placements,
                       info={"placement": {"category": category, "placed_id": obj.id,
                                           "hit": {"object": hit.object_id, "point": hit.point.tolist()}}})  # fmt: skip

    def _placement_problem(self, oid: str, category: str, parent: str, at: str) -> str:
        """Why the just-placed object must go, from the step's metrics ("" when it may stay)."""
        m = self._eval.metrics
        for (a, b), depth in zip(m.collisions, m.collision_depths, strict=True):
            if oid in (a, b):
                return f"a {category} at {at} would collide: {a} and {b} overlap by {100 * depth:.1f} cm"
        if oid in m.unsupported:
            return f"a {category} at {at} would not rest on {parent} (it overhangs the edge)"
        if oid in m.oob:
            return f"a {category} at {at} would leave the room"
        return ""

    def _new_view(self) -> None:
        from scene_gym.render.views import closeup_camera

        self.camera, _ = closeup_camera(self.scene, self.np_random, receptacle=self.receptacle,
                                        width=self.camera_size[0], height=self.camera_size[1])  # fmt: skip
        self._rgb = None

    # --- checkpoints -----------------------------------------------------------------------------------------
    def _extra_state(self) -> dict[str, Any]:
        return {"receptacle": self.receptacle, "placements": self._placements, "placed": list(self._placed),
                "camera": self.camera.to_dict()}  # fmt: skip

    def _parse_extra_state(self, data: dict, scene: Scene) -> dict[str, Any]:
        from scene_gym.render import Camera

        receptacle, placements, placed = data.get("receptacle"), data.get("placements"), data.get("placed")
        if not isinstance(receptacle, str) or receptacle not in scene:
            raise SceneGymError(f"state.receptacle: expected the id of an object in the state's scene, got "
                                f"{receptacle!r:.80}")  # fmt: skip
        if isinstance(placements, bool) or not isinstance(placements, int) or placements < 0:
            raise SceneGymError(f"state.placements: expected a non-negative integer, got {placements!r:.80}")
        if not isinstance(placed, list) or not all(isinstance(p, str) for p in placed):
            raise SceneGymError("state.placed: expected a list of text lines")
        try:
            camera = Camera.from_dict(data.get("camera"))
        except (SceneGymError, TypeError, ValueError, KeyError, AttributeError) as err:
            raise SceneGymError(f"state.camera: expected a camera from get_state(), got {err}") from None
        return {"receptacle": receptacle, "_placements": placements, "_placed": list(placed), "camera": camera,
                "_rgb": None, **self._set_surfaces(receptacle, scene)}  # fmt: skip


def _small_category(text: str) -> tuple[str | None, str]:
    """The small catalog category ``text`` resolves to (its best match, else the best small alternative at or
    above the resolver's threshold), or None and why not."""
    from scene_gym.assets import RESOLVE_THRESHOLD, get_factory, resolve_name

    res = resolve_name(text)
    ranked = ([res.category] if res.category else []) + [m.category for m in res.alternatives
                                                          if m.score >= RESOLVE_THRESHOLD]  # fmt: skip
    small = [c for c in ranked if get_factory(c).small]
    if small:
        return small[0], ""
    if res.category is not None:
        return None, f"best match: {res.category}, not a small object"
    close = ", ".join(f"{m.category} {m.score:.2f}" for m in res.alternatives[:3]) or "none"
    return None, f"not in the catalog; closest: {close}"
