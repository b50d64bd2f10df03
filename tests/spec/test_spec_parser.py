"""parse_prompt: hand-written prompt -> expected spec cases, and robustness on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.spec import MAX_PROMPT_CHARS, SpecError, TaskSpec, parse_prompt


def counts(spec: TaskSpec) -> list[str]:
    return [o.to_sceneeval() for o in spec.objects]


def attrs(spec: TaskSpec) -> set[tuple[str, str, str]]:
    return {(a.category, a.kind, a.value) for a in spec.attributes}


def rels(spec: TaskSpec) -> set[str]:
    return {str(r) for r in spec.relations}


# (prompt, room type, counts in mention order, attributes, relations)
CASES = [
    ("Design me a bedroom", "bedroom", [], set(), set()),
    ("A bedroom with a double bed against the back wall and two nightstands beside it.", "bedroom",
     ["eq,1,bed", "eq,2,nightstand"], set(), {"against_wall(bed, wall=back)", "next_to(nightstand, bed)"}),
    ("A cosy bedroom with a double bed, two nightstands with lamps, a wardrobe, a dresser and a small desk "
     "for a laptop.", "bedroom",
     ["eq,1,bed", "eq,2,nightstand", "ge,2,table_lamp", "eq,1,wardrobe", "eq,1,dresser", "eq,1,desk", "eq,1,laptop"],
     {("desk", "size", "small")}, {"on_top_of(table_lamp, nightstand)"}),
    ("A living room with a grey fabric sofa facing the TV, a glass coffee table in front of the sofa and at "
     "least two armchairs.", "living room", ["eq,1,sofa", "eq,1,tv", "eq,1,coffee_table", "ge,2,armchair"],
     {("sofa", "colour", "grey"), ("sofa", "material", "fabric"), ("coffee_table", "material", "glass")},
     {"facing(sofa, tv)", "in_front_of(coffee_table, sofa)"}),
    ("A dining room with a wooden dining table surrounded by six chairs, a rug under the table and a pendant "
     "light.", "dining room", ["eq,1,dining_table", "eq,6,dining_chair", "eq,1,rug", "eq,1,ceiling_light"],
     {("dining_table", "material", "oak wood")}, {"around(dining_chair, dining_table)", "under(rug, dining_table)"}),
    ("A bathroom with a sink, a toilet in the corner and a bathtub against the left wall.", "bathroom",
     ["eq,1,bathroom_sink", "eq,1,toilet", "eq,1,bathtub"], set(),
     {"in_corner(toilet)", "against_wall(bathtub, wall=left)"}),
    ("A small office with a desk in the middle of the room, an office chair, several bookshelves and a "
     "painting on the wall.", "office", ["eq,1,desk", "eq,1,office_chair", "ge,3,bookshelf", "eq,1,painting"],
     set(), {"middle(desk)", "on_wall(painting)"}),
    ("Next to the bed, place a nightstand.", None, ["eq,1,bed", "eq,1,nightstand"], set(),
     {"next_to(nightstand, bed)"}),
    ("Two armchairs side by side, and a sofa and a tv stand facing each other.", None,
     ["eq,2,armchair", "eq,1,sofa", "eq,1,tv_stand"], set(),
     {"side_by_side(armchair, armchair)", "across_from(sofa, tv_stand)"}),
    ("A kitchen without a dishwasher, with a fridge next to the stove and a few bar stools.", "kitchen",
     ["eq,0,dishwasher", "eq,1,fridge", "eq,1,stove", "ge,2,bar_stool"], set(), {"next_to(fridge, stove)"}),
    ("A light grey sofa and a book shelf. A bed between the wardrobe and the dresser.", None,
     ["eq,1,sofa", "eq,1,bookshelf", "eq,1,bed", "eq,1,wardrobe", "eq,1,dresser"], {("sofa", "colour", "grey")},
     {"next_to(bed, wardrobe)", "next_to(bed, dresser)"}),
    ("A game room with a pool table in the center and no more than 3 arcade machines", "game room",
     ["eq,1,pool_table", "le,3,arcade_machine"], set(), {"middle(pool_table)"}),
    ("A sofa in green velvet and four chairs around the dining table.", None,
     ["eq,1,sofa", "eq,4,dining_chair", "eq,1,dining_table"],
     {("sofa", "colour", "green"), ("sofa", "material", "velvet")}, {"around(dining_chair, dining_table)"}),
    ("A TV on the wall opposite the sofa, a ceiling light on the ceiling.", None,
     ["eq,1,tv", "eq,1,sofa", "eq,1,ceiling_light"], set(),
     {"on_wall(tv)", "across_from(tv, sofa)", "on_ceiling(ceiling_light)"}),
    ("A reading nook with an armchair in the corner, a floor lamp next to it, and a bookshelf against the wall",
     None, ["eq,1,armchair", "eq,1,floor_lamp", "eq,1,bookshelf"], set(),
     {"in_corner(armchair)", "next_to(floor_lamp, armchair)", "against_wall(bookshelf)"}),
    ("Put 3 plates and 2 mugs on the kitchen table.", None, ["eq,3,plate", "eq,2,mug", "eq,1,dining_table"], set(),
     {"on_top_of(plate, dining_table)", "on_top_of(mug, dining_table)"}),
    ("A chair. Another chair. A chair.", None, ["eq,3,dining_chair"], set(), set()),
    ("A classroom with more than 10 student desks and fewer than 3 whiteboards", "classroom",
     ["ge,11,student_desk", "le,2,whiteboard"], set(), set()),
    ("A living room where a couch is surrounded by some armchairs and a rug is under the coffee table.",
     "living room", ["eq,1,sofa", "ge,2,armchair", "eq,1,rug", "eq,1,coffee_table"], set(),
     {"around(armchair, sofa)", "under(rug, coffee_table)"}),
    ("A bedroom with a bed flanked by a pair of nightstands, a white wardrobe and a tall black floor lamp.",
     "bedroom", ["eq,1,bed", "eq,2,nightstand", "eq,1,wardrobe", "eq,1,floor_lamp"],
     {("wardrobe", "colour", "white"), ("floor_lamp", "size", "tall"), ("floor_lamp", "colour", "black")},
     {"next_to(nightstand, bed)"}),
]


@pytest.mark.parametrize("prompt,room,expected_counts,expected_attrs,expected_rels", CASES,
                         ids=[c[0][:40] for c in CASES])  # fmt: skip
def test_prompt_cases(prompt, room, expected_counts, expected_attrs, expected_rels):
    spec = parse_prompt(prompt)
    assert spec.prompt == prompt
    assert spec.room_type == room
    assert counts(spec) == expected_counts
    assert attrs(spec) == expected_attrs
    assert rels(spec) == expected_rels


def test_room_sizes():
    spec = parse_prompt("A 4m x 5m living room")
    assert (spec.size.width, spec.size.depth, spec.size.area) == (4.0, 5.0, None)
    spec = parse_prompt("a 12 by 14 ft bedroom with 2 beds")
    assert spec.size.width == pytest.approx(12 * 0.3048) and spec.size.depth == pytest.approx(14 * 0.3048)
    assert counts(spec) == ["eq,2,bed"]  # the dimensions are not counts
    spec = parse_prompt("a 20 square metre game room")
    assert spec.size.area == 20.0 and spec.room_type == "game room"
    assert parse_prompt("a 200 sq ft office").size.area == pytest.approx(200 * 0.09290304)
    spec = parse_prompt("A spacious kitchen")
    assert spec.size.scale == "large" and spec.room_type == "kitchen"
    assert parse_prompt("a small room").size.scale == "small"


def test_measurements_are_not_counts():
    spec = parse_prompt("a desk 1.2 m wide and a 2 m tall plant")
    assert "eq,2,floor_plant" not in counts(spec)
    assert counts(spec)[0] == "eq,1,desk"


def test_definite_first_mention_and_bare_nouns():
    assert counts(parse_prompt("The bed is against the wall.")) == ["eq,1,bed"]
    assert counts(parse_prompt("bedroom with bed and chairs")) == ["ge,1,bed", "ge,2,armchair"]  # chairs that belong in a bedroom


def test_room_disambiguates_generic_nouns():
    assert counts(parse_prompt("a bathroom with a cabinet")) == ["eq,1,medicine_cabinet"]
    assert counts(parse_prompt("a kitchen with a sink")) == ["eq,1,sink_cabinet"]


def test_unknown_words_are_ignored():
    spec = parse_prompt("Blorp zanzibar quux with a frobnicated sofa, extremely glorp.")
    assert counts(spec) == ["eq,1,sofa"] and spec.room_type is None


def test_parsed_spec_round_trips():
    for prompt, *_ in CASES:
        spec = parse_prompt(prompt)
        assert TaskSpec.from_dict(spec.to_dict()) == spec
        assert TaskSpec.from_json(spec.to_json()) == spec


@pytest.mark.parametrize("bad", [None, 3, b"bedroom", ["a bed"]])
def test_non_string_raises_spec_error(bad):
    with pytest.raises(SpecError, match="prompt: expected a string"):
        parse_prompt(bad)


def test_too_long_raises_spec_error():
    with pytest.raises(SpecError, match=f"at most {MAX_PROMPT_CHARS}"):
        parse_prompt("a bed " * 5000)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_never_raises_on_text(text):
    spec = parse_prompt(text)
    assert isinstance(spec, TaskSpec)
    assert TaskSpec.from_dict(spec.to_dict()) == spec


_WORDS = ["a", "the", "two", "3", "at least", "several", "bed", "beds", "chair", "sofa", "table", "lamp", "next to",
          "against", "wall", "back", "corner", "in the corner", "on", "it", "and", ",", ".", "grey", "wooden",
          "small", "between", "surrounded by", "facing each other", "side by side", "bedroom", "no", "without",
          "x", "by", "4m", "square metres", "with", "opposite", "under", "around"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_never_raises_on_word_salad(words):
    spec = parse_prompt(" ".join(words))
    for r in spec.relations:
        assert r.subject in spec.categories
    assert all(o.count <= 1000 for o in spec.objects)
