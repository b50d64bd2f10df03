"""Whole trajectories: the ten-call example end to end, determinism for a seed, and random calls applied to a
scene (hypothesis) never raising anything but ToolError and never changing the scene when they fail."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.actions.tools import (
    ToolError,
    apply_tool,
    parse_trajectory,
    validate_call,
    validate_trajectory,
)
from scene_gym.actions.tools.examples import example_trajectory
from scene_gym.metrics import evaluate
from scene_gym.physics import PhysicsWorld
from scene_gym.scene import Room, Scene

TEN_CALLS = example_trajectory()


def run_trajectory(calls, seed: int, world=None) -> tuple[Scene, list]:
    scene = Scene(Room.rectangle(4, 5))
    rng = np.random.default_rng(seed)
    results = [apply_tool(scene, c, rng=rng, world=world) for c in validate_trajectory(calls)]
    return scene, results


def test_ten_call_trajectory_gives_a_valid_scene():
    calls = parse_trajectory(json.dumps(TEN_CALLS))
    with PhysicsWorld() as world:
        scene, results = run_trajectory(calls, seed=0, world=world)
    assert [r.tool for r in results] == [c["tool"] for c in TEN_CALLS]
    assert results[-1].terminate and not any(r.terminate for r in results[:-1])
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    cats = [o.category for o in scene.objects]
    assert {"sofa", "coffee_table", "tv_stand", "floor_lamp", "painting", "book"} <= set(cats)
    assert scene.room.type == "living room" and scene.room.bounds == (5.0, 6.0)
    m = evaluate(scene)
    assert m.n_collisions == 0 and m.n_oob == 0 and m.unsupported == []
    assert m.q_phy == m.n_obj > 15
    assert all(r.cost_s >= r.wall_time_s >= 0 for r in results)
    Scene.from_json(scene.to_json())  # the result is a valid scene document


def test_same_seed_same_scene_json():
    a, _ = run_trajectory(TEN_CALLS, seed=3)
    with PhysicsWorld() as world:  # a shared world does not change the outcome
        b, _ = run_trajectory(TEN_CALLS, seed=3, world=world)
    assert a.to_json() == b.to_json()


def test_different_seeds_differ():
    a, _ = run_trajectory(TEN_CALLS, seed=1)
    b, _ = run_trajectory(TEN_CALLS, seed=2)
    assert a.to_json() != b.to_json()


def test_failed_call_mid_trajectory_leaves_scene_as_before():
    with PhysicsWorld() as world:
        scene, _ = run_trajectory(TEN_CALLS[:6], seed=0, world=world)
        before = scene.to_json()
        call = validate_call({"tool": "update_size", "args": {"id": "sofa_1", "size": [9, 9, 9]}}, 6)
        with pytest.raises(ToolError, match=r"^call 6 \(update_size\): args.size"):
            apply_tool(scene, call, rng=np.random.default_rng(0), world=world)
        assert scene.to_json() == before
        res = apply_tool(scene, validate_call({"tool": "optimize_physics"}), rng=np.random.default_rng(0), world=world)
        assert res.ok  # the shared world is still usable after a failed call


# --- hypothesis: random calls on a furnished scene ---------------------------------------------------------
_BASE = None


def _base() -> str:
    global _BASE
    if _BASE is None:
        scene, _ = run_trajectory(TEN_CALLS[:7], seed=0)
        _BASE = scene.to_json()
    return _BASE


ids = st.sampled_from(["sofa_1", "coffee_table_1", "bookshelf_1", "book_1", "armchair_1", "painting_1", "ghost_1",
                       "tv_stand_1", "floor_lamp_1"])  # fmt: skip
nums = st.floats(-20, 20) | st.sampled_from([float("nan"), float("inf")]) | st.integers(-5, 30)
calls = st.one_of(
    st.builds(lambda i, p: {"tool": "update_layout", "args": {"objects": [{"id": i, "position": p}]}},
              ids, st.none() | st.lists(nums, min_size=2, max_size=2)),
    st.builds(lambda i, y: {"tool": "update_rotation", "args": {"id": i, "yaw_deg": y}}, ids, nums),
    st.builds(lambda i, f: {"tool": "update_rotation", "args": {"id": i, "face_object": f}}, ids, ids),
    st.builds(lambda i, s: {"tool": "update_size", "args": {"id": i, "scale": s}}, ids, st.floats(0.05, 3.0)),
    st.builds(lambda i: {"tool": "remove_objects", "args": {"ids": [i]}}, ids),
    st.builds(lambda c, n: {"tool": "add_objects", "args": {"category": c, "count": n}},
              st.sampled_from(["chair", "vase", "rug", "nightstand", "book", "qqq"]), st.integers(0, 3)),
    st.builds(lambda i, n: {"tool": "add_crowd", "args": {"receptacle": i, "count": n}}, ids, st.integers(1, 5)),
    st.builds(lambda r, a, b: {"tool": "add_relation", "args": {"relation": {"relation": r, "subject": a, "target": b}}},
              st.sampled_from(["near", "next_to", "facing", "left_of", "on_top_of", "behind"]), ids, ids),
    st.just({"tool": "optimize_physics", "args": {"rounds": 2}}),
)  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(calls, min_size=1, max_size=4), st.integers(0, 2**16))
def test_random_calls_fail_cleanly(seq, seed):
    scene = Scene.from_json(_base())
    rng = np.random.default_rng(seed)
    for k, raw in enumerate(seq):
        before = scene.to_json()
        try:
            call = validate_call(raw, k)
            apply_tool(scene, call, rng=rng)
        except ToolError as err:
            assert err.index == k and str(err).startswith(f"call {k}")
            assert scene.to_json() == before
        Scene.from_json(scene.to_json())  # always a valid document
