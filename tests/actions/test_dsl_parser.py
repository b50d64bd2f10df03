"""The scene-DSL parser: accepts the documented grammar, rejects everything else with located errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.actions.dsl import COMMANDS, MAX_SOURCE_CHARS, DSLSyntaxError, parse_program


def test_parses_several_statements_with_positional_and_keyword_arguments():
    program = parse_program(
        'add("sofa", at=(2.0, 0.6), facing="north", material="grey fabric")\n'
        "# comments are fine\n"
        'rotate("sofa_1", yaw=-90); move("sofa_1", by=(0.5, 0))\n'
        'relate("armchair_1", "facing", "sofa_1")\n'
        "done()"
    )
    assert [s.op for s in program] == ["add", "rotate", "move", "relate", "done"]
    assert program[0].args == {"category": "sofa", "at": (2.0, 0.6), "facing": "north", "material": "grey fabric"}
    assert program[1].args == {"id": "sofa_1", "yaw": -90.0}
    assert program[2].args["by"] == (0.5, 0.0)
    assert program[3].args == {"a": "armchair_1", "relation": "facing", "b": "sofa_1"}
    assert [s.line for s in program] == [1, 3, 3, 4, 5]


def test_empty_program_is_valid():
    assert parse_program("") == []
    assert parse_program("# nothing to do\n\n") == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('__import__("os").system("rm -rf /")', "plain command name"),
        ('exec("print(1)")', "unknown command 'exec'"),
        ("import os", "import statement"),
        ("x = add('sofa')", "assign statement"),
        ("add(sofa)", "the name 'sofa'"),
        ('add("sofa", at=(float("nan"), 1))', "nested call"),
        ('add("sofa", at=(1e309, 1))', "finite"),
        ('add("sofa", at=(1e308, 1))', "[-1000, 1000]"),
        ('add("sofa", at=(1, 2), colour="red")', "no parameter 'colour'"),
        ('add("sofa", at=(1, 2), facing="up")', "north, south, east, west"),
        ('add("sofa", facing="north", yaw=90)', "only one of facing, yaw"),
        ('move("sofa_1")', "exactly one of to, by"),
        ('move("sofa_1", to=(1, 2), by=(1, 1))', "exactly one of to, by"),
        ('resize("sofa_1", size=(1, 0, 1))', "[0.001, 50]"),
        ('remove("sofa_1", "chair_1")', "at most 1 positional"),
        ("remove()", "missing required argument(s) id"),
        ('add("sofa", at=[1, 2, 3, 4])', "2 or 3 numbers"),
        ('set_light(color=(2, 0, 0))', "[0, 1]"),
        ('add("sofa"', "not a DSL program"),
        ('add("sofa", at=(True, 1))', "expected a number"),
        ('ad("sofa")', "did you mean 'add'"),
        ('add("sofa")[0]', "subscript expression"),
        ('add("sofa", **{"at": (1, 2)})', "**kwargs"),
        ('add(" ")', "non-empty string"),
        ("lambda: 0", "lambda expression"),
    ],
)
def test_rejects_with_a_message_naming_the_problem(text, fragment):
    with pytest.raises(DSLSyntaxError) as err:
        parse_program(text)
    assert fragment in str(err.value)


def test_errors_carry_line_and_column():
    with pytest.raises(DSLSyntaxError) as err:
        parse_program('done()\n  \nmove("a_1", to=(1, "x"))')
    assert err.value.line == 3 and err.value.col == 1
    assert str(err.value).startswith("line 3, column 1:")


def test_huge_inputs_are_rejected_before_parsing():
    with pytest.raises(DSLSyntaxError, match="at most"):
        parse_program("done()\n" * (MAX_SOURCE_CHARS // 7 + 10))
    with pytest.raises(DSLSyntaxError, match="at most 64 statements"):
        parse_program("done()\n" * 65)
    with pytest.raises(DSLSyntaxError):
        parse_program("(" * 5000)
    with pytest.raises(DSLSyntaxError):
        parse_program("a" * 1_000_000)


@given(st.text(max_size=300))
@settings(max_examples=400, deadline=None)
def test_arbitrary_text_raises_only_dsl_errors(text):
    try:
        statements = parse_program(text)
    except DSLSyntaxError:
        return
    assert all(s.op in COMMANDS for s in statements)


literal = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6), st.booleans(),
    st.text(max_size=10), st.tuples(st.floats(), st.floats()), st.tuples(st.floats(), st.floats(), st.floats()),
)  # fmt: skip


@given(st.sampled_from(sorted(COMMANDS)), st.lists(literal, max_size=3),
       st.dictionaries(st.sampled_from(["at", "to", "by", "yaw", "size", "material", "facing", "scale", "id"]),
                       literal, max_size=3))  # fmt: skip
@settings(max_examples=400, deadline=None)
def test_well_formed_calls_with_random_values_are_validated(name, args, kwargs):
    text = f"{name}({', '.join([*map(repr, args), *(f'{k}={v!r}' for k, v in kwargs.items())])})"
    try:
        (statement,) = parse_program(text)
    except DSLSyntaxError:
        return
    spec = {p.name: p for p in COMMANDS[name].params}
    for key, value in statement.args.items():
        assert key in spec
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if isinstance(v, float):
                assert spec[key].low <= v <= spec[key].high or spec[key].kind == "rgb"
