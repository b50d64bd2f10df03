"""The in-context library: retrieval by room type and prompt similarity, JSON files, the built-in examples."""

from __future__ import annotations

import json

import pytest

from scene_gym.agents.icl import ICLError, ICLExample, ICLLibrary, cosine, words
from scene_gym.agents.parsing import parse_action
from scene_gym.agents.rollout import Rollout, Step


def lib():
    return ICLLibrary([
        ICLExample("scene", "A bedroom with a double bed and two nightstands.", 'add("bed")', "bedroom"),
        ICLExample("scene", "A kitchen with a fridge, an oven and a dining table.", 'add("fridge")', "kitchen"),
        ICLExample("scene", "A living room with a sofa and a coffee table.", 'add("sofa")', "living room"),
        ICLExample("trajectory", "A bedroom with a bed.", '[{"tool": "init_layout"}]', "bedroom"),
    ])  # fmt: skip


def test_bag_of_words_cosine():
    assert words("Two Chairs and a TABLE, chairs!") == {"chair": 2, "table": 1}
    assert cosine(words("sofa table"), words("table sofa")) == pytest.approx(1.0)
    assert cosine(words("sofa"), words("bed")) == 0.0 and cosine(words(""), words("bed")) == 0.0


def test_retrieval_by_similarity_then_room_type():
    got = lib().retrieve("scene", "I want an oven and a fridge please", k=1)
    assert [e.room_type for e in got] == ["kitchen"]
    # the room type outweighs a weak word overlap
    got = lib().retrieve("scene", "a cosy room with a table", room_type="bedroom", k=2)
    assert [e.room_type for e in got] == ["bedroom", "living room"]
    # only the asked kind's action format, and k bounds the list (ties keep library order)
    assert [e.kind for e in lib().retrieve("trajectory", "bedroom", k=5)] == ["trajectory"]
    assert [e.room_type for e in lib().retrieve("scene", "zzz", k=3)] == ["bedroom", "kitchen", "living room"]
    assert lib().retrieve("asset", "a desk") == []
    # the format or a kind object works as well as the kind's name
    from scene_gym.envs.kinds import get_kind

    assert lib().retrieve("dsl", "zzz", k=3) == lib().retrieve(get_kind("scene"), "zzz", k=3)
    with pytest.raises(ICLError, match="expected an env kind among"):
        lib().retrieve("chess", "a desk")


def test_save_load_round_trip_and_bad_files(tmp_path):
    path = lib().save(tmp_path / "icl.json")
    again = ICLLibrary.load(path)
    assert again.examples == lib().examples
    data = json.loads(path.read_text())
    data["examples"][1]["kind"] = "chess"
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ICLError, match=r"example 1: example kind: expected an env kind among .* got 'chess'"):
        ICLLibrary.load(tmp_path / "bad.json")
    data["examples"][1] = {"kind": "scene", "prompt": "x", "action": "y", "colour": "red"}
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ICLError, match=r"unknown example key\(s\) \['colour'\]"):
        ICLLibrary.load(tmp_path / "bad.json")
    (tmp_path / "schema.json").write_text('{"schema": "other@1", "examples": []}')
    with pytest.raises(ICLError, match="expected schema 'scene-gym/icl@1', got 'other@1'"):
        ICLLibrary.load(tmp_path / "schema.json")
    with pytest.raises(ICLError, match="cannot read in-context library"):
        ICLLibrary.load(tmp_path / "missing.json")
    with pytest.raises(ICLError, match="example action: expected non-empty text"):
        ICLExample("scene", "a prompt", "  ")
    with pytest.raises(ICLError, match="example score: expected a finite number"):
        ICLExample("scene", "a prompt", "done()", score=float("nan"))


def test_builtin_examples_are_valid_actions_for_their_kind():
    default = ICLLibrary.default()
    kinds = {e.kind for e in default.examples}
    assert kinds == {"scene", "asset", "trajectory", "toolstep"}
    for e in default.examples:
        parse_action(e.kind, e.action)  # raises ParseError if an example is broken
    assert default.retrieve("scene", "Design me a bedroom", room_type="bedroom", k=1)[0].room_type == "bedroom"


def test_harvest_good_steps_of_a_rollout():
    steps = [Step({"prompt": "A bedroom with a bed", "scene": "# room: bedroom, 4 x 4 m"}, 'add("bed")', 0.8, False, False),
             Step({"prompt": "A bedroom with a bed"}, 'add("spaceship")', -0.1, False, False),
             Step({"prompt": "A bedroom with a bed"}, {"point": [0.5, 0.5]}, 1.0, True, False)]  # fmt: skip
    library = ICLLibrary()
    assert library.add_rollout(Rollout("SceneSynth-v1", {}, 0, steps), "scene", min_reward=0.5) == 1
    (ex,) = library.examples
    assert (ex.action, ex.room_type, ex.score, ex.source) == ('add("bed")', "bedroom", 0.8, "SceneSynth-v1")
    # without kind=, the rollout's recorded env kind is used; a rollout without one needs kind=
    assert library.add_rollout(Rollout("SceneSynth-v1", {}, 0, steps, env_kind="scene"), min_reward=0.5) == 1
    assert library.examples[-1].kind == "scene" and library.examples[-1].format == "dsl"
    with pytest.raises(ICLError, match="expected kind="):
        library.add_rollout(Rollout("SceneSynth-v1", {}, 0, steps))
