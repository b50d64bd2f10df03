"""CLIP reward with a tiny randomly initialised open_clip model: no download, no network."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from scene_gym.actions import edit
from scene_gym.rewards import RewardContext, RewardError, make_reward
from scene_gym.samples import bedroom_scene

open_clip = pytest.importorskip("open_clip")
torch = pytest.importorskip("torch")

from scene_gym.rewards.clip import ClipReward  # noqa: E402


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    """(config path, checkpoint path) of a tiny random open_clip model saved like a real checkpoint."""
    from tiny_models import build_tiny_clip

    return build_tiny_clip(tmp_path_factory.mktemp("tiny_clip"))


@pytest.fixture(scope="module")
def scenes():
    a = bedroom_scene()
    b = bedroom_scene()
    edit.remove_objects(b, ["bed_1"])
    edit.set_prompt(b, "an empty office")
    return [a, b]


def ctx():
    return RewardContext(render_size=(64, 64))


def test_tiny_model_through_the_checkpoint_path(tiny_checkpoint, scenes):
    config, ckpt = tiny_checkpoint
    reward = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu")
    res = reward(scenes[0], ctx())
    assert -1.0 <= res.value <= 1.0
    assert set(res.terms) == {"view.topdown", "view.corner_0", "view.corner_1", "view.corner_2", "view.corner_3"}
    assert res.value == pytest.approx(np.mean(list(res.terms.values())))
    # the same weights give the same numbers through the reward-spec path
    spec_reward = make_reward(f"clip:scene-gym-tiny-clip:{ckpt}")
    spec_reward.inner.device_spec = "cpu"  # the spec wraps CLIP with its empty-room baseline
    assert spec_reward(scenes[0], ctx()).value == pytest.approx(res.value, abs=1e-6)


def test_deterministic(tiny_checkpoint, scenes):
    config, ckpt = tiny_checkpoint
    a = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu")
    b = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu")
    r1, r2, r3 = a(scenes[0], ctx()), a(scenes[0], ctx()), b(scenes[0], ctx())
    assert r1.to_dict() == r2.to_dict()
    assert r1.value == pytest.approx(r3.value, abs=1e-6)


def test_batched_equals_unbatched(tiny_checkpoint, scenes):
    config, ckpt = tiny_checkpoint
    batched = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu", batch_size=16)
    single = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu", batch_size=1)
    together = batched.compute_batch(scenes, [ctx(), ctx()])
    apart = [single(s, ctx()) for s in scenes]
    for t, s in zip(together, apart, strict=True):
        assert t.value == pytest.approx(s.value, abs=1e-5)
        assert t.terms == pytest.approx(s.terms, abs=1e-5)
    assert together[0].value != pytest.approx(together[1].value, abs=1e-6)  # different prompts and scenes


def test_text_embeddings_are_cached(tiny_checkpoint):
    config, ckpt = tiny_checkpoint
    reward = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu")
    first = reward.text_embeddings(["a bedroom", "a kitchen"])
    assert first.shape == (2, 16)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    calls = []
    original = reward._model.encode_text
    reward._model.encode_text = lambda t: calls.append(t) or original(t)
    again = reward.text_embeddings(["a kitchen", "a bedroom"])
    assert calls == [] and np.array_equal(again, first[::-1])


def test_given_renders_are_used(tiny_checkpoint, scenes):
    config, ckpt = tiny_checkpoint
    reward = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu", views=["topdown"])
    grey = np.full((48, 48, 3), 128, dtype=np.uint8)
    white = np.full((48, 48, 3), 255, dtype=np.uint8)
    a = reward(scenes[0], RewardContext(renders={"topdown": grey}))
    b = reward(scenes[0], RewardContext(renders={"topdown": white}))
    assert set(a.terms) == {"view.topdown"} and a.value != b.value


def test_missing_pretrained_offline_raises_a_clear_error(tmp_path):
    # huggingface_hub reads HF_HUB_OFFLINE when it is imported, so the check runs in a fresh interpreter.
    code = (
        "from scene_gym.rewards import RewardError\n"
        "from scene_gym.rewards.clip import ClipReward\n"
        f"r = ClipReward(model='ViT-B-32', pretrained='laion2b_s34b_b79k', device='cpu', cache_dir={str(tmp_path)!r})\n"
        "try:\n    r.load()\nexcept RewardError as e:\n    print('ERROR', e)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    message = out.stdout
    assert message.startswith("ERROR"), out.stderr[-2000:]
    assert "'ViT-B-32'" in message and "'laion2b_s34b_b79k'" in message
    assert "HF_HUB_OFFLINE=1" in message and "local checkpoint" in message


def test_bad_arguments_name_the_value(tmp_path):
    with pytest.raises(RewardError, match="does not exist"):
        ClipReward(model="ViT-B-32", pretrained=str(tmp_path / "nope.pt")).load()
    with pytest.raises(RewardError, match="config file"):
        ClipReward(model=str(tmp_path / "missing.json")).load()
    with pytest.raises(RewardError, match="batch_size"):
        ClipReward(batch_size=0)
    with pytest.raises(RewardError, match="not a known tag|cannot load"):
        ClipReward(model="ViT-B-32", pretrained="no-such-tag", device="cpu").load()


def test_auto_device_falls_back_to_cpu_without_cuda(tiny_checkpoint, scenes, monkeypatch):
    # The CUDA path itself needs a GPU machine; here we check the choice that "auto" makes without one.
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    config, ckpt = tiny_checkpoint
    images = {"topdown": np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)}
    auto = ClipReward(model=str(config), pretrained=str(ckpt), device="auto", views=["topdown"])
    cpu = ClipReward(model=str(config), pretrained=str(ckpt), device="cpu", views=["topdown"])
    assert auto(scenes[0], RewardContext(renders=images)).value == cpu(scenes[0], RewardContext(renders=images)).value
    assert str(auto._device) == "cpu"  # noqa: SLF001
