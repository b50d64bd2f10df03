"""Rollout collection for trainers: a policy's episodes in an env kind over prompts x seeds, run on an executor
(:mod:`scene_gym.benchmarks.executors`: ``"local"`` processes, ``"ray"`` or ``"ray:HOST:PORT"``), returned as
:class:`~scene_gym.agents.rollout.Rollout` records in task order (prompt-major, then seed), whatever order the
workers finished in.

Each worker (:class:`RolloutWorker`) builds its env and policy once and runs
:func:`scene_gym.agents.run_episode` per task; the same (policy, env, prompt, seed) gives the same rollout on
either executor. With ``out_dir``, the driver writes each rollout as JSON lines (``<k>.jsonl``, k the task's
index, zero-padded to 5 digits) and its observation images (``<k>/step_<s>_<key>.png``); the workers write
nothing.

No trainer calls this yet; it is the shared entry point for self-improvement, SFT/DPO data and best-of-K
sampling.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.errors import SceneGymError


class RolloutError(SceneGymError):
    """A rollout collection that cannot start (bad argument) or whose episode failed."""


@dataclass(frozen=True)
class RolloutConfig:
    """What every rollout worker builds (picklable).

    Attributes:
        policy: the policy spec (:func:`scene_gym.agents.registry.make_policy`).
        kind: the env kind's fields (:func:`scene_gym.benchmarks.episode.kind_fields`).
        reward: env reward spec (None: the env's default).
        max_steps: env step limit (None: the env's default).
        image_size: observation image side in pixels, 0 for none.
    """

    policy: str
    kind: dict[str, Any]
    reward: str | None = None
    max_steps: int | None = None
    image_size: int = 0


class RolloutWorker:
    """Builds the env and policy of a :class:`RolloutConfig` once; :meth:`run` plays one task."""

    def __init__(self, config: RolloutConfig):
        import gymnasium as gym

        import scene_gym  # noqa: F401 - registers the built-in kinds
        from scene_gym.agents.registry import make_policy
        from scene_gym.benchmarks.episode import ensure_kind

        self.config = config
        self.kind = ensure_kind(config.kind)
        self.policy = make_policy(config.policy, seed=0)
        kwargs: dict[str, Any] = {"reward": config.reward,
                                  "image_size": (config.image_size,) * 2 if config.image_size else None}  # fmt: skip
        if config.max_steps and "max_steps" in self.kind.kwargs:
            kwargs["max_steps"] = int(config.max_steps)
        self.env = gym.make(self.kind.env_id, **kwargs)

    def describe(self) -> dict[str, Any]:
        """The policy's ``describe()``, JSON-ready."""
        from scene_gym.agents.rollout import jsonable

        return jsonable(self.policy.describe())

    def run(self, task: Mapping[str, Any]) -> tuple[Any, dict[str, bytes]]:
        """``(rollout, images)`` for ``task`` = {options (``env.reset`` options), seed, keep_images}; ``images``
        maps ``step_<s>_<key>.png`` to PNG bytes (empty unless ``keep_images``). Raises what the policy or env
        raises (the executor reports it as a failed task)."""
        from scene_gym.agents.rollout import run_episode

        with tempfile.TemporaryDirectory(prefix="scene-gym-rollout-") as tmp:
            image_dir = tmp if task.get("keep_images") and self.config.image_size else None
            rollout = run_episode(self.env, self.policy, seed=int(task["seed"]), options=dict(task["options"]),
                                  image_dir=image_dir, kind=self.kind)  # fmt: skip
            images: dict[str, bytes] = {}
            for step in rollout.steps:
                for path in step.image_paths:
                    images[Path(path).name] = Path(path).read_bytes()
                step.image_paths = [Path(p).name for p in step.image_paths]
        return rollout, images

    def close(self) -> None:
        """Close the env."""
        self.env.close()


def _options(prompt: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(prompt, str) and prompt.strip():
        return {"prompt": prompt}
    if isinstance(prompt, Mapping) and prompt:
        return dict(prompt)
    raise RolloutError(f"prompts: expected non-empty strings or env.reset option dicts, got {prompt!r}")


def _check(prompts: Sequence, seeds: Sequence[int]) -> None:
    if isinstance(prompts, str | bytes) or not isinstance(prompts, Sequence) or not prompts:
        raise RolloutError(f"prompts: expected a non-empty list, got {prompts!r}")
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Sequence) or not seeds:
        raise RolloutError(f"seeds: expected a non-empty list of integers >= 0, got {seeds!r}")
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, int) or s < 0:
            raise RolloutError(f"seeds: expected integers >= 0, got {s!r}")


def collect_rollouts(policy_spec: str, env_kind: str, prompts: Sequence[str | Mapping[str, Any]] = (),
                     seeds: Sequence[int] = (), *, pairs: Sequence[tuple[Any, int]] | None = None,
                     executor: Any = "local", workers: int | None = None, timeout_s: float = 300.0,
                     reward: str | None = None, max_steps: int | None = None, image_size: int = 0,
                     out_dir: str | Path | None = None, skip_failed: bool = False, progress: bool = False) -> list:
    """Play ``policy_spec`` in the env kind ``env_kind`` once per (prompt, seed) on ``executor`` and return the
    :class:`~scene_gym.agents.rollout.Rollout` list, prompt-major (``len(prompts) * len(seeds)`` of them, fewer
    with ``skip_failed``).

    Args:
        policy_spec: a :func:`~scene_gym.agents.registry.make_policy` spec.
        env_kind: a registered env kind's name (:mod:`scene_gym.envs.kinds`).
        prompts: prompt strings (``env.reset(options={"prompt": p})``) or whole ``env.reset`` option dicts.
        seeds: episode seeds (integers >= 0), each played with every prompt.
        pairs: instead of ``prompts`` x ``seeds``, explicit (prompt or options, seed) pairs, played in this order
            (a trainer's held-out tasks, each with its own seed).
        executor: ``"local"``, ``"ray"``, ``"ray:HOST:PORT"`` or an
            :class:`~scene_gym.benchmarks.executors.Executor` (started and closed here).
        workers: workers (None: the executor's default), each holding one env and policy.
        timeout_s: per-episode limit, seconds (the worker is killed past it).
        reward, max_steps, image_size: env options (image side in pixels, 0 for none).
        out_dir: where the driver writes ``<k>.jsonl`` and ``<k>/step_<s>_<key>.png`` (None: nothing written,
            observation images dropped).
        skip_failed: leave out episodes that failed or timed out instead of raising :class:`RolloutError`.
        progress: show a tqdm bar of finished episodes on the driver.

    Raises:
        RolloutError: a bad argument (before any worker starts), or a failed episode naming its prompt, seed
            and error (unless ``skip_failed``).
    """
    from tqdm.auto import tqdm

    from scene_gym.benchmarks.episode import kind_fields
    from scene_gym.benchmarks.executors import WorkerSpec, make_executor
    from scene_gym.benchmarks.executors.base import check_run_args
    from scene_gym.envs.kinds import get_kind

    if pairs is not None:
        if prompts or seeds:
            raise RolloutError("collect_rollouts: expected either prompts and seeds or pairs, got both")
        if isinstance(pairs, str | bytes) or not isinstance(pairs, Sequence) or not pairs:
            raise RolloutError(f"pairs: expected a non-empty list of (prompt, seed), got {pairs!r}")
        _check([p for p, _ in pairs], [s for _, s in pairs])
        jobs = [(_options(p), s) for p, s in pairs]
    else:
        _check(prompts, seeds)
        jobs = [(_options(p), s) for p in prompts for s in seeds]
    try:
        kind = get_kind(env_kind)
        check_run_args(1 if workers is None else workers, timeout_s)
        ex = make_executor(executor)
    except SceneGymError as err:
        raise RolloutError(f"collect_rollouts: {err}") from None
    config = RolloutConfig(policy_spec, kind_fields(kind), reward, max_steps, int(image_size))
    tasks = [{"index": k, "options": o, "seed": s, "keep_images": out_dir is not None}
             for k, (o, s) in enumerate(jobs)]  # fmt: skip
    try:
        return _collect(ex, WorkerSpec("scene_gym.train.rollouts:RolloutWorker", config, f"policy {policy_spec!r}"),
                        tasks, workers, timeout_s, out_dir, skip_failed, tqdm(total=len(tasks), unit="episode",
                        desc=f"rollouts {policy_spec}", disable=not progress))  # fmt: skip
    except BenchmarkError as err:  # the policy did not build, a worker did not start
        raise RolloutError(f"collect_rollouts: {err}") from None


def _collect(ex, spec, tasks: list[dict], workers: int | None, timeout_s: float, out_dir, skip_failed: bool,
             bar) -> list:
    found: dict[int, Any] = {}
    with ex, bar:
        ex.start(spec)
        for outcome in ex.run(tasks, workers=workers or ex.default_workers(), timeout_s=timeout_s):
            bar.update(1)
            task = outcome.task
            if outcome.status != "ok":
                if skip_failed:
                    continue
                raise RolloutError(f"rollout of prompt {task['options']!r} seed {task['seed']} {outcome.status}: "
                                   f"{outcome.error}")  # fmt: skip
            rollout, images = outcome.value
            if out_dir is not None:
                _save(Path(out_dir), task["index"], rollout, images)
            found[task["index"]] = rollout
    return [found[i] for i in sorted(found)]


def _save(out: Path, index: int, rollout, images: dict[str, bytes]) -> None:
    from scene_gym.scene.io import atomic_write

    folder = out / f"{index:05d}"
    for step in rollout.steps:
        step.image_paths = [str(atomic_write(folder / name, images[name])) for name in step.image_paths]
    rollout.save(out / f"{index:05d}.jsonl")
