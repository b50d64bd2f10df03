"""SceneOrchestra (arXiv 2604.19907): an orchestrator that writes a whole tool-call trajectory in one shot, trained
in four stages, a discriminator that picks the best of 4 trajectories, and one interleaved round.

Read top to bottom, :func:`train_orchestra` does:

1. **Demonstrations**: the heuristic writes ``demo_samples`` trajectories per training task, each replayed call
   by call with C recorded (:func:`~scene_gym.train.orchestra_data.collect_orchestra_rollouts`,
   ``rollouts/demos.jsonl``).
2. **Model**: ``tiny`` builds a Qwen2 from a config with a BPE tokenizer trained on the spot on the run's prompts
   and demonstrations (:mod:`~scene_gym.train.tiny`); anything else is a local checkpoint directory.
3. **Warm start**: SFT on the whole demonstrated trajectories (the prompt inference uses), so the orchestrator's
   first samples are valid.
4. **Rollouts**: the warm orchestrator samples trajectories (``sample_temperature``) next to heuristic and
   perturbed-heuristic ones (so early data is valid), all replayed with C per call (``rollouts/train.jsonl``).
5. **Datasets**: the four builders with thresholds tau1..tau4 (``datasets/<name>.jsonl``, sizes in
   ``datasets/sizes.json`` next to the paper's 371/387/297/563).
6. **Stages** ``s_sft -> t_sft -> s_dpo -> t_dpo`` (``config.stages``; drop any for an ablation), each from the
   previous one; DPO's reference is the stage's start (TRL's ``DPOTrainer``, beta 0.1, sigmoid loss).
7. **Discriminator**: SFT to answer the index of the best of 4 candidates of one instruction, from the training
   rollouts; top-1 accuracy with a Wilson 95% interval on held-out sets (``eval/discriminator.json``).
8. **Interleaved round** (:mod:`~scene_gym.train.orchestra_interleave`): on set A the orchestrator's candidates
   are executed and the best labels more discriminator data; on a new set B the discriminator ranks the
   orchestrator's candidates without executing them and best-vs-others pairs train the orchestrator by DPO.
9. **Evaluation** of every checkpoint (and the heuristic, and best-of-K when ``best_of_k``) on held-out pairs
   (:mod:`~scene_gym.train.orchestra_eval`): C, Q and the share of valid trajectories with paired bootstrap 95%
   intervals (``results.csv``, ``comparisons.csv``, ``results.json``, ``reward_per_round.png``); every
   checkpoint is entered on the leaderboard when ``leaderboard_db`` is set.

**Resuming**: a checkpoint is finished when its policy card is written (last), an evaluation when its JSON is, a
dataset when its rows file and size entry are; rollouts are JSON lines appended per rollout and a rerun skips
the ones recorded. A rerun with the same ``run_dir`` therefore skips every finished step. Checkpoints are
``save_pretrained`` directories with a policy card and load as ``vlm:PATH``.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.train.config_io import write_resolved
from scene_gym.train.evaluation import suite_tasks, write_results
from scene_gym.train.orchestra_config import OrchestraConfig
from scene_gym.train.run_log import RunLog
from scene_gym.train.sft import SFTOptions, resolve_device, run_sft

#: SceneOrchestra's dataset sizes (paper, Table 2) for the report next to ours.
PAPER_SIZES = {"s_sft": 371, "t_sft": 387, "s_dpo": 297, "t_dpo": 563}


class Run:
    """The run's folder, log, tasks, prompt settings and thresholds (built once by :func:`train_orchestra`)."""

    def __init__(self, config: OrchestraConfig, hooks: dict | None = None):
        from scene_gym.agents.prompts import PromptConfig
        from scene_gym.train.orchestra_data import DEFAULT_THRESHOLDS, Thresholds
        from scene_gym.train.orchestra_eval import trajectory_env

        c = self.config = config
        self.hooks = hooks or {}
        self.dir = Path(c.run_dir)
        self.log = RunLog(self.dir, c.tensorboard, c.progress)
        self.device = resolve_device(c.device)
        self.prompt_config = PromptConfig(include_images=False, style=c.prompt_style, round_digits=c.round_digits,
                                          max_examples=0)  # fmt: skip
        self.thresholds = (
            Thresholds(*(float(t) for t in c.thresholds)) if c.thresholds else DEFAULT_THRESHOLDS
        )
        self.train_tasks = suite_tasks(c.train_suite, c.train_prompts, c.train_seeds)
        self.b_tasks = suite_tasks(
            c.train_suite, c.interleave_b_prompts, c.interleave_b_seeds, c.train_prompts
        )
        self.eval_tasks = [t for s in c.eval_suites for t in
                           suite_tasks(s, c.eval_prompts_per_suite, c.eval_seeds, c.eval_prompt_offset)]  # fmt: skip
        self.disc_tasks = suite_tasks(
            c.disc_eval_suite, c.disc_eval_prompts, c.disc_eval_seeds, c.disc_eval_offset
        )
        self.env = trajectory_env()
        self._observations: dict[tuple[str, int], dict] = {}

    def seed_for(self, *parts: int) -> int:
        """A seed derived from the run seed and ``parts``."""
        return int(np.random.SeedSequence([self.config.seed, *parts]).generate_state(1)[0] % (2**31 - 1))

    def observation(self, task) -> dict:
        """The first ``SceneSynthTrajectory-v1`` observation of ``task`` (cached)."""
        key = (task.prompt_id + "/" + task.suite, task.seed)
        if key not in self._observations:
            self._observations[key] = self.env.reset(seed=task.episode_seed, options=task.options())[0]
        return self._observations[key]

    def messages(self, task) -> list[dict]:
        """The orchestrator's chat for ``task`` (what inference sends): system + user."""
        from scene_gym.train.orchestra_data import orchestrator_messages

        obs = self.observation(task)
        return orchestrator_messages({k: str(obs.get(k, "")) for k in ("prompt", "scene", "feedback")}, None,
                                     self.prompt_config)  # fmt: skip

    def policy(self, path: str | Path, seed_part: int = 0):
        """The orchestrator at ``path``: greedy ``act``, sampling ``sample(n > 1)``, validate-and-regenerate."""
        from scene_gym.agents.vlm import VLMPolicy

        c = self.config
        return VLMPolicy(path, seed=self.seed_for(7, seed_part), device=self.device, temperature=0.0,
                         sample_temperature=c.sample_temperature, max_new_tokens=c.max_new_tokens,
                         max_regenerations=c.max_regenerations, prompt_config=self.prompt_config, batch_size=32,
                         icl=None)  # fmt: skip

    def sft_options(self, epochs: float, learning_rate: float | None = None) -> SFTOptions:
        """SFT options from the config."""
        c = self.config
        return SFTOptions(epochs=float(epochs), learning_rate=learning_rate or c.learning_rate,
                          batch_size=c.batch_size, lora=c.lora, lora_rank=c.lora_rank, lora_alpha=c.lora_alpha,
                          max_length_cap=c.max_length_cap, seed=c.seed, device=c.device)  # fmt: skip

    def dpo_options(self):
        """DPO options from the config (reference = the stage's start, sigmoid loss)."""
        from scene_gym.train.dpo import DPOOptions

        c = self.config
        return DPOOptions(epochs=float(c.dpo_epochs), learning_rate=c.dpo_learning_rate, batch_size=c.batch_size,
                          beta=c.dpo_beta, loss_type="sigmoid", lora=c.lora, lora_rank=c.lora_rank,
                          lora_alpha=c.lora_alpha, seed=c.seed, device=c.device,
                          max_length_cap=c.max_length_cap)  # fmt: skip

    def hook(self, name: str, *args) -> None:
        """Call ``hooks[name](*args)`` when given (tests interrupt a run with it)."""
        if name in self.hooks:
            self.hooks[name](*args)


