"""Pieces shared by the scene-gym environments: text spaces, the prompt suite, starting rooms, the composite image,
and the reward wiring.

Text observations use :data:`CHARSET` (printable ASCII plus whitespace); any other character is written as
``?`` and text longer than a space's ``max_length`` is cut with ``" ...[cut]"``, so every observation is inside
its space. Rewards are callables ``(scene, context) -> (value, terms)``; see :func:`resolve_reward`.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from typing import Any

import numpy as np
from gymnasium import spaces

from scene_gym.errors import SceneGymError
from scene_gym.scene import Opening, Room, Scene

#: Characters of every Text space: printable ASCII and whitespace (tab, newline...).
CHARSET = string.printable
_OUTSIDE = re.compile(r"[^\t\n\r\x0b\x0c\x20-\x7e]")
_CUT = " ...[cut]"

PROMPT_MAX = 1024
FEEDBACK_MAX = 8192
SCENE_MAX = 32768
ACTION_MAX = 20000

RewardFn = Callable[[Scene, dict], tuple[float, dict]]


def text_space(max_length: int) -> spaces.Text:
    """A Text space over :data:`CHARSET` with ``min_length=0``."""
    return spaces.Text(max_length=max_length, min_length=0, charset=CHARSET)


def clean_text(text: Any, max_length: int) -> str:
    """``text`` made a member of :func:`text_space` (``max_length``): unknown characters -> ``?``, cut to length."""
    out = _OUTSIDE.sub("?", str(text))
    if len(out) > max_length:
        out = out[: max_length - len(_CUT)] + _CUT
    return out


def action_text(action: Any, limit: int = 1_000_000) -> tuple[str | None, str]:
    """Decode a text action: (text, "") or (None, why it is not text). Bytes are decoded as UTF-8."""
    if isinstance(action, np.ndarray) and action.shape == () and action.dtype.kind in "US":
        action = action.item()
    if isinstance(action, bytes | bytearray):
        action = bytes(action).decode("utf-8", errors="replace")
    if not isinstance(action, str):
        return None, f"expected the action as text (str), got {type(action).__name__}"
    if len(action) > limit:
        return None, f"expected at most {limit} characters, got {len(action)}"
    return action, ""


def image_shape(image_size) -> tuple[int, int] | None:
    """Validate ``image_size`` = (width, height) pixels in [16, 1024], or None/0 for no image."""
    if image_size is None or (isinstance(image_size, int | np.integer) and int(image_size) == 0):
        return None
    if isinstance(image_size, int | np.integer):
        image_size = (int(image_size), int(image_size))
    try:
        w, h = (int(v) for v in image_size)
    except (TypeError, ValueError):
        raise SceneGymError(f"expected image_size as (width, height) pixels or None, got {image_size!r}") from None
    if not (16 <= w <= 1024 and 16 <= h <= 1024):
        raise SceneGymError(f"expected image_size sides in [16, 1024] pixels, got {image_size!r}")
    return w, h


# --- prompts and starting rooms -------------------------------------------------------------------------------
#: The built-in prompt suite: prompt, room type, width range (m), depth range (m).
PROMPTS: tuple[dict[str, Any], ...] = (
    {"prompt": "A cosy bedroom with a double bed, two nightstands and a wardrobe.", "room": "bedroom", "w": (3.6, 4.8), "d": (3.8, 5.0)},
    {"prompt": "A bright living room with a sofa facing a TV, a coffee table and a reading corner.", "room": "living room", "w": (4.5, 6.0), "d": (4.0, 5.5)},
    {"prompt": "A dining room for six with a sideboard and a plant.", "room": "dining room", "w": (3.8, 5.0), "d": (3.5, 4.5)},
    {"prompt": "A small home office with a desk, a bookshelf and a comfortable chair.", "room": "office", "w": (3.0, 4.0), "d": (3.0, 4.0)},
    {"prompt": "A compact kitchen with a counter, a fridge, a stove and a small table.", "room": "kitchen", "w": (3.0, 4.2), "d": (3.0, 4.0)},
    {"prompt": "A children's room with a bunk bed, a toy chest and a little table.", "room": "children room", "w": (3.2, 4.2), "d": (3.2, 4.2)},
    {"prompt": "A home gym with a treadmill, a weight bench and a dumbbell rack.", "room": "gym", "w": (4.0, 6.0), "d": (4.0, 5.0)},
    {"prompt": "A meeting room with a long table, chairs around it and a whiteboard.", "room": "meeting room", "w": (4.5, 6.5), "d": (3.5, 5.0)},
    {"prompt": "A waiting room with a row of chairs, a side table and a plant.", "room": "waiting room", "w": (4.0, 5.5), "d": (3.5, 5.0)},
    {"prompt": "A game room with a pool table, an arcade machine and a sofa.", "room": "game room", "w": (5.0, 7.0), "d": (4.5, 6.0)},
    {"prompt": "A studio apartment with a bed, a sofa, a small kitchen counter and a dining table.", "room": "studio apartment", "w": (5.0, 7.0), "d": (4.5, 6.0)},
    {"prompt": "A nursery with a crib, a changing table and a rocking chair.", "room": "nursery", "w": (3.0, 4.0), "d": (3.0, 4.0)},
)  # fmt: skip


def draw_prompt(rng: np.random.Generator, prompts=PROMPTS) -> dict[str, Any]:
    """One entry of the prompt suite, drawn with ``rng``."""
    return dict(prompts[int(rng.integers(len(prompts)))])


def room_for_prompt(prompt: str) -> dict[str, Any]:
    """A suite entry for a free-text prompt: the room type named in it (default "living room"), suite sizes."""
    from scene_gym.scene import ROOM_TYPES

    low = prompt.lower()
    kind = next((t for t in sorted(ROOM_TYPES, key=len, reverse=True) if t in low), "living room")
    match = next((p for p in PROMPTS if p["room"] == kind), None)
    w, d = (match["w"], match["d"]) if match else ((4.0, 5.5), (3.5, 5.0))
    return {"prompt": prompt, "room": kind, "w": w, "d": d}


def make_room(entry: dict[str, Any], rng: np.random.Generator) -> Room:
    """A rectangular room for a suite entry: size drawn uniformly in its ranges (rounded to 10 cm), a door on the
    south wall and a window on the north wall, both at drawn offsets."""
    w = round(float(rng.uniform(*entry["w"])), 1)
    d = round(float(rng.uniform(*entry["d"])), 1)
    door = Opening(id="door_1", kind="door", wall=0, offset=round(float(rng.uniform(0.6, w - 0.6)), 2), width=0.9,
                   height=2.05)  # fmt: skip
    window = Opening(id="window_1", kind="window", wall=2, offset=round(float(rng.uniform(0.8, w - 0.8)), 2),
                     width=1.2, height=1.2, sill=0.9)  # fmt: skip
    return Room.rectangle(w, d, type=entry["room"], openings=(door, window))


def load_scene_option(value: Any) -> Scene:
    """``options["scene"]`` as a Scene: a Scene (copied), its JSON text, or its dict."""
    if isinstance(value, Scene):
        return value.copy()
    if isinstance(value, str | bytes):
        return Scene.from_json(value)
    if isinstance(value, dict):
        return Scene.from_dict(value)
    raise SceneGymError(f"expected options['scene'] as a Scene, JSON text or dict, got {type(value).__name__}")


def initial_scene(options: dict, rng: np.random.Generator, prompts=PROMPTS) -> Scene:
    """The scene an episode starts from: ``options["scene"]`` (JSON text, dict or Scene) with an optional
    ``options["prompt"]`` replacing its prompt, else an empty room for ``options["prompt"]``, else an empty room
    for a prompt drawn from ``prompts`` with ``rng``."""
    prompt = options.get("prompt")
    if "scene" in options:
        scene = load_scene_option(options["scene"])
        if prompt is not None:
            scene.prompt = prompt[:PROMPT_MAX]
        return scene
    entry = room_for_prompt(prompt[:PROMPT_MAX]) if prompt is not None else draw_prompt(rng, prompts)
    return Scene(make_room(entry, rng), prompt=entry["prompt"])


def close_resources(env, names: tuple[str, ...] = ("_world", "_renderer")) -> None:
    """Close and drop an env's backend handles (a physics world, a renderer); safe to call twice."""
    for name in names:
        handle = getattr(env, name, None)
        if handle is not None:
            handle.close()
            setattr(env, name, None)


