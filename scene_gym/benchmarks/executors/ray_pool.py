"""The Ray executor: workers are Ray actors spread over a cluster's nodes; the driver hands out tasks and writes
every result itself.

- **Actors hold the workers**: each actor builds its worker (env, policy, judge, physics world) once, in its
  constructor, and runs one task at a time (``num_cpus`` = ``cpus_per_worker``; ``SPREAD`` scheduling, so a run
  uses every node).
- **Bounded in-flight work**: one task per actor; ``workers`` actors at most.
- **Per-task timeout**: a task not back within ``timeout_s`` seconds of reaching a built worker ends as
  ``timeout``; its actor is killed and a fresh one takes its place (building a worker does not count: an actor
  takes tasks once it has answered ``describe()``).
- **Lost workers**: when an actor's process or node dies mid-task (``RayActorError``, ``NodeDiedError``...), the
  task is handed to a fresh actor, which Ray places on a node still alive, up to ``retries`` more times; past
  that it ends as ``failed``. The driver yields one outcome per task, so a retried task is written once.
- **Connecting** (:meth:`RayExecutor.start`): to ``address`` (``HOST:PORT``), else ``RAY_ADDRESS``, else a local
  single-node cluster started here, its GCS on 127.0.0.1 and no dashboard. A driver already connected
  (``ray.is_initialized()``) is used as it is. Loopback addresses stay on loopback (Ray otherwise swaps 127.0.0.1
  for the machine's address, which a sandbox may not route).
- **Code on the workers**: unless this process's ``PYTHONPATH`` names it already, actors get ``PYTHONPATH`` with
  this package's folder first (and ``MUJOCO_GL`` when set), so a local cluster runs the driver's checkout; remote
  nodes need the package installed.

``ray`` is imported here, lazily; ``pip install 'scene-gym[ray]'`` provides it.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
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

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def import_ray():
    """The ``ray`` module; raises :class:`BenchmarkError` naming the ``[ray]`` extra when it is missing."""
    try:
        import ray
    except ImportError:
        raise BenchmarkError("executor 'ray' needs Ray: pip install 'scene-gym[ray]'") from None
    return ray


def keep_loopback(address: str | None) -> None:
    """Make Ray keep a loopback ``address`` (``127.0.0.1:PORT``; None: a cluster started here) on loopback
    instead of resolving it to this machine's network address."""
    host = None if address is None else address.rpartition(":")[0] or address
    if host is None or host in LOOPBACK:
        import ray._private.ray_constants as constants

        constants.ENABLE_RAY_CLUSTER = False  # read at call time by services.get_node_ip_address


def worker_runtime_env() -> dict[str, Any] | None:
    """The actors' Ray ``runtime_env``: None when this process's ``PYTHONPATH`` already names the package's parent
    folder (workers of a local cluster inherit it, and a runtime env costs each new worker a setup step), else
    ``env_vars`` with ``PYTHONPATH`` = that folder first and ``MUJOCO_GL`` when set."""
    root = str(Path(__file__).resolve().parents[3])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if any(Path(p).resolve() == Path(root) for p in paths):
        return None
    env = {"PYTHONPATH": os.pathsep.join([root, *paths])}
    if os.environ.get("MUJOCO_GL"):
        env["MUJOCO_GL"] = os.environ["MUJOCO_GL"]
    return {"env_vars": env}


class _Shell:
    """The actor's body: builds the worker once and answers tasks; never raises (errors come back as values)."""

    def __init__(self, spec: WorkerSpec):
        from scene_gym.benchmarks.executors.base import build_worker

        self.worker, self.error = None, None
        try:
            self.worker = build_worker(spec)
        except BaseException as err:  # noqa: BLE001 - reported to the driver, which aborts the run
            self.error = f"{type(err).__name__}: {err}"[:MAX_ERROR]

    def describe(self) -> tuple[str, Any, str]:
        import ray

        node = ray.get_runtime_context().get_node_id()
        if self.error is not None:
            return "init_error", self.error, node
        return "ready", self.worker.describe(), node

    def run(self, task: Any) -> tuple[str, Any]:
        if self.error is not None:
            return "init_error", self.error
        try:
            return "result", self.worker.run(task)
        except Exception as err:  # noqa: BLE001 - a raising task is an outcome, not a lost worker
            return "task_error", f"{type(err).__name__}: {err}"[:MAX_ERROR]


