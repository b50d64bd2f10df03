"""The discriminator's data and scoring: 4-candidate sets with ties dropped and counted, answers parsed (property
test), the Wilson interval against a published value, and a tiny checkpoint trained to answer and evaluated."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.train.discriminator import (
    DiscriminatorError,
    candidate_messages,
    choose,
    discriminator_rows,
    discriminator_sets,
    evaluate_discriminator,
    most_objects_choice,
    parse_choice,
    wilson_interval,
)
from scene_gym.train.orchestra_rollouts import OrchestraRollout

OBS = {
    "prompt": "A bedroom with a bed.",
    "scene": "# room: bedroom, 3 x 4 m\n# no objects yet",
    "feedback": "",
}


def plan(final_c: float, n_beds: int, seed: int = 0) -> OrchestraRollout:
    calls = [{"tool": "init_room", "args": {"room_type": "bedroom"}},
             {"tool": "add_objects", "args": {"category": "bed", "count": n_beds}}, {"tool": "terminate", "args": {}}]  # fmt: skip
    return OrchestraRollout(OBS["prompt"], seed, "test", calls, [0.0, 0.0, final_c, final_c], [True] * 3,
                            observation=dict(OBS))  # fmt: skip


def test_wilson_interval_matches_the_published_value():
    # Wilson (1927) / statsmodels proportion_confint(8, 10, method="wilson"): (0.4902, 0.9433)
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.49016, abs=1e-4) and high == pytest.approx(0.94332, abs=1e-4)
    assert wilson_interval(0, 20)[0] == 0.0 and wilson_interval(20, 20)[1] == 1.0
    with pytest.raises(DiscriminatorError, match="successes/n"):
        wilson_interval(5, 4)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(1, 8))
def test_parse_choice_returns_an_index_or_names_the_text(text, n):
    try:
        i = parse_choice(text, n)
    except DiscriminatorError as err:
        assert repr(text[:80]) in str(err)
    else:
        assert 0 <= i < n and str(i) in text


def test_parse_choice_reads_common_answers():
    assert parse_choice("2", 4) == 2 and parse_choice("Plan 3.", 4) == 3 and parse_choice(" 0\n", 4) == 0
    for bad in ("4", "none", "", "9" * 5000):
        with pytest.raises(DiscriminatorError, match="answer"):
            parse_choice(bad, 4)
    with pytest.raises(DiscriminatorError, match="n: expected"):
        parse_choice("1", 0)


def test_rows_drop_ties_count_them_and_label_the_best():
    distinct = [plan(c, n) for c, n in ((9.0, 1), (2.0, 3), (5.0, 2), (-1.0, 4))]
    tied = [plan(c, 1, seed=1) for c in (9.0, 9.0, 3.0, 1.0)]
    short = [plan(c, 1, seed=2) for c in (1.0, 2.0)]
    rows, counts = discriminator_rows([distinct, tied, short], seed=3)
    assert counts == {"groups": 3, "sets": 1, "ties": 1, "short_groups": 1} and len(rows) == 1
    best = int(rows[0]["completion"][0]["content"])
    text = rows[0]["prompt"][-1]["content"]
    shown = text.split(f"Plan {best}:\n")[1].split("\n\n")[0]
    assert "add_objects bed 1" in shown  # the 9.0 plan adds one bed
    sets, _ = discriminator_sets([distinct], seed=3)
    assert most_objects_choice(sets[0]["candidates"]) == sets[0]["scores"].index(
        -1.0
    )  # most beds, refused plan


def test_candidate_messages_number_the_plans_and_refuse_bad_input():
    msgs = candidate_messages(OBS, [plan(1, 1).calls, []])
    assert (
        "Plan 0:\ninit_room bedroom\nadd_objects bed 1" in msgs[1]["content"]
        and "Plan 1:\n(empty plan)" in msgs[1]["content"]
    )
    with pytest.raises(DiscriminatorError, match="candidates"):
        candidate_messages(OBS, [plan(1, 1).calls])
    with pytest.raises(DiscriminatorError, match="groups\\[0\\]"):
        discriminator_sets([[plan(1, 1), plan(2, 1, seed=5)]], 0)


def test_evaluation_scores_greedy_answers_against_the_best_plan(monkeypatch):
    import scene_gym.train.discriminator as disc

    groups = [
        [plan(c + k, n, seed=k) for c, n in ((9.0, 1), (2.0, 3), (5.0, 2), (-1.0, 4))] for k in range(10)
    ]
    sets, _ = discriminator_sets(groups, seed=1)
    # a stand-in model: right on the first 7 sets, a wrong index on 2, garbage on the last
    wrong = [str((s["best"] + 1) % 4) for s in sets[7:9]]
    texts = [str(s["best"]) for s in sets[:7]] + wrong + ["I cannot decide"]
    monkeypatch.setattr(disc, "answers", lambda path, chats, **kw: texts[: len(chats)])
    result = evaluate_discriminator("unused", groups, seed=1)
    assert result["sets"] == 10 and result["ties"] == 0 and result["unparsed"] == 1
    assert result["accuracy"] == 0.7 and (result["ci_low"], result["ci_high"]) == wilson_interval(7, 10)
    assert result["above_chance"] == (wilson_interval(7, 10)[0] > 0.25)
    assert result["most_objects_accuracy"] == 0.0  # the most beds is always the refused plan here
    with pytest.raises(DiscriminatorError, match="without ties"):
        evaluate_discriminator("unused", [[plan(1.0, 1)] * 4], seed=0)


def test_choose_runs_a_checkpoint_greedily(tmp_path):
    from scene_gym.train.tiny import build_causal_lm

    base = build_causal_lm(tmp_path / "m", 0, vocab_size=300, texts=["Plan 0 1 2 3"])
    candidates = [plan(c, n).calls for c, n in ((9.0, 1), (2.0, 3), (5.0, 2))]
    try:
        assert 0 <= choose(base, OBS, candidates, device="cpu") < 3
    except DiscriminatorError as err:  # an untrained model's answer is usually no number: it is quoted
        assert "answer: expected a plan number in 0-2, got" in str(err)
