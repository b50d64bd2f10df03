"""The policy examples run short episodes: a tiny local checkpoint built here, and a local stand-in API server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from chat_standin import ChatStandIn

ROOT = Path(__file__).resolve().parents[2]


def run_example(name: str, *args: str, env: dict | None = None) -> str:
    import os

    out = subprocess.run([sys.executable, str(ROOT / "examples" / name), *args], capture_output=True, text=True,
                         cwd=ROOT, timeout=600, env={**os.environ, "OMP_NUM_THREADS": "1", **(env or {})})  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def read_rollout(path: Path) -> tuple[dict, list[dict]]:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return lines[0], lines[1:]


def test_vlm_policy_example_runs_a_tiny_checkpoint(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from tiny_models import build_qwen2_vl

    model = build_qwen2_vl(tmp_path / "tiny_vl")
    out = tmp_path / "run"
    stdout = run_example("vlm_policy.py", "--model", str(model), "--env", "scene", "--steps", "2",
                         "--max-new-tokens", "8", "--max-regenerations", "1", "--image-size", "32", "--out", str(out))  # fmt: skip
    header, steps = read_rollout(out / "rollout.jsonl")
    assert header["env_id"] == "SceneSynth-v1" and header["policy"]["model_type"] == "qwen2_vl"
    assert header["policy"]["takes_images"] and len(steps) == 2 and steps[-1]["truncated"]
    assert all(s["action"] == "" for s in steps)  # random weights: every answer falls back to the no-op
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"] == {"candidates": 2, "generations": 4, "regenerations": 2, "fallbacks": 2}
    assert summary["tokens_per_s"] > 0 and summary["stats"]["generated_tokens"] > 0
    assert (out / "images" / "step_0_image.png").exists() and (out / "scene.json").exists()
    assert "2 fallbacks" in stdout


def test_api_policy_example_against_a_stand_in_server(tmp_path):
    server = ChatStandIn()
    try:
        server.script = [("text", "Hmm, a sofa would be nice."),
                         ("text", '```python\nadd("sofa", at=(2.0, 0.6), facing="north")\n```'),
                         ("status", 503),
                         ("text", "```python\ndone()\n```")]  # fmt: skip
        out = tmp_path / "run"
        run_example("api_policy.py", "--base-url", server.url, "--model", "stand-in", "--steps", "3",
                    "--image-size", "0", "--max-retries", "2", "--out", str(out))  # fmt: skip
        header, steps = read_rollout(out / "rollout.jsonl")
        assert [s["action"] for s in steps] == ['add("sofa", at=(2.0, 0.6), facing="north")', "done()"]
        assert steps[-1]["terminated"] and header["policy"]["model"] == "stand-in"
        summary = json.loads((out / "summary.json").read_text())
        assert summary["counts"]["regenerations"] == 1 and summary["counts"]["fallbacks"] == 0
        assert summary["stats"]["requests"] == 3 and len(server.requests) == 4  # one HTTP retry after the 503
        assert "sofa_1" in {o["id"] for o in json.loads((out / "scene.json").read_text())["objects"]}

        server.script = [("tool_calls", [("init_layout", {}), ("terminate", {})])]
        out = tmp_path / "traj"
        run_example("api_policy.py", "--base-url", server.url, "--model", "stand-in", "--env", "trajectory",
                    "--image-size", "0", "--out", str(out))  # fmt: skip
        _, steps = read_rollout(out / "rollout.jsonl")
        assert [c["tool"] for c in json.loads(steps[0]["action"])] == ["init_layout", "terminate"]
        assert steps[0]["info"]["valid"] and "tools" in server.requests[-1]
    finally:
        server.close()
