"""Policy-side parsers on hostile model output and malformed replies (issue 13): ``parse_action`` for every action
format, ``parse_tool_calls`` and ``APIPolicy.reply`` answer with the package's own errors, each format under the
cap of its env's action space. Speed is measured by ``benchmarks/bench_parsers.py``."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.agents.api import APIPolicy
from scene_gym.agents.parsing import (
    MAX_CALLS,
    MAX_CALLS_CHARS,
    MAX_DSL_CHARS,
    MAX_POINT_CHARS,
    ParseError,
    parse_action,
    parse_tool_calls,
)
from scene_gym.agents.text_policy import Generation
from scene_gym.envs.spaces import ACTION_MAX, CALLS_MAX, POINT_MAX
from scene_gym.llm import ChatError

FORMATS = ["dsl", "point", "trajectory", "toolcall"]
CAPS = {"dsl": MAX_DSL_CHARS, "point": MAX_POINT_CHARS, "trajectory": MAX_CALLS_CHARS, "toolcall": MAX_CALLS_CHARS}
FRAGMENTS = [
    "add(", "+", "-", "(", ")", "[", "]", "{", "}", '"', "'", ",", ":", "1", "9", " ", "\n", "\\", "```",
    "```json\n", "```python\n", "<point ", "x=", "y=", '"50"', ">", "</point>", "<tool_call>", "</tool_call>",
    '{"tool": "init_room", "args": {', '{"name": "add_objects", "arguments": "', '{"tool_calls": ', '"function": ',
    "null", "done", "\x00", "\ud800", "☃",
]  # fmt: skip
RUN = st.tuples(st.sampled_from(FRAGMENTS), st.one_of(st.integers(1, 3), st.integers(1, 5000)))
HOSTILE = st.one_of(st.lists(RUN, max_size=8).map(lambda runs: "".join(f * k for f, k in runs)), st.text(max_size=300))
KEYS = st.sampled_from(["choices", "message", "content", "tool_calls", "refusal", "text", "type", "function", "name",
                        "arguments", "logprobs", "logprob", "usage", "completion_tokens", "finish_reason", "id",
                        "tool", "args", "role"]) | st.text(max_size=4)  # fmt: skip
LEAVES = (st.none() | st.booleans() | st.integers() | st.just(10**400) | st.floats() | st.text(max_size=20)
          | st.sampled_from(["init_room", "add_objects", "terminate", "{}", '{"category": "chair"}', "[1, 2]"]))
JSONISH = st.recursive(LEAVES, lambda c: st.lists(c, max_size=4) | st.dictionaries(KEYS, c, max_size=5), max_leaves=25)
REPLIES = st.one_of(
    JSONISH,
    st.builds(lambda message, choice, usage: {"choices": [{"message": message, **choice}], "usage": usage},
              JSONISH, st.dictionaries(st.sampled_from(["logprobs", "finish_reason"]), JSONISH, max_size=2), JSONISH),
)  # fmt: skip
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                            HealthCheck.data_too_large])  # fmt: skip


def test_each_format_reads_under_its_env_action_cap():
    assert (CAPS["dsl"], CAPS["point"], CAPS["trajectory"]) == (ACTION_MAX, POINT_MAX, CALLS_MAX)
    for fmt, cap in CAPS.items():
        with pytest.raises(ParseError, match=f"expected at most {cap} characters of model output, got {cap + 1}"
                           if fmt != "point" else f"expected at most {cap} characters of pointing text"):
            parse_action(fmt, " " * (cap + 1))


@pytest.mark.parametrize(("output", "message"), [
    ({"tool_calls": 5}, "expected the reply's tool_calls as a list, got '5'"),
    ({"tool_calls": "add_objects"}, "expected the reply's tool_calls as a list"),
    ({"tool_calls": [5]}, "call 0: expected a tool call object"),
    ({"tool_calls": [{"tool": "terminate"}] * (MAX_CALLS + 1)}, f"expected at most {MAX_CALLS} tool calls"),
    ({"content": [None, {"text": None}, {"type": "image_url"}]}, "expected tool calls or text in the reply"),
    ({"content": [{"text": None}, {"text": '[{"tool": "terminate"}]'}], "tool_calls": None}, None),
    ({"tool_calls": [{"function": {"name": "terminate", "arguments": " " * (MAX_CALLS_CHARS + 1)}}]},
     f"expected at most {MAX_CALLS_CHARS} characters of call 0's arguments"),
    ({"tool_calls": [{"tool": "terminate", "args": {"x": json.loads("[" * 40 + "]" * 40)}}]},
     "call 0: expected a tool call nested at most 32 levels deep"),
    ({"tool_calls": [{"tool": "add_objects", "args": {"category": {1, 2}}}]}, "call 0 (add_objects): args.category"),
    ("<tool_call>x" + " " * 60000 + "y", "expected a JSON object"),
    ("<tool_call>" + "[" * 50000, "expected a JSON object"),  # textscan: "got maximum recursion depth exceeded"
    ('[{"tool": "add_objects", "args": {"category": "chair", "count": 1' + "0" * 5000 + "}}]", "digits"),
])  # fmt: skip
def test_tool_call_replies_that_crashed_are_explained(output, message):
    if message is None:
        assert parse_tool_calls(output) == [{"tool": "terminate", "args": {}}]
        return
    with pytest.raises(ParseError) as err:
        parse_tool_calls(output)
    assert message in str(err.value)


def test_tool_calls_as_json_must_fit_the_tool_envs_action():
    calls = [{"tool": "remove_objects", "args": {"ids": [f"chair_{i}" for i in range(40)]}}] * MAX_CALLS
    with pytest.raises(ParseError, match=f"expected tool calls of at most {MAX_CALLS_CHARS} characters as JSON"):
        parse_action("trajectory", {"tool_calls": calls})


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(output=HOSTILE | JSONISH)
def test_parse_action_raises_only_parse_errors(fmt, output):
    if isinstance(output, str):
        output = output[: CAPS[fmt] + 10]
    try:
        action = parse_action(fmt, output)
    except ParseError:
        return
    if fmt in ("trajectory", "toolcall"):
        assert len(action) <= CAPS[fmt] and json.loads(action)
    elif fmt == "dsl":
        assert isinstance(action, str) and len(action) <= CAPS[fmt]
    else:
        assert action["asset"] and 0 <= action["point"].min() and action["point"].max() <= 1


@SETTINGS
@given(output=HOSTILE | JSONISH, validate=st.booleans())
def test_parse_tool_calls_raises_only_parse_errors(output, validate):
    if isinstance(output, str):
        output = output[: MAX_CALLS_CHARS + 10]
    try:
        calls = parse_tool_calls(output, validate)
    except ParseError:
        return
    assert all(isinstance(c["tool"], str) and c["tool"] for c in calls)


# --- APIPolicy.reply ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api():
    return APIPolicy("stand-in-model", base_url="http://127.0.0.1:9", icl=None)


@pytest.mark.parametrize(("response", "message"), [
    ({"choices": [{"message": "hi"}]}, "expected a message object, got 'hi'"),
    ({"choices": [{"message": {"tool_calls": 5}}]}, "expected the message's tool_calls as a list, got 5"),
    ({"choices": [{"message": {"tool_calls": [{"function": {1, 2}}]}}]}, "expected tool calls as JSON"),
    ({"choices": {"0": 1}}, "expected choices[0].message"),
    ("not a reply", "expected choices[0].message"),
    ({"choices": [{"message": {"content": "x" * 10_000}}], "x": "y" * 10_000}, None),
])  # fmt: skip
def test_malformed_replies_raise_chat_errors_naming_what_came(api, response, message):
    if message is None:
        assert api.reply(response).text == "x" * 10_000
        return
    with pytest.raises(ChatError) as err:
        api.reply(response)
    assert message in str(err.value) and len(str(err.value)) < 400


def test_reply_skips_null_text_parts_and_odd_logprobs(api):
    parts = [{"type": "text", "text": None}, {"type": "text", "text": "add("}, None, {"text": ")"}]
    assert api.reply({"choices": [{"message": {"content": parts}}]}).text == "add()"
    for values, expected in [([-1, -0.5], -1.5), ([-1, 10**400], None), ([float("inf"), float("-inf")], None),
                             ([True], None), ([], None)]:  # fmt: skip
        lp = {"content": [{"logprob": v} for v in values]}
        assert api.reply({"choices": [{"message": {"content": "x"}, "logprobs": lp}]}).logprob == expected
    usage = {"completion_tokens": True}
    assert api.reply({"choices": [{"message": {"content": "x"}}], "usage": usage}).n_tokens is None


@SETTINGS
@given(response=REPLIES)
def test_reply_raises_only_chat_errors_on_any_json(api, response):
    try:
        g = api.reply(response)
    except ChatError:
        return
    assert isinstance(g, Generation) and isinstance(g.text, str)
    assert g.logprob is None or math.isfinite(g.logprob)
    assert g.n_tokens is None or (isinstance(g.n_tokens, int) and g.n_tokens >= 0)
