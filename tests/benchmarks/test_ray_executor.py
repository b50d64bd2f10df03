"""The Ray executor on a local multi-node cluster (a head with no CPUs and two worker nodes, all on 127.0.0.1):
a suite run that loses a worker node mid-run and still records every row exactly once, with the local executor's
results; rollout collection for trainers through Ray; the command line's ``--executor``.

One cluster serves the whole module (it takes 10 to 20 s to start on two cores), so the tests share an xdist group.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from scene_gym.agents.rollout import Rollout
from scene_gym.benchmarks.executors.ray_pool import RayExecutor
from scene_gym.benchmarks.runner import RunConfig, run_benchmark
from scene_gym.benchmarks.store import Store
from scene_gym.cli import main
from scene_gym.train.rollouts import RolloutError, collect_rollouts

pytestmark = pytest.mark.xdist_group("ray")

PROMPTS = ("bedroom", "office", "gym")
#: Row fields that depend on the clock or the run (everything else must match across executors).
CLOCK = {"wall_s", "c", "id", "entry_id", "created_at", "git_commit"}
CLOCK_DETAILS = {"episode_s", "judge"}


@pytest.fixture(scope="module")
def cluster():
    from scene_gym.benchmarks.executors.cluster import start_local_cluster

    c = start_local_cluster(worker_nodes=2, cpus_per_node=2)
    try:
        yield c
    finally:
        import ray

        ray.shutdown()
        c.shutdown()


def _comparable(row: dict) -> dict:
    details = {k: v for k, v in row["details"].items() if k not in CLOCK_DETAILS}
    judge = {k: v for k, v in row["details"].get("judge", {}).items() if not k.endswith("_s")}
    return {**{k: v for k, v in row.items() if k not in CLOCK and k != "details"}, "details": details,
            "judge": judge}  # fmt: skip


def _steps(db: Path, row: dict) -> list[tuple]:
    rollout = Rollout.load(db.parent / row["details"]["rollout_path"])
    return [(s.action, s.reward, s.info.get("feedback"), s.image_paths) for s in rollout.steps]


def test_cluster_listens_on_loopback_only(cluster):
    assert cluster.address.startswith("127.0.0.1:")
    assert not cluster.head_node.webui_url  # no dashboard
    assert {n.node_ip_address for n in (cluster.head_node, *cluster.worker_nodes)} == {"127.0.0.1"}


def test_suite_survives_a_lost_node_and_matches_the_local_executor(cluster, tmp_path):
    base = {"suite": "template", "policy": "test:slow", "prompts": PROMPTS, "seeds": 2, "workers": 2,
            "timeout_s": 120, "progress": False, "render_size": 64}  # fmt: skip
    local_db, ray_db = tmp_path / "local" / "lb.db", tmp_path / "ray" / "lb.db"
    local = run_benchmark(RunConfig(**base, db=str(local_db)))
    executor = RayExecutor(cluster.address, retries=2)
    out: dict = {}
    thread = threading.Thread(target=lambda: out.update(summary=run_benchmark(
        RunConfig(**base, db=str(ray_db), executor=executor))))  # fmt: skip
    thread.start()
    deadline, busy = time.monotonic() + 120, []
    while time.monotonic() < deadline and thread.is_alive() and not busy:
        if ray_db.exists():
            with Store(ray_db, timeout_s=5) as s:
                busy = [n for n in executor.busy_nodes() if n] if s.count() >= 1 else []
        time.sleep(0.02)
    (victim,) = [n for n in cluster.worker_nodes if n.node_id == busy[0]]
    cluster.remove_node(victim)  # a machine lost mid-run: its actor and its scene in flight go with it
    thread.join(240)
    assert not thread.is_alive()
    summary = out["summary"]
    assert summary.executor == "ray" and local.executor == "local"
    assert executor.lost >= 1  # a scene was handed to another worker
    assert summary.counts["ok"] == local.counts["ok"] == 6
    with Store(local_db) as a, Store(ray_db) as b:
        left, right = a.results(), b.results()
        assert a.entries()[0]["key"] == b.entries()[0]["key"]
    keys = [(r["prompt_id"], r["seed"]) for r in right]
    assert len(keys) == len(set(keys)) == 6  # every row exactly once
    by = {(r["prompt_id"], r["seed"]): r for r in left}
    for r in right:
        assert _comparable(r) == _comparable(by[r["prompt_id"], r["seed"]])
        assert _steps(ray_db, r) == _steps(local_db, by[r["prompt_id"], r["seed"]])
        assert (ray_db.parent / r["scene_path"]).read_text() == (local_db.parent / r["scene_path"]).read_text()
    (step,) = _steps(ray_db, right[0])  # the fast policy adds both objects and says done() in one action
    assert step[0].startswith("add(\"armchair\"") and "added armchair_1" in step[2] and step[1] > 0


def test_trainer_rollout_collection_runs_through_ray(cluster, tmp_path, monkeypatch):
    """``executor="ray"`` joins the cluster at RAY_ADDRESS; rollouts come back in task order, equal to the same
    episodes played in this process; a failing episode is left out with ``skip_failed`` (test:raise fails on
    kitchens)."""
    from scene_gym.benchmarks.episode import kind_fields
    from scene_gym.envs.kinds import get_kind
    from scene_gym.train.rollouts import RolloutConfig, RolloutWorker

    prompts = ["Design me a bedroom.", "A kitchen with an island", {"prompt": "A small office with a desk"}]
    monkeypatch.setenv("RAY_ADDRESS", cluster.address)
    got = collect_rollouts("test:raise", "scene", prompts, [0, 1], executor="ray", workers=2, image_size=32,
                           out_dir=tmp_path / "r", skip_failed=True)  # fmt: skip
    here = RolloutWorker(RolloutConfig("test:raise", kind_fields(get_kind("scene")), image_size=32))
    try:
        want = [here.run({"options": {"prompt": p} if isinstance(p, str) else p, "seed": s, "keep_images": True})[0]
                for p in (prompts[0], prompts[2]) for s in (0, 1)]  # fmt: skip
    finally:
        here.close()
    assert [(r.seed, r.env_kind, r.final_scene["prompt"]) for r in got] == [
        (0, "scene", "Design me a bedroom."), (1, "scene", "Design me a bedroom."),
        (0, "scene", "A small office with a desk"), (1, "scene", "A small office with a desk")]  # fmt: skip
    for r, w in zip(got, want, strict=True):
        assert r.final_scene == w.final_scene and r.policy == w.policy
        assert [(s.action, s.reward, s.info) for s in r.steps] == [(s.action, s.reward, s.info) for s in w.steps]
    assert sorted(p.name for p in (tmp_path / "r").glob("*.jsonl")) == ["00000.jsonl", "00001.jsonl", "00004.jsonl",
                                                                         "00005.jsonl"]  # fmt: skip
    saved = Rollout.load(tmp_path / "r" / "00004.jsonl")
    assert saved.to_jsonl() == got[2].to_jsonl()
    (image,) = saved.steps[0].image_paths
    assert Path(image).parent == tmp_path / "r" / "00004" and Path(image).read_bytes().startswith(b"\x89PNG")
    for kwargs, message in (({"seeds": [-1]}, "seeds: expected integers >= 0, got -1"),
                            ({"workers": 0}, "expected workers >= 1, got 0"),
                            ({"env_kind": "nope"}, "nope"), ({"prompts": [""]}, "prompts: expected non-empty")):
        args = {"policy_spec": "test:fast", "env_kind": "scene", "prompts": prompts, "seeds": [0], **kwargs}
        with pytest.raises(RolloutError, match=message):  # refused before any worker starts
            collect_rollouts(**args, executor="ray")


def test_cli_joins_a_cluster_by_address_and_times_out_a_hanging_scene(cluster, tmp_path, capsys):
    """test:hang sleeps for an hour on kitchens: the scene ends as timeout, its actor is killed, the run goes on."""
    db = tmp_path / "lb.db"
    t0 = time.monotonic()
    assert main(["benchmark", "--suite", "template", "--policy", "test:hang", "--prompt", "kitchen", "--prompt",
                 "gym", "--seed", "0", "--render-size", "32", "--timeout", "4", "--workers", "2", "--db", str(db),
                 "--no-progress", "--executor", f"ray:{cluster.address}"]) == 0  # fmt: skip
    assert time.monotonic() - t0 < 120
    assert "2 scenes, 0 already recorded, 1 ok, 0 failed, 1 timeout" in capsys.readouterr().out
    with Store(db) as s:
        by = {r["prompt_id"]: r for r in s.results()}
    assert by["kitchen"]["status"] == "timeout" and "per-scene timeout of 4 s" in by["kitchen"]["error"]
    assert by["gym"]["status"] == "ok" and (db.parent / by["gym"]["details"]["steps_path"]).is_file()


def test_kuberay_example_is_a_ray_cluster_of_the_pinned_ray_version():
    import re
    import tomllib

    import yaml

    root = Path(__file__).resolve().parents[2]
    doc = yaml.safe_load((root / "examples" / "ray" / "kuberay-cluster.yaml").read_text())
    pinned = re.search(r'"ray>=([\d.]+)', (root / "pyproject.toml").read_text()).group(1)
    assert tomllib.loads((root / "pyproject.toml").read_text())["project"]["optional-dependencies"]["ray"]
    assert doc["kind"] == "RayCluster" and doc["spec"]["rayVersion"].startswith(pinned)
    head = doc["spec"]["headGroupSpec"]
    assert head["rayStartParams"] == {"num-cpus": "0", "dashboard-host": "127.0.0.1"}
    (group,) = doc["spec"]["workerGroupSpecs"]
    assert group["minReplicas"] <= group["replicas"] <= group["maxReplicas"]


def test_the_self_improvement_trainers_teacher_evaluation_runs_on_the_cluster(cluster, tmp_path):
    """A trainer's rollout collection through the Ray executor: the self-improvement trainer's teacher episodes on
    its held-out tasks (``executor="ray"``) give the same records as on the local executor."""
    from scene_gym.train.config_io import make_config
    from scene_gym.train.self_improve import Run, evaluate_teacher
    from scene_gym.train.self_improve_config import SelfImproveConfig

    def teacher_records(executor: str) -> list[dict]:
        config = make_config(SelfImproveConfig, {
            "run_dir": str(tmp_path / executor.replace(":", "_")), "env": "scene", "steps_per_episode": 2,
            "eval_suites": ["template"], "eval_prompts_per_suite": 2, "eval_seeds": 2, "executor": executor,
            "progress": False, "tensorboard": False})  # fmt: skip
        return evaluate_teacher(Run(config))

    on_ray, here = teacher_records(f"ray:{cluster.address}"), teacher_records("local")
    assert [(r["prompt_id"], r["seed"]) for r in on_ray] == [(r["prompt_id"], r["seed"]) for r in here]
    assert on_ray == here and len(on_ray) == 4
    assert all(r["steps"] >= 1 and r["valid"] == r["steps"] and r["value"] > 0.5 for r in on_ray)
