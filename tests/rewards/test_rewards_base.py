"""Reward interface: results, contexts, weighted sums and the string spec parser."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.rewards import (
    REWARDS,
    Reward,
    RewardContext,
    RewardError,
    RewardResult,
    WeightedSum,
    make_reward,
    parse_spec,
    register_reward,
)
from scene_gym.rewards.reward_spec import tokenize


class Const(Reward):
    def __init__(self, value: float, name: str = "const"):
        self.value, self.name = value, name

    def compute(self, scene, context):
        return RewardResult(self.value, {"x": self.value / 2})


@pytest.fixture(autouse=True)
def _const_rewards():
    register_reward("one", lambda arg: Const(1.0 if arg is None else float(arg), "one"), replace=True)
    register_reward("two", lambda arg: Const(2.0, "two"), replace=True)
    yield
    REWARDS.pop("one", None)
    REWARDS.pop("two", None)


def test_result_validation_names_the_value():
    with pytest.raises(RewardError, match="finite"):
        RewardResult(math.nan)
    with pytest.raises(RewardError, match="term 'a'"):
        RewardResult(1.0, {"a": math.inf})
    with pytest.raises(RewardError, match="expected a float"):
        RewardResult("high")
    assert RewardResult(1, {"a": 2}).to_dict() == {"value": 1.0, "terms": {"a": 2.0}}


def test_context_validation():
    with pytest.raises(RewardError, match="step"):
        RewardContext(step=-1)
    with pytest.raises(RewardError, match="elapsed_s"):
        RewardContext(elapsed_s=math.nan)
    with pytest.raises(RewardError, match="prompt"):
        RewardContext(prompt=3)


def test_context_caches_and_parses_the_prompt(bedroom):
    ctx = RewardContext()
    spec = ctx.spec_for(bedroom)
    assert spec.room_type == "bedroom" and ctx.spec_for(bedroom) is spec
    calls = []
    assert ctx.cached("k", lambda: calls.append(1) or 5) == 5
    assert ctx.cached("k", lambda: calls.append(1) or 6) == 5 and calls == [1]


def test_weighted_sum_values_and_terms(bedroom):
    r = 0.5 * Const(1.0, "a") + 0.25 * Const(2.0, "b") - Const(4.0, "a")
    assert isinstance(r, WeightedSum)
    res = r(bedroom)
    assert res.value == pytest.approx(0.5 + 0.5 - 4.0)
    assert res.terms == {"a": 1.0, "a.x": 0.5, "b": 2.0, "b.x": 1.0, "a#2": 4.0, "a#2.x": 2.0}
    assert [x.value for x in r.compute_batch([bedroom, bedroom], [RewardContext(), RewardContext()])] == [-3.0, -3.0]
    with pytest.raises(RewardError, match="weight"):
        Const(1.0) * math.inf
    with pytest.raises(RewardError, match="weight"):
        Const(1.0) * "2"


def test_make_reward_specs(bedroom):
    assert make_reward("one").value == 1.0
    r = make_reward("0.5*one+0.5*two")
    assert r(bedroom).value == pytest.approx(1.5)
    assert make_reward("two*0.5 - one:3")(bedroom).value == pytest.approx(1.0 - 3.0)
    assert make_reward("2*(one + two)*0.5")(bedroom).value == pytest.approx(3.0)
    obj = Const(7.0)
    assert make_reward(obj) is obj


@pytest.mark.parametrize(
    "spec,message",
    [
        ("", "empty string"),
        ("   ", "empty string"),
        ("0.5*", "expected a reward name or a number at position 4, got end of text"),
        ("clop", "unknown reward 'clop'; known: .*did you mean 'clip'"),
        ("0.5*one*two", "one reward per product"),
        ("0.5", "expected a reward name in the product"),
        ("one two", "expected '\\+', '-', '\\*' or the end at position 4, got 'two'"),
        ("one $ two", "unexpected character '\\$' at position 4"),
        ("(one", "expected '\\)'"),
        ("one:", "expected an argument after ':'"),
        ("1e999*one", "finite weights"),
        ("one" + "+one" * 600, "at most 2000 characters"),
    ],
)
def test_bad_specs(spec, message):
    with pytest.raises(RewardError, match=message):
        make_reward(spec)


def test_non_string_spec():
    with pytest.raises(RewardError, match="expected a Reward or a string spec"):
        make_reward(3)


def test_arguments_keep_colons_and_hyphens():
    assert parse_spec("clip:ViT-B-32:laion2b_s34b_b79k - 0.1*physical") == [
        (1.0, "clip:ViT-B-32:laion2b_s34b_b79k"), (-0.1, "physical")]  # fmt: skip
    assert parse_spec("judge:openai:gpt-4o-mini") == [(1.0, "judge:openai:gpt-4o-mini")]
    assert [t.kind for t in tokenize("0.5*clip")] == ["num", "op", "name", "end"]


def test_register_reward_checks_names():
    with pytest.raises(RewardError, match="already registered"):
        register_reward("one", lambda arg: Const(1.0))
    with pytest.raises(RewardError, match="reward name"):
        register_reward("Bad Name", lambda arg: Const(1.0))


names = st.sampled_from(["one", "two", "one:3", "quality", "judge:openai:gpt-4o", "clip:ViT-B-32:x"])
weights = st.floats(-100, 100, allow_nan=False).map(lambda w: round(w, 3))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(weights, names), min_size=1, max_size=6), st.sampled_from(["", " "]))
def test_spec_round_trip(terms, space):
    text = f"{space}+{space}".join(f"{w!r}*{n}" for w, n in terms)
    assert parse_spec(text) == [(pytest.approx(w), n) for w, n in terms]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.*+-() abcdefghijklmnopqrstuvwxyz:_$", max_size=40))
def test_spec_parser_raises_only_reward_errors(text):
    try:
        terms = parse_spec(text)
    except RewardError:
        return
    assert terms and all(isinstance(a, str) and math.isfinite(w) for w, a in terms)
