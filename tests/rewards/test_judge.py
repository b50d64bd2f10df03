"""The offline judge: ranking, determinism, bounds, formulas and the rewards built on it."""

from __future__ import annotations

import pytest
from reward_scenes import colliding_bedroom, emptied_bedroom, shuffled_bedroom

from scene_gym.actions import edit
from scene_gym.assets.room_priors import DESIRABLES, ESSENTIALS
from scene_gym.metrics import evaluate
from scene_gym.rewards import (
    GRADES,
    Grades,
    JudgeReward,
    OfflineJudge,
    PhysicalReward,
    QualityReward,
    RewardContext,
    RewardError,
    ScoreConfig,
    combine,
    make_reward,
)
from scene_gym.rewards.functional import TERMS
from scene_gym.rewards.judge import PENALTIES, essentials_coverage
from scene_gym.samples import bedroom_scene, grid_scene
from scene_gym.scene import ROOM_TYPES, Room, Scene
from scene_gym.spec import TaskSpec


@pytest.fixture(scope="module")
def judge():
    j = OfflineJudge()
    yield j
    j.close()


def verdict(judge, scene, **ctx):
    return judge.judge(scene, RewardContext(**ctx))


def test_good_bedroom_ranks_above_broken_variants(judge):
    good = verdict(judge, bedroom_scene())
    broken = {f"shuffled_{s}": shuffled_bedroom(s) for s in range(4)}
    broken |= {"colliding": colliding_bedroom(), "emptied": emptied_bedroom()}
    for name, scene in broken.items():
        res = verdict(judge, scene)
        assert res.q_vis < good.q_vis - 1.0, name
        assert res.q < good.q, name
    assert verdict(judge, colliding_bedroom()).grades.realism < 2.0
    empty = verdict(judge, emptied_bedroom())
    assert empty.grades.layout == 0.0 and empty.grades.completeness == 0.0


def test_deterministic_and_bounded(judge):
    for scene in (bedroom_scene(), shuffled_bedroom(0), emptied_bedroom(), grid_scene(30)):
        a, b = verdict(judge, scene), verdict(judge, scene)
        assert a.to_dict() == b.to_dict()
        for g in GRADES:
            assert 0.0 <= getattr(a.grades, g) <= 10.0
        assert 0.0 <= a.q_vis <= 10.0
        for key, value in a.details.items():
            assert value is None or 0.0 <= value <= 1.0 or key == "occupancy", key
    # a fresh judge (its own physics world) agrees with a warm one
    fresh = OfflineJudge()
    assert fresh.judge(bedroom_scene()).to_dict() == verdict(judge, bedroom_scene()).to_dict()
    fresh.close()


def pen(d, grade):
    """The product of the grade's flaw factors ``1 - w * (1 - term)`` (module docstring of the judge)."""
    out = 1.0
    for name, w in PENALTIES[grade].items():
        if d[name] is not None:
            out *= 1 - w * (1 - d[name])
    return out


def test_formulas_match_the_docstring(judge):
    scene = bedroom_scene()
    res = verdict(judge, scene)
    d, m = res.details, evaluate(scene)
    realism = 10 * d["p_phys"] * (0.6 * d["p_room"] + 0.4 * d["p_dens"]) * pen(d, "realism")
    functionality = 10 * (0.3 + 0.7 * d["essentials"]) * (0.4 * m.acc + 0.35 * m.nav + 0.25 * d["support"]) * pen(
        d, "functionality")  # fmt: skip
    layout = (
        10
        * (0.4 * d["relations"] + 0.25 * d["wall"] + 0.15 * d["align"] + 0.2 * d["free"])
        * pen(d, "layout")
    )
    completeness = 10 * (0.4 * d["counts"] + 0.15 * d["attributes"] + 0.25 * d["essentials"]
                         + 0.2 * d["richness"]) / 1.0  # fmt: skip
    assert res.grades.realism == pytest.approx(realism, abs=1e-4)
    assert res.grades.functionality == pytest.approx(functionality, abs=1e-4)
    assert res.grades.layout == pytest.approx(layout, abs=1e-4)
    assert res.grades.completeness == pytest.approx(completeness, abs=1e-4)
    # the worked example: a complete, collision-free bedroom whose prompt's counts are all met, bed without pillows
    assert (d["p_phys"], d["p_room"], d["essentials"], d["support"], d["counts"]) == (1, 1, 1, 1, 1)
    assert d["richness"] == pytest.approx(0.6 * 7 / (20.16 / 2.5) + 0.4, abs=1e-5)
    assert d["pillows"] == 0.0 and (d["tv_view"], d["conversation"], d["table_seats"]) == (None, None, None)
    assert all(d[k] == 1.0 for k in ("seat_focus", "companions", "bed_access", "desk_chair", "lamps", "wall_backs",
                                     "openings", "clutter", "scale"))  # fmt: skip
    assert d["relations"] == pytest.approx(1.0)  # lamps on the nightstands
    assert d["attributes"] == 0.0  # "a small desk": the desk has the default size
    assert res.grades.to_dict() == pytest.approx({"realism": 10.0, "functionality": 7.0, "layout": 10.0,
                                                  "completeness": 8.341667}, abs=1e-5)  # fmt: skip
    assert res.q_phy == m.q_phy == 14
    assert res.q == pytest.approx(0.1 * 14 + res.q_vis)


