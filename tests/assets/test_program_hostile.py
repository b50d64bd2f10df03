"""Hostile object programs: every bad program raises ProgramError / EditError naming the field, with a short
message, and leaves the scene exactly as it was."""

from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scene_gym.actions import edit
from scene_gym.assets.programs import define_program, example_program
from scene_gym.assets.programs.schema import field_path
from scene_gym.errors import EditError, ProgramError, SceneValidationError
from scene_gym.scene import Room, Scene

BASE = example_program("storage_cabinet")
MAX_MESSAGE = 600


def paths(value, path=()) -> list[tuple]:
    """Every field path in a JSON value (containers and leaves), parents first."""
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*path, i))
    return out


def set_at(data, path, value):
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def a_scene() -> Scene:
    scene = Scene(Room.rectangle(4.0, 4.0))
    edit.add_object(scene, "desk", position=(1.0, 0.5, 0.0))
    edit.define_object(scene, example_program("kiln"))
    return scene


def refused(program, scene: Scene | None = None) -> EditError:
    """Define ``program`` in a scene; assert it fails with a named field and changes nothing; return the error."""
    scene = scene if scene is not None else a_scene()
    before = scene.to_dict()
    with pytest.raises(EditError) as info:
        edit.define_object(scene, program)
    err = info.value
    assert scene.to_dict() == before
    assert isinstance(err.field, str) and err.field
    assert str(err).startswith(f"{err.field}: ") or err.field == "program"
    assert len(str(err)) < MAX_MESSAGE
    return err


ALL_PATHS = paths(BASE)


@pytest.mark.parametrize("path", ALL_PATHS, ids=[field_path(p) for p in ALL_PATHS])
def test_wrong_type_at_every_field_is_named(path):
    old = BASE
    for key in path:
        old = old[key]
    wrong = [1, 2] if isinstance(old, dict) else {"not": "this"}
    err = refused(set_at(BASE, path, wrong))
    assert err.field == field_path(path)


