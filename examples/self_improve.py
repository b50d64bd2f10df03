"""Self-improvement (3D-Generalist) end to end on a CPU: a tiny model, a warm start, rounds, evaluation.

    python examples/self_improve.py --out runs/example            # the tiny config, as shipped
    python examples/self_improve.py --out /tmp/x --mini           # one prompt, K=2, one round (the test)

What it does, top to bottom:

1. read the tiny config (``configs/self_improve_tiny.toml``): a Qwen2 of ~0.7M parameters built from a config,
   its BPE tokenizer trained on the spot, the compact prompt format and the offline ``quality`` reward;
2. run :func:`scene_gym.train.self_improve.train_self_improve`: heuristic demonstrations -> warm-start SFT ->
   rounds of best-of-K search + SFT -> evaluation of every stage on held-out (prompt, seed) pairs;
3. print the results table (mean final reward, 95% bootstrap interval, share of valid actions) and load the final
   checkpoint back as a policy with ``make_policy("vlm:PATH")``, which reads its policy card, to act once.

Outputs under ``--out``: ``config.json`` (resolved), ``results.csv``, ``comparisons.csv``, ``results.json``,
``reward_per_round.png``, ``log.jsonl``, ``tb/`` and ``checkpoints/``. Rerunning with the same ``--out`` resumes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MINI = {"train_prompts": 1, "demo_prompts": 3, "k": 2, "rounds": 1, "steps_per_episode": 2,
        "eval_suites": ("template",), "eval_prompts_per_suite": 2, "eval_seeds": 1, "warm_epochs": 1.0,
        "round_epochs": 1.0, "tiny_hidden": 32, "tiny_layers": 1, "tiny_heads": 2, "tiny_vocab": 400,
        "max_new_tokens": 48, "leaderboard_db": "", "bootstrap_samples": 200, "tensorboard": True}  # fmt: skip
"""The mini version: one training prompt, K=2, one round, two held-out pairs."""


def main() -> None:
    import gymnasium as gym

    from scene_gym.agents import make_policy
    from scene_gym.train.config_io import make_config
    from scene_gym.train.self_improve import train_self_improve
    from scene_gym.train.self_improve_config import SelfImproveConfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="run folder (rerun to resume)")
    parser.add_argument("--config", default=str(ROOT / "configs" / "self_improve_tiny.toml"))
    parser.add_argument("--mini", action="store_true", help="one prompt, K=2, one round")
    args = parser.parse_args()

    # 1. the config, with the run folder (and the mini sizes) on top
    overrides = {"run_dir": args.out, "progress": False, **(MINI if args.mini else {})}
    config = make_config(SelfImproveConfig, args.config, **overrides)

    # 2. train: demonstrations, warm start, rounds, evaluation
    out = train_self_improve(config)

    # 3. the results, and the final checkpoint as a policy
    for row in out["results"]:
        print(f"{row['policy']:<11} mean {row['mean']:.3f} [{row['ci_low']:.3f}, {row['ci_high']:.3f}] "
              f"valid {row['valid_share']:.2f}")  # fmt: skip
    policy = make_policy(f"vlm:{out['final']}", seed=0)
    env = gym.make("SceneSynth-v1", image_size=None, max_steps=config.steps_per_episode)
    obs, info = env.reset(seed=0, options={"prompt": "Design me a bedroom."})
    policy.reset(0, kind=info["env_kind"])
    _, _, _, _, info = env.step(policy.act(obs))
    print(f"final policy ({policy.prompt_config.style} prompts) acted once: valid={info['valid']}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
