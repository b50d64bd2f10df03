"""The steps of :func:`scene_gym.train.orchestra.train_orchestra` (one function per step, each skipping what a
previous run finished): demonstrations, the tiny model, rollouts, the four datasets, a stage (SFT or DPO), the
discriminator, evaluation and leaderboard entries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.train.orchestra import PAPER_SIZES, Run, dpo, finished, sft, write_card
from scene_gym.train.orchestra_teacher import teacher_source


# --- 1. demonstrations --------------------------------------------------------------------------------------------
def trajectory_row(run: Run, rollout) -> dict[str, Any]:
    """The SFT row of a whole trajectory: the orchestrator's chat for its first observation -> the calls as JSON."""
    from scene_gym.train.orchestra_data import orchestrator_messages

    prompt = orchestrator_messages(rollout.observation, None, run.prompt_config)
    return {"prompt": prompt, "completion": [{"role": "assistant", "content": json.dumps(rollout.calls)}]}


def demonstrations(run: Run) -> list[dict]:
    """Warm-start rows: the heuristic's trajectories on the training tasks (``rollouts/demos.jsonl``), whole,
    those whose every call was accepted."""
    from scene_gym.train.orchestra_data import collect_orchestra_rollouts

    c = run.config
    teacher = teacher_source("heuristic", run.seed_for(1), c)
    rollouts = collect_orchestra_rollouts([teacher], run.train_tasks, c.demo_samples, run.seed_for(1),
                                          run.dir / "rollouts" / "demos.jsonl", c.progress)  # fmt: skip
    kept = [r for r in rollouts if r.calls and all(r.accepted) and not r.error]
    run.log.event("demonstrations", tasks=len(run.train_tasks), rollouts=len(rollouts), kept=len(kept),
                  mean_final_c=float(np.mean([r.c[-1] for r in rollouts] or [0])),
                  mean_calls=float(np.mean([len(r.calls) for r in rollouts] or [0])))  # fmt: skip
    return [trajectory_row(run, r) for r in kept]


# --- 2. the model ----------------------------------------------------------------------------------------------
def _texts(rows: list[dict]) -> list[str]:
    return [
        m["content"] for r in rows for m in [*r["prompt"], *r["completion"]] if isinstance(m["content"], str)
    ]


def prepare_model(run: Run, demos: list[dict]) -> str:
    """The untrained checkpoint: a tiny Qwen2 in ``checkpoints/untrained`` whose tokenizer is trained on the
    demonstrations and every prompt the run shows (training, set B, held-out), or the configured checkpoint.
    Logs the longest demonstrated trajectory in tokens against ``max_new_tokens``."""
    from transformers import AutoTokenizer

    c = run.config
    out = run.dir / "checkpoints" / "untrained"
    if c.model != "tiny":
        path = c.model
    else:
        path = str(out)
        if not finished(out):
            from scene_gym.train.tiny import build_causal_lm

            shutil.rmtree(out, ignore_errors=True)
            texts = _texts(demos) + [run.messages(t)[-1]["content"] for t in
                                     [*run.train_tasks, *run.b_tasks, *run.eval_tasks, *run.disc_tasks]]  # fmt: skip
            build_causal_lm(out, c.seed, vocab_size=c.tiny_vocab, texts=texts, hidden_size=c.tiny_hidden,
                            num_layers=c.tiny_layers, num_heads=c.tiny_heads)  # fmt: skip
            write_card(run, out)
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    longest = max([len(tok(r["completion"][0]["content"], add_special_tokens=False)["input_ids"]) + 1 for r in demos]
                  or [0])  # fmt: skip
    run.log.event("model", path=path, longest_demo_answer_tokens=longest, max_new_tokens=c.max_new_tokens,
                  warning="max_new_tokens is below the longest demonstrated trajectory: raise it"
                  if longest > c.max_new_tokens else "")  # fmt: skip
    return path


