"""evaluate(): counts, pairs, percentages and Q_phy on hand-built scenes; NAV, ACC and OPC cases."""

from __future__ import annotations

import json
import math

import pytest
from scene_fixtures import with_object as put

from scene_gym.actions import edit
from scene_gym.assets import factories
from scene_gym.assets.catalog import refresh
from scene_gym.assets.factory import AssetFactory, register, unregister
from scene_gym.metrics import evaluate
from scene_gym.physics import PhysicsWorld
from scene_gym.samples import grid_scene
from scene_gym.scene import Opening, Room, Scene

TABLE = (1.6, 0.9, 0.75)
REQUIRED = {"n_obj", "n_oob", "n_collisions", "collisions", "unsupported", "nav", "acc", "opc", "q_phy",
            "collision_free_pct", "in_boundary_pct"}  # fmt: skip


@pytest.fixture
def door_category():
    """The catalog's ``interior_door`` or, while it has none, a temporary one."""
    if "interior_door" in factories():
        yield "interior_door"
        return

    class _Door(AssetFactory):
        category = "interior_door"
        size_range = ((0.6, 0.03, 1.8), (1.2, 0.08, 2.4))
        default_size = (0.9, 0.04, 2.0)

        def build(self, b, params):
            b.box("leaf", (0, 0, b.h / 2), (b.w, b.d, b.h))

    register(_Door)
    refresh()
    yield "interior_door"
    unregister("interior_door")
    refresh()


def test_known_problems_are_counted():
    scene = Scene(Room.rectangle(6.0, 5.0))
    scene = put(scene, "dining_table", 1.5, 1.5, size=TABLE)
    scene = put(scene, "dining_table", 2.0 + TABLE[0] - 0.6, 1.5, size=TABLE)  # overlaps table 1 by 10 cm
    scene = put(scene, "dresser", 6.0 - 0.3, 4.0)  # 20 cm through the east wall
    scene = put(scene, "bowl", 1.5, 1.5, 0.80, parent="dining_table_1")  # floats 5 cm
    scene = put(scene, "bowl", 1.2, 1.5, 0.75, parent="dining_table_1")  # fine
    scene = put(scene, "rug", 1.8, 1.5, size=(3.0, 2.0, 0.01))  # under both tables: not a collision
    m = evaluate(scene)
    d = m.to_dict()
    assert REQUIRED <= set(d)
    assert json.loads(json.dumps(d)) == d
    assert m.n_obj == 5
    assert m.collisions == [["dining_table_1", "dining_table_2"]] and m.n_collisions == 1
    assert m.oob == ["dresser_1"] and m.n_oob == 1
    assert m.unsupported == ["bowl_1"]
    assert m.q_phy == 5 - 4 * (1 + 1)
    assert m.collision_free_pct == pytest.approx(100 * 3 / 5)
    assert m.in_boundary_pct == pytest.approx(100 * 4 / 5)


def test_empty_scene():
    m = evaluate(Scene(Room.rectangle(4.0, 4.0)))
    assert (m.n_obj, m.n_collisions, m.n_oob, m.q_phy) == (0, 0, 0, 0)
    assert (m.nav, m.acc, m.opc, m.collision_free_pct, m.in_boundary_pct) == (1.0, 1.0, 1.0, 100.0, 100.0)


def test_doors_and_thin_coverings_are_not_counted(door_category):
    scene = Scene(Room.rectangle(5.0, 5.0))
    scene = put(scene, "dresser", 2.5, 2.5)
    scene = put(scene, "rug", 2.5, 3.5, size=(2.0, 1.5, 0.01))
    scene = put(scene, door_category, 1.0, 0.02, yaw=0.0)
    m = evaluate(scene)
    assert m.n_obj == 1
    assert m.q_phy == 1


def test_a_world_kept_across_calls_gives_the_same_answer():
    scene = grid_scene(30, seed=3)
    fresh = evaluate(scene).to_dict()
    with PhysicsWorld() as world:
        assert evaluate(scene, world).to_dict() == fresh
        first = scene.objects[0]
        edit.move_object(scene, first.id, by=(0.3, 0.0))
        moved = evaluate(scene, world).to_dict()
        assert moved == evaluate(scene).to_dict()


# --- NAV --------------------------------------------------------------------------------------------------
def wall_of_wardrobes(gap: float) -> Scene:
    """A 6 m x 4 m room cut at x = 3 by wardrobes turned sideways, leaving ``gap`` metres free at the north."""
    scene = Scene(Room.rectangle(6.0, 4.0))
    width = (4.0 - gap) / 2  # two wardrobes, each 1.7 to 2 m wide
    for i in range(2):
        scene = put(scene, "wardrobe", 3.0, width * (i + 0.5), size=(width, 0.6, 2.0), yaw=math.pi / 2)
    return scene


def test_nav_of_an_empty_room_is_one():
    assert evaluate(Scene(Room.rectangle(5.0, 4.0))).nav == 1.0
    assert evaluate(Scene(Room.l_shape(6.0, 6.0, 3.0, 3.0))).nav == 1.0


