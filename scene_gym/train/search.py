"""Episodes the self-improvement trainer records: teacher demonstrations and best-of-K search steps.

**Best-of-K** (3D-Generalist): at a state, the policy proposes ``k`` candidate actions
(:meth:`~scene_gym.agents.Policy.sample`); each is stepped from a copy of the state (``get_state``/``set_state``)
and scored by the env's reward; the episode continues from the best (valid first, then the highest step reward,
then the earliest). Several episodes advance in lockstep on one env (:func:`search_batch`), so generation is
batched. Envs are used unwrapped, so wrappers' step counters do not see the trial steps.

**Demonstrations**: a teacher policy (the heuristic) plays an episode; its DSL programs may be cut into chunks of
``statements_per_step`` lines and their numbers rounded (:func:`~scene_gym.agents.prompts.round_numbers`), and each
chunk is stepped as it will be recorded, so a demonstration is exactly what the env ran.

"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.agents.rollout import jsonable
from scene_gym.train.datasets import action_text


def observation_texts(obs: dict[str, Any]) -> dict[str, Any]:
    """The observation without its image, JSON-ready."""
    return {k: jsonable(v) for k, v in obs.items() if k != "image"}


def save_image(obs: dict[str, Any], path: Path | None) -> str | None:
    """Write the observation's image as a PNG at ``path`` and return the path (None without image or path)."""
    image = obs.get("image")
    if path is None or not isinstance(image, np.ndarray):
        return None
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path)
    return str(path)


def search_batch(env, policy, states: list[str], observations: list[dict[str, Any]], k: int,
                 seed: int) -> list[dict[str, Any]]:  # fmt: skip
    """One best-of-``k`` step for several episodes at once, multiplexed on one unwrapped ``env`` by
    ``set_state``: the policy samples ``k`` candidates per observation in one batched call
    (``sample_batch`` when it has one); each candidate is stepped from its episode's state. Returns one dict per
    episode: ``action`` (the chosen candidate's action), ``reward``, ``value``, ``valid``, ``applied``,
    ``terminated``, ``truncated``, ``terms``, ``best`` (its index), ``candidates`` (per candidate: reward,
    valid, fallback), ``state`` (the env state after it), ``next_obs``, and the batch's ``generate_s`` and
    ``score_s`` (set_state, step and reward) split evenly over the episodes."""
    policy.reset(seed)
    t0 = time.perf_counter()
    if hasattr(policy, "sample_batch"):
        batches = policy.sample_batch(observations, k)
    else:
        batches = [policy.sample(o, k) for o in observations]
    t1 = time.perf_counter()
    out = []
    for state, candidates in zip(states, batches, strict=True):
        trials = []
        for c in candidates:
            env.set_state(state)
            next_obs, reward, terminated, truncated, info = env.step(c.action)
            fallback = bool(c.meta.get("fallback"))
            trials.append({"reward": float(reward), "value": float(info["reward_value"]),
                           "valid": bool(info["valid"]) and not fallback, "applied": bool(info["applied"]),
                           "fallback": fallback, "terminated": bool(terminated), "truncated": bool(truncated),
                           "terms": {n: float(v) for n, v in info["reward_terms"].items()},
                           "state": env.get_state(), "obs": next_obs})  # fmt: skip
        best = max(range(len(trials)), key=lambda i: (trials[i]["valid"], trials[i]["reward"], -i))
        chosen = trials[best]
        out.append({**{key: chosen[key] for key in ("reward", "value", "valid", "applied", "terminated", "truncated",
                                                    "terms", "state")},
                    "action": candidates[best].action, "best": best, "next_obs": chosen["obs"],
                    "candidates": [{"reward": t["reward"], "valid": t["valid"], "fallback": t["fallback"]}
                                   for t in trials]})  # fmt: skip
    t2 = time.perf_counter()
    for o in out:
        o["generate_s"], o["score_s"] = (t1 - t0) / len(out), (t2 - t1) / len(out)
    return out


_ARG_VALUE = r"\s*=\s*(\([^()]*\)|\"[^\"]*\"|'[^']*'|[^,()]+)"


def drop_keywords(statement: str, names: tuple[str, ...]) -> str:
    """A teacher's DSL statement without the keyword arguments ``names`` (``add("bed", at=(1, 2), yaw=90)`` without
    ``at``, ``yaw`` -> ``add("bed")``): the env then chooses them (the layout solver places, the catalog sizes)."""
    for name in names:
        statement = re.sub(r",\s*" + re.escape(name) + _ARG_VALUE, "", statement)
    return statement


def chunk_program(program: str, statements_per_step: int | None, digits: int | None,
                  drop: tuple[str, ...] = ()) -> list[str]:  # fmt: skip
    """A DSL program (one statement per line) as chunks of at most ``statements_per_step`` lines (None: one
    chunk), numbers rounded to ``digits`` decimals (None: as written), keyword arguments ``drop`` removed
    (:func:`drop_keywords`). Blank lines are dropped."""
    from scene_gym.agents.prompts import round_numbers

    lines = [drop_keywords(ln, drop) for ln in program.splitlines() if ln.strip()]
    if digits is not None:
        lines = [round_numbers(ln, digits) for ln in lines]
    n = len(lines) if not statements_per_step else int(statements_per_step)
    return ["\n".join(lines[i : i + n]) for i in range(0, len(lines), max(1, n))] or [""]


def demonstration(env, teacher, task, max_steps: int, statements_per_step: int | None = None,
                  digits: int | None = None, image_dir: Path | None = None,
                  drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:  # fmt: skip
    """The teacher's episode on ``task`` (an :class:`~scene_gym.train.evaluation.Task`) as step records
    (``observation``, ``image``, ``action`` text, ``reward``, ``value``, ``valid``), at most ``max_steps`` env
    steps; DSL programs are chunked, rounded and stripped of the keyword arguments ``drop`` as :func:`chunk_program`
    says, point actions written as tags."""
    from scene_gym.agents.parsing import parse_action

    obs, info = env.reset(seed=task.episode_seed, options=task.options())
    teacher.reset(task.episode_seed, kind=info["env_kind"])
    fmt = teacher.kind.action_format
    records: list[dict[str, Any]] = []
    while len(records) < max_steps:
        action = teacher.act(obs)
        texts = chunk_program(action, statements_per_step, digits, drop) if fmt == "dsl" else [action_text(action, fmt)]
        for text in texts:
            if len(records) >= max_steps:
                break
            image = save_image(obs, None if image_dir is None else image_dir / f"{task.prompt_id}_{task.seed}_{len(records)}.png")
            env_action = text if fmt != "point" else parse_action("point", text)
            next_obs, reward, terminated, truncated, info = env.step(env_action)
            records.append({"observation": observation_texts(obs), "image": image, "action": text,
                            "reward": float(reward), "value": float(info["reward_value"]),
                            "valid": bool(info["valid"]), "applied": bool(info["applied"])})  # fmt: skip
            obs = next_obs
            if terminated or truncated:
                return records
    return records
