"""Environment kinds, declared once: the short name the CLI, the benchmark and the policies use, the Gymnasium
id, the entry point, the action format and the starting state.

Everything that needs to know which environments exist reads :data:`ENV_KINDS` (agents, benchmarks, the CLI,
the tests). A new kind is one :func:`register_kind` call: it is registered with Gymnasium, listed by
:func:`scene_kinds`, accepted by ``scene-gym generate --env`` and benchmark suites, and served by every policy
that speaks its :attr:`EnvKind.action_format`.

=============  ===============================  =================  ===========  ===================================
kind           id                               action format      starts from  published origin
=============  ===============================  =================  ===========  ===================================
``scene``      ``SceneSynth-v1``                ``dsl``            room         3D-Generalist, scene level
``asset``      ``SceneSynthAsset-v2``           ``point``          receptacle   3D-Generalist, asset level (Molmo)
``trajectory`` ``SceneSynthTrajectory-v1``      ``trajectory``     room         SceneOrchestra
``toolstep``   ``SceneSynthToolStep-v1``        ``toolcall``       room         SceneWeaver
``robot``      ``SceneSynthArticulation-v0``    ``control``        object       SceneCode (MuJoCo robot)
=============  ===============================  =================  ===========  ===================================

Policies learn the kind of the env they act in from ``info["env_kind"]`` (every reset and step of a scene-gym
env carries it) or from :func:`kind_of` on the env; nothing guesses it from observation keys.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from scene_gym.errors import SceneGymError

#: What a policy writes, per action format.
ACTION_FORMATS: Mapping[str, str] = MappingProxyType({
    "dsl": "text: a program in the scene DSL",
    "point": "dict(point=(u, v) in [0, 1]^2, asset=text): a pixel on a receptacle close-up and what to put there",
    "trajectory": "text: a JSON list of tool calls, run in one shot",
    "toolcall": "text: one JSON tool call per step",
    "control": "Box: continuous robot control",
})  # fmt: skip

#: What an episode starts from, per kind: an empty room, a receptacle in a room, or one articulated object.
STARTS = ("room", "receptacle", "object")


@dataclass(frozen=True)
class EnvKind:
    """One environment kind.

    Attributes:
        name: short name (``"scene"``), used by the CLI, benchmark suites and policies.
        env_id: the Gymnasium id (``"SceneSynth-v1"``).
        entry_point: ``"module:Class"`` of the env.
        action_format: a key of :data:`ACTION_FORMATS`; policies dispatch on it, so a new kind that reuses a
            format is served by every existing policy.
        starts_from: a member of :data:`STARTS`; benchmark suites of room prompts run on ``"room"`` kinds and
            receptacle suites on ``"receptacle"`` kinds.
        kwargs: registration defaults (``max_steps``...), given to the env constructor.
        description: one line for help texts.
    """

    name: str
    env_id: str
    entry_point: str
    action_format: str
    starts_from: str = "room"
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.isidentifier() or not self.name.islower():
            raise SceneGymError(f"expected an env kind name in lowercase letters, digits and _, got {self.name!r}")
        if self.action_format not in ACTION_FORMATS:
            raise SceneGymError(f"expected action_format among {list(ACTION_FORMATS)}, got {self.action_format!r}")
        if self.starts_from not in STARTS:
            raise SceneGymError(f"expected starts_from among {list(STARTS)}, got {self.starts_from!r}")
        if ":" not in self.entry_point:
            raise SceneGymError(f"expected entry_point as 'module:Class', got {self.entry_point!r}")
        object.__setattr__(self, "kwargs", MappingProxyType(dict(self.kwargs)))

    @property
    def edits_scene(self) -> bool:
        """True for kinds whose actions edit a scene (every format but robot ``control``)."""
        return self.action_format != "control"


ENV_KINDS: dict[str, EnvKind] = {}
"""Registered kinds by name, in registration order. Read it; add with :func:`register_kind`."""


def register_kind(kind: EnvKind, *, replace: bool = False) -> EnvKind:
    """Add ``kind`` to :data:`ENV_KINDS` and register its id with Gymnasium. A name or id already taken raises
    :class:`SceneGymError` unless ``replace``."""
    import gymnasium as gym

    if not isinstance(kind, EnvKind):
        raise SceneGymError(f"expected an EnvKind, got {type(kind).__name__}")
    clash = [k for k in ENV_KINDS.values() if (k.name == kind.name or k.env_id == kind.env_id) and k != kind]
    if clash and not replace:
        raise SceneGymError(f"expected a new env kind, got {kind.name!r} ({kind.env_id}) which clashes with "
                            f"{clash[0].name!r} ({clash[0].env_id}); pass replace=True to override")  # fmt: skip
    for old in clash:
        ENV_KINDS.pop(old.name, None)
        gym.registry.pop(old.env_id, None)
    ENV_KINDS[kind.name] = kind
    if kind.env_id not in gym.registry or replace:
        gym.register(id=kind.env_id, entry_point=kind.entry_point, kwargs=dict(kind.kwargs))
    return kind


def unregister_kind(name: str) -> None:
    """Remove a kind (and its Gymnasium id); unknown names raise :class:`SceneGymError`."""
    import gymnasium as gym

    kind = get_kind(name)
    del ENV_KINDS[kind.name]
    gym.registry.pop(kind.env_id, None)


def get_kind(name_or_id: str) -> EnvKind:
    """The kind with this short name or Gymnasium id (``"scene"`` or ``"SceneSynth-v1"``)."""
    if isinstance(name_or_id, EnvKind):
        return name_or_id
    if isinstance(name_or_id, str):
        if name_or_id in ENV_KINDS:
            return ENV_KINDS[name_or_id]
        env_id = name_or_id.removeprefix("scene_gym:")
        for kind in ENV_KINDS.values():
            if kind.env_id == env_id:
                return kind
        close = difflib.get_close_matches(name_or_id, [*ENV_KINDS, *(k.env_id for k in ENV_KINDS.values())], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
    else:
        hint = ""
    raise SceneGymError(f"expected an env kind among {list(ENV_KINDS)} (or their ids), got {name_or_id!r}{hint}")


def kind_of(env: Any) -> EnvKind:
    """The kind of a scene-gym env (wrapped or not): from the id it was made with (so a kind registered over an
    existing class is told apart), else from the class's ``KIND`` attribute."""
    inner = getattr(env, "unwrapped", env)
    spec = getattr(inner, "spec", None) or getattr(env, "spec", None)
    if spec is not None and any(k.env_id == spec.id for k in ENV_KINDS.values()):
        return get_kind(spec.id)
    name = getattr(inner, "KIND", None)
    if isinstance(name, str) and name in ENV_KINDS:
        return ENV_KINDS[name]
    raise SceneGymError(f"expected a scene-gym environment, got {type(inner).__name__} (no known id or KIND)")


