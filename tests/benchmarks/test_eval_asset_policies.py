"""benchmarks/eval_asset_policies.py: paired heuristic-vs-random scores on a small asset-suite subset."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "eval_asset_policies.py"


def _load():
    spec = importlib.util.spec_from_file_location("eval_asset_policies", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_eval_runs_two_entries_one_seed_and_skips_unknown_rewards(tmp_path, capsys):
    out = tmp_path / "eval.json"
    result = _load().main(["--entries", "small_table_1", "large_table_3", "--seeds", "1", "--rewards", "physical",
                           "no_such_reward", "--json", str(out)])  # fmt: skip
    text = capsys.readouterr()
    assert "skipping reward 'no_such_reward'" in text.err and "physical (2 pairs)" in text.out
    data = json.loads(out.read_text())
    assert data["skipped"] == ["no_such_reward"] and data["rewards"] == ["physical"] and data["version"] == 2
    assert len(data["rows"]) == 4 and {r["policy"] for r in data["rows"]} == {"heuristic", "random"}
    assert all(r["scene"]["objects"] and "physical" in r["scores"] for r in data["rows"])
    s = result["summary"][0]
    assert s["pairs"] == 2 and set(s["diff"]) >= {"mean", "ci95_t", "ci95_bootstrap"} and "relative_gain" in s


def test_paired_summary_statistics():
    mod = _load()
    rows = [{"entry": f"e{i}", "seed": 0, "policy": p, "scores": {"r": v}}
            for i, (a, b) in enumerate([(3.0, 1.0), (4.0, 2.0), (5.0, 2.0)]) for p, v in (("h", a), ("x", b))]  # fmt: skip
    s = mod.paired_summary(rows, "r", "h", "x")
    assert s["h"]["mean"] == pytest.approx(4.0) and s["x"]["mean"] == pytest.approx(5 / 3)
    assert s["diff"]["mean"] == pytest.approx(7 / 3) and s["diff"]["ci95_t"][0] < 7 / 3 < s["diff"]["ci95_t"][1]
    assert s["relative_gain"] == pytest.approx((7 / 3) / (5 / 3)) and s["diff"]["wins"] == 3


def test_clip_scores_asset_scenes_end_to_end_with_a_tiny_local_model(tmp_path, capsys):
    """Plumbing only: a randomly initialised tiny open_clip model, saved as a checkpoint, scores the suite's final
    scenes through the same reward spec a user writes for real weights (``clip:CONFIG:CHECKPOINT``)."""
    pytest.importorskip("open_clip")
    pytest.importorskip("torch")
    from tiny_models import build_tiny_clip

    config, ckpt = build_tiny_clip(tmp_path / "clip")
    spec = f"clip:{config}:{ckpt}"
    result = _load().main(["--entries", "small_table_1", "shelf_2", "--seeds", "1", "--rewards", spec, "asset"])
    assert "clip" in capsys.readouterr().out
    (clip, asset) = result["summary"]
    assert clip["pairs"] == 2 and asset["pairs"] == 2
    assert all(-1.0 <= v <= 1.0 for r in result["rows"] for k, v in r["scores"].items() if k.startswith("clip"))
