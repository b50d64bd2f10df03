"""VLMPolicy on tiny checkpoints built on the spot (a Qwen2 causal LM and a Qwen2-VL model, tokenizers trained
here), loaded through the same path as a downloaded checkpoint. No network."""

from __future__ import annotations

import json
import math

import gymnasium as gym
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

from tiny_models import build_causal_lm, build_qwen2_vl  # noqa: E402

import scene_gym  # noqa: E402,F401  (registers the envs)
from scene_gym.agents import run_episode  # noqa: E402
from scene_gym.agents.text_policy import PolicyError  # noqa: E402
from scene_gym.agents.vlm import VLMPolicy  # noqa: E402

DSL = 'add("sofa", at=(2.0, 0.6), facing="north")\ndone()'


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope="module")
def lm_path(tmp_path_factory):
    return build_causal_lm(tmp_path_factory.mktemp("tiny_qwen2"))


@pytest.fixture(scope="module")
def vl_path(tmp_path_factory):
    return build_qwen2_vl(tmp_path_factory.mktemp("tiny_qwen2_vl"))


def observe(env_id: str, seed: int = 0, **kw):
    env = gym.make(env_id, **kw)
    try:
        return env.reset(seed=seed, options=None)[0]
    finally:
        env.close()


def force(monkeypatch, policy: VLMPolicy, answers: list[str], seen: list | None = None):
    """Constrain the real ``model.generate`` to write ``answers`` (one per call) via ``prefix_allowed_tokens_fn``;
    logits stay the model's own, so log-probabilities are real."""
    loaded = policy.loaded
    original = loaded.model.generate
    eos = loaded.tokenizer.eos_token_id

    def generate(**kw):
        target = loaded.tokenizer.encode(answers.pop(0), add_special_tokens=False) + [eos]
        start = kw["input_ids"].shape[1]
        if seen is not None:
            seen.append(kw)

        def allowed(_batch, ids):
            k = ids.shape[-1] - start
            return [target[k] if k < len(target) else eos]

        return original(**kw, prefix_allowed_tokens_fn=allowed)

    monkeypatch.setattr(loaded.model, "generate", generate)


# --- garbage from random weights: validate, regenerate, fall back ----------------------------------------------
@pytest.mark.parametrize("which", ["lm", "vl"])
def test_random_model_regenerates_then_falls_back_to_the_noop(which, lm_path, vl_path):
    path = lm_path if which == "lm" else vl_path
    policy = VLMPolicy(path, seed=0, max_new_tokens=12, max_regenerations=2)
    assert policy.loaded.takes_images == (which == "vl")
    obs = observe("SceneSynth-v1", image_size=(32, 32))
    chats = []
    real = policy.generate
    policy.generate = lambda c, *a: (chats.append(c), real(c, *a))[1]
    (cand,) = policy.sample(obs, 1, kind="scene")
    assert cand.action == "" and cand.meta["fallback"] and cand.meta["attempts"] == 3
    assert len(cand.meta["errors"]) == 3 and all("expected" in e for e in cand.meta["errors"])
    assert policy.counts == {"candidates": 1, "generations": 3, "regenerations": 2, "fallbacks": 1}
    # each regeneration sees the previous answers and their errors
    assert [len(c[0]) for c in chats] == [6, 8, 10]
    assert chats[2][0][-1]["content"].startswith("Your answer could not be used: " + cand.meta["errors"][1])
    assert math.isfinite(cand.logprob) and cand.logprob <= 0 and cand.meta["n_tokens"] <= 12


def test_seeded_sampling_is_reproducible_with_finite_logprobs(lm_path):
    obs = observe("SceneSynth-v1", image_size=None)
    a = VLMPolicy(lm_path, seed=7, max_new_tokens=10, max_regenerations=0).sample(obs, 4, kind="scene")
    b = VLMPolicy(lm_path, seed=7, max_new_tokens=10, max_regenerations=0).sample(obs, 4, kind="scene")
    c = VLMPolicy(lm_path, seed=8, max_new_tokens=10, max_regenerations=0).sample(obs, 4, kind="scene")
    assert [x.text for x in a] == [x.text for x in b] and [x.logprob for x in a] == [x.logprob for x in b]
    assert [x.text for x in a] != [x.text for x in c]
    assert len({x.text for x in a}) > 1  # n > 1 samples at sample_temperature even though act is greedy
    assert all(math.isfinite(x.logprob) and x.logprob <= 0 for x in a + c)
    # the global torch RNG is left alone
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    VLMPolicy(lm_path, seed=7, max_new_tokens=4, max_regenerations=0).sample(obs, 2, kind="scene")
    assert torch.rand(1) == before