def scene_kinds(starts_from: str | None = None) -> list[EnvKind]:
    """The kinds whose actions edit a scene, optionally only those starting from ``starts_from``."""
    return [k for k in ENV_KINDS.values() if k.edits_scene and (starts_from is None or k.starts_from == starts_from)]


BUILTIN_KINDS: tuple[EnvKind, ...] = (
    EnvKind("scene", "SceneSynth-v1", "scene_gym.envs.scene_synth:SceneSynthEnv", "dsl",
            kwargs={"max_steps": 10}, description="a scene-DSL program per step (3D-Generalist, scene level)"),
    EnvKind("asset", "SceneSynthAsset-v2", "scene_gym.envs.asset_synth:SceneSynthAssetEnv", "point", "receptacle",
            kwargs={"max_steps": 20}, description="a point on a receptacle close-up and an object (3D-Generalist)"),
    EnvKind("trajectory", "SceneSynthTrajectory-v1", "scene_gym.envs.trajectory:SceneSynthTrajectoryEnv",
            "trajectory", description="a whole tool-call trajectory in one shot (SceneOrchestra)"),
    EnvKind("toolstep", "SceneSynthToolStep-v1", "scene_gym.envs.tool_step:SceneSynthToolStepEnv", "toolcall",
            kwargs={"max_steps": 20}, description="one tool call per step with a review (SceneWeaver)"),
    EnvKind("robot", "SceneSynthArticulation-v0", "scene_gym.envs.articulation:SceneSynthArticulationEnv",
            "control", "object", kwargs={"max_steps": 200},
            description="gripper control to open a drawer or door in MuJoCo (SceneCode)"),
)  # fmt: skip


def register_envs() -> None:
    """Register the built-in kinds (idempotent); ``import scene_gym`` calls it. Imports no env module."""
    for kind in BUILTIN_KINDS:
        if ENV_KINDS.get(kind.name) != kind:
            register_kind(kind, replace=True)


__all__ = ["ACTION_FORMATS", "BUILTIN_KINDS", "ENV_KINDS", "EnvKind", "get_kind", "kind_of", "register_envs",
           "register_kind", "scene_kinds", "unregister_kind"]  # fmt: skip
