"""``SceneSynthAsset-v0``: asset-level placement by pointing (3D-Generalist's asset-level policy)."""

from __future__ import annotations

import math
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from scene_gym.envs import common as C
from scene_gym.errors import SceneGymError
from scene_gym.scene import COMPASS_YAW, Room, Scene

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


#: Steepest surface normal that still counts as placeable (degrees from vertical).
MAX_SLOPE_DEG = 30.0


class _Reject(SceneGymError):
    """A placement the env refuses (the reason goes to ``feedback``); internal control flow."""


class SceneSynthAssetEnv(gym.Env):
    """Put small objects on a receptacle by pointing at a close-up image and naming the object.

    ## Description
    The scene is a room with one receptacle (a desk, side table, dining table, counter, bookshelf, nightstand,
    coffee table or dresser). Each step the agent sees the receptacle from a camera drawn anew on a hemisphere
    over it, points at a pixel and names an object ("a stack of books"). The ray through the pixel must hit a
    placeable surface of the receptacle or of an item already on it (normal within 30 degrees of vertical,
    enough free height above); the object is found by text (:func:`scene_gym.assets.search`, small objects
    only), put with its bottom centre at the hit and rejected if it collides, overhangs or leaves the room
    (the reason goes to ``info["reason"]`` and ``feedback``). Stacking on placed items works.

    ## Action Space
    ``Dict(point=Box(0, 1, (2,), float32), asset=Text(256))``: ``point`` = (u, v) normalised pixel, u to the
    right, v down; ``asset`` the object's description, or ``"done"`` to finish. Use
    :class:`~scene_gym.envs.wrappers.MolmoPointAction` for Molmo-style text (``<point x="61.5" y="40.2"
    alt="...">books</point>``, 0-100 coordinates).

    ## Observation Space
    ``Dict``: ``image`` Box(0, 255, (H, W, 3), uint8) the close-up (only if ``image_size``); ``camera``
    Box(16,) float32: fx, fy, cx, cy in pixels of a (W, H) image, then the 3 x 4 camera-to-world pose (OpenCV
    frame: +x right, +y down, +z forward; metres) row by row; ``prompt`` Text(1024); ``placed`` Text(8192), one
    line per item placed; ``feedback`` Text(8192).

    ## Rewards
    The change in the configured reward (``reward=`` as in ``SceneSynth-v0``; default ``"quality"``, which
    rewards filling the receptacle; ``"q_phy"`` gives +1 per placed object), minus ``invalid_penalty`` for a
    rejected step.

    ## Starting State
    A 4 x 4 m room with the receptacle at its centre, yaw drawn from the compass; receptacle and prompt drawn
    with the seed (``options`` may set ``receptacle`` and ``prompt``).

    ## Episode End
    Terminated after ``max_placements`` (10) successful placements or ``"done"``; truncated after ``max_steps``.

    ## Arguments
    ``render_mode="rgb_array"``, ``max_steps=20``, ``max_placements=10``, ``image_size=(256, 256)`` (None: no
    image in the observation; pointing then uses a 256 x 256 camera), ``reward=None``, ``invalid_penalty=0.0``.

    ## Version History
    * v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 2}
    KIND = "SceneSynthAsset-v0"

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 20, max_placements: int = 10,
                 image_size=(256, 256), reward: Any = None, invalid_penalty: float = 0.0):  # fmt: skip
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise SceneGymError(f"expected render_mode None or 'rgb_array', got {render_mode!r}")
        if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
            raise SceneGymError(f"expected max_steps as a positive integer, got {max_steps!r}")
        self.render_mode = render_mode
        self.max_steps, self.max_placements = max_steps, int(max_placements)
        self.image_size = C.image_shape(image_size)
        self.camera_size = self.image_size or (256, 256)
        self.invalid_penalty = float(invalid_penalty)
        self._reward = C.resolve_reward(reward)
        obs = {"camera": spaces.Box(-1e4, 1e4, (16,), np.float32), "prompt": C.text_space(C.PROMPT_MAX),
               "placed": C.text_space(C.FEEDBACK_MAX), "feedback": C.text_space(C.FEEDBACK_MAX)}  # fmt: skip
        if self.image_size:
            w, h = self.image_size
            obs = {"image": spaces.Box(0, 255, (h, w, 3), np.uint8), **obs}
        self.observation_space = spaces.Dict(obs)
        self.action_space = spaces.Dict({"point": spaces.Box(0.0, 1.0, (2,), np.float32),
                                         "asset": C.text_space(256)})  # fmt: skip
        self.scene: Scene | None = None
        self.receptacle: str | None = None
        self.camera = None
        self._world = self._renderer = None
        self._steps = self._placements = 0
        self._placed: list[str] = []
        self._feedback, self._value, self._terms, self._rgb = "", 0.0, {}, None

    # --- helpers --------------------------------------------------------------------------------------------
    def _get_world(self):
        if self._world is None:
            from scene_gym.physics import PhysicsWorld

            self._world = PhysicsWorld()
        self._world.sync(self.scene)
        return self._world

    def _score(self):
        return self._reward(self.scene, {"world": self._get_world(), "prompt": self.scene.prompt, "env": self.KIND})

    def _new_view(self) -> None:
        from scene_gym.render.views import closeup_camera

        self.camera, _ = closeup_camera(self.scene, self.np_random, receptacle=self.receptacle,
                                        width=self.camera_size[0], height=self.camera_size[1])  # fmt: skip
        self._rgb = None

    def _image(self) -> np.ndarray:
        if self._rgb is None:
            if self._renderer is None:
                from scene_gym.render import Renderer

                self._renderer = Renderer("tiny")
            self._rgb = self._renderer.render(self.scene, self.camera, check=False).rgb
        return self._rgb

    def _obs(self) -> dict:
        cam = self.camera
        vec = np.concatenate([[cam.fx, cam.fy, cam.cx, cam.cy], cam.cam_to_world[:3].reshape(-1)]).astype(np.float32)
        obs = {"camera": vec, "prompt": C.clean_text(self.scene.prompt, C.PROMPT_MAX),
               "placed": C.clean_text("\n".join(self._placed) or "(nothing yet)", C.FEEDBACK_MAX),
               "feedback": C.clean_text(self._feedback, C.FEEDBACK_MAX)}  # fmt: skip
        if self.image_size:
            obs = {"image": self._image().copy(), **obs}
        return obs

    # --- gymnasium API --------------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        options = C.check_options(options, ("prompt", "receptacle"))
        names = sorted(RECEPTACLES)
        category = options.get("receptacle") or names[int(self.np_random.integers(len(names)))]
        prompts = receptacle_prompts(category)
        prompt = options.get("prompt") or prompts[int(self.np_random.integers(len(prompts)))]
        yaw = list(COMPASS_YAW.values())[int(self.np_random.integers(4))]
        from scene_gym.assets import get_factory

        f = get_factory(category)
        scene = Scene(Room.rectangle(4.0, 4.0, type="living room"), prompt=prompt[: C.PROMPT_MAX])
        scene.new_object(category, position=(2.0, 2.0, 0.0), yaw=yaw, size=f.default_size, material=f.default_material)
        self.scene, self.receptacle = scene, f"{category}_1"
        self._steps = self._placements = 0
        self._placed = []
        self._value, self._terms = self._score()
        self._feedback = f"new episode: decorate {self.receptacle}: {prompt}"
        self._new_view()
        return self._obs(), {"receptacle": self.receptacle, "reward_value": self._value, "step": 0}

    def reject_step(self, reason: str):
        """Count a step whose action could not even be read (used by text-action wrappers); nothing changes."""
        return self._finish(False, reason, {})

    def step(self, action):
        if self.scene is None:
            raise gym.error.ResetNeeded("expected reset() before step()")
        try:
            point, text = self._read(action)
            if text.strip().lower() in ("done", "stop", "finish"):
                return self._finish(True, "finished", {}, done=True)
            extra = self._place(point, text)
        except SceneGymError as err:
            return self._finish(False, str(err), {})
        return self._finish(True, extra.pop("message"), extra)

    def _read(self, action) -> tuple[np.ndarray, str]:
        if not isinstance(action, dict) or "point" not in action or "asset" not in action:
            raise _Reject(f"expected an action dict with 'point' and 'asset', got {type(action).__name__}")
        try:
            point = np.asarray(action["point"], dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise _Reject(f"expected point as 2 numbers in [0, 1], got {action['point']!r:.60}") from None
        if point.shape != (2,) or not np.isfinite(point).all() or (point < 0).any() or (point > 1).any():
            raise _Reject(f"expected point as 2 finite numbers in [0, 1], got {point.tolist()!r:.60}")
        text, error = C.action_text(action["asset"], limit=256)
        if text is None or not text.strip():
            raise _Reject(error or "expected a description of the object to place, got empty text")
        return point, text.strip()

    def _place(self, point: np.ndarray, text: str) -> dict:
        from scene_gym.assets import get_factory, search

        if self._placements >= self.max_placements:
            raise _Reject(f"expected at most {self.max_placements} placements, got one more")
        world, scene = self._get_world(), self.scene
        cam = self.camera
        origin, direction = cam.ray((point[0] * cam.width, point[1] * cam.height))
        hit = world.ray_cast(origin, direction, max_dist=20.0)[0]
        at = f"pixel ({point[0]:.3f}, {point[1]:.3f})"
        allowed = {self.receptacle, *(o.id for o in scene.descendants(self.receptacle))}
        if not hit.hit:
            raise _Reject(f"the ray through {at} hit nothing")
        if hit.object_id not in allowed:
            raise _Reject(f"the ray through {at} hit {hit.object_id}, not {self.receptacle} or an item on it")
        if hit.normal[2] < math.cos(math.radians(MAX_SLOPE_DEG)):
            raise _Reject(f"the surface hit at {at} is not placeable: its normal is {math.degrees(math.acos(min(1, max(-1, hit.normal[2])))):.0f} "
                          f"degrees from vertical (at most {MAX_SLOPE_DEG:.0f})")  # fmt: skip
        matches = search(text, limit=40)
        small = [m for m in matches if get_factory(m.category).small]
        if not small or small[0].score < 0.5 * matches[0].score:
            raise _Reject(f"expected a small object to put on {self.receptacle}, got {text!r:.60} (best match: "
                          f"{matches[0].category}, not a small object)")  # fmt: skip
        category = small[0].category
        f = get_factory(category)
        w, d, h = f.default_size
        above = world.ray_cast(hit.point + np.array([0, 0, 0.002]), (0.0, 0.0, 1.0), max_dist=h)[0]
        if above.hit:
            raise _Reject(f"only {above.distance:.2f} m free above {at}, a {category} needs {h:.2f} m")
        parent = scene.get(hit.object_id)
        with scene.transaction():
            obj = scene.new_object(category, position=tuple(float(v) for v in hit.point), yaw=parent.yaw,
                                   size=f.default_size, material=f.default_material, parent=parent.id)  # fmt: skip
            try:
                world.sync(scene)
                hits = world.collisions(ids=[obj.id])
                if hits:
                    c = hits[0]
                    raise _Reject(f"a {category} at {at} would collide: {c.a} and {c.b} overlap by {100 * c.depth:.1f} cm")
                if obj.id in world.support():
                    raise _Reject(f"a {category} at {at} would not rest on {parent.id} (it overhangs the edge)")
                if obj.id in world.out_of_bounds():
                    raise _Reject(f"a {category} at {at} would leave the room")
            except SceneGymError:
                scene.remove(obj.id)
                world.sync(scene)
                raise
        self._placements += 1
        self._placed.append(f"{obj.id} ({text[:60]}) on {parent.id} at ({obj.position[0]:.2f}, {obj.position[1]:.2f}, "
                            f"{obj.position[2]:.2f})")  # fmt: skip
        return {"message": f"placed {obj.id} ({category}) on {parent.id}", "category": category,
                "placed_id": obj.id, "hit": {"object": hit.object_id, "point": hit.point.tolist()}}  # fmt: skip

    def _finish(self, ok: bool, message: str, extra: dict, done: bool = False):
        self._steps += 1
        before = self._value
        if ok and extra:
            self._value, self._terms = self._score()
        reward = self._value - before - (0.0 if ok else self.invalid_penalty)
        terminated = done or self._placements >= self.max_placements
        truncated = not terminated and self._steps >= self.max_steps
        self._feedback = f"{'ok' if ok else 'rejected'}: {message}; reward {reward:+.3f}"
        self._new_view()
        info = {"ok": ok, "reason": "" if ok else message, "placements": self._placements, "step": self._steps,
                "reward_value": self._value, "reward_terms": dict(self._terms), **extra}  # fmt: skip
        return self._obs(), float(reward), terminated, truncated, info

    def render(self):
        if self.render_mode != "rgb_array" or self.scene is None:
            return None
        return self._image().copy()

    def close(self):
        C.close_resources(self)

    # --- checkpoints ----------------------------------------------------------------------------------------
    def get_state(self) -> str:
        """JSON text with the scene, receptacle, counters, placed items, camera and generator state."""
        if self.scene is None:
            raise SceneGymError("expected reset() before get_state()")
        return C.state_json(self.KIND, self.scene, self.np_random, receptacle=self.receptacle, steps=self._steps,
                            placements=self._placements, placed=self._placed, feedback=self._feedback,
                            camera=self.camera.to_dict())  # fmt: skip

    def set_state(self, state) -> dict:
        """Restore a :meth:`get_state` checkpoint; returns the observation."""
        from scene_gym.render import Camera

        data, scene = C.parse_state(state, self.KIND)
        if self._np_random is None:
            self.reset()
        self.np_random.bit_generator.state = data["rng"]
        self.scene, self.receptacle = scene, str(data["receptacle"])
        self._steps, self._placements = int(data["steps"]), int(data["placements"])
        self._placed, self._feedback = [str(p) for p in data["placed"]], str(data["feedback"])
        self.camera, self._rgb = Camera.from_dict(data["camera"]), None
        self._value, self._terms = self._score()
        return self._obs()
