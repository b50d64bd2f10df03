"""Reward speed: the offline judge per 50-object scene, the prompt parser, and the CLIP reward with a tiny model.

Usage: python benchmarks/bench_rewards.py [--objects 50] [--repeat 200] [--json PATH]

Cases (medians of ``--repeat`` runs; asset caches and the judge's physics world warm, as in an environment;
each run gets a fresh :class:`~scene_gym.rewards.RewardContext`, so nothing is reused between runs except
the physics world):

- ``metrics``: :func:`scene_gym.metrics.evaluate` on a synced world: the peer the judge builds on.
- ``judge``: :class:`~scene_gym.rewards.OfflineJudge` on :func:`scene_gym.samples.grid_scene` (N objects),
  spec parsed from its prompt, metrics evaluated in the call. Target: under 10 ms at N = 50.
- ``judge (metrics cached)``: the same with the scene's metrics already in the context, as an environment
  step has them (the shell evaluates once and shares the metrics with the reward): the judge's own work,
  functional terms included. Target: under 5 ms at N = 50.
- ``judge+spec``: the same with a hand-written spec of 4 counts, 2 attributes and 4 relations.
- ``judge bedroom``: the hand-built bedroom against its own prompt.
- ``parse_prompt``: one 30-word prompt.
- ``clip tiny (renders given)``: :class:`~scene_gym.rewards.clip.ClipReward` with a tiny random open_clip
  model (config and checkpoint written to a temporary folder, no download), 5 given 224 px views per scene,
  one scene per call; ``clip tiny batch8``: 8 scenes in one ``compute_batch`` call, per scene.
- ``clip tiny (render)``: the same with the 5 views rendered by the ``tiny`` backend at 224 px.

``ratio`` = judge / metrics and judge (metrics cached) / metrics: the peer ratios, which a loaded machine
distorts less than the absolute medians. ``--torch-threads`` (default 1) sets torch's CPU threads for the CLIP cases:
a model this small gains nothing from more, and on a loaded 2-core machine OpenMP spin-waiting made each
forward pass 100x slower with 2 threads.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1e3 * statistics.median(times)


def tiny_clip(root: Path):
    import open_clip
    import torch

    from scene_gym.rewards.clip import ClipReward

    config = root / "bench-tiny-clip.json"
    config.write_text(json.dumps({
        "embed_dim": 16,
        "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "head_width": 16, "patch_size": 16},
        "text_cfg": {"context_length": 16, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
    }))  # fmt: skip
    open_clip.add_model_config(config)
    torch.manual_seed(0)
    ckpt = root / "tiny.pt"
    torch.save(open_clip.create_model("bench-tiny-clip").state_dict(), ckpt)
    return ClipReward(model=str(config), pretrained=str(ckpt), device="cpu")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None, help="write the results here")
    ap.add_argument("--no-clip", action="store_true", help="skip the CLIP cases")
    ap.add_argument(
        "--torch-threads", type=int, default=1, help="torch CPU threads for the CLIP cases (0: leave)"
    )
    args = ap.parse_args(argv)

    from scene_gym.metrics import evaluate
    from scene_gym.physics import PhysicsWorld
    from scene_gym.rewards import OfflineJudge, RewardContext
    from scene_gym.samples import bedroom_scene, grid_scene
    from scene_gym.spec import TaskSpec, parse_prompt

    results: dict[str, float] = {}
    scene = grid_scene(args.objects)
    cats = sorted({o.category for o in scene.objects})
    spec = TaskSpec.from_dict({
        "room_type": "living room",
        "objects": [f"ge,1,{c}" for c in cats[:4]],
        "attributes": [{"category": cats[0], "kind": "size", "value": "large"},
                       {"category": cats[1], "kind": "colour", "value": "grey"}],
        "relations": [{"relation": "against_wall", "subject": cats[0]},
                      {"relation": "next_to", "subject": cats[1], "target": cats[2]},
                      {"relation": "facing", "subject": cats[2], "target": cats[3]},
                      {"relation": "in_corner", "subject": cats[3]}],
    })  # fmt: skip

    world = PhysicsWorld()
    evaluate(scene, world)
    results["metrics"] = median_ms(lambda: evaluate(scene, world), args.repeat)
    judge = OfflineJudge(world=world)
    judge.judge(scene, RewardContext())
    results["judge"] = median_ms(lambda: judge.judge(scene, RewardContext()), args.repeat)
    metrics = evaluate(scene, world)

    def cached_context(**kwargs):
        ctx = RewardContext(world=world, **kwargs)
        ctx.cached("metrics", lambda: metrics)
        return ctx

    results["judge (metrics cached)"] = median_ms(lambda: judge.judge(scene, cached_context()), args.repeat)
    results["judge+spec"] = median_ms(lambda: judge.judge(scene, RewardContext(spec=spec)), args.repeat)
    bedroom = bedroom_scene()
    bed_judge = OfflineJudge()
    bed_judge.judge(bedroom, RewardContext())
    results["judge bedroom"] = median_ms(lambda: bed_judge.judge(bedroom, RewardContext()), args.repeat)
    prompt = ("A cosy 4 by 5 m bedroom with a grey double bed against the back wall, two nightstands beside it "
              "with lamps, a wardrobe in the corner and a small desk facing the window.")  # fmt: skip
    parse_prompt(prompt)
    results["parse_prompt"] = median_ms(lambda: parse_prompt(prompt), args.repeat)

    if not args.no_clip:
        try:
            import open_clip  # noqa: F401
        except ImportError:
            print("open_clip not installed: CLIP cases skipped", file=sys.stderr)
        else:
            import torch

            if args.torch_threads > 0:
                torch.set_num_threads(args.torch_threads)
            with tempfile.TemporaryDirectory() as tmp:
                reward = tiny_clip(Path(tmp))
                views = reward.view_names(bedroom)
                rng = np.random.default_rng(0)
                images = {v: rng.integers(0, 256, (224, 224, 3), dtype=np.uint8) for v in views}
                reward(bedroom, RewardContext(renders=images))
                results["clip tiny (renders given)"] = median_ms(
                    lambda: reward(bedroom, RewardContext(renders=images)), args.repeat
                )
                batch = [bedroom] * 8
                results["clip tiny batch8 (per scene)"] = median_ms(
                    lambda: reward.compute_batch(batch, [RewardContext(renders=images) for _ in batch]),
                    max(3, args.repeat // 4)) / 8  # fmt: skip
                results["clip tiny (render 5 views)"] = median_ms(
                    lambda: reward(bedroom, RewardContext()), max(3, args.repeat // 4)
                )
    results["ratio judge/metrics"] = results["judge"] / results["metrics"]
    results["ratio judge cached/metrics"] = results["judge (metrics cached)"] / results["metrics"]
    world.close()
    judge.close()
    bed_judge.close()

    width = max(len(k) for k in results)
    print(f"rewards, N = {args.objects} objects (grid scene), medians of {args.repeat} runs")
    for key, value in results.items():
        unit = "" if key.startswith("ratio") else " ms"
        print(f"  {key:<{width}}  {value:8.3f}{unit}")
    verdict = "met" if results["judge"] < 10.0 else "MISSED"
    print(f"  offline judge target < 10 ms per {args.objects}-object scene: {verdict}")
    verdict = "met" if results["judge (metrics cached)"] < 5.0 else "MISSED"
    print(f"  offline judge with cached metrics target < 5 ms per {args.objects}-object scene: {verdict}")
    if args.json:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.json, json.dumps({"objects": args.objects, "repeat": args.repeat,
                                            "median_ms": results}, indent=2) + "\n")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
