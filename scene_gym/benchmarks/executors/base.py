"""The executor interface: run many independent tasks (benchmark scenes, training rollouts) on workers that each
build their env, policy and judge once and reuse them, and stream one :class:`Outcome` per task back to the
caller, which alone writes results.

A worker is described by a :class:`WorkerSpec`: an importable factory (``"module:attribute"``) and its picklable
config. The factory is called once per worker; the object it returns answers ``run(task) -> result`` (a picklable
value), ``describe() -> dict`` (JSON-ready, e.g. the policy's identity) and ``close()``.

Every executor gives the same guarantees, so the caller's code does not depend on where the work runs:

- **one outcome per task**, in completion order: ``ok`` (``value`` is the worker's result), ``failed`` (the worker
  raised, or died and the task ran out of retries) or ``timeout`` (no result within ``timeout_s`` seconds of being
  handed out; the worker is killed and replaced);
- **bounded in-flight work**: one task per worker at a time, ``workers`` workers at most;
- **the caller is the only writer**: results travel back as values; workers write nothing the caller reads,
  unless the executor says its workers share the caller's filesystem (:attr:`Executor.shared_filesystem`).
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scene_gym.benchmarks.errors import BenchmarkError

#: Seconds a worker may take to build its env, policy and judge before the run is aborted.
STARTUP_TIMEOUT_S = 600.0
MAX_ERROR = 2000
"""Longest error message a worker sends back, characters."""
#: Outcome statuses.
STATUSES = ("ok", "failed", "timeout")


@dataclass(frozen=True)
class WorkerSpec:
    """How to build one worker.

    Attributes:
        factory: ``"module:attribute"`` of a callable taking ``config`` and returning an object with
            ``run(task)``, ``describe()`` and ``close()`` (e.g. ``"scene_gym.benchmarks.episode:EpisodeRunner"``).
        config: the factory's one argument; picklable (it crosses process and machine boundaries).
        label: what the worker runs, for error messages (e.g. ``"policy 'heuristic'"``).
    """

    factory: str
    config: Any
    label: str = "worker"


def build_worker(spec: WorkerSpec) -> Any:
    """Import ``spec.factory`` and call it with ``spec.config``; raises :class:`BenchmarkError` for a factory
    that is not ``"module:attribute"`` or cannot be imported."""
    module, sep, attr = spec.factory.partition(":")
    if not sep or not module or not attr:
        raise BenchmarkError(f"expected a worker factory as 'module:attribute', got {spec.factory!r}")
    try:
        factory = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as err:
        raise BenchmarkError(f"cannot import worker factory {spec.factory!r}: {err}") from None
    return factory(spec.config)


@dataclass
class Outcome:
    """How one task ended.

    Attributes:
        task: the task as it was handed in.
        status: ``"ok"``, ``"failed"`` or ``"timeout"``.
        value: the worker's result when ``ok``, else None.
        error: why it failed or timed out (None when ``ok``).
        wall_s: seconds from the last hand-out of the task to its end, as seen by the caller.
        attempts: how many times it was handed out (> 1 after a lost worker).
    """

    task: Any
    status: str
    value: Any = None
    error: str | None = None
    wall_s: float = 0.0
    attempts: int = 1


class Executor(ABC):
    """Runs tasks on workers built from a :class:`WorkerSpec` (module docstring). Use as a context manager, or
    call :meth:`close`.

    Attributes:
        name: ``"local"`` or ``"ray"``.
        shared_filesystem: whether workers write to the caller's filesystem (then a task may name output paths);
            False: workers return files as data and the caller writes them.
        startup_s: seconds :meth:`start` took (connecting or starting a cluster, building the first worker).
    """

    name = "executor"
    shared_filesystem = True
    startup_s = 0.0

    @abstractmethod
    def start(self, spec: WorkerSpec) -> dict[str, Any]:
        """Build the first worker from ``spec`` (waiting at most :data:`STARTUP_TIMEOUT_S` seconds) and return its
        ``describe()``; raises :class:`BenchmarkError` when it cannot be built."""

    @abstractmethod
    def run(self, tasks: Iterable[Any], *, workers: int, timeout_s: float) -> Iterator[Outcome]:
        """Run every task on at most ``workers`` workers (the first one included), each task within ``timeout_s``
        seconds; yields one :class:`Outcome` per task as they end."""

    def default_workers(self) -> int:
        """Workers to use when the caller names none: the usable CPUs, at most 8."""
        import os

        try:
            n = len(os.sched_getaffinity(0))
        except AttributeError:
            n = os.cpu_count() or 1
        return max(1, min(8, n))

    @abstractmethod
    def close(self) -> None:
        """Stop every worker (killing those still busy) and release what :meth:`start` acquired; idempotent."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_run_args(workers: Any, timeout_s: Any) -> None:
    """Raise :class:`BenchmarkError` unless ``workers`` is an int >= 1 and ``timeout_s`` a number > 0 (seconds)."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise BenchmarkError(f"expected workers >= 1, got {workers!r}")
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or not timeout_s > 0:
        raise BenchmarkError(f"expected a per-task timeout > 0 seconds, got {timeout_s!r}")