def check_options(options: Any, allowed: tuple[str, ...]) -> dict:
    """``options`` as a dict with only ``allowed`` keys; raise :class:`SceneGymError` naming unknown ones."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise SceneGymError(f"expected reset options as a dict, got {type(options).__name__}")
    unknown = sorted(map(str, set(options) - set(allowed)))
    if unknown:
        raise SceneGymError(f"expected reset options among {list(allowed)}, got unknown {unknown}")
    prompt = options.get("prompt")
    if prompt is not None and not isinstance(prompt, str):
        raise SceneGymError(f"expected options['prompt'] as text, got {type(prompt).__name__}")
    return options


# --- images -----------------------------------------------------------------------------------------------------
COMPOSITE_VIEWS = ("topdown", "topdown_ids", "corner_0", "corner_2")
"""The 2 x 2 tiles of the composite image, row by row: top-down with a metric grid, top-down with ids, and the
views from two opposite floor corners."""


def render_composite(renderer, scene: Scene, size: tuple[int, int]) -> np.ndarray:
    """(height, width, 3) uint8 composite of :data:`COMPOSITE_VIEWS`, each tile (width // 2, height // 2)."""
    w, h = size
    tw, th = w // 2, h // 2
    corners = [v for v in COMPOSITE_VIEWS if not v.startswith("corner_") or int(v.split("_")[1]) < len(scene.room.floor)]
    views = renderer.views(scene, corners, size=(tw, th))
    out = np.zeros((h, w, 3), dtype=np.uint8)
    for k, name in enumerate(COMPOSITE_VIEWS):
        if name in views:
            r, c = divmod(k, 2)
            out[r * th : (r + 1) * th, c * tw : (c + 1) * tw] = views[name].rgb
    return out


# --- rewards -----------------------------------------------------------------------------------------------------
def physical_reward(scene: Scene, context: dict) -> tuple[float, dict]:
    """SceneOrchestra's physical score ``q_phy = n_obj - 4 (n_oob + n_collisions)`` from
    :func:`scene_gym.metrics.evaluate` (``context["world"]``, a PhysicsWorld, makes it incremental)."""
    from scene_gym.metrics import evaluate

    m = evaluate(scene, context.get("world"))
    return float(m.q_phy), {"q_phy": float(m.q_phy), "n_obj": float(m.n_obj), "n_collisions": float(m.n_collisions),
                            "n_oob": float(m.n_oob)}  # fmt: skip


def _coerce(result: Any) -> tuple[float, dict]:
    if isinstance(result, tuple) and len(result) == 2:
        value, terms = result
    elif hasattr(result, "total") or hasattr(result, "value"):
        value = getattr(result, "total", getattr(result, "value", 0.0))
        terms = getattr(result, "terms", {}) or {}
    else:
        value, terms = result, {}
    value = float(value)
    if not np.isfinite(value):
        raise SceneGymError(f"expected a finite reward, got {value!r}")
    return value, {str(k): float(v) for k, v in dict(terms).items() if isinstance(v, int | float | np.number)}


def _package_reward(obj) -> RewardFn:
    """Adapt a ``scene_gym.rewards.Reward``: the env's context dict becomes a fresh ``RewardContext``."""
    from scene_gym.rewards import RewardContext

    def call(scene: Scene, ctx: dict) -> tuple[float, dict]:
        context = RewardContext(prompt=ctx.get("prompt"), step=int(ctx.get("step", 0)),
                                elapsed_s=float(ctx.get("elapsed_s", 0.0)), world=ctx.get("world"))  # fmt: skip
        return _coerce(obj(scene, context))

    call.reward = obj  # type: ignore[attr-defined]
    return call


def resolve_reward(spec: Any = None) -> RewardFn:
    """A reward callable ``(scene, context) -> (value, terms)`` from ``spec``.

    ``context`` is a dict with ``world`` (the env's PhysicsWorld), ``prompt``, ``step``, ``elapsed_s`` (seconds
    of simulated tool time, trajectory envs) and ``env`` (its id).

    ``spec``: a callable with that signature (it may return a float, a (float, dict) pair, or an object with
    ``total``/``value`` and ``terms``); a :class:`scene_gym.rewards.Reward`; a string spec for
    :func:`scene_gym.rewards.make_reward` (``"quality"``, ``"0.5*clip+0.5*quality"``...); ``"q_phy"`` for
    SceneOrchestra's physical score (:func:`physical_reward`); or None for the default, ``"quality"``.
    """
    from scene_gym.rewards import Reward, make_reward

    if isinstance(spec, Reward):
        return _package_reward(spec)
    if callable(spec):
        return lambda scene, ctx: _coerce(spec(scene, ctx))
    if spec is not None and not isinstance(spec, str):
        raise SceneGymError(f"expected reward as a callable or a string spec, got {type(spec).__name__}")
    if spec == "q_phy":
        return physical_reward
    return _package_reward(make_reward(spec or "quality"))


def state_json(kind: str, scene: Scene, rng: np.random.Generator, **extra: Any) -> str:
    """Checkpoint text: the scene JSON, the environment's generator state and ``extra`` fields."""
    return json.dumps({"schema": "scene-gym/env-state@1", "env": kind, "scene": scene.to_dict(),
                       "rng": rng.bit_generator.state, **extra}, ensure_ascii=False, allow_nan=False)  # fmt: skip


def parse_state(state: Any, kind: str) -> tuple[dict, Scene]:
    """Inverse of :func:`state_json`: (the decoded dict, the scene); errors name the bad field."""
    try:
        data = json.loads(state) if isinstance(state, str | bytes) else dict(state)
    except (ValueError, TypeError) as err:
        raise SceneGymError(f"expected environment state JSON from get_state(), got {type(state).__name__}: {err}") from None
    if not isinstance(data, dict) or data.get("schema") != "scene-gym/env-state@1":
        raise SceneGymError("expected a state with schema 'scene-gym/env-state@1' (from get_state())")
    if data.get("env") != kind:
        raise SceneGymError(f"expected a state of {kind}, got one of {data.get('env')!r}")
    return data, Scene.from_dict(data.get("scene"))