def train_orchestra(config: OrchestraConfig, hooks: dict | None = None) -> dict[str, Any]:
    """Run (or resume) the pipeline as the module docstring says. Returns the ``results.json`` content plus
    ``final`` (the last orchestrator checkpoint), ``discriminator`` (its checkpoint and held-out accuracy),
    ``dataset_sizes`` and ``wall_s``. ``hooks["after_stage"](name)`` is called after each finished checkpoint."""
    from scene_gym.train.orchestra_eval import comparisons
    from scene_gym.train.orchestra_interleave import interleaved_round
    from scene_gym.train.orchestra_stages import (
        build_datasets,
        collect,
        demonstrations,
        enter_leaderboard,
        evaluate,
        prepare_model,
        run_stage,
        train_discriminator,
    )
    from scene_gym.train.orchestra_teacher import compacted

    t0 = time.perf_counter()
    c = config
    run = Run(config, hooks)
    write_resolved(config, run.dir / "config.json")
    run.log.event(
        "start",
        run_dir=str(run.dir),
        device=run.device,
        eval_pairs=len(run.eval_tasks),
        thresholds=dataclasses.asdict(run.thresholds),
    )
    demos = demonstrations(run)
    base = prepare_model(run, demos)
    evaluations: dict[str, list[dict]] = {}
    checkpoints: dict[str, str] = {}
    if c.eval_untrained:
        evaluations["untrained"] = evaluate(run, "untrained", base)
    current = base
    if c.warm_start:
        current = run_stage(run, "warm_start", base, demos)
        evaluations["warm_start"] = evaluate(run, "warm_start", current)
        checkpoints["warm_start"] = current
    rollouts = collect(run, "train", run.train_tasks, {"warm_start": current})
    datasets, sizes = build_datasets(run, rollouts, current)
    for name in c.stages:
        extra = demos if c.mix_demonstrations and name.endswith("_sft") else []
        current = run_stage(run, name, current, datasets[name] + extra)
        evaluations[name] = evaluate(run, name, current)
        checkpoints[name] = current
    disc, disc_eval = None, None
    if c.discriminator:
        disc, disc_eval = train_discriminator(run, base if c.discriminator_model == "untrained" else
                                              checkpoints.get("warm_start", base)
                                              if c.discriminator_model == "warm_start" else
                                              c.discriminator_model, rollouts, checkpoints)  # fmt: skip
    if c.interleaved and disc is not None:
        current, disc = interleaved_round(run, current, disc)
        evaluations["interleaved"] = evaluate(run, "interleaved", current)
        checkpoints["interleaved"] = current
    if c.best_of_k and disc is not None:
        evaluations["best_of_k"] = evaluate(run, "best_of_k", current, discriminator=disc)
    if c.eval_heuristic:
        evaluations["heuristic"] = evaluate(run, "heuristic", None)
        if compacted(c):
            evaluations["teacher"] = evaluate(run, "teacher", None)
    results = write_results(run.dir, evaluations, comparisons(list(c.stages)), c.bootstrap_samples, c.seed)
    for i, row in enumerate(results["results"]):
        run.log.scalar("eval/mean_c", row["mean"], i)
    enter_leaderboard(run, checkpoints)
    wall = time.perf_counter() - t0
    extra = {"final": str(current), "discriminator": {"checkpoint": disc, **(disc_eval or {})},
             "dataset_sizes": sizes, "wall_s": wall}  # fmt: skip
    (run.dir / "summary.json").write_text(json.dumps({**extra, "comparisons": results["comparisons"]}, indent=1,
                                                     default=str) + "\n")  # fmt: skip
    run.log.event("done", wall_s=round(wall, 1), final=str(current))
    run.log.close()
    run.env.close()
    return {**results, **extra}


