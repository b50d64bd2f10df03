"""Pieces the scene envs share besides the shell: the prompt suite, starting rooms, reset options, the composite
image, the task spec and checkpoint parsing.

Text spaces and caps live in :mod:`scene_gym.envs.spaces`; the reward is resolved by
:func:`scene_gym.rewards.as_reward`.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from scene_gym.envs.spaces import PROMPT_MAX
from scene_gym.errors import SceneGymError
from scene_gym.scene import Opening, Room, Scene


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
    from scene_gym.assets.validation import check_scene  # categories, sizes and params, before any building

    if isinstance(value, Scene):
        return check_scene(value.copy())
    if isinstance(value, str | bytes | dict):
        return check_scene(Scene.from_json(value))
    raise SceneGymError(f"expected options['scene'] as a Scene, JSON text or dict, got {type(value).__name__}")


def initial_scene(options: dict, rng: np.random.Generator, prompts=PROMPTS) -> Scene:
    """The scene an episode starts from: ``options["scene"]`` (JSON text, dict or Scene) with an optional
    ``options["prompt"]`` replacing its prompt, else an empty room for ``options["prompt"]``, else an empty room
    for a prompt drawn from ``prompts`` with ``rng``."""
    prompt = options.get("prompt")
    if "scene" in options:
        scene = load_scene_option(options["scene"])
        if prompt is None:
            return scene
        return Scene(scene.room, scene.objects, scene.lights, prompt=prompt[:PROMPT_MAX], metadata=scene.metadata,
                     definitions=scene.definitions)
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


# --- task spec and checkpoints -----------------------------------------------------------------------------
def task_spec(prompt: str):
    """The :class:`~scene_gym.spec.TaskSpec` of a prompt (parsed once per episode and shared by every reward)."""
    from scene_gym.spec import parse_prompt

    return parse_prompt(prompt or "")


def parse_state(state: Any, kind: str) -> tuple[dict, Scene, np.random.Generator]:
    """Read a checkpoint of :meth:`~scene_gym.envs.shell.SceneEnv.get_state` without touching any env: (the
    decoded dict with ``steps`` and ``feedback`` checked, the scene, a generator in the saved state). Errors
    are :class:`SceneGymError` naming the bad field."""
    from scene_gym.envs.shell import STATE_SCHEMA

    try:
        data = json.loads(state) if isinstance(state, str | bytes | bytearray) else state
    except (ValueError, TypeError, RecursionError) as err:
        raise SceneGymError(f"expected environment state JSON from get_state(), got invalid JSON: {err}") from None
    if not isinstance(data, dict):
        raise SceneGymError(f"expected environment state as a JSON object from get_state(), got {type(data).__name__}")
    if data.get("schema") != STATE_SCHEMA:
        raise SceneGymError(f"state.schema: expected {STATE_SCHEMA!r} (from get_state()), got {data.get('schema')!r:.80}")
    if data.get("env") != kind:
        raise SceneGymError(f"state.env: expected a state of {kind!r}, got one of {data.get('env')!r:.80}")
    steps = data.get("steps")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise SceneGymError(f"state.steps: expected a non-negative integer, got {steps!r:.80}")
    if not isinstance(data.get("feedback"), str):
        raise SceneGymError(f"state.feedback: expected text, got {type(data.get('feedback')).__name__}")
    generator = np.random.Generator(np.random.PCG64())
    try:
        generator.bit_generator.state = data.get("rng")
    except (TypeError, ValueError, KeyError, OverflowError) as err:
        raise SceneGymError(f"state.rng: expected a PCG64 generator state from get_state(), got {err}") from None
    from scene_gym.assets.validation import check_scene

    return data, check_scene(Scene.from_dict(data.get("scene"))), generator
