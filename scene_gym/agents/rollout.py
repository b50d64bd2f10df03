"""Recorded episodes: what a policy saw and did, serialisable to JSON lines for training and analysis.

:func:`run_episode` tells the policy the env kind it acts in (``info["env_kind"]`` of the reset, else
:func:`~scene_gym.envs.kinds.kind_of` the env) and records the env id and kind in the :class:`Rollout`.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.scene.io import atomic_write


@dataclass
class Step:
    """One transition.

    Attributes:
        observation: the observation's text fields (images are replaced by ``image_paths``).
        image_paths: PNG files holding the observation's images, if they were saved.
        action: the action, made JSON-ready (arrays become lists).
        reward: the step reward.
        terminated, truncated: Gymnasium's episode-end flags.
        info: the step's info dict, JSON-ready.
    """

    observation: dict[str, Any]
    action: Any
    reward: float
    terminated: bool
    truncated: bool
    info: dict[str, Any] = field(default_factory=dict)
    image_paths: list[str] = field(default_factory=list)


@dataclass
class Rollout:
    """An episode: the env id, the policy's identity, the seed, the steps, the final scene JSON, the env kind's
    name (``"scene"``; None in rollouts recorded before kinds were named) and, for an episode that failed before
    its end (a server that never answered, in :mod:`scene_gym.agents.async_rollout`), ``error`` (the error's type
    and message; None otherwise; written to the header line only when set)."""

    env_id: str
    policy: dict[str, Any]
    seed: int | None
    steps: list[Step] = field(default_factory=list)
    final_scene: dict[str, Any] | None = None
    env_kind: str | None = None
    error: str | None = None

    @property
    def total_reward(self) -> float:
        """Sum of step rewards."""
        return float(sum(s.reward for s in self.steps))

    def to_jsonl(self) -> str:
        """One header line (env, policy, seed, final scene) and one line per step."""
        header = {"env_id": self.env_id, "env_kind": self.env_kind, "policy": self.policy, "seed": self.seed,
                  "final_scene": self.final_scene}  # fmt: skip
        if self.error is not None:
            header["error"] = self.error
        lines = [json.dumps(header, allow_nan=False)]
        lines += [json.dumps(asdict(s), allow_nan=False) for s in self.steps]
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_jsonl` atomically."""
        return atomic_write(path, self.to_jsonl())

    @classmethod
    def load(cls, path: str | Path) -> Rollout:
        """Read a rollout written by :meth:`save`."""
        lines = Path(path).read_text().splitlines()
        header = json.loads(lines[0])
        steps = [Step(**json.loads(line)) for line in lines[1:]]
        return cls(header["env_id"], header["policy"], header["seed"], steps, header["final_scene"],
                   header.get("env_kind"), header.get("error"))  # fmt: skip


def jsonable(value: Any) -> Any:
    """``value`` with numpy arrays and scalars turned into lists and floats, non-finite floats into None."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, str | int | bool) or value is None:
        return value
    return repr(value)


def episode_steps(policy, *, seed: int | None = None, options: dict | None = None, max_steps: int = 1000,
                  image_dir: str | Path | None = None, kind=None, catch: tuple[type[BaseException], ...] = ()
                  ) -> Generator[tuple, Any, Rollout]:  # fmt: skip
    """One episode without I/O: the recording logic shared by :func:`run_episode` (an env in this thread) and
    :mod:`scene_gym.agents.async_rollout` (envs in workers, the policy on an event loop).

    Yields requests and is sent their results:

    - ``("reset", seed, options)`` -> ``(observation, info, env id or None)``;
    - ``("kind",)`` (only when neither ``kind`` nor ``info["env_kind"]`` names it) -> the env's kind;
    - ``("act", observation)`` -> the policy's action;
    - ``("step", action)`` -> Gymnasium's 5-tuple;
    - ``("final",)`` -> the final scene's dict, or None.

    An error of a type in ``catch`` thrown in at an ``act`` or ``step`` request ends the episode as failed: the
    steps so far are kept and :attr:`Rollout.error` holds ``"<type>: <message>"``. Returns the :class:`Rollout`.
    """
    from PIL import Image

    from scene_gym.agents.base import as_kind

    obs, info, env_id = yield ("reset", seed, options)
    found = as_kind(kind if kind is not None else (info or {}).get("env_kind") or (yield ("kind",)))
    policy.reset(seed, kind=found)
    rollout = Rollout(env_id or found.env_id, policy.describe(), seed, env_kind=found.name)
    try:
        for k in range(max_steps):
            action = yield ("act", obs)
            texts, images = {}, []
            for key, value in obs.items():
                if isinstance(value, np.ndarray) and value.dtype == np.uint8 and value.ndim == 3:
                    if image_dir is not None:
                        path = Path(image_dir) / f"step_{k}_{key}.png"
                        path.parent.mkdir(parents=True, exist_ok=True)
                        Image.fromarray(value).save(path)
                        images.append(str(path))
                else:
                    texts[key] = jsonable(value)
            obs, reward, terminated, truncated, info = yield ("step", action)
            rollout.steps.append(Step(texts, jsonable(action), float(reward), bool(terminated), bool(truncated),
                                      jsonable(info), images))  # fmt: skip
            if terminated or truncated:
                break
    except catch as err:
        rollout.error = f"{type(err).__name__}: {err}"
    rollout.final_scene = yield ("final",)
    return rollout


def answer_env_request(env, request: tuple) -> Any:
    """Answer one env request of :func:`episode_steps` (every request but ``("act", observation)``, which the
    policy answers) by calling ``env``: ``reset`` -> ``(obs, info, env id or None)``, ``kind`` -> its
    :class:`~scene_gym.envs.kinds.EnvKind`, ``step`` -> the step's 5-tuple, ``final`` -> the scene as a dict (None
    for an env without one)."""
    op = request[0]
    if op == "reset":
        obs, info = env.reset(seed=request[1], options=request[2])
        spec = getattr(env, "spec", None)
        return obs, info, spec.id if spec else None
    if op == "kind":
        from scene_gym.envs.kinds import kind_of

        return kind_of(env)
    if op == "step":
        return env.step(request[1])
    scene = getattr(env.unwrapped, "scene", None)
    return scene.to_dict() if scene is not None else None


def run_episode(env, policy, *, seed: int | None = None, options: dict | None = None, max_steps: int = 1000,
                image_dir: str | Path | None = None, kind=None) -> Rollout:
    """Run ``policy`` in ``env`` from ``reset(seed=seed, options=options)`` until the episode ends.

    The policy is reset with ``seed`` and the env's kind: ``kind`` when given (an
    :class:`~scene_gym.envs.kinds.EnvKind` or its name), else ``info["env_kind"]`` of the reset, else
    :func:`~scene_gym.envs.kinds.kind_of` ``(env)``. Observation images are written as PNGs under ``image_dir``
    (``step_<k>_<key>.png``) when it is given and dropped otherwise; text fields are recorded as they are.
    Returns the :class:`Rollout`.
    """

    def serve(request: tuple) -> Any:
        return policy.act(request[1]) if request[0] == "act" else answer_env_request(env, request)

    steps = episode_steps(policy, seed=seed, options=options, max_steps=max_steps, image_dir=image_dir, kind=kind)
    try:
        request = next(steps)
        while True:
            request = steps.send(serve(request))
    except StopIteration as done:
        return done.value
