"""Object programs: examples compile into assets in the asset frame, categories are content addresses, scenes
carry their definitions through JSON (into a fresh process), and the edit core defines and places them."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scene_gym.actions import edit
from scene_gym.assets import build_asset, factories, get_factory, search
from scene_gym.assets.meshes import asset_mesh, collision_mesh
from scene_gym.assets.programs import (
    compile_program,
    define_program,
    example_names,
    example_program,
    is_program_category,
    parse_program,
    program_of,
)
from scene_gym.assets.programs.geometry import convex_pieces, polygon_problem, triangulate
from scene_gym.assets.validation import check_scene, check_scene_assets
from scene_gym.errors import EditError, SceneValidationError
from scene_gym.scene import Room, Scene, SceneObject
from scene_gym.scene import definitions as store
from scene_gym.scene.objects import ID_PATTERN

EXAMPLES = example_names()
ROOT = Path(__file__).resolve().parents[2]


def bounds(asset, joints=None) -> tuple[np.ndarray, np.ndarray]:
    mesh = asset_mesh(asset, joints, colored=False)
    return mesh.bounds[0], mesh.bounds[1]


def kiln(**changes) -> dict:
    data = example_program("kiln")
    data.update(changes)
    return data


def test_examples_are_the_five_documented_objects():
    assert EXAMPLES == ["chest", "cubby_shelf", "kiln", "lathed_vase", "storage_cabinet"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_compiles_into_the_asset_frame(name):
    category = define_program(example_program(name))
    factory = get_factory(category)
    assert store.DEFINITION_CATEGORY.match(category) and len(category) <= 49
    asset = build_asset(category)
    lo, hi = bounds(asset)
    w, d, h = factory.default_size
    # origin at the bottom-face centre of the bounding box; the bounding box is the default size
    np.testing.assert_allclose(lo, [-w / 2, -d / 2, 0.0], atol=1e-5)
    np.testing.assert_allclose(hi, [w / 2, d / 2, h], atol=1e-5)
    assert factory.size_range == (tuple(v * 0.5 for v in factory.default_size),
                                  tuple(v * 2.0 for v in factory.default_size))  # fmt: skip
    assert factory.articulated == bool(asset.joints) == (name in ("chest", "storage_cabinet"))
    assert factory.small == (name == "lathed_vase")
    assert asset.mass() > 0
    for joint in asset.joints:  # one handle per joint, on the moving link, and the joint opens outwards
        handle = next(h for h in asset.handles if h.joint == joint.name)
        assert handle.link == joint.child
        moved = asset.link_motions({joint.name: joint.limits[1]})[joint.child] @ np.array([*handle.position, 1.0])
        assert moved[1] > handle.position[1] + 0.1  # the handle comes towards the front (+Y)


def test_same_program_same_category_whatever_the_spelling():
    data = example_program("kiln")
    spelled = json.loads(json.dumps(data))
    spelled["front"] = "+y"  # the default, written out
    spelled = dict(reversed(list(spelled.items())))  # another key order
    assert define_program(data) == define_program(spelled) == define_program(parse_program(data))
    assert program_of(define_program(data)).to_data() == parse_program(data).to_data()


def test_two_kilns_coexist():
    small = kiln(parts=copy.deepcopy(example_program("kiln")["parts"]))
    small["parts"][0]["size"] = [0.4, 0.4, 0.5]
    a, b = define_program(example_program("kiln")), define_program(small)
    assert a != b and a.startswith("kiln_") and b.startswith("kiln_")
    assert get_factory(a).default_size[0] == pytest.approx(0.62)
    assert get_factory(b).default_size[2] != get_factory(a).default_size[2]


def test_program_categories_stay_out_of_the_catalog():
    category = define_program(example_program("storage_cabinet"))
    assert is_program_category(category) and not is_program_category("sofa")
    assert program_of("sofa") is None
    assert category not in factories()
    matches = search("storage cabinet", limit=50)
    assert matches and all(m.category in factories() for m in matches)


def test_front_turns_the_object_to_face_plus_y():
    parts = [{"name": "body", "shape": "box", "size": [1.0, 0.5, 0.5]},
             {"name": "nose", "shape": "sphere", "size": [0.2, 0.2, 0.2], "parent": "body", "position": [0.6, 0, 0]}]
    for front, expect in (("+x", (0, 1)), ("-x", (0, -1)), ("+y", (1, 0)), ("-y", (-1, 0))):
        category = define_program({"name": "nosy box", "placement": "floor", "front": front, "parts": parts})
        asset = build_asset(category)
        nose = asset.parts[[p.name for p in asset.parts].index("nose")]
        direction = np.sign(np.round(nose.position[:2], 6))
        assert tuple(direction) == expect, front


def test_scaling_fills_any_size_in_range_and_keeps_exact_primitives():
    category = define_program(example_program("storage_cabinet"))
    lo_size, hi_size = get_factory(category).size_range
    size = (hi_size[0] * 0.9, lo_size[1] * 1.1, 1.0)
    asset = build_asset(category, size)
    lo, hi = bounds(asset)
    np.testing.assert_allclose(hi - lo, size, atol=1e-6)
    assert {p.shape for p in asset.parts} == {"box"}  # axis-aligned boxes stay boxes under any scale
    door = asset.joint("door_hinge")
    assert door.limits == (0.0, 1.9)
    chest = define_program(example_program("chest"))
    drawer = build_asset(chest, (1.4, 0.9, 0.5)).joint("drawer_slide")
    assert drawer.limits[1] == pytest.approx(0.3 * 0.9 / get_factory(chest).default_size[1])  # travel scales


def test_rotated_and_elliptic_parts_become_meshes_with_exact_bounds():
    program = {"name": "tilted lamp", "placement": "floor", "parts": [
        {"name": "base", "shape": "cylinder", "size": [0.3, 0.3, 0.05]},
        {"name": "arm", "shape": "box", "size": [0.05, 0.05, 0.6], "parent": "base", "position": [0.1, 0, 0.3],
         "rpy": [0, 0.4, 0]},
        {"name": "shade", "shape": "cone", "size": [0.3, 0.2, 0.2], "parent": "arm", "position": [0, 0, 0.35]}]}
    category = define_program(program)
    default = build_asset(category)
    assert [p.shape for p in default.parts] == ["cylinder", "box", "mesh"]
    stretched = build_asset(category, np.asarray(get_factory(category).default_size) * (1.5, 0.8, 1.0))
    assert [p.shape for p in stretched.parts] == ["mesh", "mesh", "mesh"]  # elliptic base, sheared arm
    lo, hi = bounds(stretched)
    np.testing.assert_allclose(hi - lo, stretched.size, atol=1e-6)


def test_concave_extrusion_collides_as_convex_pieces():
    asset = build_asset(define_program(example_program("cubby_shelf")))
    frame = [p for p in asset.parts if p.name.startswith("frame")]
    assert len(frame) == 3 and all(p.name.startswith("frame__c") for p in frame)
    opening = np.array([0.0, 0.0, 0.3])  # inside the arch, above the base
    for part in frame:
        hull = collision_mesh(part)
        hull.apply_transform(part.transform)
        assert not hull.contains([opening])[0]
    total = sum(p.volume for p in frame)
    assert total == pytest.approx(0.3 * (0.8 * 0.6 - 0.72 * 0.56), rel=1e-6)  # the arch's area x depth


def test_polygon_helpers():
    u = [(0, 0), (3, 0), (3, 2), (2, 2), (2, 1), (1, 1), (1, 2), (0, 2)]
    poly, tris = triangulate(u)
    assert len(tris) == len(u) - 2
    area = sum(abs(np.cross(poly[b] - poly[a], poly[c] - poly[a])) / 2 for a, b, c in tris)
    assert area == pytest.approx(5.0)
    assert len(convex_pieces(u)) <= 4
    assert polygon_problem([(0, 0), (1, 1), (1, 0), (0, 1)]).startswith("expected a simple polygon")
    assert polygon_problem([(0, 0), (1, 0)]) == "expected at least 3 (x, y) vertices, got 2"


# --- scenes -------------------------------------------------------------------------------------------------
def program_scene() -> tuple[Scene, dict[str, str]]:
    scene = Scene(Room.rectangle(6.0, 5.0, type="living room"))
    cats = {name: edit.define_object(scene, example_program(name)) for name in EXAMPLES}
    edit.add_object(scene, cats["storage_cabinet"], position=(1.0, 0.5, 0.0))
    edit.add_object(scene, cats["chest"], position=(2.5, 0.5, 0.0))
    edit.add_object(scene, cats["kiln"], position=(4.5, 1.0, 0.0), size=(0.5, 0.5, 0.9))
    shelf = edit.add_object(scene, cats["cubby_shelf"], position=(3.0, 3.5, 0.0), yaw=math.pi)
    edit.place_on(scene, cats["lathed_vase"], shelf.id)
    return scene, cats


def test_define_object_and_place_instances():
    scene, cats = program_scene()
    assert list(scene.definitions) == sorted(cats.values(), key=list(cats.values()).index)
    ids = [o.id for o in scene.objects]
    assert ids[0] == f"{cats['storage_cabinet']}_1" and all(ID_PATTERN.match(i) for i in ids)
    assert scene.get(ids[-1]).parent == ids[-2]  # the vase stands on the shelf
    assert edit.define_object(scene, example_program("kiln")) == cats["kiln"]  # idempotent
    assert len(scene.definitions) == 5
    check_scene_assets(scene)
    before = scene.to_json()
    with pytest.raises(EditError) as err:
        edit.add_object(scene, cats["kiln"], position=(4.0, 4.0, 0.0), size=(2.0, 2.0, 3.0))
    assert err.value.field == "size" and scene.to_json() == before


def test_definitions_are_read_only_and_follow_snapshots():
    scene, cats = program_scene()
    with pytest.raises(TypeError):
        scene.definitions["x"] = {}
    scene.definitions[cats["kiln"]]["name"] = "changed"  # a copy: the scene keeps its program
    assert scene.definitions[cats["kiln"]]["name"] == "kiln"
    empty = Scene(Room.rectangle(3.0, 3.0))
    snap = empty.snapshot()
    with pytest.raises(EditError), empty.transaction():
        edit.define_object(empty, example_program("kiln"))
        raise EditError("undo")
    assert not empty.definitions
    edit.define_object(empty, example_program("chest"))
    copied = empty.copy()
    empty.restore(snap)
    assert not empty.definitions and len(copied.definitions) == 1


def test_scene_json_round_trip_with_definitions():
    scene, cats = program_scene()
    data = json.loads(scene.to_json())
    assert data["schema"] == "scene-gym/scene@2" and list(data["definitions"]) == list(cats.values())
    again = Scene.from_json(scene.to_json())
    assert again.to_json() == scene.to_json()
    check_scene(again)


def test_scene_v1_files_still_load():
    scene, _ = program_scene()
    data = json.loads(scene.to_json())
    data["schema"] = "scene-gym/scene@1"
    with pytest.raises(SceneValidationError, match="definitions"):
        Scene.from_dict(data)  # programs need scene@2
    del data["definitions"]
    data["objects"] = []
    old = Scene.from_dict(data)
    assert not old.definitions and json.loads(old.to_json())["schema"] == "scene-gym/scene@2"


def test_bad_program_in_a_scene_file_is_named():
    bad = example_program("kiln")
    bad["parts"][2]["size"] = [0.08, 0.08, 9.0]
    data = parse_program(example_program("kiln")).to_data()
    data["parts"][2]["size"] = [0.08, 0.08, 9.0]  # stored as if valid: the content hash still matches
    category = store.category_for(data)
    scene = Scene(Room.rectangle(3.0, 3.0), definitions={category: data})
    with pytest.raises(SceneValidationError) as err:
        check_scene(scene)
    assert str(err.value).startswith(f"definitions.{category}.parts[2].size[2]: expected a finite extent")


def test_definition_caps_and_mismatches():
    data = parse_program(example_program("kiln")).to_data()
    with pytest.raises(SceneValidationError, match="expected category 'kiln_"):
        Scene(Room.rectangle(3.0, 3.0), definitions={"kiln_00000000": data})
    many = {}
    for i in range(33):
        d = {**data, "name": f"kiln {chr(97 + i % 26)}{i}"}
        many[store.category_for(d)] = d
    with pytest.raises(SceneValidationError, match="at most 32 definitions"):
        Scene(Room.rectangle(3.0, 3.0), definitions=many)
    huge = {**data, "description": "x" * 70_000}
    with pytest.raises(SceneValidationError, match="at most 65536 bytes"):
        Scene(Room.rectangle(3.0, 3.0), definitions={store.category_for(huge): huge})


def test_slug_rules():
    assert store.slug("Potter's wheel") == "potter_s_wheel"
    assert store.slug("3d printer") == "obj_3d_printer"
    assert store.slug("---") == "object"
    assert len(store.slug("a" * 100)) == store.MAX_SLUG


ROUND_TRIP = """
import json, sys
import numpy as np
from scene_gym.assets import build_asset, factories
from scene_gym.assets.meshes import asset_mesh
from scene_gym.assets.validation import check_scene_assets
from scene_gym.scene import Scene
scene = Scene.from_json(sys.stdin.read())
check_scene_assets(scene)
out = {}
for o in scene.objects:
    a = build_asset(o.category, o.size, o.params, o.seed, o.material or None)
    out[o.id] = [len(a.parts), len(a.joints), np.round(asset_mesh(a).bounds, 6).tolist(), round(a.mass(), 6)]
