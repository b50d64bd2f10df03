"""Quick start: make SceneSynth-v1, furnish a living room with a scripted DSL episode, save the render and scene.

    python examples/quickstart.py --out runs/quickstart

Writes ``final.png`` (the 2 x 2 composite: top-down with grid, top-down with ids, two corner views),
``scene.json`` (the scene, schema scene-gym/scene@2), ``scene.dsl`` (the scene as DSL) and ``episode.json``
(every action, its feedback and reward).
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import gymnasium as gym

import scene_gym  # noqa: F401 - registers SceneSynth-v1
from scene_gym.scene.io import atomic_write

#: One DSL program per step; each statement is applied on its own and explained in the feedback.
PROGRAM = [
    'add("sofa", against="north", at=(2.5, 4.0), material="grey fabric")',
    'add("tv_stand", against="south", at=(2.5, 0.5))\nadd("coffee_table", at=(2.5, 2.6))',
    'relate("coffee_table_1", "in_front_of", "sofa_1", distance=0.8)',
    'add("armchair", at=(0.8, 2.6), facing="east")\nadd("floor_lamp", against="west", at=(0.3, 3.8))',
    'place_on("vase", "coffee_table_1")\nplace_on("book", "coffee_table_1")',
    'add("spaceship", at=(1, 1))',  # fails with an explanation; the scene stays as it was
    'set_light(kind="area", at=(2.5, 2.5, 2.7), intensity=300)\ndone()',
]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("runs/quickstart"), help="output folder")
    parser.add_argument("--steps", type=int, default=len(PROGRAM), help="how many programs of PROGRAM to run")
    parser.add_argument("--size", type=int, default=256, help="image side, pixels")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    env = gym.make("SceneSynth-v1", render_mode="rgb_array", image_size=(args.size, args.size), max_steps=len(PROGRAM))
    obs, _ = env.reset(seed=args.seed, options={"prompt": "A bright living room with a sofa facing a TV."})
    print(obs["scene"])
    log = []
    for i, program in enumerate(PROGRAM[: args.steps]):
        obs, reward, terminated, truncated, info = env.step(program)
        print(f"--- step {i + 1}: reward {reward:+.3f}\n{obs['feedback']}")
        log.append({"action": program, "feedback": obs["feedback"], "reward": reward, "n_ok": info["n_ok"],
                    "n_failed": info["n_failed"]})  # fmt: skip
        if terminated or truncated:
            break

    from PIL import Image

    args.out.mkdir(parents=True, exist_ok=True)
    png = io.BytesIO()
    Image.fromarray(env.render()).save(png, format="PNG")
    atomic_write(args.out / "final.png", png.getvalue())
    scene = env.unwrapped.scene
    scene.save(args.out / "scene.json")
    atomic_write(args.out / "scene.dsl", obs["scene"])
    summary = {"steps": log, "objects": [o.id for o in scene.objects], "return": sum(s["reward"] for s in log)}
    atomic_write(args.out / "episode.json", json.dumps(summary, indent=2) + "\n")
    env.close()
    print(f"wrote {args.out}/final.png, scene.json, scene.dsl, episode.json ({len(scene)} objects)")
    return summary


if __name__ == "__main__":
    main()
