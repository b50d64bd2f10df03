"""``judge:vlm:PATH`` end to end on a tiny Qwen2-VL built on the spot: its free answers are garbage (rejected and
reported with the raw text), and a constrained decoder that forces a well-formed answer is parsed and cached."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from scene_gym.errors import ModelLoadError
from scene_gym.rewards import JudgeReward, RewardContext, make_reward
from scene_gym.samples import bedroom_scene

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from scene_gym.rewards.local_judge import LocalVLMJudge  # noqa: E402
from scene_gym.rewards.vlm_judge import AnswerError, JudgeCache  # noqa: E402

ANSWER = '{"realism": 6, "functionality": 5.5, "layout": 7, "completeness": 4, "reason": "sparse"}'


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    from tiny_models import build_qwen2_vl

    return build_qwen2_vl(tmp_path_factory.mktemp("tiny_qwen2_vl"))


class ForceText:
    """A logits processor that makes any model write ``text`` then stop: at each step only the next token of
    ``text`` (found by matching the generated tail against it) or, at the end, the end token is allowed."""

    def __init__(self, tokenizer, text: str):
        self.text, self.ids, self.eos = text, tokenizer.encode(text, add_special_tokens=False), tokenizer.eos_token_id

    def __call__(self, input_ids, scores):
        tail = input_ids[0].tolist()
        done = max((k for k in range(len(self.ids) + 1) if k == 0 or tail[-k:] == self.ids[:k]), default=0)
        allowed = self.ids[done] if done < len(self.ids) else self.eos
        out = torch.full_like(scores, -float("inf"))
        out[:, allowed] = 0.0
        return out

    def __repr__(self):
        return f"ForceText({self.text!r})"


def context():
    return RewardContext(renders={"topdown_ids": np.full((64, 64, 3), 180, dtype=np.uint8)})


def test_garbage_is_rejected_with_the_raw_text(checkpoint, tmp_path):
    judge = LocalVLMJudge(checkpoint, device="cpu", max_new_tokens=24, cache=tmp_path / "c.sqlite")
    assert judge._loaded is None  # loaded on first use
    with pytest.raises(AnswerError) as err:
        judge.judge(bedroom_scene(), context())
    raw = err.value.raw
    assert judge.loaded.takes_images and err.value.kind in ("no_json", "missing", "not_a_number", "out_of_range")
    assert raw and repr(raw[:400].strip().replace("\n", " ")[:200]) in str(err.value)
    again = LocalVLMJudge(checkpoint, device="cpu", max_new_tokens=24, cache=None)
    with pytest.raises(AnswerError) as err2:  # greedy decoding: the same answer from a fresh load
        again.judge(bedroom_scene(), context())
    assert err2.value.raw == raw and len(judge.cache) == 0


def test_a_well_formed_answer_is_parsed_and_cached_by_model_fingerprint(checkpoint, tmp_path):
    cache = tmp_path / "c.sqlite"
    judge = LocalVLMJudge(checkpoint, device="cpu", cache=cache)
    judge.logits_processors = (ForceText(judge.loaded.tokenizer, ANSWER),)
    res = judge.judge(bedroom_scene(), context())
    assert res.grades.to_dict() == {"realism": 6.0, "functionality": 5.5, "layout": 7.0, "completeness": 4.0}
    assert res.details["reason"] == "sparse" and res.details["cached"] is False and res.details["rejected"] == []
    assert res.judge == f"vlm:{checkpoint}" and res.details["model"].startswith(f"vlm:{checkpoint.resolve()}#sha256:")
    twin = LocalVLMJudge(checkpoint, device="cpu", cache=cache)
    twin.logits_processors = judge.logits_processors
    hit = twin.judge(bedroom_scene(), context())
    assert hit.details["cached"] and hit.grades == res.grades and twin._loaded is None  # no model load on a hit
    (checkpoint / "extra_weights.bin").write_bytes(b"\0" * 8)  # the folder's contents changed: a new fingerprint
    try:
        changed = LocalVLMJudge(checkpoint, device="cpu", cache=cache)
        assert changed.model_id != judge.model_id
    finally:
        (checkpoint / "extra_weights.bin").unlink()
    assert len(JudgeCache(cache)) == 1


def test_spec_and_env_report_a_garbage_answer_as_the_step_reward_error(checkpoint, tmp_path, monkeypatch):
    monkeypatch.setenv("SCENE_GYM_CACHE_DIR", str(tmp_path))
    reward = make_reward(f"judge:vlm:{checkpoint}")  # a model judge: wrapped with its empty-room baseline
    judge = reward.inner.judge
    assert isinstance(reward.inner, JudgeReward) and isinstance(judge, LocalVLMJudge)
    assert reward.name == f"judge:vlm:{checkpoint}"
    judge.device = "cpu"
    judge.logits_processors = (ForceText(judge.loaded.tokenizer, ANSWER),)
    env = gym.make("SceneSynth-v1", image_size=None, reward=reward)
    try:
        _, info = env.reset(seed=0, options={"prompt": "A bedroom with a bed"})
        assert info["reward_terms"]["layout"] == 7.0 and info["reward_terms"]["baseline"] == pytest.approx(0.5625)
        judge.logits_processors, judge.max_new_tokens = (), 24  # the model answers freely from now on: garbage
        before = env.unwrapped.scene.to_json()
        _, r, _, _, info = env.step('add("bed", at=(2.0, 2.0))')
        assert "the reward failed, so the step was undone: AnswerError: judge answer: expected" in info["reward_error"]
        assert " got " in info["reward_error"] and r == 0.0  # the message ends with the raw answer, quoted
        assert env.unwrapped.scene.to_json() == before
    finally:
        env.close()


def test_bad_paths_name_the_value(tmp_path):
    with pytest.raises(ModelLoadError, match="config.json"):
        LocalVLMJudge(tmp_path)
    with pytest.raises(ModelLoadError, match="expected 'vlm:PATH'|config.json"):
        make_reward(f"judge:vlm:{tmp_path / 'missing'}")
