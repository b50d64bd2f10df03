"""Where one self-improvement round's time goes: sampling (generation vs env ``set_state`` / ``step`` /
evaluation-with-reward) and SFT, without renders (``image_size=0``).

Usage: python benchmarks/bench_train.py [--prompts 8] [--k 4] [--steps 3] [--repeat 3] [--warm-epochs 8] [--json PATH]

A tiny model is built as ``configs/self_improve_tiny.toml`` says (Qwen2, hidden 128, 2 layers, 2k BPE vocab,
compact prompts, compact demonstrations), warm-started on the heuristic's demonstrations of ``--prompts`` prompts
for ``--warm-epochs`` epochs (so that, as in a real round, most candidates parse and apply), then one
round's search (``--prompts`` prompts x ``--steps`` steps x ``--k`` candidates, batched) is timed ``--repeat``
times (``--checkpoint`` times a given trained checkpoint instead, e.g. ``<run_dir>/checkpoints/warm_start`` of
the tiny config), and one SFT epoch over the demonstrations' rows once (what a round's SFT does per epoch, at that row
count). Medians are printed.

Columns: ``generate`` (the policy's batched ``sample_batch``), ``set_state`` and ``step`` (env time outside the
evaluation), ``evaluate+reward`` (the shell's physics sync, metrics and the ``quality`` reward, inside both
``set_state`` and ``step``), ``sft`` (TRL ``SFTTrainer``, model load and save included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


STACK: list[str] = []


class Timer:
    """Wraps a bound method: adds its wall time (seconds) to ``total`` and, per enclosing timed call, to
    ``inside[name]`` (so the evaluation inside ``set_state`` and inside ``step`` are told apart)."""

    def __init__(self, obj, name: str):
        self.name, self.total, self.inside = name, 0.0, {}
        self.inner = getattr(obj, name)
        setattr(obj, name, self)

    def __call__(self, *args, **kwargs):
        outer = STACK[-1] if STACK else ""
        STACK.append(self.name)
        t0 = time.perf_counter()
        try:
            return self.inner(*args, **kwargs)
        finally:
            dt = time.perf_counter() - t0
            STACK.pop()
            self.total += dt
            self.inside[outer] = self.inside.get(outer, 0.0) + dt


def main() -> None:
    from scene_gym.train.config_io import make_config
    from scene_gym.train.search import search_batch
    from scene_gym.train.self_improve import Run, select_steps, train_self_improve
    from scene_gym.train.self_improve_config import SelfImproveConfig
    from scene_gym.train.sft import SFTOptions, run_sft

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--prompts", type=int, default=8)
    p.add_argument("--k", type=int, default=4)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--warm-epochs", type=float, default=8.0, help="warm-start epochs (so candidates mostly parse)")
    p.add_argument("--checkpoint", default=None, help="time this trained checkpoint (e.g. a run's warm_start) instead")
    p.add_argument("--json", default=None)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = make_config(SelfImproveConfig, ROOT / "configs" / "self_improve_tiny.toml", run_dir=tmp,
                             train_prompts=args.prompts, demo_prompts=args.prompts, k=args.k, steps_per_episode=args.steps,
                             rounds=0, warm_epochs=args.warm_epochs, eval_untrained=False, eval_teacher=False, leaderboard_db="",
                             eval_suites=("template",), eval_prompts_per_suite=1, eval_seeds=1, progress=False,
                             tensorboard=False)  # fmt: skip
        train_self_improve(config)  # demonstrations, the tiny model, one warm-start epoch
        run = Run(config)
        ckpt = args.checkpoint or str(Path(tmp) / "checkpoints" / "warm_start")
        policy = run.policy(ckpt, config.temperature)
        env = run.env
        timers = {n: Timer(env, n) for n in ("set_state", "step", "_evaluate")}
        rows, records = [], []
        for rep in range(args.repeat):
            states, obs = [], []
            for task in run.train_tasks:
                o, info = env.reset(seed=task.episode_seed, options=task.options())
                states.append(env.get_state())
                obs.append(o)
            policy.reset(0, kind=info["env_kind"])
            for t in timers.values():
                t.total, t.inside = 0.0, {}
            generate = 0.0
            t0 = time.perf_counter()
            for step in range(args.steps):
                outs = search_batch(env, policy, states, obs, args.k, 1000 * rep + step)
                generate += sum(o["generate_s"] for o in outs)
                states, obs = [o["state"] for o in outs], [o["next_obs"] for o in outs]
                records += [{**o, "key": [1, i, step], "observation": {"prompt": ""}} for i, o in enumerate(outs)]
            wall = time.perf_counter() - t0
            inside = timers["_evaluate"].inside
            rows.append({"generate": generate, "set_state": timers["set_state"].total - inside.get("set_state", 0.0),
                         "step": timers["step"].total - inside.get("step", 0.0),
                         "evaluate+reward": timers["_evaluate"].total, "sampling_wall": wall})  # fmt: skip
        kept = select_steps(run, [r for r in records if r["key"][1] < args.prompts])
        from scene_gym.train.datasets import read_records

        demos = [run.row(d) for d in read_records(Path(tmp) / "demos.jsonl")]
        t0 = time.perf_counter()
        stats = run_sft(ckpt, demos, Path(tmp) / "bench_sft", SFTOptions(epochs=1.0, learning_rate=config.learning_rate))
        sft = time.perf_counter() - t0
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    total = med["sampling_wall"] + sft
    print(f"one round: {args.prompts} prompts x {args.steps} steps x K={args.k}, SFT 1 epoch over {stats['rows']} rows "
          f"(kept steps: {len(kept)}; candidates valid: {sum(c['valid'] for r in records for c in r['candidates'])}"
          f"/{sum(len(r['candidates']) for r in records)})")  # fmt: skip
    print(f"{'part':<18} {'seconds':>8} {'share':>6}")
    for k in ("generate", "set_state", "step", "evaluate+reward"):
        print(f"{k:<18} {med[k]:>8.2f} {med[k] / total:>6.1%}")
    print(f"{'sft':<18} {sft:>8.2f} {sft / total:>6.1%}")
    print(f"{'round total':<18} {total:>8.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"median": med, "sft_s": sft, "sft": stats, "repeats": rows}, indent=1))


if __name__ == "__main__":
    main()
