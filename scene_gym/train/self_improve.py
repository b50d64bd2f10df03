"""3D-Generalist's self-improvement, for scene-level (DSL) and asset-level (pointing) policies.

Read top to bottom, :func:`train_self_improve` does:

1. **Demonstrations**: the teacher (the heuristic) plays the first ``demo_prompts`` prompts of the training suite;
   its steps become chat rows (``demos.jsonl``).
2. **Model**: ``tiny`` builds a Qwen2 (or Qwen2-VL) from a config with a BPE tokenizer trained on the spot on the
   run's prompts and demonstrations; anything else is a local checkpoint directory.
3. **Warm start**: SFT on the demonstrations (:func:`~scene_gym.train.sft.run_sft`, TRL's ``SFTTrainer``).
4. **Rounds**: for each training prompt, at each step, ``k`` candidates are sampled and scored on copies of the
   env state with the configured reward, and the episode continues from the best
   (:func:`~scene_gym.train.search.search_step`); every step is appended to ``round_<r>/samples.jsonl`` as it
   finishes (all prompts advance in lockstep, so generation is batched). The top ``keep_top_fraction`` episodes' valid, rewarded steps (plus the demonstrations) fine-tune
   the next policy; the in-context library takes the round's best steps.
5. **Evaluation** after each stage on held-out (prompt, seed) pairs, greedy: the untrained model, the warm start,
   each round and the teacher, with paired bootstrap 95% intervals (:mod:`~scene_gym.train.evaluation`), written
   to ``results.csv``/``comparisons.csv``/``results.json``/``reward_per_round.png``, TensorBoard and ``log.jsonl``;
   the final policy is entered on a leaderboard when ``leaderboard_db`` is set.

**Resuming**: every stage's output is checked before it runs (a checkpoint is finished when its policy card is
written; an evaluation when its JSON is), and a round's sampling restarts every episode from the env state of its
last recorded step. Sampling seeds derive from (seed, round, step) and a step of all episodes is one record line,
so a killed and resumed run records what an uninterrupted one would. Checkpoints are ``save_pretrained`` directories with a policy card
(:mod:`scene_gym.agents.vlm.card`) and load as ``vlm:PATH``.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.train.config_io import write_resolved
from scene_gym.train.datasets import action_text, append_record, chat_row, read_records, repair_jsonl
from scene_gym.train.evaluation import rollout_result, run_eval_batch, suite_tasks, write_results
from scene_gym.train.run_log import RunLog
from scene_gym.train.search import demonstration, observation_texts, save_image, search_batch
from scene_gym.train.self_improve_config import SelfImproveConfig
from scene_gym.train.sft import SFTOptions, resolve_device, run_sft

#: Paired comparisons written to comparisons.csv (a - b), when both were evaluated.
COMPARISONS = [("warm_start", "untrained"), ("round_1", "warm_start"), ("round_2", "warm_start"),
               ("round_2", "round_1"), ("teacher", "warm_start")]  # fmt: skip


class Run:
    """The run's folder, log, env, tasks and prompt settings (built once by :func:`train_self_improve`)."""

    def __init__(self, config: SelfImproveConfig, hooks: dict | None = None):
        import gymnasium as gym

        import scene_gym  # noqa: F401 - registers the env kinds
        from scene_gym.agents.prompts import PromptConfig
        from scene_gym.envs.kinds import get_kind

        self.config, self.hooks = config, hooks or {}
        self.dir = Path(config.run_dir)
        self.log = RunLog(self.dir, config.tensorboard, config.progress)
        self.kind = get_kind(config.env)
        self.fmt = self.kind.action_format
        size = (config.image_size,) * 2 if config.image_size else None
        self.env = gym.make(self.kind.env_id, reward=config.reward, max_steps=config.steps_per_episode,
                            image_size=size).unwrapped  # fmt: skip
        self.device = resolve_device(config.device)
        compact = config.prompt_style == "compact"
        self.prompt_config = PromptConfig(include_images=bool(config.image_size), style=config.prompt_style,
                                          round_digits=config.round_digits,
                                          max_examples=config.icl_examples if config.use_icl_library else 0)  # fmt: skip
        self.train_config = PromptConfig(include_images=bool(config.image_size), style=config.prompt_style,
                                         round_digits=config.round_digits, max_examples=0)  # fmt: skip
        self.fenced = not compact
        self.train_tasks = suite_tasks(config.train_suite, config.train_prompts, 1)
        self.demo_tasks = suite_tasks(config.train_suite, config.demo_prompts, config.demo_seeds)
        self.eval_tasks = [t for s in config.eval_suites for t in
                           suite_tasks(s, config.eval_prompts_per_suite, config.eval_seeds, config.eval_prompt_offset)]  # fmt: skip

    def step_seed(self, *parts: int) -> int:
        """A sampling seed derived from the run seed and ``parts`` (round, prompt, step)."""
        return int(np.random.SeedSequence([self.config.seed, *parts]).generate_state(1)[0] % (2**31 - 1))

    def policy(self, path: str | Path, temperature: float, icl=None):
        """The VLM policy of checkpoint ``path`` prompted as this run prompts (explicit, not from its card)."""
        from scene_gym.agents.vlm import VLMPolicy

        return VLMPolicy(path, seed=self.config.seed, device=self.device, temperature=temperature,
                         sample_temperature=self.config.temperature, max_new_tokens=self.config.max_new_tokens,
                         max_regenerations=self.config.max_regenerations, icl=icl,
                         prompt_config=self.prompt_config, batch_size=64)  # fmt: skip

    def row(self, record: dict[str, Any]) -> dict[str, Any]:
        """The SFT row of a recorded step."""
        return chat_row(record["observation"], record["action"], self.fmt, self.train_config, record.get("image"),
                        takes_images=bool(self.config.image_size))  # fmt: skip


