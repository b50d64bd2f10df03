"""Out-of-bounds, support and ray casts against hand-built scenes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scene_fixtures import with_object as put

from scene_gym.actions import edit
from scene_gym.assets import build_asset, get_factory
from scene_gym.errors import SceneGymError
from scene_gym.physics import out_of_bounds, unsupported
from scene_gym.scene import Opening, Room, Scene

TABLE = (1.6, 0.9, 0.75)


# --- out of bounds ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("past", "oob"), [(0.20, True), (0.05, True), (0.005, False), (-0.01, False)])
def test_table_past_the_wall(world, past, oob):
    scene = Scene(Room.rectangle(5.0, 4.0))
    scene = put(scene, "dining_table", 5.0 - TABLE[0] / 2 + past, 2.0, size=TABLE)  # east edge `past` beyond x = 5
    world.sync(scene)
    assert world.out_of_bounds() == (["dining_table_1"] if oob else [])
    assert out_of_bounds(scene.objects, scene.room) == world.out_of_bounds()


def test_rotated_footprint_is_used(world):
    scene = Scene(Room.rectangle(5.0, 4.0))
    # Axis-aligned, the table would end 5 cm from the wall; turned 45 degrees its corner reaches 3 cm past it.
    scene = put(scene, "dining_table", 5.0 - TABLE[0] / 2 - 0.05, 2.0, size=TABLE)
    scene = put(scene, "dining_table", 5.0 - TABLE[0] / 2 - 0.05, 1.0, size=TABLE, yaw=math.pi / 4)
    world.sync(scene)
    assert world.out_of_bounds() == ["dining_table_2"]


def test_sofa_across_the_notch_of_an_l_room(world):
    room = Room.l_shape(6.0, 6.0, 3.0, 3.0)  # notch x > 3, y > 3
    scene = Scene(room)
    # Diagonal across the inner corner (3, 3): every corner is on the floor, the middle is in the notch.
    scene = put(scene, "dining_table", 3.1, 3.1, size=(2.4, 0.9, 0.75), yaw=-math.pi / 4)
    scene = put(scene, "dining_table", 1.5, 1.5, size=TABLE)
    world.sync(scene)
    footprint = world.placed("dining_table_1").footprint
    assert room.contains(footprint).all()
    assert world.out_of_bounds() == ["dining_table_1"]


def test_objects_above_the_ceiling_or_below_the_floor_are_out(world):
    scene = Scene(Room.rectangle(5.0, 4.0, wall_height=2.0))
    scene = put(scene, "wardrobe", 1.0, 1.0, size=(1.2, 0.6, 2.2))
    scene = put(scene, "dresser", 3.0, 1.0, -0.05)
    scene = put(scene, "dresser", 3.0, 3.0, -0.005)
    world.sync(scene)
    assert world.out_of_bounds() == ["wardrobe_1", "dresser_1"]


def test_wall_objects_against_their_wall_are_in_bounds(world):
    room = Room.rectangle(4.0, 4.0)
    scene = Scene(room)
    depth = get_factory("painting").default_size[1]
    scene = put(scene, "painting", 2.0, depth / 2, 1.2, parent="wall")  # back on wall 0 (y = 0), facing north
    scene = put(scene, "painting", 2.0, -0.05, 1.2, parent="wall")  # through the wall
    world.sync(scene)
    assert world.out_of_bounds() == ["painting_2"]
    assert "painting_1" not in world.support()


# --- support ----------------------------------------------------------------------------------------------
def test_support_on_floor_table_and_walls(world):
    room = Room.rectangle(5.0, 4.0, wall_height=2.8)
    scene = Scene(room)
    scene = put(scene, "dining_table", 2.0, 2.0, size=TABLE)
    scene = put(scene, "dining_table", 2.0, 3.5, 0.05, size=TABLE)  # floats 5 cm
    scene = put(scene, "bowl", 2.0, 2.0, 0.75, parent="dining_table_1")  # resting
    scene = put(scene, "bowl", 2.3, 2.1, 0.755, parent="dining_table_1")  # 5 mm above: within 1 cm
    scene = put(scene, "bowl", 1.7, 2.0, 0.80, parent="dining_table_1")  # floats 5 cm
    scene = put(scene, "bowl", 3.2, 2.0, 0.75, parent="dining_table_1")  # beside the table, at its height
    scene = put(scene, "painting", 1.0, 0.015, 1.2, parent="wall")
    scene = put(scene, "painting", 1.0, 1.0, 1.2, parent="wall")  # in the middle of the room
    h = get_factory("ceiling_light").default_size[2]
    scene = put(scene, "ceiling_light", 2.0, 2.0, 2.8 - h, parent="ceiling")
    scene = put(scene, "ceiling_light", 3.0, 2.0, 2.5 - h, parent="ceiling")
    world.sync(scene)
    assert world.support() == ["dining_table_2", "bowl_3", "bowl_4", "painting_2", "ceiling_light_2"]
    assert unsupported(scene.objects, room) == world.support()


def test_centre_of_mass_over_the_edge_is_unsupported(world):
    scene = Scene(Room.rectangle(5.0, 4.0))
    scene = put(scene, "dining_table", 2.0, 2.0, size=TABLE)
    top = next(s for s in build_asset("dining_table", TABLE).surfaces if s.name == "top")
    edge = 2.0 + top.size[0] / 2
    scene = put(scene, "bowl", edge - 0.01, 2.0, 0.75, parent="dining_table_1")
    scene = put(scene, "bowl", edge + 0.05, 2.0, 0.75, parent="dining_table_1")  # centre past the edge of the top
    world.sync(scene)
    assert world.support() == ["bowl_2"]


def test_support_surfaces_move_with_the_parent_and_its_drawers(world):
    scene = Scene(Room.rectangle(5.0, 4.0))
    scene = put(scene, "dresser", 2.5, 2.0, yaw=math.pi / 2)  # faces west (-x)
    dresser = scene.get("dresser_1")
    asset = build_asset("dresser", dresser.size)
    inside = next(s for s in asset.surfaces if s.name == "drawer_0_inside")
    travel = asset.joint("drawer_0_slide").limits[1]
    edit.set_joints(scene, "dresser_1", {"drawer_0_slide": travel})
    # Drawer opened along the dresser's front (-x in the room): its floor moved by `travel`.
    x = 2.5 - (inside.center[1] + travel)
    scene = put(scene, "bowl", x, 2.0, inside.center[2], parent="dresser_1")
    scene = put(scene, "bowl", 2.5 - inside.center[1], 2.0, inside.center[2], parent="dresser_1")  # where it was closed
    top = next(s for s in asset.surfaces if s.name == "top")
    scene = put(scene, "bowl", 2.5, 2.0, top.center[2], parent="dresser_1")
    world.sync(scene)
    assert world.support() == ["bowl_2"]


def test_l_shaped_floor_supports_only_inside(world):
    scene = Scene(Room.l_shape(6.0, 6.0, 3.0, 3.0))
    scene = put(scene, "dresser", 1.0, 1.0)
    scene = put(scene, "dresser", 4.5, 4.5)  # in the notch: no floor under it
    world.sync(scene)
    assert world.support() == ["dresser_2"]


# --- rays -------------------------------------------------------------------------------------------------
def test_rays_hit_objects_floor_walls_and_ceiling(world):
    room = Room.rectangle(5.0, 4.0, wall_height=2.5, openings=(
        Opening(id="door_1", kind="door", wall=0, offset=1.0, width=0.9, height=2.0),
        Opening(id="window_1", kind="window", wall=1, offset=2.0, width=1.0, height=1.0, sill=1.0)))  # fmt: skip
    scene = Scene(room)
    scene = put(scene, "dining_table", 2.5, 2.0, size=TABLE)
    scene = put(scene, "bowl", 2.5, 2.0, 0.75, parent="dining_table_1", size=(0.2, 0.2, 0.08))
    world.sync(scene)
    origins = [(2.5, 2.0, 2.0), (2.0, 2.0, 2.0), (4.0, 3.5, 1.0), (2.0, 2.0, 1.0), (4.0, 0.5, 0.5),
               (1.0, 2.0, 1.0), (4.0, 2.0, 1.5), (4.0, 2.0, 0.5)]  # fmt: skip
    directions = [(0, 0, -1), (0, 0, -1), (0, 0, -1), (0, 0, 1), (0, -1, 0), (0, -1, 0), (1, 0, 0), (1, 0, 0)]
    hits = world.ray_cast(origins, directions, max_dist=10.0)
    labels = [h.object_id for h in hits]
    assert labels == ["bowl_1", "dining_table_1", "floor", "ceiling", "wall", None, None, "wall"]
    assert hits[1].point[2] == pytest.approx(0.75, abs=1e-4)
    assert hits[1].distance == pytest.approx(1.25, abs=1e-4)
    assert hits[0].point[2] > 0.75 and hits[0].normal[2] > 0.5
    assert hits[2].point[2] == pytest.approx(0.0, abs=1e-4) and hits[2].normal[2] == pytest.approx(1.0)
    assert hits[3].point[2] == pytest.approx(2.5, abs=1e-4)
    assert hits[4].wall == 0 and hits[4].point[1] == pytest.approx(0.0, abs=1e-4)
    assert hits[7].wall == 1 and hits[7].point[0] == pytest.approx(5.0, abs=1e-4)
    assert hits[5].distance == math.inf and not hits[5].hit  # out through the door
    assert not hits[6].hit  # out through the window


def test_ray_batches_larger_than_pybullets_limit(world):
    scene = Scene(Room.rectangle(5.0, 4.0))
    scene = put(scene, "dining_table", 2.5, 2.0, size=TABLE)
    world.sync(scene)
    rng = np.random.default_rng(0)
    origins = np.column_stack([rng.uniform(1.8, 3.2, 20_000), rng.uniform(1.65, 2.35, 20_000), np.full(20_000, 2.0)])
    hits = world.ray_cast(origins, (0.0, 0.0, -1.0))
    assert len(hits) == 20_000
    assert all(h.object_id == "dining_table_1" for h in hits)
    assert np.allclose([h.point[2] for h in hits], 0.75, atol=1e-4)


@pytest.mark.parametrize(("origins", "directions", "match"), [
    ([[0, 0, 1]], [[0, 0, 0]], "non-zero"),
    ([[0, 0, float("nan")]], [[0, 0, 1]], "finite"),
    ([[0, 0]], [[0, 0, 1]], r"\(N, 3\)"),
    ([[0, 0, 1], [1, 1, 1]], [[0, 0, 1], [0, 1, 0], [1, 0, 0]], "as many"),
])  # fmt: skip
def test_bad_rays_are_refused(world, origins, directions, match):
    world.sync(Scene(Room.rectangle(3.0, 3.0)))
    with pytest.raises(SceneGymError, match=match):
        world.ray_cast(origins, directions)
