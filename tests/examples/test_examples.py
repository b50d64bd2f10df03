"""Each example runs with a tiny budget and writes what its docstring promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_example(name: str, *args: str) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "examples" / name), *args], capture_output=True, text=True,
                         cwd=ROOT, timeout=600)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_quickstart_writes_render_scene_and_episode(tmp_path):
    from PIL import Image

    from scene_gym.actions.dsl import parse_program
    from scene_gym.scene import Scene

    stdout = run_example("quickstart.py", "--out", str(tmp_path), "--size", "64")
    image = np.asarray(Image.open(tmp_path / "final.png"))
    assert image.shape == (64, 64, 3) and image.std() > 5  # a picture, not a blank
    scene = Scene.load(tmp_path / "scene.json")
    assert {"sofa_1", "tv_stand_1", "coffee_table_1", "vase_1", "book_1"} <= {o.id for o in scene.objects}
    assert scene.get("vase_1").parent == "coffee_table_1"
    assert len(parse_program((tmp_path / "scene.dsl").read_text())) == len(scene.objects) + len(scene.lights)
    episode = json.loads((tmp_path / "episode.json").read_text())
    failed = [s for s in episode["steps"] if s["n_failed"]]
    assert len(failed) == 1 and "unknown category 'spaceship'" in failed[0]["feedback"]
    assert "wrote" in stdout


def test_quickstart_with_fewer_steps(tmp_path):
    run_example("quickstart.py", "--out", str(tmp_path), "--size", "32", "--steps", "1")
    episode = json.loads((tmp_path / "episode.json").read_text())
    assert len(episode["steps"]) == 1 and episode["objects"] == ["sofa_1"]


def test_trajectory_oneshot_scores_a_valid_trajectory(tmp_path):
    run_example("trajectory_oneshot.py", "--out", str(tmp_path), "--calls", "4")
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["valid"] and len(result["calls"]) == 4
    assert [c["tool"] for c in result["calls"]] == ["init_room", "init_layout", "add_objects", "add_objects"]
    minutes = [c["cumulative_minutes"] for c in result["calls"]]
    assert minutes == sorted(minutes) and minutes[-1] == pytest.approx(result["minutes"])
    assert result["reward"] == pytest.approx(result["reward_value"] - 0.05 * result["minutes"])
    assert len(json.loads((tmp_path / "trajectory.json").read_text())) == 4
    assert result["metrics"]["n_obj"] >= 3


def test_trajectory_oneshot_reports_a_hallucinated_tool(tmp_path):
    run_example("trajectory_oneshot.py", "--out", str(tmp_path), "--broken")
    result = json.loads((tmp_path / "result.json").read_text())
    assert not result["valid"] and result["error_index"] == 1 and "add_crowd" in result["error"]
    assert result["reward"] == -1.0 and result["calls"] == []