def test_the_documented_message():
    program = set_at(BASE, ("parts", 3, "size", 1), math.nan)
    with pytest.raises(ProgramError) as err:
        define_program(program)
    assert str(err.value) == "parts[3].size[1]: expected a finite extent in [0.002, 5] m, got nan"
    assert err.value.field == "parts[3].size[1]"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (lambda d: d.__setitem__("parts", [copy.deepcopy(d["parts"][0])] * 10_000), "parts",
         "expected at most 64 parts, got 10000"),
        (lambda d: d["parts"][2]["position"].__setitem__(0, 1e308), "parts[2].position[0]", "got 1e+308"),
        (lambda d: d["parts"][2]["size"].__setitem__(2, -math.inf), "parts[2].size[2]", "got -inf"),
        (lambda d: d["joints"][0].__setitem__("limits", [-1.9, 0.0]), "joints[0].limits", "self-intersecting joint"),
        (lambda d: d["joints"][0].__setitem__("limits", [0.0, 0.0]), "joints[0].limits", "lower < upper"),
        (lambda d: d["joints"][0].__setitem__("limits", [0.2, 1.0]), "joints[0].limits", "lower <= 0 <= upper"),
        (lambda d: d["joints"][0].__setitem__("limits", [0.0, 7.0]), "joints[0].limits[1]", "within ±2π"),
        (lambda d: d["joints"][0].__setitem__("axis", [0, 0, 0]), "joints[0].axis", "non-zero axis"),
        (lambda d: d["joints"][0].__setitem__("part", "bottom"), "joints[0].part", "root part 'bottom' cannot move"),
        (lambda d: d["joints"][0].__setitem__("handle", "top"), "joints[0].handle", "moves with 'door'"),
        (lambda d: d["joints"].append({**d["joints"][0], "name": "knob_turn", "part": "knob"}), "joints[1].part",
         "nested joints are not supported"),
        (lambda d: d["joints"].append({**d["joints"][0], "name": "again"}), "joints[1].part", "at most one joint"),
        (lambda d: (d["parts"][1].__setitem__("parent", "top"), d["parts"][3].__setitem__("parent", "side_left")),
         "parts[1].parent", "cycle"),
        (lambda d: d["parts"][1].__setitem__("parent", None), "parts[1].parent", "exactly one root"),
        (lambda d: d["parts"][1].__setitem__("parent", "nowhere"), "parts[1].parent", "'nowhere'"),
        (lambda d: d["parts"][1].__setitem__("name", "top"), "parts[3].name", "unique part name"),
        (lambda d: d.__setitem__("colour", "red"), "colour", "unknown field; expected one of"),
        (lambda d: d["parts"][2].__setitem__("colour", "red"), "parts[2].colour", "unknown field"),
        (lambda d: d.__setitem__("name", "k" * 10_000_000), "name", "expected a name of 1-48"),
        (lambda d: d.__setitem__("name", "kiln; import os"), "name", "expected a name"),
        (lambda d: d["parts"][0].__setitem__("material", "x" * 1_000_000), "parts[0].material", "at most 128"),
        (lambda d: d["parts"][0].__setitem__("material", "unobtainium"), "parts[0].material", "such as 'oak wood'"),
        (lambda d: d["parts"][0].__setitem__("name", "a/b"), "parts[0].name", "letters and digits"),
        (lambda d: d["parts"][0].__setitem__("bevel", 0.5), "parts[0].bevel", "expected a bevel"),
        (lambda d: d["parts"][0].__setitem__("profile", [[0, 0], [1, 1]]), "parts[0].profile", "no profile"),
        (lambda d: d["parts"][0].update(shape="extrusion", profile=[[0, 0], [1, 1], [1, 0], [0, 1]]),
         "parts[0].profile", "simple polygon"),
        (lambda d: d["parts"][0].update(shape="extrusion", profile=[[0, 0]] * 65), "parts[0].profile",
         "at most 64 points"),
        (lambda d: d["parts"][0].update(shape="lathe", profile=[[-0.1, 0], [0.2, 0.3]]), "parts[0].profile[0][0]",
         "radius >= 0"),
        (lambda d: d["parts"][0].update(shape="asset", asset={"category": "sofaa"}), "parts[0].asset.category",
         "unknown category 'sofaa'"),
        (lambda d: d["parts"][0].update(shape="asset", asset={"category": "dresser", "params": {"n_drawers": 10**7}}),
         "parts[0].asset.params.n_drawers", "10000000"),
        (lambda d: (d["parts"][1].__setitem__("position", [-5, 0, 0]), d["parts"][2].__setitem__("position", [5, 0, 0])),
         "parts", "at most 6 m per side"),
        (lambda d: d["surfaces"][0].__setitem__("size", [3.0, 0.3]), "surfaces[0]", "inside the top of part 'top'"),
        (lambda d: d["surfaces"][0].__setitem__("part", "roof"), "surfaces[0].part", "'roof'"),
        (lambda d: d.__setitem__("rooms", ["moon base"]), "rooms", "expected room types"),
        (lambda d: d.__setitem__("placement", "orbit"), "placement", "expected 'floor'"),
        (lambda d: d.__setitem__("description", "d" * 501), "description", "at most 500 characters"),
        (lambda d: d["parts"][0]["size"].__setitem__(0, True), "parts[0].size[0]", "expected a valid number"),
        (lambda d: d["parts"][0]["size"].__setitem__(0, "0.5"), "parts[0].size[0]", "expected a valid number"),
        (lambda d: d["parts"][0]["size"].__setitem__(0, 10**400), "parts[0].size[0]", "expected a valid number"),
        (lambda d: d["parts"][0].__setitem__("size", [0.5, 0.5]), "parts[0].size[2]", "required field"),
    ],
)
def test_hostile_programs_are_named(change, field, fragment):
    program = copy.deepcopy(BASE)
    change(program)
    err = refused(program)
    assert err.field == field, str(err)
    assert fragment in str(err)


def test_prismatic_travel_beyond_the_object():
    program = example_program("chest")
    program["joints"][0]["limits"] = [0.0, 2.0]
    err = refused(program)
    assert err.field == "joints[0].limits" and "within the object's extent" in str(err)


@pytest.mark.parametrize("program", ["kiln", ["parts"], None, 3.5, b"{}"])
def test_not_a_program(program):
    err = refused(program)
    assert err.field == "program"


