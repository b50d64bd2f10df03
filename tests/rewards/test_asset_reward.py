"""The asset-level reward: bounded terms, determinism, nothing for nothing, the perturbation table, and the reward
inside ``SceneSynthAsset-v2``."""

from __future__ import annotations

import sys
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

import scene_gym  # noqa: F401  (registers the envs)
from scene_gym.actions import edit
from scene_gym.assets import factories
from scene_gym.envs.asset_synth import RECEPTACLES
from scene_gym.errors import RewardError
from scene_gym.rewards import asset_affinity as table
from scene_gym.rewards.asset_fit import EMPTY_TERMS, WEIGHTS, AssetReward, find_receptacle
from scene_gym.rewards.base import RewardContext
from scene_gym.rewards.reward_spec import make_reward

sys.path.insert(0, str(Path(__file__).parent))
import asset_cases as cases  # noqa: E402

TERMS = set(WEIGHTS)


@pytest.fixture(scope="module")
def reward():
    r = make_reward("asset")
    yield r
    r.close()


@pytest.fixture(scope="module")
def arrangements():
    return cases.arrangements()


def _value(reward, scene, **ctx):
    return reward(scene, RewardContext(**ctx))


def test_registered_and_takes_no_argument():
    assert isinstance(make_reward("asset"), AssetReward)
    with pytest.raises(RewardError, match="asset"):
        make_reward("asset:strict")


def test_tables_name_catalog_categories():
    fs = factories()
    small = {c for c, f in fs.items() if f.small}
    for rec, row in table.AFFINITY.items():
        assert rec in fs and not fs[rec].small, rec
        assert set(row) <= small, set(row) - small
        assert all(0.0 <= v <= 1.0 for v in row.values())
    assert set(RECEPTACLES) <= set(table.AFFINITY)
    named = set(table.GENERIC) | set(table.SELF_STACKING) | set(table.FAMILIES)
    named |= {c for cats in table.PROMPT_CUES.values() for c in cats}
    named |= set(table.STACKS) | {c for tops in table.STACKS.values() for c in tops}
    named |= {c for _, allowed, _ in table.FREE_ZONES.values() for c in allowed}
    assert named <= small, named - small
    assert set(table.ALIASES) <= set(fs) and set(table.ALIASES.values()) <= set(table.AFFINITY)
    assert set(table.ROW_DEFAULT) <= set(table.AFFINITY)
    assert all(0.0 <= v <= 1.0 for v in (*table.GENERIC.values(), *table.ROW_DEFAULT.values()))


def test_every_receptacle_the_env_accepts_has_a_row():
    from scene_gym.envs.asset_synth import receptacle_prompts
    from scene_gym.errors import SceneGymError

    accepted = []
    for category in sorted(factories()):
        try:
            receptacle_prompts(category)
        except SceneGymError:
            continue
        accepted.append(category)
    assert len(accepted) > len(RECEPTACLES)
    assert [c for c in accepted if table.ALIASES.get(c, c) not in table.AFFINITY] == []
    assert table.affinity("stove", "vase") < 0.1 < 0.9 < table.affinity("armchair", "pillow")
    assert abs(sum(WEIGHTS.values()) - 1.0) < 1e-12


def test_empty_receptacle_scores_zero_and_below_a_single_sensible_placement(reward):
    for rec in RECEPTACLES:
        scene = cases.empty(rec)
        res = _value(reward, scene)
        assert res.value == 0.0 and res.terms == EMPTY_TERMS
        best = max(table.AFFINITY[rec], key=lambda c: (table.AFFINITY[rec][c], c))
        edit.place_on(scene, best, scene.objects[0].id)
        single = _value(reward, scene)
        assert single.value > 0.5 > res.value, (rec, best, single)


def test_good_arrangement_beats_empty_and_the_terms_are_bounded(reward, arrangements):
    assert len(arrangements) >= 20
    for cat, seed, scene in arrangements:
        assert len(scene.descendants(scene.objects[0].id)) >= 3, (cat, seed)
        res = _value(reward, scene)
        assert set(res.terms) == TERMS and all(0.0 <= v <= 1.0 for v in res.terms.values())
        assert 0.85 < res.value <= 1.0, (cat, seed, res)
        for name, perturb in cases.PERTURB.items():
            bad = _value(reward, perturb(scene, np.random.default_rng(seed)))
            assert set(bad.terms) == TERMS and all(0.0 <= v <= 1.0 for v in bad.terms.values()), (name, bad)
            assert 0.0 <= bad.value <= 1.0


def test_deterministic(reward, arrangements):
    _, _, scene = arrangements[0]
    first = _value(reward, scene)
    again = _value(reward, scene.copy())
    fresh = AssetReward()
    try:
        assert first == again == _value(fresh, scene)
    finally:
        fresh.close()


