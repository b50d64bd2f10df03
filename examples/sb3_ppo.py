"""PPO (Stable-Baselines3) that learns scene synthesis in minutes on two CPU cores.

The default task (``--task grid``) is :class:`scene_gym.envs.grid_task.GridFurnishTask` over ``SceneSynth-v1``
without images: each step adds one object of a fixed vocabulary (the categories the prompt suite asks for) on a
3 x 3 grid of the room (border cells put its back against the wall), or says ``done``; the observation is a
float vector (requested minus present count per category, present counts, the room type, each cell's occupancy,
steps left); the reward is the env's per-step change of ``quality`` (the offline judge's normalised Q).
``--task dsl-image`` is the older setup: five-part DSL actions (``DiscreteSceneActions``) and a composite image
observation (``ImageObservation``), kept to compare speed and learning.

    python examples/sb3_ppo.py --out runs/ppo    # one seed, 8192 steps: 123 s wall, 72 s CPU (2 cores, load 7)
    python examples/sb3_ppo.py --timesteps 12288 --checkpoints 6 --seeds 3 --out /tmp/curve    # the reference curve

Every run writes ``config.json`` (the resolved :class:`Config`). Each seed writes ``model.zip`` and
``eval.json``: ``mean_return`` / ``random_mean_return`` (the trained deterministic policy and a uniformly random
one, mean return over the held-out env seeds ``eval_seed .. eval_seed + eval_episodes - 1``, which training
never resets to), the learning ``curve`` (mean return at each checkpoint), ``train_s`` and ``steps_per_s``
(environment steps per second of training, evaluation excluded). With ``--seeds N > 1`` seed ``k`` writes into
``seed_k/`` and the run adds ``curve.json`` (per checkpoint: the trained mean and the random mean with bootstrap
95% CIs that resample training seeds, then held-out episodes) and ``curve.png``. Needs ``pip install
'scene-gym[train]'``.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import gymnasium as gym
import numpy as np

import scene_gym  # noqa: F401 - registers SceneSynth-v1
from scene_gym.envs.common import PROMPTS
from scene_gym.envs.grid_task import GridFurnishTask
from scene_gym.envs.wrappers import DiscreteSceneActions, ImageObservation
from scene_gym.scene.io import atomic_write


def _opt(default, text: str):
    return field(default=default, metadata={"help": text})


@dataclass
class Config:
    """One PPO run (each field is a command-line flag: ``timesteps`` -> ``--timesteps``)."""

    task: str = _opt("grid", "'grid': GridFurnishTask (vector observation, add-object choices on a grid); "
                             "'dsl-image': DiscreteSceneActions + ImageObservation (the older, slower setup)")  # fmt: skip
    timesteps: int = _opt(8192, "environment steps to train for, per seed")
    checkpoints: int = _opt(4, "evaluations during training, evenly spaced (the last at the end)")
    rooms: str = _opt("", "comma-separated room types of the prompt suite to train and evaluate on "
                          "(e.g. 'bedroom,office,gym'); empty: all 12")  # fmt: skip
    grid: int = _opt(3, "cells per side of the placement lattice")
    max_steps: int = _opt(6, "steps per episode (truncation)")
    image: int = _opt(32, "side of the observed composite image in pixels ('dsl-image' only)")
    reward: str = _opt("quality", "reward spec (scene_gym.rewards); the env rewards its per-step change")
    n_steps: int = _opt(128, "PPO rollout length per update, environment steps")
    batch_size: int = _opt(32, "PPO minibatch size")
    n_epochs: int = _opt(10, "PPO passes over each rollout")
    learning_rate: float = _opt(1e-3, "Adam learning rate at the start")
    learning_rate_end: float = _opt(1e-3, "learning rate at --timesteps; it changes linearly in between")
    ent_coef: float = _opt(0.01, "entropy bonus weight")
    eval_episodes: int = _opt(30, "held-out episodes per evaluation")
    eval_seed: int = _opt(10_000, "first held-out env seed (evaluation resets to eval_seed + episode)")
    seed: int = _opt(0, "seed of the first run: training env, policy and the random baseline")
    seeds: int = _opt(1, "runs with seeds seed, seed + 1, ...; above 1 also writes curve.json and curve.png")
    threads: int = _opt(1, "torch CPU threads")
    out: str = _opt("runs/ppo", "output folder")


TASKS = ("grid", "dsl-image")


def suite_prompts(rooms: str) -> list[dict] | None:
    """The suite entries of the comma-separated room types ``rooms`` (None, all of them, when empty)."""
    return [p for p in PROMPTS if p["room"] in rooms.split(",")] if rooms else None


def make_env(cfg: Config) -> gym.Env:
    """The training / evaluation env of ``cfg.task`` (a fresh ``SceneSynth-v1`` inside)."""
    kwargs = {"max_steps": cfg.max_steps, "reward": cfg.reward, "prompts": suite_prompts(cfg.rooms)}
    if cfg.task == "grid":
        return GridFurnishTask(gym.make("SceneSynth-v1", image_size=None, **kwargs), grid=cfg.grid)
    env = gym.make("SceneSynth-v1", image_size=(cfg.image, cfg.image), **kwargs)
    return ImageObservation(DiscreteSceneActions(env, grid=cfg.grid))


def evaluate(env: gym.Env, act, seeds) -> list[float]:
    """Return of one episode per env seed in ``seeds``, acting with ``act(observation) -> action``."""
    returns = []
    for seed in seeds:
        obs, _ = env.reset(seed=int(seed))
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(act(obs))
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    return returns


def at_steps(steps: set[int], fn):
    """An SB3 callback calling ``fn()`` when a rollout starts at one of ``steps`` (the policy has just been
    updated on everything before it)."""
    from stable_baselines3.common.callbacks import BaseCallback

    class AtSteps(BaseCallback):
        def _on_rollout_start(self) -> None:
            if self.num_timesteps in steps:
                fn()

        def _on_step(self) -> bool:
            return True

    return AtSteps()


def train_one(cfg: Config, seed: int, out: Path) -> dict:
    """Train one seed with evaluations at ``cfg.checkpoints`` points; write ``model.zip`` and ``eval.json``."""
    import torch
    from stable_baselines3 import PPO

    torch.set_num_threads(cfg.threads)
    env, eval_env = make_env(cfg), make_env(cfg)
    env.reset(seed=seed)
    lr0, lr1 = cfg.learning_rate, cfg.learning_rate_end
    model = PPO("MlpPolicy", env, n_steps=cfg.n_steps, batch_size=cfg.batch_size, n_epochs=cfg.n_epochs,
                learning_rate=lambda remaining: lr1 + (lr0 - lr1) * remaining, ent_coef=cfg.ent_coef, seed=seed,
                verbose=0, device="cpu")  # fmt: skip
    held_out = range(cfg.eval_seed, cfg.eval_seed + cfg.eval_episodes)
    # SB3 collects whole rollouts, so checkpoints fall on multiples of n_steps
    marks = np.linspace(0, cfg.timesteps, cfg.checkpoints + 1)[1:]
    ends = sorted({int(np.ceil(t / cfg.n_steps)) * cfg.n_steps for t in marks})
    curve, eval_s = [], [0.0]

    def checkpoint() -> None:
        start = time.perf_counter()
        returns = evaluate(eval_env, lambda o: model.predict(o, deterministic=True)[0], held_out)
        curve.append({"timesteps": int(model.num_timesteps), "mean_return": float(np.mean(returns)),
                      "returns": returns})  # fmt: skip
        eval_s[0] += time.perf_counter() - start
        print(f"seed {seed} step {model.num_timesteps}: mean return {np.mean(returns):+.3f}", flush=True)

    start = time.perf_counter()
    model.learn(total_timesteps=ends[-1], callback=at_steps(set(ends[:-1]), checkpoint))
    train_s = time.perf_counter() - start - eval_s[0]
    checkpoint()
    rng = np.random.default_rng(seed)
    random = evaluate(eval_env, lambda o: rng.integers(eval_env.action_space.nvec), held_out)
    buf = io.BytesIO()
    model.save(buf)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "model.zip", buf.getvalue())
    result = {"seed": seed, "timesteps": int(model.num_timesteps), "mean_return": curve[-1]["mean_return"],
              "random_mean_return": float(np.mean(random)), "random_returns": random, "curve": curve,
              "train_s": round(train_s, 1), "steps_per_s": round(model.num_timesteps / train_s, 1)}  # fmt: skip
    atomic_write(out / "eval.json", json.dumps(result, indent=2) + "\n")
    env.close()
    eval_env.close()
    return result


def bootstrap_ci(returns: np.ndarray, n_boot: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Mean and 95% CI of ``returns`` (training seeds x held-out episodes): resample seeds, then episodes."""
    rng = np.random.default_rng(seed)
    s, e = returns.shape
    rows = rng.integers(s, size=(n_boot, s))
    cols = rng.integers(e, size=(n_boot, s, e))
    means = returns[rows[:, :, None], cols].mean(axis=(1, 2))
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(returns.mean()), float(lo), float(hi)


