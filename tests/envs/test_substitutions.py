"""Names the catalog does not have are refused with their closest categories; accepted non-exact names are
reported in info["substitutions"] with their score and how they matched (DSL, tool calls, pointing)."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

import scene_gym  # noqa: F401 - registers the ids
from scene_gym.actions import edit
from scene_gym.assets import RESOLVE_THRESHOLD, factories
from scene_gym.errors import EditError


@pytest.mark.parametrize("name", ["pottery wheel", "bean bag chair", "kiln", "easel", "grand piano"])
def test_unresolved_names_raise_and_point_at_object_programs(name):
    try:
        category = edit.resolve_category(name)
    except EditError as err:
        assert err.field == "category" and "not in the catalog" in err.reason and repr(name) in err.reason
        assert "define it with an object program (see the DSL reference)" in err.reason
    else:  # once the catalog has it (categories are being added in parallel), it must be that noun's category
        f = factories()[category]
        assert name.split()[-1] in " ".join((category.replace("_", " "), *f.synonyms))


def test_the_refusal_lists_close_categories_with_scores():
    with pytest.raises(EditError, match=r"closest categories: 'dining_chair' 0\.\d\d") as err:
        edit.resolve_category("frobnicator chair", field="args.category")
    assert err.value.field == "args.category"


def test_substitution_records_carry_score_and_how():
    assert edit.substitution_record("couch", "sofa") == {"requested": "couch", "used": "sofa", "score": 0.95,
                                                         "how": "synonym"}  # fmt: skip
    rec = edit.substitution_record("sofaa", "sofa")
    assert rec["how"] == "fuzzy" and RESOLVE_THRESHOLD <= rec["score"] < 1
    assert edit.substitution_record("Dining Table", "dining_table") is None  # exact, only spelt differently
    assert edit.substitution_record("sofa", "sofa") is None and edit.substitution_record(None, "sofa") is None


def test_dsl_env_reports_the_substitution_and_refuses_the_unknown_name():
    env = gym.make("SceneSynth-v1", image_size=None)
    try:
        env.reset(seed=0, options={"prompt": "a living room"})
        _, _, _, _, info = env.step('add("couch", at=(2, 1))\nadd("spinning wheel", at=(1, 3))')
        assert info["substitutions"] == [
            {"requested": "couch", "used": "sofa", "score": 0.95, "how": "synonym"}
        ]
        assert info["n_ok"] == 1 and info["n_failed"] == 1
        assert (
            "not in the catalog" in info["error"]
            and "'couch' -> sofa, synonym match 0.95" in info["feedback"]
        )
        assert [o.category for o in env.unwrapped.scene.objects] == ["sofa"]
    finally:
        env.close()


def test_trajectory_env_reports_substitutions_and_refuses_unknown_names():
    env = gym.make("SceneSynthTrajectory-v1")
    try:
        env.reset(seed=0, options={"prompt": "a living room"})
        calls = [{"tool": "init_room", "args": {"room_type": "living room", "width": 4, "depth": 4}},
                 {"tool": "add_objects", "args": {"category": "settee", "count": 1}}]  # fmt: skip
        _, _, _, _, info = env.step(json.dumps(calls))
        assert info["substitutions"] == [
            {"requested": "settee", "used": "sofa", "score": 0.95, "how": "synonym"}
        ]
        before = env.unwrapped.scene.to_json()
        calls[1]["args"]["category"] = "bike stand"
        _, _, _, _, info = env.step(json.dumps(calls))
        assert (
            not info["valid"]
            and "not in the catalog" in info["error"]
            and info["error_field"] == "args.category"
        )
        assert env.unwrapped.scene.to_json() == before
    finally:
        env.close()


def test_asset_env_rejects_names_outside_the_catalog_without_a_swap():
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    try:
        env.reset(seed=0, options={"receptacle": "desk"})
        _, _, _, _, info = env.step({"point": np.array([0.5, 0.5], np.float32), "asset": "a spinning wheel"})
        assert not info["applied"] and "not in the catalog" in info["error"] and info["substitutions"] == []
        _, _, _, _, info = env.step({"point": np.array([0.5, 0.5], np.float32), "asset": "a coffee mug"})
        assert info["applied"] and info["substitutions"] == [{"requested": "a coffee mug", "used": "mug",
                                                              "score": 0.95, "how": "synonym"}]  # fmt: skip
    finally:
        env.close()
