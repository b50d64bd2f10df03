"""Where benchmark scenes and training rollouts run: one interface (:class:`Executor`), two implementations.

=========================  ===========================================================================================
``--executor``             what runs the workers
=========================  ===========================================================================================
``local`` (default)        :class:`~scene_gym.benchmarks.executors.local.LocalExecutor`: spawned processes on this
                           machine
``ray``                    :class:`~scene_gym.benchmarks.executors.ray_pool.RayExecutor`: Ray actors on the cluster at
                           ``RAY_ADDRESS``, else on a local cluster started for the run (127.0.0.1, no dashboard)
``ray:HOST:PORT``          Ray actors on the existing cluster whose GCS listens at ``HOST:PORT``
=========================  ===========================================================================================

The benchmark runner (:func:`scene_gym.benchmarks.runner.run_benchmark`) and the rollout collection of trainers
(:func:`scene_gym.train.rollouts.collect_rollouts`) both take an executor spec or instance. ``ray`` is imported
only when a Ray executor starts.
"""

from __future__ import annotations

from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.benchmarks.executors.base import STARTUP_TIMEOUT_S, Executor, Outcome, WorkerSpec, build_worker

__all__ = ["STARTUP_TIMEOUT_S", "Executor", "Outcome", "WorkerSpec", "build_worker", "make_executor",
           "parse_executor"]  # fmt: skip


def parse_executor(spec: str) -> tuple[str, str | None]:
    """``(name, address)`` of an executor spec: ``"local"`` -> ("local", None), ``"ray"`` -> ("ray", None),
    ``"ray:HOST:PORT"`` -> ("ray", "HOST:PORT"). Raises :class:`BenchmarkError` naming the bad spec."""
    if not isinstance(spec, str):
        raise BenchmarkError(f"expected executor 'local', 'ray' or 'ray:HOST:PORT', got {spec!r}")
    name, sep, address = spec.strip().partition(":")
    if name in ("local", "ray") and not sep:
        return name, None
    if name == "ray":
        host, _, port = address.rpartition(":")
        if host and port.isascii() and port.isdigit() and 0 < int(port) < 65536 and not any(c.isspace() for c in host):
            return "ray", address
    raise BenchmarkError(f"expected executor 'local', 'ray' or 'ray:HOST:PORT', got {spec!r}")


def make_executor(spec: str | Executor = "local") -> Executor:
    """An executor from its spec (see :func:`parse_executor`), or ``spec`` itself when it is one already. Nothing
    starts until :meth:`Executor.start`."""
    if isinstance(spec, Executor):
        return spec
    name, address = parse_executor(spec)
    if name == "local":
        from scene_gym.benchmarks.executors.local import LocalExecutor

        return LocalExecutor()
    from scene_gym.benchmarks.executors.ray_pool import RayExecutor

    return RayExecutor(address)