def summarize(runs: list[dict]) -> dict:
    """Per checkpoint: trained and random mean return with bootstrap 95% CIs, and trained - random (paired by
    held-out seed) with its CI, over the seeds' ``eval.json`` results."""
    random = np.array([r["random_returns"] for r in runs])
    r_mean, r_lo, r_hi = bootstrap_ci(random)
    points = []
    for k, point in enumerate(runs[0]["curve"]):
        trained = np.array([r["curve"][k]["returns"] for r in runs])
        mean, lo, hi = bootstrap_ci(trained)
        d_mean, d_lo, d_hi = bootstrap_ci(trained - random)
        points.append({"timesteps": point["timesteps"], "trained": {"mean": mean, "ci95": [lo, hi]},
                       "random": {"mean": r_mean, "ci95": [r_lo, r_hi]},
                       "difference": {"mean": d_mean, "ci95": [d_lo, d_hi]}})  # fmt: skip
    return {"seeds": [r["seed"] for r in runs], "episodes_per_eval": int(random.shape[1]), "curve": points,
            "steps_per_s": [r["steps_per_s"] for r in runs], "train_s": [r["train_s"] for r in runs]}  # fmt: skip


def plot(summary: dict, path: Path, title: str) -> None:
    """``curve.png``: trained and random mean return against timesteps, with their 95% CIs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [p["timesteps"] for p in summary["curve"]]
    fig, ax = plt.subplots(figsize=(5, 3.2), dpi=120)
    for key, colour in (("trained", "tab:blue"), ("random", "tab:grey")):
        mean = [p[key]["mean"] for p in summary["curve"]]
        lo, hi = zip(*(p[key]["ci95"] for p in summary["curve"]), strict=True)
        ax.plot(steps, mean, marker="o", color=colour, label=f"{key} (mean, 95% CI)")
        ax.fill_between(steps, lo, hi, color=colour, alpha=0.2)
    ax.set_xlabel("environment steps")
    ax.set_ylabel("held-out episode return")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def parse_args(argv=None) -> Config:
    """:class:`Config` from the command line; every field is a flag documented in ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)  # fmt: skip
    for f in fields(Config):
        parser.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=f.default,
                            help=f.metadata["help"])  # fmt: skip
    cfg = Config(**vars(parser.parse_args(argv)))
    if cfg.task not in TASKS:
        parser.error(f"--task: expected one of {list(TASKS)}, got {cfg.task!r}")
    known = {p["room"] for p in PROMPTS}
    if cfg.rooms and not set(cfg.rooms.split(",")) <= known:
        parser.error(f"--rooms: expected room types among {sorted(known)}, got {cfg.rooms!r}")
    return cfg


def main(argv=None) -> dict:
    """Run ``cfg.seeds`` seeds; returns the last seed's ``eval.json`` (with ``curve.json``'s content under
    ``"summary"`` when there are several seeds)."""
    cfg = parse_args(argv)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "config.json", json.dumps(asdict(cfg), indent=2) + "\n")
    seeds = range(cfg.seed, cfg.seed + cfg.seeds)
    runs = [train_one(cfg, s, out if cfg.seeds == 1 else out / f"seed_{s}") for s in seeds]
    result = dict(runs[-1])
    if cfg.seeds > 1:
        summary = summarize(runs)
        atomic_write(out / "curve.json", json.dumps(summary, indent=2) + "\n")
        rooms = cfg.rooms or "all 12 room types"
        plot(summary, out / "curve.png", f"PPO, task {cfg.task} ({rooms}), seeds {list(seeds)}")
        result["summary"] = summary
    print(
        json.dumps({k: result[k] for k in ("timesteps", "mean_return", "random_mean_return", "steps_per_s")})
    )
    return result


if __name__ == "__main__":
    main()