out["catalog"] = any(o.category in factories() for o in scene.objects)
print(json.dumps(out))
"""


def test_scene_file_rebuilds_the_same_assets_in_a_fresh_process():
    scene, _ = program_scene()
    proc = subprocess.run([sys.executable, "-c", ROUND_TRIP], input=scene.to_json(), capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout)
    assert got.pop("catalog") is False
    for o in scene.objects:
        a = build_asset(o.category, o.size, o.params, o.seed, o.material or None)
        assert got[o.id] == [len(a.parts), len(a.joints), np.round(asset_mesh(a).bounds, 6).tolist(),
                             round(a.mass(), 6)]  # fmt: skip


def test_compile_program_gives_an_asset_factory():
    cls = compile_program(example_program("chest"))
    assert cls.category == define_program(example_program("chest"))
    assert cls.display_name == "chest" and cls.rooms == ("bedroom", "living room")
    obj = SceneObject(id=f"{cls.category}_1", category=cls.category, position=(1, 1, 0), size=cls.default_size)
    check_scene(Scene(Room.rectangle(3.0, 3.0), [obj]))


def test_layout_solver_and_spec_builder_keep_definitions():
    from scene_gym.samples import build_from_spec

    scene, cats = program_scene()
    kiln_id = scene.by_category(cats["kiln"])[0].id
    edit.replace_objects(scene, [kiln_id], rng=np.random.default_rng(0))
    assert list(scene.definitions) == list(cats.values())
    built = build_from_spec(scene, [{"category": "sofa", "at": (3.0, 2.5)}])
    assert built.definitions == scene.definitions
    check_scene_assets(Scene.from_json(built.to_json()))
