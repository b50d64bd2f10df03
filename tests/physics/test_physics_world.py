"""PhysicsWorld: collisions with depths, the support exemption, incremental sync, client isolation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scene_fixtures import with_object as put

from scene_gym.actions import edit
from scene_gym.assets import build_asset
from scene_gym.errors import SceneGymError
from scene_gym.physics import PhysicsWorld
from scene_gym.scene import Room, Scene

TABLE = (1.6, 0.9, 0.75)


def table_scene(dx: float, dy: float = 0.0, dz: float = 0.0) -> Scene:
    """Two dining tables side by side along x; the second is shifted by (dx, dy, dz) from touching."""
    scene = Scene(Room.rectangle(8.0, 6.0))
    scene = put(scene, "dining_table", 2.0, 3.0, 0.0, size=TABLE)
    scene = put(scene, "dining_table", 2.0 + TABLE[0] + dx, 3.0 + dy, dz, size=TABLE)
    return scene


def box_parts_depth(scene: Scene, a: str, b: str) -> float:
    """Deepest overlap of two yaw-0 objects made of axis-aligned box parts (independent of pybullet)."""
    boxes = {}
    for oid in (a, b):
        obj = scene.get(oid)
        asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material)
        assert obj.yaw == 0.0 and all(p.shape == "box" and p.rpy == (0, 0, 0) for p in asset.parts)
        pos = np.asarray(obj.position)
        boxes[oid] = [(pos + p.position - np.asarray(p.size) / 2, pos + p.position + np.asarray(p.size) / 2)
                      for p in asset.parts]  # fmt: skip
    best = 0.0
    for (alo, ahi), (blo, bhi) in itertools.product(boxes[a], boxes[b]):
        overlap = np.minimum(ahi, bhi) - np.maximum(alo, blo)
        best = max(best, float(overlap.min()))
    return best


def test_overlapping_tables_make_one_pair_with_the_deepest_part_overlap(world):
    scene = table_scene(-0.10)
    world.sync(scene)
    hits = world.collisions()
    assert [(c.a, c.b) for c in hits] == [("dining_table_1", "dining_table_2")]
    expected = box_parts_depth(scene, "dining_table_1", "dining_table_2")
    # Tops overlap 10 cm along x but are only 3 cm thick: the depth is the deepest *part* penetration.
    assert expected > 0.02
    assert hits[0].depth == pytest.approx(expected, abs=1e-4)


def test_overlapping_bowls_report_the_overlap_as_depth(world):
    scene = Scene(Room.rectangle(4.0, 4.0))
    scene = put(scene, "bowl", 1.0, 1.0, 0.0, size=(0.3, 0.3, 0.1))
    scene = put(scene, "bowl", 1.2, 1.0, 0.0, size=(0.3, 0.3, 0.1))
    world.sync(scene)
    (hit,) = world.collisions()
    # Two solid hulls 0.3 m wide whose centres are 0.2 m apart: sliding one 0.1 m sideways separates them,
    # and their sloped sides let a tilted direction do it with a little less.
    assert 0.07 < hit.depth <= 0.1 + 1e-4


@pytest.mark.parametrize("dx", [0.0, 0.0005, -0.0005, 0.01])
def test_touching_or_barely_overlapping_tables_do_not_collide(world, dx):
    world.sync(table_scene(dx))
    assert world.collisions() == []


def test_min_depth_filters_pairs(world):
    world.sync(table_scene(-0.004))
    (hit,) = world.collisions()
    assert hit.depth == pytest.approx(0.004, abs=1e-5)
    assert world.collisions(min_depth=0.005) == []
    assert len(world.collisions(min_depth=0.0)) == 1


def test_thin_coverings_never_collide(world):
    scene = table_scene(0.5)
    scene = put(scene, "rug", 2.8, 3.0, 0.0, size=(2.0, 1.5, 0.01))
    world.sync(scene)
    assert world.collisions(min_depth=0.0) == []


def test_resting_child_is_support_not_collision(world):
    scene = table_scene(1.0)
    scene = put(scene, "bowl", 2.0, 3.0, 0.75, parent="dining_table_1")
    scene = put(scene, "bowl", 2.4, 3.0, 0.745, parent="dining_table_1")  # sunk 5 mm: still resting
    scene = put(scene, "bowl", 1.6, 3.0, 0.72, parent="dining_table_1")  # sunk 3 cm: collides
    scene = put(scene, "bowl", 5.0, 3.0, 0.745)  # sunk 5 mm into a table that is not its parent
    world.sync(scene)
    pairs = {(c.a, c.b) for c in world.collisions()}
    assert pairs == {("bowl_3", "dining_table_1"), ("bowl_4", "dining_table_2")}


def test_child_pushed_sideways_into_its_parent_collides(world):
    scene = Scene(Room.rectangle(6.0, 6.0))
    scene = put(scene, "bookshelf", 3.0, 3.0, 0.0, size=(0.9, 0.32, 1.8))
    shelf = scene.get("bookshelf_1")
    asset = build_asset(shelf.category, shelf.size, shelf.params, shelf.seed, shelf.material)
    board = next(s for s in asset.surfaces if s.name == "shelf_0")
    # A bowl on the lowest board, pushed 3 cm into the left side panel: horizontal contact counts.
    x = 3.0 - 0.45 + 0.02 + 0.1 - 0.03
    scene = put(scene, "bowl", x, 3.0, board.center[2], size=(0.2, 0.2, 0.08), parent="bookshelf_1")
    world.sync(scene)
    (hit,) = world.collisions()
    assert (hit.a, hit.b) == ("bookshelf_1", "bowl_1")
    assert hit.depth == pytest.approx(0.03, abs=0.005)


def test_rotated_objects_collide(world):
    scene = Scene(Room.rectangle(6.0, 6.0))
    scene = put(scene, "dresser", 2.0, 2.0, 0.0, yaw=0.7)
    scene = put(scene, "wardrobe", 2.5, 2.3, 0.0, yaw=-0.4)
    world.sync(scene)
    assert [(c.a, c.b) for c in world.collisions()] == [("dresser_1", "wardrobe_1")]


def test_moving_one_object_keeps_every_other_body(world):
    scene = table_scene(1.0)
    scene = put(scene, "dresser", 6.0, 1.0, 0.0)
    scene = put(scene, "bowl", 2.0, 3.0, 0.75, parent="dining_table_1")
    world.sync(scene)
    bodies = {oid: world.body_ids(oid) for oid in world.object_ids}
    count = world.num_bodies()

    edit.move_object(scene, "dining_table_2", to=(3.55, 3.0, 0.0))
    report = world.sync(scene)
    assert (report.added, report.moved, report.rebuilt, report.removed) == ([], ["dining_table_2"], [], [])
    assert {oid: world.body_ids(oid) for oid in world.object_ids} == bodies
    assert world.num_bodies() == count
    assert [(c.a, c.b) for c in world.collisions()] == [("dining_table_1", "dining_table_2")]

    # A shape change rebuilds only that object; removing cascades; adding creates new bodies.
    edit.set_joints(scene, "dresser_1", {"drawer_0_slide": 0.3})
    report = world.sync(scene)
    assert report.rebuilt == ["dresser_1"] and not report.moved
    assert all(world.body_ids(o) == bodies[o] for o in ("dining_table_1", "dining_table_2", "bowl_1"))
    edit.remove_objects(scene, ["dining_table_1"])
    report = world.sync(scene)
    assert sorted(report.removed) == ["bowl_1", "dining_table_1"]
    assert world.num_bodies() == count - len(bodies["dining_table_1"]) - len(bodies["bowl_1"])
    assert world.sync(scene).changed is False


def test_open_drawer_collides_where_the_closed_one_does_not(world):
    scene = Scene(Room.rectangle(6.0, 6.0))
    scene = put(scene, "dresser", 3.0, 3.0, 0.0)  # front faces +y
    scene = put(scene, "dining_table", 3.0, 3.25 + 0.3 + 0.45, 0.0, size=TABLE)
    world.sync(scene)
    assert world.collisions() == []
    edit.set_joints(scene, "dresser_1", {"drawer_2_slide": 10.0})  # clamped to the slide's limit
    world.sync(scene)
    assert [(c.a, c.b) for c in world.collisions()] == [("dining_table_1", "dresser_1")]


def test_pair_cache_is_refreshed_after_moves(world):
    scene = table_scene(-0.1)
    world.sync(scene)
    assert len(world.collisions()) == 1
    edit.move_object(scene, "dining_table_2", to=(5.0, 3.0, 0.0))
    world.sync(scene)
    assert world.collisions() == []
    edit.move_object(scene, "dining_table_2", to=(3.5, 3.0, 0.0))
    world.sync(scene)
    assert len(world.collisions()) == 1


def test_collisions_can_be_limited_to_some_objects(world):
    scene = table_scene(-0.1)
    scene = put(scene, "dresser", 6.0, 1.0, 0.0)
    scene = put(scene, "dresser", 6.3, 1.0, 0.0)
    world.sync(scene)
    assert len(world.collisions()) == 2
    assert [(c.a, c.b) for c in world.collisions(ids=["dresser_2"])] == [("dresser_1", "dresser_2")]


def test_sizes_outside_the_category_range_collide_as_their_bounding_box(world):
    scene = Scene(Room.rectangle(60.0, 60.0))
    scene = put(scene, "bowl", 10.0, 10.0, 0.0, size=(5.0, 5.0, 1.0))  # bowls are at most 0.35 m
    scene = put(scene, "dresser", 12.0, 10.0, 0.0)
    world.sync(scene)
    assert world.shape("bowl_1").fallback
    (hit,) = world.collisions()
    assert hit.depth > 0.4


def test_worlds_are_independent_clients():
    a, b = PhysicsWorld(table_scene(-0.1)), PhysicsWorld(table_scene(1.0))
    try:
        assert a.client_id != b.client_id
        assert len(a.collisions()) == 1 and b.collisions() == []
    finally:
        a.close()
        b.close()
    a.close()  # closing twice is fine
    with pytest.raises(SceneGymError, match="closed"):
        a.collisions()


def test_context_manager_disconnects():
    with PhysicsWorld(table_scene(0.0)) as w:
        assert not w.closed
    assert w.closed


def test_bad_arguments_are_named(world):
    world.sync(table_scene(0.0))
    with pytest.raises(SceneGymError, match="min_depth"):
        world.collisions(min_depth=float("nan"))
    with pytest.raises(SceneGymError, match="synced object id"):
        world.body_ids("sofa_9")


def test_resizing_many_times_does_not_pile_up_shapes(world, monkeypatch):
    # pybullet cannot free a used collision shape, so past the idle budget the world starts a fresh client.
    monkeypatch.setattr("scene_gym.physics.pybullet_world.MAX_IDLE_ITEMS", 50)
    scene = table_scene(-0.1)
    world.sync(scene)
    held = []
    for k in range(200):
        edit.resize_object(scene, "dining_table_2", size=(1.6 + 0.002 * k, 0.9, 0.75))
        world.sync(scene)
        assert len(world.collisions()) == 1
        stats = world.client_stats()
        assert stats["items_idle"] <= 50 + 2 * stats["items_in_use"]  # one sync past the budget at most
        held.append(stats["items_held"])
    assert world.client_stats()["recycles"] > 0
    assert any(b < a for a, b in zip(held, held[1:], strict=False))  # a fresh client gave memory back
    hit = world.ray_cast([(2.0, 3.0, 2.0)], [(0.0, 0.0, -1.0)])[0]
    assert hit.object_id == "dining_table_1"
