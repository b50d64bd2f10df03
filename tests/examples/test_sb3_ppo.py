"""examples/sb3_ppo.py: every flag is documented, a run writes what the docstring promises, and PPO learns:
the trained policy beats a uniformly random one on held-out env seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sb3_ppo.py"

# The learning test's task: three room types of the suite (9 categories + done, 3 x 3 cells), 3072 PPO steps with
# the example's defaults (n_steps 128, batch 32, learning rate 1e-3), evaluated on 20 held-out env seeds.
LEARN_ARGS = "--rooms bedroom,office,gym --timesteps 3072 --checkpoints 1 --eval-episodes 20".split()
MARGIN = 0.1
"""Trained minus random mean return required on the 20 held-out env seeds (the return is the judge's normalised Q
of the final scene, in [-1, 1]). Measured with these arguments on training seeds 0 to 5
(benchmarks/reference/sb3_ppo/README.md): random 0.26 to 0.32, trained 0.38 to 0.69, differences 0.31, 0.36,
0.39, 0.40, 0.12 and 0.40; the margin is under the smallest. The test trains seed 0 (difference 0.31)."""


def run(*args: str) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, str(EXAMPLE), *args], capture_output=True, text=True, cwd=ROOT,
                         timeout=600)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return out


def test_help_explains_every_flag():
    text = "".join(run("--help").stdout.split())  # argparse wraps lines, breaking after hyphens too
    sys.path.insert(0, str(EXAMPLE.parent))
    try:
        import sb3_ppo
    finally:
        sys.path.remove(str(EXAMPLE.parent))
    for f in fields(sb3_ppo.Config):
        flag = f"--{f.name.replace('_', '-')}"
        assert flag in text and "".join(f.metadata["help"].split()) in text, flag


@pytest.mark.slow
def test_ppo_beats_random_on_held_out_seeds(tmp_path):
    pytest.importorskip("stable_baselines3")
    run(*LEARN_ARGS, "--seed", "0", "--out", str(tmp_path))
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["task"] == "grid" and config["reward"] == "quality" and config["timesteps"] == 3072
    result = json.loads((tmp_path / "eval.json").read_text())
    assert result["timesteps"] == 3072 and len(result["curve"]) == 1 and len(result["random_returns"]) == 20
    assert np.isfinite(result["curve"][0]["returns"]).all() and result["steps_per_s"] > 0
    assert (tmp_path / "model.zip").stat().st_size > 1000
    trained, random = result["mean_return"], result["random_mean_return"]
    assert trained - random >= MARGIN, (trained, random)


@pytest.mark.slow
def test_dsl_image_task_still_trains_and_writes_its_outputs(tmp_path):
    pytest.importorskip("stable_baselines3")
    run("--task", "dsl-image", "--grid", "8", "--max-steps", "4", "--timesteps", "64", "--n-steps", "64",
        "--batch-size", "32", "--checkpoints", "1", "--eval-episodes", "2", "--out", str(tmp_path))  # fmt: skip
    result = json.loads((tmp_path / "eval.json").read_text())
    assert (
        result["timesteps"] == 64
        and np.isfinite(result["mean_return"])
        and len(result["random_returns"]) == 2
    )
    assert (tmp_path / "model.zip").stat().st_size > 1000


def test_bad_task_or_rooms_exit_with_the_flag_named(tmp_path):
    for args, flag in ((("--task", "chess"), "--task"), (("--rooms", "ballroom"), "--rooms")):
        out = subprocess.run([sys.executable, str(EXAMPLE), *args, "--timesteps", "64", "--out", str(tmp_path)],
                             capture_output=True, text=True, cwd=ROOT, timeout=600)  # fmt: skip
        assert out.returncode != 0 and flag in out.stderr and "Traceback" not in out.stderr
