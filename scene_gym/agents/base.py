"""The policy interface shared by every agent (heuristic, random, local VLM, API) and by the trainers.

A :class:`Policy` maps one observation of a scene-gym environment to one action in that environment's action
space. It is seeded (:meth:`Policy.reset`), can answer a batch (:meth:`Policy.act_batch`) and can propose several
candidates with their log-probabilities where a model gives them (:meth:`Policy.sample`), which is what best-of-N
self-improvement and DPO pair collection need.

Which environment an observation comes from is told by :func:`env_kind`, so one policy object can serve all four
environments.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scene_gym.errors import SceneGymError

#: Environment kinds, by the shape of their observations.
ENV_KINDS = ("scene", "asset", "trajectory", "toolstep")


def env_kind(observation: Mapping[str, Any]) -> str:
    """The kind of environment an observation comes from: ``"scene"`` (SceneSynth-v0, DSL text actions),
    ``"asset"`` (SceneSynthAsset-v0, point + asset), ``"trajectory"`` (one-shot JSON tool calls) or
    ``"toolstep"`` (one tool call per step). Raises ``ValueError`` for anything else."""
    keys = set(observation)
    if "camera" in keys or "placed" in keys:
        return "asset"
    if "catalogue" in keys and "review" in keys:
        return "toolstep"
    if "catalogue" in keys:
        return "trajectory"
    if "scene" in keys:
        return "scene"
    raise ValueError(f"expected a scene-gym observation, got keys {sorted(keys)}")


@dataclass(frozen=True)
class Candidate:
    """One proposed action with what the policy knows about it.

    Attributes:
        action: the action, ready for ``env.step``.
        text: the raw text a language model produced (None for non-text policies).
        logprob: total log-probability of ``text`` under the model (None when not available).
        meta: anything else worth recording (retries, parse errors fixed, timing).
    """

    action: Any
    text: str | None = None
    logprob: float | None = None
    meta: dict = field(default_factory=dict)


class Policy(abc.ABC):
    """Base class of policies.

    Subclasses implement :meth:`sample` (and may override :meth:`act` when one candidate is cheaper).

    Attributes:
        name: short name used on the leaderboard (``"heuristic"``, ``"random"``, ``"vlm"``, ``"api"``).
        version: bump when behaviour changes, so leaderboard rows stay reproducible.
    """

    name: str = "policy"
    version: str = "1"

    def __init__(self, seed: int | None = None):
        self.rng = np.random.default_rng(seed)

    def reset(self, seed: int | None = None) -> None:
        """Re-seed the policy's generator (call at the start of an episode for reproducible rollouts)."""
        self.rng = np.random.default_rng(seed)

    @staticmethod
    def check_count(n: Any) -> int:
        """``n`` as a candidate count; anything but a positive int raises :class:`SceneGymError`."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise SceneGymError(f"expected n as a positive integer, got {n!r}")
        return n

    @abc.abstractmethod
    def sample(self, observation: Mapping[str, Any], n: int = 1) -> list[Candidate]:
        """``n`` candidate actions for one observation (drawn from ``self.rng`` or the model's sampler)."""

    def act(self, observation: Mapping[str, Any]) -> Any:
        """One action for one observation."""
        return self.sample(observation, 1)[0].action

    def act_batch(self, observations: Sequence[Mapping[str, Any]]) -> list[Any]:
        """One action per observation (override for batched model inference)."""
        return [self.act(o) for o in observations]

    def describe(self) -> dict[str, Any]:
        """JSON-ready identity for leaderboard entries: name, version and anything that pins the model."""
        return {"name": self.name, "version": self.version}
