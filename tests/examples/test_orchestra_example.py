"""``examples/orchestra.py --mini`` runs SceneOrchestra end to end on a tiny model and writes what its docstring
promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl")

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_orchestra_example_mini_trains_every_stage_and_acts(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "orchestra.py"), "--out", str(tmp_path), "--mini",
                          "--set", "discriminator=false", "--set", "interleaved=false", "--set", "best_of_k=0",
                          "--set", "eval_untrained=false"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert [r["policy"] for r in results["results"]] == [
        "warm_start",
        "s_sft",
        "t_sft",
        "s_dpo",
        "t_dpo",
        "heuristic",
        "teacher",
    ]
    for name in (
        "results.csv",
        "comparisons.csv",
        "reward_per_round.png",
        "summary.json",
        "datasets/sizes.json",
    ):
        assert (tmp_path / name).stat().st_size > 0, name
    for name in ("s_sft", "t_sft", "s_dpo", "t_dpo"):
        assert f"dataset {name}:" in out.stdout
    assert "final orchestrator, greedy: valid=" in out.stdout
    card = json.loads((tmp_path / "checkpoints" / "t_dpo" / "scene_gym_policy.json").read_text())
    assert card["prompt_config"]["style"] == "compact"
