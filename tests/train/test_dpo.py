"""One DPO call through TRL on a tiny model: it trains (finite loss, weights change), the reference is the start
(the first step's implicit rewards are exactly 0), the checkpoint reloads, bad input is named."""

from __future__ import annotations

import json

import pytest

from scene_gym.train.dpo import DPOError, DPOOptions, run_dpo
from scene_gym.train.tiny import build_causal_lm

GOOD = json.dumps([{"tool": "init_layout", "args": {}}, {"tool": "terminate", "args": {}}])
BAD = json.dumps([{"tool": "addObjects", "args": {}}])


def rows(n=4):
    out = []
    for i in range(n):
        prompt = [{"role": "system", "content": "Write the JSON list of tool calls."},
                  {"role": "user", "content": f"Task: a bedroom number {i}."}]  # fmt: skip
        out.append({"prompt": prompt, "chosen": [{"role": "assistant", "content": GOOD}],
                    "rejected": [{"role": "assistant", "content": BAD}], "c_chosen": 9.0, "c_rejected": -1.0})  # fmt: skip
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_causal_lm(tmp_path_factory.mktemp("tiny") / "m", 0, vocab_size=300, texts=[GOOD, BAD])


def _params(path):
    from scene_gym.llm.local_models import load_checkpoint

    return {k: v.clone() for k, v in load_checkpoint(path).model.state_dict().items()}


@pytest.mark.parametrize("lora", [False, True])
def test_dpo_trains_against_the_start_and_saves_a_loadable_checkpoint(tiny, tmp_path, lora):
    import math

    seen = []
    options = DPOOptions(
        epochs=2, learning_rate=5e-3, batch_size=2, lora=lora, lora_rank=4, seed=0, device="cpu"
    )
    stats = run_dpo(tiny, rows(), tmp_path / "out", options, log=seen.append)
    assert stats["steps"] == 4 and stats["kept"] == 4 and stats["dropped"] == 0
    assert all(math.isfinite(x) for x in stats["losses"]) and len(seen) >= 4
    # reference = the start: before the first update the policy is the reference, so both implicit rewards are 0
    assert stats["first_rewards_chosen"] == pytest.approx(0.0, abs=1e-6)
    assert stats["first_rewards_rejected"] == pytest.approx(0.0, abs=1e-6)
    assert stats["first_losses"] == pytest.approx(math.log(2), abs=1e-4)
    assert stats["last_reward_margins"] > 0  # the chosen plan became more likely relative to the reference
    before, after = _params(tiny), _params(tmp_path / "out")
    assert set(before) == set(after)  # LoRA merged back: the same weights, no adapter keys
    assert any(not (before[k] == after[k]).all() for k in before)
    from transformers import AutoTokenizer

    assert AutoTokenizer.from_pretrained(tmp_path / "out").chat_template


def test_dpo_drops_rows_whose_prompt_fills_max_length(tiny, tmp_path):
    long = rows(3)
    long[0]["prompt"][1]["content"] = "bedroom " * 400
    stats = run_dpo(
        tiny, long, tmp_path / "out", DPOOptions(epochs=1, batch_size=2, max_length_cap=200, device="cpu")
    )
    assert stats["dropped"] == 1 and stats["kept"] == 2 and stats["max_length"] == 200


def test_bad_dpo_input_is_named(tiny, tmp_path):
    with pytest.raises(DPOError, match=r"rows\[1\].rejected"):
        run_dpo(
            tiny,
            [rows(1)[0], {"prompt": rows(1)[0]["prompt"], "chosen": rows(1)[0]["chosen"]}],
            tmp_path / "o",
        )
    with pytest.raises(DPOError, match="options.beta"):
        DPOOptions(beta=0)
    with pytest.raises(DPOError, match="loss_type"):
        DPOOptions(loss_type="softmax")
    assert not (tmp_path / "o").exists()
