"""Write a tool-call trajectory, run it in one shot in SceneSynthTrajectory-v1 and score it (C = Q - 0.05 T).

    python examples/trajectory_oneshot.py --out runs/trajectory

Writes ``trajectory.json`` (the calls sent), ``result.json`` (reward, validity, per-call quality and cumulative
minutes, final metrics) and ``scene.json``. ``--broken`` sends the trajectory with a hallucinated tool name
(``addCrowd``) to show the validation error instead.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import gymnasium as gym

import scene_gym  # noqa: F401 - registers the environments
from scene_gym.scene.io import atomic_write

TRAJECTORY = [
    {"tool": "init_room", "args": {"room_type": "bedroom", "width": 4.2, "depth": 4.8}},
    {"tool": "init_layout", "args": {"optional": False}},
    {"tool": "add_objects", "args": {"category": "desk", "relations": [{"relation": "against_wall", "wall": "east"}]}},
    {"tool": "add_objects", "args": {"category": "office_chair", "relations": [{"relation": "in_front_of", "target": "desk_1"}]}},
    {"tool": "add_crowd", "args": {"receptacle": "desk_1", "categories": ["book", "laptop", "desk_lamp"], "count": 3}},
    {"tool": "add_crowd", "args": {"receptacle": "nightstand_1", "count": 1}},
    {"tool": "update_rotation", "args": {"id": "office_chair_1", "face_object": "desk_1"}},
    {"tool": "add_relation", "args": {"relation": {"relation": "next_to", "subject": "nightstand_1", "target": "bed_1"}}},
    {"tool": "optimize_physics", "args": {}},
    {"tool": "terminate", "args": {"reason": "a bedroom with a work corner"}},
]  # fmt: skip


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("runs/trajectory"), help="output folder")
    parser.add_argument("--calls", type=int, default=len(TRAJECTORY), help="send only the first N calls")
    parser.add_argument("--broken", action="store_true", help="misspell a tool name to see validation at work")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    calls = [dict(c) for c in TRAJECTORY[: args.calls]]
    if args.broken:
        calls.insert(1, {"tool": "addCrowd", "args": {"receptacle": "bed_1"}})
    text = json.dumps(calls, indent=1)
    env = gym.make("SceneSynthTrajectory-v1")
    obs, _ = env.reset(seed=args.seed, options={"prompt": "A bedroom with a double bed and a small work corner."})
    print(obs["catalogue"][:600], "...\n")
    obs, reward, terminated, truncated, info = env.step(text)
    print(obs["feedback"])
    print(f"reward (C) = {reward:.3f}; valid = {info['valid']}")

    args.out.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out / "trajectory.json", text + "\n")
    result = {"reward": reward, **{k: info[k] for k in ("valid", "error", "error_index", "error_tool", "error_field",
                                                         "reward_value", "minutes", "composition", "calls", "metrics")}}  # fmt: skip
    atomic_write(args.out / "result.json", json.dumps(result, indent=2) + "\n")
    env.unwrapped.scene.save(args.out / "scene.json")
    env.close()
    return result


if __name__ == "__main__":
    main()
