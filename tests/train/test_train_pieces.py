"""The shared trainer pieces: kill-safe records, rows, rounding of prompt numbers, bootstrap intervals, configs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.agents.prompts import PromptConfig, build_messages, round_numbers
from scene_gym.errors import ParseError
from scene_gym.train.config_io import ConfigError, make_config
from scene_gym.train.datasets import DatasetError, action_text, append_record, read_records, repair_jsonl
from scene_gym.train.evaluation import bootstrap_mean_ci, paired_bootstrap, suite_tasks
from scene_gym.train.self_improve_config import SelfImproveConfig


def test_records_drop_a_torn_line_and_keep_the_first_of_each_key(tmp_path):
    path = tmp_path / "r.jsonl"
    append_record(path, {"key": [1, 0], "v": 1})
    append_record(path, {"key": [1, 1], "v": 2})
    append_record(path, {"key": [1, 0], "v": 99})  # a duplicate key: the first wins
    with open(path, "a") as fh:
        fh.write('{"key": [1, 2], "v"')  # killed in mid-write
    assert [r["v"] for r in read_records(path)] == [1, 2]
    assert repair_jsonl(path) == len('{"key": [1, 2], "v"')
    append_record(path, {"key": [1, 2], "v": 3})
    assert [r["v"] for r in read_records(path)] == [1, 2, 3]
    with pytest.raises(DatasetError, match="record.key"):
        append_record(path, {"v": 1})


def test_a_bad_line_inside_a_record_file_is_named(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"key": [0]}\nnot json\n{"key": [1]}\n')
    with pytest.raises(DatasetError, match="line 2"):
        read_records(path)


def test_point_actions_become_molmo_tags_that_parse_back():
    from scene_gym.agents.parsing import parse_action

    text = action_text({"point": np.array([0.615, 0.402]), "asset": 'a "mug"'}, "point")
    assert text == "<point x=\"61.5\" y=\"40.2\" alt=\"a 'mug'\">a 'mug'</point>"
    back = parse_action("point", text)
    assert np.allclose(back["point"], [0.615, 0.402], atol=1e-4) and back["asset"] == "a 'mug'"
    assert action_text({"point": [0.5, 0.5], "asset": "done"}, "point") == "done"
    assert action_text('add("bed")', "dsl", fenced=True) == '```python\nadd("bed")\n```'


def test_round_numbers_rounds_decimals_only():
    assert round_numbers('add("bed", at=(2.456, 3.04, 0), yaw=90) v1.25x', 1) == 'add("bed", at=(2.5, 3, 0), yaw=90) v1.25x'
    assert round_numbers("-0.04 and 12.999", 1) == "0 and 13"
    with pytest.raises(ParseError, match="round_digits"):
        round_numbers("1.5", 9)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.-, ()abz_\n")), max_size=200), st.integers(0, 4))
def test_round_numbers_on_any_text_keeps_the_non_numbers(text, digits):
    out = round_numbers(text, digits)
    letters = [c for c in text if c.isalpha() or c in "(),\n "]
    assert [c for c in out if c.isalpha() or c in "(),\n "] == letters
    assert round_numbers(out, digits) == out  # rounding is idempotent


def test_compact_prompts_are_short_and_rounded():
    obs = {"prompt": "A bedroom.", "scene": "# room: bedroom, 3.60 x 5.00 m, walls 2.80 m high; origin at ...\n"
           'add("bed", at=(2.456, 3.04, 0))', "feedback": "long feedback"}  # fmt: skip
    full = build_messages(obs, "dsl", (), (), PromptConfig())
    compact = build_messages(obs, "dsl", (), (), PromptConfig(style="compact", round_digits=1, max_examples=0))
    assert len(compact[0]["content"]) < len(full[0]["content"]) / 4
    assert compact[1]["content"] == 'Task: A bedroom.\n# room: bedroom, 3.6 x 5 m, walls 2.8 m high\nadd("bed", at=(2.5, 3, 0))'
    with pytest.raises(ParseError, match="prompt style"):
        PromptConfig(style="tiny")


def test_bootstrap_intervals():
    mean, low, high = bootstrap_mean_ci([1.0] * 10)
    assert (mean, low, high) == (1.0, 1.0, 1.0)
    rng = np.random.default_rng(0)
    a = rng.normal(0.5, 0.1, 40)
    assert paired_bootstrap(a + 0.2, a)["significant"] and paired_bootstrap(a + 0.2, a)["low"] == pytest.approx(0.2)
    noise = paired_bootstrap(a + rng.normal(0, 0.1, 40), a)
    assert noise["low"] < 0 < noise["high"] and not noise["significant"]


def test_suite_tasks_are_prompt_major_and_held_out_by_offset():
    tasks = suite_tasks("template", 2, 2)
    assert [(t.prompt_id, t.seed) for t in tasks] == [("bedroom", 0), ("bedroom", 1), ("living_room", 0),
                                                       ("living_room", 1)]  # fmt: skip
    assert tasks[0].episode_seed != tasks[1].episode_seed
    assert suite_tasks("template", 1, 1, offset=1)[0].prompt_id == "living_room"


def test_config_files_are_checked_field_by_field(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('rounds = 3\neval_suites = ["template"]\n')
    config = make_config(SelfImproveConfig, path, k=2)
    assert (config.rounds, config.k, config.eval_suites) == (3, 2, ("template",))
    with pytest.raises(ConfigError, match="unknown field"):
        make_config(SelfImproveConfig, {"round": 3})
    with pytest.raises(ConfigError, match="k: expected an integer >= 1, got 0"):
        make_config(SelfImproveConfig, {"k": 0})
    with pytest.raises(ConfigError, match="env"):
        make_config(SelfImproveConfig, {"env": "robot"})


def test_shipped_configs_load():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "configs"
    tiny = make_config(SelfImproveConfig, root / "self_improve_tiny.toml")
    gpu = make_config(SelfImproveConfig, root / "self_improve_gpu.toml")
    assert tiny.model == "tiny" and tiny.prompt_style == "compact" and tiny.reward == "quality"
    assert gpu.model != "tiny" and gpu.prompt_style == "full" and gpu.device == "auto"
    assert len(suite_tasks("template", tiny.eval_prompts_per_suite, tiny.eval_seeds)) * len(tiny.eval_suites) >= 30
    assert json.loads(json.dumps(tiny.eval_suites)) == ["template", "complex"]


def test_teacher_programs_are_chunked_rounded_and_stripped_of_dropped_arguments():
    from scene_gym.train.search import chunk_program, drop_keywords

    program = ('add("bed", at=(2.456, 3.47, 0), yaw=90, size=(1.76, 2.3, 1.1), material="oak wood")\n\n'
               'place_on("pillow", "bed_1", at=(0.1, -0.2))\nadd("rug", material=\'wool, grey\')\ndone()')  # fmt: skip
    assert chunk_program(program, 3, 1) == [
        'add("bed", at=(2.5, 3.5, 0), yaw=90, size=(1.8, 2.3, 1.1), material="oak wood")\n'
        'place_on("pillow", "bed_1", at=(0.1, -0.2))\nadd("rug", material=\'wool, grey\')',
        "done()",
    ]
    dropped = chunk_program(program, None, None, ("at", "yaw", "size", "material"))
    assert dropped == ['add("bed")\nplace_on("pillow", "bed_1")\nadd("rug")\ndone()']
    assert drop_keywords('add("sofa", facing="north")', ("at",)) == 'add("sofa", facing="north")'
