"""The policy interface shared by every agent (heuristic, random, scripted, local VLM, API) and by the trainers.

A :class:`Policy` maps one observation of a scene-gym environment to one action in that environment's action
space. It is seeded (:meth:`Policy.reset`), can answer a batch (:meth:`Policy.act_batch`) and can propose several
candidates with their log-probabilities where a model gives them (:meth:`Policy.sample`), which is what best-of-N
self-improvement and DPO pair collection need.

A policy is told which kind of environment it acts in (:class:`~scene_gym.envs.kinds.EnvKind`): once per episode
with ``policy.reset(seed, kind=info["env_kind"])`` (:func:`~scene_gym.agents.rollout.run_episode` does it), or per
call with ``kind=``. It answers according to the kind's :attr:`~scene_gym.envs.kinds.EnvKind.action_format`
(``dsl``, ``point``, ``trajectory``, ``toolcall``), never its name, so a kind registered later that reuses a
format is served by every policy without another edit. Nothing is guessed from observation keys.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scene_gym.envs.kinds import ACTION_FORMATS, EnvKind, get_kind
from scene_gym.errors import SceneGymError

KindLike = EnvKind | str
"""An :class:`~scene_gym.envs.kinds.EnvKind`, a registered kind's name (``"scene"``) or its Gymnasium id."""


def as_kind(kind: KindLike) -> EnvKind:
    """The registered :class:`EnvKind` for a kind, its name or its id; unknown ones raise :class:`SceneGymError`."""
    return kind if isinstance(kind, EnvKind) else get_kind(kind)


def action_format(kind_or_format: KindLike) -> str:
    """The action format (a key of :data:`~scene_gym.envs.kinds.ACTION_FORMATS`) of a kind, a kind's name or id,
    or a format given as is (``"dsl"``). Unknown values raise :class:`SceneGymError` listing both."""
    if isinstance(kind_or_format, EnvKind):
        return kind_or_format.action_format
    if isinstance(kind_or_format, str) and kind_or_format in ACTION_FORMATS:
        return kind_or_format
    try:
        return get_kind(kind_or_format).action_format
    except SceneGymError:
        from scene_gym.envs.kinds import ENV_KINDS

        raise SceneGymError(f"expected an env kind among {list(ENV_KINDS)} or an action format among "
                            f"{list(ACTION_FORMATS)}, got {kind_or_format!r}") from None  # fmt: skip


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

    Subclasses implement :meth:`sample` (and may override :meth:`act` when one candidate is cheaper), reading the
    env kind with :meth:`kind_for` and dispatching on its ``action_format``; a format they do not speak raises
    :meth:`unsupported`.

    Args:
        seed: seeds :attr:`rng`.
        kind: the env kind to act in (an :class:`EnvKind`, its name or id), or None until :meth:`reset` gives one.

    Attributes:
        name: short name used on the leaderboard (``"heuristic"``, ``"random"``, ``"vlm"``, ``"api"``).
        version: bump when behaviour changes, so leaderboard rows stay reproducible.
        formats: the action formats the policy speaks.
        takes_images: whether the policy looks at observation images (callers may turn rendering off otherwise).
        kind: the env kind of the current episode (None until told).
    """

    name: str = "policy"
    version: str = "1"
    formats: tuple[str, ...] = ("dsl", "point", "trajectory", "toolcall")
    takes_images: bool = False

    def __init__(self, seed: int | None = None, *, kind: KindLike | None = None):
        self.rng = np.random.default_rng(seed)
        self.kind: EnvKind | None = None if kind is None else as_kind(kind)

    def reset(self, seed: int | None = None, *, kind: KindLike | None = None) -> None:
        """Re-seed the policy's generator and, when ``kind`` is given, store the env kind of the episode (call at
        the start of an episode: ``policy.reset(seed, kind=info["env_kind"])``). Without ``kind`` the stored one
        is kept."""
        self.rng = np.random.default_rng(seed)
        if kind is not None:
            self.kind = as_kind(kind)

    def kind_for(self, kind: KindLike | None = None) -> EnvKind:
        """The env kind to answer for: ``kind`` when given, else the one stored by :meth:`reset`. Raises
        :class:`SceneGymError` saying how to give one when neither is there, or when the kind's action format is
        not among :attr:`formats`."""
        chosen = kind if kind is not None else self.kind
        if chosen is None:
            raise SceneGymError(f"{type(self).__name__} does not know which env kind it acts in: call "
                                f"policy.reset(kind=info['env_kind']) after env.reset, or pass kind= "
                                f"(an EnvKind or its name, e.g. 'scene')")  # fmt: skip
        found = as_kind(chosen)
        if found.action_format not in self.formats:
            raise self.unsupported(found)
        return found

    def unsupported(self, kind: EnvKind) -> SceneGymError:
        """The error for a kind whose action format this policy does not speak."""
        return SceneGymError(f"expected an env kind whose action format is among {list(self.formats)} for policy "
                             f"{self.name!r}, got {kind.name!r} (format {kind.action_format!r})")  # fmt: skip

    @staticmethod
    def check_count(n: Any) -> int:
        """``n`` as a candidate count; anything but a positive int raises :class:`SceneGymError`."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise SceneGymError(f"expected n as a positive integer, got {n!r}")
        return n

    @abc.abstractmethod
    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        """``n`` candidate actions for one observation of an env of ``kind`` (default: the stored kind), drawn
        from ``self.rng`` or the model's sampler."""

    def act(self, observation: Mapping[str, Any], *, kind: KindLike | None = None) -> Any:
        """One action for one observation."""
        return self.sample(observation, 1, kind=kind)[0].action

    def act_batch(self, observations: Sequence[Mapping[str, Any]], *, kind: KindLike | None = None) -> list[Any]:
        """One action per observation, all of one env kind (override for batched model inference)."""
        return [self.act(o, kind=kind) for o in observations]

    def describe(self) -> dict[str, Any]:
        """JSON-ready identity for leaderboard entries: name, version and anything that pins the model."""
        return {"name": self.name, "version": self.version}