def test_a_full_scene_refuses_another_definition():
    scene = Scene(Room.rectangle(4.0, 4.0))
    base = example_program("kiln")
    for i in range(32):
        edit.define_object(scene, {**base, "name": f"kiln {i}"})
    err = refused({**base, "name": "kiln 99"}, scene)
    assert "at most 32 definitions" in str(err)


HOSTILE_VALUES = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 0.0, -1.0, 1e-9, 10**400, "", "x" * 100_000,
                     None, True, [], [[[[[]]]]], {"x": 1}, "a/b", "../etc", "__import__('os')"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.text(max_size=60),
    st.lists(st.floats(-10, 10), max_size=5),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(ALL_PATHS), value=HOSTILE_VALUES)
def test_any_hostile_value_anywhere_is_refused_or_valid(path, value):
    program = set_at(BASE, path, value)
    scene = a_scene()
    before = scene.to_dict()
    try:
        category = edit.define_object(scene, program)
    except EditError as err:
        assert scene.to_dict() == before
        assert err.field and len(str(err)) < MAX_MESSAGE
        assert str(err).startswith(f"{err.field}: ")
    else:  # a value that happens to be valid there: the scene gained exactly this definition
        assert list(scene.definitions)[-1] == category
        assert {k: v for k, v in scene.to_dict().items() if k != "definitions"} == \
            {k: v for k, v in before.items() if k != "definitions"}  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(extra=st.dictionaries(st.text(max_size=20), st.none() | st.integers() | st.text(max_size=20), min_size=1,
                             max_size=4))  # fmt: skip
def test_unknown_fields_anywhere_are_named(extra):
    for target in ((), ("parts", 4), ("joints", 0), ("surfaces", 0)):
        program = copy.deepcopy(BASE)
        node = program
        for key in target:
            node = node[key]
        fresh = {k: v for k, v in extra.items() if k not in node}
        if not fresh:
            continue
        node.update(fresh)
        err = refused(program)
        assert "unknown field" in str(err) and err.field.startswith(field_path(target))


@pytest.mark.parametrize(
    "definitions",
    [
        {"kiln_00000000": {"name": "kiln"}},
        {"Kiln": {"name": "kiln"}},
        {"kiln_00000000": "not a program"},
        {"kiln_00000000": {"name": 5}},
        {"x" * 10_000: {}},
        [1, 2],
    ],
)
def test_hostile_definitions_in_scene_files(definitions):
    data = json.loads(Scene(Room.rectangle(3.0, 3.0)).to_json())
    data["definitions"] = definitions
    with pytest.raises(SceneValidationError) as err:
        Scene.from_dict(data)
    assert str(err.value).startswith("definitions") and len(str(err.value)) < MAX_MESSAGE


POINTS = st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=0, max_size=70)
LATHE = st.lists(st.tuples(st.floats(0, 0.5), st.floats(-0.5, 0.5)), min_size=2, max_size=64)
STAR = st.lists(st.tuples(st.floats(0.001, 6.28), st.floats(0.01, 1.0)), min_size=3, max_size=64).map(
    lambda polar: [(r * math.cos(a), r * math.sin(a)) for a, r in sorted(polar)])  # simple when angles differ


def profile_program(shape, points) -> dict:
    return {"name": "turned thing", "placement": "floor",
            "parts": [{"name": "body", "shape": shape, "size": [0.3, 0.3, 0.4], "profile": [list(p) for p in points]}]}  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.tuples(st.just("lathe"), LATHE), st.tuples(st.just("extrusion"), STAR),
                      st.tuples(st.sampled_from(["lathe", "extrusion"]), POINTS)))  # fmt: skip
@example(data=("lathe", [(0.0, 0.0), (0.0, 0.5), (0.5, 0.5)]))  # revolves into a flat disc
def test_any_profile_compiles_or_is_named(data):
    from scene_gym.assets import build_asset
    from scene_gym.export.physics_props import mesh_problem

    try:
        category = define_program(profile_program(*data))
    except ProgramError as err:
        assert err.field.startswith("parts") and len(str(err)) < MAX_MESSAGE
    else:  # every piece is a closed, exportable mesh filling the part's size
        asset = build_asset(category)
        assert all(mesh_problem(part.mesh) is None for part in asset.parts)
        assert asset.size == pytest.approx((0.3, 0.3, 0.4), abs=1e-5)
