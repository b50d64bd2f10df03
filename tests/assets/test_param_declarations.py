"""Declared asset parameters: every program declares each parameter's type and range once; hostile values
(ten million drawers, 1e400, -1, NaN, text for a count) are refused before anything is built, in bounded time,
by ``build_asset`` and by ``check_scene`` with the field named; huge mesh sidecars are refused too."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
import trimesh
from deadlines import deadline

from scene_gym.assets import AssetFactory, build_asset, factories, register
from scene_gym.assets.mesh_assets import register_mesh_folder, unregister_mesh_assets
from scene_gym.assets.mesh_surfaces import MAX_RASTER_CELLS, _grid
from scene_gym.assets.params import Param, bool_param, choice_param, float_param, int_param, text_param
from scene_gym.assets.validation import SceneCategoryError, check_scene, check_scene_assets
from scene_gym.errors import AssetError, SceneValidationError, UnknownCategoryError
from scene_gym.samples import bedroom_scene
from scene_gym.scene import Scene

FACTORIES = factories()
COUNTS = sorted((c, n) for c, f in FACTORIES.items() for n, p in f.params.items() if p.kind == "int")


def _values(p: Param) -> list:
    if p.kind in ("int", "float"):
        return [p.low, p.high]
    return {"bool": [False, True], "choice": list(p.choices), "text": ["red metal"]}[p.kind]


def test_every_parameter_is_declared_and_every_declared_value_builds():
    assert COUNTS, "the library has count parameters"
    for category, f in FACTORIES.items():
        lo, hi = f.size_range
        for name, p in f.params.items():
            assert isinstance(p, Param), (category, name)
            for size in (lo, f.default_size, hi):
                for value in _values(p):
                    asset = build_asset(category, size, {name: value})
                    assert asset.params[name] == value and asset.parts, (category, name, value, size)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(10_000_000, "10000000"), (1e7, "10000000.0"), (10**400, "1000000000"), (-1, "-1"), (2.5, "2.5"),
     (float("nan"), "nan"), (float("inf"), "inf"), (True, "True"), ("3", "'3'"), (None, "None")],
)  # fmt: skip
def test_hostile_counts_are_refused_by_every_program_before_building(value, shown):
    with deadline(30):
        for category, name in COUNTS:
            with pytest.raises(AssetError, match=rf"^{category}: params\.{name}: expected an integer in \[") as err:
                build_asset(category, params={name: value})
            assert shown in str(err.value)


def test_other_kinds_refuse_values_outside_their_declaration():
    with pytest.raises(AssetError, match=r"params\.top: expected a number in \[0\.01, 0\.1\], got 1e\+300"):
        build_asset("dining_table", params={"top": 1e300})
    with pytest.raises(AssetError, match=r"params\.top: expected a number .* got 1000000000"):
        build_asset("dining_table", params={"top": 10**400})
    with pytest.raises(AssetError, match=r"params\.round_legs: expected true or false, got 1"):
        build_asset("dining_table", params={"round_legs": 1})
    with pytest.raises(AssetError, match=r"params\.hinge: expected one of 'left', 'right', got 'up'"):
        build_asset("interior_door", params={"hinge": "up"})
    with pytest.raises(AssetError, match=r"params\.worktop: expected a text of at most 128 characters"):
        build_asset("kitchen_counter", params={"worktop": "x" * 129})
    with pytest.raises(AssetError, match=r"params: unknown parameter\(s\) 'n_legs' for dining_table; known: round_legs, top"):
        build_asset("dining_table", params={"n_legs": 3})
    # Integral floats are counts (JSON writers may print 3.0); the asset records the integer.
    assert build_asset("dresser", params={"n_drawers": 4.0}).params["n_drawers"] == 4


def test_declarations_are_checked_when_declared_and_registered():
    with pytest.raises(ValueError, match="default 9 does not fit"):
        int_param(9, 1, 8)
    with pytest.raises(ValueError, match="finite bounds"):
        float_param(0.0, 0.0, float("inf"))
    assert choice_param("a", ["a", "b"]).check("b") == "b" and bool_param(True).check(False) is False
    assert text_param("x", 3).describe() == "a text of at most 3 characters"

    class Plain(AssetFactory):
        category = "test_plain_params"
        size_range = ((0.1, 0.1, 0.1), (1.0, 1.0, 1.0))
        default_size = (0.5, 0.5, 0.5)
        params = {"n": 3}  # a bare default: no type, no range

        def build(self, b, params):
            b.box("body", (0, 0, b.h / 2), (b.w, b.d, b.h))

    with pytest.raises(ValueError, match="parameter 'n' must be declared with int_param"):
        register(Plain)
    assert "test_plain_params" not in factories()


def _scene_with(obj_changes: dict, index: int = 3) -> Scene:
    data = bedroom_scene().to_dict()
    data["objects"][index].update(obj_changes)
    return Scene.from_dict(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"category": "wardrobe", "params": {"n_shelves": 10_000_000}},
      r"^objects\[3\]\.params\.n_shelves: expected an integer in \[0, 8\], got 10000000 \(wardrobe_1, a wardrobe\)$"),
     ({"category": "wardrobe", "params": {"n_shelves": -1}}, r"^objects\[3\]\.params\.n_shelves: .* got -1 "),
     ({"category": "wardrobe", "params": {"n_shelves": 2**63 - 1}}, r"^objects\[3\]\.params\.n_shelves: .* got 9223372"),
     ({"category": "wardrobe", "params": {"n_shelfs": 2}}, r"^objects\[3\]\.params: unknown parameter\(s\) 'n_shelfs'"),
     ({"category": "wardrobe", "size": [40.0, 0.6, 2.0]}, r"^objects\[3\]\.size: expected width in \[0\.8, 2\.4\] m, got 40\.0 "),
     ({"category": "wardrobe", "size": [1.2, 0.6, 0.01]}, r"^objects\[3\]\.size: expected height in"),
     ],
)  # fmt: skip
def test_check_scene_names_the_field_of_hostile_objects(changes, message):
    scene = _scene_with(changes)
    with deadline(10):
        t0 = time.perf_counter()
        with pytest.raises(SceneValidationError, match=message):
            check_scene(scene)
        with pytest.raises(SceneValidationError, match=message.split(":")[0]):
            check_scene_assets(scene)
        assert time.perf_counter() - t0 < 5


def test_unknown_category_is_refused_at_check_with_its_field():
    scene = _scene_with({"category": "sofaa"})
    with pytest.raises(SceneCategoryError) as err:
        check_scene(scene)
    assert str(err.value) == "objects[3].category: unknown category 'sofaa'; did you mean 'sofa'?"
    assert isinstance(err.value, UnknownCategoryError) and isinstance(err.value, SceneValidationError)
    assert err.value.name == "sofaa" and "sofa" in err.value.suggestions and err.value.field == "objects[3].category"


def test_a_good_scene_passes_and_is_returned():
    scene = bedroom_scene()
    assert check_scene(scene) is scene
    check_scene_assets(scene)


# --- mesh sidecars ------------------------------------------------------------------------------------------
@pytest.fixture
def mesh_folder(tmp_path):
    yield tmp_path
    unregister_mesh_assets()


@pytest.mark.parametrize(
    ("meta", "field"),
    [({"size": [400, 400, 1]}, "size"), ({"size": [1, 1, 1e308]}, "size"), ({"scale": 1000.0}, "scale")],
)
def test_huge_mesh_sidecars_are_refused_naming_the_field(mesh_folder, meta, field):
    trimesh.creation.box(extents=(1.0, 1.0, 0.5)).export(mesh_folder / "slab.glb")
    (mesh_folder / "slab.json").write_text(json.dumps({"category": "test_slab", **meta}))
    with deadline(30), pytest.raises(AssetError, match=rf"slab\.json.*field '{field}': expected .*25|slab\.glb: field '{field}'"):
        register_mesh_folder(mesh_folder)
    assert "test_slab" not in factories()


def test_mesh_sidecar_with_deep_nesting_or_huge_numbers_is_an_asset_error(mesh_folder):
    trimesh.creation.box(extents=(1.0, 1.0, 0.5)).export(mesh_folder / "slab.glb")
    for text in ('{"category": "test_slab", "synonyms": ' + "[" * 100_000 + "]" * 100_000 + "}",
                 '{"category": "test_slab", "scale": 1' + "0" * 5000 + "}"):  # fmt: skip
        (mesh_folder / "slab.json").write_text(text)
        with pytest.raises(AssetError, match=r"slab\.json: expected valid JSON metadata"):
            register_mesh_folder(mesh_folder)


def test_surface_raster_is_bounded_for_the_largest_meshes():
    tri = [[[0.0, 0.0], [25.0, 0.0], [0.0, 25.0]]]
    step, origin, shape = _grid(np.array(tri), 0.01)
    assert shape[0] * shape[1] <= MAX_RASTER_CELLS and step > 0.01
    assert _grid(np.array([[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]]), 0.01)[0] == 0.01  # small meshes keep 1 cm
