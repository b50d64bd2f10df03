"""The edit core: every operation changes the scene as documented, fails with an EditError naming the argument and
leaves the scene JSON byte-identical, carries what rests on an object, and is the one path of both front-ends."""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
import pytest
from pydantic import Field

from scene_gym.actions import edit
from scene_gym.actions.dsl import StatementResult, apply_program, note_collisions, parse_program
from scene_gym.actions.tools import TOOLS, Tool, ToolError, apply_tool, validate_call
from scene_gym.actions.tools.base import Args, ObjectId, Outcome, Text
from scene_gym.assets import get_factory
from scene_gym.errors import EditError
from scene_gym.layout import Relation, satisfaction
from scene_gym.physics import PhysicsWorld
from scene_gym.samples import bedroom_scene
from scene_gym.scene import Room, Scene


@pytest.fixture
def room() -> Scene:
    return Scene(Room.rectangle(4.0, 5.0, type="living room"), prompt="a living room")


@pytest.fixture
def bedroom() -> Scene:
    return bedroom_scene()


def local(parent, child) -> np.ndarray:
    """(3,) position of ``child`` in ``parent``'s frame."""
    return (np.linalg.inv(parent.transform()) @ np.array([*child.position, 1.0]))[:3]


def dsl(scene, text, seed=0):
    return apply_program(scene, parse_program(text), rng=np.random.default_rng(seed))


def tool(scene, name, seed=0, **args):
    return apply_tool(scene, validate_call({"tool": name, "args": args}), rng=np.random.default_rng(seed))


# --- adding -------------------------------------------------------------------------------------------------------
def test_add_object_uses_the_category_defaults_and_the_next_id(room):
    f = get_factory("sofa")
    a = edit.add_object(room, "sofa", position=(2.0, 1.0, 0.0))
    b = edit.add_object(room, "sofa", position=(2.0, 3.0, 0.0), yaw=math.pi / 2, size=(1.6, 0.9, 0.8),
                        material="grey fabric")  # fmt: skip
    assert (a.id, a.size, a.material, a.parent, a.yaw) == ("sofa_1", f.default_size, f.default_material, "floor", 0.0)
    assert (b.id, b.size, b.material, b.yaw) == ("sofa_2", (1.6, 0.9, 0.8), "grey fabric", pytest.approx(math.pi / 2))
    assert [o.id for o in room.objects] == ["sofa_1", "sofa_2"] and room.get("sofa_2") == b


@pytest.mark.parametrize(("kwargs", "field", "fragment"), [
    ({"category": "spaceship"}, "category", "unknown category 'spaceship'"),
    ({"category": "couch"}, "category", "unknown category 'couch'"),  # exact names only; resolve_category maps synonyms
    ({"size": (9.0, 0.9, 0.8)}, "size", "expected width in [1.2, 3.2] m, got 9.0"),
    ({"size": (1.6, 0.9)}, "size", "expected 3 numbers"),
    ({"material": "qwzx"}, "material", "material description"),
    ({"parent": "ghost_1"}, "parent", "unknown object id 'ghost_1'"),
    ({"position": (9.0, 1.0, 0.0)}, "position", "would leave the room by"),
    ({"position": (2.0, float("nan"), 0.0)}, "position", "finite"),
    ({"position": (2.0, 1.0, 2.5)}, "position", "would leave the room"),  # through the ceiling
    ({"yaw": float("inf")}, "yaw", "finite angle"),
])  # fmt: skip
def test_add_object_refuses_bad_input_and_changes_nothing(room, kwargs, field, fragment):
    edit.add_object(room, "sofa", position=(2.0, 1.0, 0.0))
    before = room.to_json()
    args = {"category": "sofa", "position": (2.0, 3.0, 0.0), **kwargs}
    with pytest.raises(EditError) as err:
        edit.add_object(room, args.pop("category"), **args)
    assert err.value.field == field and fragment in str(err.value)
    assert room.to_json() == before