# --- 3/6. stages ---------------------------------------------------------------------------------------------------
def run_stage(run: Run, name: str, base: str, rows: list[dict]) -> str:
    """One stage from ``base``: ``warm_start``/``s_sft``/``t_sft`` by SFT, ``s_dpo``/``t_dpo`` by DPO (reference =
    ``base``). A stage without rows keeps ``base`` (logged)."""
    c = run.config
    if not rows:
        run.log.event("stage_skipped", stage=name, reason="no rows passed the threshold", kept=str(base))
        return base
    if name.endswith("_dpo"):
        return dpo(run, name, base, rows)
    if name == "warm_start":
        return sft(run, name, base, rows, c.warm_epochs)
    rate = (c.t_sft_learning_rate if name == "t_sft" else 0.0) or c.stage_learning_rate or None
    return sft(run, name, base, rows, c.sft_epochs, rate)


# --- 4. rollouts -----------------------------------------------------------------------------------------------
def sources(run: Run, checkpoints: dict[str, str]) -> list:
    """The rollout sources: ``warm_start`` (any checkpoint name) becomes that orchestrator, sampling; it is left
    out when there is no such checkpoint (warm start switched off); other specs go as they are."""
    out: list = []
    for i, s in enumerate(run.config.rollout_sources):
        if s in checkpoints:
            out.append(run.policy(checkpoints[s], i))
        elif s != "warm_start":
            out.append(teacher_source(s, run.seed_for(9, i), run.config))
    return out


def collect(
    run: Run, name: str, tasks: list, checkpoints: dict[str, str], samples: int | None = None
) -> list:
    """``samples`` (default ``rollout_samples``) rollouts per source on each of ``tasks``
    (``rollouts/<name>.jsonl``, resumed per rollout)."""
    from scene_gym.train.orchestra_data import collect_orchestra_rollouts

    c = run.config
    rollouts = collect_orchestra_rollouts(sources(run, checkpoints), tasks, samples or c.rollout_samples,
                                          run.seed_for(2, len(name)), run.dir / "rollouts" / f"{name}.jsonl",
                                          c.progress)  # fmt: skip
    by: dict[str, list] = {}
    for r in rollouts:
        by.setdefault(r.source, []).append(r)
    run.log.event("rollouts", set=name, n=len(rollouts),
                  per_source={s: {"n": len(v), "valid_share": float(np.mean([r.score() > -1 for r in v])),
                                  "mean_final_c": float(np.mean([r.score() for r in v]))} for s, v in by.items()})  # fmt: skip
    return rollouts


# --- 5. datasets -------------------------------------------------------------------------------------------------
def _proposer(run: Run, base: str):
    from scene_gym.train.orchestra_data import heuristic_proposer

    if run.config.step_dpo_proposer == "heuristic":
        return heuristic_proposer(run.seed_for(8))
    from scene_gym.agents.parsing import ParseError, parse_tool_calls

    policy = run.policy(base, 99)

    def propose(messages, history, rollout):
        gens = policy.generate([messages], ["toolcall"], 2, run.config.sample_temperature, policy._seed())[0]
        out = []
        for g in gens:
            try:
                out += parse_tool_calls(g.text)[:1]
            except ParseError:
                continue
        return out

    return propose


def _cap(run: Run, rows: list[dict], part: int) -> list[dict]:
    if len(rows) <= run.config.max_rows:
        return rows
    keep = np.random.default_rng(run.seed_for(5, part)).choice(len(rows), run.config.max_rows, replace=False)
    return [rows[i] for i in sorted(keep)]


#: Our stage names -> orchestra_data's builder names.
BUILDERS = {
    "s_sft": "stepwise_sft",
    "t_sft": "trajectory_sft",
    "s_dpo": "stepwise_dpo",
    "t_dpo": "trajectory_dpo",
}


