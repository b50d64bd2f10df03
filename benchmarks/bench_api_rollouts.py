"""API-policy episodes of ``SceneSynthToolStep-v1`` (no images) against the local stand-in server with injected
latency: all at once (:mod:`scene_gym.agents.async_rollout`) versus one after another (``run_episode``).

Usage: python benchmarks/bench_api_rollouts.py [--episodes 32] [--latency 0.2] [--repeat 3] [--workers 2]
       [--modes processes threads] [--quick] [--json PATH]

The stand-in (:class:`scene_gym.llm.standin.ChatStandIn`, in this process) waits ``--latency`` seconds before each
answer and answers with the heuristic's tool calls for the request's task
(:func:`scene_gym.agents.heuristic.replay.tool_step_responder`), so every episode runs to its end (about 19 steps)
with the same answers in both runs. Episode ``i`` is ``reset(seed=i)``.

- ``sequential``: one env, one :class:`~scene_gym.llm.ChatClient`, :func:`~scene_gym.agents.rollout.run_episode`
  per episode, one after another. Its env time (reset + step) and request time are reported (``where_the_time_goes``).
- ``processes`` / ``threads``: one :class:`~scene_gym.llm.async_chat.AsyncChatClient` (``max_concurrency`` =
  episodes) shared by every episode; envs in ``--workers`` worker processes or threads (:class:`EnvPool`, started
  and warmed before the clock starts: ``warm_s``).

Reported per mode: the median wall seconds over ``--repeat`` runs, ``ratio`` = sequential median / mode median
(target >= 10 for 32 episodes at 200 ms), the most requests the stand-in saw in flight, and whether every rollout
equals its sequential twin (``to_jsonl`` byte for byte). ``--quick``: 4 episodes, 20 ms latency, 1 repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ENV_ID = "SceneSynthToolStep-v1"


def timed_env():
    """The sequential run's env, its reset and step wall times summed in ``env.seconds``."""
    import gymnasium as gym

    class Timed(gym.Wrapper):
        seconds = 0.0

        def reset(self, **kw):
            t = time.perf_counter()
            try:
                return self.env.reset(**kw)
            finally:
                self.seconds += time.perf_counter() - t

        def step(self, action):
            t = time.perf_counter()
            try:
                return self.env.step(action)
            finally:
                self.seconds += time.perf_counter() - t

    return Timed(gym.make(ENV_ID, image_size=None))


def sequential(url: str, episodes: int) -> tuple[float, list, float]:
    """Wall seconds, rollouts and env seconds of the one-after-another run."""
    from scene_gym.agents.api import APIPolicy
    from scene_gym.agents.rollout import run_episode
    from scene_gym.llm import ChatClient

    env = timed_env()
    client = ChatClient(url, api_key_env=None, timeout=10.0, backoff=0.05)
    t = time.perf_counter()
    rollouts = [run_episode(env, APIPolicy("stand-in", client=client, send_images=False), seed=i)
                for i in range(episodes)]  # fmt: skip
    wall = time.perf_counter() - t
    env.close()
    return wall, rollouts, env.seconds


def concurrent(url: str, episodes: int, pool) -> tuple[float, list, int]:
    """Wall seconds, rollouts and the client's most requests in flight of the all-at-once run."""
    import asyncio

    from scene_gym.agents.api import APIPolicy
    from scene_gym.agents.async_rollout import run_episodes_async
    from scene_gym.llm import AsyncChatClient

    client = AsyncChatClient(url, api_key_env=None, timeout=10.0, backoff=0.05, max_concurrency=episodes)

    async def run():
        try:
            make = lambda: APIPolicy("stand-in", client=client, send_images=False)  # noqa: E731
            return await run_episodes_async(pool, range(episodes), make)
        finally:
            await client.aclose()

    t = time.perf_counter()
    rollouts = asyncio.run(run())
    return time.perf_counter() - t, rollouts, client.max_in_flight


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=32)
    ap.add_argument("--latency", type=float, default=0.2, help="seconds the stand-in waits before each answer")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="env worker processes (or threads)")
    ap.add_argument("--modes", nargs="+", choices=("processes", "threads"), default=["processes", "threads"])
    ap.add_argument("--quick", action="store_true", help="4 episodes, 20 ms latency, 1 repeat")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.quick:
        args.episodes, args.latency, args.repeat = 4, 0.02, 1
    from scene_gym.agents.async_rollout import EnvPool
    from scene_gym.agents.heuristic.replay import tool_step_responder
    from scene_gym.llm.standin import ChatStandIn

    pools = {m: EnvPool(ENV_ID, {"image_size": None}, workers=args.workers, processes=m == "processes")
             for m in args.modes}  # fmt: skip
    warm = {}
    for m, pool in pools.items():
        t = time.perf_counter()
        pool.warm()
        warm[m] = time.perf_counter() - t
    times: dict[str, list[float]] = {"sequential": [], **{m: [] for m in args.modes}}
    same, in_flight, env_s, steps, longest = {m: True for m in args.modes}, {m: 0 for m in args.modes}, [], 0, 0
    with ChatStandIn(responder=tool_step_responder(), latency=args.latency) as server:
        for r in range(args.repeat):
            wall, reference, seconds = sequential(server.url, args.episodes)
            times["sequential"].append(wall)
            env_s.append(seconds)
            steps = sum(len(x.steps) for x in reference)
            longest = max(len(x.steps) for x in reference)
            for m, pool in pools.items():
                server.reset_counts()
                wall, rollouts, _ = concurrent(server.url, args.episodes, pool)
                times[m].append(wall)
                in_flight[m] = max(in_flight[m], server.max_in_flight)
                same[m] &= [x.to_jsonl() for x in rollouts] == [x.to_jsonl() for x in reference]
            print(f"repeat {r + 1}/{args.repeat}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
                  file=sys.stderr, flush=True)  # fmt: skip
    for pool in pools.values():
        pool.close()
    seq = statistics.median(times["sequential"])
    median_env = statistics.median(env_s)
    rows = [{"mode": m, "median_s": statistics.median(times[m]), "ratio": seq / statistics.median(times[m]),
             "warm_s": warm[m], "max_in_flight": in_flight[m], "equal_to_sequential": same[m],
             "runs_s": times[m]} for m in args.modes]  # fmt: skip
    result = {
        "episodes": args.episodes, "latency_s": args.latency, "repeat": args.repeat, "workers": args.workers,
        "steps": steps, "target_ratio": 10.0, "cpus": os.cpu_count(), "loadavg": list(os.getloadavg()),
        "sequential": {"median_s": seq, "runs_s": times["sequential"]},
        "where_the_time_goes": {"sequential_env_median_s": median_env, "sequential_requests_median_s": seq - median_env,
                                "env_ms_per_step": 1000 * median_env / max(steps, 1),
                                "latency_floor_s": args.latency * longest},
        "modes": rows,
    }  # fmt: skip
    print(f"{args.episodes} episodes, {steps} steps, {args.latency * 1000:.0f} ms latency: sequential {seq:.2f} s "
          f"(env {median_env:.2f} s, {1000 * median_env / max(steps, 1):.1f} ms/step)")  # fmt: skip
    for row in rows:
        print(f"  {row['mode']:<10} {row['median_s']:.2f} s  ratio {row['ratio']:.1f}x  in flight <= "
              f"{row['max_in_flight']}  equal {row['equal_to_sequential']}  (warm-up {row['warm_s']:.1f} s)")
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
