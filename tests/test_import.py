"""`import scene_gym` is light: it pulls in no torch, bpy, open_clip, transformers or ray.

Its wall time is measured by benchmarks/bench_core.py, not here."""

import json
import subprocess
import sys

HEAVY = ["torch", "bpy", "open_clip", "transformers", "trl", "stable_baselines3", "ray"]


def test_import_pulls_in_no_heavy_library():
    code = (
        "import sys, time, json; t = time.perf_counter(); import scene_gym; dt = time.perf_counter() - t; "
        f"print(json.dumps({{'dt': dt, 'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []


def test_executors_and_rollouts_import_ray_only_when_a_ray_executor_starts():
    code = ("import sys; import scene_gym.benchmarks.runner, scene_gym.train.rollouts, scene_gym.cli; "
            "from scene_gym.benchmarks.executors import make_executor; make_executor('ray:127.0.0.1:6379'); "
            "print('ray' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
