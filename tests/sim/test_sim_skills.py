"""The scripted open/close skill: every articulated category in isolation, blocked parts, furnished rooms."""

import collections

import numpy as np
import pytest
from sim_helpers import articulated_categories, furnished_scene, isolated_scene

from scene_gym.actions import edit
from scene_gym.errors import SceneGymError
from scene_gym.sim import SimWorld, operate, operate_all
from scene_gym.sim.skills import SUCCESS_FRACTION


@pytest.mark.parametrize("category", articulated_categories())
def test_skill_opens_every_part_of_category_in_isolation(category):
    scene = isolated_scene(category)
    obj = next(o for o in scene.objects if o.category == category)
    world = SimWorld(scene)
    results = operate_all(world, objects=[obj.id])
    assert results, f"{category} has no articulated parts"
    failed = {r.joint: (round(r.opened_fraction, 2), r.reason) for r in results if not r.success}
    assert not failed, f"{category}: {failed}"
    for r in results:
        assert r.opened_fraction >= SUCCESS_FRACTION
        assert r.joint_trajectory.shape[1] == 2 and len(r.joint_trajectory) > 10
        assert np.all(np.diff(r.joint_trajectory[:, 0]) > 0)  # time increases
        assert r.grip_force > 1.0  # the pads pressed on the handle
        assert r.max_penetration < 0.02
        assert not r.displaced


def test_close_skill_closes_an_open_drawer_and_door():
    world = SimWorld(isolated_scene("kitchen_counter"))
    results = []
    for p in world.parts:  # one part open at a time (open neighbours would be in the gripper's way)
        world.restore()
        world.data.qpos[:] = world.model.qpos0
        world.data.qpos[p.qpos] = p.joint.limits[1]
        world.settle()
        results.append(operate(world, p, "close"))
    assert {r.kind for r in results} == {"prismatic", "revolute"}
    assert all(r.success for r in results), [(r.joint, r.opened_fraction, r.reason) for r in results]
    assert all(r.opened_fraction <= 1 - SUCCESS_FRACTION for r in results)


def test_blocked_drawer_fails_naming_the_obstacle():
    scene = isolated_scene("dresser")
    # A second dresser 15 cm in front, facing the first: the first one's drawers (0.34 m travel) hit it.
    edit.add_object(scene, "dresser", position=(2.0, 2.0 + 0.5 + 0.15, 0.0), yaw=np.pi, size=(1.0, 0.5, 0.85))
    world = SimWorld(scene)
    res = operate(world, world.part("dresser_1", "drawer_1_slide"))
    assert not res.success
    assert res.opened_fraction < SUCCESS_FRACTION
    assert res.reason in ("blocked", "obstructed") or res.reason.startswith("blocked by dresser_2")


def test_skill_result_dict_and_bad_action():
    world = SimWorld(isolated_scene("nightstand"))
    res = operate(world, world.parts[0])
    d = res.to_dict()
    assert {"object", "joint", "opened_fraction", "success", "grip_force", "max_penetration"} <= set(d)
    assert "joint_trajectory" not in d and len(res.to_dict(trajectory=True)["joint_trajectory"]) > 0
    with pytest.raises(SceneGymError, match="'open' or 'close', got 'yank'"):
        operate(world, world.parts[0], "yank")
    with pytest.raises(SceneGymError, match="sofa_9"):
        operate_all(world, objects=["sofa_9"])


def test_skill_is_deterministic():
    world = SimWorld(isolated_scene("wardrobe"))
    a = operate(world, world.parts[0])
    b = operate(world, world.parts[0])
    np.testing.assert_array_equal(a.joint_trajectory, b.joint_trajectory)


@pytest.mark.slow
def test_skill_opens_at_least_90_percent_of_parts_in_furnished_rooms():
    per_room, per_category = collections.Counter(), collections.defaultdict(lambda: [0, 0])
    totals = collections.Counter()
    for room in ("kitchen", "bedroom", "office"):
        for seed in range(3):
            results = operate_all(SimWorld(furnished_scene(room, seed)))
            assert results, f"{room} seed {seed} has no articulated parts"
            for r in results:
                per_category[r.category][0] += r.success
                per_category[r.category][1] += 1
                per_room[room] += r.success
                totals[room] += 1
    for room in per_room:
        assert per_room[room] / totals[room] >= 0.9, (room, dict(per_category))
    overall = sum(per_room.values()) / sum(totals.values())
    assert overall >= 0.9, dict(per_category)
