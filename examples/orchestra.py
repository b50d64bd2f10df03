"""SceneOrchestra end to end on a CPU: a tiny orchestrator trained in four stages, a discriminator, one interleaved
round, every stage evaluated on held-out instructions.

    python examples/orchestra.py --out runs/orchestra_example          # the tiny config, as shipped (~20 min)
    python examples/orchestra.py --out /tmp/x --mini                   # two prompts, one epoch per stage (the test)
    python examples/orchestra.py --out /tmp/y --set 'stages=["t_sft", "t_dpo"]'   # an ablation (TOML values)

What it does, top to bottom:

1. read the tiny config (``configs/orchestra_tiny.toml``): a Qwen2 built from a config, its BPE tokenizer trained
   on the spot, compact prompts (no tool catalogue), caps on every dataset and epoch;
2. run :func:`scene_gym.train.orchestra.train_orchestra`: heuristic demonstrations -> warm start -> rollouts with C
   per call -> S-SFT -> T-SFT -> S-DPO -> T-DPO -> discriminator -> interleaved round -> evaluation;
3. print C per stage with 95% intervals and the share of valid trajectories, the paired differences, the dataset
   sizes next to the paper's, and the discriminator's held-out top-1 accuracy;
4. load the final orchestrator (:class:`~scene_gym.train.orchestra_policy.OrchestraPolicy`), with the discriminator
   ranking ``best_of_k`` samples when both are on, else greedy, and write one trajectory for a new instruction in
   ``SceneSynthTrajectory-v1`` (validate-and-regenerate on).

Outputs under ``--out``: ``config.json``, ``results.csv``, ``comparisons.csv``, ``results.json``,
``reward_per_round.png``, ``summary.json``, ``datasets/`` (rows and ``sizes.json``), ``rollouts/``, ``eval/``,
``checkpoints/``, ``log.jsonl``. Rerunning with the same ``--out`` resumes.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MINI = {"train_prompts": 2, "demo_samples": 2, "rollout_samples": 2, "warm_epochs": 1.0, "sft_epochs": 1.0,
        "dpo_epochs": 1.0, "discriminator_epochs": 1.0, "tiny_hidden": 32, "tiny_layers": 1, "tiny_heads": 2,
        "tiny_vocab": 600, "max_new_tokens": 48, "max_regenerations": 0, "interleave_b_prompts": 1,
        "interleave_b_seeds": 1, "eval_suites": ("template",), "eval_prompts_per_suite": 2, "eval_seeds": 1,
        "eval_prompt_offset": 0,
        "disc_eval_prompts": 4, "disc_eval_seeds": 1, "disc_eval_samples": 3, "best_of_k": 2, "max_rows": 16,
        "bootstrap_samples": 200, "leaderboard_db": "", "tensorboard": False}  # fmt: skip
"""The mini version: two training prompts, two samples per source, one epoch per stage, two held-out pairs."""


def main() -> None:
    import gymnasium as gym

    from scene_gym.train.config_io import make_config
    from scene_gym.train.orchestra import train_orchestra
    from scene_gym.train.orchestra_config import OrchestraConfig
    from scene_gym.train.orchestra_policy import OrchestraPolicy

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="run folder (rerun to resume)")
    parser.add_argument("--config", default=str(ROOT / "configs" / "orchestra_tiny.toml"))
    parser.add_argument("--mini", action="store_true", help="two prompts, one epoch per stage")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override a field (TOML value)"
    )
    args = parser.parse_args()

    # 1. the config, with the run folder (and the mini sizes, and --set) on top
    sets = {k: tomllib.loads(f"v = {v}")["v"] for k, _, v in (s.partition("=") for s in args.set)}
    config = make_config(OrchestraConfig, args.config, **{"run_dir": args.out, "progress": False,
                                                          **(MINI if args.mini else {}), **sets})  # fmt: skip

    # 2. train: demonstrations, warm start, rollouts, four stages, discriminator, interleaved round, evaluation
    out = train_orchestra(config)

    # 3. the results
    for row in out["results"]:
        print(f"{row['policy']:<12} C {row['mean']:7.3f} [{row['ci_low']:7.3f}, {row['ci_high']:7.3f}] "
              f"Q {row.get('term_q', 0.0):6.3f} valid {row['valid_share']:.2f}")  # fmt: skip
    for c in out["comparisons"]:
        print(f"  {c['a']} - {c['b']}: {c['diff']:+.3f} [{c['low']:+.3f}, {c['high']:+.3f}]"
              f"{' (CI excludes 0)' if c['significant'] else ''}")  # fmt: skip
    sizes = out["dataset_sizes"]
    for name in ("s_sft", "t_sft", "s_dpo", "t_dpo"):
        print(
            f"dataset {name}: {sizes[name]['kept']} rows (built {sizes[name]['built']}; paper {sizes[name]['paper']})"
        )
    print(f"thresholds: {sizes['thresholds']}")
    disc = out["discriminator"]
    print(f"discriminator: {disc}")

    # 4. the final orchestrator (best-of-K ranked by the discriminator when there is one) on a new instruction
    ranked = disc["checkpoint"] is not None and config.best_of_k > 1
    policy = OrchestraPolicy(out["final"], disc["checkpoint"] if ranked else None, k=config.best_of_k if ranked else 1,
                             seed=0, max_regenerations=config.max_regenerations)  # fmt: skip
    env = gym.make("SceneSynthTrajectory-v1", image_size=None)
    obs, info = env.reset(seed=0, options={"prompt": "A small study with a desk, a chair and a bookshelf."})
    policy.reset(0, kind=info["env_kind"])
    _, reward, _, _, info = env.step(policy.act(obs))
    how = f"best of {policy.k}" if ranked else "greedy"
    print(f"final orchestrator, {how}: valid={info['valid']} C={reward:.3f} "
          f"(discriminator saw {policy.last_candidates[0][0].meta['ranked']} parseable candidates)")  # fmt: skip
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
