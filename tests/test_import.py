"""`import scene_gym` is light: it pulls in no torch, bpy, open_clip or transformers.

Its wall time is measured by benchmarks/bench_core.py, not here."""

import json
import subprocess
import sys

HEAVY = ["torch", "bpy", "open_clip", "transformers", "trl", "stable_baselines3"]


def test_import_pulls_in_no_heavy_library():
    code = (
        "import sys, time, json; t = time.perf_counter(); import scene_gym; dt = time.perf_counter() - t; "
        f"print(json.dumps({{'dt': dt, 'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []
