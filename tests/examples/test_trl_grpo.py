"""examples/trl_grpo.py on a tiny model: the rewards it replays reach GRPOTrainer, the loss is finite, the
weights move, the answer budget comes from the demonstrations and the results are written."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_example():
    spec = importlib.util.spec_from_file_location("trl_grpo_example", ROOT / "examples" / "trl_grpo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_flag_has_help():
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "trl_grpo.py"), "--help"], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    flags = [a for a in load_example().parse_args([]).__dict__]
    for flag in flags:
        line = next(ln for ln in out.stdout.splitlines() if f"--{flag.replace('_', '-')}" in ln)
        assert line.strip()  # argparse prints the flag with its help text and default
    assert out.stdout.count("(default:") >= len(flags)


def test_grpo_example_trains_a_tiny_model_on_replayed_rewards(tmp_path, monkeypatch):
    from transformers import AutoTokenizer

    monkeypatch.setenv("TRL_EXPERIMENTAL_SILENCE", "1")
    example = load_example()
    # two-statement demonstrations: a warm start this small samples both valid and invalid answers (spread > 0)
    results = example.main(["--out", str(tmp_path), "--suite", "template", "--train-prompts", "2", "--eval-prompts",
                            "2", "--demo-statements", "2", "--hidden", "64", "--layers", "1", "--heads", "4",
                            "--vocab", "800", "--sft-epochs", "30", "--sft-lr", "1e-2", "--steps", "2",
                            "--num-generations", "4", "--prompts-per-step", "2", "--temperature", "1.0",
                            "--bootstrap", "200"])  # fmt: skip
    saved = json.loads((tmp_path / "results.json").read_text())
    assert (
        saved["after_minus_before"] == results["after_minus_before"]
        and (tmp_path / "grpo_curve.png").is_file()
    )
    curve = results["curve"]
    assert [r["step"] for r in curve] == [1, 2]
    for row in curve:  # what the reward function returned is what the trainer logged
        assert row["trl_reward_mean"] == pytest.approx(row["mean_reward"], abs=1e-5)
        assert row["trl_frac_reward_zero_std"] == pytest.approx(row["zero_spread_groups"])
        assert math.isfinite(row["loss"])
    assert any(r["group_spread_mean"] > 0 for r in curve) and results["max_weight_change"] > 0
    assert math.isfinite(results["final_loss"])
    tok = AutoTokenizer.from_pretrained(tmp_path / "warm_start")
    demos = example.demonstrations(_rows("template", 2), ("at", "yaw", "size", "material"), 0, 2)
    assert all(len(d.splitlines()) == 2 for d in demos)
    assert results["max_completion_length"] == max(len(tok(d, add_special_tokens=False)["input_ids"]) + 1
                                                   for d in demos) + 8  # fmt: skip
    assert len(results["per_prompt"]["before"]) == len(results["per_prompt"]["after"]) == 2


def _rows(suite: str, n: int):
    from scene_gym.data import load_prompt_dataset

    return load_prompt_dataset(suite, "dsl", 0.2, 0, style="compact")["train"].select(range(n))
