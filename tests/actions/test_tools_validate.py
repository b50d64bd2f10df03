"""Validation of tool calls and trajectories: accepted shapes, error messages, JSON Schemas, and hypothesis
checks that arbitrary JSON or text never raises anything but ToolError."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.actions.tools import (
    MAX_CALLS,
    TOOLS,
    ToolCall,
    ToolError,
    catalogue,
    parse_trajectory,
    validate_call,
    validate_trajectory,
)
from scene_gym.actions.tools.examples import example_trajectory
from scene_gym.actions.tools.modifiers import UpdateLayoutArgs

TEN_CALLS = example_trajectory()


# --- shapes -----------------------------------------------------------------------------------------------
def test_plain_shape():
    call = validate_call({"tool": "add_objects", "args": {"category": "couch", "count": 2}}, 3)
    assert isinstance(call, ToolCall) and call.tool == "add_objects" and call.index == 3
    assert call.args.category == "sofa" and call.args.count == 2  # synonyms resolve during validation
    assert validate_call(call.to_dict(), 3) == call


def test_openai_tool_call_shape():
    oa = {"id": "call_abc", "type": "function",
          "function": {"name": "update_rotation", "arguments": json.dumps({"id": "bed_1", "yaw_deg": 90})}}  # fmt: skip
    call = validate_call(oa, 1)
    assert call.tool == "update_rotation" and call.args.yaw_deg == 90 and call.call_id == "call_abc"
    bare = validate_call({"name": "terminate", "arguments": ""})
    assert bare.tool == "terminate"
    as_obj = validate_call({"function": {"name": "remove_objects", "arguments": {"ids": ["bed_1"]}}})
    assert as_obj.args.ids == ["bed_1"]


def test_assistant_message_with_tool_calls():
    msg = {"role": "assistant", "content": None, "tool_calls": [
        {"id": f"c{i}", "type": "function", "function": {"name": c["tool"], "arguments": json.dumps(c["args"])}}
        for i, c in enumerate(TEN_CALLS)]}  # fmt: skip
    calls = validate_trajectory(parse_trajectory(json.dumps(msg)))
    assert [c.tool for c in calls] == [c["tool"] for c in TEN_CALLS]
    assert [c.index for c in calls] == list(range(10))


def test_parse_trajectory_shapes():
    assert parse_trajectory(json.dumps(TEN_CALLS)) == TEN_CALLS
    assert parse_trajectory(json.dumps(TEN_CALLS[0])) == [TEN_CALLS[0]]
    assert parse_trajectory("```json\n" + json.dumps(TEN_CALLS[:2]) + "\n```") == TEN_CALLS[:2]
    assert parse_trajectory(json.dumps({"tool_calls": []})) == []


# --- errors -----------------------------------------------------------------------------------------------
def test_unknown_tool_suggests_closest():
    with pytest.raises(ToolError, match=r"call 4: tool: unknown tool \"addCrowd\"; did you mean 'add_crowd'") as e:
        validate_call({"tool": "addCrowd", "args": {}}, 4)
    assert e.value.index == 4 and e.value.field == "tool"
    with pytest.raises(ToolError, match="did you mean 'remove_objects'"):
        validate_call({"tool": "remove_object"})


@pytest.mark.parametrize("call, field, text", [
    ({"tool": "add_objects", "args": {"category": "sofa", "count": "2"}}, "args.count", "integer"),
    ({"tool": "add_objects", "args": {"category": "sofa", "colour": "red"}}, "args.colour", "unknown argument"),
    ({"tool": "add_objects", "args": {}}, "args.category", "missing"),
    ({"tool": "add_objects", "args": {"category": "sofa", "size": [1, 2, float("nan")]}}, "args.size[2]", "finite"),
    ({"tool": "update_layout", "args": {"objects": [{"id": "bed_1", "position": [1, True]}]}},
     "args.objects[0].position[1]", None),
    ({"tool": "update_rotation", "args": {"id": "bed_1", "yaw_deg": 1e400}}, "args.yaw_deg", None),
    ({"tool": "add_objects", "args": "category=sofa"}, "args", "JSON object"),
    ({"type": "function", "function": {"name": "terminate", "arguments": "{bad json"}}, "function.arguments",
     "line 1, column 2"),
    ({"type": "function", "function": {"name": "terminate", "arguments": "{\"reason\": NaN}"}}, "function.arguments",
     "finite"),
    ({"tool": "terminate", "args": {}, "extra": 1}, None, "unexpected key"),
    ({"tool": 5}, "tool", "tool name"),
])  # fmt: skip
def test_errors_name_index_tool_and_field(call, field, text):
    with pytest.raises(ToolError) as info:
        validate_call(call, 7)
    err = info.value
    assert err.index == 7 and str(err).startswith("call 7")
    if field is not None:
        assert err.field == field, str(err)
        assert field in str(err)
    if text is not None:
        assert text in str(err), str(err)


def test_trajectory_reports_first_bad_call_index():
    bad = [dict(c) for c in TEN_CALLS]
    bad[6] = {"tool": "add_crowd", "args": {"receptacle": "bookshelf_1", "categories": ["sofa"]}}
    with pytest.raises(ToolError, match=r"^call 6 \(add_crowd\): args.categories\[0\]: expected a small object"):
        validate_trajectory(bad)


def test_parse_trajectory_errors():
    with pytest.raises(ToolError, match="line 2, column 1"):
        parse_trajectory('[{"tool": "terminate"},\n]')
    with pytest.raises(ToolError, match="expected a JSON list of tool calls"):
        parse_trajectory('"init_room"')
    with pytest.raises(ToolError, match="call 1"):
        parse_trajectory('[{"tool": "terminate"}, 3]')
    with pytest.raises(ToolError, match=f"at most {MAX_CALLS} calls"):
        parse_trajectory(json.dumps([{"tool": "terminate"}] * (MAX_CALLS + 1)))
    with pytest.raises(ToolError, match="characters"):
        parse_trajectory(" " * 1_000_001)
    with pytest.raises(ToolError, match="nested deeper"):
        parse_trajectory("[" * 5000 + "]" * 5000)
    with pytest.raises(ToolError, match="empty"):
        parse_trajectory("   ")
    with pytest.raises(ToolError, match="Infinity|finite"):
        parse_trajectory('[{"tool": "update_rotation", "args": {"id": "bed_1", "yaw_deg": Infinity}}]')


# --- schemas ----------------------------------------------------------------------------------------------
def _check_schema(node, path="schema"):
    """A minimal structural check of a JSON Schema node (no $ref left, known types, arrays have items)."""
    assert isinstance(node, dict), path
    assert "$ref" not in node and "$defs" not in node, path
    if "anyOf" in node:
        for k, sub in enumerate(node["anyOf"]):
            _check_schema(sub, f"{path}.anyOf[{k}]")
        return
    kind = node.get("type")
    assert kind in ("object", "array", "string", "number", "integer", "boolean", "null") or "enum" in node, path
    if kind == "object" and "properties" in node:
        for name, sub in node["properties"].items():
            _check_schema(sub, f"{path}.{name}")
    if kind == "array":
        _check_schema(node["items"], f"{path}[]")


@pytest.mark.parametrize("name", list(TOOLS))
def test_schema_is_valid_and_serialisable(name):
    schema = TOOLS[name].json_schema()
    assert schema["type"] == "object" and isinstance(schema["properties"], dict)
    assert isinstance(schema["required"], list) and set(schema["required"]) <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    _check_schema(schema)
    assert json.loads(json.dumps(schema)) == schema
    for prop in schema["properties"].values():
        assert prop.get("description") or any(p.get("description") for p in prop.get("anyOf", []))


def test_catalogue_formats():
    tools = catalogue()
    assert [t["function"]["name"] for t in tools] == list(TOOLS)
    for t in tools:
        assert t["type"] == "function" and set(t["function"]) == {"name", "description", "parameters"}
    json.dumps(tools)
    text = catalogue("text")
    assert all(f"{name} (" in text for name in TOOLS) and "room_type" in text
    with pytest.raises(ToolError, match="fmt"):
        catalogue("xml")


@pytest.mark.parametrize("name", list(TOOLS))
def test_schema_required_matches_validation(name):
    """With no arguments, a tool with required arguments fails naming the first; the others validate."""
    required = TOOLS[name].json_schema()["required"]
    if not required:
        assert validate_call({"tool": name}).tool == name
        return
    with pytest.raises(ToolError) as info:
        validate_call({"tool": name})
    assert info.value.field == f"args.{required[0]}" and "missing" in str(info.value)
    assert UpdateLayoutArgs.model_fields["objects"].is_required()


# --- hypothesis -------------------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
tool_names = st.sampled_from(list(TOOLS) + ["addCrowd", "init-room", "", "x"])
arg_keys = st.sampled_from(["room_type", "width", "category", "count", "size", "relations", "receptacle", "id",
                            "ids", "objects", "yaw_deg", "facing", "scale", "relation", "density", "rounds", "reason"])
plausible_calls = st.fixed_dictionaries({"tool": tool_names, "args": st.dictionaries(arg_keys, json_values, max_size=4)})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plausible_calls | json_values, max_size=4))
def test_validate_trajectory_only_raises_tool_error(calls):
    try:
        out = validate_trajectory(calls)
    except ToolError as err:
        if err.index is not None:
            assert re.match(rf"call {err.index}\b", str(err))
            assert 0 <= err.index < len(calls)
        else:
            assert err.field == "trajectory"
    else:
        assert len(out) == len(calls)


@settings(max_examples=300, deadline=None)
@given(plausible_calls | json_values, st.integers(0, 300))
def test_validate_call_only_raises_tool_error_naming_index(call, index):
    try:
        validate_call(call, index)
    except ToolError as err:
        assert err.index == index and str(err).startswith(f"call {index}")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), json_values.map(lambda v: json.dumps(v, allow_nan=True)),
                 st.lists(plausible_calls, max_size=3).map(json.dumps)))  # fmt: skip
def test_parse_trajectory_only_raises_tool_error(text):
    try:
        calls = parse_trajectory(text)
    except ToolError as err:
        assert err.field == "trajectory" or err.index is not None
        if err.index is not None:
            assert str(err).startswith(f"call {err.index}")
        return
    assert isinstance(calls, list) and all(isinstance(c, dict) for c in calls)
    try:
        validate_trajectory(calls)
    except ToolError as err:
        assert err.index is not None and str(err).startswith(f"call {err.index}")