def test_perturbations_lower_the_reward(reward, arrangements, capsys):
    result = cases.perturbation_table(reward, arrangements)
    with capsys.disabled():
        print("\n" + cases.format_table(result))
    for name, (passed, total, fails) in result.items():
        assert total >= 20 and passed >= 0.95 * total, (name, passed, total, fails)


def test_prompt_and_spec_requests_count_as_fitting(reward):
    scene = cases.empty("desk", prompt="a desk")
    edit.place_on(scene, "board_game", "desk_1")
    plain = _value(reward, scene).terms["fit"]
    cued = _value(reward, scene, prompt="a desk for game night").terms["fit"]
    asked = _value(reward, scene, prompt="a desk with a board game").terms["fit"]
    assert plain == table.affinity("desk", "board_game") < cued == table.CUE_FIT < asked == table.SPEC_FIT


def test_nonsense_stacking_and_duplicates_score_lower(reward):
    def stacked(bottom, top):
        scene = cases.empty("coffee_table", prompt="a coffee table")
        low = edit.place_on(scene, bottom, "coffee_table_1")
        x, y, z = low.position
        edit.add_object(scene, top, position=(x, y, z + low.size[2]), yaw=low.yaw, parent=low.id)
        return _value(reward, scene).terms["arrangement"]

    assert stacked("book", "book") > stacked("table_lamp", "plate")
    scene = cases.empty("desk", prompt="a desk")
    fits = []
    for _ in range(5):
        edit.place_on(scene, "mug", "desk_1")
        fits.append(_value(reward, scene).terms["fit"])
    assert fits[0] == fits[1] > fits[2] > fits[4]


def test_receptacle_is_the_floor_object_with_items():
    scene = cases.good_arrangement("desk", 0)
    edit.add_object(scene, "dining_table", position=(0.9, 0.6, 0.0))
    assert find_receptacle(scene).id == "desk_1"
    assert find_receptacle(cases.empty("nightstand")).id == "nightstand_1"


def test_asset_reward_runs_inside_the_asset_env():
    env = gym.make("SceneSynthAsset-v2", image_size=None, reward="asset")
    try:
        _, info = env.reset(seed=0, options={"receptacle": "desk"})
        total, placed = 0.0, 0
        for text in ("a book", "a mug", "a desk lamp", "done"):
            _, r, term, _, info = env.step({"point": np.array([0.5, 0.5], np.float32), "asset": text})
            total += r
            assert not info["reward_error"], info["reward_error"]
            if info["applied"]:
                placed += 1
                assert set(info["reward_terms"]) == TERMS
            if term:
                break
        assert placed >= 1
        scene = env.unwrapped.scene
        assert abs(total - make_reward("asset")(scene, RewardContext()).value) < 1e-6
    finally:
        env.close()


def test_any_scene_gets_a_bounded_value(reward, bedroom):
    from scene_gym.scene import Room, Scene

    for scene in (bedroom, Scene(Room.rectangle(3.0, 3.0))):
        res = _value(reward, scene)
        assert set(res.terms) == TERMS and 0.0 <= res.value <= 1.0
        assert all(0.0 <= v <= 1.0 for v in res.terms.values())


@pytest.mark.parametrize("item, value", [("laptop", 0.925), ("dumbbell", 0.52125)])
def test_worked_examples_of_the_docstring(reward, item, value):
    scene = cases.empty("desk", prompt="a desk")
    edit.place_on(scene, item, "desk_1", at=(-1.0, -1.0))
    res = _value(reward, scene)
    assert res.value == pytest.approx(value, abs=1e-9), res
    assert res.terms["arrangement"] == res.terms["free_area"] == res.terms["stability"] == 1.0


def test_random_clutter_gets_bounded_terms(reward):
    """Random items at random spots over the receptacle (on it or on an earlier item), off its surfaces too."""
    rng = np.random.default_rng(7)
    small = sorted(c for c, f in factories().items() if f.small)
    for k in range(16):
        rec_cat = cases.RECEPTACLES[k % len(cases.RECEPTACLES)]
        scene = cases.empty(rec_cat, yaw=float(rng.uniform(-3.1, 3.1)))
        rec = scene.objects[0]
        for _ in range(int(rng.integers(1, 7))):
            below = scene.objects[int(rng.integers(len(scene.objects)))]
            x, y = np.array(below.position[:2]) + rng.uniform(-0.4, 0.4, 2)
            z = below.position[2] + below.size[2] * float(rng.choice([1.0, 0.5]))
            edit.add_object(scene, small[int(rng.integers(len(small)))], position=(x, y, z),
                            yaw=float(rng.uniform(-3.1, 3.1)), parent=below.id)  # fmt: skip
        res = _value(reward, scene)
        assert len(scene.descendants(rec.id)) >= 1
        assert set(res.terms) == TERMS and 0.0 <= res.value <= 1.0, res
        assert all(0.0 <= v <= 1.0 for v in res.terms.values()), res
