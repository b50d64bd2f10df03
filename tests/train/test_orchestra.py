"""SceneOrchestra's pipeline on a tiny model: the mini version (two prompts, one epoch per stage) interrupted after
a stage and resumed, its datasets checked against the thresholds, a finished run rerun (nothing redone) through
the CLI, the config's checks, the reported comparisons and the inference policy (validate-and-regenerate,
best-of-K)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl")

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "configs" / "orchestra_tiny.toml"
STAGES = ["warm_start", "s_sft", "t_sft", "s_dpo", "t_dpo"]


def _mini_overrides() -> dict:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from orchestra import MINI
    finally:
        sys.path.pop(0)
    return dict(MINI)


def _mini(run_dir, **extra):
    from scene_gym.train.config_io import make_config
    from scene_gym.train.orchestra_config import OrchestraConfig

    return make_config(OrchestraConfig, TINY, **{**_mini_overrides(), "run_dir": str(run_dir), "progress": False,
                                                 **extra})  # fmt: skip


class Interrupted(Exception):
    pass


@pytest.fixture(scope="module")
def mini_run(tmp_path_factory):
    """The mini pipeline, stopped right after S-SFT finished, then rerun to the end."""
    from scene_gym.train.orchestra import train_orchestra

    run_dir = tmp_path_factory.mktemp("orchestra_mini")
    config = _mini(run_dir)

    def stop(name):
        if name == "s_sft":
            raise Interrupted

    with pytest.raises(Interrupted):
        train_orchestra(config, hooks={"after_stage": stop})
    seen: list[str] = []
    out = train_orchestra(config, hooks={"after_stage": seen.append})
    return {"config": config, "dir": run_dir, "out": out, "seen": seen}


def test_mini_pipeline_runs_every_step_and_writes_results(mini_run):
    d, out = mini_run["dir"], mini_run["out"]
    names = [r["policy"] for r in out["results"]]
    assert names == ["untrained", *STAGES, "interleaved", "best_of_k", "heuristic", "teacher"]
    for stage in [*STAGES, "discriminator"]:
        assert (d / "checkpoints" / stage / "scene_gym_policy.json").is_file(), stage
    events = [json.loads(line) for line in (d / "log.jsonl").read_text().splitlines()]
    b = [e for e in events if e["event"] == "interleave_b"][-1]  # one epoch: few parseable candidates to rank
    assert (d / "checkpoints" / "interleaved" / "scene_gym_policy.json").is_file() == (b["pairs"] > 0)
    rows = {r["policy"]: r for r in out["results"]}
    assert rows["heuristic"]["valid_share"] == 1.0 and rows["heuristic"]["mean"] > 5  # C of a furnished room
    assert (
        rows["untrained"]["valid_share"] == 0.0 and rows["untrained"]["mean"] == 0.0
    )  # nothing parses: empty plan
    assert all("term_q" in r and r["ci_low"] <= r["mean"] <= r["ci_high"] for r in out["results"])
    pairs = {(c["a"], c["b"]) for c in out["comparisons"]}
    assert {("t_sft", "untrained"), ("t_dpo", "t_sft"), ("s_dpo", "t_sft"), ("interleaved", "t_dpo"),
            ("best_of_k", "interleaved"), ("heuristic", "interleaved")} <= pairs  # fmt: skip
    for name in ("results.csv", "comparisons.csv", "results.json", "reward_per_round.png", "config.json",
                 "summary.json", "datasets/sizes.json", "eval/discriminator.json", "interleave/set_b.jsonl"):  # fmt: skip
        assert (d / name).stat().st_size > 0, name
    disc = json.loads((d / "eval" / "discriminator.json").read_text())
    assert disc == {k: v for k, v in out["discriminator"].items() if k != "checkpoint"}
    assert (
        disc["sets"] >= 1
        and 0 <= disc["accuracy"] <= 1
        and disc["ci_low"] <= disc["accuracy"] <= disc["ci_high"]
    )
    trained = [e for e in events if e["event"] in ("sft", "dpo")]
    assert all(e.get("dropped", 0) == 0 for e in trained)  # max_length from the data: no row silently dropped


def test_a_run_stopped_after_a_stage_resumes_from_the_next_one(mini_run):
    assert mini_run["seen"][0] == "t_sft"  # warm start and S-SFT were finished: not trained again
    assert mini_run["seen"][:4] == ["t_sft", "s_dpo", "t_dpo", "discriminator"]
    assert set(mini_run["seen"][4:]) <= {"discriminator_r1", "interleaved"}
    from scene_gym.train.orchestra import train_orchestra

    before = (mini_run["dir"] / "results.json").read_text()
    seen: list[str] = []
    again = train_orchestra(mini_run["config"], hooks={"after_stage": seen.append})
    assert seen == []  # everything finished: nothing retrained, nothing re-evaluated
    assert json.loads(before)["per_task"] == again["per_task"]


def _prefix_scores(rollouts) -> dict[str, float]:
    """Every (instruction, closed truncation) the rollouts hold -> its C (a plan with a refused call: -1)."""
    from scene_gym.train.orchestra_data import _closed

    out = {}
    for r in rollouts:
        for k in range(1, len(r.calls) + 1):
            out[json.dumps([r.prompt, _closed(r.calls[:k])])] = r.score(k)
    return out


def test_dataset_rows_and_pairs_respect_the_thresholds(mini_run):
    from scene_gym.train.orchestra_data import load_rollouts

    d, config = mini_run["dir"], mini_run["config"]
    sizes = json.loads((d / "datasets" / "sizes.json").read_text())
    tau = sizes["thresholds"]
    rollouts = load_rollouts(d / "rollouts" / "train.jsonl")
    data = {n: [json.loads(x) for x in (d / "datasets" / f"{n}.jsonl").read_text().splitlines()]
            for n in ("s_sft", "t_sft", "s_dpo", "t_dpo")}  # fmt: skip
    for n, rows in data.items():
        assert rows and len(rows) == sizes[n]["kept"] <= config.max_rows and sizes[n]["paper"] > 0, n
    gains = {}  # (prompt, history, call) -> gain in C of that step
    for r in rollouts:
        for k, call in enumerate(r.calls):
            if all(r.valid[: k + 1]) and not r.error:
                gains[(r.prompt, json.dumps(r.calls[:k] or "none"), json.dumps(call))] = r.c[k + 1] - r.c[k]
    for row in data["s_sft"]:
        user = row["prompt"][-1]["content"]
        history = user.split("Calls so far: ")[1].split("\n")[0]
        key = next(k for k in gains if k[0] in user and json.dumps(json.loads(history) if history != "none" else
                                                                    "none") == k[1] and k[2] == row["completion"][0]["content"])  # fmt: skip
        assert gains[key] > tau["step_sft"]
    scores = _prefix_scores(rollouts)
    for row in data["t_sft"]:
        calls = json.loads(row["completion"][0]["content"])
        found = [v for k, v in scores.items() if json.loads(k)[1] == calls and json.loads(k)[0] in
                 row["prompt"][-1]["content"]]  # fmt: skip
        assert found and max(found) > tau["traj_sft"]
    for n, t in (("s_dpo", tau["step_dpo"]), ("t_dpo", tau["traj_dpo"])):
        for row in data[n]:
            assert row["c_chosen"] - row["c_rejected"] > t, (n, row["c_chosen"], row["c_rejected"])
            assert row["chosen"][0]["content"] != row["rejected"][0]["content"]
    for row in data[
        "t_dpo"
    ]:  # the recorded C is the rollouts' C of that plan; a text that is no plan scores -1
        for side in ("chosen", "rejected"):
            try:
                calls = json.loads(row[side][0]["content"])
            except ValueError:
                assert row[f"c_{side}"] == -1.0
                continue
            found = [v for k, v in scores.items() if json.loads(k)[1] == calls]
            assert not found or row[f"c_{side}"] in found


def test_the_cli_reruns_a_finished_run_and_prints_the_table(mini_run, capsys):
    from scene_gym.cli import main

    argv = ["train", "orchestra", "--config", str(TINY), "--set", f"run_dir='{mini_run['dir']}'", "--set",
            "progress=false"]  # fmt: skip
    for k, v in _mini_overrides().items():
        argv += ["--set", f"{k}={json.dumps(list(v) if isinstance(v, tuple) else v)}"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "t_dpo" in printed and "interleaved" in printed and "discriminator top-1" in printed


def test_config_checks_name_the_field_and_ablations_change_the_comparisons(tmp_path):
    from scene_gym.train.config_io import ConfigError
    from scene_gym.train.orchestra_eval import comparisons

    with pytest.raises(ConfigError, match="stages.*'x_sft'"):
        _mini(tmp_path, stages=["s_sft", "x_sft"])
    with pytest.raises(ConfigError, match="thresholds"):
        _mini(tmp_path, thresholds=[1.0, 2.0])
    with pytest.raises(ConfigError, match="interleaved"):
        _mini(tmp_path, discriminator=False)
    with pytest.raises(ConfigError, match="t_sft_learning_rate.*-0.1"):
        _mini(tmp_path, t_sft_learning_rate=-0.1)
    assert _mini(tmp_path, stages=["t_sft", "t_dpo"]).stages == ("t_sft", "t_dpo")
    full = comparisons(["s_sft", "t_sft", "s_dpo", "t_dpo"])
    assert ("t_sft", "untrained") in full and ("t_dpo", "t_sft") in full and ("s_dpo", "t_sft") in full
    assert (
        ("t_dpo", "s_dpo") in full and ("interleaved", "t_sft") in full and ("interleaved", "t_dpo") in full
    )
    dpo_only = comparisons(["s_dpo", "t_dpo"])  # no SFT stage: the warm start is the SFT-only reference
    assert ("t_dpo", "warm_start") in dpo_only and ("s_dpo", "warm_start") in dpo_only


class _Scripted:
    """A stand-in orchestrator: ``TextPolicy`` machinery over fixed answers (validate-and-regenerate is real)."""

    @staticmethod
    def make(answers: list[list[str]], max_regenerations: int = 1):
        from scene_gym.agents.text_policy import Generation, TextPolicy

        class Fixed(TextPolicy):
            def __init__(self):
                super().__init__(0, max_regenerations=max_regenerations, icl=None)
                self.calls = 0

            def generate(self, chats, formats, n, temperature, seed):
                out = [[Generation(answers[min(self.calls, len(answers) - 1)][j % len(answers[0])]) for j in range(n)]
                       for _ in chats]  # fmt: skip
                self.calls += 1
                return out

        return Fixed()


GOOD = (
    '[{"tool": "init_layout", "args": {}}, {"tool": "add_objects", "args": {"category": "bed", "count": 1}}]'
)
BETTER = ('[{"tool": "init_layout", "args": {}}, {"tool": "add_objects", "args": {"category": "bed", "count": 1}}, '
          '{"tool": "add_objects", "args": {"category": "wardrobe", "count": 1}}]')  # fmt: skip
BAD = '[{"tool": "addObjects", "args": {"category": "bed", "count": 1}}]'


def test_inference_regenerates_an_unknown_tool_and_ranks_k_candidates():
    from scene_gym.errors import PolicyError
    from scene_gym.train.orchestra_policy import OrchestraPolicy

    obs = {"prompt": "A bedroom.", "scene": "# room: bedroom", "feedback": "", "catalogue": ""}
    greedy = OrchestraPolicy(_Scripted.make([[BAD], [GOOD]]), kind="trajectory")
    assert json.loads(greedy.act(obs))[1]["args"]["category"] == "bed"
    meta = greedy.last_candidates[0][0].meta
    assert meta["attempts"] == 2 and "addObjects" in meta["errors"][0] and not meta["fallback"]
    seen = []

    def chooser(observation, candidates):
        seen.append(candidates)
        return 1

    ranked = OrchestraPolicy(_Scripted.make([[BAD, GOOD, BETTER]], max_regenerations=0), k=3, chooser=chooser,
                             kind="trajectory")  # fmt: skip
    action = ranked.act(obs)
    assert len(seen[0]) == 2  # the unparseable candidate is never shown to the discriminator
    assert (
        json.loads(action)[-1]["args"]["category"] == "wardrobe"
        and ranked.last_candidates[0][0].meta["ranked"] == 2
    )
    with pytest.raises(PolicyError, match="k"):
        OrchestraPolicy(_Scripted.make([[GOOD]]), k=4)
    with pytest.raises(PolicyError, match="discriminator choice"):
        OrchestraPolicy(_Scripted.make([[GOOD, BETTER]]), k=2, chooser=lambda o, c: 5, kind="trajectory").act(
            obs
        )


def test_the_interleaved_round_ranks_set_b_without_executing_and_pairs_the_pick_against_the_others(
    tmp_path, monkeypatch
):
    """Set B with a scripted orchestrator (three distinct plans and an unknown tool) and a stand-in discriminator
    that picks the plan with the most calls: every pair has the pick as chosen, nothing of set B is replayed."""
    from scene_gym.train import orchestra_interleave
    from scene_gym.train.orchestra import Run
    from scene_gym.train.orchestra_policy import OrchestraPolicy

    config = _mini(tmp_path, interleave_b_prompts=2, interleave_b_seeds=1, interleave_candidates=4)
    run = Run(config)
    LONGEST = BETTER.replace("]", ', {"tool": "add_objects", "args": {"category": "rug", "count": 1}}]')
    monkeypatch.setattr(
        Run, "policy", lambda self, path, part=0: _Scripted.make([[GOOD, BETTER, BAD, LONGEST]], 0)
    )
    shown = []

    def most_calls(self, observation, candidates):
        shown.append(len(candidates))
        return max(range(len(candidates)), key=lambda i: len(candidates[i]))

    monkeypatch.setattr(OrchestraPolicy, "choose", most_calls)
    rows = orchestra_interleave.ranked_pairs(run, "unused-orchestrator", "unused-discriminator")
    assert shown == [3, 3]  # the unknown tool's plan never reaches the discriminator
    assert len(rows) == 4 and all(json.loads(r["chosen"][0]["content"]) == json.loads(LONGEST) for r in rows)
    assert {r["rejected"][0]["content"] for r in rows} == {
        json.dumps(json.loads(GOOD)),
        json.dumps(json.loads(BETTER)),
    }
    assert rows[0]["prompt"][-1]["content"].startswith("Task: ")
    assert not (tmp_path / "rollouts" / "interleave_b.jsonl").exists()  # ranked, not executed
    recorded = [json.loads(x) for x in (tmp_path / "interleave" / "set_b.jsonl").read_text().splitlines()]
    assert [r["pick"] for r in recorded] == [2, 2] and all(r["sampled"] == 4 for r in recorded)
    again = orchestra_interleave.ranked_pairs(run, "unused-orchestrator", "unused-discriminator")
    assert again == rows and shown == [3, 3]  # resumed from the record: nothing sampled or ranked again


def test_each_sft_stage_trains_at_its_configured_rate(tmp_path, monkeypatch):
    """S-SFT at stage_learning_rate, T-SFT at t_sft_learning_rate (0: as S-SFT), the warm start at learning_rate."""
    from scene_gym.train import orchestra_stages
    from scene_gym.train.orchestra import Run

    seen = {}
    monkeypatch.setattr(orchestra_stages, "sft", lambda run, name, base, rows, epochs, rate=None: seen.setdefault(
        name, rate) or name)  # fmt: skip
    run = Run(_mini(tmp_path, stage_learning_rate=1e-3, t_sft_learning_rate=2e-4, tensorboard=False))
    for name in ("warm_start", "s_sft", "t_sft"):
        orchestra_stages.run_stage(run, name, "base", [{"prompt": [], "completion": []}])
    assert seen == {"warm_start": None, "s_sft": 1e-3, "t_sft": 2e-4}
    run = Run(_mini(tmp_path / "b", stage_learning_rate=1e-3, t_sft_learning_rate=0.0, tensorboard=False))
    seen.clear()
    orchestra_stages.run_stage(run, "t_sft", "base", [{"prompt": [], "completion": []}])
    assert seen == {"t_sft": 1e-3}
