"""Built-in suites load and carry what the protocols ask; bad suites fail naming the field."""

from __future__ import annotations

import json

import pytest

from scene_gym.assets import factories
from scene_gym.benchmarks import BenchmarkError, builtin_suites, load_suite
from scene_gym.scene import ROOM_TYPES


def test_builtin_suites_are_listed():
    assert builtin_suites() == ["asset", "complex", "rooms-50", "template"]


def test_template_is_ten_room_types_times_five_seeds():
    s = load_suite("template")
    assert s.default_seeds == 5 and s.version >= 1
    assert [e.room_type for e in s.entries] == ["bedroom", "living room", "kitchen", "gym", "restaurant", "bathroom",
                                                "children room", "meeting room", "office", "waiting room"]
    assert all(e.prompt == f"Design me a {e.room_type}." for e in s.entries)
    assert set(s.env_kinds) == {"scene", "trajectory", "toolstep"}


def test_complex_has_annotated_counts_attributes_and_both_relation_kinds():
    s = load_suite("complex")
    assert len(s.entries) >= 30
    specs = [e.task_spec() for e in s.entries]
    assert all(sp.objects and sp.relations for sp in specs)
    assert sum(bool(sp.attributes) for sp in specs) >= 10
    assert all(sp.object_relations or sp.arch_relations for sp in specs)
    assert sum(len(sp.object_relations) for sp in specs) >= 30 and sum(len(sp.arch_relations) for sp in specs) >= 30
    assert all(c in factories() for sp in specs for c in sp.categories)
    assert all(sp.room_type == e.room_type for sp, e in zip(specs, s.entries, strict=True))
    assert len({e.prompt for e in s.entries}) == len(s.entries)


def test_rooms_50_has_fifty_distinct_room_types():
    s = load_suite("rooms-50")
    assert len(s.entries) == 50 and len({e.label for e in s.entries}) == 50
    assert all(e.room_type in ROOM_TYPES for e in s.entries)
    # a prompt without annotation is judged against its parsed text with the entry's room type
    e = next(e for e in s.entries if e.label == "home library")
    assert e.room_type == "bookstore" and e.task_spec().room_type == "bookstore"


def test_asset_suite_v2_keeps_the_fifteen_and_adds_nine_catalog_receptacles():
    s = load_suite("asset")
    assert s.env_kinds == ("asset",) and s.is_asset and s.version == 2
    labels = [e.label for e in s.entries]
    assert {lab: labels.count(lab) for lab in labels} == {"small table": 7, "large table": 8, "shelf": 7, "cabinet": 2}
    from scene_gym.envs.asset_synth import RECEPTACLES, receptacle_prompts

    first = s.entries[:15]  # 3D-Generalist's 15: 5 small tables, 5 large tables, 5 shelves, unchanged
    assert [e.id for e in first] == [f"{g}_{i}" for g in ("small_table", "large_table", "shelf") for i in range(1, 6)]
    assert all(e.receptacle in RECEPTACLES for e in first)
    added = {e.receptacle for e in s.entries[15:]}
    assert len(s.entries) == 24 and len(added - set(RECEPTACLES)) >= 7
    assert all(receptacle_prompts(e.receptacle) and e.prompt for e in s.entries)  # the env accepts each one
    assert all(e.receptacle in e.task_spec().categories for e in s.entries[15:])


def test_unknown_suite_names_it_and_suggests():
    with pytest.raises(BenchmarkError, match=r"unknown suite 'templte'.*did you mean 'template'"):
        load_suite("templte")


def _write(tmp_path, data):
    p = tmp_path / "suite.json"
    p.write_text(json.dumps(data))
    return str(p)


def test_suite_file_errors_name_the_field(tmp_path):
    base = {"schema": "scene-gym/suite@1", "name": "mini", "version": 1, "env_kinds": ["scene"],
            "entries": [{"id": "a", "prompt": "Design me a gym.", "room_type": "gym", "width": [4, 5], "depth": [4, 5]}]}
    assert load_suite(_write(tmp_path, base)).entries[0].label == "gym"
    bad = json.loads(json.dumps(base))
    bad["entries"][0]["room_type"] = "spaceship"
    with pytest.raises(BenchmarkError, match=r"entries\[0\]\.room_type: expected one of .* got 'spaceship'"):
        load_suite(_write(tmp_path, bad))
    bad = json.loads(json.dumps(base))
    bad["entries"][0]["width"] = [4, 0.5]
    with pytest.raises(BenchmarkError, match=r"entries\[0\]\.width"):
        load_suite(_write(tmp_path, bad))
    bad = json.loads(json.dumps(base))
    bad["entries"][0]["spec"] = {"objects": ["eq,2,unicorn"]}
    with pytest.raises(BenchmarkError, match=r"entries\[0\]\.spec: expected categories of the asset catalog, got \['unicorn'\]"):
        load_suite(_write(tmp_path, bad))
    bad = json.loads(json.dumps(base))
    bad["entries"].append(dict(bad["entries"][0]))
    with pytest.raises(BenchmarkError, match=r"entries\[1\]\.id: expected ids unique"):
        load_suite(_write(tmp_path, bad))
    with pytest.raises(BenchmarkError, match="schema"):
        load_suite(_write(tmp_path, {**base, "schema": "x"}))
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(BenchmarkError, match="expected JSON"):
        load_suite(str(tmp_path / "broken.json"))


def test_select_unknown_prompt_is_an_error():
    s = load_suite("template")
    assert [e.id for e in s.select(["office", "gym"])] == ["office", "gym"]
    with pytest.raises(BenchmarkError, match="unknown \\['attic'\\]"):
        s.select(["attic"])
