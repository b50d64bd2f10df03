"""Prompt suites as Hugging Face datasets: every built-in suite loads, splits by entry, and each row's ``info``
restarts the benchmark's starting state."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.data import PromptDatasetError, load_prompt_dataset, row_start

COLUMNS = {"prompt", "task_id", "task_prompt", "suite", "seed", "episode_seed", "kind", "info"}


@pytest.mark.parametrize(("suite", "kind"), [("template", "dsl"), ("complex", "dsl"), ("rooms-50", "dsl"),
                                              ("asset", "asset")])  # fmt: skip
def test_every_builtin_suite_loads_with_disjoint_entry_splits(suite, kind):
    from scene_gym.benchmarks.suites import load_suite

    ds = load_prompt_dataset(suite, kind, eval_fraction=0.2, seed=0, style="compact")
    entries = [e.id for e in load_suite(suite).entries]
    train, ev = set(ds["train"]["task_id"]), set(ds["eval"]["task_id"])
    assert set(ds) == {"train", "eval"} and set(ds["train"].column_names) == COLUMNS
    assert train.isdisjoint(ev) and train | ev == set(entries)
    assert len(ev) == max(1, round(0.2 * len(entries)))
    row = ds["eval"][0]
    assert [m["role"] for m in row["prompt"]] == ["system", "user"]
    assert all(isinstance(m["content"], str) and m["content"] for m in row["prompt"])
    assert row["task_prompt"] in row["prompt"][1]["content"]
    info = json.loads(row["info"])
    assert info["task_id"] == row["task_id"] and info["spec"]["prompt"] == row["task_prompt"]
    assert {row["kind"]} == set(ds["train"]["kind"]) == {"scene" if kind == "dsl" else kind}


def test_info_restarts_the_benchmarks_starting_state():
    from scene_gym.benchmarks.episode import episode_seed, starting_options
    from scene_gym.benchmarks.suites import load_suite

    ds = load_prompt_dataset("template", "dsl", eval_fraction=0.3, seed=1, seeds=2)
    entry = {e.id: e for e in load_suite("template").entries}
    assert len(ds["train"]) + len(ds["eval"]) == 20 and sorted(set(ds["train"]["seed"])) == [0, 1]
    for row in list(ds["train"])[:3]:
        task = {"seed": row["seed"], "entry": dataclasses.asdict(entry[row["task_id"]])}
        seed, options = row_start(row["info"])
        assert seed == row["episode_seed"] == episode_seed(task)
        expected = starting_options(task)["scene"]
        assert (
            options["scene"].room.bounds == expected.room.bounds
            and options["scene"].prompt == row["task_prompt"]
        )


def test_split_follows_the_seed_and_kinds_prompt_their_format():
    a = load_prompt_dataset("rooms-50", "dsl", eval_fraction=0.2, seed=3, style="compact")
    b = load_prompt_dataset("rooms-50", "dsl", eval_fraction=0.2, seed=3, style="compact")
    c = load_prompt_dataset("rooms-50", "dsl", eval_fraction=0.2, seed=4, style="compact")
    assert a["eval"]["task_id"] == b["eval"]["task_id"] != c["eval"]["task_id"]
    tool = load_prompt_dataset("template", "toolstep")["train"][0]["prompt"]
    traj = load_prompt_dataset("template", "trajectory")["train"][0]["prompt"]
    full = load_prompt_dataset("template", "dsl")["train"][0]["prompt"]
    assert "calling the tools you are given" in tool[0]["content"] and "```json" not in tool[1]["content"]
    assert "Tools:" in traj[0]["content"] and "add_objects" in traj[0]["content"]
    assert "Commands:" in full[0]["content"] and "Current scene" in full[1]["content"]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"eval_fraction": 0}, "eval_fraction"), ({"eval_fraction": 1.5}, "eval_fraction"),
    ({"eval_fraction": True}, "eval_fraction"), ({"seeds": 0}, "seeds"), ({"seed": -1}, "seed"),
    ({"kind": "bogus"}, "kind"), ({"kind": "asset"}, "kind"), ({"style": "long"}, "style"),
])  # fmt: skip
def test_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(PromptDatasetError, match=f"^{field}"):
        load_prompt_dataset(**{"suite": "template", **kwargs})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                              lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=4),
                              max_leaves=20),
                 st.fixed_dictionaries({"episode_seed": st.integers(-5, 2**33), "start": st.dictionaries(
                     st.sampled_from(["scene", "receptacle", "prompt"]), st.text(max_size=10) | st.integers())})))  # fmt: skip
def test_row_start_reads_hostile_info_or_names_the_field(info):
    try:
        seed, options = row_start(info)
    except PromptDatasetError as err:
        assert str(err).startswith("info")
    else:
        assert 0 <= seed < 2**32 and set(options) in ({"scene"}, {"receptacle", "prompt"})
