"""Policy specs for the benchmark: ``heuristic``, ``random``, ``vlm:PATH``, ``api:MODEL`` (from
:func:`scene_gym.agents.registry.make_policy`), plus ``scripted`` (the environments' scripted baselines),
``test:NAME`` (the harness-testing policies of :mod:`scene_gym.benchmarks.testing`) and
``import:MODULE:FACTORY`` (your own: ``FACTORY(seed=...)`` returning a :class:`~scene_gym.agents.Policy`;
imported by name, never evaluated).

Also the identity helpers an entry records: :func:`model_of` (the model path a spec names) and
:func:`hash_model` (sha256 of a model file or folder).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scene_gym.agents.base import Candidate, Policy, env_kind
from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.errors import SceneGymError

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
BUILTIN = ("scripted",)


class ScriptedPolicy(Policy):
    """The environments' scripted baselines (:mod:`scene_gym.envs.scripted`) behind the :class:`Policy`
    interface: random plausible DSL programs, points near the close-up's centre, ten-call tool trajectories.
    Which one answers is told by the observation (:func:`~scene_gym.agents.base.env_kind`)."""

    name = "scripted"
    version = "1"

    def __init__(self, seed: int | None = None):
        super().__init__(seed)
        self._seed = seed
        self._impl: dict[str, Any] = {}

    def reset(self, seed: int | None = None) -> None:
        super().reset(seed)
        self._seed, self._impl = seed, {}

    def _policy(self, kind: str):
        if kind not in self._impl:
            from scene_gym.envs.scripted import ScriptedDSLPolicy, ScriptedPointPolicy
            from scene_gym.envs.tool_scripts import ScriptedToolPolicy

            seed = 0 if self._seed is None else int(self._seed)
            self._impl[kind] = {"scene": lambda: ScriptedDSLPolicy(seed), "asset": lambda: ScriptedPointPolicy(seed),
                                "trajectory": lambda: ScriptedToolPolicy(seed, one_shot=True),
                                "toolstep": lambda: ScriptedToolPolicy(seed, one_shot=False)}[kind]()  # fmt: skip
        return self._impl[kind]

    def sample(self, observation: Mapping[str, Any], n: int = 1) -> list[Candidate]:
        impl = self._policy(env_kind(observation))
        return [Candidate(impl(observation)) for _ in range(n)]


def _import(target: str, seed: int | None):
    module, _, attr = target.partition(":")
    if not _DOTTED.match(module) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", attr or ""):
        raise BenchmarkError(f"expected a policy 'import:MODULE:FACTORY' (e.g. 'import:mypkg.policies:make'), "
                             f"got 'import:{target}'")  # fmt: skip
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise BenchmarkError(f"unknown policy module {module!r} in 'import:{target}' (not importable)")
    factory = getattr(importlib.import_module(module), attr, None)
    if not callable(factory):
        raise BenchmarkError(f"expected a callable {attr!r} in module {module!r}, got {type(factory).__name__}")
    return factory(seed=seed)


def make_benchmark_policy(spec: str, seed: int | None = None) -> Policy:
    """A policy from a spec (module docstring). Unknown specs raise :class:`BenchmarkError` naming them."""
    if not isinstance(spec, str) or not spec.strip():
        raise BenchmarkError(f"expected a policy spec such as 'heuristic' or 'vlm:PATH', got {spec!r}")
    if spec.startswith("import:"):
        policy = _import(spec[len("import:"):], seed)
    elif spec == "scripted":
        policy = ScriptedPolicy(seed)
    elif spec.startswith("test:"):
        from scene_gym.benchmarks.testing import TEST_POLICIES

        name = spec[len("test:"):]
        if name not in TEST_POLICIES:
            raise BenchmarkError(f"unknown test policy {spec!r}; known: {', '.join('test:' + k for k in TEST_POLICIES)}")
        policy = TEST_POLICIES[name](seed=seed)
    else:
        if importlib.util.find_spec("scene_gym.agents.registry") is None:
            raise BenchmarkError(f"unknown policy {spec!r}: scene_gym.agents.registry is not installed here; "
                                 f"known: {', '.join(BUILTIN)}, test:NAME, import:MODULE:FACTORY")  # fmt: skip
        from scene_gym.agents.registry import make_policy

        try:
            policy = make_policy(spec, seed=seed)
        except SceneGymError as err:
            raise BenchmarkError(f"policy {spec!r}: {err}") from None
        except (KeyError, ValueError) as err:
            raise BenchmarkError(f"unknown policy {spec!r}: {err}") from None
    if not all(callable(getattr(policy, m, None)) for m in ("act", "reset", "describe")):
        raise BenchmarkError(f"expected policy {spec!r} to build a Policy (act, reset, describe), got "
                             f"{type(policy).__name__}")  # fmt: skip
    return policy


def model_of(spec: str, description: Mapping[str, Any] | None = None) -> str:
    """The model a policy spec names: the PATH of ``vlm:PATH``, the MODEL of ``api:MODEL``, else what the
    policy's ``describe()`` gives as ``model_path`` or ``model`` ("" when none)."""
    kind, _, arg = spec.partition(":")
    if kind in ("vlm", "api") and arg:
        return arg
    d = dict(description or {})
    return str(d.get("model_path") or d.get("model") or "")


def hash_model(path: str, chunk: int = 1 << 20) -> str:
    """``"sha256:<hex>"`` of a model file, or of a folder's files (relative names and contents, sorted);
    "" when ``path`` is not a local file or folder (an API model name)."""
    p = Path(path).expanduser() if path else None
    if p is None or not p.exists():
        return ""
    files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file())
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(p) if p.is_dir() else f.name).encode() + b"\0")
        with open(f, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
    return "sha256:" + h.hexdigest()
