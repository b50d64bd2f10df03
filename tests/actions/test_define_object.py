"""Objects the catalog lacks, defined from object programs through the DSL's ``define`` and the
``define_object`` tool: placed, reused by name, stored in the scene, refused cleanly when malformed."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.actions.dsl import DSLSyntaxError, apply_program, parse_program, scene_to_dsl
from scene_gym.actions.tools import ToolError, apply_tool, catalogue, validate_trajectory
from scene_gym.assets.programs import example_program
from scene_gym.samples import bedroom_scene


def _kiln_body() -> dict:
    program = example_program("kiln")
    program.pop("name")
    return program


def _run(scene, text: str):
    return apply_program(scene, parse_program(text), rng=np.random.default_rng(0))


# --- the DSL -------------------------------------------------------------------------------------------------------
def test_define_places_one_and_add_reuses_the_name():
    scene = bedroom_scene()
    text = f'define("kiln", {json.dumps(_kiln_body())}, at=(3.5, 1.0))\nadd("kiln", at=(3.5, 2.2))\nadd("Kiln")'
    results = _run(scene, text)
    assert all(r.ok for r in results), [str(r) for r in results]
    [category] = scene.definitions
    assert category.startswith("kiln_") and scene.definitions[category]["name"] == "kiln"
    kilns = [o for o in scene.objects if o.category == category]
    assert [o.id for o in kilns] == [f"{category}_1", f"{category}_2", f"{category}_3"]
    assert kilns[0].position[:2] == pytest.approx((3.5, 1.0))
    # The scene text names the defined object and stays small: the program is not repeated per object.
    text = scene_to_dsl(scene)
    assert f'# defined: "kiln" as {category}' in text
    assert sum(line.startswith('add("kiln"') for line in text.splitlines()) == 3
    assert '"parts"' not in text


def test_the_program_may_be_a_json_string_or_use_json_spelling():
    body = json.dumps(_kiln_body())
    for text in (f"define('kiln', {json.dumps(body)}, place=False)",
                 f"define('kiln', {body.replace('null', 'None')}, place=False)"):  # fmt: skip
        scene = bedroom_scene()
        [res] = _run(scene, text)
        assert res.ok and "nothing" not in res.message and len(scene.definitions) == 1
        assert len(scene.objects) == len(bedroom_scene().objects)
    statements = parse_program('define("thing", {"placement": "floor", "flag": true, "none": null, "x": false})')
    assert statements[0].args["program"] == {"placement": "floor", "flag": True, "none": None, "x": False}


@pytest.mark.parametrize(("text", "message"), [
    ('define("kiln", {1: 2})', "keys to be quoted strings"),
    ('define("kiln", {"parts": [open("x")]})', "nested call"),
    ('define("kiln", {"parts": x})', "the name 'x'"),
    ('define("kiln", "{not json")', "not JSON"),
    ('define("kiln", [1, 2])', "expected an object program as a dict"),
    ('define("kiln", {"a": [' + "0, " * 300 + "0]})", "at most 256 values"),
])  # fmt: skip
def test_malformed_program_literals_are_syntax_errors_naming_the_problem(text, message):
    with pytest.raises(DSLSyntaxError, match=message):
        parse_program(text)


@pytest.mark.parametrize(("program", "field"), [
    ({"placement": "floor", "parts": [{"name": "a", "shape": "box", "size": [1, 1, 1e308]}]}, "parts[0].size[2]"),
    ({"placement": "floor", "parts": []}, "parts"),
    ({"placement": "floor", "parts": [{"name": "a", "shape": "box", "size": [1, 1, 1]}], "colour": "red"}, "colour"),
    ({"placement": "floor", "parts": [{"name": "a", "shape": "box", "size": [1, 1, 1], "parent": "a"}]}, "parts"),
])  # fmt: skip
def test_a_bad_program_fails_its_statement_and_leaves_the_scene_unchanged(program, field):
    scene = bedroom_scene()
    before = scene.to_json()
    [res] = _run(scene, f'define("kiln", {json.dumps(program)}, at=(3.5, 1.0))')
    assert not res.ok and field in res.message
    assert scene.to_json() == before


def test_a_program_name_that_differs_from_the_defined_name_is_refused():
    scene = bedroom_scene()
    [res] = _run(scene, f'define("oven", {json.dumps(example_program("kiln"))})')
    assert not res.ok and "differs from the defined name" in res.message and not scene.definitions


def test_placement_failure_rolls_the_definition_back():
    scene = bedroom_scene()
    before = scene.to_json()
    [res] = _run(scene, f'define("kiln", {json.dumps(_kiln_body())}, at=(40.0, 1.0))')
    assert not res.ok and scene.to_json() == before


_PROGRAM_FRAGMENTS = ['{"parts": [', "{", "}", "[", "]", '"name"', ":", ",", '"box"', "1e308", "-", "0.5", "nan",
                      "true", "null", "None", "x", "(", ")", '"', "'", " "]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PROGRAM_FRAGMENTS), max_size=40).map("".join))
def test_any_program_text_parses_or_raises_a_dsl_error_and_never_changes_the_scene_on_failure(body):
    text = f'define("thing", {body}, place=False)'
    try:
        statements = parse_program(text)
    except DSLSyntaxError:
        return
    scene = bedroom_scene()
    before = scene.to_json()
    [res] = apply_program(scene, statements, rng=np.random.default_rng(0))
    if not res.ok:
        assert scene.to_json() == before


# --- the tool ------------------------------------------------------------------------------------------------------
def test_define_object_then_add_objects_by_name_in_one_trajectory():
    scene = bedroom_scene()
    calls = validate_trajectory([{"tool": "define_object", "args": {"name": "kiln", "program": _kiln_body()}},
                                 {"tool": "add_objects", "args": {"category": "kiln", "count": 2}}])  # fmt: skip
    rng = np.random.default_rng(0)
    results = [apply_tool(scene, c, rng=rng) for c in calls]
    assert all(r.ok for r in results), [r.message for r in results]
    [category] = scene.definitions
    assert sum(o.category == category for o in scene.objects) == 3
    # A later single call (a tool-step env) sees the names the scene defines.
    more = apply_tool(scene, {"tool": "add_objects", "args": {"category": "kiln"}}, rng=rng)
    assert more.ok and sum(o.category == category for o in scene.objects) == 4


def test_an_undefined_name_is_refused_before_anything_runs():
    loom = {**_kiln_body(), "description": "A floor loom."}
    with pytest.raises(ToolError, match=r"call 0 \(add_objects\): args.category: unknown category 'loom'"):
        validate_trajectory([{"tool": "add_objects", "args": {"category": "loom"}}])
    # Defined only after its use: still refused.
    with pytest.raises(ToolError, match=r"call 0 \(add_objects\)"):
        validate_trajectory([{"tool": "add_objects", "args": {"category": "loom"}},
                             {"tool": "define_object", "args": {"name": "loom", "program": loom}}])  # fmt: skip
    # Defined before: accepted, and it resolves to the program, not to a catalog category of the same name.
    calls = validate_trajectory([{"tool": "define_object", "args": {"name": "kiln", "program": _kiln_body()}},
                                 {"tool": "add_objects", "args": {"category": "kiln"}}])  # fmt: skip
    scene = bedroom_scene()
    rng = np.random.default_rng(0)
    for call in calls:
        assert apply_tool(scene, call, rng=rng).ok
    [category] = scene.definitions
    assert sum(o.category == category for o in scene.objects) == 2 and "kiln" not in {o.category for o in scene.objects}


def test_program_errors_name_the_field_under_args_program_and_change_nothing():
    body = _kiln_body()
    body["parts"][0]["size"] = [0.6, float("nan"), 0.7]
    with pytest.raises(ToolError, match=r"args\.program\.parts\[0\]\.size\[1\]: expected a finite extent"):
        validate_trajectory([{"tool": "define_object", "args": {"name": "kiln", "program": body}}])
    scene = bedroom_scene()
    before = scene.to_json()
    with pytest.raises(ToolError, match="args.program.parts"):
        apply_tool(scene, {"tool": "define_object", "args": {"name": "kiln", "program": body}},
                   rng=np.random.default_rng(0))  # fmt: skip
    assert scene.to_json() == before


def test_the_catalogue_carries_the_program_schema():
    [tool] = [t for t in catalogue("openai") if t["function"]["name"] == "define_object"]
    program = tool["function"]["parameters"]["properties"]["program"]
    assert program["type"] == "object" and {"parts", "joints", "surfaces", "placement"} <= set(program["properties"])
    assert "name" not in program["properties"]  # given once, as the tool's `name`
    assert "$ref" not in json.dumps(tool)
