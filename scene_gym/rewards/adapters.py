"""One way to turn what a user passes as ``reward=`` into a :class:`~scene_gym.rewards.Reward`:
:func:`as_reward` takes a Reward, a string spec (:func:`~scene_gym.rewards.make_reward`) or a plain function
``(scene, context) -> float | (float, terms) | RewardResult``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scene_gym.rewards.base import Reward, RewardContext, RewardError, RewardResult


class FunctionReward(Reward):
    """A reward from a function ``fn(scene, context)`` returning a float, a ``(float, {name: float})`` pair or a
    :class:`RewardResult`; ``context`` is the :class:`RewardContext` of the scene state."""

    def __init__(self, fn: Callable[[Any, RewardContext], Any], name: str | None = None):
        if not callable(fn):
            raise RewardError(f"expected a callable reward function, got {type(fn).__name__}")
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "function")

    def compute(self, scene, context: RewardContext) -> RewardResult:
        out = self.fn(scene, context)
        if isinstance(out, RewardResult):
            return out
        if isinstance(out, tuple) and len(out) == 2:
            return RewardResult(out[0], out[1])
        return RewardResult(out)


def as_reward(spec: Any, default: str = "quality") -> Reward:
    """``spec`` as a Reward: a Reward (returned as is), a string spec for
    :func:`~scene_gym.rewards.make_reward` (``"quality"``, ``"q"``, ``"q_phy"``, ``"0.5*clip+0.5*quality"``),
    a callable (wrapped in :class:`FunctionReward`), or None for ``default``. Anything else raises
    :class:`RewardError` naming its type."""
    from scene_gym.rewards.reward_spec import make_reward

    if spec is None:
        return make_reward(default)
    if isinstance(spec, Reward):
        return spec
    if isinstance(spec, str):
        return make_reward(spec)
    if callable(spec):
        return FunctionReward(spec)
    raise RewardError(f"expected reward as a Reward, a string spec or a callable, got {type(spec).__name__}")