@pytest.mark.parametrize("which", ["lm", "vl"])
def test_batch_equals_one_by_one(which, lm_path, vl_path):
    path = lm_path if which == "lm" else vl_path
    obs = [observe("SceneSynth-v1", seed=s, image_size=(32, 32)) for s in (0, 1, 2)]
    assert len({o["prompt"] for o in obs}) > 1  # different prompt lengths: left padding is exercised
    policy = VLMPolicy(path, seed=0, max_new_tokens=8, max_regenerations=1)
    policy.reset(0, kind="scene")
    batch = policy.sample_batch(obs, 1)
    single = [policy.sample(o, 1) for o in obs]
    assert [b[0].text for b in batch] == [s[0].text for s in single]
    assert [b[0].logprob for b in batch] == pytest.approx([s[0].logprob for s in single], abs=1e-3)
    assert policy.act_batch(obs) == [policy.act(o) for o in obs]


# --- the happy path: the real load, template, tokenizer and logprobs, with the output forced -------------------
def test_forced_valid_dsl_after_one_error_is_fed_back(lm_path, monkeypatch):
    policy = VLMPolicy(lm_path, seed=0, max_new_tokens=64, max_regenerations=2)
    force(monkeypatch, policy, ['add("sofa" at=(1, 2))', "Here you go:\n```python\n" + DSL + "\n```"])
    env = gym.make("SceneSynth-v1", image_size=None)
    try:
        obs, _ = env.reset(seed=0)
        (cand,) = policy.sample(obs, 1, kind="scene")
        assert cand.action == DSL and cand.meta["attempts"] == 2 and not cand.meta["fallback"]
        assert "syntax error" in cand.meta["errors"][0]
        assert cand.text == "Here you go:\n```python\n" + DSL + "\n```"
        assert math.isfinite(cand.logprob) and cand.logprob < 0
        _, _, terminated, _, info = env.step(cand.action)
        assert info["n_ok"] == 2 and terminated
    finally:
        env.close()


def test_forced_point_with_the_image_in_the_chat(vl_path, monkeypatch):
    policy = VLMPolicy(vl_path, seed=0, max_new_tokens=48)
    seen: list = []
    force(monkeypatch, policy, ['<point x="50" y="50" alt="mug">a coffee mug</point>'], seen)
    env = gym.make("SceneSynthAsset-v2", image_size=(64, 64))
    try:
        obs, _ = env.reset(seed=0)
        action = policy.act(obs, kind="asset")
        assert np.allclose(action["point"], [0.5, 0.5]) and action["asset"] == "a coffee mug"
        assert "pixel_values" in seen[0] and seen[0]["image_grid_thw"].shape == (1, 3)
        _, _, _, _, info = env.step(action)
        assert info["applied"], info["error"]
    finally:
        env.close()


def test_forced_trajectory_for_the_tool_env(lm_path, monkeypatch):
    policy = VLMPolicy(lm_path, seed=0, max_new_tokens=96, icl=None)
    force(monkeypatch, policy, ['```json\n[{"tool": "init_layout", "args": {}}, {"tool": "terminate"}]\n```'])
    obs = observe("SceneSynthTrajectory-v1")
    chat = policy.messages(obs, kind="trajectory")
    assert "init_layout (initializer)" in chat[0]["content"]  # the catalogue is in the system prompt
    assert [c["tool"] for c in json.loads(policy.act(obs, kind="trajectory"))] == ["init_layout", "terminate"]


def test_run_episode_records_a_rollout(lm_path, tmp_path):
    policy = VLMPolicy(lm_path, seed=0, max_new_tokens=6, max_regenerations=1)
    env = gym.make("SceneSynth-v1", image_size=(32, 32), max_steps=2)
    try:
        rollout = run_episode(env, policy, seed=0, image_dir=tmp_path)
    finally:
        env.close()
    assert len(rollout.steps) == 2 and rollout.steps[-1].truncated
    assert rollout.policy["name"] == "vlm" and rollout.policy["model_type"] == "qwen2"
    assert policy.counts["fallbacks"] == 2 and policy.stats["generated_tokens"] > 0
    assert all(p.endswith(".png") for s in rollout.steps for p in s.image_paths)


def test_bad_checkpoints_are_named(tmp_path, lm_path):
    with pytest.raises(PolicyError, match="expected a checkpoint directory, got .*nowhere"):
        VLMPolicy(tmp_path / "nowhere")
    with pytest.raises(PolicyError, match="expected a config.json"):
        VLMPolicy(tmp_path)
    with pytest.raises(PolicyError, match="expected max_new_tokens in"):
        VLMPolicy(lm_path, max_new_tokens=0)
    with pytest.raises(PolicyError, match="expected dtype among"):
        VLMPolicy(lm_path, dtype="float8")
    import shutil

    from transformers import AutoTokenizer

    bare = tmp_path / "no_template"
    shutil.copytree(lm_path, bare)
    tok = AutoTokenizer.from_pretrained(bare)
    tok.chat_template = None
    (bare / "chat_template.jinja").unlink(missing_ok=True)
    tok.save_pretrained(bare)
    with pytest.raises(PolicyError, match="has no chat template"):
        VLMPolicy(bare)
