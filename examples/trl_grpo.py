"""GRPO on scene-gym's one-shot DSL reward with TRL's ``GRPOTrainer``, on CPU, from a warm start.

Read top to bottom, :func:`main` does:

1. **Prompts**: a suite as a prompt dataset (:func:`scene_gym.data.load_prompt_dataset`, kind ``dsl``, compact
   prompts), split by entry into train and held-out eval prompts.
2. **Demonstrations**: the heuristic policy writes one program per training prompt for the first observation;
   keyword arguments named by ``--demo-drop-args`` are removed, so ``add("bed")`` leaves placement to the env's
   layout solver (short answers a tiny model can learn).
3. **Model**: a tiny Qwen2 (:func:`scene_gym.train.tiny.build_causal_lm`) with a tokenizer trained on the prompts
   and demonstrations and Qwen2.5's chat template, warm-started by SFT on the demonstrations
   (:func:`scene_gym.train.sft.run_sft`).
4. **Answer budget**: ``max_completion_length`` = the longest demonstration in tokens plus ``--length-margin``
   (never TRL's 512 default, which is too short for long heuristic programs and wasteful for short ones).
5. **Before**: greedy answers on the held-out prompts, each replayed in a fresh ``SceneSynth-v1`` episode
   (:class:`scene_gym.integrations.trl.ReplayReward`).
6. **GRPO**: ``GRPOTrainer`` samples ``--num-generations`` answers per prompt; the reward function replays each.
   Per step the log holds the mean reward and the **within-group spread** (the standard deviation of the rewards
   in each group; GRPO's advantage is zero, so nothing is learned, in a group whose spread is 0).
7. **After**: greedy held-out rewards again; the paired bootstrap 95% CI of after - before
   (:func:`scene_gym.train.evaluation.paired_bootstrap`). Results go to ``OUT/results.json`` and
   ``OUT/grpo_curve.png``.

Run ``python examples/trl_grpo.py --help`` for every flag. The defaults are the run in
``benchmarks/reference/trl_grpo/`` (rooms-50, 40 training and 10 held-out prompts; warm start about 10 minutes and
60 GRPO steps about 14 minutes on 2 busy CPU cores); the final model is saved in ``OUT/grpo_final``.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (every flag has a help text and a default)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)  # fmt: skip
    a = p.add_argument
    a("--out", default="runs/trl_grpo", help="output folder (checkpoints, results.json, grpo_curve.png)")
    a("--suite", default="rooms-50", help="prompt suite (template, complex, rooms-50) or a suite file")
    a("--eval-fraction", type=float, default=0.2, help="share of suite entries held out for evaluation")
    a("--train-prompts", type=int, default=0, help="use at most this many training prompts (0: all)")
    a("--eval-prompts", type=int, default=0, help="use at most this many held-out prompts (0: all)")
    a("--seed", type=int, default=0, help="seed of the split, the model's weights and the trainers")
    a(
        "--demo-drop-args",
        default="at,yaw,size,material",
        help="comma-separated keyword arguments removed from the heuristic's statements ('' keeps all)",
    )
    a(
        "--demo-statements",
        type=int,
        default=0,
        help="keep the first N statements of each demonstration (0: all)",
    )
    a(
        "--warm-start",
        default="",
        help="an existing warm-start checkpoint (built by an earlier run) instead of building one",
    )
    a("--hidden", type=int, default=64, help="tiny model hidden size (units; a multiple of 4 * heads)")
    a("--layers", type=int, default=2, help="tiny model transformer layers")
    a("--heads", type=int, default=4, help="tiny model attention heads")
    a(
        "--vocab",
        type=int,
        default=800,
        help="tokenizer vocabulary size (tokens), trained on prompts and demos",
    )
    a("--sft-epochs", type=float, default=40.0, help="warm-start SFT epochs over the demonstrations")
    a("--sft-lr", type=float, default=1e-2, help="warm-start SFT learning rate")
    a(
        "--steps",
        type=int,
        default=60,
        help="GRPO optimiser steps (the learning rate decays linearly over them)",
    )
    a(
        "--time-budget-s",
        type=float,
        default=0.0,
        help="stop GRPO after the step that passes this many seconds (0: none)",
    )
    a("--num-generations", type=int, default=8, help="answers sampled per prompt (the GRPO group size)")
    a("--prompts-per-step", type=int, default=2, help="prompts per GRPO step (batch = prompts x generations)")
    a("--temperature", type=float, default=0.7, help="sampling temperature of the GRPO answers")
    a("--lr", type=float, default=1e-3, help="GRPO learning rate")
    a("--beta", type=float, default=0.0, help="KL coefficient against the warm start (0: no reference model)")
    a("--reward-scale", type=float, default=1.0, help="multiply every reward by this")
    a(
        "--invalid-penalty",
        type=float,
        default=0.5,
        help="subtracted for an unreadable program and per failed statement",
    )
    a(
        "--strict-parse",
        action="store_true",
        help="reward exactly what the model wrote (the env's parser), not the policy parser that drops non-statement lines",
    )
    a(
        "--length-margin",
        type=int,
        default=8,
        help="tokens added to the longest demonstration for max_completion_length",
    )
    a("--bootstrap", type=int, default=2000, help="bootstrap resamples for the 95%% intervals")
    return p.parse_args(argv)


def demonstrations(rows, drop: tuple[str, ...], seed: int, statements: int = 0) -> list[str]:
    """The heuristic's one-shot program for each row's first observation, ``drop`` keyword arguments removed and,
    when ``statements`` > 0, only its first ``statements`` statements kept."""
    import gymnasium as gym

    from scene_gym.agents import make_policy
    from scene_gym.data.prompts import row_start
    from scene_gym.train.search import chunk_program

    env = gym.make("SceneSynth-v1", image_size=None, max_steps=1).unwrapped
    teacher = make_policy("heuristic", seed=seed)
    programs = []
    for info in rows["info"]:
        ep_seed, options = row_start(info)
        obs, _ = env.reset(seed=ep_seed, options=options)
        teacher.reset(ep_seed, kind="scene")
        program = chunk_program(teacher.act(obs), None, None, drop)[0]
        programs.append("\n".join(program.splitlines()[:statements]) if statements > 0 else program)
    env.close()
    return programs


def warm_start(out: Path, train, demos: list[str], args: argparse.Namespace) -> tuple[str, dict]:
    """A tiny model built for the run and fine-tuned on (prompt, demonstration) rows; (checkpoint, SFT stats)."""
    from scene_gym.train.sft import SFTOptions, run_sft
    from scene_gym.train.tiny import build_causal_lm

    rows = [
        {"prompt": p, "completion": [{"role": "assistant", "content": d}]}
        for p, d in zip(train["prompt"], demos, strict=True)
    ]
    texts = [m["content"] for p in train["prompt"] for m in p] + demos
    base = build_causal_lm(out / "untrained", args.seed, vocab_size=args.vocab, texts=texts,
                           hidden_size=args.hidden, num_layers=args.layers, num_heads=args.heads)  # fmt: skip
    options = SFTOptions(
        epochs=args.sft_epochs, learning_rate=args.sft_lr, batch_size=8, seed=args.seed, device="cpu"
    )
    stats = run_sft(base, rows, out / "warm_start", options)
    return str(out / "warm_start"), stats


def answer_budget(checkpoint: str, demos: list[str], margin: int) -> int:
    """``max_completion_length``: the longest demonstration in tokens (+1 for the end token) plus ``margin``."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(checkpoint)
    return max(len(tok(d, add_special_tokens=False)["input_ids"]) + 1 for d in demos) + int(margin)


