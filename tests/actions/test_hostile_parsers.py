"""The action front-ends' parsers on hostile text (issue 13): only their own errors, one cap each, messages that
name the value. Their speed (linear up to the cap) is measured by ``benchmarks/bench_parsers.py``."""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.actions.dsl import MAX_SOURCE_CHARS, DSLSyntaxError, parse_program
from scene_gym.actions.dsl.parser import MAX_NUMBER_CHARS
from scene_gym.actions.limits import MAX_NESTING
from scene_gym.actions.points import MAX_LABEL_CHARS, MAX_POINT_CHARS, parse_points
from scene_gym.actions.tools import MAX_TEXT_CHARS, ToolError, parse_trajectory, validate_trajectory
from scene_gym.errors import ParseError, SceneGymError

DSL_FRAGMENTS = [
    "add(", 'add("sofa", at=(', "move(", "done()", "+", "-", "~", "not ", "*", ".", "(", ")", "[", "]", "{", "}",
    '"', "'", '"""', ",", "=", ":", "1", "9", "0.5", "1e400", "1e-3", "_", "x", " ", "\n", "\r", "\t", "#", ";",
    "\\", 'f"{', "rb'", "lambda:", "if ", "else ", "\ud800", "☃",
]  # fmt: skip
POINT_FRAGMENTS = [
    "<point ", "<points ", "<POINT", "x", "y", "x1", "y1", "a", "alt", "=", '"', "'", "50", "1", "9", ".", " ", "\n",
    ">", "<", "</point>", "</points >", "nan", "-", "é",
]  # fmt: skip
JSON_FRAGMENTS = [
    "[", "]", "{", "}", '"', ",", ":", " ", "\n", "1", "9", "-", "e", "NaN", "null", "true", "\\", "```json\n", "```",
    '{"tool": "init_room", "args": {', '"name": "add_objects", "arguments": "', '{"tool_calls": ', '"function": ',
]  # fmt: skip


def hostile(fragments: list[str], plain: int = 300) -> st.SearchStrategy[str]:
    """Runs of ``fragments`` (each repeated up to 5,000 times, up to 8 runs), or plain Unicode text."""
    run = st.tuples(st.sampled_from(fragments), st.one_of(st.integers(1, 3), st.integers(1, 5000)))
    return st.one_of(st.lists(run, max_size=8).map(lambda runs: "".join(f * k for f, k in runs)),
                     st.text(max_size=plain))  # fmt: skip


SLOW_OK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.data_too_large])  # fmt: skip


# --- the DSL ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ("add(" + "+" * 1000 + "1)", f"line 1, column 5: expression nested deeper than {MAX_NESTING} levels"),
    ('add("sofa", at=(' + "-" * 1000 + "1, 1))", f"line 1, column 13: expression nested deeper than {MAX_NESTING}"),
    ('done()\nadd("sofa", at=' + "(" * 40 + "1" + ")" * 40 + ")", "line 2, column 13: expression nested deeper"),
    ("add(1" + "+1" * 5000 + ")", "line 1, column 5: expression nested deeper"),
    ("add(f" + "()" * 5000 + ")", "expression nested deeper"),
    ("add(a" + "[0]" * 5000 + ")", "expression nested deeper"),
    ("add(" + "lambda:" * 2000 + "1)", "expression nested deeper"),
    ("(" * 5000, "expression nested deeper"),
    ('add("sofa", yaw=' + "9" * 400 + ")", f"line 1, column 17: expected a number of at most {MAX_NUMBER_CHARS} "
                                           "characters, got 400"),
    ('add("sofa", yaw=1' + "0" * 5000 + ")", "got 5001"),
    ('add("sofa", yaw=1' + "0" * 62 + ")", "expected a value in [-3600, 3600]"),
    ('add(f"{' + "-" * 5000 + '1}")', "line 1, column 5: expected a plain string, got an f-string"),
    ("x" * (MAX_SOURCE_CHARS + 1), f"expected at most {MAX_SOURCE_CHARS} characters of DSL, got {MAX_SOURCE_CHARS + 1}"),
])  # fmt: skip
def test_dsl_refuses_deep_long_and_huge_input_naming_the_value(text, message):
    with pytest.raises(DSLSyntaxError) as err:
        parse_program(text)
    assert message in str(err.value)