def train_self_improve(config: SelfImproveConfig, hooks: dict | None = None) -> dict[str, Any]:
    """Run (or resume) self-improvement as the module docstring says; returns the ``results.json`` content plus
    ``final`` (the last checkpoint) and ``wall_s``. ``hooks["after_step"](step)`` is called after each recorded
    round step (tests use it to interrupt a run)."""
    t0 = time.perf_counter()
    run = Run(config, hooks)
    write_resolved(config, run.dir / "config.json")
    run.log.event("start", run_dir=str(run.dir), device=run.device, eval_pairs=len(run.eval_tasks))
    demos = collect_demonstrations(run)
    base = prepare_model(run, demos)
    check_answer_budget(run, base, demos)
    evaluations: dict[str, list[dict]] = {}
    if config.eval_untrained:
        evaluations["untrained"] = evaluate(run, "untrained", base)
    current, library = base, initial_library(run)
    if config.warm_start:
        current = sft_stage(run, "warm_start", base, [run.row(d) for d in demos], config.warm_epochs, library)
        evaluations["warm_start"] = evaluate(run, "warm_start", current, library)
    for r in range(1, config.rounds + 1):
        records = sample_round(run, current, r, library)
        kept = select_steps(run, records)
        rows = [run.row(s) for s in kept] + ([run.row(d) for d in demos] if config.mix_demonstrations else [])
        library = update_library(run, library, kept, r)
        current = sft_stage(run, f"round_{r}", current, rows, config.round_epochs, library)
        evaluations[f"round_{r}"] = evaluate(run, f"round_{r}", current, library)
    if config.eval_teacher:
        evaluations["teacher"] = evaluate(run, "teacher", None)
    results = write_results(run.dir, evaluations, COMPARISONS, config.bootstrap_samples, config.seed)
    for i, row in enumerate(results["results"]):
        run.log.scalar("eval/mean_reward", row["mean"], i)
    enter_leaderboard(run, current)
    wall = time.perf_counter() - t0
    run.log.event("done", wall_s=round(wall, 1), final=str(current))
    run.log.close()
    run.env.close()
    return {**results, "final": str(current), "wall_s": wall}


# --- 1. demonstrations -----------------------------------------------------------------------------------------
def collect_demonstrations(run: Run) -> list[dict]:
    """The teacher's valid, applied steps on the demonstration tasks (``demos.jsonl``; resumed per task)."""
    from scene_gym.agents import make_policy

    path = run.dir / "demos.jsonl"
    repair_jsonl(path)
    done = {tuple(r["key"][:1]) for r in read_records(path) if r.get("last")}
    teacher = make_policy(run.config.teacher, seed=run.config.seed)
    c = run.config
    with run.log.bar(len(run.demo_tasks), "demonstrations", len(done)) as bar:
        for i, task in enumerate(run.demo_tasks):
            if (i,) in done:
                continue
            steps = demonstration(run.env, teacher, task, c.steps_per_episode, c.demo_statements_per_step or None,
                                  c.round_digits if c.demo_statements_per_step else None,
                                  run.dir / "images" / "demos" if c.image_size else None,
                                  tuple(c.demo_drop_args))  # fmt: skip
            for j, s in enumerate(steps):
                append_record(path, {"key": [i, j], "task": task.prompt_id, **s, "last": j == len(steps) - 1})
            bar.update(1)
    records = read_records(path)
    kept = [r for r in records if r["valid"] and r["applied"]]
    if run.fenced:
        kept = [{**r, "action": action_text(r["action"], run.fmt, fenced=True)} for r in kept]
    run.log.event("demonstrations", tasks=len(run.demo_tasks), steps=len(records), kept=len(kept),
                  mean_final_value=float(np.mean([r["value"] for r in records if r.get("last")] or [0])))  # fmt: skip
    return kept


