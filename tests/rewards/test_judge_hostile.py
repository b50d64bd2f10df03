"""The judge's answer readers on hostile text and malformed replies (issue 13): ``parse_grades`` and
``VLMJudge._answer_text`` answer with :class:`RewardError` only, and ``parse_grades`` reads at most
``MAX_OUTPUT_CHARS``. Speed is measured by ``benchmarks/bench_parsers.py``."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.actions.textscan import MAX_OUTPUT_CHARS
from scene_gym.rewards.base import RewardError
from scene_gym.rewards.vlm_judge import VLMJudge, _json_candidates, parse_grades

OTHERS = '"functionality": 1, "layout": 2, "completeness": 3'
FRAGMENTS = [
    "{", "}", "[", "]", '"', "\\", ",", ":", " ", "\n", "1", "9", "-", ".", "/10", "e400", "NaN", "null", "```",
    "```json\n", '{"realism": ', '{"realism": "', OTHERS, '"grades": {', '"reason": "', "sorry, I can't", "\ud800",
]  # fmt: skip
RUN = st.tuples(st.sampled_from(FRAGMENTS), st.one_of(st.integers(1, 3), st.integers(1, 5000)))
HOSTILE = st.one_of(st.lists(RUN, max_size=8).map(lambda runs: "".join(f * k for f, k in runs)), st.text(max_size=300))
KEYS = st.sampled_from(["choices", "message", "content", "refusal", "text", "type", "role"]) | st.text(max_size=4)
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                       lambda c: st.lists(c, max_size=4) | st.dictionaries(KEYS, c, max_size=5), max_leaves=25)
REPLIES = JSONISH | st.builds(lambda m: {"choices": [{"message": m}]}, JSONISH)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                            HealthCheck.data_too_large])  # fmt: skip


@pytest.mark.parametrize(("text", "realism"), [
    ('{"realism": "7 / 10", ' + OTHERS + ",}", 7.0),
    ('He said "hi". ```json\n{"realism": 4.5, ' + OTHERS + ', "reason": "ok"}\n```', 4.5),
    ('{"grades": {"Realism": 3, ' + OTHERS + '}, "reason": [1, 2]}', 3.0),
])  # fmt: skip
def test_repaired_answers(text, realism):
    grades, _ = parse_grades(text)
    assert grades.realism == realism and (grades.functionality, grades.layout, grades.completeness) == (1, 2, 3)


@pytest.mark.parametrize(("text", "message"), [
    ('{"realism": ' + "9" * 401 + f", {OTHERS}}}", "expected 'realism' in [0, 10], got 999"),
    ('{"realism": -' + "9" * 401 + f", {OTHERS}}}", "expected 'realism' in [0, 10], got -999"),
    ('{"realism": 1e400, ' + OTHERS + "}", "expected a number for 'realism', got inf"),
    ('{"realism": "11/10", ' + OTHERS + "}", "expected 'realism' in [0, 10], got 11.0 (rejected, not clamped)"),
    ('{"realism": "' + "9" * 401 + f'", {OTHERS}}}', "expected a number for 'realism', got '999"),
    ('{"realism": "1' + " " * 60000 + f'x", {OTHERS}}}', "expected a number for 'realism'"),
    ('{"realism": 1' + "0" * 5000 + f", {OTHERS}}}", "expected a JSON object with the four grades"),
    ('{"realism": ' + "[" * 40 + "1" + "]" * 40 + f", {OTHERS}}}", "expected a JSON object with the four grades"),
    ('{"a": ' + "[" * 90000 + "]" * 90000 + "}", "expected a JSON object with the four grades"),
    ("{" * 90000 + "}" * 90000, "expected a JSON object with the four grades"),
    ("```" + " " * 60000, "expected a JSON object with the four grades"),
    ("x" * (MAX_OUTPUT_CHARS + 1), f"judge answer: expected at most {MAX_OUTPUT_CHARS} characters, got "
                                   f"{MAX_OUTPUT_CHARS + 1}"),
    (None, "judge answer: expected text, got NoneType"),
])  # fmt: skip
def test_hostile_answers_are_reward_errors_naming_the_value(text, message):
    with pytest.raises(RewardError) as err:
        parse_grades(text)
    assert message in str(err.value) and len(str(err.value)) < 600


def test_candidates_are_outermost_blocks_fenced_first_and_not_too_deep():
    text = 'x {"a": 1} y {"b": "}"} ```json\n{"c": [1, {"d": 2}]}\n``` {"e": ' + "[" * 33 + "]" * 33 + "} {"
    assert _json_candidates(text) == ['{"c": [1, {"d": 2}]}', '{"a": 1}', '{"b": "}"}', '{"c": [1, {"d": 2}]}']
    assert _json_candidates('{"a": "\\\\"} } ] {"b": [[1]]} {"c": "\\"}') == ['{"a": "\\\\"}', '{"b": [[1]]}']


@SETTINGS
@given(HOSTILE)
def test_parse_grades_raises_only_reward_errors(text):
    try:
        grades, reason = parse_grades(text[: MAX_OUTPUT_CHARS + 10])
    except RewardError:
        return
    assert all(0 <= v <= 10 for v in grades.to_dict().values()) and len(reason) <= 500


@pytest.mark.parametrize(("response", "message"), [
    ({"choices": [{"message": "hi"}]}, "expected choices[0].message as an object, got 'hi'"),
    ({"choices": [{"message": {"content": [None, {"text": None}]}}]}, "expected text content"),
    ({"choices": [{"message": {"tool_calls": 5}}]}, "expected text content"),
    ({"choices": [{"message": {"refusal": {"why": ["no"] * 1000}}}]}, "judge refused to grade the scene"),
    ({"choices": "abc"}, "expected choices[0].message"),
    ([1, 2], "expected choices[0].message"),
])  # fmt: skip
def test_malformed_judge_replies_are_reward_errors(response, message):
    with pytest.raises(RewardError) as err:
        VLMJudge._answer_text(response)
    assert message in str(err.value) and len(str(err.value)) < 600


def test_answer_text_joins_the_string_parts_only():
    parts = [{"text": None}, {"type": "text", "text": '{"realism": '}, None, {"text": 5}, {"text": "1}"}]
    assert VLMJudge._answer_text({"choices": [{"message": {"content": parts}}]}) == '{"realism": 1}'


@SETTINGS
@given(REPLIES)
def test_answer_text_raises_only_reward_errors_on_any_json(response):
    try:
        text = VLMJudge._answer_text(response)
    except RewardError:
        return
    assert isinstance(text, str) and text.strip()


GRADE_VALUES = (st.integers(-10**6, 10**6) | st.floats(allow_nan=True, allow_infinity=True, width=64)
                | st.sampled_from([0, 10, 10.0, -0.0, 1e-9, 10.000001, "7", "7/10", "11", "-1", "x", None, True, [3]]))


@SETTINGS
@given(st.fixed_dictionaries({g: GRADE_VALUES for g in ("realism", "functionality", "layout", "completeness")}),
       st.sampled_from(["{}", "```json\n{}\n```", "Grades: {} done"]))  # fmt: skip
def test_grades_are_taken_exactly_or_the_answer_is_rejected_never_clamped(values, frame):
    """Any grade values in any frame: every grade comes back exactly as a number in [0, 10] (strings as read), or
    the whole answer is an :class:`AnswerError` of the matching kind naming the first bad grade."""
    import json
    import math

    from scene_gym.rewards.vlm_judge import AnswerError

    text = frame.replace("{}", json.dumps(values))

    def as_number(v):
        if isinstance(v, str):
            return float(v.split("/")[0]) if v.replace("/10", "").lstrip("-").isdigit() else None
        return None if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) else v

    numbers = {g: as_number(v) for g, v in values.items()}
    try:
        grades, _ = parse_grades(text)
    except AnswerError as err:
        order = ("realism", "functionality", "layout", "completeness")  # the order the parser checks them in
        bad = next(g for g in order if numbers[g] is None or not 0 <= numbers[g] <= 10)
        kind = "not_a_number" if numbers[bad] is None else "out_of_range"
        assert err.kind == kind and repr(bad) in str(err) and err.raw == text
        return
    assert grades.to_dict() == {g: float(n) for g, n in numbers.items()}