def test_scores_are_configurable(judge):
    scene = bedroom_scene()
    j = OfflineJudge(ScoreConfig(phy_weight=0.0, time_weight=1.0))
    res = j.judge(scene, RewardContext(elapsed_s=120.0))
    assert res.q == pytest.approx(res.q_vis)
    assert res.c == pytest.approx(res.q - 2.0)
    j.close()
    default = verdict(judge, scene, elapsed_s=60.0)
    assert default.c == pytest.approx(default.q - 0.05)
    with pytest.raises(RewardError, match="phy_weight"):
        ScoreConfig(phy_weight=-1)


def test_grades_validation():
    with pytest.raises(RewardError, match="grade layout: expected a number in \\[0, 10\\], got 11"):
        Grades(1, 2, 11, 3)
    with pytest.raises(RewardError, match="realism"):
        Grades(float("nan"), 1, 1, 1)
    r = combine(Grades(8, 6, 4, 2), q_phy=10, minutes=2)
    assert (r.q_vis, r.q, r.c) == (5.0, 6.0, 5.9)
    assert r.keys() == {"realism": 8.0, "functionality": 6.0, "layout": 4.0, "completeness": 2.0, "q_vis": 5.0,
                        "q": 6.0}  # fmt: skip


def test_a_toilet_in_a_restaurant_costs_realism(judge):
    room = Room.rectangle(8, 8, type="restaurant")
    base = Scene(room)
    edit.add_object(base, "dining_table", position=(4, 4, 0), size=(1.6, 0.9, 0.75))
    edit.add_object(base, "dining_chair", position=(4, 3.2, 0), size=(0.45, 0.52, 0.9))
    with_toilet = base.copy()
    edit.add_object(with_toilet, "toilet", position=(1, 7, 0), size=(0.38, 0.7, 0.78), yaw=3.14159)
    with_chair = base.copy()
    edit.add_object(with_chair, "dining_chair", position=(1, 7, 0), size=(0.45, 0.52, 0.9), yaw=3.14159)
    a, b = verdict(judge, with_toilet), verdict(judge, with_chair)
    assert a.details["p_room"] < 1.0 == b.details["p_room"]
    assert a.grades.realism < b.grades.realism


def test_spec_counts_drive_completeness(judge):
    scene = bedroom_scene()
    asked = TaskSpec.from_dict({"room_type": "bedroom", "objects": ["eq,1,bed", "eq,2,nightstand"]})
    wrong = TaskSpec.from_dict({"room_type": "bedroom", "objects": ["eq,4,bed", "eq,0,nightstand"]})
    other_room = TaskSpec.from_dict({"room_type": "kitchen", "objects": ["eq,1,bed", "eq,2,nightstand"]})
    good, bad = verdict(judge, scene, spec=asked), verdict(judge, scene, spec=wrong)
    assert good.details["counts"] == 1.0
    assert bad.details["counts"] == pytest.approx((1 / 4 + 1 / 3) / 2, abs=1e-6)
    assert good.grades.completeness > bad.grades.completeness
    assert verdict(judge, scene, spec=other_room).details["room_match"] == 0.7


def test_spec_relations_and_attributes_drive_layout(judge):
    scene = bedroom_scene()
    holds = TaskSpec.from_dict(
        {
            "relations": [{"relation": "against_wall", "subject": "bed", "wall": "north"}],
            "attributes": [{"category": "bed", "kind": "colour", "value": "grey"}],
        }
    )
    fails = TaskSpec.from_dict(
        {
            "relations": [{"relation": "against_wall", "subject": "bed", "wall": "south"}],
            "attributes": [{"category": "bed", "kind": "colour", "value": "red"}],
        }
    )
    a, b = verdict(judge, scene, spec=holds), verdict(judge, scene, spec=fails)
    assert a.details["relations"] > 0.9 > 0.1 > b.details["relations"]
    assert a.details["attributes"] == 1.0 and b.details["attributes"] == 0.0
    assert a.grades.layout > b.grades.layout


def test_essentials_table_covers_every_room_type():
    assert set(ESSENTIALS) == set(DESIRABLES) == set(ROOM_TYPES)
    assert essentials_coverage("bedroom", {"bed", "wardrobe", "nightstand", "table_lamp"}) == 1.0
    assert essentials_coverage("bedroom", {"wardrobe"}) == pytest.approx(1 / 3)
    assert essentials_coverage("not a room", set()) == 1.0


def test_rewards_on_the_judge(judge):
    good, empty = bedroom_scene(), emptied_bedroom()
    jr, qr, pr = JudgeReward(judge), QualityReward(judge), PhysicalReward()
    for r in (jr, qr, pr):
        a, b = r(good), r(empty)
        assert a.value > b.value or r is pr
        assert -1.0 <= a.value <= 1.0
    assert jr(good).value == pytest.approx(verdict(judge, good).q_vis / 10)
    measured = {k for k in TERMS if verdict(judge, good).details[k] is not None}
    assert set(jr(good).terms) == {*GRADES, "q_vis", *measured} and "pillows" in measured
    assert all(0.0 <= jr(good).terms[k] <= 1.0 for k in measured)
    assert pr(colliding_bedroom()).value < pr(good).value == 1.0
    assert set(pr(good).terms) == {"collision_free", "in_bounds", "supported", "nav", "acc", "opc"}
    res = make_reward("0.5*quality+0.5*physical")(good)
    assert set(res.terms) >= {"quality", "physical", "quality.realism", "physical.nav"}
    pr.close()


def test_context_metrics_are_shared_between_rewards(judge):
    ctx = RewardContext()
    scene = bedroom_scene()
    JudgeReward(judge)(scene, ctx)
    m = ctx.cached("metrics", lambda: pytest.fail("metrics recomputed"))
    assert m.n_obj == 14