def held_out_rewards(model, tokenizer, evalset, reward, budget: int) -> tuple[list[float], list[str]]:
    """Greedy answers on the held-out prompts, each replayed in a fresh env: (one reward per prompt, the answers)."""
    from scene_gym.integrations.trl import greedy_completions

    model.eval()
    answers = greedy_completions(model, tokenizer, evalset["prompt"], budget)
    return [reward.score(a, i)["reward"] for a, i in zip(answers, evalset["info"], strict=True)], answers


def train_grpo(checkpoint: str, train, reward, budget: int, out: Path, args: argparse.Namespace):
    """``GRPOTrainer`` on the training prompts for ``args.steps`` steps; returns the trainer after training."""
    from transformers import AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    tokenizer = AutoTokenizer.from_pretrained(checkpoint, padding_side="left")
    config = GRPOConfig(
        output_dir=str(out / "grpo"), max_steps=args.steps, learning_rate=args.lr, beta=args.beta,
        num_generations=args.num_generations, per_device_train_batch_size=args.num_generations * args.prompts_per_step,
        gradient_accumulation_steps=1, max_completion_length=budget, temperature=args.temperature,
        logging_steps=1, save_strategy="no", report_to="none", use_cpu=True, bf16=False, seed=args.seed,
        disable_tqdm=True, dataloader_num_workers=0, model_init_kwargs={"dtype": "float32"},
        gradient_checkpointing=False,
    )  # fmt: skip
    trainer = GRPOTrainer(model=checkpoint, reward_funcs=reward, args=config, train_dataset=train,
                          processing_class=tokenizer, callbacks=[time_budget(args.time_budget_s)])  # fmt: skip
    trainer.train()
    return trainer


