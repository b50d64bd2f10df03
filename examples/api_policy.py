"""Run a short episode with a model behind any OpenAI-compatible chat endpoint as the policy.

    OPENAI_API_KEY=... python examples/api_policy.py --model gpt-4o-mini --env trajectory
    python examples/api_policy.py --base-url http://localhost:8000/v1 --model Qwen/Qwen2.5-VL-7B-Instruct

The tool environments use function calling (the tools' JSON schemas; ``--no-tools`` for servers without it);
the DSL and pointing environments read the answer's text. Unusable answers are regenerated with the error fed
back, then replaced by a no-op; HTTP failures and timeouts are retried with backoff.

Writes ``rollout.jsonl``, ``summary.json`` (env, policy, rewards, requests, regenerations and fallbacks) and
``scene.json`` under ``--out``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vlm_policy import ENVS, make_env, write_outputs  # noqa: E402

from scene_gym.agents import run_episode  # noqa: E402
from scene_gym.agents.api import APIPolicy  # noqa: E402


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=None, help="API root (default: $OPENAI_BASE_URL, else OpenAI's)")
    parser.add_argument("--model", required=True, help="model name sent to the endpoint")
    parser.add_argument("--env", choices=sorted(ENVS), default="scene")
    parser.add_argument("--prompt", default=None)
    parser.add_argument("--steps", type=int, default=3, help="episode length cap")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--max-retries", type=int, default=4, help="HTTP retries per request")
    parser.add_argument("--max-regenerations", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--temperature", type=float, default=0.0)
    parser.add_argument("--image-size", type=int, default=256, help="observation image side, pixels (0: none)")
    parser.add_argument("--no-tools", action="store_true", help="JSON in text instead of function calling")
    parser.add_argument("--out", type=Path, default=Path("runs/api_policy"))
    args = parser.parse_args(argv)

    policy = APIPolicy(args.model, base_url=args.base_url, timeout=args.timeout, max_retries=args.max_retries,
                       seed=args.seed, temperature=args.temperature, max_tokens=args.max_tokens,
                       max_regenerations=args.max_regenerations, use_tools=not args.no_tools)  # fmt: skip
    env = make_env(args.env, args.steps, args.image_size)
    options = {"prompt": args.prompt} if args.prompt else None
    t0 = time.perf_counter()
    try:
        rollout = run_episode(env, policy, seed=args.seed, options=options, image_dir=args.out / "images")
        summary = write_outputs(args.out, rollout, policy, env, time.perf_counter() - t0)
    finally:
        env.close()
    return summary


if __name__ == "__main__":
    main()
