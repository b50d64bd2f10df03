"""User mesh assets: meshes written here with trimesh (GLB and OBJ) and a sidecar JSON become categories that
build, search and expose their support surfaces; bad folders raise errors naming the file and field and
register nothing."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import trimesh

from scene_gym.assets import build_asset, factories, search
from scene_gym.assets.mesh_assets import detect_support_surfaces, register_mesh_folder, unregister_mesh_assets
from scene_gym.errors import AssetError, UnknownCategoryError

HEIGHT_TOL = 0.005  # m


def _box(extents, center) -> trimesh.Trimesh:
    m = trimesh.creation.box(extents=extents)
    m.apply_translation(center)
    return m


def _table() -> trimesh.Trimesh:
    """A 1.0 x 0.6 m top, 4 cm thick, at 0.75 m on four 5 cm legs."""
    legs = [_box((0.05, 0.05, 0.71), (sx * 0.45, sy * 0.25, 0.355)) for sx in (-1, 1) for sy in (-1, 1)]
    return trimesh.util.concatenate([_box((1.0, 0.6, 0.04), (0.0, 0.0, 0.73)), *legs])


def _two_shelf_unit() -> trimesh.Trimesh:
    """0.8 x 0.3 x 1.0 m: two side panels, shelf boards with tops at 0.31 and 0.66 m, and a top board."""
    sides = [_box((0.02, 0.3, 1.0), (sx * 0.39, 0.0, 0.5)) for sx in (-1, 1)]
    boards = [_box((0.76, 0.3, 0.02), (0.0, 0.0, z)) for z in (0.3, 0.65, 0.99)]
    return trimesh.util.concatenate(sides + boards)


def _write(folder, name, mesh, meta, suffix=".glb"):
    mesh.export(folder / f"{name}{suffix}")
    (folder / f"{name}.json").write_text(json.dumps(meta))


@pytest.fixture
def folder(tmp_path):
    """A folder for mesh assets; whatever a test registers is unregistered afterwards."""
    yield tmp_path
    unregister_mesh_assets()


def test_table_glb_registers_builds_and_is_found_by_search(folder):
    _write(folder, "table", _table(), {"category": "test_table", "description": "A plain test table on four legs.",
                                       "synonyms": ["zorblax desk"], "size": [1.0, 0.6, 0.75],
                                       "rooms": ["dining room"], "material": "walnut wood"})  # fmt: skip
    assert register_mesh_folder(folder) == ["test_table"]
    f = factories()["test_table"]
    assert f.default_size == pytest.approx((1.0, 0.6, 0.75), abs=1e-6)
    assert f.placement == "floor" and f.rooms == ("dining room",) and f.default_material == "walnut wood"

    asset = build_asset("test_table")
    part, *pieces = asset.parts
    assert part.name == "mesh" and part.shape == "mesh" and part.material == "walnut wood"
    # a concave mesh is drawn by "mesh" and collides as convex pieces: here its five boxes, exactly
    assert not part.collide and part.visual
    assert [(q.name, q.collide, q.visual) for q in pieces] == [(f"collision_{i}", True, False) for i in range(5)]
    assert sorted(q.volume for q in pieces) == pytest.approx([0.05 * 0.05 * 0.71] * 4 + [1.0 * 0.6 * 0.04], rel=1e-5)
    v = part.mesh.vertices + np.asarray(part.position)
    np.testing.assert_allclose(v.min(axis=0), [-0.5, -0.3, 0.0], atol=1e-6)
    np.testing.assert_allclose(v.max(axis=0), [0.5, 0.3, 0.75], atol=1e-6)
    (top,) = asset.surfaces
    assert top.center[2] == pytest.approx(0.75, abs=HEIGHT_TOL)
    assert top.size == pytest.approx((1.0, 0.6), abs=0.02) and top.area == pytest.approx(0.6, abs=0.03)
    assert top.center[:2] == pytest.approx((0.0, 0.0), abs=0.01) and math.isinf(top.clearance)

    assert search("test table")[0].category == "test_table"
    assert search("zorblax")[0].category == "test_table"

    bigger = build_asset("test_table", (1.6, 0.9, 0.75))
    assert bigger.surfaces[0].size == pytest.approx((1.6, 0.9), abs=0.03)
    np.testing.assert_allclose(bigger.parts[0].size, (1.6, 0.9, 0.75), atol=1e-6)


def test_two_shelf_unit_obj_has_three_surfaces_with_clearances(folder):
    _write(folder, "shelf", _two_shelf_unit(), {"category": "test_shelf", "description": "Two shelves.",
                                                "scale": 1.0}, suffix=".obj")  # fmt: skip
    assert register_mesh_folder(folder) == ["test_shelf"]
    asset = build_asset("test_shelf")
    assert asset.size == pytest.approx((0.8, 0.3, 1.0), abs=1e-6)
    heights = [s.center[2] for s in asset.surfaces]
    assert heights == pytest.approx([0.31, 0.66, 1.0], abs=HEIGHT_TOL)
    low, mid, top = asset.surfaces
    for s in (low, mid):
        assert s.area == pytest.approx(0.76 * 0.3, abs=0.015)
    assert low.clearance == pytest.approx(0.33, abs=HEIGHT_TOL)
    assert mid.clearance == pytest.approx(0.32, abs=HEIGHT_TOL)
    assert math.isinf(top.clearance) and top.size[0] == pytest.approx(0.8, abs=0.02)
    taller = build_asset("test_shelf", (0.8, 0.3, 1.5))
    assert [s.center[2] for s in taller.surfaces] == pytest.approx([0.465, 0.99, 1.5], abs=HEIGHT_TOL)
    assert taller.surfaces[0].clearance == pytest.approx(0.495, abs=HEIGHT_TOL)


def test_a_sphere_has_no_support_surface(folder):
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=0.3)
    assert detect_support_surfaces(sphere) == []
    _write(folder, "globe", sphere, {"category": "test_globe", "placement": "surface", "small": True})
    register_mesh_folder(folder)
    asset = build_asset("test_globe")
    assert asset.surfaces == () and asset.size == pytest.approx((0.6, 0.6, 0.6), abs=1e-3)
    assert factories()["test_globe"].small


def test_detection_on_a_mesh_directly():
    (top,) = detect_support_surfaces(_table())
    assert top.name == "surface_0" and top.center[2] == pytest.approx(0.75, abs=HEIGHT_TOL)
    # A plank narrower than twice the inscribed radius is not a place to put things.
    plank = _box((1.0, 0.15, 0.05), (0, 0, 0.5))
    assert detect_support_surfaces(plank) == []
    assert len(detect_support_surfaces(plank, min_inscribed_radius=0.05)) == 1
    # A surface covered 1 cm above is not free.
    lid = trimesh.util.concatenate([_box((0.5, 0.5, 0.02), (0, 0, 0.01)), _box((0.5, 0.5, 0.02), (0, 0, 0.05))])
    assert [s.center[2] for s in detect_support_surfaces(lid)] == pytest.approx([0.06], abs=HEIGHT_TOL)


@pytest.mark.parametrize(
    ("front", "expected"),
    [("+y", (0.4, 1.2, 0.45)), ("-y", (0.4, 1.2, 0.45)), ("+x", (1.2, 0.4, 0.45)), ("-x", (1.2, 0.4, 0.45))],
)
def test_front_turns_to_plus_y(folder, front, expected):
    # A bench, long along y in the file; a backrest marks its back at -x in the file.
    seat = _box((0.4, 1.2, 0.3), (0.0, 0.0, 0.15))
    back = _box((0.05, 1.2, 0.15), (-0.175, 0.0, 0.375))
    _write(folder, "bench", trimesh.util.concatenate([seat, back]), {"category": "test_bench", "front": front})
    register_mesh_folder(folder)
    asset = build_asset("test_bench")
    assert asset.size == pytest.approx(expected, abs=1e-6)
    v = asset.parts[0].mesh.vertices + np.asarray(asset.parts[0].position)
    high = v[v[:, 2] > 0.31]  # the backrest
    if front == "+x":
        assert high[:, 1].max() < -0.1  # the backrest is at the back (-y) once the front is +y
    if front == "-x":
        assert high[:, 1].min() > 0.1


def test_y_up_files_and_centimetre_scale(folder):
    # Authored Y-up in centimetres: 50 wide (x), 120 tall (y), 30 deep (z).
    m = _box((50.0, 120.0, 30.0), (100.0, 60.0, -40.0))
    _write(folder, "cabinet", m, {"category": "test_cabinet", "up": "+y", "front": "-y", "scale": 0.01})
    register_mesh_folder(folder)
    assert build_asset("test_cabinet").size == pytest.approx((0.5, 0.3, 1.2), abs=1e-6)


def test_size_stretches_each_axis_and_meshes_without_metadata_are_skipped(folder):
    _write(folder, "cube", trimesh.creation.box(extents=(1, 1, 1)), {"category": "test_cube", "size": [2, 1, 0.5]})
    trimesh.creation.box(extents=(1, 1, 1)).export(folder / "orphan.glb")
    assert register_mesh_folder(folder) == ["test_cube"]
    assert factories()["test_cube"].default_size == pytest.approx((2.0, 1.0, 0.5))
    assert factories()["test_cube"].size_range == (pytest.approx((1.0, 0.5, 0.25)), pytest.approx((4.0, 2.0, 1.0)))


def test_registering_again_replaces_and_unregister_removes(folder, tmp_path_factory):
    _write(folder, "table", _table(), {"category": "test_table"})
    assert register_mesh_folder(folder) == ["test_table"]
    assert register_mesh_folder(folder) == ["test_table"]  # same files: replaced, no error
    other = tmp_path_factory.mktemp("other")
    _write(other, "table", _table(), {"category": "test_table"})
    with pytest.raises(AssetError, match="already registered"):
        register_mesh_folder(other)
    assert unregister_mesh_assets(["test_table"]) == ["test_table"]
    assert "test_table" not in factories()
    with pytest.raises(UnknownCategoryError):
        build_asset("test_table")
    with pytest.raises(AssetError):
        unregister_mesh_assets(["wardrobe"])


BAD = {
    "unknown front": ({"category": "test_bad", "front": "up"}, "front"),
    "non-positive size": ({"category": "test_bad", "size": [1.0, 0.0, 1.0]}, "size"),
    "negative scale": ({"category": "test_bad", "scale": -2}, "scale"),
    "size and scale": ({"category": "test_bad", "size": [1, 1, 1], "scale": 1.0}, "size"),
    "built-in category": ({"category": "wardrobe"}, "built-in"),
    "bad category name": ({"category": "Test Bad!"}, "category"),
    "missing category": ({"description": "no name"}, "category"),
    "unknown field": ({"category": "test_bad", "colour": "red"}, "colour"),
    "unknown room": ({"category": "test_bad", "rooms": ["dungeon"]}, "rooms"),
    "bad placement": ({"category": "test_bad", "placement": "roof"}, "placement"),
    "bad synonyms": ({"category": "test_bad", "synonyms": "sofa"}, "synonyms"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_metadata_raises_naming_file_and_field_and_registers_nothing(folder, case):
    meta, field = BAD[case]
    _write(folder, "good", _table(), {"category": "test_good"})
    _write(folder, "zbad", _table(), meta)
    before = set(factories())
    with pytest.raises(AssetError, match=field) as err:
        register_mesh_folder(folder)
    assert "zbad.json" in str(err.value) or "zbad.glb" in str(err.value)
    assert set(factories()) == before  # atomic: the good file was not registered either


def test_missing_mesh_bad_json_and_missing_folder(folder):
    (folder / "lonely.json").write_text(json.dumps({"category": "test_lonely"}))
    with pytest.raises(AssetError, match=r"lonely\.json: missing mesh"):
        register_mesh_folder(folder)
    (folder / "lonely.json").unlink()
    _box((1, 1, 1), (0, 0, 0)).export(folder / "broken.glb")
    (folder / "broken.json").write_text("{'category': oops")
    with pytest.raises(AssetError, match=r"broken\.json: expected valid JSON"):
        register_mesh_folder(folder)
    with pytest.raises(AssetError, match="not a directory"):
        register_mesh_folder(folder / "nowhere")
    (folder / "broken.json").write_text(json.dumps({"category": "test_broken"}))
    (folder / "broken.glb").write_bytes(b"not a mesh at all")
    with pytest.raises(AssetError, match=r"broken\.glb"):
        register_mesh_folder(folder)
