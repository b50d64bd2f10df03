"""PPO (Stable-Baselines3) on SceneSynth-v1 through the numeric wrappers: discrete DSL actions, image observations.

    python examples/sb3_ppo.py --timesteps 20000 --out runs/ppo

Writes ``config.json`` (the resolved :class:`Config`), ``model.zip`` and ``eval.json`` (mean return of the
trained and of a uniformly random policy over ``eval_episodes`` episodes). Needs ``pip install
'scene-gym[train]'``.
"""

from __future__ import annotations

import argparse
import io
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import gymnasium as gym
import numpy as np

import scene_gym  # noqa: F401 - registers SceneSynth-v1
from scene_gym.envs.wrappers import DiscreteSceneActions, ImageObservation
from scene_gym.scene.io import atomic_write


@dataclass
class Config:
    """One PPO run."""

    timesteps: int = 20_000
    """environment steps to train for"""
    image: int = 32
    """side of the observed composite image, pixels"""
    grid: int = 8
    """cells per side of the placement lattice of the discrete actions"""
    max_steps: int = 10
    """steps per episode"""
    reward: str = "quality"
    """reward spec (``scene_gym.rewards``), its per-step change is the reward"""
    n_steps: int = 256
    """PPO rollout length per update"""
    batch_size: int = 64
    """PPO minibatch size"""
    eval_episodes: int = 5
    """episodes for the final evaluation"""
    seed: int = 0
    """seeds the env, the policy and the evaluation"""
    out: str = "runs/ppo"
    """output folder"""


def make_env(cfg: Config) -> gym.Env:
    env = gym.make("SceneSynth-v1", image_size=(cfg.image, cfg.image), max_steps=cfg.max_steps, reward=cfg.reward)
    return ImageObservation(DiscreteSceneActions(env, grid=cfg.grid))


def evaluate(env: gym.Env, act, episodes: int, seed: int) -> float:
    returns = []
    for ep in range(episodes):
        obs, _ = env.reset(seed=seed + ep)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(act(obs))
            total += reward
            done = terminated or truncated
        returns.append(total)
    return float(np.mean(returns))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for f in fields(Config):
        parser.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=f.default)
    cfg = Config(**vars(parser.parse_args(argv)))
    from stable_baselines3 import PPO

    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "config.json", json.dumps(asdict(cfg), indent=2) + "\n")
    env = make_env(cfg)
    model = PPO("MlpPolicy", env, n_steps=cfg.n_steps, batch_size=cfg.batch_size, seed=cfg.seed, verbose=1,
                device="cpu")  # fmt: skip
    model.learn(total_timesteps=cfg.timesteps)
    buf = io.BytesIO()
    model.save(buf)
    atomic_write(out / "model.zip", buf.getvalue())
    rng = np.random.default_rng(cfg.seed)
    trained = evaluate(env, lambda o: model.predict(o, deterministic=True)[0], cfg.eval_episodes, cfg.seed)
    random = evaluate(env, lambda o: rng.integers(env.action_space.nvec), cfg.eval_episodes, cfg.seed)
    result = {"timesteps": int(model.num_timesteps), "mean_return": trained, "random_mean_return": random}
    atomic_write(out / "eval.json", json.dumps(result, indent=2) + "\n")
    print(result)
    env.close()
    return result


if __name__ == "__main__":
    main()
