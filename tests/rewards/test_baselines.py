"""Empty-room baselines: CLIP (tiny local open_clip) and the OpenAI-compatible judge (stand-in server) report their
score for the task's empty room as ``baseline``, once per (prompt, room), and subtract it under ``:relative``."""

from __future__ import annotations

import numpy as np
import pytest
from chat_standin import ChatStandIn

from scene_gym.actions import edit
from scene_gym.rewards import RewardContext, RewardError, make_reward
from scene_gym.rewards.baseline import EmptyRoomBaseline, empty_room, room_key, split_relative
from scene_gym.samples import bedroom_scene

FULL = '{"realism": 8, "functionality": 7, "layout": 6, "completeness": 9, "reason": "full"}'
EMPTY = '{"realism": 4, "functionality": 1, "layout": 0, "completeness": 1, "reason": "empty"}'


def test_empty_room_keeps_room_openings_and_lights_only(bedroom):
    empty = empty_room(bedroom)
    assert len(empty.objects) == 0
    assert empty.room == bedroom.room and empty.lights == bedroom.lights and empty.prompt == bedroom.prompt
    assert len(bedroom.objects) == 15  # unchanged
    moved = bedroom.copy()
    edit.remove_objects(moved, ["bed_1"])
    assert room_key(moved) == room_key(bedroom)  # objects do not change the key; the room does
    other = bedroom_scene()
    assert room_key(other) == room_key(bedroom)


@pytest.mark.parametrize(("arg", "out"), [(None, (None, False)), ("relative", (None, True)),
                                          ("ViT-B-32:tag:relative", ("ViT-B-32:tag", True)),
                                          ("openai:m", ("openai:m", False)), ("vlm:/a/relatives", ("vlm:/a/relatives", False))])  # fmt: skip
def test_split_relative(arg, out):
    assert split_relative(arg) == out


@pytest.fixture
def judge_server(tmp_path, monkeypatch):
    """A stand-in judge answering EMPTY for a layout with no objects and FULL otherwise."""
    server = ChatStandIn(default=("text", FULL))
    original = server.completion

    def completion(entry):
        text = server.requests[-1]["messages"][1]["content"][0]["text"]
        return original(("text", EMPTY) if '"objects":[]' in text else entry)

    server.completion = completion
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("SCENE_GYM_CACHE_DIR", str(tmp_path))
    yield server
    server.close()


def ctx():
    return RewardContext(renders={"topdown_ids": np.full((32, 32, 3), 200, dtype=np.uint8)}, render_size=(48, 48))


def test_model_judge_reports_its_baseline_once_per_prompt_and_room(judge_server, bedroom):
    reward = make_reward("judge:openai:m")
    assert isinstance(reward, EmptyRoomBaseline) and not reward.subtract and reward.name == "judge:openai:m"
    res = reward(bedroom, ctx())
    assert res.value == pytest.approx(0.75) and res.terms["baseline"] == pytest.approx(0.15)
    assert len(judge_server.requests) == 2
    smaller = bedroom.copy()
    edit.remove_objects(smaller, ["desk_1"])
    reward(smaller, ctx())  # same prompt and room: the baseline is not asked again (the scene is new: one request)
    assert len(judge_server.requests) == 3 and reward.baseline_calls == 1
    edit.set_prompt(smaller, "a study")
    reward(smaller, ctx())  # a new prompt: a new baseline
    assert reward.baseline_calls == 2
    reward.close()


def test_relative_subtracts_the_baseline_and_an_empty_room_scores_zero(judge_server, bedroom):
    reward = make_reward("quality:openai:m:relative")
    assert reward.name == "quality:relative" and reward.subtract
    res = reward(bedroom, ctx())
    assert res.value == pytest.approx(res.terms["absolute"] - res.terms["baseline"])
    assert res.value > 0
    empty = reward(empty_room(bedroom), RewardContext(render_size=(48, 48)))
    assert empty.value == pytest.approx(0.0) and empty.terms["baseline"] == pytest.approx(empty.terms["absolute"])
    both = make_reward("judge:openai:m:relative + 0.5*judge:openai:m")  # one spec, two views of one judge
    out = both(bedroom, ctx())
    assert out.terms["judge:openai:m:relative"] == pytest.approx(0.6)
    assert out.terms["judge:openai:m.baseline"] == pytest.approx(0.15) and out.value == pytest.approx(0.6 + 0.375)
    reward.close()
    both.close()


def test_baseline_failure_is_a_reward_error(judge_server, bedroom):
    judge_server.completion = lambda entry: ChatStandIn.completion(("text", "no grades here"))
    with pytest.raises(RewardError, match="expected a JSON object"):
        make_reward("judge:openai:m")(bedroom, ctx())


def test_offline_judge_is_wrapped_only_when_asked():
    assert not isinstance(make_reward("judge"), EmptyRoomBaseline)
    assert isinstance(make_reward("judge:offline:relative"), EmptyRoomBaseline)


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory):
    pytest.importorskip("open_clip")
    pytest.importorskip("torch")
    from tiny_models import build_tiny_clip

    return build_tiny_clip(tmp_path_factory.mktemp("tiny_clip_baseline"))


def test_clip_baseline_and_relative(tiny_clip, bedroom):
    config, ckpt = tiny_clip
    plain = make_reward(f"clip:scene-gym-tiny-clip:{ckpt}")
    relative = make_reward(f"clip:scene-gym-tiny-clip:{ckpt}:relative")
    for r in (plain, relative):
        r.inner.device_spec, r.inner.views = "cpu", ("topdown",)
    c = RewardContext(render_size=(48, 48))
    a = plain(bedroom, c)
    b = relative(bedroom, RewardContext(render_size=(48, 48)))
    assert set(a.terms) == {"view.topdown", "baseline"} and -1.0 <= a.terms["baseline"] <= 1.0
    assert a.terms["baseline"] != pytest.approx(a.value, abs=1e-9)  # the empty room renders differently
    direct = plain.inner(empty_room(bedroom), RewardContext(render_size=(48, 48)))
    assert a.terms["baseline"] == pytest.approx(direct.value, abs=1e-6)
    assert b.value == pytest.approx(a.value - a.terms["baseline"], abs=1e-6) and b.terms["absolute"] == pytest.approx(
        a.value, abs=1e-6)  # fmt: skip
    batch = relative.compute_batch([bedroom, bedroom], [RewardContext(render_size=(48, 48)) for _ in range(2)])
    assert [r.value for r in batch] == pytest.approx([b.value, b.value], abs=1e-6) and relative.baseline_calls == 1
