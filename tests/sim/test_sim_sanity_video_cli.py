"""Physics sanity checks, video writing and ``scene-gym robot``."""

import json

import numpy as np
import pytest
from sim_helpers import furnished_scene, isolated_scene

from scene_gym.actions import edit
from scene_gym.assets import factories
from scene_gym.cli import main
from scene_gym.errors import MissingDependencyError, RenderError
from scene_gym.samples import bedroom_scene
from scene_gym.scene import Room, Scene
from scene_gym.sim import SimWorld, operate
from scene_gym.sim.sanity import MASS_RATIO_BAND, SMALL_MASS_RATIO_BAND, check_scene
from scene_gym.sim.video import VideoRecorder, write_video


def test_sanity_passes_rest_and_limits_on_furnished_rooms():
    for scene in (bedroom_scene(), furnished_scene("office", 0)):
        report = check_scene(scene)
        assert len(report.objects) == len(scene.objects)
        for o in report.objects:
            assert o.displacement < 0.02 and o.tilt < np.radians(10), (o.object, o.problems)
            assert all(v < 0.05 for v in o.limit_violation.values()), (o.object, o.limit_violation)
            assert all(v < 0.02 for v in o.joint_drift.values()), (o.object, o.joint_drift)
        # Every articulated joint was pushed against its limits.
        assert sum(len(o.limit_violation) for o in report.objects) >= 5
        assert json.dumps(report.to_dict())


def test_sanity_flags_an_implausible_mass():
    # A dresser built of solid stainless steel panels weighs ~700 kg: far above the furniture reference.
    scene = Scene(Room.rectangle(4.0, 4.0))
    edit.add_object(scene, "dresser", position=(2.0, 2.0, 0.0), size=(1.0, 0.5, 0.85), material="stainless steel")
    report = check_scene(scene, rest_seconds=0.2, limits=False)
    dresser = report.objects[0]
    assert dresser.mass_ratio > MASS_RATIO_BAND[1]
    assert not report.ok and any("mass" in p for p in dresser.problems)
    nightstand = check_scene(isolated_scene("nightstand")).objects[0]
    assert MASS_RATIO_BAND[0] <= nightstand.mass_ratio <= MASS_RATIO_BAND[1] and nightstand.ok


@pytest.mark.parametrize("category", sorted(factories()))
def test_every_category_has_a_plausible_mass_with_its_default_material(category):
    report = check_scene(isolated_scene(category), rest_seconds=0.05, limits=False)
    check = next(o for o in report.objects if o.category == category)
    lo, hi = SMALL_MASS_RATIO_BAND if factories()[category].small else MASS_RATIO_BAND
    assert lo <= check.mass_ratio <= hi, (check.mass, check.mass_ratio)


def test_video_frames_and_gif(tmp_path):
    world = SimWorld(isolated_scene("wardrobe"))
    rec = VideoRecorder(world.model, 96, 64, fps=10)
    rec.frame_part(world, world.parts[0])
    res = operate(world, world.parts[0], on_frame=lambda w: rec.capture(w.data))
    assert res.success and len(rec.frames) > 5
    assert rec.frames[0].shape == (64, 96, 3) and rec.frames[0].dtype == np.uint8
    assert not np.array_equal(rec.frames[0], rec.frames[-1])  # the door moved
    path = rec.save(tmp_path / "open.gif")
    assert path.read_bytes()[:6] in (b"GIF89a", b"GIF87a")
    with pytest.raises(RenderError, match=".mp4 or .gif"):
        write_video(tmp_path / "open.avi", rec.frames)
    with pytest.raises(RenderError, match="frame size"):
        VideoRecorder(world.model, 99999, 64)
    rec.close()


def test_mp4_video_is_written(tmp_path):
    frames = [np.full((48, 64, 3), v, np.uint8) for v in (0, 80, 160, 240)]
    path = write_video(tmp_path / "a.mp4", frames, fps=4)
    assert b"ftyp" in path.read_bytes()[:64]  # an MP4 container
    import imageio.v3 as iio

    assert iio.imread(path, plugin="FFMPEG", index=None).shape[0] == len(frames)


def test_mp4_without_ffmpeg_names_the_dependency(tmp_path, monkeypatch):
    monkeypatch.setattr("scene_gym.sim.video.mp4_available", lambda: False)
    with pytest.raises(MissingDependencyError, match=r"scene-gym\[video\]"):
        write_video(tmp_path / "a.mp4", [np.zeros((16, 16, 3), np.uint8)])
    assert not (tmp_path / "a.mp4").exists()


def test_cli_robot_json_and_text(tmp_path, capsys):
    path = tmp_path / "scene.json"
    isolated_scene("nightstand").save(path)
    assert main(["robot", str(path), "--open", "all", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["joint"] for r in rows] == ["drawer_0_slide", "drawer_1_slide"]
    assert all(r["success"] and r["opened_fraction"] >= 0.8 and r["object"] == "nightstand_1" for r in rows)
    gif = tmp_path / "v.gif"
    assert main(["robot", str(path), "--open", "nightstand_1", "--video", str(gif)]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == 2 and gif.stat().st_size > 0
    assert main(["robot", str(path), "--open", "sofa_1"]) == 2
    assert "sofa_1" in capsys.readouterr().err