def test_place_on_puts_the_object_on_the_parents_surface_turned_as_it(bedroom):
    desk = bedroom.get("desk_1")
    mug = edit.place_on(bedroom, "mug", "desk_1", at=(1.0, -1.0))
    assert mug.parent == "desk_1" and mug.yaw == desk.yaw
    assert mug.position[2] == pytest.approx(desk.top, abs=0.02)
    assert local(desk, mug)[0] > 0.3 and local(desk, mug)[1] < 0.0
    before = bedroom.to_json()
    with pytest.raises(EditError) as err:
        edit.place_on(bedroom, "mug", "desk_1", size=(0.9, 0.9, 0.9))
    assert err.value.field == "size"
    with pytest.raises(EditError) as err:
        edit.place_on(bedroom, "mug", "desk_1", at=(2.0, 0.0))
    assert err.value.field == "at"
    assert bedroom.to_json() == before


# --- carrying -----------------------------------------------------------------------------------------------------
def test_move_carries_the_load_rigidly(bedroom):
    stand, lamp = bedroom.get("nightstand_1"), bedroom.get("table_lamp_1")
    moved = edit.move_object(bedroom, "nightstand_1", by=(0.3, -0.2))
    assert moved == ["nightstand_1", "table_lamp_1"]
    new_stand, new_lamp = bedroom.get("nightstand_1"), bedroom.get("table_lamp_1")
    assert new_stand.position == pytest.approx((1.25, 4.35, 0.0))
    np.testing.assert_allclose(local(new_stand, new_lamp), local(stand, lamp), atol=1e-6)
    assert new_lamp.yaw == lamp.yaw
    edit.move_object(bedroom, "nightstand_1", to=(1.0, 2.5, 0.1))
    assert bedroom.get("table_lamp_1").position[2] == pytest.approx(lamp.position[2] + 0.1)


def test_turn_carries_the_load_about_the_objects_axis(bedroom):
    desk = bedroom.get("desk_1")
    kids = {o.id: local(desk, o) for o in bedroom.children("desk_1")}
    yaws = {o.id: o.yaw for o in bedroom.children("desk_1")}
    turned = edit.turn_object(bedroom, "desk_1", math.pi / 2)
    assert turned == ["desk_1", "book_1", "laptop_1"]
    new = bedroom.get("desk_1")
    assert new.position == desk.position and new.yaw == pytest.approx(math.pi / 2)
    for oid, offset in kids.items():
        np.testing.assert_allclose(local(new, bedroom.get(oid)), offset, atol=1e-6)
        assert math.cos(bedroom.get(oid).yaw - yaws[oid] - math.pi / 2) == pytest.approx(1.0)


def test_resize_keeps_the_load_on_its_surface_with_scaled_offsets(bedroom):
    desk = bedroom.get("desk_1")
    top0 = next(s for s in edit.asset_of(desk).surfaces if s.name == "top")
    offsets = {o.id: local(desk, o) for o in bedroom.children("desk_1")}
    changed = edit.resize_object(bedroom, "desk_1", size=(1.6, 0.6, 0.78))
    assert changed == ["desk_1", "book_1", "laptop_1"]
    new = bedroom.get("desk_1")
    top1 = next(s for s in edit.asset_of(new).surfaces if s.name == "top")
    ratio = top1.size[0] / top0.size[0]
    assert ratio > 1.3
    for oid, before in offsets.items():
        after = local(new, bedroom.get(oid))
        assert after[0] == pytest.approx(top1.center[0] + (before[0] - top0.center[0]) * ratio, abs=1e-6)
        assert after[2] == pytest.approx(new.size[2], abs=1e-6)  # on the new, higher top
    edit.resize_object(bedroom, "nightstand_1", scale=1.1)
    assert bedroom.get("table_lamp_1").position[2] == pytest.approx(bedroom.get("nightstand_1").top, abs=1e-6)


