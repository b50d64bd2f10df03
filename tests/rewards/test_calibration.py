"""The reward calibration suite: every perturbation family damages a copy (never its input), deterministically,
applies to at least 20 heuristic template scenes, and lowers the offline judge's q_vis in at least 95% of them.

The scenes (10 room types x 4 seeds, heuristic policy, trajectory env) are built once per module, and the table
once: measured with ``benchmarks/bench_reward_calibration.py``, 9 s of CPU to build the 40 scenes and 24 s to judge
them and their 1,200 damaged copies (62 s wall clock on the loaded 2-core dev machine).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from scene_gym.actions import edit
from scene_gym.errors import RewardError
from scene_gym.rewards import OfflineJudge
from scene_gym.rewards.calibration import FAMILIES, CalibrationScene, calibrate, family_rng
from scene_gym.samples import bedroom_scene

SEEDS = range(4)
MIN_SCENES = 20
MIN_SHARE = 0.95


@pytest.fixture(scope="module")
def scenes():
    from scene_gym.benchmarks.calibration_scenes import template_scenes

    return template_scenes(SEEDS)


@pytest.fixture(scope="module")
def table(scenes):
    judge = OfflineJudge()
    try:
        return calibrate(judge, FAMILIES, scenes)
    finally:
        judge.close()


# --- the runner, on a stand-in judge (q_vis = number of objects) ----------------------------------------------
class CountJudge:
    """q_vis = the number of objects: removing one object drops it by exactly 1."""

    def judge(self, scene, context):
        return SimpleNamespace(q_vis=float(len(scene)))


def drop_first(scene, rng):
    out = scene.copy()
    edit.remove_objects(out, [out.objects[0].id])
    return out


def add_lamp(scene, rng):
    out = scene.copy()
    edit.add_object(out, "floor_lamp", position=(0.5, 2.0, 0.0))
    return out


def never(scene, rng):
    return None


def test_calibrate_counts_shares_and_drops():
    a, b = bedroom_scene(), bedroom_scene()
    edit.remove_objects(b, [o.id for o in b.objects if o.category == "rug"])
    table = calibrate(CountJudge(), [drop_first, add_lamp, never], [CalibrationScene("a", a), b])
    first, lamp, none = table.rows
    assert (first.family, first.applied, first.lowered, first.share) == ("drop_first", 2, 2, 1.0)
    # the first object carries nothing in one scene and something in the other: drops are 1 + its load
    assert first.drops == (
        1.0 + len(a.descendants(a.objects[0].id)),
        1.0 + len(b.descendants(b.objects[0].id)),
    )
    assert (lamp.applied, lamp.lowered, lamp.mean_drop, lamp.worst_drop, lamp.worst_scene) == (
        2,
        0,
        -1.0,
        -1.0,
        "a",
    )
    assert none.applied == 0 and none.share == 0.0 and np.isnan(none.mean_drop)
    assert table.originals == {"a": float(len(a)), "scene_1": float(len(b))}
    assert table.row("add_lamp") is lamp
    text = table.format()
    assert "drop_first" in text and "1/3 families" in text


def test_calibrate_refuses_a_family_that_changes_its_input():
    def vandal(scene, rng):
        edit.remove_objects(scene, [scene.objects[0].id])
        return scene

    with pytest.raises(RewardError, match="vandal: changed its input scene scene_0"):
        calibrate(CountJudge(), [vandal], [bedroom_scene()])


def test_calibrate_refuses_bad_families_and_scenes():
    with pytest.raises(RewardError, match="expected a Scene or None, got str"):
        calibrate(CountJudge(), [lambda scene, rng: "not a scene"], [bedroom_scene()])
    with pytest.raises(RewardError, match="distinct names"):
        calibrate(CountJudge(), [never, never], [bedroom_scene()])
    with pytest.raises(RewardError, match=r"scenes\[0\]: expected a Scene"):
        calibrate(CountJudge(), [never], ["bedroom"])
    with pytest.raises(RewardError, match="family: expected one of"):
        calibrate(CountJudge(), [never], [bedroom_scene()]).row("nope")


def test_family_rng_depends_on_seed_family_and_scene():
    draw = lambda *key: family_rng(*key).integers(1 << 30)  # noqa: E731
    assert draw(0, "f", 1) == draw(0, "f", 1)
    assert len({draw(0, "f", 1), draw(1, "f", 1), draw(0, "g", 1), draw(0, "f", 2)}) == 4


# --- the families ---------------------------------------------------------------------------------------------
def test_at_least_25_documented_families():
    names = [f.__name__ for f in FAMILIES]
    assert len(FAMILIES) >= 25 and len(set(names)) == len(names)
    undocumented = [
        f.__name__ for f in FAMILIES if "Should lower:" not in " ".join((f.__doc__ or "").split())
    ]
    assert not undocumented


def test_scenes_span_the_ten_template_room_types(scenes):
    assert len({c.scene.room.type for c in scenes}) == 10
    assert len(scenes) == 10 * len(SEEDS)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__)
def test_family_damages_a_copy_deterministically(family, scenes):
    applied = 0
    for k, case in enumerate(scenes[:10]):  # one seed: every room type once
        before = case.scene.to_dict()
        first = family(case.scene, family_rng(7, family.__name__, k))
        assert case.scene.to_dict() == before, f"{family.__name__} changed {case.name}"
        if first is None:
            continue
        applied += 1
        assert first is not case.scene
        assert first.to_dict() != before, f"{family.__name__} returned {case.name} unchanged"
        again = family(case.scene, family_rng(7, family.__name__, k))
        assert again.to_dict() == first.to_dict(), f"{family.__name__} is not deterministic on {case.name}"
    assert applied >= 1


def test_each_family_applies_to_at_least_20_scenes(table):
    few = {r.family: r.applied for r in table.rows if r.applied < MIN_SCENES}
    assert not few, f"families applying to fewer than {MIN_SCENES} scenes: {few}"


def test_the_same_scene_gets_the_same_grade(scenes, table):
    judge = OfflineJudge()
    try:
        again = {c.name: judge.judge(c.scene, _context(c)).q_vis for c in scenes[:10]}
    finally:
        judge.close()
    assert again == {name: table.originals[name] for name in again}


def _context(case):
    from scene_gym.rewards import RewardContext

    return RewardContext(spec=case.spec)


def test_each_family_lowers_the_grade_in_95_percent_of_its_scenes(table):
    print("\n" + table.format())
    weak = {r.family: f"{r.lowered}/{r.applied}" for r in table.rows if r.share < MIN_SHARE}
    assert not weak, (
        f"families lowering q_vis in under {MIN_SHARE:.0%} of their scenes: {weak}\n{table.format()}"
    )