def test_a_wall_of_furniture_splits_the_room():
    closed = evaluate(wall_of_wardrobes(0.0)).nav
    assert 0.45 < closed < 0.55  # two halves of about the same free area
    assert evaluate(wall_of_wardrobes(0.1)).nav == closed  # a 10 cm gap is too narrow for the robot
    assert evaluate(wall_of_wardrobes(0.6)).nav == 1.0


def test_nav_is_zero_when_no_cell_is_free():
    scene = Scene(Room.rectangle(1.0, 0.6))
    scene = put(scene, "dresser", 0.5, 0.3, size=(1.0, 0.6, 0.8))
    assert evaluate(scene).nav == 0.0


# --- ACC --------------------------------------------------------------------------------------------------
def test_front_against_a_wall_or_furniture_is_inaccessible():
    scene = Scene(Room.rectangle(6.0, 5.0))
    scene = put(scene, "dresser", 1.0, 4.6, yaw=0.0)  # faces the north wall 15 cm away
    scene = put(scene, "dresser", 3.0, 1.0, yaw=0.0)  # faces open floor
    scene = put(scene, "dresser", 5.0, 1.0, yaw=0.0)  # a table 20 cm in front of it
    scene = put(scene, "dining_table", 5.0, 1.0 + 0.25 + 0.2 + 0.45, size=TABLE, yaw=0.0)
    m = evaluate(scene)
    assert m.inaccessible == ["dresser_1", "dresser_3"]
    assert m.acc == pytest.approx(2 / 4)


def test_own_open_drawer_does_not_block_access():
    scene = Scene(Room.rectangle(6.0, 5.0))
    scene = put(scene, "dresser", 3.0, 2.0, joints={"drawer_1_slide": 0.3})
    assert evaluate(scene).acc == 1.0


# --- OPC --------------------------------------------------------------------------------------------------
def room_with_openings() -> Room:
    return Room.rectangle(5.0, 4.0, openings=(
        Opening(id="door_1", kind="door", wall=0, offset=1.0, width=0.9, height=2.0),
        Opening(id="window_1", kind="window", wall=2, offset=2.5, width=1.2, height=1.2, sill=0.9)))  # fmt: skip


def test_opening_clearance():
    assert evaluate(Scene(room_with_openings())).opc == 1.0
    scene = Scene(room_with_openings())
    # Wall 2 runs from (5, 4) to (0, 4): the window is centred at x = 2.5.
    scene = put(scene, "dining_table", 2.5, 4.0 - 0.45, size=TABLE)  # lower than the sill: the window stays clear
    scene = put(scene, "wardrobe", 1.0, 0.4, size=(1.2, 0.6, 2.0))  # in front of the door
    m = evaluate(scene)
    assert m.blocked_openings == ["door_1"] and m.opc == 0.5
    edit.remove_objects(scene, ["dining_table_1"])
    scene = put(scene, "bookshelf", 2.5, 4.0 - 0.16, size=(0.9, 0.32, 1.8), yaw=math.pi)  # taller than the sill
    m = evaluate(scene)
    assert m.blocked_openings == ["door_1", "window_1"] and m.opc == 0.0


def test_furniture_beside_a_door_does_not_block_it():
    scene = Scene(room_with_openings())
    # The door's zone spans x in [0.55, 1.45], y in [0, 0.6].
    scene = put(scene, "wardrobe", 1.45 + 0.6 - 0.005, 0.3, size=(1.2, 0.6, 2.0))  # 5 mm into the zone's edge
    scene = put(scene, "dresser", 1.0, 0.6 + 0.25 + 0.05)  # 5 cm beyond the zone's depth
    assert evaluate(scene).opc == 1.0
    edit.move_object(scene, "dresser_1", to=(1.0, 0.6 + 0.25 - 0.03))  # 3 cm into the zone
    assert evaluate(scene).blocked_openings == ["door_1"]


def test_door_objects_need_clearance_in_front(door_category):
    scene = Scene(Room.rectangle(5.0, 4.0))
    scene = put(scene, door_category, 2.5, 0.02)
    assert evaluate(scene).opc == 1.0
    scene = put(scene, "dresser", 2.5, 0.5)
    assert evaluate(scene).blocked_openings == [f"{door_category}_1"]


def test_chair_tucked_under_a_desk_keeps_both_accessible():
    scene = Scene(Room.rectangle(4.0, 4.0))
    edit.add_object(scene, "desk", position=(2.0, 0.35, 0.0), size=(1.2, 0.6, 0.75))
    edit.add_object(scene, "office_chair", position=(2.0, 0.95, 0.0), yaw=math.pi, size=(0.6, 0.6, 1.0))
    edit.add_object(scene, "dresser", position=(2.0, 1.6, 0.0), yaw=math.pi, size=(1.0, 0.5, 0.85))
    m = evaluate(scene)
    # The chair is pulled out in use, so it blocks no one; the dresser's front faces the chair's back and is
    # therefore free too, but a wardrobe pushed against the desk's front would not be.
    assert m.acc == 1.0 and m.inaccessible == []
    edit.remove_objects(scene, ["office_chair_1"])
    edit.add_object(scene, "wardrobe", position=(2.0, 1.0, 0.0), yaw=math.pi, size=(1.2, 0.55, 2.0))
    assert "desk_1" in evaluate(scene).inaccessible
