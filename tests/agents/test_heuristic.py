"""The heuristic planner: priors, plans, tool calls, DSL programs, points, and the policy in every env."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

import scene_gym  # noqa: F401  (registers the envs)
from scene_gym.actions.tools import parse_trajectory, validate_trajectory
from scene_gym.agents import Policy, run_episode
from scene_gym.agents.heuristic import HeuristicPolicy, make_plan, plan_calls
from scene_gym.agents.heuristic.check import build, check_spec
from scene_gym.agents.heuristic.dsl_writer import dsl_action
from scene_gym.agents.heuristic.pointing import ITEM_PRIORS, item_plan, project, surface_frames
from scene_gym.assets import factories
from scene_gym.assets.room_priors import CROWDS, EXTRAS, ROOM_CROWDS, room_types
from scene_gym.errors import SceneGymError
from scene_gym.metrics import evaluate
from scene_gym.scene import ROOM_TYPES
from scene_gym.spec import TaskSpec

BEDROOM = "A cosy bedroom with a double bed, two nightstands with lamps and a wardrobe"


def test_priors_cover_every_room_type_with_catalog_categories():
    assert set(room_types()) == set(ROOM_TYPES) and len(ROOM_TYPES) >= 19
    assert set(EXTRAS) == set(ROOM_TYPES)
    fs = factories()
    for items in EXTRAS.values():
        for it in items:
            assert it.category in fs, it.category
            for t in it.relations:
                assert t.get("target") is None or t["target"] in fs
    for rec, (cats, n) in CROWDS.items():
        assert rec in fs and n >= 1
        assert all(c in fs and fs[c].small for c in cats), rec
    for (_, rec), cats in ROOM_CROWDS.items():
        assert rec in fs and all(fs[c].small for c in cats)


def test_plan_follows_the_spec_counts_materials_and_sizes():
    spec = TaskSpec.from_dict({"room_type": "bedroom", "objects": ["eq,1,nightstand", "eq,3,armchair"],
                               "attributes": [{"category": "bed", "kind": "colour", "value": "grey"},
                                              {"category": "wardrobe", "kind": "size", "value": "tall"}]})
    plan = make_plan(spec, np.random.default_rng(0))
    counts = plan.counts()
    assert counts["nightstand"] == 1 and counts["armchair"] == 3 and counts["bed"] == 1
    bed = next(i for i in plan.items if i.category == "bed")
    assert bed.material is not None and "grey" in bed.material
    wardrobe = next(i for i in plan.items if i.category == "wardrobe")
    assert wardrobe.size[2] > factories()["wardrobe"].default_size[2]
    assert not plan.prior_only  # the spec changes the prior: explicit add_objects calls


def test_plan_orders_targets_before_subjects_and_drops_zero_counts():
    spec = TaskSpec.from_dict({"room_type": "living room", "objects": ["eq,0,tv_stand", "eq,1,sofa"],
                               "relations": [{"relation": "next_to", "subject": "floor_lamp", "target": "sofa"}]})
    plan = make_plan(spec, np.random.default_rng(1))
    cats = [i.category for i in plan.items]
    assert "tv_stand" not in cats
    assert cats.index("sofa") < cats.index("floor_lamp")
    for it in plan.items:
        for t in it.relations:
            assert t.get("target") != "tv_stand"


def test_room_size_grows_with_the_furniture():
    small = make_plan(TaskSpec.from_dict({"room_type": "office"}), np.random.default_rng(0))
    big = make_plan(TaskSpec.from_dict({"room_type": "office", "objects": ["eq,12,desk"]}), np.random.default_rng(0))
    assert big.width * big.depth > small.width * small.depth
    given = make_plan("Design me an office", np.random.default_rng(0), size=(3.3, 3.1))
    assert (given.width, given.depth) == (3.3, 3.1)


def test_bare_room_prompt_uses_init_layout_and_predicted_ids():
    plan = make_plan("Design me a bedroom", np.random.default_rng(0))
    assert plan.prior_only and plan.room_type == "bedroom"
    calls = plan_calls(plan)
    tools = [c["tool"] for c in calls]
    assert tools[:2] == ["init_room", "init_layout"] and tools[-2:] == ["optimize_physics", "terminate"]
    validate_trajectory(parse_trajectory(json.dumps(calls)))
    receptacles = {c["args"]["receptacle"] for c in calls if c["tool"] == "add_crowd"}
    assert {"nightstand_1", "nightstand_2", "desk_1"} <= receptacles


def test_detailed_prompt_calls_validate_and_relate_to_earlier_ids():
    calls = plan_calls(make_plan(BEDROOM, np.random.default_rng(0)))
    validate_trajectory(parse_trajectory(json.dumps(calls)))
    added: set[str] = set()
    counts: dict[str, int] = {}
    for c in calls:
        if c["tool"] != "add_objects":
            continue
        for r in c["args"].get("relations", []):
            if "target" in r:
                assert r["target"] in added, (c, added)
        if "parent" in c["args"]:
            assert c["args"]["parent"] in added
        cat = c["args"]["category"]
        for _ in range(c["args"]["count"]):
            counts[cat] = counts.get(cat, 0) + 1
            added.add(f"{cat}_{counts[cat]}")
    lamps = [c for c in calls if c["tool"] == "add_objects" and c["args"]["category"] == "table_lamp"]
    assert sorted(c["args"]["parent"] for c in lamps) == ["nightstand_1", "nightstand_2"]


def test_max_calls_keeps_room_and_finish():
    calls = plan_calls(make_plan("Design me a restaurant", np.random.default_rng(0)), max_calls=6)
    assert len(calls) == 6
    assert calls[0]["tool"] == "init_room" and calls[-1]["tool"] == "terminate"
    with pytest.raises(SceneGymError, match="max_calls"):
        plan_calls(make_plan("Design me a gym"), max_calls=2)


def test_build_meets_a_detailed_prompt():
    spec = TaskSpec.from_dict({"room_type": "office", "objects": ["eq,1,desk", "eq,1,office_chair", "eq,1,laptop"],
                               "relations": [{"relation": "against_wall", "subject": "desk"},
                                             {"relation": "on_top_of", "subject": "laptop", "target": "desk"}]})
    scene, _, _ = build(spec, seed=3)
    rep = check_spec(scene, spec)
    assert rep.counts_ok and rep.layout >= 0.9 and not rep.missing_essentials
    m = evaluate(scene)
    assert m.n_oob == 0 and m.n_collisions == 0


def test_dsl_writer_reads_the_printed_scene_and_counts_what_is_there():
    from scene_gym.actions.dsl.printer import scene_to_dsl
    from scene_gym.samples import bedroom_scene

    scene = bedroom_scene()
    text = scene_to_dsl(scene)
    before = text
    program = dsl_action({"scene": text, "prompt": "Design me a bedroom"}, np.random.default_rng(0))
    assert text == before  # the policy reads text and writes text
    added = [st for st in program.splitlines() if st.startswith("add(")]
    assert added and not any('add("bed"' in st for st in added)  # the bed is already there
    with pytest.raises(SceneGymError, match="room"):
        dsl_action({"scene": 'add("bed")', "prompt": ""}, np.random.default_rng(0))


def test_projection_matches_the_camera():
    from scene_gym.render import Camera

    cam = Camera.look_at((3.0, 1.0, 2.0), (2.0, 2.0, 0.7), width=200, height=100, fovy=1.0)
    vec = np.concatenate([[cam.fx, cam.fy, cam.cx, cam.cy], cam.cam_to_world[:3].reshape(-1)])
    u, v = project((2.0, 2.0, 0.7), vec)
    assert (u, v) == pytest.approx((0.5, 0.5), abs=1e-6)
    assert project((3.0, 1.0, 3.0), vec) is None  # behind / outside


# --- the policy in the environments ------------------------------------------------------------------------
def test_policy_is_a_policy_and_validates_arguments():
    pol = HeuristicPolicy(0)
    assert isinstance(pol, Policy) and pol.describe()["name"] == "heuristic"
    with pytest.raises(SceneGymError, match="max_calls"):
        HeuristicPolicy(max_calls=1)
    with pytest.raises(SceneGymError, match="n as a positive integer"):
        pol.sample({"scene": "# room: bedroom, 4 x 4 m, walls 2.8 m high", "prompt": "", "feedback": ""}, 0, kind="scene")
    with pytest.raises(SceneGymError, match="does not know which env kind"):
        pol.act({"scene": "# room: bedroom, 4 x 4 m, walls 2.8 m high", "prompt": "", "feedback": ""})


def test_trajectory_env_builds_a_clean_scene_and_is_seeded():
    env = gym.make("SceneSynthTrajectory-v1")
    r1 = run_episode(env, HeuristicPolicy(5), seed=5, options={"prompt": BEDROOM})
    info = r1.steps[0].info
    assert info["valid"] and info["metrics"]["n_oob"] == 0 and info["metrics"]["n_collisions"] == 0
    assert info["metrics"]["n_obj"] >= 15
    r2 = run_episode(env, HeuristicPolicy(5), seed=5, options={"prompt": BEDROOM})
    assert r1.steps[0].action == r2.steps[0].action
    env.close()


def test_sample_gives_n_candidates():
    env = gym.make("SceneSynthTrajectory-v1")
    obs, _ = env.reset(seed=0, options={"prompt": "Design me a kitchen"})
    cands = HeuristicPolicy(0).sample(obs, 3, kind="trajectory")
    assert len(cands) == 3 and all(json.loads(c.text)[0]["tool"] == "init_room" for c in cands)
    assert len({c.text for c in cands}) > 1  # different room sizes or crowds
    env.close()


def test_dsl_env_furniture_then_small_objects_then_done():
    env = gym.make("SceneSynth-v1", image_size=None)
    ro = run_episode(env, HeuristicPolicy(0), seed=1, options={"prompt": BEDROOM})
    assert ro.steps[-1].terminated
    first, second = ro.steps[0], ro.steps[1]
    assert first.action.startswith("add(") and first.info["n_failed"] == 0
    assert "place_on(" in second.action and second.action.rstrip().endswith("done()")
    scene = env.unwrapped.scene
    m = evaluate(scene)
    assert m.n_oob == 0 and m.n_collisions == 0 and not m.unsupported
    cats = {o.category for o in scene.objects}
    assert {"bed", "nightstand", "wardrobe", "table_lamp"} <= cats
    env.close()


def test_toolstep_env_runs_the_plan_one_call_per_step():
    env = gym.make("SceneSynthToolStep-v1", image_size=None)
    ro = run_episode(env, HeuristicPolicy(0, max_calls=8), seed=2, options={"prompt": "Design me an office"})
    tools = [json.loads(s.action)["tool"] for s in ro.steps]
    assert tools[0] == "init_room" and tools[-1] == "terminate" and len(tools) == 8
    assert all(s.info["valid"] for s in ro.steps)
    m = evaluate(env.unwrapped.scene)
    assert m.n_obj >= 8 and m.n_collisions == 0 and m.n_oob == 0
    env.close()


@pytest.mark.parametrize("receptacle", ["desk", "dining_table", "coffee_table", "storage_shelf", "nightstand"])
def test_asset_env_points_land_on_the_receptacle(receptacle):
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    obs, _ = env.reset(seed=0, options={"receptacle": receptacle})
    frames = [f for f, _ in surface_frames(obs["surfaces"], obs["surface_count"])]
    ro = run_episode(env, HeuristicPolicy(0), seed=0, options={"receptacle": receptacle})
    placements = [s for s in ro.steps if s.info["placement"].get("placed_id")]
    assert len(placements) >= 2 and ro.steps[-1].terminated
    # every placement went through, or was a deliberate "look again" miss (a ray off the receptacle)
    assert all(s.info["valid"] for s in ro.steps)
    errors = [s.info["error"] for s in ro.steps if s.info["error"]]  # deliberate "look again" misses, a rare slip
    assert len(errors) <= len(ro.steps) // 2, errors
    scene = env.unwrapped.scene
    for s in placements:  # each item stands inside one of the observed polygons, at its height
        obj = scene.get(s.info["placement"]["placed_id"])
        assert any(0 <= f.local(obj.position)[0] <= f.width and 0 <= f.local(obj.position)[1] <= f.depth
                   and abs(obj.position[2] - f.z) < 1e-3 for f in frames), obj  # fmt: skip
    env.close()


def test_heuristic_items_come_from_its_priors_and_the_prompt():
    plan = item_plan("A tidy home-office desk with a laptop, a desk lamp, a notebook and a mug.", "desk", 0.68)
    assert plan[:4] == ["laptop", "desk_lamp", "notebook", "mug"] and len(plan) == 8
    assert set(plan) <= set(ITEM_PRIORS["desk"]) | {"laptop", "desk_lamp", "notebook", "mug"}
    assert "dumbbell" not in item_plan("a writer's desk", "desk", 0.68)
    assert item_plan("a storage shelf with a few well-chosen things on it", "storage_shelf", 0.35)[0] == "basket"


def test_heuristic_fills_the_back_edge_and_keeps_a_desks_front_free():
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    obs, _ = env.reset(seed=1, options={"receptacle": "desk", "prompt": "a writer's desk"})
    frame = surface_frames(obs["surfaces"], obs["surface_count"])[0][0]
    run_episode(env, HeuristicPolicy(1), seed=1, options={"receptacle": "desk", "prompt": "a writer's desk"})
    items = [o for o in env.unwrapped.scene.objects if o.parent == env.unwrapped.receptacle]
    assert len(items) >= 3
    ys = [frame.local(o.position)[1] for o in items]
    assert all(y + o.size[1] / 2 <= 0.56 * frame.depth + 0.01 or o.size[1] > 0.3 for y, o in zip(ys, items,
                                                                                                strict=True))  # fmt: skip
    assert min(ys) < 0.25 * frame.depth  # against the back edge
    env.close()


def test_heuristic_beats_random_under_the_asset_reward_on_a_few_receptacles():
    """The asset level's own reward (the env's default). The room judge (``q``) is not the asset level's measure:
    since judge v2 it reads every decoration nobody asked for as clutter and scores an item by whether its category
    belongs in the receptacle's room type, so under ``q`` the two policies tie on these three receptacles (17.5
    against 17.8 when this was written); benchmarks/eval_asset_policies.py reports both with paired CIs."""
    from scene_gym.agents import make_policy
    from scene_gym.rewards import RewardContext, make_reward

    q = make_reward("asset")
    totals = {"heuristic": 0.0, "random": 0.0}
    env = gym.make("SceneSynthAsset-v2", image_size=None)
    for rec in ("desk", "dining_table", "bookshelf"):
        for name in totals:
            run_episode(env, make_policy(name, 0, kind="asset"), seed=0, options={"receptacle": rec})
            scene = env.unwrapped.scene
            totals[name] += q(scene, RewardContext(prompt=scene.prompt)).value
    env.close()
    assert totals["heuristic"] > totals["random"], totals  # the suite-wide margin: benchmarks/eval_asset_policies.py
