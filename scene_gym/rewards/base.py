"""The reward interface: ``Reward(scene, context) -> RewardResult(value, terms)``, and weighted sums of rewards.

A reward is a pure function of a scene and a :class:`RewardContext` (the prompt, its task spec, renders,
the step). It returns a float ``value`` and named ``terms``: every term is finite and lies in the bounds its
reward documents (dm_control style), so environments can put them straight into ``info``.

Rewards compose with arithmetic on weights::

    r = 0.5 * make_reward("clip") + 0.5 * make_reward("quality")    # a WeightedSum
    r = make_reward("0.5*clip+0.5*quality")                          # the same, from a string

A :class:`WeightedSum`'s value is ``sum(w_i * value_i)``; its terms are each part's value under the part's
name and each part's terms under ``"<name>.<term>"``.

One :class:`RewardContext` belongs to one scene state: it caches renders and metrics the first time a reward
asks for them, so several rewards on the same state share the work. Make a new context after the scene
changes (environments do this every step).
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scene_gym.errors import RewardError

DEFAULT_RENDER_SIZE = (224, 224)


@dataclass(frozen=True)
class RewardResult:
    """A reward's output.

    Attributes:
        value: the scalar reward (finite).
        terms: named components (finite), each within the bounds its reward documents.
    """

    value: float
    terms: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self):
        try:
            value = float(self.value)
        except (TypeError, ValueError):
            raise RewardError(f"reward value: expected a float, got {self.value!r}") from None
        if not math.isfinite(value):
            raise RewardError(f"reward value: expected a finite float, got {value!r}")
        object.__setattr__(self, "value", value)
        terms = {}
        for name, v in dict(self.terms).items():
            try:
                fv = float(v)
            except (TypeError, ValueError):
                raise RewardError(f"reward term {name!r}: expected a float, got {v!r}") from None
            if not math.isfinite(fv):
                raise RewardError(f"reward term {name!r}: expected a finite float, got {fv!r}")
            terms[str(name)] = fv
        object.__setattr__(self, "terms", terms)

    def to_dict(self) -> dict[str, Any]:
        """``{"value": float, "terms": {name: float}}``."""
        return {"value": self.value, "terms": dict(self.terms)}


class RewardContext:
    """What a reward may look at besides the scene, computed lazily and cached.

    Args:
        prompt: the task text; default: the scene's own prompt when a reward first asks.
        spec: the :class:`~scene_gym.spec.TaskSpec`; default: ``parse_prompt(prompt)`` on first use.
        renders: view name -> (H, W, 3) uint8 image, given by the caller (e.g. the environment's
            observation); missing views are rendered on demand with :func:`scene_gym.render.render_views`.
        step: environment step (0 at reset).
        elapsed_s: seconds spent generating the scene so far (the ``T`` of SceneOrchestra's cost score C).
        render_size: (width, height) pixels of on-demand renders.
        backend: render backend of on-demand renders (``"tiny"``, ``"mujoco"``...).
        world: a :class:`~scene_gym.physics.PhysicsWorld` to evaluate metrics with (kept warm across steps
            by environments); default: the judge's own.
    """

    def __init__(self, prompt: str | None = None, spec=None, renders: Mapping[str, np.ndarray] | None = None,
                 step: int = 0, elapsed_s: float = 0.0, render_size: tuple[int, int] = DEFAULT_RENDER_SIZE,
                 backend: str = "tiny", world=None):  # fmt: skip
        if prompt is not None and not isinstance(prompt, str):
            raise RewardError(f"context prompt: expected a string, got {type(prompt).__name__}")
        if not isinstance(step, int | np.integer) or step < 0:
            raise RewardError(f"context step: expected a non-negative integer, got {step!r}")
        if not isinstance(elapsed_s, int | float) or not math.isfinite(elapsed_s) or elapsed_s < 0:
            raise RewardError(f"context elapsed_s: expected a finite number of seconds >= 0, got {elapsed_s!r}")
        self._prompt = prompt
        self._spec = spec
        self.step = int(step)
        self.elapsed_s = float(elapsed_s)
        self.render_size = tuple(render_size)
        self.backend = backend
        self.world = world
        self._renders: dict[str, np.ndarray] = dict(renders or {})
        self._cache: dict[str, Any] = {}

    # --- prompt and spec ----------------------------------------------------------------------------------
    def prompt_for(self, scene) -> str:
        """The prompt: the one given, else the scene's."""
        return self._prompt if self._prompt is not None else (getattr(scene, "prompt", "") or "")

    def spec_for(self, scene):
        """The task spec: the one given, else parsed from :meth:`prompt_for` (cached)."""
        if self._spec is None:
            from scene_gym.spec import parse_prompt

            self._spec = parse_prompt(self.prompt_for(scene))
        return self._spec

    # --- renders ------------------------------------------------------------------------------------------
    def renders(self, scene, views: Sequence[str]) -> dict[str, np.ndarray]:
        """Images (H, W, 3) uint8 for ``views`` (view names of :mod:`scene_gym.render.views`), rendering the
        missing ones in one batch."""
        missing = [v for v in views if v not in self._renders]
        if missing:
            from scene_gym.render import render_views

            results = render_views(scene, missing, size=self.render_size, backend=self.backend)
            for name, res in results.items():
                self._renders[name] = res.rgb
        return {v: self._renders[v] for v in views}

    def render(self, scene, view: str) -> np.ndarray:
        """One view's image (H, W, 3) uint8."""
        return self.renders(scene, [view])[view]

    # --- shared cached values -----------------------------------------------------------------------------
    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()`` the first time ``key`` is asked for on this context; the stored value afterwards."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


class Reward(abc.ABC):
    """Base class. Subclasses set ``name`` and implement :meth:`compute`; override :meth:`compute_batch`
    when batching is faster (CLIP). ``reward(scene)`` uses a fresh context."""

    name: str = "reward"

    @abc.abstractmethod
    def compute(self, scene, context: RewardContext) -> RewardResult:
        """The reward of one scene."""

    def compute_batch(self, scenes: Sequence, contexts: Sequence[RewardContext]) -> list[RewardResult]:
        """Rewards of several scenes (default: one by one)."""
        return [self.compute(s, c) for s, c in zip(scenes, contexts, strict=True)]

    def __call__(self, scene, context: RewardContext | None = None) -> RewardResult:
        return self.compute(scene, context if context is not None else RewardContext())

    def close(self) -> None:  # noqa: B027 - optional hook: most rewards hold nothing
        """Release held resources (physics worlds, models). Safe to call twice."""

    # --- composition --------------------------------------------------------------------------------------
    def _parts(self) -> list[tuple[float, Reward]]:
        return [(1.0, self)]

    def __mul__(self, weight: float) -> WeightedSum:
        w = _weight(weight)
        return WeightedSum([(w * a, r) for a, r in self._parts()])

    __rmul__ = __mul__

    def __add__(self, other: Reward) -> WeightedSum:
        if not isinstance(other, Reward):
            return NotImplemented
        return WeightedSum(self._parts() + other._parts())

    def __neg__(self) -> WeightedSum:
        return self * -1.0

    def __sub__(self, other: Reward) -> WeightedSum:
        if not isinstance(other, Reward):
            return NotImplemented
        return self + (-other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def _weight(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise RewardError(f"reward weight: expected a number, got {value!r}")
    w = float(value)
    if not math.isfinite(w):
        raise RewardError(f"reward weight: expected a finite number, got {w!r}")
    return w


class WeightedSum(Reward):
    """``sum(w_i * reward_i)``; terms: each part's value as ``"<name>"`` and its terms as ``"<name>.<term>"``
    (a repeated name gets ``"#2"``, ``"#3"``... appended). The value's bounds are the weighted sum of the
    parts' bounds."""

    def __init__(self, parts: Iterable[tuple[float, Reward]]):
        self.parts: list[tuple[float, Reward]] = []
        for w, r in parts:
            if not isinstance(r, Reward):
                raise RewardError(f"weighted sum: expected Reward parts, got {type(r).__name__}")
            self.parts.append((_weight(w), r))
        if not self.parts:
            raise RewardError("weighted sum: expected at least one part, got none")
        self.name = "+".join(f"{w:g}*{r.name}" for w, r in self.parts)
        self._labels = []
        seen: dict[str, int] = {}
        for _, r in self.parts:
            seen[r.name] = seen.get(r.name, 0) + 1
            self._labels.append(r.name if seen[r.name] == 1 else f"{r.name}#{seen[r.name]}")

    def _parts(self) -> list[tuple[float, Reward]]:
        return list(self.parts)

    def _combine(self, results: list[RewardResult]) -> RewardResult:
        value, terms = 0.0, {}
        for (w, _), label, res in zip(self.parts, self._labels, results, strict=True):
            value += w * res.value
            terms[label] = res.value
            for k, v in res.terms.items():
                terms[f"{label}.{k}"] = v
        return RewardResult(value, terms)

    def compute(self, scene, context: RewardContext) -> RewardResult:
        return self._combine([r.compute(scene, context) for _, r in self.parts])

    def compute_batch(self, scenes, contexts) -> list[RewardResult]:
        per_part = [r.compute_batch(scenes, contexts) for _, r in self.parts]
        return [self._combine([p[i] for p in per_part]) for i in range(len(scenes))]

    def close(self) -> None:
        for _, r in self.parts:
            r.close()

    def __repr__(self) -> str:
        return f"WeightedSum({self.name!r})"