# --- 2. the model ----------------------------------------------------------------------------------------------
def prepare_model(run: Run, demos: list[dict]) -> str:
    """The untrained checkpoint: a tiny model built in ``checkpoints/untrained`` (tokenizer trained on the
    training prompts, the demonstrations' prompts and actions) or the configured checkpoint path."""
    c = run.config
    if c.model != "tiny":
        return c.model
    from scene_gym.train.tiny import build_causal_lm, build_qwen2_vl

    out = run.dir / "checkpoints" / "untrained"
    if not finished(out):
        shutil.rmtree(out, ignore_errors=True)
        rows = [run.row(d) for d in demos]
        texts = [m["content"] if isinstance(m["content"], str) else " ".join(p.get("text", "") for p in m["content"])
                 for r in rows for m in [*r["prompt"], *r["completion"]]]  # fmt: skip
        texts += [t.prompt for t in run.train_tasks]
        if c.tiny_vision:
            build_qwen2_vl(out, c.seed, vocab_size=c.tiny_vocab, texts=texts, hidden_size=c.tiny_hidden,
                           num_layers=c.tiny_layers)  # fmt: skip
        else:
            build_causal_lm(out, c.seed, vocab_size=c.tiny_vocab, texts=texts, hidden_size=c.tiny_hidden,
                            num_layers=c.tiny_layers, num_heads=c.tiny_heads)  # fmt: skip
        write_card(run, out, None)
    run.log.event("model", path=str(out))
    return str(out)