def test_a_wall_object_keeps_its_back_on_the_wall_and_cannot_turn(room):
    w, d, h = get_factory("painting").default_size
    x, y, yaw = edit.snap_to_wall(room.room, "south", (2.0, 0.0), w, d)
    painting = edit.add_object(room, "painting", position=(x, y, 1.2), yaw=yaw, parent="wall")
    edit.resize_object(room, painting.id, size=(w, d * 2, h))
    p = room.get(painting.id)
    assert p.position[1] - p.size[1] / 2 == pytest.approx(painting.position[1] - d / 2, abs=1e-6)
    before = room.to_json()
    with pytest.raises(EditError, match="hangs on a wall") as err:
        edit.turn_object(room, painting.id, 0.3)
    assert err.value.field == "id" and room.to_json() == before


@pytest.mark.parametrize(("op", "field"), [
    (lambda s: edit.move_object(s, "ghost_1", by=(1, 0)), "id"),
    (lambda s: edit.move_object(s, "desk_1"), "to"),
    (lambda s: edit.move_object(s, "desk_1", to=(1, 1), by=(1, 1)), "to"),
    (lambda s: edit.move_object(s, "desk_1", by=(float("nan"), 0)), "by"),
    (lambda s: edit.move_object(s, "book_1", to=(3.5, 3.0)), "to"),  # off its desk
    (lambda s: edit.turn_object(s, "desk_1", "north"), "yaw"),
    (lambda s: edit.resize_object(s, "desk_1", size=(5.0, 0.6, 0.75)), "size"),
    (lambda s: edit.resize_object(s, "desk_1", scale=-1.0), "scale"),
    (lambda s: edit.resize_object(s, "desk_1", scale=3.0), "scale"),
    (lambda s: edit.resize_object(s, "desk_1", size=(1.2, 0.6, 0.75), scale=1.0), "size"),
    (lambda s: edit.remove_objects(s, ["desk_1", "ghost_1"]), "ids[1]"),
    (lambda s: edit.remove_objects(s, "desk_1"), "ids"),
    (lambda s: edit.set_material(s, "desk_1", "qwzx"), "material"),
    (lambda s: edit.set_joints(s, "dresser_1", {"no_such_joint": 0.1}), "joints"),
    (lambda s: edit.add_light(s, kind="laser"), "kind"),
    (lambda s: edit.add_light(s, colour=(1, 0, 0)), "colour"),
    (lambda s: edit.update_light(s, "light_9", intensity=3), "id"),
    (lambda s: edit.update_light(s, "light_1", color=(2, 0, 0)), "color"),
    (lambda s: edit.remove_light(s, "light_9"), "id"),
    (lambda s: edit.set_prompt(s, 42), "prompt"),
    (lambda s: edit.replace_room(s, "a big room"), "room"),
    (lambda s: edit.relate(s, {"relation": "hovering", "subject": "desk_1"}, rng=np.random.default_rng(0)), "relation"),
    (lambda s: edit.relate(s, {"relation": "near", "subject": "desk_1", "target": "ghost_1"},
                           rng=np.random.default_rng(0)), "relation"),
    (lambda s: edit.relate(s, {"relation": "near", "subject": "desk_1", "target": "bed_1"}, move=["ghost_2"],
                           rng=np.random.default_rng(0)), "move[0]"),
])  # fmt: skip
def test_every_edit_refuses_bad_input_naming_the_argument_and_changes_nothing(bedroom, op, field):
    edit.record_relations(bedroom, [{"relation": "near", "subject": "desk_1", "target": "bed_1"}])
    before = bedroom.to_json()
    with pytest.raises(EditError) as err:
        op(bedroom)
    assert err.value.field == field, str(err.value)
    assert bedroom.to_json() == before


# --- removing, materials, joints, lights, the room ----------------------------------------------------------------
def test_remove_objects_cascades_and_forgets_relations(bedroom):
    edit.record_relations(bedroom, [Relation.from_dict({"relation": "next_to", "subject": "nightstand_1",
                                                        "target": "bed_1"}),
                                    Relation.from_dict({"relation": "against_wall", "subject": "wardrobe_1"})])  # fmt: skip
    gone = edit.remove_objects(bedroom, ["bed_1", "nightstand_1"])
    assert gone == ["bed_1", "nightstand_1", "table_lamp_1"]
    assert not set(gone) & {o.id for o in bedroom.objects}
    assert [r["subject"] for r in edit.recorded_relations(bedroom)] == ["wardrobe_1"]
    edit.remove_objects(bedroom, ["wardrobe_1"])
    assert edit.RELATIONS_KEY not in bedroom.metadata


