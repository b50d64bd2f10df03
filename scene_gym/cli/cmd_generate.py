"""``scene-gym generate "PROMPT" --policy heuristic --env trajectory --seed 0 --out DIR``: build a scene with a
policy and write it with its metrics, renders and exports. ``--env`` is any registered env kind that starts from
a room (:func:`scene_gym.envs.kinds.scene_kinds`), including kinds registered at run time.

Writes into ``DIR``: ``scene.json``; ``metrics.json`` (the physical metrics of :func:`scene_gym.metrics.evaluate`,
the offline judge's grades and Q, the episode's reward, the policy's identity, and ``asked_vs_built``: each object
the prompt asked for against what was built, :func:`asked_vs_built`); ``rollout.jsonl`` (the
recorded episode); ``render_<view>.png`` (top-down with ids and the corner views) and ``render.png`` (their
contact sheet); the exports ``scene.xml`` (MJCF), ``<id>.urdf`` per articulated object, ``scene.glb``,
``scene.obj`` and ``scene_blender.py``. ``make demo`` runs this with the heuristic policy.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

EXPORTS = ("mjcf", "urdf", "glb", "obj", "blender")


def env_choices() -> list[str]:
    """The names of the registered kinds ``generate`` can run: scene kinds that start from a room."""
    from scene_gym.envs.kinds import scene_kinds

    return [k.name for k in scene_kinds(starts_from="room")]


def register(sub) -> None:
    p = sub.add_parser("generate", help="build a scene for a prompt with a policy; write scene.json, metrics.json, "
                                        "renders and exports")  # fmt: skip
    p.add_argument("prompt", help='what to build, e.g. "A cosy bedroom with a double bed and a wardrobe"')
    p.add_argument("--policy", default="heuristic", metavar="heuristic|random|scripted|vlm:PATH|api:MODEL",
                   help="the policy (default: heuristic)")
    p.add_argument("--env", default="trajectory", choices=env_choices(),
                   help="the env kind, i.e. the action granularity (default: trajectory)")
    p.add_argument("--seed", type=int, default=0, help="seed of the environment and the policy (default 0)")
    p.add_argument("--out", default="generate_out", help="output folder (default: generate_out)")
    p.add_argument("--size", type=int, default=384, help="render size in pixels (default 384)")
    p.add_argument("--max-steps", type=int, default=None, help="episode step limit (default: the environment's)")
    p.add_argument("--base-url", default=None, help="endpoint of an api:MODEL policy (OpenAI-compatible)")
    p.add_argument("--no-exports", action="store_true", help="skip the MJCF/URDF/GLB/OBJ/Blender exports")
    p.set_defaults(func=run)


def generate(prompt: str, policy: str = "heuristic", env: str = "trajectory", seed: int = 0,
             max_steps: int | None = None, policy_kwargs: dict | None = None, image_dir=None):  # fmt: skip
    """Run one episode of ``policy`` (a :func:`~scene_gym.agents.registry.make_policy` spec) in the ``env``
    kind (:func:`env_choices`: ``"scene"``, ``"trajectory"``, ``"toolstep"`` or a kind registered later) from
    ``prompt``; returns (scene, rollout). Observation images are rendered only for policies that look at them."""
    import gymnasium as gym

    from scene_gym.agents import run_episode
    from scene_gym.agents.registry import make_policy
    from scene_gym.envs.kinds import get_kind
    from scene_gym.errors import SceneGymError

    if env not in env_choices():
        raise SceneGymError(f"expected --env among {env_choices()}, got {env!r}")
    kind = get_kind(env)
    pol = make_policy(policy, seed=seed, kind=kind, **(policy_kwargs or {}))
    kwargs = {"image_size": (256, 256) if pol.takes_images else None}
    if max_steps is not None and "max_steps" in kind.kwargs:  # one-step kinds (trajectory) take no limit
        kwargs["max_steps"] = int(max_steps)
    e = gym.make(kind.env_id, **kwargs)
    try:
        rollout = run_episode(e, pol, seed=seed, options={"prompt": prompt}, image_dir=image_dir)
        scene = e.unwrapped.scene.copy()
    finally:
        e.close()
    return scene, rollout


def judge_keys(scene) -> dict:
    """The physical metrics and the offline judge's grades (realism, functionality, layout, completeness,
    q_vis, q) of ``scene`` against its own prompt."""
    from scene_gym.metrics import evaluate
    from scene_gym.rewards import RewardContext, make_judge

    out = evaluate(scene).to_dict()
    judge = make_judge("offline")
    try:
        out.update(judge.judge(scene, RewardContext(prompt=scene.prompt)).keys())
    finally:
        judge.close()
    return out


def asked_vs_built(scene) -> list[dict]:
    """The prompt's object requests against the scene (:func:`scene_gym.rewards.spec_checks.request_report`)."""
    from scene_gym.rewards.spec_checks import request_report
    from scene_gym.spec import parse_prompt

    return request_report(scene, parse_prompt(scene.prompt))


def _asked_line(row: dict) -> str:
    want = {"eq": "", "ge": ">=", "le": "<=", "gt": ">", "lt": "<"}[row["quantifier"]] + str(row["count"])
    made = ", ".join(row["as"]) or "nothing"
    return f"{'ok ' if row['ok'] else 'MISSING'} {row['asked']}: asked {want}, built {row['built']} ({made})"


def run(args) -> int:
    from tqdm import tqdm

    from scene_gym.cli.outputs import joint_count, write_renders
    from scene_gym.export import export_scene
    from scene_gym.scene.io import atomic_write

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    kwargs = {"base_url": args.base_url} if args.base_url and args.policy.startswith("api:") else {}
    steps = ["generate", "metrics", "render", *([] if args.no_exports else EXPORTS)]
    with tqdm(steps, desc="generate", unit="step") as bar:
        for step in bar:
            bar.set_postfix_str(step)
            t = time.perf_counter()
            if step == "generate":
                scene, rollout = generate(args.prompt, args.policy, args.env, args.seed, args.max_steps, kwargs)
                scene.save(out / "scene.json")
                rollout.save(out / "rollout.jsonl")
            elif step == "metrics":
                keys = judge_keys(scene)
                keys.update(total_reward=rollout.total_reward, steps=len(rollout.steps), policy=rollout.policy,
                            env=rollout.env_id, env_kind=rollout.env_kind, seed=args.seed, prompt=args.prompt,
                            asked_vs_built=asked_vs_built(scene))  # fmt: skip
                atomic_write(out / "metrics.json", json.dumps(keys, indent=2, allow_nan=False))
            elif step == "render":
                write_renders(scene, out, args.size, args.seed)
            else:
                export_scene(scene, step, out)
            timings[step] = round(time.perf_counter() - t, 3)
    summary = {"objects": len(scene), "n_obj": keys["n_obj"], "n_oob": keys["n_oob"],
               "n_collisions": keys["n_collisions"], "articulated_joints": joint_count(scene),
               "grades": {k: keys[k] for k in ("realism", "functionality", "layout", "completeness", "q") if k in keys},
               "asked_vs_built": [_asked_line(r) for r in keys["asked_vs_built"]],
               "definitions": {c: p.get("name") for c, p in scene.definitions.items()},
               "seconds": timings, "files": sorted(p.name for p in out.iterdir() if p.is_file())}  # fmt: skip
    print(json.dumps(summary, indent=2))
    return 0
