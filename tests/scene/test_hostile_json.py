"""Hostile scene input (not text, deep nesting, numbers out of range, huge files) raises SceneValidationError
naming the value, in bounded time, never TypeError, RecursionError, OverflowError or a plain ValueError."""

from __future__ import annotations

import json

import pytest
from deadlines import deadline

from scene_gym.errors import SceneValidationError
from scene_gym.scene import Room, Scene
from scene_gym.scene.document import MAX_DEPTH, MAX_SCENE_BYTES, check_json_value, shown

BASE = json.loads(Scene(Room.rectangle(4, 4)).to_json())
OBJECT = {"id": "desk_1", "category": "desk", "position": [1.0, 1.0, 0.0], "size": [1.0, 0.5, 0.7]}


def _with(field_text: str) -> str:
    """Scene JSON text whose metadata field ``x`` is the raw JSON ``field_text``."""
    return json.dumps({**BASE, "metadata": {"x": "@"}}).replace('"@"', field_text)


@pytest.mark.parametrize(
    ("value", "message"),
    [(None, r"expected JSON text \(str or bytes\), got None \(NoneType\)"),
     (42, r"expected JSON text .*got 42 \(int\)"),
     (3.5, r"got 3\.5 \(float\)"),
     ([1, 2], r"got \[1, 2\] \(list\)"),
     (list(range(20)), r"got list of 20 items \(list\)"),
     (object(), r"got <object object at"),
     ("[1, 2]", r"expected a JSON object for a scene, got \[1, 2\] \(list\)"),
     ("null", r"expected a JSON object for a scene, got None"),
     (b"\xff", r"cannot decode JSON"),
     ("[" * 100_000, r"nested at most 64 levels deep"),
     ("{\"a\": " * 100_000, r"nested at most 64 levels deep"),
     (_with("[" * 80 + "]" * 80), r"^metadata\.x\[0\]\.\.\.: expected JSON nested at most 64 levels deep"),
     (_with("1e400"), r"number 1e400 is out of range"),
     (_with("-1e400"), r"number -1e400 is out of range"),
     (_with("1" + "0" * 5000), r"number 10000000000000000000\.\.\. \(5001 characters\) is out of range"),
     (_with("18446744073709551616"), r"number 18446744073709551616 is out of range"),
     (_with("NaN"), r"expected finite numbers, got NaN"),
     (_with("-Infinity"), r"expected finite numbers, got -Infinity"),
     ],
)  # fmt: skip
def test_from_json_refuses_hostile_input_naming_the_value(value, message):
    with deadline(10), pytest.raises(SceneValidationError, match=message):
        Scene.from_json(value)


def test_from_json_takes_a_decoded_dict_and_bytearrays():
    text = Scene(Room.rectangle(4, 4)).to_json()
    assert Scene.from_json(json.loads(text)).to_json() == text
    assert Scene.from_json(bytearray(text.encode())).to_json() == text


@pytest.mark.parametrize(
    ("metadata", "message"),
    [({"x": 10**5000}, r"^metadata\.x: expected an integer within 64 bits, got an integer of 16610 bits$"),
     ({"x": [1, -(2**63) - 1]}, r"^metadata\.x\[1\]: expected an integer within 64 bits"),
     ({"x": float("inf")}, r"^metadata\.x: expected a finite number, got inf$"),
     ({"x": {"y": float("nan")}}, r"^metadata\.x\.y: expected a finite number, got nan$")],
)  # fmt: skip
def test_from_dict_bounds_numbers_anywhere(metadata, message):
    with pytest.raises(SceneValidationError, match=message):
        Scene.from_dict({**BASE, "metadata": metadata})


def test_from_dict_refuses_nesting_deeper_than_a_python_stack_without_recursing():
    deep: list = []
    node = deep
    for _ in range(200_000):  # far beyond the recursion limit
        node.append([])
        node = node[0]
    with deadline(10), pytest.raises(SceneValidationError, match=r"^metadata\.x\[0\]\.\.\.: expected JSON nested"):
        Scene.from_dict({**BASE, "metadata": {"x": deep}})
    ok: list = []
    node = ok
    for _ in range(MAX_DEPTH - 3):  # scene > metadata > x > lists: just inside the limit
        node.append([])
        node = node[0]
    assert Scene.from_dict({**BASE, "metadata": {"x": ok}}).metadata["x"] == ok


def test_huge_parameters_and_seeds_in_objects_are_refused_by_the_model():
    for params, message in (({"n_drawers": 10**400}, "objects[0].params.n_drawers: expected an integer within 64 bits"),
                            ({"n_drawers": float("inf")}, "objects[0].params.n_drawers: expected a finite number")):  # fmt: skip
        with pytest.raises(SceneValidationError) as err:
            Scene.from_dict({**BASE, "objects": [{**OBJECT, "params": params}]})
        assert str(err.value).startswith(message)
    with pytest.raises(SceneValidationError, match=r"objects\[0\]\.seed"):
        Scene.from_dict({**BASE, "objects": [{**OBJECT, "seed": 2**63}]})


def test_load_refuses_bad_paths_and_bounds_what_it_reads(tmp_path):
    with pytest.raises(SceneValidationError, match=r"expected a scene file path, got None \(NoneType\)"):
        Scene.load(None)
    with pytest.raises(SceneValidationError, match=r"expected a scene file path, got 3"):
        Scene.load(3)
    with pytest.raises(SceneValidationError, match="cannot read scene file .*embedded null byte"):
        Scene.load("a\0b")
    with pytest.raises(SceneValidationError, match="cannot read scene file .*Is a directory"):
        Scene.load(tmp_path)
    big = tmp_path / "big.json"
    with open(big, "wb") as f:  # sparse: 1 GiB that costs no disk
        f.truncate(2**30)
    with deadline(20), pytest.raises(SceneValidationError, match=rf"expected at most {MAX_SCENE_BYTES} bytes of JSON"):
        Scene.load(big)


def test_check_json_value_and_shown_never_fail_on_odd_values():
    check_json_value({"a": [1, 2.5, "x", None, True, {"b": []}]})
    assert shown(10**5000) == "an integer of 16610 bits"
    assert shown("x" * 500).endswith("...") and len(shown("x" * 500)) == 80
    assert shown({"a": 1}) == "dict of 1 items" and shown([10**50]) == "list of 1 items"
    assert shown((1.5, "a", None)) == "(1.5, 'a', None)"
