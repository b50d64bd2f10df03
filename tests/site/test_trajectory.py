"""steps.jsonl: the runner records one line per step; the site's reader takes the file as untrusted data."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.benchmarks.store import Store
from scene_gym.benchmarks.trajectory import STEPS_SCHEMA, parse_steps, read_steps
from scene_gym.errors import SceneGymError


def test_runner_records_every_step(site_db):
    with Store(site_db) as store:
        rows = store.results()
    assert rows and all(r["status"] == "ok" for r in rows)
    for r in rows:
        steps = read_steps(site_db.parent / r["scene_path"].replace("scene.json", "steps.jsonl"))
        assert [s["step"] for s in steps] == list(range(len(steps)))
        assert len(steps) == r["steps"] + 1  # the reset, then one line per env step
        assert steps[0]["action"] is None and all(isinstance(s["action"], str) for s in steps[1:])
        assert all(len(s["floor"]) >= 3 for s in steps)
        final = json.loads((site_db.parent / r["scene_path"]).read_text())
        assert sorted(o[0] for o in steps[-1]["objects"]) == sorted(o["id"] for o in final["objects"])
        assert sum(s["reward"] for s in steps[1:]) == pytest.approx(r["reward"])


def _line(**kw) -> str:
    return json.dumps({"step": 0, "objects": [], **kw})


@pytest.mark.parametrize("text, words", [
    ("", "header"), ('{"schema": "other"}', "header"), ("not json", "JSON lines"),
    (json.dumps({"schema": STEPS_SCHEMA, "floor": [[0, 0]]}), "floor polygon"),
    (json.dumps({"schema": STEPS_SCHEMA, "floor": [[0, 0], [1, 0], [1, 1]]}) + "\n" + _line(step=-1), "step >= 0"),
    (json.dumps({"schema": STEPS_SCHEMA, "floor": [[0, 0], [1, 0], [1, 1]]}) + "\n" + _line(objects=[["a", "b", 1, 2]]),
     "[id, category"),
    (json.dumps({"schema": STEPS_SCHEMA, "floor": [[0, 0], [1, 0], [1, 1]]}) + "\n" + _line(reward="1"), "finite number"),
])  # fmt: skip
def test_malformed_steps_are_refused_naming_the_problem(text, words):
    with pytest.raises(BenchmarkError, match=words.replace("[", r"\[")):
        parse_steps(text.encode())


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.lists(st.dictionaries(st.sampled_from(
    ["step", "objects", "action", "reward", "floor", "image", "feedback", "valid"]), st.one_of(
    st.none(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=5),
    st.lists(st.one_of(st.integers(0, 3), st.text(max_size=3), st.lists(st.integers(0, 3), max_size=8)), max_size=8))),
    max_size=4).map(lambda ds: "\n".join([json.dumps({"schema": STEPS_SCHEMA, "floor": [[0, 0], [1, 0], [1, 1]]})]
                                        + [json.dumps(d) for d in ds]).encode())))  # fmt: skip
def test_any_bytes_give_steps_or_our_error(data):
    try:
        steps = parse_steps(data)
    except SceneGymError:
        return
    for s in steps:
        assert isinstance(s["step"], int) and s["step"] >= 0
        assert all(isinstance(v, float) for o in s["objects"] for v in o[2:])
        assert s["image"] is None or isinstance(s["image"], str)


def test_reader_takes_the_rollout_format_too(site_db):
    """The executor branch's runner writes Rollout JSON lines as steps.jsonl; the site reads those as well."""
    from scene_gym.agents.rollout import Rollout, Step

    scene = json.loads(next(site_db.parent.rglob("scene.json")).read_text())
    ro = Rollout("SceneSynth-v1", {"name": "x"}, 0, [
        Step({"prompt": "p"}, "add('bed')", 1.5, False, False, {"feedback": "[ok] add", "valid": True, "applied": True},
             ["step_0_image.png"]),
        Step({"prompt": "p"}, "oops", 0.0, True, False, {"feedback": "bad", "valid": False, "error": "parse error"}),
    ], scene, "scene")  # fmt: skip
    steps = parse_steps(ro.to_jsonl().encode())
    assert [s["step"] for s in steps] == [1, 2] and steps[0]["image"] == "step_0_image.png"
    assert (
        steps[0]["feedback"] == "[ok] add"
        and steps[1]["valid"] is False
        and steps[1]["error"] == "parse error"
    )
    assert steps[0]["objects"] == [] and len(steps[1]["objects"]) == len(scene["objects"])
    assert steps[0]["floor"] == [list(map(float, p)) for p in scene["room"]["floor"]]