def test_materials_joints_lights_prompt_and_room(bedroom):
    assert edit.set_material(bedroom, "desk_1", "red velvet").material == "red velvet"
    joint = next(j for j in edit.asset_of(bedroom.get("dresser_1")).joints if j.kind == "prismatic")
    assert edit.set_joints(bedroom, "dresser_1", {joint.name: 0.1}).joints == {joint.name: 0.1}
    light = edit.add_light(bedroom, kind="point", intensity=50.0)
    assert light.id == "light_3" and light.position[2] == pytest.approx(bedroom.room.wall_height - 0.1)
    edit.update_light(bedroom, "light_1", color=(1.0, 0.5, 0.2))
    assert [lt.id for lt in bedroom.lights] == ["light_1", "light_2", "light_3"]
    assert bedroom.lights[0].color == (1.0, 0.5, 0.2) and bedroom.lights[0].intensity == 300.0
    edit.remove_light(bedroom, "light_2")
    edit.set_prompt(bedroom, "a study")
    assert bedroom.prompt == "a study" and [lt.id for lt in bedroom.lights] == ["light_1", "light_3"]
    removed, dropped = edit.replace_room(bedroom, Room.rectangle(3.0, 3.0, wall_height=2.5, type="office"))
    assert len(removed) == 15 and len(bedroom) == 0 and dropped == ["light_1", "light_3"]
    assert bedroom.room.type == "office"


def test_relate_re_places_the_subject_and_records_the_relation(room):
    edit.add_object(room, "desk", position=(2.0, 0.4, 0.0))
    edit.add_object(room, "office_chair", position=(0.5, 4.0, 0.0))
    desk = room.get("desk_1")
    rel = {"relation": "in_front_of", "subject": "office_chair_1", "target": "desk_1"}
    done = edit.relate(room, rel, rng=np.random.default_rng(0))
    assert done.before < 0.9 <= done.after == pytest.approx(satisfaction(done.relation, room))
    assert room.get("desk_1") == desk
    assert edit.recorded_relations(room) == [Relation.from_dict(rel).to_dict()]
    again = edit.relate(room, rel, rng=np.random.default_rng(1))
    assert again.result is None and len(edit.recorded_relations(room)) == 1  # already holds: nothing moves


# --- one core, two front-ends -------------------------------------------------------------------------------------
def test_dsl_and_tools_move_the_same_way(bedroom):
    a, b = bedroom, bedroom.copy()
    assert all(r.ok for r in dsl(a, 'move("bed_1", to=(2, 2))\nmove("nightstand_1", to=(1.5, 2.6))'))
    tool(b, "update_layout", objects=[{"id": "bed_1", "position": [2, 2]}, {"id": "nightstand_1", "position": [1.5, 2.6]}])
    assert a.to_json() == b.to_json()
    assert a.get("table_lamp_1").position[:2] == pytest.approx((1.5, 2.6 + 0.0105))


def test_dsl_and_tools_rotate_the_same_way(bedroom):
    a, b = bedroom, bedroom.copy()
    dsl(a, 'move("desk_1", to=(2.1, 2.3))')
    tool(b, "update_layout", objects=[{"id": "desk_1", "position": [2.1, 2.3]}])
    (r,) = dsl(a, 'rotate("desk_1", yaw=90)')
    assert r.ok and set(r.changed_ids) == {"desk_1", "book_1", "laptop_1"}
    res = tool(b, "update_rotation", id="desk_1", yaw_deg=90)
    assert set(res.changed_ids) == set(r.changed_ids)
    assert a.to_json() == b.to_json()


