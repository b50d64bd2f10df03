"""A multi-node Ray cluster on this machine, for tests and benchmarks: a head node that runs no work and worker
nodes with their own raylets, all on 127.0.0.1 with no dashboard, so that killing a node
(``cluster.remove_node(node)``) is what losing a machine is to a real cluster.

Real clusters are started with ``ray start`` (README, "Scaling out") or by KubeRay / the cluster launcher
(``examples/ray/``); this module only stands one in on one machine.
"""

from __future__ import annotations

from typing import Any

#: Node health checks for local clusters: a killed node is declared dead within about 1.5 s (Ray's defaults take
#: tens of seconds, longer than a test should wait).
FAST_HEALTH_CHECKS = {"health_check_initial_delay_ms": 0, "health_check_period_ms": 500,
                      "health_check_timeout_ms": 500, "health_check_failure_threshold": 3}  # fmt: skip


def start_local_cluster(worker_nodes: int = 2, cpus_per_node: float = 1.0, *,
                        system_config: dict[str, Any] | None = None):
    """Start a head node (0 CPUs, so every task lands on a worker node) and ``worker_nodes`` worker nodes of
    ``cpus_per_node`` logical CPUs each, on 127.0.0.1 with the dashboard off; returns the
    ``ray.cluster_utils.Cluster`` (its ``address`` is ``127.0.0.1:PORT``; ``shutdown()`` stops it).
    ``system_config`` defaults to :data:`FAST_HEALTH_CHECKS`. Raises :class:`BenchmarkError` without Ray."""
    from scene_gym.benchmarks.errors import BenchmarkError
    from scene_gym.benchmarks.executors.ray_pool import import_ray, keep_loopback

    if isinstance(worker_nodes, bool) or not isinstance(worker_nodes, int) or worker_nodes < 1:
        raise BenchmarkError(f"expected worker_nodes >= 1, got {worker_nodes!r}")
    if not isinstance(cpus_per_node, int | float) or not cpus_per_node > 0:
        raise BenchmarkError(f"expected cpus_per_node > 0, got {cpus_per_node!r}")
    import_ray()
    keep_loopback(None)
    from ray.cluster_utils import Cluster

    local = {"node_ip_address": "127.0.0.1"}
    head = {**local, "num_cpus": 0, "include_dashboard": False, "dashboard_host": "127.0.0.1",
            "_system_config": dict(FAST_HEALTH_CHECKS if system_config is None else system_config)}  # fmt: skip
    cluster = Cluster(initialize_head=True, head_node_args=head)
    try:
        for _ in range(worker_nodes):
            cluster.add_node(num_cpus=cpus_per_node, **local)
    except BaseException:
        cluster.shutdown()
        raise
    return cluster
