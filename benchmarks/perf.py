"""Run every performance script in ``benchmarks/`` and write one JSON report of their medians and ratios.

Usage: python benchmarks/perf.py [--out benchmarks/perf_report.json] [--only core render ...]
                                 [--timeout 900] [--dir benchmarks] [--markdown]

Each script ``bench_<name>.py`` (the known ones of :data:`SCRIPTS`, plus any other ``bench_*.py`` in the
folder) runs in its own interpreter with ``--json <temp file>``. A script that is missing, exits non-zero,
runs past ``--timeout`` seconds or writes no valid JSON is recorded with its status (``missing``, ``failed``,
``timeout``, ``no-json``) and the tail of its output; the others still run.

The report (``"schema": "scene-gym/perf@1"``) holds the machine (CPUs, Python, platform), the package version
and git commit, and per script: status, wall seconds, the script's own JSON (``result``) and ``figures``, the
numeric leaves of that JSON whose key mentions a median, a ratio, a rate per second or a target, flattened to
``path/like/this`` (rows of a list are named by their ``name``/``case``/``env``/``backend`` field when they
have one). ``--markdown`` prints the figures as a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPTS = ("core", "import", "physics", "layout", "tools", "render", "rewards", "envs", "heuristic", "sim", "suite")
FIGURE_WORDS = ("median", "ratio", "per_s", "target", "speedup")
ROW_NAMES = ("name", "case", "env", "backend", "tool", "room", "size", "objects")
TAIL = 3000


def flatten(value, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a JSON value whose key path mentions one of :data:`FIGURE_WORDS`, as
    ``{"a/b/c": number}``; list items are named by a :data:`ROW_NAMES` field when they have one."""
    out: dict[str, float] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}/{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            label = str(i)
            if isinstance(v, dict):
                label = "-".join(str(v[n]) for n in ROW_NAMES if n in v and not isinstance(v[n], dict | list)) or label
            out.update(flatten(v, f"{prefix}/{label}" if prefix else label))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if any(w in prefix.lower() for w in FIGURE_WORDS):
            out[prefix] = float(value)
    return out


def run_script(path: Path, timeout_s: float, python: str) -> dict:
    """Run one script with ``--json``; returns its report record (module docstring)."""
    if not path.is_file():
        return {"status": "missing", "script": str(path)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([python, str(path), "--json", str(out)], capture_output=True, text=True,
                                  timeout=timeout_s, cwd=path.parent.parent)  # fmt: skip
        except subprocess.TimeoutExpired as err:
            tail = (err.stdout or b"")[-TAIL:]
            return {"status": "timeout", "script": str(path), "wall_s": time.perf_counter() - t0,
                    "error": f"no result within {timeout_s:g} s",
                    "output_tail": tail.decode(errors="replace") if isinstance(tail, bytes) else tail}  # fmt: skip
        wall = time.perf_counter() - t0
        record = {"script": str(path), "wall_s": wall, "returncode": proc.returncode,
                  "output_tail": (proc.stdout[-TAIL // 2:] + proc.stderr[-TAIL // 2:])}  # fmt: skip
        if proc.returncode != 0:
            return {**record, "status": "failed", "error": f"exit status {proc.returncode}"}
        try:
            result = json.loads(out.read_text())
        except (OSError, ValueError) as err:
            return {**record, "status": "no-json", "error": f"no valid JSON written to --json: {err}"}
    return {**record, "status": "ok", "figures": flatten(result), "result": result}


def git_commit(root: Path) -> str:
    """``git rev-parse HEAD`` in ``root``, or ``"unknown"``."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def markdown(report: dict) -> str:
    """The report's figures as a Markdown table (script, figure, value) plus failures."""
    lines = ["| script | figure | value |", "|---|---|---|"]
    for name, rec in report["scripts"].items():
        if rec["status"] != "ok":
            lines.append(f"| {name} | **{rec['status']}** | {rec.get('error', '')} |")
            continue
        for key, v in rec["figures"].items():
            lines.append(f"| {name} | {key} | {v:.4g} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    ap.add_argument("--dir", type=Path, default=here, help="folder of the bench_*.py scripts")
    ap.add_argument("--out", type=Path, default=here / "perf_report.json", help="report path")
    ap.add_argument("--only", nargs="+", default=None, help="script names (core, render...) to run")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per script")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the scripts")
    ap.add_argument("--markdown", action="store_true", help="print the figures as a Markdown table")
    args = ap.parse_args(argv)
    names = list(SCRIPTS) + sorted(p.stem[len("bench_"):] for p in args.dir.glob("bench_*.py")
                                   if p.stem[len("bench_"):] not in SCRIPTS)  # fmt: skip
    if args.only:
        names = [n for n in names if n in args.only] + [n for n in args.only if n not in names]
    report = {"schema": "scene-gym/perf@1", "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
              "python": platform.python_version(), "platform": platform.platform(),
              "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
              "git_commit": git_commit(args.dir), "scripts": {}}  # fmt: skip
    try:
        from scene_gym import __version__

        report["package_version"] = __version__
    except ImportError:
        report["package_version"] = "unknown"
    for name in names:
        print(f"[perf] bench_{name}.py ...", flush=True)
        rec = run_script(args.dir / f"bench_{name}.py", args.timeout, args.python)
        report["scripts"][name] = rec
        print(f"[perf] bench_{name}.py: {rec['status']}" + (f" in {rec['wall_s']:.1f} s" if "wall_s" in rec else "")
              + (f" ({rec['error']})" if rec.get("error") else ""), flush=True)  # fmt: skip
    status = [r["status"] for r in report["scripts"].values()]
    report["summary"] = {s: [n for n, r in report["scripts"].items() if r["status"] == s]
                         for s in ("ok", "failed", "timeout", "no-json", "missing")}  # fmt: skip
    text = json.dumps(report, indent=2, default=str) + "\n"
    try:
        from scene_gym.scene.io import atomic_write

        atomic_write(args.out, text)
    except ImportError:  # the report must still be written when the package itself is broken
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(f".{args.out.name}.tmp")
        tmp.write_text(text)
        os.replace(tmp, args.out)
    print(f"[perf] wrote {args.out}: {status.count('ok')} ok, {len(status) - status.count('ok')} not ok")
    if args.markdown:
        print(markdown(report), end="")
    return 0 if all(s in ("ok", "missing") for s in status) else 1


if __name__ == "__main__":
    sys.exit(main())
