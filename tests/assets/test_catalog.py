"""Text look-up over the catalog (search, suggest, resolve) and material descriptions (resolve_material)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.assets import factories, resolve, resolve_material, search
from scene_gym.assets.catalog import Match, suggest
from scene_gym.assets.factory import get_factory
from scene_gym.assets.materials import BASE_MATERIALS, COLOURS, DEFAULT_MATERIAL, UnknownMaterialError
from scene_gym.errors import SceneGymError, UnknownCategoryError


def _top(query: str) -> str:
    return search(query)[0].category


# --- search -------------------------------------------------------------------------------------------------
def test_couch_description_ranks_sofa_first():
    assert _top("grey fabric three-seat couch") == "sofa"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("closet", "wardrobe"), ("wardobe", "wardrobe"), ("bookcase", "bookshelf"), ("stack of books", "book_stack"),
     ("fruit bowl", "fruit_bowl"), ("bowl", "bowl"), ("ceiling light", "ceiling_light"), ("television", "tv"),
     ("tv", "tv"), ("chest of drawers", "dresser"), ("teapot", "kettle"), ("spiral notebook", "notebook"),
     ("houseplant", "potted_plant"), ("wall mirror", "mirror"), ("coffee mugs", "mug")],
)  # fmt: skip
def test_names_synonyms_plurals_and_typos(query, expected):
    assert _top(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("glass", "drinking_glass"), ("carpet", "rug"), ("light", "ceiling_light"), ("light blue sofa", "sofa"),
     ("glass vase", "vase"), ("white ceramic mug", "mug"), ("black leather armchair", "armchair"),
     ("oak wood dining table", "dining_table")],
)  # fmt: skip
def test_material_and_colour_words_only_name_objects_when_nothing_else_does(query, expected):
    assert _top(query) == expected


def test_results_are_ranked_and_limited():
    results = search("table", limit=4)
    assert 1 <= len(results) <= 4 and all(isinstance(m, Match) for m in results)
    scores = [m.score for m in results]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert len({m.category for m in results}) == len(results)
    assert set(m.category for m in results) <= set(factories())


def test_unknown_words_raise_with_a_suggestions_list():
    with pytest.raises(UnknownCategoryError, match="xyzzy") as err:
        search("xyzzy")
    assert isinstance(err.value.suggestions, list) and err.value.name == "xyzzy"
    assert isinstance(err.value, SceneGymError)


def test_suggestions_for_near_misses():
    assert "wardrobe" in suggest("wardrobee")
    with pytest.raises(UnknownCategoryError) as err:
        get_factory("sofaa")
    assert "sofa" in err.value.suggestions and "did you mean" in str(err.value)


@pytest.mark.parametrize("query", ["", "   ", "the of and", "!!!", "12345"])
def test_queries_without_content_words_raise(query):
    with pytest.raises(UnknownCategoryError):
        search(query)


# --- resolve ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [("sofa", "sofa"), ("couch", "sofa"), ("Settee", "sofa"), ("closet", "wardrobe"), ("Dining Table", "dining_table"),
     ("dining-table", "dining_table"), ("television", "tv"), ("stack of books", "book_stack"),
     ("chest of drawers", "dresser"), ("grey fabric couch", "sofa"), ("wardobe", "wardrobe")],
)  # fmt: skip
def test_resolve_maps_names_and_synonyms_to_categories(name, expected):
    assert resolve(name) == expected


def test_resolve_unknown_raises():
    with pytest.raises(UnknownCategoryError):
        resolve("xyzzy")


# --- materials ----------------------------------------------------------------------------------------------
def test_grey_fabric_is_grey_with_fabric_roughness():
    m = resolve_material("grey fabric")
    assert m.rgb == pytest.approx(COLOURS["grey"])
    fabric = BASE_MATERIALS["fabric"]
    assert (m.roughness, m.metalness, m.density) == (fabric.roughness, fabric.metalness, fabric.density)


def test_brushed_steel_is_a_metal():
    m = resolve_material("brushed steel")
    assert m.metalness == 1.0 and m.name == "brushed steel" and m.density > 7000


def test_longest_material_phrase_wins_and_synonyms_resolve():
    assert resolve_material("cherry wood table").name == "cherry wood"
    assert resolve_material("stainless steel sink").name == "stainless steel"
    assert resolve_material("wooden").name == "oak wood"
    assert resolve_material("stainless").name == "stainless steel"
    assert resolve_material("navy velvet").rgb == pytest.approx(COLOURS["navy"])


def test_unknown_text_gives_the_default_and_strict_raises():
    assert resolve_material("qwerty zxcv") == BASE_MATERIALS[DEFAULT_MATERIAL]
    with pytest.raises(UnknownMaterialError, match="qwerty"):
        resolve_material("qwerty zxcv", strict=True)
    assert issubclass(UnknownMaterialError, SceneGymError)


def test_every_default_material_of_the_library_is_known():
    for name, f in factories().items():
        assert resolve_material(f.default_material, strict=True), name


# --- robustness ---------------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_search_only_ever_raises_unknown_category(text):
    try:
        results = search(text)
    except UnknownCategoryError as err:
        assert isinstance(err.suggestions, list)
    else:
        assert results and all(m.category in factories() and m.score > 0 for m in results)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_resolve_material_never_crashes(text):
    m = resolve_material(text)
    assert len(m.rgba) == 4 and all(0.0 <= c <= 1.0 for c in m.rgba)
    assert 0.0 <= m.roughness <= 1.0 and 0.0 <= m.metalness <= 1.0 and m.density > 0
    try:
        resolve_material(text, strict=True)
    except UnknownMaterialError:
        pass