def check_answer_budget(run: Run, checkpoint: str, demos: list[dict]) -> None:
    """Log the demonstrations' longest answer in tokens against ``max_new_tokens``: a budget below it cuts the
    imitated answers short (a cut DSL program does not parse), so the log says so as a warning."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(checkpoint, local_files_only=True)
    lengths = [len(tok(d["action"], add_special_tokens=False)["input_ids"]) + 1 for d in demos] or [0]
    longest = int(max(lengths))
    warning = longest > run.config.max_new_tokens
    run.log.event("answer_budget", longest_demo_answer_tokens=longest, max_new_tokens=run.config.max_new_tokens,
                  warning=f"max_new_tokens {run.config.max_new_tokens} is below the longest demonstrated answer "
                          f"({longest} tokens): raise it" if warning else "")  # fmt: skip


def finished(checkpoint: Path) -> bool:
    """Whether a checkpoint directory is complete (its policy card is written last)."""
    from scene_gym.agents.vlm.card import CARD_NAME

    return (Path(checkpoint) / CARD_NAME).is_file()


def write_card(run: Run, checkpoint: Path, library) -> None:
    """Copy the in-context library into the checkpoint (when used) and write its policy card."""
    from scene_gym.agents.vlm.card import write_card as write

    icl_file = None
    if library is not None and run.config.use_icl_library:
        library.save(Path(checkpoint) / "icl_library.json")
        icl_file = "icl_library.json"
    write(checkpoint, run.prompt_config, icl_file, run.config.max_new_tokens)


# --- 3. SFT (warm start and rounds) ------------------------------------------------------------------------------
def sft_stage(run: Run, name: str, base: str, rows: list[dict], epochs: float, library) -> str:
    """Fine-tune ``base`` on ``rows`` into ``checkpoints/<name>`` (skipped when already finished)."""
    c = run.config
    out = run.dir / "checkpoints" / name
    if finished(out):
        return str(out)
    shutil.rmtree(out, ignore_errors=True)
    options = SFTOptions(epochs=epochs, learning_rate=c.learning_rate, batch_size=c.batch_size, lora=c.lora,
                         lora_rank=c.lora_rank, lora_alpha=c.lora_alpha, max_length_cap=c.max_length_cap,
                         seed=c.seed, device=c.device)  # fmt: skip
    run.log.event("sft_start", stage=name, rows=len(rows))
    stats = run_sft(base, rows, out, options, run.dir / "tb" / f"sft_{name}" if c.tensorboard else None)
    write_card(run, out, library)
    run.log.event("sft", stage=name, **{k: v for k, v in stats.items() if k != "options"})
    run.log.scalar(f"sft/{name}/train_loss", stats["train_loss"], 0)
    return str(out)


# --- 4. rounds: best-of-K search ---------------------------------------------------------------------------------
def sample_round(run: Run, checkpoint: str, r: int, library) -> list[dict]:
    """Best-of-``k`` episodes of the current policy on every training prompt, in lockstep: each step of all
    unfinished episodes is one batched search (:func:`~scene_gym.train.search.search_batch`) written as ONE line
    of ``round_<r>/samples.jsonl`` (key ``[r, step]``), so a kill loses at most the step in progress and a rerun
    repeats it with the same seed. Returns the per-episode step records (key ``[r, prompt, step]``)."""
    c = run.config
    path = run.dir / f"round_{r}" / "samples.jsonl"
    repair_jsonl(path)
    lines = sorted(read_records(path), key=lambda x: x["key"][1])
    policy = run.policy(checkpoint, c.temperature, library if c.use_icl_library else None)
    states, observations, active = _start_episodes(run, policy, lines)
    with run.log.bar(c.steps_per_episode, f"round {r} search", len(lines)) as bar:
        for step in range(len(lines), c.steps_per_episode):
            if not active:
                break
            outs = search_batch(run.env, policy, [states[p] for p in active], [observations[p] for p in active],
                                c.k, run.step_seed(r, step))  # fmt: skip
            steps = []
            for p, out in zip(active, outs, strict=True):
                image = save_image(observations[p], run.dir / "images" / f"round_{r}" / f"{p}_{step}.png"
                                   if c.image_size else None)  # fmt: skip
                steps.append({"key": [r, p, step], "task": run.train_tasks[p].prompt_id,
                              "observation": observation_texts(observations[p]), "image": image,
                              **{k: v for k, v in out.items() if k not in ("next_obs", "action")},
                              "action": action_text(out["action"], run.fmt, fenced=run.fenced)})  # fmt: skip
                states[p], observations[p] = out["state"], out["next_obs"]
            append_record(path, {"key": [r, step], "steps": steps})
            if "after_step" in run.hooks:
                run.hooks["after_step"](step)
            active = [p for p, out in zip(active, outs, strict=True) if not (out["terminated"] or out["truncated"])]
            bar.update(1)
    records = [s for line in sorted(read_records(path), key=lambda x: x["key"][1]) for s in line["steps"]]
    _log_round(run, r, records)
    return records


def _start_episodes(run: Run, policy, lines: list[dict]) -> tuple[dict, dict, list[int]]:
    """(env state per prompt, observation per prompt, prompts still running) at the start of the round or,
    when ``lines`` were recorded, after the last of them."""
    states, observations = {}, {}
    for p, task in enumerate(run.train_tasks):
        obs, info = run.env.reset(seed=task.episode_seed, options=task.options())
        states[p], observations[p] = run.env.get_state(), obs
    policy.reset(run.config.seed, kind=info["env_kind"])
    active = list(range(len(run.train_tasks)))
    for line in lines:
        for rec in line["steps"]:
            p = rec["key"][1]
            states[p] = rec["state"]
            observations[p] = run.env.set_state(rec["state"])
            if rec["terminated"] or rec["truncated"]:
                active.remove(p)
    return states, observations, active


def _log_round(run: Run, r: int, records: list[dict]) -> None:
    cands = [cd for rec in records for cd in rec["candidates"]]
    stats = {"round": r, "steps": len(records), "candidates": len(cands),
             "candidate_valid_share": float(np.mean([cd["valid"] for cd in cands] or [0])),
             "chosen_valid_share": float(np.mean([rec["valid"] for rec in records] or [0])),
             "mean_final_value": float(np.mean([rec["value"] for rec in records if rec["key"][2] == max(
                 x["key"][2] for x in records if x["key"][1] == rec["key"][1])] or [0])),
             "generate_s": float(sum(x["generate_s"] for x in records)),
             "score_s": float(sum(x["score_s"] for x in records))}  # fmt: skip
    run.log.event("round_samples", **stats)
    run.log.scalar("round/candidate_valid_share", stats["candidate_valid_share"], r)
    run.log.scalar("round/chosen_valid_share", stats["chosen_valid_share"], r)


def select_steps(run: Run, records: list[dict]) -> list[dict]:
    """The valid steps rewarded above ``min_step_reward`` of the best ``keep_top_fraction`` episodes."""
    episodes: dict[int, list[dict]] = {}
    for rec in records:
        episodes.setdefault(rec["key"][1], []).append(rec)
    for eps in episodes.values():
        eps.sort(key=lambda x: x["key"][2])
    ranked = sorted(episodes.values(), key=lambda eps: -eps[-1]["value"])
    n_keep = max(1, int(round(run.config.keep_top_fraction * len(ranked))))
    kept = [s for eps in ranked[:n_keep] for s in eps if s["valid"] and s["reward"] > run.config.min_step_reward]
    run.log.event("select", episodes=len(ranked), kept_episodes=n_keep, kept_steps=len(kept))
    return kept


# --- the in-context library -----------------------------------------------------------------------------------
def initial_library(run: Run):
    """The built-in library when ``use_icl_library`` (examples of other formats are never retrieved), else None."""
    from scene_gym.agents.icl import ICLLibrary

    return ICLLibrary.default() if run.config.use_icl_library else None


def update_library(run: Run, library, kept: list[dict], r: int):
    """Add the round's ``icl_add_per_round`` best kept steps (by step reward) to the library."""
    if library is None:
        return None
    from scene_gym.agents.icl import ICLExample
    from scene_gym.agents.prompts import room_type_of

    best = sorted(kept, key=lambda s: -s["reward"])[: run.config.icl_add_per_round]
    for s in best:
        obs = s["observation"]
        library.add(ICLExample(run.kind.name, str(obs.get("prompt") or "(no prompt)"), s["action"], room_type_of(obs),
                               score=float(s["reward"]), source=f"round_{r}"))  # fmt: skip
    run.log.event("icl_library", round=r, added=len(best), size=len(library))
    return library


