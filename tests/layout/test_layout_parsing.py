"""Relation dicts (JSON tool arguments, prompt specs): names, aliases, validation messages, and a hypothesis
check that arbitrary input only ever raises the package's own errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.errors import LayoutError, SceneGymError
from scene_gym.layout import (
    ALIASES,
    RELATIONS,
    AcrossFrom,
    AgainstWall,
    Around,
    Near,
    NextTo,
    OnWall,
    Relation,
)


def test_names_are_normalised_and_aliases_resolve():
    assert Relation.from_dict({"relation": "Next to", "subject": "lamp_1", "target": "sofa_1"}) == NextTo("lamp_1", "sofa_1")
    assert Relation.from_dict({"relation": "opposite", "subject": "tv_1", "target": "sofa_1"}) == AcrossFrom("tv_1", "sofa_1")
    assert Relation.from_dict({"relation": "AGAINST-WALL", "subject": "bed_1", "wall": "North"}) == AgainstWall("bed_1", "north")
    for alias, name in ALIASES.items():
        assert name in RELATIONS, alias


def test_unknown_relation_suggests_close_names():
    with pytest.raises(LayoutError, match=r"unknown relation 'left_off'; did you mean 'left_of'"):
        Relation.from_dict({"relation": "left_off", "subject": "a_1", "target": "b_1"})
    with pytest.raises(LayoutError, match="known: against_wall"):
        Relation.from_dict({"relation": "levitating", "subject": "a_1"})


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        ({"relation": "near", "subject": "chair_1"}, r"near: missing field 'target'"),
        ({"subject": "chair_1"}, r"missing the 'relation' key"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "max_distance": math.nan},
         r"near\.max_distance: expected a finite distance in metres in \[0, 100\], got nan"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "min_distance": math.inf}, r"near\.min_distance"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "max_distance": -1}, r"got -1"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "max_distance": "far"}, r"expected a number"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "max_distance": True}, r"expected a number"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "max_distance": 10**400}, r"near\.max_distance"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "min_distance": 2, "max_distance": 1},
         r"near\.min_distance: expected at most max_distance 1"),
        ({"relation": "near", "subject": "chair_1", "target": "desk_1", "distance": 1}, r"unknown field 'distance'"),
        ({"relation": "near", "subject": "Chair", "target": "desk_1"}, r"near\.subject: expected an object id"),
        ({"relation": "near", "subject": "chair_1", "target": "chair_1"}, r"cannot relate to itself"),
        ({"relation": "near", "subject": None, "target": "desk_1"}, r"near\.subject"),
        ({"relation": "around", "target": "table_1", "subjects": []}, r"around\.subjects: expected 1 to 64"),
        ({"relation": "around", "target": "table_1", "subjects": "chair_1"}, r"expected a list of object ids"),
        ({"relation": "around", "target": "table_1", "subjects": ["chair_1", "chair_1"]}, r"distinct object ids"),
        ({"relation": "around", "target": "table_1", "subjects": ["table_1"]}, r"cannot relate to itself"),
        ({"relation": "around", "target": "table_1", "subjects": ["chair_1", 3]}, r"around\.subjects\[1\]"),
        ({"relation": "against_wall", "subject": "bed_1", "wall": "upstairs"}, r"against_wall\.wall"),
        ({"relation": "against_wall", "subject": "bed_1", "wall": -1}, r"against_wall\.wall"),
        ({"relation": "against_wall", "subject": "bed_1", "wall": 2.5}, r"against_wall\.wall"),
        ({"relation": "aligned_with", "subject": "a_1", "target": "b_1", "axis": "diagonal"}, r"aligned_with\.axis"),
        ({"relation": "facing", "subject": "a_1", "target": "b_1", "max_angle": 4.0}, r"facing\.max_angle"),
        ({"relation": "on_wall", "subject": "painting_1", "height": math.nan}, r"on_wall\.height"),
        ({"relation": 7}, r"expected a relation name"),
    ],
)
def test_bad_fields_are_named_with_their_value(data, pattern):
    with pytest.raises(LayoutError, match=pattern):
        Relation.from_dict(data)


def test_non_dict_input():
    for bad in (None, "near", ["near"], 3):
        with pytest.raises(LayoutError, match="expected a relation as a JSON object"):
            Relation.from_dict(bad)


def test_direct_construction_validates_too():
    with pytest.raises(LayoutError, match=r"near\.max_distance"):
        Near("chair_1", "desk_1", max_distance=float("nan"))
    with pytest.raises(LayoutError, match=r"around\.subjects"):
        Around("table_1", ())
    assert Around("table_1", ["chair_1", "chair_2"]).subjects == ("chair_1", "chair_2")  # lists become tuples
    assert AgainstWall("bed_1", wall="3").wall == 3
    assert OnWall("painting_1", height=1).height == 1.0 and isinstance(OnWall("painting_1", height=1).height, float)


def test_subclass_from_dict_checks_the_name():
    with pytest.raises(LayoutError, match="expected 'near', got 'next_to'"):
        Near.from_dict({"relation": "next_to", "subject": "a_1", "target": "b_1"})


_FIELDS = sorted({"relation", "subject", "target", "subjects", "wall", "max_gap", "min_distance", "max_distance",
                  "tolerance", "height", "max_angle", "axis", "extra"})  # fmt: skip
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                     st.text(max_size=12), st.sampled_from(["chair_1", "table_2", "north", "row", "any"]))  # fmt: skip
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                             max_size=3), max_leaves=8)
_names = st.one_of(st.sampled_from(sorted(RELATIONS) + sorted(ALIASES)), st.text(max_size=15), _values)


@settings(max_examples=400, deadline=None)
@given(name=_names, body=st.dictionaries(st.one_of(st.sampled_from(_FIELDS), st.text(max_size=8)), _values, max_size=6),
       with_name=st.booleans())  # fmt: skip
def test_from_dict_only_raises_scene_gym_errors(name, body, with_name):
    data = dict(body)
    if with_name:
        data["relation"] = name
    try:
        rel = Relation.from_dict(data)
    except SceneGymError:
        return
    assert isinstance(rel, Relation)
    assert Relation.from_dict(rel.to_dict()) == rel


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(sorted(RELATIONS)), subject=st.sampled_from(["chair_1", "sofa_2"]),
       target=st.sampled_from(["table_1", "desk_3"]), value=st.floats(allow_nan=True, allow_infinity=True))  # fmt: skip
def test_numeric_fields_accept_exactly_finite_in_range_values(name, subject, target, value):
    cls = RELATIONS[name]
    fields = {f for f in cls.__dataclass_fields__ if f not in ("subject", "target", "subjects", "wall", "axis")}
    data = {"relation": name, "target": target}
    data.update({"subjects": [subject]} if name == "around" else {"subject": subject})
    if name in ("against_wall", "in_corner", "middle", "on_wall", "on_ceiling"):
        data.pop("target")
    for f in fields:
        try:
            rel = Relation.from_dict({**data, f: value})
        except LayoutError as err:
            assert f in str(err)
            continue
        assert math.isfinite(getattr(rel, f)) and getattr(rel, f) >= 0


_REQUEST_FIELDS = ["category", "size", "material", "params", "id", "seed", "parent", "front_clearance", "other"]


@settings(max_examples=300, deadline=None)
@given(body=st.dictionaries(st.sampled_from(_REQUEST_FIELDS), _values, max_size=5),
       category=st.sampled_from(["desk", "bowl", "wardrobe", "nonsense", "Desk"]))  # fmt: skip
def test_request_from_dict_only_raises_scene_gym_errors(body, category):
    from scene_gym.layout import PlacementRequest

    data = {"category": category, **body} if "category" not in body else body
    try:
        req = PlacementRequest.from_dict(data)
    except SceneGymError:
        return
    assert PlacementRequest.from_dict(req.to_dict()) == req
