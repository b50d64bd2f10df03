"""Empty-room baselines: a model's score for the task's room with nothing in it, reported beside the score so a user
can subtract it.

CLIP and model judges give an empty room a score above their floor (a CLIP cosine of 0.2, a judge's 3/10 for
"realism"), so their raw value rewards part of nothing. :class:`EmptyRoomBaseline` wraps such a reward: for each
scene it also scores the **empty room** (:func:`empty_room`: the same room, its door and window objects and its
lights, no other object; the same prompt and task spec) and reports

- ``terms["baseline"]``: the wrapped reward's value for the empty room, in the wrapped reward's bounds;
- ``value``: the wrapped reward's value, or with ``subtract=True`` ``value - baseline`` (then also
  ``terms["absolute"]``, the value before subtracting). An empty room then scores exactly 0.

The baseline is computed once per (prompt, room) and kept in memory (:data:`BASELINE_CACHE_SIZE` entries, least
recently used dropped first); model judges also keep the empty room's answer in their SQLite cache, so a new
process asks again for nothing. The room is identified by a hash of its JSON, its door/window objects and its
lights. The empty room is scored with a fresh :class:`~scene_gym.rewards.base.RewardContext` (same prompt, spec,
render size and backend, no given renders, no physics world: the environment's world stays synced to its scene).

In reward specs: ``clip``, ``judge:openai:...``, ``judge:vlm:...`` and the ``quality``/``q`` rewards on those
judges report ``baseline`` always; a last argument ``:relative`` subtracts it (``clip:relative``,
``clip:ViT-B-32:laion2b_s34b_b79k:relative``, ``judge:vlm:/ckpt:relative``, ``judge:offline:relative``).
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence

from scene_gym.rewards.base import Reward, RewardContext, RewardError, RewardResult

BASELINE_CACHE_SIZE = 1024
RELATIVE = "relative"


def empty_room(scene):
    """The scene's room with no objects but its doors and windows (``DOOR_CATEGORIES``), with its lights and
    prompt: a new :class:`~scene_gym.scene.Scene`; ``scene`` is not changed."""
    from scene_gym.assets.factory import DOOR_CATEGORIES
    from scene_gym.scene.scene import Scene

    keep = [o for o in scene.objects if o.category in DOOR_CATEGORIES]
    return Scene(scene.room, keep, scene.lights, scene.prompt, {})


def room_key(scene) -> str:
    """sha256 hex of the room's JSON, its door/window objects and its lights: what the empty room depends on."""
    empty = empty_room(scene)
    parts = [empty.room.model_dump(mode="json"), [o.model_dump(mode="json") for o in empty.objects],
             [light.model_dump(mode="json") for light in empty.lights]]  # fmt: skip
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def split_relative(arg: str | None) -> tuple[str | None, bool]:
    """A reward-spec argument without a trailing ``relative`` segment, and whether it had one:
    ``"ViT-B-32:tag:relative" -> ("ViT-B-32:tag", True)``, ``"relative" -> (None, True)``."""
    if not arg:
        return arg, False
    if arg == RELATIVE:
        return None, True
    head, sep, last = arg.rpartition(":")
    if sep and last == RELATIVE:
        return head or None, True
    return arg, False


class EmptyRoomBaseline(Reward):
    """A reward and its empty-room baseline (module docstring).

    Args:
        inner: the reward to wrap (its ``name`` is kept, with ``:relative`` appended when subtracting).
        subtract: report ``value - baseline`` instead of the value.
        cache_size: baselines kept in memory (least recently used dropped first).

    Attributes:
        baseline_calls: how many empty rooms were scored (cache misses).
    """

    def __init__(self, inner: Reward, subtract: bool = False, cache_size: int = BASELINE_CACHE_SIZE):
        if not isinstance(inner, Reward):
            raise RewardError(f"baseline: expected a Reward to wrap, got {type(inner).__name__}")
        if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 1:
            raise RewardError(f"baseline cache_size: expected an integer >= 1, got {cache_size!r}")
        self.inner, self.subtract, self.cache_size = inner, bool(subtract), cache_size
        self.name = f"{inner.name}:{RELATIVE}" if subtract else inner.name
        self._cache: OrderedDict[tuple[str, str], float] = OrderedDict()
        self.baseline_calls = 0

    def baselines(self, scenes: Sequence, contexts: Sequence[RewardContext]) -> list[float]:
        """The empty-room value for each scene (cached per (prompt, room); missing ones scored in one batch)."""
        keys = [(ctx.prompt_for(s), room_key(s)) for s, ctx in zip(scenes, contexts, strict=True)]
        todo: dict[tuple[str, str], tuple] = {}
        for key, s, ctx in zip(keys, scenes, contexts, strict=True):
            if key not in self._cache and key not in todo:
                fresh = RewardContext(prompt=key[0], spec=ctx.spec_for(s), render_size=ctx.render_size,
                                      backend=ctx.backend)  # fmt: skip
                todo[key] = (empty_room(s), fresh)
        if todo:
            results = self.inner.compute_batch([e for e, _ in todo.values()], [c for _, c in todo.values()])
            self.baseline_calls += len(todo)
            for key, res in zip(todo, results, strict=True):
                self._cache[key] = res.value
        out = []
        for key in keys:
            self._cache.move_to_end(key)
            out.append(self._cache[key])
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return out

    def _with(self, res: RewardResult, base: float) -> RewardResult:
        terms = {**res.terms, "baseline": base}
        if not self.subtract:
            return RewardResult(res.value, terms)
        return RewardResult(res.value - base, {**terms, "absolute": res.value})

    def compute(self, scene, context: RewardContext) -> RewardResult:
        return self.compute_batch([scene], [context])[0]

    def compute_batch(self, scenes, contexts) -> list[RewardResult]:
        """The wrapped reward's results (in one batch) with their baselines."""
        results = self.inner.compute_batch(scenes, contexts)
        return [self._with(r, b) for r, b in zip(results, self.baselines(scenes, contexts), strict=True)]

    def close(self) -> None:
        self.inner.close()
        self._cache.clear()

    def __repr__(self) -> str:
        return f"EmptyRoomBaseline({self.inner!r}, subtract={self.subtract})"
