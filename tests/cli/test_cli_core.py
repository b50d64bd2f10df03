"""The `scene-gym` command: assets, export and demo, including bad input (exit status 2, nothing written)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mujoco
import numpy as np
import pytest
from PIL import Image

from scene_gym.cli import main
from scene_gym.export import FORMATS
from scene_gym.samples import bedroom_scene


@pytest.fixture(scope="module")
def bedroom_file(tmp_path_factory) -> Path:
    return bedroom_scene().save(tmp_path_factory.mktemp("scene") / "bedroom.json")


def test_assets_json_lists_categories_through_the_console_script():
    script = Path(sys.executable).with_name("scene-gym")
    out = subprocess.run([str(script), "assets", "--json"], capture_output=True, text=True, check=True)
    rows = json.loads(out.stdout)
    assert len(rows) >= 80
    assert {"category", "articulated"} <= set(rows[0])
    by_name = {r["category"]: r for r in rows}
    assert by_name["dresser"]["articulated"] is True and by_name["bowl"]["articulated"] is False


def test_assets_search(capsys):
    assert main(["assets", "--search", "grey fabric three-seat couch", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["category"] == "sofa"
    assert main(["assets", "--search", "xyzzy"]) == 2
    assert "unknown category 'xyzzy'" in capsys.readouterr().err
    assert main(["assets", "--search", "couch"]) == 0
    assert capsys.readouterr().out.startswith("'couch' -> sofa (synonym, 0.95)\n")
    assert main(["assets", "--search", "easel"]) in (0, 2)  # ranked hits or none; never a swap
    out = capsys.readouterr()
    assert "unresolved" in out.out or "unknown category 'easel'" in out.err or "-> easel" in out.out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_each_format(fmt, bedroom_file, tmp_path, capsys):
    assert main(["export", str(bedroom_file), "--to", fmt, "--out", str(tmp_path)]) == 0
    written = [Path(line) for line in capsys.readouterr().out.split()]
    assert written and all(p.exists() and p.stat().st_size > 0 for p in written)
    if fmt == "mjcf":
        model = mujoco.MjModel.from_xml_path(str(tmp_path / "scene.xml"))
        assert model.nbody > len(bedroom_scene())


def test_export_bad_input_exits_2_and_writes_nothing(bedroom_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", str(bedroom_file), "--to", "fbx", "--out", str(out)]) == 2
    assert "expected a format in" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text(bedroom_file.read_text()[:500])
    assert main(["export", str(broken), "--to", "mjcf", "--out", str(out)]) == 2
    assert "malformed JSON" in capsys.readouterr().err
    data = json.loads(bedroom_file.read_text())
    data["objects"][0]["category"] = "sofaa"
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps(data))
    assert main(["export", str(unknown), "--to", "glb", "--out", str(out)]) == 2
    assert "unknown category 'sofaa'; did you mean 'sofa'" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_demo_writes_scene_exports_and_render(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--size", "96"]) == 0
    summary = json.loads(capsys.readouterr().out)
    for name in ["scene.json", "scene.xml", "scene.glb", "scene_blender.py", "render.png"]:
        assert name in summary["files"], name
    assert summary["objects"] == len(bedroom_scene())
    image = Image.open(tmp_path / "render.png")
    assert image.size[0] >= 96 and len(np.unique(np.asarray(image.convert("L")))) > 10