# --- 5. evaluation and the leaderboard -------------------------------------------------------------------------
def evaluate(run: Run, name: str, checkpoint: str | None, library=None) -> list[dict]:
    """Greedy episodes on every eval task (cached in ``eval/<name>.json``); ``checkpoint`` None is the teacher."""
    path = run.dir / "eval" / f"{name}.json"
    if path.is_file():
        return json.loads(path.read_text())
    if checkpoint is None:  # the teacher: whole episodes on the executor (local processes or a Ray cluster)
        episodes = evaluate_teacher(run)
    else:
        policy = run.policy(checkpoint, 0.0, library if run.config.use_icl_library else None)
        episodes = run_eval_batch(run.env, policy, run.eval_tasks, run.config.steps_per_episode)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(episodes))
    mean = float(np.mean([e["value"] for e in episodes]))
    run.log.event("eval", policy=name, mean=mean, n=len(episodes))
    return episodes


def evaluate_teacher(run: Run) -> list[dict]:
    """The teacher's episodes on the eval tasks, collected with :func:`scene_gym.train.rollouts.collect_rollouts`
    on ``config.executor`` (one episode per task, with the task's starting state and seed)."""
    from scene_gym.train.rollouts import collect_rollouts

    c = run.config
    rollouts = collect_rollouts(c.teacher, run.kind.name, pairs=[(t.options(), t.episode_seed) for t in run.eval_tasks],
                                executor=c.executor, reward=c.reward, max_steps=c.steps_per_episode,
                                image_size=c.image_size, progress=c.progress)  # fmt: skip
    return [rollout_result(r, t) for r, t in zip(rollouts, run.eval_tasks, strict=True)]


def enter_leaderboard(run: Run, checkpoint: str) -> None:
    """Run the benchmark (``vlm:<final checkpoint>``) on the eval pairs into ``leaderboard_db`` (when set)."""
    c = run.config
    if not c.leaderboard_db:
        return
    from scene_gym.benchmarks.runner import RunConfig, run_benchmark

    db = Path(c.leaderboard_db) if Path(c.leaderboard_db).is_absolute() else run.dir / c.leaderboard_db
    for suite in c.eval_suites:
        ids = tuple(dict.fromkeys(t.prompt_id for t in run.eval_tasks if t.suite == suite))
        summary = run_benchmark(RunConfig(suite=suite, policy=f"vlm:{Path(checkpoint).resolve()}", env=run.kind.name,
                                          seeds=c.eval_seeds, prompts=ids, db=str(db), reward=c.reward,
                                          max_steps=c.steps_per_episode, image_size=c.image_size,
                                          progress=c.progress))  # fmt: skip
        run.log.event("leaderboard", suite=suite, db=str(db), summary=str(summary))
