"""TaskSpec: JSON round trip, validation errors naming the field, SceneEval interchange."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.scene import ROOM_TYPES
from scene_gym.spec import (
    ARCH_RELATIONS,
    OBJECT_RELATIONS,
    QUANTIFIERS,
    SIZE_WORDS,
    WALL_WORDS,
    Attribute,
    ObjectCount,
    RelationSpec,
    SizeHint,
    SpecError,
    TaskSpec,
    parse_prompt,
)

HAND_WRITTEN = {
    "prompt": "A bedroom with a double bed against the back wall and two nightstands beside it.",
    "room_type": "bedroom",
    "objects": ["eq,1,bed", {"category": "nightstand", "count": 2, "quantifier": "eq"}],
    "relations": [{"relation": "against_wall", "subject": "bed", "wall": "back"},
                  {"relation": "next_to", "subject": "nightstand", "target": "bed"}],
}  # fmt: skip


def test_hand_written_annotation_equals_parsed_prompt():
    assert TaskSpec.from_dict(HAND_WRITTEN) == parse_prompt(HAND_WRITTEN["prompt"])


def test_sceneeval_count_strings():
    c = ObjectCount.from_dict("ge,4,dining_chair")
    assert (c.category, c.count, c.quantifier) == ("dining_chair", 4, "ge")
    assert c.to_sceneeval() == "ge,4,dining_chair"
    assert [c.satisfied(n) for n in (3, 4, 5)] == [False, True, True]
    assert (c.minimum, c.maximum) == (4, None)
    lt = ObjectCount("sofa", 2, "lt")
    assert (lt.minimum, lt.maximum) == (0, 1) and lt.satisfied(1) and not lt.satisfied(2)


@pytest.mark.parametrize(
    "data,message",
    [
        ({"objects": [{"category": "bed", "count": -1}]}, r"objects\[0\]\.count: expected an integer in \[0, 1000\], got -1"),
        ({"objects": [{"category": "Bed"}]}, r"objects\[0\]\.category: expected a category name"),
        ({"objects": [{"category": "bed", "quantifier": "about"}]}, r"objects\[0\]\.quantifier: expected one of eq"),
        ({"objects": ["eq,x,bed"]}, r"objects\[0\]: expected a SceneEval count"),
        ({"objects": ["eq,1,bed", "ge,2,bed"]}, r"objects\[1\]\.category: expected each category at most once"),
        ({"relations": [{"relation": "levitating", "subject": "bed"}]}, r"relations\[0\]\.relation: expected one of"),
        ({"relations": [{"relation": "next_to", "subject": "bed"}]}, r"relations\[0\]\.target: expected a category"),
        ({"relations": [{"relation": "in_corner", "subject": "bed", "target": "sofa"}]},
         r"relations\[0\]\.target: expected null"),
        ({"relations": [{"relation": "against_wall", "subject": "bed", "wall": "up"}]},
         r"relations\[0\]\.wall: expected one of north"),
        ({"attributes": [{"category": "bed", "kind": "smell", "value": "nice"}]}, r"attributes\[0\]\.kind"),
        ({"attributes": [{"category": "bed", "kind": "size", "value": "gigantic"}]}, r"attributes\[0\]\.value"),
        ({"room_type": "dungeon"}, r"room_type: expected one of bedroom"),
        ({"size": {"width": -2}}, r"size\.width: expected a finite value"),
        ({"size": {"width": float("nan")}}, r"size\.width"),
        ({"colour": "red"}, r"spec\.colour: unknown field"),
        ({"schema": "other@1"}, r"schema: expected"),
        ({"objects": {"bed": 1}}, r"objects: expected a JSON array"),
        ({"relations": [{"subject": "bed"}]}, r"relations\[0\]\.relation: missing required field"),
        ([1, 2], r"spec: expected a JSON object"),
    ],
)
def test_validation_names_the_field(data, message):
    with pytest.raises(SpecError, match=message):
        TaskSpec.from_dict(data)


def test_from_json_errors_are_spec_errors():
    with pytest.raises(SpecError, match="cannot decode"):
        TaskSpec.from_json("{not json")


def test_queries():
    spec = TaskSpec.from_dict(HAND_WRITTEN)
    assert spec.categories == ("bed", "nightstand")
    assert [r.relation for r in spec.arch_relations] == ["against_wall"]
    assert [r.relation for r in spec.object_relations] == ["next_to"]
    assert spec.count_for("nightstand").count == 2 and spec.count_for("sofa") is None
    assert TaskSpec(room_type="bedroom").is_empty()


# --- hypothesis: any valid spec round-trips through JSON --------------------------------------------------
categories = st.sampled_from(["bed", "sofa", "dining_chair", "desk", "table_lamp", "rug", "painting", "my_thing"])


@st.composite
def relation_specs(draw):
    rel = draw(st.sampled_from(OBJECT_RELATIONS + ARCH_RELATIONS))
    subject = draw(categories)
    if rel in OBJECT_RELATIONS:
        return RelationSpec(rel, subject, draw(categories))
    wall = draw(st.none() | st.sampled_from(WALL_WORDS)) if rel in ("against_wall", "on_wall") else None
    return RelationSpec(rel, subject, None, wall)


@st.composite
def specs(draw):
    cats = draw(st.lists(categories, unique=True, max_size=5))
    objects = []
    for c in cats:
        q = draw(st.sampled_from(QUANTIFIERS))
        objects.append(ObjectCount(c, draw(st.integers(1 if q == "lt" else 0, 1000)), q))
    attributes = draw(st.lists(st.one_of(
        st.builds(Attribute, categories, st.just("size"), st.sampled_from(SIZE_WORDS)),
        st.builds(Attribute, categories, st.sampled_from(["colour", "material"]), st.sampled_from(["grey", "oak wood"])),
    ), max_size=4))  # fmt: skip
    size = draw(st.none() | st.builds(SizeHint, st.none() | st.floats(0.5, 50), st.none() | st.floats(0.5, 50),
                                      st.none() | st.floats(1, 500), st.none() | st.sampled_from(["small", "large"])))  # fmt: skip
    return TaskSpec(draw(st.text(max_size=50)), draw(st.none() | st.sampled_from(ROOM_TYPES)), size,
                    tuple(objects), tuple(attributes), tuple(draw(st.lists(relation_specs(), max_size=5))))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(specs())
def test_round_trip(spec):
    assert TaskSpec.from_dict(spec.to_dict()) == spec
    assert TaskSpec.from_json(spec.to_json()) == spec
    assert TaskSpec.from_json(spec.to_json()).to_dict() == spec.to_dict()
