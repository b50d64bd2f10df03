"""Parsers of model output: Molmo points, JSON and tool calls in chatty text, DSL in fenced blocks."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.actions.dsl import parse_program
from scene_gym.agents.parsing import (
    ParseError,
    extract_dsl,
    extract_json,
    noop_action,
    parse_action,
    parse_point,
    parse_points,
    parse_tool_calls,
)
from scene_gym.errors import SceneGymError

LABEL = st.text(st.characters(blacklist_characters="<>\"'", blacklist_categories=("Cs",)), min_size=1,
                max_size=40).filter(str.strip)  # fmt: skip
PROSE = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Zs"), whitelist_characters=".!?:;-\n"), max_size=60)
COORD = st.floats(0, 100, allow_nan=False)


# --- points -----------------------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(COORD, COORD, LABEL, PROSE, PROSE)
def test_point_tag_round_trips(x, y, label, before, after):
    text = f'{before}<point x="{x!r}" y="{y!r}" alt="thing">{label}</point>{after}'
    point, desc = parse_point(text)
    assert point.dtype == np.float32 and np.allclose(point, [x / 100, y / 100], atol=1e-6)
    assert desc == " ".join(label.split())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(COORD, COORD), min_size=1, max_size=6), LABEL, st.sampled_from(['"', "'", ""]))
def test_points_tag_gives_every_numbered_point(coords, label, quote):
    attrs = " ".join(f"x{i + 1}={quote}{x!r}{quote} y{i + 1}={quote}{y!r}{quote}" for i, (x, y) in enumerate(coords))
    points = parse_points(f"Here: <points {attrs} alt=\"{label}\"></points>")
    assert np.allclose([(p.x, p.y) for p in points], [(x / 100, y / 100) for x, y in coords], atol=1e-9)
    assert all(p.label == label.strip() and p.alt == label.strip() for p in points)


def test_several_tags_come_in_order_and_label_falls_back_to_alt():
    pts = parse_points('<point x="10" y="20" alt="a mug"></point> and <point x="30" y="40">a book</point>')
    assert [(p.x, p.y, p.label) for p in pts] == [(0.1, 0.2, "a mug"), (0.3, 0.4, "a book")]


@pytest.mark.parametrize("text, message", [
    ("no tag at all", "expected a tag like <point"),
    ('<point x="150" y="3">a mug</point>', "expected x in [0, 100]"),
    ('<point x="10" y="-1">a mug</point>', "expected y in [0, 100]"),
    ('<point x="ten" y="3">a mug</point>', "expected x as a number"),
    ('<point x="10">a mug</point>', 'expected a y="..." attribute'),
    ('<point x="10" y="nan">a mug</point>', "expected y in [0, 100]"),
    ('<point x="10" y="20"> </point>', "expected a description"),
    ('<points x1="10" y1="20" x2="5">mugs</points>', 'expected a y2="..." attribute'),
])  # fmt: skip
def test_bad_points_name_what_is_wrong(text, message):
    with pytest.raises(ParseError, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_points(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_point_parser_raises_only_its_own_error(text):
    try:
        points = parse_points(text)
    except ParseError:
        return
    assert all(0 <= p.x <= 1 and 0 <= p.y <= 1 and p.label for p in points)


# --- JSON ---------------------------------------------------------------------------------------------------------
SAFE_TEXT = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(-1e6, 1e6, allow_nan=False) | SAFE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SAFE_TEXT, inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


def sloppy(value, quotes: str) -> str:
    """Chatty-model JSON: trailing commas in every container, Python constants, single-quoted strings."""
    if isinstance(value, dict):
        return "{" + "".join(f"{sloppy(k, quotes)}: {sloppy(v, quotes)}, " for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + "".join(f"{sloppy(v, quotes)}, " for v in value) + "]"
    if value is None or isinstance(value, bool):
        return repr(value) if quotes == "'" else json.dumps(value)
    if isinstance(value, str):
        return f"'{value}'" if quotes == "'" else json.dumps(value)
    return json.dumps(value)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(SAFE_TEXT, JSON_VALUES, min_size=1, max_size=4) | st.lists(JSON_VALUES, min_size=1, max_size=4),
       PROSE, PROSE, st.sampled_from(["", "json", "JSON", "python"]), st.booleans(), st.sampled_from(['"', "'"]))
def test_json_found_in_chatty_output(value, before, after, lang, fenced, quotes):
    body = sloppy(value, quotes)
    text = f"{before}\n```{lang}\n{body}\n```\n{after}" if fenced else f"{before} {body} {after}"
    assert extract_json(text) == value


def test_json_strict_first_and_errors_name_position():
    assert extract_json('{"a": "it\'s, fine", "b": [1, 2]}') == {"a": "it's, fine", "b": [1, 2]}
    assert extract_json("Sure: {'name': 'chair', 'count': 2,} ok") == {"name": "chair", "count": 2}
    with pytest.raises(ParseError, match="malformed JSON at line 1, column"):
        extract_json('{"a": 1 "b": 2}')
    with pytest.raises(ParseError, match="expected finite numbers, got NaN"):
        extract_json('{"a": NaN}')
    with pytest.raises(ParseError, match="expected a JSON object or list in the answer, got 'no json here'"):
        extract_json("no json here")
    with pytest.raises(ParseError, match="expected a JSON object"):
        extract_json("[1, 2]", (dict,))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_json_extractor_raises_only_its_own_error(text):
    try:
        value = extract_json(text)
    except ParseError:
        return
    assert isinstance(value, dict | list)


# --- tool calls ---------------------------------------------------------------------------------------------------
CALLS = [{"tool": "init_layout", "args": {}}, {"tool": "add_objects", "args": {"category": "chair", "count": 2}}]


@pytest.mark.parametrize("output", [
    json.dumps(CALLS),
    "I will build the room.\n```json\n" + json.dumps(CALLS, indent=2) + "\n```\nDone!",
    "[{'tool': 'init_layout', 'args': {},}, {'tool': 'add_objects', 'args': {'category': 'chair', 'count': 2}},]",
    json.dumps({"tool_calls": [{"id": "c0", "type": "function", "function": {"name": c["tool"], "arguments": json.dumps(c["args"])}} for c in CALLS]}),
    "".join(f'<tool_call>\n{{"name": "{c["tool"]}", "arguments": {json.dumps(c["args"])}}}\n</tool_call>\n' for c in CALLS),
    {"role": "assistant", "content": None, "tool_calls": [{"id": f"c{i}", "type": "function", "function": {
        "name": c["tool"], "arguments": json.dumps(c["args"])}} for i, c in enumerate(CALLS)]},
    {"role": "assistant", "content": "```json\n" + json.dumps(CALLS) + "\n```"},
])  # fmt: skip
def test_tool_calls_in_every_shape_normalise_to_the_same_list(output):
    assert parse_tool_calls(output) == CALLS
    assert json.loads(parse_action("trajectory", output)) == CALLS


def test_tool_call_errors_name_call_tool_and_field():
    with pytest.raises(ParseError, match=r"call 0: tool: unknown tool \"addCrowd\"; did you mean 'add_crowd'"):
        parse_tool_calls('[{"tool": "addCrowd", "args": {"receptacle": "desk_1"}}]')
    with pytest.raises(ParseError, match=r"call 1 \(add_objects\): args.count"):
        parse_tool_calls('[{"tool": "init_layout"}, {"tool": "add_objects", "args": {"category": "chair", "count": -3}}]')
    with pytest.raises(ParseError, match="expected exactly one tool call per step, got 2"):
        parse_action("toolstep", json.dumps(CALLS))
    with pytest.raises(ParseError, match="expected at least one tool call"):
        parse_action("trajectory", "[]")
    with pytest.raises(ParseError, match="call 0: expected a tool name"):
        parse_tool_calls('[{"args": {}}]')
    assert json.loads(parse_action("toolstep", '{"name": "terminate", "arguments": ""}')) == {"tool": "terminate", "args": {}}


# --- DSL ----------------------------------------------------------------------------------------------------------
NUM = st.floats(0.1, 9.9, allow_nan=False).map(lambda v: round(v, 2))
STATEMENT = st.one_of(
    st.builds(lambda c, x, y: f'add("{c}", at=({x}, {y}))', st.sampled_from(["sofa", "bed", "desk", "armchair"]), NUM, NUM),
    st.builds(lambda x, y: f'move("sofa_1", to=({x}, {y}))', NUM, NUM),
    st.builds(lambda a: f'rotate("bed_1", yaw={a})', st.integers(-360, 360)),
    st.just('place_on("vase", "desk_1")'),
    st.just("done()"),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(STATEMENT, min_size=1, max_size=5), PROSE.filter(lambda t: "(" not in t), PROSE,
       st.sampled_from(["python", "dsl", "", "py", None]))
def test_dsl_in_fences_or_bare_with_prose(statements, before, after, lang):
    program = "\n".join(statements)
    if lang is None:  # bare statements between prose lines
        text = f"{before}\n{program}\n{after}"
    else:
        text = f"{before}\n```{lang}\n{program}\n```\n{after}"
    got = extract_dsl(text)
    assert [s.op for s in parse_program(got)] == [s.split("(")[0] for s in statements]
    assert parse_action("scene", text) == got


def test_dsl_multi_line_statement_and_first_valid_fence():
    text = 'Plan:\n```\nnot valid (\n```\nBetter:\n```python\nadd("sofa",\n    at=(1.0, 2.0))\n```'
    assert extract_dsl(text) == 'add("sofa",\n    at=(1.0, 2.0))'
    assert extract_dsl('First I add it.\nadd("sofa",\n  at=(1.0, 2.0))\nThen stop.') == 'add("sofa",\n  at=(1.0, 2.0))'


@pytest.mark.parametrize("text, message", [
    ('```python\nadd("sofa" at=(1, 2))\n```', "syntax error"),
    ("I would put a sofa by the wall.", "expected a DSL program such as"),
    ('```python\n__import__("os").system("touch /tmp/scene_gym_pwned")\n```', "syntax error"),
    ('```python\nimport os\n```', "syntax error"),
])  # fmt: skip
def test_bad_dsl_is_refused_never_run(text, message, tmp_path):
    with pytest.raises(ParseError, match=message):
        extract_dsl(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_dsl_extractor_raises_only_its_own_error(text):
    try:
        program = extract_dsl(text)
    except ParseError:
        return
    assert parse_program(program)


# --- actions per env kind ------------------------------------------------------------------------------------------
def test_asset_actions_and_done():
    action = parse_action("asset", 'I will put it left.\n<point x="25" y="75" alt="mug">a coffee mug</point>')
    assert np.allclose(action["point"], [0.25, 0.75]) and action["asset"] == "a coffee mug"
    assert parse_action("asset", " Done. ")["asset"] == "done"
    with pytest.raises(ParseError, match="expected a tag like <point"):
        parse_action("asset", "somewhere on the left")
    with pytest.raises(ParseError, match="expected an env kind"):
        parse_action("chess", "e4")


@pytest.mark.parametrize("env_id, kind", [("SceneSynth-v1", "scene"), ("SceneSynthAsset-v2", "asset"),
                                          ("SceneSynthTrajectory-v1", "trajectory"),
                                          ("SceneSynthToolStep-v1", "toolstep")])  # fmt: skip
def test_noop_changes_nothing(env_id, kind):
    import gymnasium as gym

    import scene_gym  # noqa: F401  (registers the envs)

    env = gym.make(env_id, image_size=None)
    try:
        env.reset(seed=0)
        before = env.unwrapped.scene.to_json()
        env.step(noop_action(kind))
        assert env.unwrapped.scene.to_json() == before
    finally:
        env.close()
    with pytest.raises(SceneGymError, match="expected an env kind"):
        noop_action("chess")


def test_fences_and_adversarial_inputs():
    from scene_gym.agents.parsing import MAX_OUTPUT_CHARS, fenced_blocks

    assert fenced_blocks('Sure: ```python\nadd("a")\n```') == [("python", 'add("a")')]
    assert fenced_blocks('```json {"a": 1}```') == [("json", '{"a": 1}')]
    assert fenced_blocks("```\nunclosed") == [("", "unclosed")]
    # long runs of openers without closers are refused with the package's error (the scans are linear)
    for text in ['<point x="1">' * 15000, '{"a": [' * 20000, "```" * 60000, "add(" * 49000]:
        for parse in (parse_points, extract_json, extract_dsl):
            with pytest.raises(ParseError):
                parse(text)
    with pytest.raises(ParseError, match=f"expected at most {MAX_OUTPUT_CHARS} characters"):
        extract_json("x" * (MAX_OUTPUT_CHARS + 1))
