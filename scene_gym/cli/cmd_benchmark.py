"""``scene-gym benchmark --suite template --policy heuristic [--env KIND] [--seeds 5] [--workers N]
[--executor local|ray|ray:HOST:PORT] [--db PATH] [--out DIR] [--timeout S]``: run a prompt suite through a policy into the leaderboard database, resuming where an
earlier run of the same configuration stopped, then print the per-room-type table of the run's entry
(SceneOrchestra's layout). ``--env`` is any registered scene kind (:mod:`scene_gym.envs.kinds`) that starts from
the suite's starting state."""

from __future__ import annotations


def default_workers() -> int:
    """The CPUs this process may use, at most 8 (the runner's own default, without importing it)."""
    import os

    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:
        n = os.cpu_count() or 1
    return max(1, min(8, n))


def register(sub) -> None:
    from scene_gym.envs.kinds import scene_kinds

    p = sub.add_parser("benchmark", help="run a prompt suite through a policy into the leaderboard database")
    p.add_argument("--suite", required=True, help="template, complex, rooms-50, asset, or a suite JSON file")
    p.add_argument("--policy", required=True,
                   help="heuristic, random, vlm:PATH, api:MODEL, scripted, test:NAME or import:MODULE:FACTORY")
    p.add_argument("--env", default=None, choices=[k.name for k in scene_kinds()],
                   help="env kind, i.e. the action granularity (default: the suite's first kind)")
    p.add_argument("--seeds", type=int, default=None, help="seeds 0..N-1 per prompt (default: the suite's)")
    p.add_argument("--seed", type=int, action="append", default=None, help="run only this seed (repeatable)")
    p.add_argument("--prompt", action="append", default=None, help="run only this prompt id (repeatable)")
    p.add_argument("--workers", type=int, default=None,
                   help=f"workers (default: local: {default_workers()}, the usable CPUs up to 8; ray: the cluster's CPUs)")
    p.add_argument("--executor", default="local",
                   help="where workers run: local (processes here, default), ray (the cluster at RAY_ADDRESS, else a "
                        "local one on 127.0.0.1) or ray:HOST:PORT (an existing cluster's GCS address)")
    p.add_argument("--db", default="leaderboard.db", help="leaderboard database (default leaderboard.db)")
    p.add_argument("--out", default=None, help="artifacts folder (default: <db stem>_artifacts next to the db)")
    p.add_argument("--timeout", type=float, default=300.0, help="per-scene timeout in seconds (default 300)")
    p.add_argument("--reward", default=None, help="env reward spec (default: the env's own)")
    p.add_argument("--judge", default="offline", help="judge of final scenes: offline (default), openai[:MODEL] or vlm:PATH")
    p.add_argument("--max-steps", type=int, default=None, help="env step limit (default: the env's)")
    p.add_argument("--image-size", type=int, default=None,
                   help="observation image side in pixels, 0 for none (default: 256 for vlm:/api:, else 0)")
    p.add_argument("--render-size", type=int, default=256, help="artifact render side in pixels (default 256)")
    p.add_argument("--retry-failed", action="store_true", help="re-run scenes recorded as failed or timeout")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.benchmarks.runner import RunConfig, run_benchmark
    from scene_gym.benchmarks.store import Store
    from scene_gym.benchmarks.views import format_rooms, room_table

    config = RunConfig(suite=args.suite, policy=args.policy, env=args.env, seeds=args.seeds,
                       seed_list=tuple(args.seed) if args.seed else None,
                       prompts=tuple(args.prompt) if args.prompt else None, workers=args.workers,
                       executor=args.executor, db=args.db,
                       out_dir=args.out, timeout_s=args.timeout, reward=args.reward, judge=args.judge,
                       max_steps=args.max_steps, image_size=args.image_size, render_size=args.render_size,
                       retry_failed=args.retry_failed, progress=not args.no_progress)  # fmt: skip
    summary = run_benchmark(config)
    print(summary)
    with Store(args.db) as store:
        print(format_rooms(room_table(store.results(summary.suite, summary.entry_id), summary.entry_id, summary.suite)),
              end="")
    return 0
