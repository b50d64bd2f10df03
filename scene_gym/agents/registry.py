"""``make_policy(spec)``: the one policy factory, for the CLI, the benchmark runner, the examples and the tests.

==========================  ==================================================================================
spec                        policy
==========================  ==================================================================================
``heuristic``               :class:`~scene_gym.agents.heuristic.HeuristicPolicy` (offline planner)
``random``                  :class:`~scene_gym.agents.random_policy.RandomPolicy` (leaderboard floor)
``scripted``                :class:`~scene_gym.agents.scripted.ScriptedPolicy` (the scripted baselines)
``test:NAME``               a harness-testing policy of :mod:`scene_gym.agents.testing` (``fast``, ``slow``,
                            ``raise``, ``hang``)
``vlm:PATH``                ``scene_gym.agents.vlm.VLMPolicy`` over a local checkpoint directory (transformers)
``api:MODEL``               ``scene_gym.agents.api.APIPolicy`` over an OpenAI-compatible endpoint
                            (``base_url=`` kwarg)
``import:MODULE:FACTORY``   your own: ``FACTORY(seed=...)`` returning a :class:`~scene_gym.agents.Policy`;
                            imported by name, never evaluated
==========================  ==================================================================================

Keyword arguments go to the policy's constructor, and ``kind=`` (an env kind or its name) is stored in the
policy as :meth:`~scene_gym.agents.Policy.reset` would. An unknown spec raises :class:`SceneGymError` listing
the known ones. These spec strings are what leaderboard entries store, so they stay stable.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import re
from typing import Any

from scene_gym.agents.base import KindLike, Policy
from scene_gym.errors import SceneGymError

#: name -> ("module:Class", what follows the colon: None for nothing, else its placeholder)
POLICIES: dict[str, tuple[str, str | None]] = {
    "heuristic": ("scene_gym.agents.heuristic.policy:HeuristicPolicy", None),
    "random": ("scene_gym.agents.random_policy:RandomPolicy", None),
    "scripted": ("scene_gym.agents.scripted:ScriptedPolicy", None),
    "test": ("scene_gym.agents.testing:TEST_POLICIES", "NAME"),
    "vlm": ("scene_gym.agents.vlm:VLMPolicy", "PATH"),
    "api": ("scene_gym.agents.api:APIPolicy", "MODEL"),
    "import": ("", "MODULE:FACTORY"),
}
_EXAMPLE = {"test": "test:fast", "vlm": "vlm:./checkpoints/qwen", "api": "api:gpt-4o-mini",
            "import": "import:mypkg.policies:make"}  # fmt: skip
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def known_specs() -> list[str]:
    """The accepted spec forms: ``["heuristic", "random", "scripted", "test:NAME", "vlm:PATH", ...]``."""
    return [name if arg is None else f"{name}:{arg}" for name, (_, arg) in POLICIES.items()]


def _load(target: str, name: str):
    module, cls_name = target.split(":")
    try:
        return getattr(importlib.import_module(module), cls_name)
    except ImportError as err:
        extra = " (pip install 'scene-gym[train]')" if name == "vlm" else ""
        raise SceneGymError(f"policy {name!r} is not available here: {err}{extra}") from None


def _imported(target: str, seed: int | None, kwargs: dict) -> Any:
    module, _, attr = target.partition(":")
    if not _DOTTED.match(module) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", attr or ""):
        raise SceneGymError(f"expected a policy 'import:MODULE:FACTORY' (e.g. {_EXAMPLE['import']!r}), "
                            f"got 'import:{target}'")  # fmt: skip
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise SceneGymError(f"unknown policy module {module!r} in 'import:{target}' (not importable)")
    factory = getattr(importlib.import_module(module), attr, None)
    if not callable(factory):
        raise SceneGymError(f"expected a callable {attr!r} in module {module!r}, got {type(factory).__name__}")
    return factory(seed=seed, **kwargs)


def _build(name: str, arg: str, seed: int | None, kwargs: dict) -> Any:
    target, _ = POLICIES[name]
    if name == "import":
        return _imported(arg, seed, kwargs)
    if name == "test":
        tests = _load(target, name)
        if arg not in tests:
            raise SceneGymError(f"unknown test policy 'test:{arg}'; known: {', '.join('test:' + k for k in tests)}")
        return tests[arg](seed, **kwargs)
    cls = _load(target, name)
    return cls(arg, seed=seed, **kwargs) if POLICIES[name][1] else cls(seed, **kwargs)


def make_policy(spec: str, seed: int | None = None, *, kind: KindLike | None = None, **kwargs: Any) -> Policy:
    """A policy for ``spec`` (module docstring), seeded with ``seed`` and, when ``kind`` is given, told its env
    kind. Raises :class:`SceneGymError` for an unknown spec or one that does not build a :class:`Policy`."""
    if not isinstance(spec, str) or not spec.strip():
        raise SceneGymError(f"expected a policy spec among {known_specs()}, got {spec!r}")
    name, sep, arg = spec.strip().partition(":")
    name, arg = name.strip().lower(), arg.strip()
    if name not in POLICIES:
        close = difflib.get_close_matches(name, list(POLICIES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SceneGymError(f"expected a policy spec among {known_specs()}, got {spec!r}{hint}")
    placeholder = POLICIES[name][1]
    if placeholder and not arg:
        raise SceneGymError(f"expected {name}:{placeholder} (e.g. {_EXAMPLE[name]}), got {spec!r}")
    if not placeholder and sep:
        raise SceneGymError(f"expected {name!r} without an argument, got {spec!r}")
    policy = _build(name, arg, seed, kwargs)
    if not isinstance(policy, Policy):
        raise SceneGymError(f"expected policy {spec!r} to build a scene_gym.agents.Policy, got {type(policy).__name__}")
    if kind is not None:
        policy.reset(seed, kind=kind)
    return policy


__all__ = ["POLICIES", "known_specs", "make_policy"]