def test_dsl_nesting_within_the_limit_still_parses():
    assert parse_program('add("sofa", at=(-1.5e-3, +2), yaw=--90)')[0].args == {
        "category": "sofa", "at": (-0.0015, 2.0), "yaw": 90.0}  # fmt: skip
    in_parentheses = "(" * 20 + "1.0, 2.0" + ")" * 20  # deep, but within the limit: one tuple
    assert parse_program(f'add("sofa", at={in_parentheses})')[0].args["at"] == (1.0, 2.0)
    assert parse_program('add("sofa", material="(((((((((((((((((((((((((((((((((((((oak")')  # strings are skipped
    assert parse_program('add("f" "x", material=r"oak")')[0].args == {"category": "fx", "material": "oak"}
    for sep in ("\n", "\r", "\r\n", "; "):  # operators of one statement do not add up with the next one's
        assert len(parse_program(sep.join(['move("a_1", by=(-1, -1))'] * 60))) == 60
    with pytest.raises(DSLSyntaxError, match="line 3, column 5: expression nested deeper"):
        parse_program("done()\r\n\radd(" + "-" * 40 + "1)")  # lines end as Python counts them


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(['add("sofa",\r\n at=(1, 2))', 'move("é_1", to=(1.5, 2))', "done()",
                                 'rotate("bed_1", yaw=-90) ; done()', '# comment\rdone()', 'set_material("a_1", "☃")']),
                min_size=1, max_size=8), st.sampled_from(["\n", "\r\n", "\r", ";\n"]))  # fmt: skip
def test_statement_sources_match_ast_get_source_segment(statements, sep):
    text = sep.join(statements)
    program = parse_program(text)
    tree = ast.parse(text)
    assert [s.source for s in program] == [ast.get_source_segment(text, n.value) for n in tree.body]


@SLOW_OK
@given(hostile(DSL_FRAGMENTS))
def test_dsl_raises_only_dsl_errors_on_any_text_up_to_the_cap(text):
    try:
        parse_program(text[: MAX_SOURCE_CHARS + 10])
    except DSLSyntaxError:
        pass


# --- Molmo points ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ('<point x' + "1" * 4400 + '="1" y="2">a</point>', 'expected a x="..." attribute'),
    ('<points x' + "1" * 4400 + '="1" y' + "1" * 4400 + '="2">a</points>', 'expected a x="..." attribute'),
    ('<point x="1' + "0" * 40 + '" y="2">a</point>', "expected x as a number in [0, 100]"),
    ("<point " + "a" * 19000 + ">x</point>", 'expected a x="..." attribute'),
    ('<point x="1" y="1">' * 1000 + "</point>", "expected a description"),
    ('<point x="1" y="1">' * 1000, "expected a tag like <point"),
    ("x" * (MAX_POINT_CHARS + 1), f"expected at most {MAX_POINT_CHARS} characters of pointing text, got "
                                  f"{MAX_POINT_CHARS + 1}"),
    (None, "expected the pointing text as text (str), got NoneType"),
])  # fmt: skip
def test_points_refuse_hostile_tags_naming_the_value(text, message):
    with pytest.raises(ParseError) as err:
        parse_points(text)
    assert message in str(err.value)


def test_a_description_ends_at_the_next_opening_tag_and_is_cut_to_the_asset_cap():
    pts = parse_points('<point x="10" y="20" alt="a mug"><point x="30" y="40">' + "b" * 400 + "</point>")
    assert [(p.x, p.y, p.label) for p in pts] == [(0.1, 0.2, "a mug"), (0.3, 0.4, "b" * MAX_LABEL_CHARS)]
    pts = parse_points("<points x1=1 y1=2 x999='3' y999=\"4\" x1000=5 alt=mugs></points>")
    assert [(p.x, p.y) for p in pts] == [(0.01, 0.02), (0.03, 0.04)]  # x1000 is no numbered key (1 to 3 digits)
    assert parse_points('<point x="1 y="2" x="5" y="6">a</point>')[0].xy.tolist() == pytest.approx([0.05, 0.06])


@SLOW_OK
@given(hostile(POINT_FRAGMENTS))
def test_points_raise_only_parse_errors_on_any_text_up_to_the_cap(text):
    try:
        points = parse_points(text[: MAX_POINT_CHARS + 10])
    except ParseError:
        return
    assert all(0 <= p.x <= 1 and 0 <= p.y <= 1 and 0 < len(p.label) <= MAX_LABEL_CHARS for p in points)


# --- tool trajectories -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ("[" * 50000, "JSON nested deeper than 32 levels"),
    ('[{"tool": "terminate", "args": {"x": ' + "[" * 40 + "]" * 40 + "}}]", "nested deeper than 32 levels"),
    ("[" + "1" * 5000 + "]", "integer string conversion"),
    ("```json\n{" + "\n" * 50000 + "}\n```", "expected a list of tool calls"),
    (" " * (MAX_TEXT_CHARS + 1), f"expected at most {MAX_TEXT_CHARS} characters, got {MAX_TEXT_CHARS + 1}"),
])  # fmt: skip
def test_trajectories_refuse_hostile_json_naming_the_value(text, message):
    with pytest.raises(ToolError) as err:
        validate_trajectory(parse_trajectory(text))
    assert message in str(err.value)


@SLOW_OK
@given(hostile(JSON_FRAGMENTS))
def test_trajectories_raise_only_scene_gym_errors_on_any_text_up_to_the_cap(text):
    try:
        validate_trajectory(parse_trajectory(text[: MAX_TEXT_CHARS + 10]))
    except SceneGymError:
        pass
