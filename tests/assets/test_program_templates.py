"""Coarse object programs (:mod:`scene_gym.assets.programs.templates`): every class at every placement and a
spread of sizes validates, and compiles to exactly the size asked for."""

from __future__ import annotations

import itertools

import pytest

from scene_gym.assets import build_asset, get_factory
from scene_gym.assets.programs import define_program, parse_program
from scene_gym.assets.programs.templates import COARSE_CLASSES, SURFACE_MAX_HEIGHT, template_program

SIZES = list(itertools.product([0.02, 0.16, 0.6, 2.0, 4.5], [0.02, 0.6, 1.8], [0.05, 0.8, 3.0]))


@pytest.mark.parametrize("coarse_class", [*COARSE_CLASSES, "unknown class"])
@pytest.mark.parametrize("placement", ["floor", "wall", "surface", "ceiling"])
def test_every_template_compiles_to_the_size_asked_for(coarse_class, placement):
    for size in SIZES:
        data = template_program("test thing", coarse_class, size, placement)
        parse_program(data)
        category = define_program(data)
        factory = get_factory(category)
        assert factory.default_size == pytest.approx(size, abs=1e-3), (size, factory.default_size)
        assert factory.placement == placement
        asset = build_asset(category)
        assert asset.parts and not asset.joints


def test_low_furniture_carries_a_surface_and_tall_furniture_none():
    low = get_factory(define_program(template_program("chest", "box_furniture", (1.0, 0.5, 0.8))))
    tall = get_factory(define_program(template_program("tall chest", "box_furniture", (1.0, 0.5, SURFACE_MAX_HEIGHT))))
    assert build_asset(low.category).surfaces and not build_asset(tall.category).surfaces
    table = build_asset(define_program(template_program("trestle", "table", (1.6, 0.8, 0.75))))
    [top] = table.surfaces
    assert top.size[0] == pytest.approx(1.58) and top.center[2] == pytest.approx(0.75, abs=1e-3)


def test_the_same_noun_and_size_give_the_same_category_and_the_name_is_kept():
    a = define_program(template_program("pottery wheel", "appliance", (0.6, 0.7, 0.6), rooms=("garage",)))
    b = define_program(template_program("pottery wheel", "appliance", (0.6, 0.7, 0.6), rooms=("garage",)))
    assert a == b and a.startswith("pottery_wheel_")
    assert get_factory(a).rooms == ("garage",)