def build_datasets(run: Run, rollouts: list, base: str) -> tuple[dict[str, list[dict]], dict[str, Any]]:
    """The four datasets (:func:`scene_gym.train.orchestra_data.build_datasets`; ``datasets/<name>.jsonl``, built
    once), each capped at ``max_rows`` (a seeded random subset), and their sizes next to the paper's
    (``datasets/sizes.json``: per builder rows built and kept, candidates seen, the threshold used)."""
    from scene_gym.train import orchestra_data as od
    from scene_gym.train.datasets import write_rows

    folder = run.dir / "datasets"
    sizes_path = folder / "sizes.json"
    if sizes_path.is_file() and all((folder / f"{n}.jsonl").is_file() for n in BUILDERS):
        data = {n: [json.loads(x) for x in (folder / f"{n}.jsonl").read_text().splitlines() if x.strip()]
                for n in BUILDERS}  # fmt: skip
        return data, json.loads(sizes_path.read_text())
    built, summaries = od.build_datasets(rollouts, run.thresholds, run.prompt_config, _proposer(run, base),
                                         run.seed_for(3))  # fmt: skip
    sizes: dict[str, Any] = {
        "thresholds": _thresholds(run),
        "rollouts": len(rollouts),
        "max_rows": run.config.max_rows,
    }
    data = {}
    for i, (n, builder) in enumerate(BUILDERS.items()):
        data[n] = _cap(run, built[builder], i)
        sizes[n] = {
            **summaries[builder],
            "built": len(built[builder]),
            "kept": len(data[n]),
            "paper": PAPER_SIZES[n],
        }
        write_rows(folder / f"{n}.jsonl", data[n])
    sizes_path.write_text(json.dumps(sizes, indent=1, default=str) + "\n")
    run.log.event("datasets", **{n: sizes[n] for n in BUILDERS})
    return data, sizes


def _thresholds(run: Run) -> dict[str, float]:
    import dataclasses

    return {k: float(v) for k, v in dataclasses.asdict(run.thresholds).items()}


# --- 7. discriminator ------------------------------------------------------------------------------------------------
def groups_of(rollouts: list) -> list[list]:
    """Rollouts grouped by instruction instance (same first observation), in first-seen order, each plan once
    (two samples that wrote the same calls are one candidate, not two)."""
    groups: dict[str, dict[str, Any]] = {}
    for r in rollouts:
        groups.setdefault(r.group, {}).setdefault(json.dumps([r.calls, r.error != ""]), r)
    return [list(g.values()) for g in groups.values()]


def train_discriminator(run: Run, base: str, rollouts: list, checkpoints: dict[str, str]) -> tuple[str, dict]:
    """SFT of the discriminator from ``base`` on 4-candidate sets of the training rollouts (``disc_sets_per_group``
    random sets per instruction; ``checkpoints/discriminator``), then its held-out accuracy on sets from ``disc_tasks`` (rollouts of the same
    sources; ``eval/discriminator.json``)."""
    from scene_gym.train.discriminator import DiscriminatorError, discriminator_rows, evaluate_discriminator

    c = run.config
    out = run.dir / "checkpoints" / "discriminator"
    groups = groups_of(rollouts) * c.disc_sets_per_group  # each copy draws its own random 4-candidate set
    rows, counts = discriminator_rows(groups, run.seed_for(4), prompt_config=run.prompt_config)
    run.log.event(
        "discriminator_data", rows=len(rows), **{k: v for k, v in counts.items() if not isinstance(v, list)}
    )
    if not finished(out):
        shutil.rmtree(out, ignore_errors=True)
        stats = _discriminator_sft(run, base, rows, out)
        run.log.event("sft", stage="discriminator", **{k: v for k, v in stats.items() if k != "options"})
    path = run.dir / "eval" / "discriminator.json"
    if path.is_file():
        return str(out), json.loads(path.read_text())
    held = collect(run, "discriminator_heldout", run.disc_tasks, checkpoints, c.disc_eval_samples)
    try:
        result = evaluate_discriminator(str(out), groups_of(held), run.seed_for(6), prompt_config=run.prompt_config,
                                        device=run.device)  # fmt: skip
    except DiscriminatorError as err:  # no held-out set without ties: reported, not fatal
        result = {"sets": 0, "accuracy": None, "error": str(err)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, default=str) + "\n")
    run.log.event("discriminator_eval", **{k: v for k, v in result.items() if not isinstance(v, list | dict)})
    if result["sets"] < 50:
        run.log.event("warning", message=f"the discriminator was evaluated on {result.get('sets')} held-out sets, "
                      "fewer than 50: raise disc_eval_prompts/seeds/samples")  # fmt: skip
    return str(out), result


