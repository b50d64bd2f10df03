"""SceneOrchestra data: rollout records (JSON round-trip, kill and resume), replay in the tool-step env, and the four
builders checked against their thresholds on random C sequences (a fake env executes stepwise alternatives)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.agents.prompts import PromptConfig
from scene_gym.train.orchestra_data import (
    DEFAULT_THRESHOLDS,
    INVALID_C,
    PAPER_THRESHOLDS,
    OrchestraError,
    OrchestraRollout,
    Thresholds,
    collect_orchestra_rollouts,
    dataset_sizes,
    heuristic_proposer,
    load_rollouts,
    orchestrator_messages,
    perturb_calls,
    replay,
    stepwise_dpo_pairs,
    stepwise_sft_rows,
    trajectory_dpo_pairs,
    trajectory_sft_rows,
)

CFG = PromptConfig(style="compact", include_images=False, max_examples=0)
OBS = {
    "prompt": "A bedroom with a bed.",
    "scene": "# room: bedroom, 3 x 4 m\n# no objects yet",
    "feedback": "",
}


# --- a fake tool-step env: a call {"tool": "t", "args": {"gain": g}} adds g to C; tool "bad" is refused ---------
class FakeEnv:
    time_weight = 0.05

    def __init__(self):
        self.value = 0.0

    def reset(self, seed=None, options=None):
        self.value = 0.0
        return dict(OBS), {"reward_value": 0.0}

    def step(self, text):
        call = json.loads(text)
        ok = call.get("tool") != "bad"
        if ok:
            self.value += float(call["args"]["gain"])
        return {}, 0.0, False, False, {"reward_value": self.value, "minutes": 0.0, "valid": ok, "applied": ok}

    def get_state(self):
        return {"value": self.value}

    def set_state(self, state):
        self.value = state["value"]

    def close(self):
        pass


def fake_rollout(gains, refused=(), prompt="A bedroom with a bed.", seed=0, error=""):
    calls = [
        {"tool": "bad" if i in refused else "t", "args": {"gain": round(g, 3), "i": i}}
        for i, g in enumerate(gains)
    ]
    c = [0.0]
    for i, call in enumerate(calls):
        c.append(c[-1] + (0.0 if i in refused else call["args"]["gain"]))
    ok = [i not in refused for i in range(len(calls))]
    return OrchestraRollout(prompt, seed, "test", calls, c, ok, ok, dict(OBS, prompt=prompt), None,
                            json.dumps(calls) if not error else "garbage", error)  # fmt: skip


gains_st = st.lists(st.floats(-3, 8, allow_nan=False), min_size=1, max_size=8)
rollout_st = st.builds(lambda g, r, e: fake_rollout(g, {i for i in r if i < len(g)}, error=e), gains_st,
                       st.sets(st.integers(0, 7), max_size=2), st.sampled_from(["", "", "", "bad json"]))  # fmt: skip
taus_st = st.builds(Thresholds, st.floats(0, 4), st.floats(0, 10), st.floats(0, 4), st.floats(0, 6))


def call_of(row, key):
    return json.loads(row[key][0]["content"])


@settings(max_examples=60, deadline=None)
@given(st.lists(rollout_st, min_size=1, max_size=4), taus_st)
def test_stepwise_sft_keeps_only_clean_steps_whose_gain_exceeds_tau1(rollouts, tau):
    rows = stepwise_sft_rows(rollouts, tau, CFG)
    gains = {json.dumps(c): r.c[k + 1] - r.c[k] for r in rollouts for k, c in enumerate(r.calls)}
    for row in rows:
        call = call_of(row, "completion")
        assert call["tool"] == "t" and gains[json.dumps(call)] > tau.step_sft
        assert "Calls so far" in row["prompt"][-1]["content"]
    expected = {json.dumps(c) for r in rollouts if not r.error for k, c in enumerate(r.calls)
                if all(r.valid[: k + 1]) and r.c[k + 1] - r.c[k] > tau.step_sft}  # fmt: skip
    assert {json.dumps(call_of(row, "completion")) for row in rows} == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(rollout_st, min_size=1, max_size=4), taus_st, st.integers(0, 5))
def test_trajectory_sft_keeps_one_truncation_per_rollout_above_tau2(rollouts, tau, seed):
    summary = {}
    rows = trajectory_sft_rows(rollouts, tau, CFG, seed, summary=summary)
    assert summary["rows"] == len(rows) and summary["tau"] == tau.traj_sft
    assert len(rows) <= len(rollouts)
    by_calls = {json.dumps(r.calls[:k]): r.c[k] for r in rollouts if not r.error for k in range(1, len(r.calls) + 1)
                if all(r.valid[:k])}  # fmt: skip
    for row in rows:
        plan = call_of(row, "completion")
        assert plan[-1]["tool"] == "terminate"
        assert by_calls[json.dumps(plan[:-1])] > tau.traj_sft
        assert row["prompt"] == orchestrator_messages(OBS, None, CFG)


@settings(max_examples=60, deadline=None)
@given(st.lists(rollout_st, min_size=1, max_size=4), taus_st, st.integers(0, 5))
def test_stepwise_dpo_pairs_exceed_tau3_and_choose_the_higher_c(rollouts, tau, seed):
    summary = {}
    rows = stepwise_dpo_pairs(
        rollouts, tau, CFG, heuristic_proposer(seed), seed, env=FakeEnv(), summary=summary
    )
    assert summary["replay_mismatches"] == 0 and summary["rows"] == len(rows)
    for row in rows:
        assert row["chosen"] != row["rejected"]
        assert row["c_chosen"] - row["c_rejected"] > tau.step_dpo
        chosen, rejected = call_of(row, "chosen"), call_of(row, "rejected")
        # recompute both from the fake env's rule: C before the step plus the call's gain (-1 when refused)
        history = json.loads(
            row["prompt"][-1]["content"].split("Calls so far: ")[1].split("\n")[0].replace("none", "[]")
        )
        before = sum(c["args"]["gain"] for c in history if c["tool"] != "bad")
        for call, value in ((chosen, row["c_chosen"]), (rejected, row["c_rejected"])):
            ok = call["tool"] == "t"
            assert value == pytest.approx(before + (call["args"]["gain"] if ok else INVALID_C))


def test_stepwise_dpo_only_opens_histories_whose_step_passes_tau1():
    r = fake_rollout([5.0, 0.2, 2.0])
    seen = []

    def propose(messages, history, rollout):
        seen.append(len(history))
        return [{"tool": "t", "args": {"gain": -4.0}}]

    rows = stepwise_dpo_pairs([r], Thresholds(1.0, 0, 0.5, 0), CFG, propose, 0, env=FakeEnv())
    assert seen == [0, 2] and len(rows) == 2
    assert call_of(rows[0], "chosen") == r.calls[0] and call_of(rows[0], "rejected")["args"]["gain"] == -4.0


@settings(max_examples=60, deadline=None)
@given(st.lists(rollout_st, min_size=1, max_size=5), taus_st, st.integers(0, 5), st.sampled_from([None, 3]))
def test_trajectory_dpo_pairs_exceed_tau4_choose_the_higher_c_and_never_repeat_a_completion(
    rollouts, tau, seed, cap
):
    rows = trajectory_dpo_pairs(rollouts, tau, CFG, seed, truncations=2, max_pairs_per_group=cap)
    for row in rows:
        assert row["chosen"][0]["content"] != row["rejected"][0]["content"]
        assert row["c_chosen"] - row["c_rejected"] > tau.traj_dpo
    if cap is not None:
        assert len(rows) <= cap  # one instruction instance here


def test_a_refused_call_or_unparsed_text_scores_invalid():
    r = fake_rollout([5.0, 2.0, 1.0], refused={1})
    assert r.score(1) == 5.0 and r.score(2) == INVALID_C and r.score() == INVALID_C
    assert r.step_gain(1) == INVALID_C
    assert fake_rollout([5.0], error="bad json").score() == INVALID_C
    with pytest.raises(OrchestraError, match="k: expected"):
        r.score(9)


@settings(max_examples=50, deadline=None)
@given(rollout_st)
def test_rollout_records_survive_a_json_round_trip(r):
    back = OrchestraRollout.from_dict(json.loads(json.dumps(r.to_dict())))
    assert back.to_dict() == r.to_dict()


def test_bad_records_and_thresholds_are_named():
    good = fake_rollout([1.0]).to_dict()
    with pytest.raises(OrchestraError, match="rollout.c"):
        OrchestraRollout.from_dict({**good, "c": [0.0]})
    with pytest.raises(OrchestraError, match="rollout.seed"):
        OrchestraRollout.from_dict({**good, "seed": "x"})
    with pytest.raises(OrchestraError, match="thresholds.traj_dpo"):
        Thresholds(1, 1, 1, float("nan"))
    with pytest.raises(OrchestraError, match="rollouts\\[0\\]"):
        stepwise_sft_rows([{"calls": []}], DEFAULT_THRESHOLDS, CFG)


def test_trajectory_prompt_is_what_the_trajectory_text_policy_builds():
    import gymnasium as gym

    from scene_gym.agents.text_policy import TextPolicy

    class Echo(TextPolicy):
        def generate(self, chats, formats, n, temperature, seed):
            raise AssertionError("not called")

    env = gym.make("SceneSynthTrajectory-v1").unwrapped
    obs, _ = env.reset(seed=0, options={"prompt": OBS["prompt"]})
    for cfg in (CFG, PromptConfig(include_images=False, max_examples=0)):
        assert orchestrator_messages({k: obs[k] for k in OBS}, None, cfg) == orchestrator_messages(
            obs, None, cfg
        )
        policy = Echo(0, icl=None, prompt_config=cfg)
        assert orchestrator_messages(obs, None, cfg) == policy.messages(obs, kind="trajectory")
    step = orchestrator_messages(OBS, [{"tool": "init_layout", "args": {}}], CFG)
    assert step[-1]["content"].endswith('Calls so far: [{"tool": "init_layout", "args": {}}]\n'
                                        "Write the next call as one JSON object.")  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.floats(0, 1))
def test_perturbed_plans_keep_init_room_first_and_terminate_last(seed, rate):
    from scene_gym.agents.heuristic import HeuristicPolicy

    calls = HeuristicPolicy(0).trajectory("A living room with a sofa and two armchairs.")
    out = perturb_calls(calls, np.random.default_rng(seed), rate)
    assert out[0]["tool"] == "init_room" and out[-1]["tool"] == "terminate"
    assert calls == HeuristicPolicy(0).trajectory(
        "A living room with a sofa and two armchairs."
    )  # not mutated


# --- real env ---------------------------------------------------------------------------------------------------
def test_replay_records_c_per_call_and_stops_at_terminate():
    from scene_gym.agents.heuristic import HeuristicPolicy

    calls = HeuristicPolicy(0).trajectory("A bedroom with a bed and a nightstand.")
    r = replay(
        calls + [{"tool": "init_layout", "args": {}}],
        "A bedroom with a bed and a nightstand.",
        3,
        "heuristic",
    )
    assert len(r.calls) == len(calls) and len(r.c) == len(calls) + 1 and all(r.valid)
    assert r.c[0] == 0.0 and r.score() > 5.0 and max(np.diff(r.c)) > 3.0
    bad = replay([{"tool": "addObjects", "args": {}}, *calls[:2]], r.prompt, 3)
    assert (
        bad.valid[0] is False
        and bad.accepted[0] is False
        and bad.c[1] == bad.c[0]
        and bad.score() == INVALID_C
    )
    assert replay(calls, r.prompt, 3).c == r.c  # deterministic


def test_collection_survives_a_kill_and_a_rerun_skips_what_is_done(tmp_path):
    from scene_gym.train.evaluation import suite_tasks

    tasks = suite_tasks("rooms-50", 1, 1)
    sources = ["heuristic", "perturbed-heuristic:0.5"]
    full = collect_orchestra_rollouts(sources, tasks, 2, 7, None, progress=False)
    path = tmp_path / "rollouts.jsonl"

    class Kill(Exception):
        pass

    def kill_after_three(rollout, seen=[]):  # noqa: B006 - the counter of this one run
        seen.append(rollout)
        if len(seen) == 3:
            raise Kill

    with pytest.raises(Kill):
        collect_orchestra_rollouts(sources, tasks, 2, 7, path, progress=False, on_rollout=kill_after_three)
    with open(path, "a") as fh:
        fh.write('{"key": ["heuristic", 0')  # a torn line from the kill
    assert len(load_rollouts(path)) == 3
    fresh = []
    resumed = collect_orchestra_rollouts(sources, tasks, 2, 7, path, progress=False, on_rollout=fresh.append)
    assert len(fresh) == 1  # only the missing one was sampled and replayed
    assert [r.to_dict() for r in resumed] == [r.to_dict() for r in full]
    assert [r.key for r in load_rollouts(path)] == [r.key for r in full]
    assert {r.source for r in full} == set(sources) and all(len(r.c) == len(r.calls) + 1 for r in full)


def test_dataset_sizes_report_rows_candidates_and_thresholds():
    rollouts = [
        fake_rollout([5.0, 0.6, 0.1, 4.0]),
        fake_rollout([4.0, 0.2]),
        fake_rollout([0.1, 0.1], seed=1),
    ]
    sizes = dataset_sizes(rollouts, PAPER_THRESHOLDS, CFG, heuristic_proposer(0), 0)
    # tau_1 = 3 keeps 5.0, 4.0 (rollout 0) and 4.0 (rollout 1): three rows; from 8 clean steps
    assert sizes["stepwise_sft"]["rows"] == 3 and sizes["stepwise_sft"]["candidates"] == 8
    assert sizes["trajectory_sft"]["rows"] == 1 and sizes["trajectory_sft"]["tau"] == 7.5
    assert {s["paper_rows"] for s in sizes.values()} == {371, 387, 297, 563}


def test_rows_convert_to_hf_datasets():
    from scene_gym.train.datasets import to_hf_dataset

    rollouts = [fake_rollout([5.0, 0.6, 4.0]), fake_rollout([1.0, 0.2])]
    for rows in (stepwise_sft_rows(rollouts, DEFAULT_THRESHOLDS, CFG),
                 trajectory_dpo_pairs(rollouts, Thresholds(0, 0, 0, 0.5), CFG, 0)):  # fmt: skip
        ds = to_hf_dataset(rows)
        assert len(ds) == len(rows) > 0 and ds[0]["prompt"][0]["role"] == "system"


def test_a_model_source_is_sampled_parsed_and_its_garbage_scored_invalid():
    from scene_gym.agents.text_policy import Generation, TextPolicy
    from scene_gym.train.evaluation import suite_tasks

    plan = json.dumps([{"tool": "init_layout", "args": {}}, {"tool": "terminate", "args": {}}])

    class Canned(TextPolicy):
        name = "canned"

        def generate(self, chats, formats, n, temperature, seed):
            assert formats == ["trajectory"] * len(chats) and temperature == 1.0  # n > 1 samples
            return [[Generation(plan), Generation("[{'tool': oops")][:n] for _ in chats]

    policy = Canned(0, icl=None, max_regenerations=0, prompt_config=CFG)
    good, bad = collect_orchestra_rollouts([policy], suite_tasks("rooms-50", 1, 1), 2, 0, progress=False)
    assert good.source == bad.source == "model:canned"
    assert good.calls == json.loads(plan) and all(good.valid) and good.score() > 0 and good.text == plan
    assert bad.calls == [] and bad.error and bad.score() == INVALID_C and bad.text == "[{'tool': oops"
    assert trajectory_sft_rows([bad], Thresholds(0, -5, 0, 0), CFG, 0) == []
    pairs = trajectory_dpo_pairs([good, bad], Thresholds(0, 0, 0, 0.5), CFG, 0, truncations=0)
    assert [p["rejected"][0]["content"] for p in pairs] == ["[{'tool': oops"]


def test_model_proposer_keeps_answers_that_parse_as_one_call(monkeypatch, tmp_path):
    import scene_gym.agents.vlm.generation as generation
    import scene_gym.llm.local_models as local_models
    from scene_gym.agents.text_policy import Generation
    from scene_gym.train.orchestra_data import model_proposer

    one = {"tool": "add_objects", "args": {"category": "bed", "count": 1}}
    texts = [
        json.dumps(one),
        json.dumps([one, one]),
        "not json",
        json.dumps(one),
        '{"tool": "addObjects", "args": {}}',
    ]
    seen = {}

    def fake_generate(loaded, chats, n, temperature, max_new_tokens=256, seed=0, **kw):
        seen.update(n=n, temperature=temperature, chats=chats, loaded=loaded)
        return [[Generation(t) for t in texts[:n]]]

    monkeypatch.setattr(generation, "generate", fake_generate)
    monkeypatch.setattr(local_models, "load_checkpoint", lambda path, device="cpu": f"loaded {path}")
    propose = model_proposer(tmp_path, n=5, temperature=0.7, device="cpu")
    messages = orchestrator_messages(OBS, [], CFG)
    alts = propose(messages, [], fake_rollout([1.0]))
    assert alts == [one, {"tool": "addObjects", "args": {}}]  # duplicates, lists and garbage left out
    assert seen["n"] == 5 and seen["temperature"] == 0.7 and seen["chats"] == [messages]
    with pytest.raises(OrchestraError, match="n: expected"):
        model_proposer(tmp_path, n=0)