def time_budget(seconds: float):
    """A ``TrainerCallback`` that ends training after the step during which ``seconds`` have passed (0: never)."""
    from transformers import TrainerCallback

    class TimeBudget(TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            self.t0 = time.perf_counter()

        def on_step_end(self, args, state, control, **kwargs):
            if seconds and time.perf_counter() - self.t0 > seconds:
                control.should_training_stop = True

    return TimeBudget()


def curve(trainer, reward, num_generations: int) -> list[dict[str, Any]]:
    """Per GRPO step: mean reward, mean and minimum within-group spread, share of groups with zero spread (from
    the rewards the reward function returned), and TRL's logged loss, ``reward`` (mean) and ``frac_reward_zero_std``
    (TRL's own share of zero-spread groups; its ``reward_std`` is the whole batch's, not within groups)."""
    import numpy as np

    from scene_gym.integrations.trl import group_spread

    logs = [h for h in trainer.state.log_history if "loss" in h and "step" in h]
    rows = []
    for step, rewards in enumerate(reward.history, start=1):
        spread = group_spread(rewards, num_generations)
        log = logs[step - 1] if step - 1 < len(logs) else {}
        rows.append({"step": step, "mean_reward": float(np.mean(rewards)), "group_spread_mean": float(np.mean(spread)),
                     "group_spread_min": float(np.min(spread)), "zero_spread_groups": float(np.mean(np.isclose(spread, 0.0))),
                     "loss": log.get("loss"), "trl_reward_mean": log.get("reward"),
                     "trl_frac_reward_zero_std": log.get("frac_reward_zero_std")})  # fmt: skip
    return rows


def plot(rows: list[dict], path: Path) -> None:
    """The reward curve and the within-group spread per step, one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    steps = [r["step"] for r in rows]
    ax.plot(steps, [r["mean_reward"] for r in rows], "o-", label="mean reward of the sampled answers")
    ax.plot(steps, [r["group_spread_mean"] for r in rows], "s--", label="within-group reward std (mean)")
    ax.set_xlabel("GRPO step")
    ax.legend(fontsize=8)
    ax.set_title("GRPO on SceneSynth-v1 (one-shot DSL)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the example; returns (and writes to ``OUT/results.json``) what it measured."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from scene_gym.data import load_prompt_dataset
    from scene_gym.integrations.trl import ReplayReward
    from scene_gym.train.evaluation import bootstrap_mean_ci, paired_bootstrap

    args = parse_args(argv)
    t0, out = time.perf_counter(), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(args.seed)
    ds = load_prompt_dataset(args.suite, "dsl", args.eval_fraction, args.seed, style="compact")
    train, evalset = ds["train"], ds["eval"]
    if args.train_prompts:
        train = train.select(range(min(args.train_prompts, len(train))))
    if args.eval_prompts:
        evalset = evalset.select(range(min(args.eval_prompts, len(evalset))))
    demos = demonstrations(
        train, tuple(x for x in args.demo_drop_args.split(",") if x), args.seed, args.demo_statements
    )
    if args.warm_start:
        checkpoint, sft = args.warm_start, {"reused": args.warm_start}
    else:
        checkpoint, sft = warm_start(out, train, demos, args)
    budget = answer_budget(checkpoint, demos, args.length_margin)
    reward = ReplayReward(
        "dsl", invalid_penalty=args.invalid_penalty, scale=args.reward_scale, strict=args.strict_parse
    )
    teacher = [reward.score(d, i)["reward"] for d, i in zip(demos, train["info"], strict=True)]
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    before, answers_before = held_out_rewards(
        AutoModelForCausalLM.from_pretrained(checkpoint), tokenizer, evalset, reward, budget
    )
    start = {
        n: p.detach().clone() for n, p in AutoModelForCausalLM.from_pretrained(checkpoint).named_parameters()
    }
    t1 = time.perf_counter()
    trainer = train_grpo(checkpoint, train, reward, budget, out, args)
    grpo_s = time.perf_counter() - t1
    model = trainer.model
    changed = float(
        max((p.detach().cpu() - start[n]).abs().max().item() for n, p in model.named_parameters())
    )
    after, answers_after = held_out_rewards(model, tokenizer, evalset, reward, budget)
    trainer.save_model(str(out / "grpo_final"))
    rows = curve(trainer, reward, args.num_generations)
    results = {
        "args": vars(args), "train_prompts": len(train), "eval_prompts": len(evalset), "max_completion_length": budget,
        "sft": {k: v for k, v in sft.items() if k != "options"}, "teacher_train_mean": float(sum(teacher) / len(teacher)),
        "before": dict(zip(("mean", "low", "high"), bootstrap_mean_ci(before, args.bootstrap, args.seed), strict=True)),
        "after": dict(zip(("mean", "low", "high"), bootstrap_mean_ci(after, args.bootstrap, args.seed), strict=True)),
        "after_minus_before": paired_bootstrap(after, before, args.bootstrap, args.seed),
        "per_prompt": {"task_id": list(evalset["task_id"]), "before": before, "after": after,
                       "answer_before": answers_before, "answer_after": answers_after},
        "curve": rows, "max_weight_change": changed, "grpo_seconds": round(grpo_s, 1),
        "final_loss": next((h["loss"] for h in reversed(trainer.state.log_history) if "loss" in h), math.nan),
        "wall_seconds": round(time.perf_counter() - t0, 1),
    }  # fmt: skip
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    plot(rows, out / "grpo_curve.png")
    print(
        json.dumps(
            {k: results[k] for k in ("before", "after", "after_minus_before", "grpo_seconds")}, indent=1
        )
    )
    return results


if __name__ == "__main__":
    main()
