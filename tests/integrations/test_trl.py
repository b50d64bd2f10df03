"""The TRL adapters against TRL's own code: the tiny template is one TRL parses tool calls of, the one-shot reward
functions score what the env scores (bad text gets the penalty, never an exception), and GRPOTrainer extracts the
tool environment's methods as tools, drives them and takes its reward."""

from __future__ import annotations

import inspect
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.integrations.trl import (
    ReplayReward,
    RoomType,
    SceneToolEnvironment,
    TRLIntegrationError,
    completion_text,
    group_spread,
)


@pytest.fixture(scope="module")
def dsl_rows():
    from scene_gym.data import load_prompt_dataset

    return load_prompt_dataset("template", "dsl", eval_fraction=0.2, seed=0, style="compact")["train"]


@pytest.fixture(scope="module")
def tool_rows():
    from scene_gym.data import load_prompt_dataset

    return load_prompt_dataset("template", "toolstep", eval_fraction=0.2, seed=0)["train"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from scene_gym.train.tiny import build_causal_lm

    return str(
        build_causal_lm(tmp_path_factory.mktemp("tiny"), 0, vocab_size=320, hidden_size=16, num_heads=2)
    )


def test_tiny_template_is_qwen25_and_trl_parses_its_tool_calls(tiny):
    from transformers import AutoTokenizer
    from trl.chat_template_utils import add_response_schema, qwen2_5_chat_template, supports_tool_calling

    tok = AutoTokenizer.from_pretrained(tiny)
    assert tok.chat_template == qwen2_5_chat_template and supports_tool_calling(tok)
    tok = add_response_schema(tok)  # raises "Unrecognized chat template" for any other template
    parsed = _parse(
        tok, '<tool_call>\n{"name": "add_objects", "arguments": {"category": "sofa"}}\n</tool_call>'
    )
    assert parsed["tool_calls"][0]["function"] == {"name": "add_objects", "arguments": {"category": "sofa"}}


def _parse(tok, text: str) -> dict:
    """TRL's own parser of a generated assistant turn (after a one-message user prompt)."""
    from trl.chat_template_utils import parse_response

    head = tok.apply_chat_template(
        [{"role": "user", "content": "hi"}], add_generation_prompt=True, tokenize=False
    )
    ids = tok(text + "<|im_end|>", add_special_tokens=False)["input_ids"]
    return parse_response(tok, ids, prefix=tok(head, add_special_tokens=False)["input_ids"])


def test_dsl_reward_is_the_envs_step_reward_and_bad_text_gets_the_penalty(dsl_rows):
    import gymnasium as gym

    from scene_gym.data import row_start

    reward = ReplayReward("dsl", invalid_penalty=0.25)
    program = 'add("bed")\nadd("nightstand")\nadd("wardrobe")'
    infos = dsl_rows["info"][:4]
    got = reward(dsl_rows["prompt"][:4], [program, [{"role": "assistant", "content": f"```python\n{program}\n```"}],
                                          "add(((", ""], info=infos)  # fmt: skip
    env = gym.make("SceneSynth-v1", image_size=None, max_steps=1, invalid_penalty=0.25).unwrapped
    seed, options = row_start(infos[0])
    env.reset(seed=seed, options=options)
    expected = env.step(program)[1]
    assert got[0] == pytest.approx(expected) and expected > 0.1 and got[1] > 0.1
    assert got[2:] == [-0.25, 0.0] and reward.history == [got]  # an empty program is the env's no-op
    assert [d["valid"] for d in reward.last_details][:3] == [True, True, False]
    assert ReplayReward("dsl", invalid_penalty=0.25, scale=2.0).score(program, infos[0])[
        "reward"
    ] == pytest.approx(2 * expected)


def test_strict_replay_steps_what_was_written(dsl_rows):
    info = dsl_rows["info"][0]
    sloppy = 'add("bed")\naddadd("sofa")\nthe room is done'  # a policy parser drops the two last lines
    lenient, strict = (
        ReplayReward("dsl", invalid_penalty=0.5),
        ReplayReward("dsl", invalid_penalty=0.5, strict=True),
    )
    assert lenient.score(sloppy, info)["reward"] > 0 and strict.score(sloppy, info)["reward"] == -0.5
    fenced = '```python\nadd("bed")\n```'
    assert strict.score(fenced, info)["reward"] == pytest.approx(lenient.score('add("bed")', info)["reward"])
    assert strict.score("x" * 300_000, info)["valid"] is False


def test_trajectory_reward_replays_a_plan_and_refuses_a_bad_one():
    from scene_gym.data import load_prompt_dataset

    rows = load_prompt_dataset("template", "trajectory", eval_fraction=0.2, seed=0)["eval"]
    plan = json.dumps([{"tool": "init_layout", "args": {}}, {"tool": "terminate", "args": {}}])
    bad = json.dumps([{"tool": "add_objects", "args": {"category": "sofa", "count": 99}}])
    good, refused = ReplayReward("trajectory")(rows["prompt"][:1] * 2, [plan, bad], info=rows["info"][:1] * 2)
    assert good > 1.0 and refused == -1.0


def test_reward_arguments_are_checked():
    with pytest.raises(TRLIntegrationError, match="^kind"):
        ReplayReward("toolstep")
    with pytest.raises(TRLIntegrationError, match="^scale"):
        ReplayReward("dsl", scale=0)
    with pytest.raises(TRLIntegrationError, match="^info"):
        ReplayReward("dsl")(["p"], ["add('bed')"])
    assert group_spread([1, 2, 3, 3, 3, 3], 3) == [1.0, 0.0]
    with pytest.raises(TRLIntegrationError, match="^rewards"):
        group_spread([1, 2, 3], 2)
    assert completion_text([{"role": "assistant", "content": "a"}, {"role": "tool", "content": "b"}]) == "a"
    assert completion_text(None) == ""


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.one_of(st.text(max_size=300), st.lists(st.text(max_size=40).map(lambda t: f'add("{t}")'), max_size=5).map("\n".join),
                 st.lists(st.fixed_dictionaries({"role": st.just("assistant"), "content": st.text(max_size=80)}), max_size=2)))  # fmt: skip
