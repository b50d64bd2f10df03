"""The local executor: ``spawn``-ed worker processes on this machine, one task each at a time.

- Each worker builds its worker object once (:func:`~scene_gym.benchmarks.executors.base.build_worker`) and
  answers tasks over a pipe until told to stop.
- A task not back within ``timeout_s`` seconds ends as ``timeout``; its worker is killed and replaced. A worker
  that dies mid-task ends its task as ``failed`` (no retry: on one machine the cause is the task's, not a lost
  node's).
- Workers ignore SIGINT and die with the parent (Linux ``PR_SET_PDEATHSIG``, else on their next message), so
  Ctrl-C or a killed parent leaves no process behind.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing import connection
from typing import Any

from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.benchmarks.executors.base import (
    MAX_ERROR,
    STARTUP_TIMEOUT_S,
    Executor,
    Outcome,
    WorkerSpec,
    check_run_args,
)


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_main(conn, spec: WorkerSpec) -> None:
    """Worker loop: build the worker, say ready (with its describe()), then answer tasks until told to stop or
    the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    try:
        from scene_gym.benchmarks.executors.base import build_worker

        worker = build_worker(spec)
        conn.send(("ready", worker.describe()))
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which aborts the run
        with contextlib.suppress(OSError):
            conn.send(("init_error", f"{type(err).__name__}: {err}"))
        return
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                break
            if task is None:
                break
            try:
                message = ("result", worker.run(task))
            except Exception as err:  # noqa: BLE001 - a raising task is an outcome, not a dead worker
                message = ("task_error", f"{type(err).__name__}: {err}"[:MAX_ERROR])
            try:
                conn.send(message)
            except (BrokenPipeError, OSError):
                break
    finally:
        worker.close()


class _Proc:
    """One worker process, its pipe, and the task it holds."""

    def __init__(self, ctx, spec: WorkerSpec):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, spec), daemon=True)
        self.proc.start()
        child.close()
        self.started = time.monotonic()
        self.ready = False
        self.task: Any = None
        self.busy = False
        self.since = 0.0

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


class LocalExecutor(Executor):
    """Worker processes on this machine (module docstring); the executor of ``--executor local``."""

    name = "local"
    shared_filesystem = True

    def __init__(self) -> None:
        import multiprocessing as mp

        self._ctx = mp.get_context("spawn")
        self._procs: list[_Proc] = []
        self._spec: WorkerSpec | None = None

    def start(self, spec: WorkerSpec) -> dict[str, Any]:
        """Spawn the first worker and return its ``describe()`` (see :meth:`Executor.start`)."""
        t0 = time.perf_counter()
        self._spec = spec
        first = _Proc(self._ctx, spec)
        self._procs.append(first)
        if not first.conn.poll(STARTUP_TIMEOUT_S):
            raise BenchmarkError(f"{spec.label}: a worker did not start within {STARTUP_TIMEOUT_S:g} s")
        try:
            kind, payload = first.conn.recv()
        except (EOFError, OSError):
            raise BenchmarkError(f"{spec.label}: a worker died while starting (exit code "
                                 f"{first.proc.exitcode})") from None  # fmt: skip
        if kind != "ready":
            raise BenchmarkError(f"{spec.label} could not start: {payload}")
        first.ready = True
        self.startup_s = time.perf_counter() - t0
        return payload

    def run(self, tasks: Iterable[Any], *, workers: int, timeout_s: float) -> Iterator[Outcome]:
        """Hand tasks to ready workers, yield outcomes, kill and replace workers past the timeout or dead."""
        check_run_args(workers, timeout_s)
        if self._spec is None:
            raise BenchmarkError("start() the executor before run()")
        queue = deque(tasks)
        while len(self._procs) < min(workers, len(queue)):
            self._procs.append(_Proc(self._ctx, self._spec))
        while queue or any(p.busy for p in self._procs):
            now = time.monotonic()
            for p in self._procs:
                if p.ready and not p.busy and queue:
                    p.task, p.busy, p.since = queue.popleft(), True, now
                    p.conn.send(p.task)
            yield from self._collect(queue, timeout_s)
            yield from self._reap(queue, timeout_s)

    def _replace(self, i: int, queue: deque) -> None:
        self._procs[i].kill()
        self._procs[i] = _Proc(self._ctx, self._spec) if queue else None

    def _collect(self, queue: deque, timeout_s: float) -> Iterator[Outcome]:
        waiting = [p for p in self._procs if p.busy or not p.ready]
        deadlines = [p.since + timeout_s for p in waiting if p.busy]
        now = time.monotonic()
        wait = min(1.0, max(0.0, min(deadlines) - now)) if deadlines else 1.0
        ready = connection.wait([p.conn for p in waiting], timeout=wait + 0.01) if waiting else []
        label = self._spec.label
        for i, p in enumerate(self._procs):
            if p is None or p not in waiting or p.conn not in ready:
                continue
            try:
                kind, payload = p.conn.recv()
            except (EOFError, OSError):
                task, busy, code = p.task, p.busy, p.proc.exitcode
                if not busy and not p.ready:
                    raise BenchmarkError(f"{label}: a worker died while starting (exit code {code})") from None
                self._replace(i, queue)
                if busy:
                    yield Outcome(task, "failed", error=f"worker process died (exit code {code})",
                                  wall_s=time.monotonic() - p.since)  # fmt: skip
                continue
            if kind == "ready":
                p.ready = True
            elif kind == "init_error":
                raise BenchmarkError(f"{label} could not start: {payload}")
            elif p.busy:
                p.busy, task, wall = False, p.task, time.monotonic() - p.since
                p.task = None
                if kind == "result":
                    yield Outcome(task, "ok", value=payload, wall_s=wall)
                else:
                    yield Outcome(task, "failed", error=payload, wall_s=wall)
        self._procs[:] = [p for p in self._procs if p is not None]

    def _reap(self, queue: deque, timeout_s: float) -> Iterator[Outcome]:
        now = time.monotonic()
        for i, p in enumerate(self._procs):
            if not p.ready and now - p.started > STARTUP_TIMEOUT_S:
                raise BenchmarkError(f"{self._spec.label}: a worker did not start within {STARTUP_TIMEOUT_S:g} s")
            if p.busy and now - p.since > timeout_s:
                task, since = p.task, p.since
                self._replace(i, queue)
                error = f"no result within the per-scene timeout of {timeout_s:g} s (worker killed)"
                yield Outcome(task, "timeout", error=error, wall_s=now - since)
        self._procs[:] = [p for p in self._procs if p is not None]

    def close(self) -> None:
        """Stop idle workers, kill busy ones (idempotent)."""
        procs, self._procs = self._procs, []
        for p in procs:
            p.kill() if p.busy else p.stop()
