"""Property tests: evaluate never crashes on valid scenes, and a long-lived world agrees with a fresh one.

Scenes draw categories from the whole catalog and values from the edges of what validation accepts:
positions up to ±1000 m, yaws up to ±1e4 rad, sizes up to 50 m (far outside most categories' ranges, which
makes those objects collide as their bounding box), joint values up to ±100, any parent.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scene_fixtures import with_object

from scene_gym.assets import build_asset, factories
from scene_gym.errors import AssetError
from scene_gym.metrics import evaluate
from scene_gym.physics import PhysicsWorld
from scene_gym.scene import Opening, Room, Scene

CATEGORIES = sorted(factories())
coord = st.floats(-1000.0, 1000.0, allow_nan=False, allow_infinity=False)
near = st.floats(-1.0, 12.0, allow_nan=False)
size_value = st.floats(0.001, 50.0, allow_nan=False)


@st.composite
def rooms(draw) -> Room:
    w, d = draw(st.floats(0.6, 30.0)), draw(st.floats(0.6, 30.0))
    height = draw(st.floats(0.6, 20.0))
    if draw(st.booleans()) and w > 1.0 and d > 1.0:
        return Room.l_shape(w, d, draw(st.floats(0.2, 0.8)) * w, draw(st.floats(0.2, 0.8)) * d, wall_height=height)
    openings = ()
    if draw(st.booleans()) and w > 1.0 and height > 1.0:
        openings = (Opening(id="door_1", kind="door", wall=0, offset=w / 2, width=min(0.9, w / 2),
                            height=min(2.0, height)),)  # fmt: skip
    return Room.rectangle(w, d, wall_height=height, openings=openings)


@st.composite
def scenes(draw) -> Scene:
    scene = Scene(draw(rooms()))
    for _ in range(draw(st.integers(0, 12))):
        category = draw(st.sampled_from(CATEGORIES))
        f = factories()[category]
        size = draw(st.one_of(st.just(f.default_size), st.tuples(size_value, size_value, size_value)))
        x = draw(st.one_of(near, coord))
        y = draw(st.one_of(near, coord))
        z = draw(st.one_of(st.just(0.0), st.floats(-1.0, 3.0), coord))
        ids = [o.id for o in scene.objects]
        parent = draw(st.sampled_from(["floor", "wall", "ceiling", *ids]))
        joints = {}
        try:
            asset = build_asset(category, size)
        except AssetError:
            asset = None
        if asset is not None and asset.joints:
            for j in draw(st.lists(st.sampled_from(asset.joints), max_size=3)):
                joints[j.name] = draw(st.floats(-100.0, 100.0))
        scene = with_object(scene, category, x, y, z, yaw=draw(st.floats(-1e4, 1e4)), size=size, parent=parent,
                            joints=joints, seed=draw(st.integers(0, 2**63 - 1)))  # fmt: skip
    return scene


@pytest.fixture(scope="module")
def shared_world():
    with PhysicsWorld() as world:
        yield world


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scene=scenes())
def test_evaluate_never_crashes_and_agrees_with_a_fresh_world(shared_world, scene):
    m = evaluate(scene, shared_world)
    d = m.to_dict()
    ids = {o.id for o in scene.objects}
    assert 0 <= m.n_obj <= len(scene)
    for key in ("nav", "acc", "opc"):
        assert 0.0 <= d[key] <= 1.0 and math.isfinite(d[key])
    for key in ("collision_free_pct", "in_boundary_pct"):
        assert 0.0 <= d[key] <= 100.0
    assert set(m.oob) <= ids and set(m.unsupported) <= ids
    assert all(a < b and {a, b} <= ids for a, b in m.collisions)
    assert m.n_collisions == len(m.collisions) and m.n_oob == len(m.oob)
    assert m.q_phy == m.n_obj - 4 * (m.n_oob + m.n_collisions)
    assert d == evaluate(scene).to_dict()