class RayExecutor(Executor):
    """Ray actors as workers (module docstring); the executor of ``--executor ray[:HOST:PORT]``.

    Args:
        address: ``HOST:PORT`` of a cluster's GCS; None: ``RAY_ADDRESS``, else a local cluster started here.
        retries: hand-outs of a task after the first when its worker is lost (>= 0).
        cpus_per_worker: CPUs each actor reserves (> 0).
    """

    name = "ray"
    shared_filesystem = False

    def __init__(self, address: str | None = None, *, retries: int = 2, cpus_per_worker: float = 1.0):
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise BenchmarkError(f"expected retries >= 0, got {retries!r}")
        if not isinstance(cpus_per_worker, int | float) or not cpus_per_worker > 0:
            raise BenchmarkError(f"expected cpus_per_worker > 0, got {cpus_per_worker!r}")
        self.address, self.retries, self.cpus_per_worker = address, retries, float(cpus_per_worker)
        self._ray = None
        self._actor_class = None
        self._owns_connection = False
        self._spec: WorkerSpec | None = None
        self._idle: list = []
        self._busy: dict = {}  # object ref -> [actor, task, since, attempts]
        self._starting: dict = {}  # describe() ref -> [actor, since]
        self._failed_starts = 0
        self._nodes: dict[int, str] = {}  # id(actor) -> node id, once built
        self.lost = 0  # tasks handed out again after a lost worker

    # --- connection and actors ------------------------------------------------------------------------------
    def _connect(self):
        ray = import_ray()
        if not ray.is_initialized():
            address = self.address or os.environ.get("RAY_ADDRESS") or None
            keep_loopback(address)
            kwargs: dict[str, Any] = {"logging_level": "WARNING"}
            try:
                if address:
                    ray.init(address=address, **kwargs)
                else:
                    ray.init(include_dashboard=False, dashboard_host="127.0.0.1", _node_ip_address="127.0.0.1",
                             **kwargs)  # fmt: skip
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise BenchmarkError(f"executor 'ray': cannot connect to {address or 'a new local cluster'}: "
                                     f"{err}") from None  # fmt: skip
            self._owns_connection = True
        self._ray = ray
        return ray

    def _actor(self):
        if self._actor_class is None:
            self._actor_class = self._ray.remote(_Shell)
        options: dict[str, Any] = {"num_cpus": self.cpus_per_worker, "max_restarts": 0, "max_task_retries": 0,
                                   "scheduling_strategy": "SPREAD"}  # fmt: skip
        runtime_env = worker_runtime_env()
        if runtime_env:
            options["runtime_env"] = runtime_env
        return self._actor_class.options(**options).remote(self._spec)

    def _kill(self, actor) -> None:
        try:
            self._ray.kill(actor, no_restart=True)
        except Exception:  # noqa: BLE001 - already dead, or its node is gone
            pass

    def start(self, spec: WorkerSpec) -> dict[str, Any]:
        """Connect (or start a local cluster), build the first actor, return its ``describe()``."""
        t0 = time.perf_counter()
        ray = self._connect()
        self._spec = spec
        actor = self._actor()
        try:
            kind, payload, node = ray.get(actor.describe.remote(), timeout=STARTUP_TIMEOUT_S)
        except ray.exceptions.GetTimeoutError:
            self._kill(actor)
            raise BenchmarkError(f"{spec.label}: a worker did not start within {STARTUP_TIMEOUT_S:g} s") from None
        except ray.exceptions.RayError as err:
            self._kill(actor)
            raise BenchmarkError(f"{spec.label}: a worker died while starting: {str(err)[-MAX_ERROR:]}") from None
        if kind != "ready":
            self._kill(actor)
            raise BenchmarkError(f"{spec.label} could not start: {payload}")
        self._idle.append(actor)
        self._nodes[id(actor)] = node
        self.startup_s = time.perf_counter() - t0
        return payload

    def default_workers(self) -> int:
        """The cluster's CPUs divided by ``cpus_per_worker`` (at least 1); before :meth:`start`, the local
        default."""
        if self._ray is None:
            return super().default_workers()
        cpus = float(self._ray.cluster_resources().get("CPU", 1.0))
        return max(1, int(cpus // self.cpus_per_worker))

    # --- the run --------------------------------------------------------------------------------------------
    def run(self, tasks: Iterable[Any], *, workers: int, timeout_s: float) -> Iterator[Outcome]:
        """Hand tasks to idle actors (creating up to ``workers``), yield outcomes as they end; kill actors past
        the timeout; hand a lost actor's task to a fresh one up to ``retries`` more times."""
        check_run_args(workers, timeout_s)
        if self._spec is None:
            raise BenchmarkError("start() the executor before run()")
        queue = deque((task, 1) for task in tasks)
        while len(self._idle) + len(self._busy) + len(self._starting) < min(workers, len(queue)):
            self._spawn()
        while queue or self._busy:
            while queue and self._idle:
                task, attempts = queue.popleft()
                actor = self._idle.pop()
                self._busy[actor.run.remote(task)] = [actor, task, time.monotonic(), attempts]
            yield from self._collect(queue, timeout_s)

    def _spawn(self) -> None:
        """A new actor; it takes tasks once its worker is built (its ``describe()`` answered), so building does
        not count against a task's timeout."""
        actor = self._actor()
        self._starting[actor.describe.remote()] = [actor, time.monotonic()]

    def _started(self, ref, queue: deque) -> None:
        ray = self._ray
        actor, since = self._starting.pop(ref)
        try:
            kind, payload, node = ray.get(ref)
        except ray.exceptions.RayError as err:  # lost while starting (its node died): try another
            self._kill(actor)
            self._failed_starts += 1
            if self._failed_starts > 10:
                raise BenchmarkError(f"{self._spec.label}: workers keep dying while starting: "
                                     f"{str(err)[-500:]}") from None  # fmt: skip
            if queue:
                self._spawn()
            return
        if kind != "ready":
            raise BenchmarkError(f"{self._spec.label} could not start: {payload}")
        self._idle.append(actor)
        self._nodes[id(actor)] = node

    def _collect(self, queue: deque, timeout_s: float) -> Iterator[Outcome]:
        ray = self._ray
        now = time.monotonic()
        deadlines = [since + timeout_s for _, _, since, _ in self._busy.values()]
        wait = min(1.0, max(0.0, min(deadlines) - now)) if deadlines else 1.0
        done, _ = ray.wait(list(self._busy) + list(self._starting), num_returns=1, timeout=wait + 0.01)
        for ref in done:
            if ref in self._starting:
                self._started(ref, queue)
                continue
            actor, task, since, attempts = self._busy.pop(ref)
            wall = time.monotonic() - since
            try:
                kind, payload = ray.get(ref)
            except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError,
                    ray.exceptions.ObjectLostError, ray.exceptions.OutOfMemoryError) as err:  # fmt: skip
                self._kill(actor)
                if attempts <= self.retries:
                    self.lost += 1
                    queue.appendleft((task, attempts + 1))
                    self._spawn()
                else:
                    error = f"worker lost {attempts} times: {type(err).__name__}: {str(err)[:500]}"
                    yield Outcome(task, "failed", error=error, wall_s=wall, attempts=attempts)
                    if queue:
                        self._spawn()
                continue
            except ray.exceptions.RayError as err:
                self._idle.append(actor)
                yield Outcome(task, "failed", error=f"{type(err).__name__}: {str(err)[-MAX_ERROR:]}", wall_s=wall,
                              attempts=attempts)  # fmt: skip
                continue
            if kind == "init_error":
                raise BenchmarkError(f"{self._spec.label} could not start: {payload}")
            self._idle.append(actor)
            if kind == "result":
                yield Outcome(task, "ok", value=payload, wall_s=wall, attempts=attempts)
            else:
                yield Outcome(task, "failed", error=payload, wall_s=wall, attempts=attempts)
        now = time.monotonic()
        if any(now - since > STARTUP_TIMEOUT_S for _, since in self._starting.values()):
            raise BenchmarkError(f"{self._spec.label}: a worker did not start within {STARTUP_TIMEOUT_S:g} s")
        for ref, (actor, task, since, attempts) in list(self._busy.items()):
            if now - since > timeout_s:
                del self._busy[ref]
                self._kill(actor)
                if queue:
                    self._spawn()
                error = f"no result within the per-scene timeout of {timeout_s:g} s (worker killed)"
                yield Outcome(task, "timeout", error=error, wall_s=now - since, attempts=attempts)

    def busy_nodes(self) -> list[str]:
        """The Ray node ids (hex) of the actors with a task in flight, for tests and diagnostics."""
        return [self._nodes.get(id(actor), "") for actor, *_ in list(self._busy.values())]

    def close(self) -> None:
        """Kill every actor; disconnect when :meth:`start` connected (a local cluster started here stops)."""
        actors = self._idle + [a for a, *_ in self._busy.values()] + [a for a, _ in self._starting.values()]
        self._idle, self._busy, self._starting = [], {}, {}
        if self._ray is None:
            return
        for actor in actors:
            self._kill(actor)
        if self._owns_connection:
            self._ray.shutdown()
            self._owns_connection = False
        self._ray, self._actor_class = None, None
