"""Self-improvement end to end on tiny models: the example's mini version, a kill and resume in a round, the
in-context library switch, and the asset-level variant through the CLI with a tiny Qwen2-VL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl")

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "configs" / "self_improve_tiny.toml"


def _mini(run_dir, **extra):
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from self_improve import MINI
    finally:
        sys.path.pop(0)
    from scene_gym.train.config_io import make_config
    from scene_gym.train.self_improve_config import SelfImproveConfig

    return make_config(SelfImproveConfig, TINY, **{**MINI, "run_dir": str(run_dir), "progress": False, **extra})


def test_example_mini_version_trains_evaluates_and_loads_as_vlm(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "self_improve.py"), "--out", str(tmp_path), "--mini"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    names = [r["policy"] for r in results["results"]]
    assert names == ["untrained", "warm_start", "round_1", "teacher"]
    assert all(r["n"] == 2 and r["ci_low"] <= r["mean"] <= r["ci_high"] for r in results["results"])
    teacher = results["results"][-1]
    assert teacher["valid_share"] == 1.0 and teacher["mean"] > 0.5  # the heuristic furnishes the rooms
    assert {(c["a"], c["b"]) for c in results["comparisons"]} >= {("warm_start", "untrained"), ("round_1", "warm_start")}
    for name in ("results.csv", "comparisons.csv", "reward_per_round.png", "config.json", "log.jsonl"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert any((tmp_path / "tb").rglob("events.out.tfevents*"))
    events = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    sft = [e for e in events if e["event"] == "sft"]
    assert [e["stage"] for e in sft] == ["warm_start", "round_1"]
    assert all(e["dropped"] == 0 and e["max_length"] >= e["max_tokens"] for e in sft)  # max_length from the data
    card = json.loads((tmp_path / "checkpoints" / "round_1" / "scene_gym_policy.json").read_text())
    assert card["prompt_config"]["style"] == "compact"
    assert "compact prompts) acted once" in out.stdout
    resolved = json.loads((tmp_path / "config.json").read_text())
    assert resolved["config"]["k"] == 2 and resolved["help"]["k"]


class Interrupted(Exception):
    pass


def test_a_round_killed_after_a_step_resumes_without_duplicated_or_lost_samples(tmp_path):
    from scene_gym.train.datasets import read_records
    from scene_gym.train.self_improve import train_self_improve

    config = _mini(tmp_path, warm_start=False, eval_untrained=False, eval_teacher=False, train_prompts=2,
                   steps_per_episode=3)  # fmt: skip
    samples = tmp_path / "round_1" / "samples.jsonl"

    def stop(step):
        if step == 0:
            raise Interrupted

    with pytest.raises(Interrupted):
        train_self_improve(config, hooks={"after_step": stop})
    before = samples.read_bytes()
    assert len(read_records(samples)) == 1
    with open(samples, "ab") as fh:  # and a kill in the middle of writing the next line
        fh.write(b'{"key": [1, 1], "steps": [{"key": [1, 0, 1]')
    seen = []
    train_self_improve(config, hooks={"after_step": seen.append})
    assert seen and seen[0] == 1  # resumed at the step after the last finished one
    assert samples.read_bytes().startswith(before)
    lines = read_records(samples)
    keys = [tuple(s["key"]) for line in lines for s in line["steps"]]
    assert len(keys) == len(set(keys))
    for p in range(2):
        steps = sorted(k[2] for k in keys if k[1] == p)
        assert steps == list(range(len(steps))) and steps  # no step lost
    assert [line["key"] for line in lines] == [[1, s] for s in range(len(lines))]
    assert (tmp_path / "checkpoints" / "round_1" / "scene_gym_policy.json").is_file()


def test_the_in_context_library_switch_reaches_the_prompt(tmp_path):
    """Smoke test only: whether the library helps cannot be told at tiny scale (uninformative comparison)."""
    from scene_gym.agents import make_policy
    from scene_gym.train.self_improve import Run, update_library, write_card
    from scene_gym.train.tiny import build_causal_lm

    run = Run(_mini(tmp_path, use_icl_library=True, icl_examples=1))
    assert run.prompt_config.max_examples == 1 and run.train_config.max_examples == 0
    library = update_library(run, __import__("scene_gym.train.self_improve", fromlist=["x"]).initial_library(run),
                             [{"observation": {"prompt": "A cosy bedroom.", "scene": ""}, "reward": 0.4,
                               "action": 'add("bed")\nadd("wardrobe")'}], r=1)  # fmt: skip
    assert library.examples[-1].source == "round_1"
    ckpt = build_causal_lm(tmp_path / "ckpt")
    write_card(run, ckpt, library)
    policy = make_policy(f"vlm:{ckpt}", seed=0, kind="scene")
    messages = policy.messages({"prompt": "Design me a bedroom.", "scene": "# room: bedroom", "feedback": ""})
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == 'add("bed")\nadd("wardrobe")'
    off = Run(_mini(tmp_path / "off"))
    assert off.prompt_config.max_examples == 0


def test_asset_level_variant_runs_end_to_end_with_a_tiny_qwen2_vl_from_the_cli(tmp_path, capsys):
    from scene_gym.cli import main

    sets = ["env='asset'", "tiny_vision=true", "image_size=56", "reward='asset'", "train_suite='asset'",
            "eval_suites=['asset']", "eval_prompt_offset=12", "train_prompts=1", "demo_prompts=2", "k=2", "rounds=1",
            "steps_per_episode=2", "eval_prompts_per_suite=2", "eval_seeds=1", "warm_epochs=1", "round_epochs=1",
            "tiny_hidden=32", "tiny_layers=1", "tiny_heads=2", "tiny_vocab=400", "max_new_tokens=24",
            "leaderboard_db=''", "bootstrap_samples=200", "eval_untrained=false", "progress=false",
            f"run_dir='{tmp_path}'"]  # fmt: skip
    argv = ["train", "self-improve", "--config", str(TINY)]
    for s in sets:
        argv += ["--set", s]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    results = json.loads((tmp_path / "results.json").read_text())
    assert [r["policy"] for r in results["results"]] == ["warm_start", "round_1", "teacher"]
    assert "final checkpoint" in printed and "warm_start" in printed
    demos = [json.loads(line) for line in (tmp_path / "demos.jsonl").read_text().splitlines()]
    assert demos and all(d["image"] and d["action"].startswith(("<point", "done")) for d in demos)
    from scene_gym.llm.local_models import load_checkpoint

    loaded = load_checkpoint(tmp_path / "checkpoints" / "round_1")
    assert loaded.takes_images and loaded.model_type == "qwen2_vl"


def test_a_run_killed_with_sigkill_mid_round_resumes_without_duplicated_or_lost_samples(tmp_path):
    """The real thing: ``scene-gym train self-improve`` in its own process, SIGKILLed once the round has recorded
    a step, then rerun with the same config to the end."""
    import dataclasses
    import os
    import signal
    import time

    from scene_gym.train.datasets import read_records

    config = _mini(tmp_path / "run", warm_start=False, eval_untrained=False, eval_teacher=False, train_prompts=2,
                   steps_per_episode=3, tensorboard=False)  # fmt: skip
    cfg_file = tmp_path / "config.json"
    cfg_file.write_text(json.dumps(dataclasses.asdict(config)))
    samples = Path(config.run_dir) / "round_1" / "samples.jsonl"
    cmd = [sys.executable, "-m", "scene_gym.cli", "train", "self-improve", "--config", str(cfg_file)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if samples.is_file() and samples.read_bytes().count(b"\n") >= 1:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed mid-round"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    killed_at = len(read_records(samples))
    assert 1 <= killed_at < 3 and not (Path(config.run_dir) / "checkpoints" / "round_1").exists()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = read_records(samples)
    keys = [tuple(s["key"]) for line in lines for s in line["steps"]]
    assert len(keys) == len(set(keys))  # nothing recorded twice
    for p in range(2):
        steps = sorted(k[2] for k in keys if k[1] == p)
        assert steps == list(range(len(steps))) and steps  # nothing lost
    assert [line["key"] for line in lines] == [[1, s] for s in range(len(lines))]
    assert (Path(config.run_dir) / "checkpoints" / "round_1" / "scene_gym_policy.json").is_file()
