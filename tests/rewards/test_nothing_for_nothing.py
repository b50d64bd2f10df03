"""Nothing for nothing: an empty room, an empty trajectory and a no-op episode earn at most 0 under every built-in
reward spec (CLIP and model judges report their empty-room baseline instead; another module tests them), and
an episode that starts from a populated scene earns nothing for leaving it as it was."""

from __future__ import annotations

import gymnasium as gym
import pytest

import scene_gym  # noqa: F401 - registers the env kinds
from scene_gym.envs.kinds import scene_kinds
from scene_gym.rewards import REWARDS, RewardContext, make_reward
from scene_gym.samples import bedroom_scene
from scene_gym.scene import Room, Scene

#: Built-in specs scored here; ``clip`` needs a model and belongs to the CLIP tests.
SPECS = sorted(name for name in REWARDS if name != "clip")
NO_OP = {"dsl": "done()", "trajectory": "[]", "toolcall": '[{"tool": "terminate", "args": {}}]',
         "point": {"point": [0.5, 0.5], "asset": "done"}}  # fmt: skip


def empty_room(room_type: str = "living room") -> Scene:
    return Scene(Room.rectangle(4.5, 4.0, type=room_type), prompt=f"Design me a {room_type}.")


def test_the_specs_under_test_are_the_built_in_ones():
    assert {"quality", "judge", "q", "q_phy", "physical", "asset"} <= set(SPECS)


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("room_type", ["living room", "bedroom", "kitchen"])
def test_an_empty_room_earns_at_most_zero(spec, room_type):
    reward = make_reward(spec)
    try:
        res = reward(empty_room(room_type), RewardContext())
        assert res.value <= 0.0, (spec, res.value, res.terms)
    finally:
        reward.close()


def test_the_judge_gives_an_empty_room_no_grade():
    res = make_reward("q")(empty_room(), RewardContext())
    assert {k: res.terms[k] for k in ("realism", "functionality", "layout", "completeness", "q_vis")} == dict.fromkeys(
        ("realism", "functionality", "layout", "completeness", "q_vis"), 0.0
    )  # fmt: skip
    assert res.value == 0.0
    # one object is something: every reward moves up from the empty room's value
    from scene_gym.actions import edit

    scene = empty_room()
    edit.add_object(scene, "sofa", position=(2.25, 0.5, 0.0), size=(2.0, 0.9, 0.85))
    for spec in ("quality", "judge", "q", "q_phy", "physical"):
        assert make_reward(spec)(scene, RewardContext()).value > 0.0, spec


def run_no_op(kind, spec: str | None, start: Scene | None):
    """Rewards of a no-op episode of ``kind`` (reset from ``start`` for room kinds)."""
    kwargs = {"image_size": None}
    if spec is not None:
        kwargs["reward"] = spec
    env = gym.make(kind.env_id, **kwargs)
    try:
        options = {"scene": start} if start is not None and kind.starts_from == "room" else None
        env.reset(seed=0, options=options)
        rewards = []
        for _ in range(3):
            _, reward, terminated, truncated, info = env.step(NO_OP[kind.action_format])
            assert info["valid"] and not info["error"], info["error"]
            rewards.append(reward)
            if terminated or truncated:
                break
        return rewards
    finally:
        env.close()


@pytest.mark.parametrize("kind", scene_kinds(), ids=lambda k: k.name)
def test_a_no_op_episode_from_the_starting_state_earns_at_most_zero(kind):
    rewards = run_no_op(kind, None, empty_room() if kind.starts_from == "room" else None)
    assert all(r <= 0.0 for r in rewards), rewards


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("kind", scene_kinds(), ids=lambda k: k.name)
def test_a_no_op_episode_from_a_populated_scene_earns_at_most_zero(kind, spec):
    rewards = run_no_op(kind, spec, bedroom_scene())
    assert sum(rewards) <= 0.0 and all(r <= 0.0 for r in rewards), rewards


def test_an_empty_trajectory_earns_nothing_and_a_real_one_earns_its_score():
    env = gym.make("SceneSynthTrajectory-v1", image_size=None)
    try:
        env.reset(seed=0, options={"scene": empty_room()})
        _, reward, _, _, info = env.step("[]")
        assert reward == 0.0 and info["reward_value"] == 0.0
        env.reset(seed=0, options={"scene": empty_room()})
        _, reward, _, _, info = env.step('[{"tool": "init_layout", "args": {}}]')
        assert reward > 0.0 and reward == pytest.approx(info["composition"])
    finally:
        env.close()
