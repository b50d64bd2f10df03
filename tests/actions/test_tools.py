"""Each scene tool: what a successful call changes, and that a failing call leaves the scene JSON byte-identical."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scene_gym.actions.edit import RELATIONS_KEY
from scene_gym.actions.tools import TOOLS, ToolError, apply_tool, validate_call
from scene_gym.assets import get_factory
from scene_gym.layout import Relation, satisfaction
from scene_gym.metrics import evaluate
from scene_gym.physics import PhysicsWorld
from scene_gym.scene import Room, Scene, SceneObject


def run(scene, tool, seed=0, world=None, **args):
    return apply_tool(scene, validate_call({"tool": tool, "args": args}), rng=np.random.default_rng(seed), world=world)


def bedroom(seed=0) -> Scene:
    scene = Scene(Room.rectangle(4, 5))
    run(scene, "init_room", room_type="bedroom", width=4.5, depth=5.0)
    run(scene, "init_layout", seed=seed)
    return scene


@pytest.fixture(scope="module")
def furnished() -> str:
    """JSON of a furnished bedroom (a fresh Scene per test via from_json)."""
    return bedroom().to_json()


@pytest.fixture
def scene(furnished) -> Scene:
    return Scene.from_json(furnished)


def assert_fails_unchanged(scene, tool, field, match=None, **args):
    """The call raises a ToolError naming ``field`` and the scene JSON is byte-identical afterwards."""
    before = scene.to_json()
    with pytest.raises(ToolError) as info:
        run(scene, tool, **args)
    assert scene.to_json() == before
    err = info.value
    assert err.tool == tool
    assert err.index == 0 and "call 0" in str(err)
    if field is not None:
        assert err.field is not None and err.field.startswith(field), (err.field, str(err))
        assert field in str(err)
    if match is not None:
        assert match in str(err), str(err)
    return err


def clean(scene):
    m = evaluate(scene)
    assert m.n_collisions == 0, m.collisions
    assert m.n_oob == 0, m.oob
    assert m.unsupported == []
    return m


# --- init_room --------------------------------------------------------------------------------------------
def test_init_room_resets_room_and_objects(scene):
    before = [o.id for o in scene.objects]
    assert before
    res = run(scene, "init_room", room_type="kitchen", width=3.0, depth=3.5, height=2.6)
    assert res.ok and len(scene) == 0
    assert scene.room.type == "kitchen"
    assert scene.room.bounds == (3.0, 3.5) and scene.room.wall_height == 2.6
    kinds = sorted(o.kind for o in scene.room.openings)
    assert kinds == ["door", "window"]
    assert RELATIONS_KEY not in scene.metadata
    assert res.changed_ids == before  # removed objects are reported


def test_init_room_l_shape_and_defaults():
    scene = Scene(Room.rectangle(4, 5))
    res = run(scene, "init_room", room_type="Living_Room", l_cut=[2.0, 2.5], windows=0, door=False)
    assert res.ok
    assert scene.room.type == "living room"
    assert len(scene.room.floor) == 6  # an L
    assert scene.room.openings == ()
    assert scene.room.area == pytest.approx(5.0 * 5.5 - 2.0 * 2.5)


@pytest.mark.parametrize("args, field", [
    ({"room_type": "castle"}, "args.room_type"),
    ({"room_type": "bedroom", "width": 0.5}, "args.width"),
    ({"room_type": "bedroom", "width": float("nan")}, "args.width"),
    ({"room_type": "bedroom", "depth": float("inf")}, "args.depth"),
    ({"room_type": "bedroom", "width": "4"}, "args.width"),
    ({"room_type": "bedroom", "width": 4, "l_cut": [3.5, 1.0]}, "args.l_cut"),
    ({"room_type": "bedroom", "windows": True}, "args.windows"),
    ({"room_type": "bedroom", "colour": "red"}, "args.colour"),
    ({}, "args.room_type"),
])  # fmt: skip
def test_init_room_bad_args(scene, args, field):
    assert_fails_unchanged(scene, "init_room", field, **args)


# --- init_layout ------------------------------------------------------------------------------------------
def test_init_layout_bedroom_has_a_bed_and_is_clean():
    scene = bedroom()
    cats = [o.category for o in scene.objects]
    assert "bed" in cats and cats.count("nightstand") == 2 and "wardrobe" in cats
    clean(scene)
    recorded = scene.metadata[RELATIONS_KEY]
    assert {"relation": "against_wall", "subject": "bed_1", "wall": None, "max_gap": 0.05} in recorded


@pytest.mark.parametrize("room_type", ["kitchen", "dining room", "office", "bathroom", "meeting room", "garage"])
def test_init_layout_other_rooms(room_type):
    from scene_gym.assets.room_priors import PRIORS

    scene = Scene(Room.rectangle(4, 5))
    run(scene, "init_room", room_type=room_type)
    res = run(scene, "init_layout")
    assert res.ok, res.message
    cats = {o.category for o in scene.objects}
    assert {i.category for i in PRIORS[room_type] if i.essential} <= cats
    clean(scene)


def test_init_layout_keeps_objects_when_not_replacing(scene):
    n = len(scene)
    res = run(scene, "init_layout", replace=False, optional=False, room_type="office")
    assert len(scene) > n and "bed_1" in scene
    assert any(o.category == "desk" for o in scene.objects)
    assert res.details["removed"] == []


def test_init_layout_too_small_room_reports_instead_of_failing():
    scene = Scene(Room.rectangle(4, 5))
    run(scene, "init_room", room_type="garage", width=2.0, depth=2.0)
    res = run(scene, "init_layout")
    assert not res.ok and "car" in res.message
    assert "car_1" not in scene
    clean(scene)


def test_init_layout_bad_args(scene):
    assert_fails_unchanged(scene, "init_layout", "args.room_type", room_type="spaceship")
    assert_fails_unchanged(scene, "init_layout", "args.optional", optional="yes")
    attic = Scene(scene.room.evolve(type="attic"), scene.objects, scene.lights, scene.prompt, scene.metadata)
    assert_fails_unchanged(attic, "init_layout", "args.room_type", match="attic")


# --- add_objects ------------------------------------------------------------------------------------------
def test_add_objects_with_relations_and_synonym(scene):
    res = run(scene, "add_objects", category="couch", count=1,
              relations=[{"relation": "against_wall"}, {"relation": "far", "target": "bed_1", "min_distance": 0.5}])
    assert res.ok, res.message
    assert "sofa_1" in scene and res.changed_ids == ["sofa_1"]
    assert satisfaction(Relation.from_dict({"relation": "against_wall", "subject": "sofa_1"}), scene) >= 0.9
    clean(scene)


def test_add_objects_numbering_continues(scene):
    res = run(scene, "add_objects", category="nightstand", count=1)
    assert res.changed_ids == ["nightstand_3"]


def test_add_objects_small_on_parent_with_size_and_material(scene):
    desk = next(o for o in scene.objects if o.category in ("desk", "dresser", "nightstand"))
    res = run(scene, "add_objects", category="vase", count=2, parent=desk.id, material="blue glass",
              size=[0.12, 0.12, 0.25])
    assert res.ok, res.message
    vases = scene.by_category("vase")
    assert len(vases) == 2 and all(v.parent == desk.id and v.material == "blue glass" for v in vases)
    assert all(v.size == (0.12, 0.12, 0.25) for v in vases)
    clean(scene)


def test_add_objects_around(scene):
    run(scene, "remove_objects", ids=[o.id for o in scene.objects if o.category != "bed"])
    run(scene, "add_objects", category="dining_table")
    res = run(scene, "add_objects", category="dining_chair", count=2,
              relations=[{"relation": "around", "target": "dining_table_1"}])
    assert [o.id for o in scene.by_category("dining_chair")] == ["dining_chair_1", "dining_chair_2"]
    assert res.details["placed"] == ["dining_chair_1", "dining_chair_2"]


@pytest.mark.parametrize("args, field, match", [
    ({"category": "xyzzyqq"}, "args.category", "unknown category"),
    ({"category": "sofa", "count": 0}, "args.count", None),
    ({"category": "sofa", "count": 1.5}, "args.count", None),
    ({"category": "sofa", "size": [1.0, 0.9]}, "args.size", None),
    ({"category": "sofa", "size": [9.0, 0.9, 0.8]}, "args.size", "width in"),
    ({"category": "sofa", "size": [2.0, float("nan"), 0.8]}, "args.size", None),
    ({"category": "sofa", "relations": [{"relation": "hovering", "target": "bed_1"}]}, "args.relations[0]", "hovering"),
    ({"category": "sofa", "relations": [{"relation": "near", "target": "ghost_1"}]}, "args.relations[0]", "ghost_1"),
    ({"category": "sofa", "relations": [{"relation": "near", "target": "bed_1", "max_distance": float("nan")}]},
     "args.relations[0]", None),
    ({"category": "vase", "parent": "table_99"}, "args.parent", "table_99"),
    ({"category": "sofa", "relations": ["near bed"]}, "args.relations[0]", None),
])  # fmt: skip
def test_add_objects_bad_args(scene, args, field, match):
    assert_fails_unchanged(scene, "add_objects", field, match, **args)


def test_add_objects_that_cannot_fit_reports_not_ok():
    scene = Scene(Room.rectangle(4, 5))
    run(scene, "init_room", room_type="bedroom", width=2.0, depth=2.0)
    res = run(scene, "add_objects", category="wardrobe", count=10)
    failed = [f["id"] for f in res.details["failed"]]
    assert not res.ok and failed and "could not place" in res.message
    assert all(f not in scene for f in failed)
    assert [o.id for o in scene.objects] == res.details["placed"]
    clean(scene)


# --- add_crowd --------------------------------------------------------------------------------------------
def _crowd_host(scene):
    run(scene, "add_objects", category="bookshelf", relations=[{"relation": "against_wall"}])
    return "bookshelf_1"


def test_add_crowd_fills_fixed_surfaces_without_overlap(scene):
    from scene_gym.assets import build_asset

    host = _crowd_host(scene)
    res = run(scene, "add_crowd", receptacle=host, categories=["book", "vase"], count=8)
    assert res.ok, res.message
    new = [scene.get(i) for i in res.details["placed"]]
    assert len(new) == 8 and {o.category for o in new} <= {"book", "vase"}
    assert all(o.parent == host and get_factory(o.category).small for o in new)
    shelf = scene.get(host)
    heights = {round(shelf.position[2] + s.center[2], 6) for s in build_asset("bookshelf", shelf.size).surfaces
               if s.link == "base"}  # fmt: skip
    assert all(round(o.position[2], 6) in heights for o in new)
    clean(scene)


def test_add_crowd_density_and_room_defaults(scene):
    table = next(o.id for o in scene.objects if o.category in ("desk", "dresser"))
    res = run(scene, "add_crowd", receptacle=table, density=0.3)
    assert res.ok
    placed = [scene.get(i) for i in res.details["placed"]]
    assert placed and all("bedroom" in get_factory(o.category).rooms for o in placed)
    assert res.details["covered_area"] >= 0.2 * res.details["surface_area"] or len(placed) >= 1
    clean(scene)


@pytest.mark.parametrize("args, field", [
    ({"receptacle": "shelf_99"}, "args.receptacle"),
    ({"receptacle": "bed_1", "categories": ["sofa"]}, "args.categories[0]"),
    ({"receptacle": "bed_1", "categories": ["qqqxx"]}, "args.categories[0]"),
    ({"receptacle": "bed_1", "count": 3, "density": 0.2}, "args.density"),
    ({"receptacle": "bed_1", "count": 0}, "args.count"),
    ({"receptacle": "bed_1", "density": 1.5}, "args.density"),
])  # fmt: skip
def test_add_crowd_bad_args(scene, args, field):
    assert_fails_unchanged(scene, "add_crowd", field, **args)


def test_add_crowd_on_object_without_surface(scene):
    run(scene, "add_objects", category="floor_lamp")
    assert_fails_unchanged(scene, "add_crowd", "args.receptacle", receptacle="floor_lamp_1")


# --- add_relation -----------------------------------------------------------------------------------------
def test_add_relation_moves_subject_and_records(scene):
    rel = {"relation": "next_to", "subject": "wardrobe_1", "target": "bed_1", "max_gap": 0.3}
    before = satisfaction(Relation.from_dict(rel), scene)
    res = run(scene, "add_relation", relation=rel)
    after = satisfaction(Relation.from_dict(rel), scene)
    assert after >= before
    if res.ok:
        assert after >= 0.9 and "wardrobe_1" in res.changed_ids
    assert Relation.from_dict(rel).to_dict() in scene.metadata[RELATIONS_KEY]
    clean(scene)


def test_add_relation_already_satisfied_moves_nothing(scene):
    rel = {"relation": "against_wall", "subject": "bed_1"}
    res = run(scene, "add_relation", relation=rel)
    assert res.ok and res.changed_ids == [] and res.details["moved"] == []


@pytest.mark.parametrize("args, field", [
    ({"relation": {"relation": "next_to", "subject": "ghost_1", "target": "bed_1"}}, "args.relation"),
    ({"relation": {"relation": "hovering", "subject": "bed_1"}}, "args.relation"),
    ({"relation": {"relation": "near", "subject": "bed_1", "target": "wardrobe_1", "max_distance": -1}},
     "args.relation"),
    ({"relation": {"relation": "near", "subject": "bed_1", "target": "wardrobe_1"}, "move": ["ghost_2"]},
     "args.move[0]"),
    ({}, "args.relation"),
])  # fmt: skip
def test_add_relation_bad_args(scene, args, field):
    assert_fails_unchanged(scene, "add_relation", field, **args)


# --- update_layout ----------------------------------------------------------------------------------------
def test_update_layout_moves_object_with_its_load(scene):
    host = next(o for o in scene.objects if o.category == "nightstand")
    run(scene, "add_objects", category="vase", parent=host.id)
    vase = scene.by_category("vase")[0]
    run(scene, "remove_objects", ids=[o.id for o in scene.objects if o.id not in (host.id, vase.id)])
    res = run(scene, "update_layout", objects=[{"id": host.id, "position": [2.0, 2.5]}])
    assert res.ok
    moved = scene.get(host.id)
    assert moved.position[:2] == (2.0, 2.5)
    new_vase = scene.get(vase.id)
    assert new_vase.position[0] - vase.position[0] == pytest.approx(2.0 - host.position[0], abs=1e-6)
    assert set(res.changed_ids) == {host.id, vase.id}
    clean(scene)


def test_update_layout_solver_replace(scene):
    res = run(scene, "update_layout", objects=[{"id": "wardrobe_1"}])
    assert res.ok and "wardrobe_1" in res.details["placed"]
    clean(scene)


@pytest.mark.parametrize("objects, field", [
    ([{"id": "bed_1", "position": [-3.0, 1.0]}], "args.objects[0].position"),
    ([{"id": "bed_1", "position": [0.1, 0.1]}], "args.objects[0].position"),
    ([{"id": "ghost_1", "position": [1.0, 1.0]}], "args.objects[0].id"),
    ([{"id": "bed_1", "position": [1.0, float("nan")]}], "args.objects[0].position"),
    ([{"id": "bed_1", "position": [1.0]}], "args.objects[0].position"),
    ([{"id": "bed_1"}, {"id": "bed_1"}], "args.objects[1].id"),
    ([], "args.objects"),
])  # fmt: skip
def test_update_layout_bad_args(scene, objects, field):
    assert_fails_unchanged(scene, "update_layout", field, objects=objects)


# --- update_rotation --------------------------------------------------------------------------------------
def test_update_rotation_variants(scene):
    run(scene, "update_rotation", id="nightstand_1", yaw_deg=90)
    assert scene.get("nightstand_1").yaw == pytest.approx(math.pi / 2)
    run(scene, "update_rotation", id="nightstand_1", facing="east")
    assert scene.get("nightstand_1").yaw == pytest.approx(-math.pi / 2)
    res = run(scene, "update_rotation", id="nightstand_1", face_object="wardrobe_1")
    assert res.ok
    rel = Relation.from_dict({"relation": "facing", "subject": "nightstand_1", "target": "wardrobe_1"})
    assert satisfaction(rel, scene) >= 0.9
    assert evaluate(scene).n_oob == 0  # turned into a wall: pushed back inside


@pytest.mark.parametrize("args, field", [
    ({"id": "bed_1"}, "args.yaw_deg"),
    ({"id": "bed_1", "yaw_deg": 10, "facing": "north"}, "args.facing"),
    ({"id": "bed_1", "facing": "up"}, "args.facing"),
    ({"id": "bed_1", "yaw_deg": float("inf")}, "args.yaw_deg"),
    ({"id": "ghost_1", "yaw_deg": 10}, "args.id"),
    ({"id": "bed_1", "face_object": "bed_1"}, "args.face_object"),
    ({"id": "bed_1", "face_object": "ghost_1"}, "args.face_object"),
])  # fmt: skip
def test_update_rotation_bad_args(scene, args, field):
    assert_fails_unchanged(scene, "update_rotation", field, **args)


# --- update_size ------------------------------------------------------------------------------------------
def test_update_size_keeps_children_on_surface(scene):
    host = next(o for o in scene.objects if o.category == "nightstand")
    run(scene, "add_objects", category="vase", parent=host.id)
    lo, hi = get_factory("nightstand").size_range
    new = [hi[0], hi[1], hi[2]]
    res = run(scene, "update_size", id=host.id, size=new)
    assert res.ok
    assert scene.get(host.id).size == tuple(new)
    world = PhysicsWorld(scene)
    assert world.support() == []
    world.close()


def test_update_size_scale(scene):
    old = scene.get("wardrobe_1").size
    run(scene, "update_size", id="wardrobe_1", scale=0.9)
    assert scene.get("wardrobe_1").size == pytest.approx(tuple(v * 0.9 for v in old))


@pytest.mark.parametrize("args, field, match", [
    ({"id": "bed_1", "size": [10.0, 2.0, 1.0]}, "args.size", "size range"),
    ({"id": "bed_1", "scale": 5.0}, "args.scale", "size range"),
    ({"id": "bed_1", "size": [1.6, -2.0, 1.0]}, "args.size", None),
    ({"id": "bed_1", "size": [1.6, 2.0, 1.0], "scale": 1.0}, "args.size", "exactly one"),
    ({"id": "ghost_1", "scale": 1.0}, "args.id", None),
])  # fmt: skip
def test_update_size_bad_args(scene, args, field, match):
    assert_fails_unchanged(scene, "update_size", field, match, **args)


# --- remove_objects ---------------------------------------------------------------------------------------
def test_remove_objects_cascades_and_forgets_relations(scene):
    host = next(o for o in scene.objects if o.category == "nightstand")
    run(scene, "add_objects", category="vase", parent=host.id)
    res = run(scene, "remove_objects", ids=[host.id, "bed_1"])
    assert res.ok and host.id not in scene and "bed_1" not in scene and not scene.by_category("vase")
    assert "vase_1" in res.details["cascaded"]
    for rel in scene.metadata.get(RELATIONS_KEY, []):
        assert "bed_1" not in (rel.get("subject"), rel.get("target"))


@pytest.mark.parametrize("ids, field", [(["ghost_1"], "args.ids[0]"), (["bed_1", "ghost_1"], "args.ids[1]"),
                                        ([], "args.ids"), (["Bed 1"], "args.ids[0]")])  # fmt: skip
def test_remove_objects_bad_args(scene, ids, field):
    assert_fails_unchanged(scene, "remove_objects", field, ids=ids)


# --- optimize_physics -------------------------------------------------------------------------------------
def _broken_scene() -> Scene:
    objs = [
        SceneObject(id="desk_1", category="desk", position=(1.0, 1.0, 0.0), size=(1.2, 0.6, 0.75)),
        SceneObject(id="dresser_1", category="dresser", position=(1.5, 1.2, 0.0), size=(1.0, 0.5, 0.85)),
        SceneObject(id="wardrobe_1", category="wardrobe", position=(3.7, 2.0, 0.0), size=(1.2, 0.6, 2.0)),
        SceneObject(id="book_1", category="book", position=(1.0, 1.0, 0.9), size=(0.15, 0.22, 0.03),
                    parent="desk_1"),
        SceneObject(id="mug_1", category="mug", position=(3.0, 3.0, 0.3), size=(0.09, 0.09, 0.1),
                    parent="desk_1"),
    ]  # fmt: skip
    return Scene(Room.rectangle(4, 4), objs)


def test_optimize_physics_fixes_collisions_bounds_and_support():
    scene = _broken_scene()
    m = evaluate(scene)
    assert m.n_collisions >= 1 and "wardrobe_1" in m.oob and m.unsupported
    res = run(scene, "optimize_physics")
    assert res.ok, res.message
    clean(scene)
    d = res.details
    assert "wardrobe_1" in d["pushed_inside"]
    assert "book_1" in d["settled"]
    assert d["separated"] or d["replaced"]
    assert "mug_1" in d["replaced"] or "mug_1" in d["removed"]
    assert res.changed_ids


def test_optimize_physics_with_a_world_and_nothing_to_do(scene):
    with PhysicsWorld() as world:
        res = run(scene, "optimize_physics", world=world)
        assert res.ok and res.changed_ids == [] and res.message == "nothing to fix"


def test_optimize_physics_without_drop_never_removes():
    scene = _broken_scene()
    res = run(scene, "optimize_physics", drop=False, replace=False)
    assert res.details["removed"] == [] and len(scene) == 5


def test_optimize_physics_bad_args(scene):
    assert_fails_unchanged(scene, "optimize_physics", "args.rounds", rounds=0)
    assert_fails_unchanged(scene, "optimize_physics", "args.max_shift", max_shift=float("nan"))


# --- terminate --------------------------------------------------------------------------------------------
def test_terminate(scene):
    before = scene.to_json()
    res = run(scene, "terminate", reason="done")
    assert res.terminate and res.ok and scene.to_json() == before and res.changed_ids == []
    assert_fails_unchanged(scene, "terminate", "args.reason", reason=3)


# --- cost model -------------------------------------------------------------------------------------------
def test_cost_is_wall_time_plus_nominal(scene):
    res = run(scene, "remove_objects", ids=["bed_1"])
    assert res.cost_s == pytest.approx(res.wall_time_s + TOOLS["remove_objects"].nominal_cost_s)
    res = apply_tool(scene, validate_call({"tool": "terminate"}), rng=np.random.default_rng(0), nominal_cost_s=7.5)
    assert res.cost_s == pytest.approx(res.wall_time_s + 7.5)
    assert TOOLS["terminate"].with_cost(2.0).nominal_cost_s == 2.0


def test_every_tool_has_a_category_and_cost():
    assert {t.category for t in TOOLS.values()} == {"initializer", "implementer", "modifier", "finisher"}
    assert all(t.nominal_cost_s >= 0 and len(t.description) > 30 for t in TOOLS.values())
