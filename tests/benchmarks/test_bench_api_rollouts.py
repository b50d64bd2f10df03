"""benchmarks/bench_api_rollouts.py --quick runs end to end: the concurrent rollouts equal the sequential ones and
more than one request was in flight at once. The speed-up itself is the script's figure, not asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_reports_equal_rollouts_and_overlapping_requests(tmp_path):
    out = tmp_path / "r.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_api_rollouts.py"), "--quick", "--modes",
                          "threads", "--json", str(out)], env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text())
    (row,) = result["modes"]
    assert row["mode"] == "threads" and row["equal_to_sequential"] is True
    assert 2 <= row["max_in_flight"] <= result["episodes"] == 4
    assert result["steps"] >= 4 and row["median_s"] > 0 and result["sequential"]["median_s"] > 0
    assert "ratio" in row and "threads" in run.stdout