def finished(checkpoint: str | Path) -> bool:
    """Whether a checkpoint directory is complete (its policy card is written last)."""
    from scene_gym.agents.vlm.card import CARD_NAME

    return (Path(checkpoint) / CARD_NAME).is_file()


def write_card(run: Run, checkpoint: str | Path) -> None:
    """The policy card of an orchestrator checkpoint (prompt settings, answer budget)."""
    from scene_gym.agents.vlm.card import write_card as write

    write(checkpoint, run.prompt_config, None, run.config.max_new_tokens)


def sft(
    run: Run, name: str, base: str, rows: list[dict], epochs: float, learning_rate: float | None = None
) -> str:
    """SFT of ``base`` on ``rows`` into ``checkpoints/<name>`` (skipped when finished)."""
    out = run.dir / "checkpoints" / name
    if finished(out):
        return str(out)
    shutil.rmtree(out, ignore_errors=True)
    run.log.event("sft_start", stage=name, rows=len(rows))
    stats = run_sft(base, rows, out, run.sft_options(epochs, learning_rate),
                    run.dir / "tb" / f"sft_{name}" if run.config.tensorboard else None)  # fmt: skip
    write_card(run, out)
    run.log.event("sft", stage=name, **{k: v for k, v in stats.items() if k != "options"})
    run.log.scalar(f"sft/{name}/train_loss", stats["train_loss"], 0)
    run.hook("after_stage", name)
    return str(out)


def dpo(run: Run, name: str, base: str, rows: list[dict]) -> str:
    """DPO of ``base`` on ``rows`` (reference = ``base``) into ``checkpoints/<name>`` (skipped when finished)."""
    from scene_gym.train.dpo import run_dpo

    out = run.dir / "checkpoints" / name
    if finished(out):
        return str(out)
    shutil.rmtree(out, ignore_errors=True)
    run.log.event("dpo_start", stage=name, rows=len(rows))
    steps = iter(range(10**9))

    def log(entry: dict) -> None:  # TRL's log dicts -> TensorBoard scalars
        i = next(steps)
        for key, value in entry.items():
            if isinstance(value, int | float):
                run.log.scalar(f"dpo/{name}/{key}", value, i)

    stats = run_dpo(base, rows, out, run.dpo_options(), log=log)
    write_card(run, out)
    run.log.event("dpo", stage=name, **{k: v for k, v in stats.items() if k not in ("options", "losses",
                  "reward_margins", "reward_accuracies", "rewards_chosen", "rewards_rejected")})  # fmt: skip
    run.hook("after_stage", name)
    return str(out)
