"""The benchmark runner end to end: a mini suite, resume after a killed or interrupted run, failing and hanging
policies, bad input, the command line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scene_gym.benchmarks import BenchmarkError, StoreError
from scene_gym.benchmarks.runner import RunConfig, run_benchmark
from scene_gym.benchmarks.store import METRICS, Store
from scene_gym.cli import main
from scene_gym.scene import Scene

MINI = ("bedroom", "office", "living_room")


@pytest.fixture(scope="module")
def mini_run(tmp_path_factory):
    """The template suite cut to three prompts, one seed, the fast test policy, two workers."""
    root = tmp_path_factory.mktemp("mini")
    config = RunConfig(suite="template", policy="test:fast", prompts=MINI, seeds=1, workers=2,
                       db=str(root / "lb.db"), timeout_s=120, progress=False)
    return config, run_benchmark(config)


def test_mini_suite_end_to_end(mini_run):
    config, summary = mini_run
    assert summary.total == 3 and summary.skipped == 0 and summary.counts["ok"] == 3
    db_dir = Path(config.db).parent
    with Store(config.db) as s:
        (entry,) = s.entries()
        rows = s.results("template")
        assert entry["policy"] == "test:fast" and entry["env"] == "scene" and entry["judge"] == "offline"
        assert entry["policy_name"] == "test-fast" and entry["policy_version"] == "1"
        assert entry["package_version"] and entry["git_commit"]
        assert entry["reproduce"].startswith("scene-gym benchmark --policy test:fast --env scene")
    assert sorted(r["prompt_id"] for r in rows) == sorted(MINI)
    for r in rows:
        assert r["status"] == "ok" and r["error"] is None and r["suite_version"] == 1 and r["seed"] == 0
        assert r["n_obj"] == 2 and r["n_oob"] == 0 and r["n_cn"] == 0  # the fast policy's armchair and lamp
        for g in ("realism", "functionality", "layout", "completeness", "q_vis"):
            assert 0.0 <= r[g] <= 10.0
        assert r["q"] == pytest.approx(0.1 * r["q_phy"] + r["q_vis"])
        assert r["c"] <= r["q"] and r["wall_s"] > 0 and 0 <= r["nav"] <= 1 and 0 <= r["acc"] <= 1
        assert r["steps"] == 1
        scene = Scene.load(db_dir / r["scene_path"])
        assert sorted(o.category for o in scene.objects) == ["armchair", "floor_lamp"]
        assert scene.room.type == r["label"].replace("_", " ")
        img = np.asarray(Image.open(db_dir / r["render_path"]))
        assert img.shape == (256, 256, 3) and img.std() > 5  # a real picture, not a blank
        assert not list((db_dir / r["scene_path"]).parent.glob(".*.tmp"))  # nothing half-written
    assert set(METRICS) <= set(rows[0])


def test_rerun_skips_recorded_scenes_and_extends(mini_run):
    config, _ = mini_run
    again = run_benchmark(config)
    assert again.skipped == 3 and sum(again.counts.values()) == 0
    more = run_benchmark(RunConfig(**{**config.__dict__, "seeds": 2}))
    assert more.skipped == 3 and more.counts["ok"] == 3
    with Store(config.db) as s:
        keys = [(r["prompt_id"], r["seed"]) for r in s.results()]
        assert len(s.entries()) == 1
    assert len(keys) == len(set(keys)) == 6


def test_same_start_for_every_env(tmp_path):
    """Room suites give each (prompt, seed) the same starting room, whatever the env."""
    db = str(tmp_path / "lb.db")
    for env in ("scene", "trajectory", "toolstep"):
        run_benchmark(RunConfig(suite="template", policy="test:fast", env=env, prompts=("gym",), seed_list=(3,),
                                db=db, progress=False))
    with Store(db) as s:
        rooms = {Scene.load(Path(db).parent / r["scene_path"]).room.floor for r in s.results()}
        assert len(s.entries()) == 3 and len(rooms) == 1


def test_asset_suite_runs_in_the_asset_env(tmp_path):
    db = str(tmp_path / "lb.db")
    s = run_benchmark(RunConfig(suite="asset", policy="test:fast", prompts=("small_table_1", "shelf_1"),
                                db=db, progress=False))
    assert s.counts["ok"] == 2
    with Store(db) as st:
        assert st.entries()[0]["env"] == "asset"
        rows = st.results("asset")
        assert {r["label"] for r in rows} == {"small table", "shelf"}
        assert all(r["n_obj"] >= 1 and r["render_path"] for r in rows)


def test_a_policy_that_raises_is_a_failed_row_and_the_run_goes_on(tmp_path):
    db = str(tmp_path / "lb.db")
    s = run_benchmark(RunConfig(suite="template", policy="test:raise", prompts=("kitchen", "bedroom", "gym"),
                                seeds=1, db=db, progress=False))
    assert (s.counts["ok"], s.counts["failed"]) == (2, 1)
    with Store(db) as st:
        by = {r["prompt_id"]: r for r in st.results()}
    assert by["kitchen"]["status"] == "failed"
    assert "RuntimeError: test policy failed on purpose" in by["kitchen"]["error"]
    assert "Traceback" in by["kitchen"]["details"]["traceback"]
    assert by["bedroom"]["status"] == by["gym"]["status"] == "ok"
    # resume does not retry failures unless asked
    assert run_benchmark(RunConfig(suite="template", policy="test:raise", prompts=("kitchen", "bedroom", "gym"),
                                   seeds=1, db=db, progress=False)).skipped == 3
    again = run_benchmark(RunConfig(suite="template", policy="test:raise", prompts=("kitchen", "bedroom", "gym"),
                                    seeds=1, db=db, progress=False, retry_failed=True))
    assert again.skipped == 2 and again.counts["failed"] == 1


def test_a_policy_that_hangs_is_a_timeout_and_the_run_goes_on(tmp_path):
    db = str(tmp_path / "lb.db")
    t0 = time.monotonic()
    s = run_benchmark(RunConfig(suite="template", policy="test:hang", prompts=("kitchen", "bedroom", "office"),
                                seeds=1, workers=1, timeout_s=3, db=db, progress=False))
    assert time.monotonic() - t0 < 120  # the hour-long sleep was cut short
    assert (s.counts["timeout"], s.counts["ok"]) == (1, 2)
    with Store(db) as st:
        by = {r["prompt_id"]: r for r in st.results()}
    assert by["kitchen"]["status"] == "timeout" and "per-scene timeout of 3 s" in by["kitchen"]["error"]
    assert by["bedroom"]["status"] == by["office"]["status"] == "ok"


@pytest.mark.parametrize("kwargs, message", [
    ({"suite": "nope"}, "unknown suite 'nope'"),
    ({"policy": "telepathy"}, "policy 'telepathy'"),
    ({"policy": "test:nope"}, "unknown test policy 'test:nope'"),
    ({"policy": "import:no_such_module_xyz:make"}, "unknown policy module 'no_such_module_xyz'"),
    ({"judge": "oracle"}, "judge: expected 'offline', 'openai\\[:MODEL\\]' or 'vlm:PATH', got 'oracle'"),
    ({"reward": "happiness"}, "unknown reward 'happiness'"),
    ({"env": "asset"}, "expected an env kind of suite 'template'"),
    ({"workers": 0}, "expected workers >= 1"),
    ({"prompts": ("attic",)}, "unknown \\['attic'\\]"),
])  # fmt: skip
def test_bad_input_is_a_clear_error_and_records_nothing(tmp_path, kwargs, message):
    db = tmp_path / "lb.db"
    config = {"suite": "template", "policy": "test:fast", "seeds": 1, "db": str(db), "progress": False, **kwargs}
    with pytest.raises(BenchmarkError, match=message):
        run_benchmark(RunConfig(**config))
    if db.exists():
        with Store(db) as s:
            assert s.count() == 0


def test_corrupt_database_stops_the_run(tmp_path):
    db = tmp_path / "lb.db"
    db.write_bytes(b"garbage" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        run_benchmark(RunConfig(suite="template", policy="test:fast", db=str(db), progress=False))
    assert main(["leaderboard", "--db", str(db)]) == 2


def _cli(db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scene_gym.cli", "benchmark", "--suite", "template", "--policy", "test:slow",
            "--seeds", "3", "--workers", "2", "--db", str(db), "--no-progress", *extra]


def _wait_rows(db: Path, n: int, proc: subprocess.Popen, limit_s: float = 120.0) -> int:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        if db.exists():
            try:
                with Store(db, timeout_s=5) as s:
                    got = s.count()
            except StoreError:
                got = 0
            if got >= n:
                return got
        time.sleep(0.1)
    raise AssertionError(f"fewer than {n} rows after {limit_s} s")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _as_from_a_shell() -> None:
    """Start the CLI with SIGINT as a shell leaves it (default action, unblocked): an ignored or blocked SIGINT is
    inherited across exec, and a test that ran earlier in the same pytest worker must not decide this one."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_resume_after_a_killed_or_interrupted_run(tmp_path, sig):
    db = tmp_path / "lb.db"
    proc = subprocess.Popen(_cli(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=_as_from_a_shell)
    try:
        _wait_rows(db, 3, proc)
        workers = _children(proc.pid)
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "worker processes outlived the runner"
    finally:
        if proc.poll() is None:
            proc.kill()
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in proc.stderr.read()
    with Store(db) as s:
        before = s.count()
    assert 3 <= before < 30
    done = subprocess.run(_cli(db), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(re.search(r"(\d+) already recorded", done.stdout).group(1)) >= before
    with Store(db) as s:
        rows = s.results()
        assert len(s.entries()) == 1
    keys = [(r["prompt_id"], r["seed"]) for r in rows]
    assert len(keys) == len(set(keys)) == 30  # none missing, none duplicated
    assert all(r["status"] == "ok" for r in rows)


def test_cli_benchmark_then_leaderboard_formats(mini_run, capsys, tmp_path):
    config, _ = mini_run
    assert main(["benchmark", "--suite", "template", "--policy", "test:fast", "--prompt", "bedroom",
                 "--seeds", "1", "--db", config.db, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "1 already recorded" in out and "bedroom" in out and "#Obj" in out
    assert main(["leaderboard", "--db", config.db, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("rank,entry,suite,n,n_ok") and lines[1].startswith("1,test-fast@1 scene,template,")
    assert main(["leaderboard", "--db", config.db, "--format", "md", "--rooms"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("| Rank | Entry |") and "| office |" in md
    assert main(["leaderboard", "--db", config.db, "--protocol"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header[4:] == ["Q", "CF", "%", "IB", "%", "Rel", "Pos", "Rot", "PSA", "Q_vis"]
    assert main(["leaderboard", "--db", config.db, "--suite", "complex"]) == 2
    assert "no results for suite 'complex'" in capsys.readouterr().err
    assert main(["leaderboard", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no leaderboard database" in capsys.readouterr().err
    assert main(["benchmark", "--suite", "nope", "--policy", "test:fast", "--db", str(tmp_path / "x.db")]) == 2
    assert "unknown suite 'nope'" in capsys.readouterr().err
