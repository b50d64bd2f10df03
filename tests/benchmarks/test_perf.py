"""benchmarks/perf.py: runs every script with --json, keeps medians and ratios, records failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf.py"

OK = """
import argparse, json
ap = argparse.ArgumentParser(); ap.add_argument("--json"); a = ap.parse_args()
json.dump([{"name": "thing", "median_s": 0.25, "ratio": 2.0, "other": 7},
           {"name": "other", "median_s": 0.5}], open(a.json, "w"))
"""
FAIL = "import sys; print('boom', file=sys.stderr); sys.exit(3)"
NOJSON = "print('forgot the json')"
HANG = "import time; time.sleep(60)"


def test_perf_report_records_results_and_failures(tmp_path):
    scripts = tmp_path / "benchmarks"
    scripts.mkdir()
    for name, body in (("core", OK), ("physics", FAIL), ("tools", NOJSON), ("render", HANG), ("extra", OK)):
        (scripts / f"bench_{name}.py").write_text(body)
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, str(PERF), "--dir", str(scripts), "--out", str(out), "--timeout", "5",
                           "--markdown"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 1  # not everything passed
    report = json.loads(out.read_text())
    s = report["scripts"]
    assert report["schema"] == "scene-gym/perf@1" and report["cpus"] >= 1
    assert s["core"]["status"] == "ok"
    assert s["core"]["figures"] == {"thing/median_s": 0.25, "thing/ratio": 2.0, "other/median_s": 0.5}
    assert s["extra"]["status"] == "ok"  # scripts outside the known list run too
    assert s["physics"]["status"] == "failed" and "boom" in s["physics"]["output_tail"]
    assert s["tools"]["status"] == "no-json"
    assert s["render"]["status"] == "timeout"
    assert s["import"]["status"] == "missing"
    assert report["summary"]["ok"] == ["core", "extra"]
    assert "| core | thing/median_s | 0.25 |" in proc.stdout and "| physics | **failed** |" in proc.stdout
