"""``make_policy(spec)``: a policy from a short string, as the CLI and the benchmark runner take it.

==================  ==========================================================================================
spec                policy
==================  ==========================================================================================
``heuristic``       :class:`~scene_gym.agents.heuristic.HeuristicPolicy` (offline planner)
``random``          :class:`~scene_gym.agents.random_policy.RandomPolicy` (leaderboard floor)
``vlm:PATH``        ``scene_gym.agents.vlm.VLMPolicy`` over a local checkpoint directory (transformers)
``api:MODEL``       ``scene_gym.agents.api.APIPolicy`` over an OpenAI-compatible endpoint (``base_url=`` kwarg)
==================  ==========================================================================================

Keyword arguments go to the policy's constructor. An unknown spec raises :class:`SceneGymError` listing the
known ones.
"""

from __future__ import annotations

import difflib
import importlib
from typing import Any

from scene_gym.agents.base import Policy
from scene_gym.errors import SceneGymError

#: name -> ("module:Class", takes an argument after the colon)
POLICIES: dict[str, tuple[str, bool]] = {
    "heuristic": ("scene_gym.agents.heuristic.policy:HeuristicPolicy", False),
    "random": ("scene_gym.agents.random_policy:RandomPolicy", False),
    "vlm": ("scene_gym.agents.vlm:VLMPolicy", True),
    "api": ("scene_gym.agents.api:APIPolicy", True),
}


def known_specs() -> list[str]:
    """The accepted spec forms, e.g. ``["heuristic", "random", "vlm:PATH", "api:MODEL"]``."""
    arg = {"vlm": "vlm:PATH", "api": "api:MODEL"}
    return [arg.get(name, name) for name in POLICIES]


def make_policy(spec: str, seed: int | None = None, **kwargs: Any) -> Policy:
    """A policy for ``spec`` (module docstring), seeded with ``seed``."""
    if not isinstance(spec, str) or not spec.strip():
        raise SceneGymError(f"expected a policy spec among {known_specs()}, got {spec!r}")
    name, sep, arg = spec.strip().partition(":")
    name = name.strip().lower()
    if name not in POLICIES:
        close = difflib.get_close_matches(name, list(POLICIES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SceneGymError(f"expected a policy spec among {known_specs()}, got {spec!r}{hint}")
    target, needs_arg = POLICIES[name]
    if needs_arg and not arg.strip():
        raise SceneGymError(f"expected {name}:{'PATH' if name == 'vlm' else 'MODEL'} (e.g. {name}:"
                            f"{'./checkpoints/qwen' if name == 'vlm' else 'gpt-4o-mini'}), got {spec!r}")  # fmt: skip
    if not needs_arg and sep:
        raise SceneGymError(f"expected {name!r} without an argument, got {spec!r}")
    module, cls_name = target.split(":")
    try:
        cls = getattr(importlib.import_module(module), cls_name)
    except ImportError as err:
        extra = " (pip install 'scene-gym[train]')" if name == "vlm" else ""
        raise SceneGymError(f"policy {name!r} is not available here: {err}{extra}") from None
    if needs_arg:
        return cls(arg.strip(), seed=seed, **kwargs)
    return cls(seed, **kwargs)


__all__ = ["POLICIES", "known_specs", "make_policy"]
