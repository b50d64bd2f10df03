"""``scene-gym eval``: one JSON object on stdout with the metric keys; providers add keys; bad files exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scene_gym.actions import edit
from scene_gym.cli import cmd_eval, main
from scene_gym.samples import grid_scene
from scene_gym.scene import Room, Scene

KEYS = {"n_obj", "n_oob", "n_collisions", "collisions", "unsupported", "nav", "acc", "opc", "q_phy"}


@pytest.fixture
def scene_file(tmp_path):
    scene = Scene(Room.rectangle(6.0, 5.0))
    for x in (1.5, 2.9):  # two tables overlapping by 20 cm
        edit.add_object(scene, "dining_table", position=(x, 2.0, 0.0), size=(1.6, 0.9, 0.75))
    return scene.save(tmp_path / "scene.json")


def test_eval_prints_the_metrics(scene_file, capsys):
    assert main(["eval", str(scene_file)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert KEYS <= set(out)
    assert out["collisions"] == [["dining_table_1", "dining_table_2"]]
    assert out["q_phy"] == 2 - 4


def test_eval_as_a_process_prints_only_json(tmp_path):
    path = grid_scene(10, seed=1).save(tmp_path / "grid.json")
    done = subprocess.run([sys.executable, "-m", "scene_gym.cli", "eval", str(path)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["n_obj"] == 10
    assert "pybullet" not in done.stderr


def test_providers_add_keys(scene_file, capsys, monkeypatch):
    monkeypatch.setattr(cmd_eval, "PROVIDERS", list(cmd_eval.PROVIDERS))
    cmd_eval.add_provider(lambda scene: {"judge": len(scene)})
    assert main(["eval", str(scene_file), "--indent", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["judge"] == 2 and KEYS <= set(out)


def test_bad_files_exit_with_status_2(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "scene-gym/scene@1", "room": {"floor": [[0, 0], [1, 0]]}}')
    assert main(["eval", str(bad)]) == 2
    assert "room.floor" in capsys.readouterr().err