def test_dsl_and_tools_remove_the_same_way_and_forget_relations(bedroom):
    rels = [{"relation": "next_to", "subject": "nightstand_1", "target": "bed_1"},
            {"relation": "against_wall", "subject": "wardrobe_1"}]  # fmt: skip
    edit.record_relations(bedroom, [Relation.from_dict(r) for r in rels])
    a, b = bedroom, bedroom.copy()
    (r,) = dsl(a, 'remove("nightstand_1")')
    res = tool(b, "remove_objects", ids=["nightstand_1"])
    assert r.changed_ids == ("nightstand_1", "table_lamp_1") and res.changed_ids == list(r.changed_ids)
    assert a.to_json() == b.to_json()
    assert [d["subject"] for d in edit.recorded_relations(a)] == ["wardrobe_1"]


def test_an_edit_core_operation_is_one_thin_tool_away(monkeypatch, bedroom):
    """set_material exists only in the edit core; a tool exposing it is an argument model and one call."""

    class SetMaterialArgs(Args):
        id: ObjectId
        material: Text = Field(max_length=128)

    def run(ctx, args):
        obj = edit.set_material(ctx.scene, args.id, args.material)
        return Outcome(True, f"{obj.id} is now {obj.material!r}")

    monkeypatch.setitem(TOOLS, "set_material", Tool("set_material", "Change an object's material description.",
                                                    "modifier", SetMaterialArgs, 0.5, run))  # fmt: skip
    a, b = bedroom, bedroom.copy()
    tool(a, "set_material", id="desk_1", material="oak wood")
    dsl(b, 'set_material("desk_1", "oak wood")')
    assert a.to_json() == b.to_json() and a.get("desk_1").material == "oak wood"
    before = a.to_json()
    with pytest.raises(ToolError) as err:
        tool(a, "set_material", id="desk_1", material="qwzx")
    assert err.value.field == "args.material" and a.to_json() == before


# --- collisions noted after one sync ------------------------------------------------------------------------------
Hit = namedtuple("Hit", "a b depth")


def test_note_collisions_notes_only_the_statements_that_touched_a_colliding_object():
    results = [StatementResult(0, "add", 'add("sofa")', True, "added sofa_1", ("sofa_1",)),
               StatementResult(1, "add", 'add("lamp")', True, "added floor_lamp_1", ("floor_lamp_1",)),
               StatementResult(2, "move", 'move("x_1")', False, "unknown object id 'x_1'"),
               StatementResult(3, "add", 'add("table")', True, "added coffee_table_1", ("coffee_table_1",))]  # fmt: skip
    noted = note_collisions(results, [Hit("coffee_table_1", "sofa_1", 0.123)])
    assert noted[0].message == "added sofa_1; note: coffee_table_1 and sofa_1 overlap by 12 cm"
    assert noted[3].message == "added coffee_table_1; note: coffee_table_1 and sofa_1 overlap by 12 cm"
    assert noted[1] is results[1] and noted[2] is results[2]
    assert note_collisions(results, []) == results


def test_apply_program_syncs_a_given_world_once(room):
    class CountingWorld(PhysicsWorld):
        syncs = 0

        def sync(self, scene):
            CountingWorld.syncs += 1
            return super().sync(scene)

    with CountingWorld() as world:
        results = apply_program(room, parse_program('add("sofa", at=(2, 2))\nadd("coffee_table", at=(2, 2.2))\n'
                                                    'add("armchair", at=(0.6, 4.2))'),
                                rng=np.random.default_rng(0), world=world)  # fmt: skip
    assert CountingWorld.syncs == 1
    assert "overlap by" in results[0].message and "overlap by" in results[1].message
    assert "overlap" not in results[2].message


def test_scene_has_no_mutating_methods_and_read_only_fields(room):
    for name in ("add", "update", "remove", "new_object", "add_light", "remove_light"):
        assert not hasattr(room, name)
    with pytest.raises(AttributeError):
        room.prompt = "a kitchen"
    with pytest.raises(TypeError):
        room.metadata["relations"] = []
