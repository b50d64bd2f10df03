"""``scene-gym eval --judge ... --clip ...`` adds the judge's and CLIP's keys to the metrics JSON."""

from __future__ import annotations

import json

import pytest

from scene_gym.cli import main
from scene_gym.samples import bedroom_scene

JUDGE_KEYS = {"realism", "functionality", "layout", "completeness", "q_vis", "q"}


@pytest.fixture
def scene_file(tmp_path):
    return bedroom_scene().save(tmp_path / "bedroom.json")


def test_eval_with_the_offline_judge(scene_file, capsys):
    assert main(["eval", str(scene_file), "--judge", "offline"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert JUDGE_KEYS <= set(out) and "n_obj" in out and "clip" not in out
    assert out["q"] == pytest.approx(0.1 * out["q_phy"] + out["q_vis"], abs=1e-5)
    # the published protocols' metrics: the sample bedroom is physically valid, so PSA is the judge's q_vis
    assert out["collision_free_pct"] == 100.0 and out["in_boundary_pct"] == 100.0 and out["unsupported"] == []
    assert out["psa"] == pytest.approx(out["q_vis"]) and 0.0 <= out["pos_coherence"] <= 1.0
    assert 0.0 <= out["rot_coherence"] <= 1.0
    assert main(["eval", str(scene_file)]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert not JUDGE_KEYS & set(plain) and "psa" not in plain
    assert (plain["pos_coherence"], plain["rot_coherence"]) == (out["pos_coherence"], out["rot_coherence"])


def test_eval_with_a_bad_judge_exits_2(scene_file, capsys):
    assert main(["eval", str(scene_file), "--judge", "bogus"]) == 2
    assert "expected 'offline', 'openai[:MODEL]' or 'vlm:PATH', got 'bogus'" in capsys.readouterr().err


def test_eval_with_clip_from_a_local_checkpoint(scene_file, tmp_path, capsys):
    open_clip = pytest.importorskip("open_clip")
    torch = pytest.importorskip("torch")
    config = tmp_path / "scene-gym-tiny-clip-eval.json"
    config.write_text(json.dumps({
        "embed_dim": 16,
        "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "head_width": 16, "patch_size": 16},
        "text_cfg": {"context_length": 16, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
    }))  # fmt: skip
    open_clip.add_model_config(config)
    torch.manual_seed(0)
    ckpt = tmp_path / "tiny.pt"
    torch.save(open_clip.create_model("scene-gym-tiny-clip-eval").state_dict(), ckpt)
    assert main(["eval", str(scene_file), "--clip", f"scene-gym-tiny-clip-eval:{ckpt}"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert -1.0 <= out["clip"] <= 1.0 and "realism" not in out
