"""Serve SceneSynthToolStep-v1 as an OpenEnv environment and drive it with scene-gym's heuristic over WebSocket.

    python examples/openenv_server.py demo --out runs/openenv            # server + client in one process
    python examples/openenv_server.py serve --port 8000                  # a server, until Ctrl-C
    python examples/openenv_server.py client --url http://127.0.0.1:8000 --episodes 3

``demo`` starts a server on a free 127.0.0.1 port, plays ``--episodes`` heuristic episodes through the typed
client, sends one malformed call to show the error observation, runs OpenEnv's own harness
(``SceneGymEvalHarness``: ``CollectRunner`` + ``MCPHarnessAdapter``) on the same seeds, and writes
``summary.json`` (per-episode calls and rewards, the error observation, the harness scores) and the harness's
``harness/results.jsonl`` under ``--out``. ``client`` does the episodes against a running server and prints
them. Needs the ``openenv`` extra (``pip install 'scene-gym[openenv]'``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def play(url: str, seeds: list[int], max_steps: int) -> list[dict]:
    """Heuristic episodes against the server at ``url``, one per seed: calls, step rewards, return, final Q."""
    from scene_gym.integrations.openenv import SceneGymClient, heuristic_episode

    episodes = []
    with SceneGymClient(base_url=url).sync() as env:
        for seed in seeds:
            ep = heuristic_episode(env, seed=seed, max_calls=max_steps)
            final_q = ep["final"].reward_value
            episodes.append({"seed": seed, "prompt": ep["state"].prompt, "calls": ep["calls"],
                             "rewards": ep["rewards"], "return": ep["return"], "final_q": final_q})  # fmt: skip
            print(f"seed {seed}: {len(ep['calls'])} calls, return {ep['return']:+.3f}, Q {ep['final'].reward_value:.3f}"
                  f"  ({ep['state'].prompt})")  # fmt: skip
    return episodes


def bad_call(url: str) -> dict:
    """One malformed call (a tool name that is a number): the error comes back as an observation."""
    from scene_gym.integrations.openenv import SceneGymClient, SceneToolAction

    with SceneGymClient(base_url=url).sync() as env:
        env.reset(seed=0)
        result = env.step(SceneToolAction(tool=42, args={}))
    print(
        f"malformed call -> valid={result.observation.valid}, reward {result.reward}: {result.observation.error}"
    )
    return {"valid": result.observation.valid, "reward": result.reward, "error": result.observation.error}


def demo(args: argparse.Namespace) -> dict:
    """Server in a thread, client episodes, one bad call, OpenEnv's harness; writes ``summary.json``."""
    from openenv.core.evals import EvalConfig

    from scene_gym.integrations.openenv import SceneGymEvalHarness, make_app, start_server
    from scene_gym.scene.io import atomic_write

    server = start_server(make_app(max_steps=args.max_steps), port=0)
    print(f"serving on {server.url}")
    try:
        seeds = list(range(args.seed, args.seed + args.episodes))
        episodes = play(server.url, seeds, args.max_steps)
        error = bad_call(server.url)
        params = {"seeds": seeds, "max_turns": args.max_steps}
        config = EvalConfig(harness_name="SceneGymEvalHarness", harness_version="1", library_versions={},
                            dataset="scene-gym/toolstep", eval_parameters=params)  # fmt: skip
        scores = SceneGymEvalHarness(server.url, args.out / "harness").run_from_config(config).scores
        print(
            f"OpenEnv harness: avg_reward {scores['avg_reward']:+.3f} over {scores['num_collected']} episodes"
        )
    finally:
        server.stop()
    summary = {"url": server.url, "episodes": episodes, "bad_call": error, "harness": scores}
    args.out.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out / "summary.json", json.dumps(summary, indent=2) + "\n")
    print(f"wrote {args.out / 'summary.json'}")
    return summary


def main(argv=None):
    """Parse the command line and run ``demo``, ``serve`` or ``client``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[1:]))  # fmt: skip
    sub = parser.add_subparsers(dest="mode", required=True)
    d = sub.add_parser("demo", help="server and client in one process; writes summary.json")
    d.add_argument(
        "--out", type=Path, default=Path("runs/openenv"), help="output folder (default runs/openenv)"
    )
    s = sub.add_parser("serve", help="serve until interrupted")
    s.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    s.add_argument(
        "--sessions", type=int, default=8, help="concurrent WebSocket sessions, one env each (default 8)"
    )
    c = sub.add_parser("client", help="heuristic episodes against a running server")
    c.add_argument(
        "--url", default="http://127.0.0.1:8000", help="the server (default http://127.0.0.1:8000)"
    )
    for p in (d, s, c):
        p.add_argument("--max-steps", type=int, default=20,
                       help="steps per episode before truncation (serve, demo); the heuristic plans this many "
                       "calls (client, demo) (default 20)")  # fmt: skip
    for p in (d, c):
        p.add_argument("--episodes", type=int, default=3, help="episodes to play (default 3)")
        p.add_argument(
            "--seed", type=int, default=0, help="first episode's seed; the next ones count up (default 0)"
        )
    args = parser.parse_args(argv)
    if args.mode == "serve":
        from scene_gym.integrations.openenv import make_app, serve

        serve(
            make_app(max_steps=args.max_steps, max_concurrent_envs=args.sessions),
            host=args.host,
            port=args.port,
        )
    elif args.mode == "client":
        play(args.url, list(range(args.seed, args.seed + args.episodes)), args.max_steps)
    else:
        demo(args)


if __name__ == "__main__":
    main()
