"""Run a short episode with a local vision-language (or text-only) model checkpoint as the policy.

    python examples/vlm_policy.py --model /path/to/Qwen2.5-VL-3B-Instruct --env scene --steps 3 --out runs/vlm

``--model`` is a checkpoint directory (``save_pretrained`` layout: config.json, weights, tokenizer, and the
processor files for vision-language models); nothing is downloaded. The policy sees the observation's image
(when the model takes images), the scene text, the tool catalogue and in-context examples; an answer that cannot
be parsed is regenerated with the error fed back, then replaced by a no-op.

Writes ``rollout.jsonl`` (one header line, one line per step), ``summary.json`` (env, policy, rewards, how many
answers needed regenerating or fell back, generated tokens per second), ``scene.json`` and the observation images
(``images/step_<k>_image.png``).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import gymnasium as gym

import scene_gym  # noqa: F401 - registers the environments
from scene_gym.agents import run_episode
from scene_gym.agents.vlm import VLMPolicy
from scene_gym.envs.kinds import get_kind, scene_kinds
from scene_gym.scene.io import atomic_write

#: The env kinds a language-model policy can act in (every registered scene kind), by name.
ENVS = [k.name for k in scene_kinds()]


def make_env(kind: str, steps: int, image_size: int):
    """The env of ``kind`` (a registered kind's name) with ``steps`` steps at most (one-step kinds, such as
    ``trajectory``, take no limit)."""
    found = get_kind(kind)
    kw = {"image_size": (image_size, image_size) if image_size else None}
    if "max_steps" in found.kwargs:
        kw["max_steps"] = steps
    return gym.make(found.env_id, **kw)


def write_outputs(out: Path, rollout, policy, env, wall_s: float) -> dict:
    """rollout.jsonl, summary.json and scene.json under ``out``; returns the summary."""
    rollout.save(out / "rollout.jsonl")
    summary = {"env_id": rollout.env_id, "policy": rollout.policy, "seed": rollout.seed, "steps": len(rollout.steps),
               "total_reward": rollout.total_reward, "rewards": [s.reward for s in rollout.steps],
               "counts": dict(policy.counts), "wall_s": round(wall_s, 3),
               "objects": len(rollout.final_scene["objects"]) if rollout.final_scene else 0}  # fmt: skip
    stats = getattr(policy, "stats", {})
    summary["stats"] = dict(stats)
    if stats.get("generate_s"):
        summary["generated_tokens"] = stats["generated_tokens"]
        summary["tokens_per_s"] = round(stats["generated_tokens"] / stats["generate_s"], 1)
    atomic_write(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    env.unwrapped.scene.save(out / "scene.json")
    for k, step in enumerate(rollout.steps):
        action = step.action if isinstance(step.action, str) else json.dumps(step.action)
        print(f"step {k}: reward {step.reward:+.3f}  action {action[:100]!r}")
    print(f"total reward {rollout.total_reward:+.3f}; {policy.counts['regenerations']} regenerations, "
          f"{policy.counts['fallbacks']} fallbacks; wrote {out}")  # fmt: skip
    return summary


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="checkpoint directory")
    parser.add_argument("--env", choices=sorted(ENVS), default="scene")
    parser.add_argument("--prompt", default=None, help="task prompt (default: drawn from the suite with the seed)")
    parser.add_argument("--steps", type=int, default=3, help="episode length cap")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-new-tokens", type=int, default=512)
    parser.add_argument("--max-regenerations", type=int, default=2)
    parser.add_argument("--temperature", type=float, default=0.0)
    parser.add_argument("--image-size", type=int, default=256, help="observation image side, pixels (0: none)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="auto", choices=["auto", "float32", "float16", "bfloat16"])
    parser.add_argument("--out", type=Path, default=Path("runs/vlm_policy"))
    args = parser.parse_args(argv)

    policy = VLMPolicy(args.model, seed=args.seed, device=args.device, dtype=args.dtype,
                       max_new_tokens=args.max_new_tokens, max_regenerations=args.max_regenerations,
                       temperature=args.temperature)  # fmt: skip
    env = make_env(args.env, args.steps, args.image_size)
    options = {"prompt": args.prompt} if args.prompt else None
    t0 = time.perf_counter()
    try:
        rollout = run_episode(env, policy, seed=args.seed, options=options, image_dir=args.out / "images")
        return write_outputs(args.out, rollout, policy, env, time.perf_counter() - t0)
    finally:
        env.close()


if __name__ == "__main__":
    main()