def _discriminator_sft(run: Run, base: str, rows: list[dict], out: Path) -> dict:
    """Discriminator SFT (its epochs, the SFT learning rate) into ``out`` with a card."""
    from scene_gym.train.sft import run_sft as sft_call

    stats = sft_call(base, rows, out, run.sft_options(run.config.discriminator_epochs))
    write_card(run, out)
    run.hook("after_stage", "discriminator")
    return stats


# --- 9. evaluation and the leaderboard -------------------------------------------------------------------------------
def evaluate(run: Run, name: str, checkpoint: str | None, discriminator: str | None = None) -> list[dict]:
    """Episodes of a checkpoint (None: the heuristic, or the compact teacher when ``name`` is ``teacher``; with
    ``discriminator``: best-of-K) on the eval pairs, cached in ``eval/<name>.json``."""
    from scene_gym.train.orchestra_eval import evaluate_heuristic, evaluate_policy
    from scene_gym.train.orchestra_policy import OrchestraPolicy

    path = run.dir / "eval" / f"{name}.json"
    if path.is_file():
        return json.loads(path.read_text())
    if checkpoint is None:
        c = run.config
        teacher = teacher_source("heuristic", c.seed, c) if name == "teacher" else "heuristic"
        episodes = evaluate_heuristic(run.env, run.eval_tasks, run.config.seed, teacher)
    elif discriminator is not None:
        policy = OrchestraPolicy(run.policy(checkpoint, 11), discriminator, k=run.config.best_of_k,
                                 seed=run.seed_for(11), device=run.device, prompt_config=run.prompt_config)  # fmt: skip
        episodes = evaluate_policy(run.env, policy, run.eval_tasks)
    else:
        episodes = evaluate_policy(run.env, run.policy(checkpoint), run.eval_tasks)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(episodes))
    run.log.event("eval", policy=name, mean_c=float(np.mean([e["value"] for e in episodes])),
                  mean_q=float(np.mean([e["terms"]["q"] for e in episodes])),
                  valid_share=float(np.mean([e["valid"] for e in episodes])), n=len(episodes))  # fmt: skip
    return episodes


def enter_leaderboard(run: Run, checkpoints: dict[str, str]) -> None:
    """Run the benchmark (``vlm:<checkpoint>`` in the ``trajectory`` kind) for every checkpoint on the eval pairs
    into ``leaderboard_db`` (when set); each stage is one leaderboard entry."""
    c = run.config
    if not c.leaderboard_db:
        return
    from scene_gym.benchmarks.runner import RunConfig, run_benchmark

    db = Path(c.leaderboard_db) if Path(c.leaderboard_db).is_absolute() else run.dir / c.leaderboard_db
    done_path = run.dir / "eval" / "leaderboard.json"
    done = json.loads(done_path.read_text()) if done_path.is_file() else {}
    for stage, checkpoint in checkpoints.items():
        for suite in c.leaderboard_suites or c.eval_suites:
            key = f"{stage}/{suite}"
            if key in done:
                continue
            ids = tuple(dict.fromkeys(t.prompt_id for t in run.eval_tasks if t.suite == suite))
            ids = ids[: c.leaderboard_prompts] if c.leaderboard_prompts else ids
            summary = run_benchmark(RunConfig(suite=suite, policy=f"vlm:{Path(checkpoint).resolve()}",
                                              env="trajectory", seeds=c.eval_seeds, prompts=ids, db=str(db),
                                              image_size=0, workers=2, progress=False))  # fmt: skip
            done[key] = str(summary)
            done_path.write_text(json.dumps(done, indent=1) + "\n")
            run.log.event("leaderboard", stage=stage, suite=suite, db=str(db), summary=str(summary))
