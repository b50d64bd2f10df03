"""PhysicsWorld lifecycle (issue 13): what the pybullet client holds stays bounded over room changes and
add/remove cycles, the world's bookkeeping matches pybullet's own counts, nothing is left behind in Python, and
the answers are those of a fresh world."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from scene_fixtures import with_object as put

from scene_gym.physics import PhysicsWorld
from scene_gym.physics.pybullet_util import create_convex_mesh, import_pybullet
from scene_gym.scene import Room, Scene

RAYS_FROM = [(1.0, 1.0, 2.0), (1.5, 1.5, 2.0), (1.0, 1.0, 1.0), (1.0, 1.0, 1.0)]
RAYS_DIR = [(0.0, 0.0, -1.0), (0.0, 0.0, -1.0), (-1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]


def room(k: int) -> Room:
    """The k-th of many distinct rooms: rectangles and L shapes, a door on the south wall."""
    rng = np.random.default_rng(k)
    w, d = (float(v) for v in rng.uniform(3.5, 7.0, 2))
    door = [{"id": "door_1", "kind": "door", "wall": 0, "offset": 1.0, "width": 0.9, "height": 2.0}]
    if k % 3 == 2:
        return Room.l_shape(w, d, 1.2, 1.0, openings=door)
    return Room.rectangle(w, d, openings=door)


def furnished(r: Room) -> Scene:
    """Two overlapping dining tables, a bowl on the first and a chair poking through the west wall."""
    scene = put(Scene(r), "dining_table", 2.0, 2.5, 0.0, size=(1.6, 0.9, 0.75))
    scene = put(scene, "dining_table", 3.5, 2.5, 0.0, size=(1.6, 0.9, 0.75))
    scene = put(scene, "bowl", 2.0, 2.5, 0.75, parent="dining_table_1")
    return put(scene, "armchair", 0.2, 1.0, 0.0)


def answers(world: PhysicsWorld) -> tuple:
    """Everything the world answers about its scene, for comparing two worlds exactly."""
    hits = world.ray_cast(RAYS_FROM, RAYS_DIR)
    return ([(c.a, c.b, c.depth) for c in world.collisions()], world.out_of_bounds(), world.support(),
            [(h.object_id, h.wall, h.distance) for h in hits])  # fmt: skip


def fresh_answers(scene: Scene) -> tuple:
    with PhysicsWorld(scene) as fresh:
        return answers(fresh)


def shapes_in_client(world: PhysicsWorld) -> int:
    """How many collision shapes pybullet holds, by pybullet: shape ids count up from 0 in each client and are
    never freed here, so a new shape's id is the count. (Adds one shape, outside the world's bookkeeping.)"""
    p = import_pybullet()
    return p.createCollisionShape(p.GEOM_SPHERE, radius=0.1, physicsClientId=world.client_id)


def check_bookkeeping(world: PhysicsWorld) -> dict:
    stats = world.client_stats()
    assert stats["bodies"] == stats["pybullet_bodies"]
    assert stats["bodies_in_use"] == world.num_bodies()
    assert stats["items_held"] == stats["items_in_use"] + stats["items_idle"]
    return stats


def test_room_changes_and_add_remove_cycles_keep_the_client_bounded(monkeypatch):
    monkeypatch.setattr("scene_gym.physics.pybullet_world.MAX_IDLE_ITEMS", 300)
    with PhysicsWorld() as world:
        idle, held = [], []
        for k in range(120):  # a new room every time, furnished alike
            world.sync(furnished(room(k)))
            stats = check_bookkeeping(world)
            idle.append(stats["items_idle"])
            held.append(stats["items_held"])
        assert stats["recycles"] >= 2
        assert max(idle) <= 300 + 80  # the budget, plus what one room change adds before the next check
        assert max(held) <= 300 + 80 + stats["items_in_use"]
        assert answers(world) == fresh_answers(world.scene)

        scene = world.scene
        without = Scene(scene.room, [o for o in scene.objects if o.id != "armchair_1"])
        world.sync(without)
        world.sync(scene)
        before = check_bookkeeping(world)
        for _ in range(200):
            world.sync(without)
            assert "armchair_1" not in {h.object_id for h in world.ray_cast([(0.2, 1.0, 2.0)], [(0.0, 0.0, -1.0)])}
            world.sync(scene)
        after = check_bookkeeping(world)
        assert after == before  # the armchair's bodies and shapes were reused: not one item more
        assert shapes_in_client(world) == after["shapes"]
        assert answers(world) == fresh_answers(scene)


def test_a_room_seen_before_reuses_its_shapes_and_bodies(world):
    a, b = furnished(room(0)), furnished(room(2))
    world.sync(a)
    world.sync(b)
    first = check_bookkeeping(world)
    for _ in range(30):
        world.sync(a)
        assert answers(world) == fresh_answers(a)
        world.sync(b)
    assert check_bookkeeping(world) == first
    assert shapes_in_client(world) == first["shapes"]


def test_walls_of_equal_size_share_one_shape(world):
    world.sync(Scene(Room.rectangle(4.0, 4.0)))  # four equal walls, two floor and two ceiling slabs
    stats = check_bookkeeping(world)
    assert stats["bodies"] == world.num_bodies() == 8
    assert stats["shapes"] == 5


def test_a_closed_world_leaves_no_python_objects_behind():
    def churn() -> None:
        with PhysicsWorld() as world:
            for k in range(60):
                world.sync(furnished(room(1000 + k)))

    churn()
    gc.collect()
    before = len(gc.get_objects())
    churn()  # 60 new rooms: 240 floor and ceiling slabs of 6 vertices each
    gc.collect()
    grown = len(gc.get_objects()) - before
    assert grown < 100


def test_convex_mesh_vertices_are_not_kept_alive():
    p = import_pybullet()
    cid = p.connect(p.DIRECT)
    try:
        prism = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
        gc.collect()
        before = len(gc.get_objects())
        ids = [create_convex_mesh(p, cid, prism * (1 + 0.01 * k)) for k in range(200)]
        gc.collect()
        grown = len(gc.get_objects()) - before
        assert grown < 20
        assert ids == list(range(200))
        body = p.createMultiBody(0, ids[-1], basePosition=[0, 0, 0], physicsClientId=cid)
        lo, hi = p.getAABB(body, physicsClientId=cid)
        assert hi[0] == pytest.approx(2.99, abs=0.05)  # the last prism, scaled by 2.99
    finally:
        p.disconnect(physicsClientId=cid)