def test_any_completion_gets_a_finite_reward_and_never_raises(dsl_rows, completion):
    value = ReplayReward("dsl", invalid_penalty=0.5).score(completion, dsl_rows["info"][0])["reward"]
    assert math.isfinite(value) and value >= -0.5 * 6 - 1


def test_tool_methods_mirror_the_tool_argument_models():
    from transformers.utils import get_json_schema

    from scene_gym.actions.tools import TOOLS
    from scene_gym.scene import ROOM_TYPES

    assert list(RoomType.__args__) == list(ROOM_TYPES)
    methods = {
        n for n, _ in inspect.getmembers(SceneToolEnvironment, inspect.isfunction) if not n.startswith("_")
    }
    assert methods - {"reset", "get_reward"} == set(TOOLS)
    for name, tool in TOOLS.items():
        schema = get_json_schema(getattr(SceneToolEnvironment, name))["function"]
        fields = tool.args_model.model_fields
        assert set(schema["parameters"]["properties"]) <= set(fields), name
        assert set(schema["parameters"].get("required", [])) == {
            f for f, i in fields.items() if i.is_required()
        }, name
        assert all(p.get("description") for p in schema["parameters"]["properties"].values()), name


def test_tool_environment_runs_an_episode_and_owns_its_reward(tool_rows):
    env = SceneToolEnvironment()
    assert env.reset(**tool_rows[0]).startswith("\n\nUse the tools")
    placed = env.init_layout()
    assert "[ok] init_layout" in placed and "review:" in placed
    refused = env.add_objects("no_such_thing_at_all")
    assert "invalid call" in refused and "review:" not in refused
    assert "[ok] terminate" in env.terminate() and "episode is over" in env.update_size("bed_1", scale=1.1)
    assert env.calls == 3 and env.get_reward() > 0
    with pytest.raises(Exception, match="info"):
        env.reset(prompt="no info column")
    assert env.calls == 3  # a refused reset leaves the episode as it was


def test_grpo_trainer_takes_the_tool_environment(tiny, tool_rows, tmp_path):
    from transformers import AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    tok = AutoTokenizer.from_pretrained(tiny, padding_side="left")
    config = GRPOConfig(output_dir=str(tmp_path), max_steps=1, num_generations=2, per_device_train_batch_size=2,
                        max_completion_length=8, use_cpu=True, report_to="none", save_strategy="no", logging_steps=1,
                        disable_tqdm=True, gradient_checkpointing=False, model_init_kwargs={"dtype": "float32"})  # fmt: skip
    trainer = GRPOTrainer(model=tiny, args=config, train_dataset=tool_rows.select(range(2)), processing_class=tok,
                          environment_factory=SceneToolEnvironment)  # fmt: skip
    assert sorted(t.__name__ for t in trainer.tools) == sorted(_tool_names())
    rendered = tok.apply_chat_template(tool_rows[0]["prompt"], tools=trainer.tools, tokenize=False)
    assert '"name": "add_objects"' in rendered and "<tools>" in rendered
    parsed = _parse(trainer._tokenizer, '<tool_call>\n{"name": "init_layout", "arguments": {}}\n</tool_call>')
    call = parsed["tool_calls"][0]["function"]
    env = trainer._environment_pool[None][0]
    env.reset(**tool_rows[0])
    assert "[ok] init_layout" in getattr(env, call["name"])(**call["arguments"])
    trainer.train()
    logged = trainer.state.log_history[0]
    assert "rewards/SceneToolEnvironment/mean" in logged and math.isfinite(logged["loss"])


def _tool_names():
    from scene_gym.actions.tools import TOOLS

    return list(TOOLS)
