"""``scene-gym render`` writes one PNG per view plus the contact sheet; bad input exits 2 with one line."""

from __future__ import annotations

import numpy as np
from PIL import Image

from scene_gym.cli import main


def test_render_cli_writes_views_and_sheet(tmp_path, table):
    scene_path = table.save(tmp_path / "scene.json")
    out = tmp_path / "out"
    assert main(["render", str(scene_path), "--views", "topdown,corners,closeup", "--size", "64x48",
                 "--out", str(out)]) == 0  # fmt: skip
    names = {"topdown", "topdown_ids", "corner_0", "corner_1", "corner_2", "corner_3", "closeup"}
    assert {p.stem for p in out.glob("*.png")} == names | {"contact_sheet"}
    img = np.asarray(Image.open(out / "corner_0.png"))
    assert img.shape == (48, 64, 3) and img.std() > 5
    sheet = Image.open(out / "contact_sheet.png")
    assert sheet.width > 3 * 64 and sheet.height > 2 * 48


def test_render_cli_all_views_with_mujoco(tmp_path, table):
    scene_path = table.save(tmp_path / "scene.json")
    assert main(["render", str(scene_path), "--backend", "mujoco", "--size", "32", "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "panorama.png").exists()
    assert Image.open(tmp_path / "o" / "panorama.png").size == (64, 32)


def test_render_cli_bad_input_exits_2(tmp_path, table, capsys):
    scene_path = table.save(tmp_path / "scene.json")
    assert main(["render", str(scene_path), "--backend", "povray", "--out", str(tmp_path / "o")]) == 2
    assert main(["render", str(scene_path), "--size", "0", "--out", str(tmp_path / "o")]) == 2
    assert main(["render", str(scene_path), "--views", "ceiling", "--out", str(tmp_path / "o")]) == 2
    assert main(["render", str(tmp_path / "missing.json"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "expected a backend" in err and "1..4096" in err and "ceiling" in err
