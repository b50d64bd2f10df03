"""Submissions: packed from a database entry, checked by `scene-gym submit`, verified by `scene-gym verify`;
tampered folders are refused with a message naming the problem."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.cli import main
from scene_gym.errors import SceneGymError
from scene_gym.site.submission import (
    SubmissionError,
    check_submission,
    parse_reproduce,
    sha256,
    submission_source,
)
from scene_gym.site.verify import rerun_blocker, verify_submission

pytestmark = pytest.mark.xdist_group("site")


@pytest.fixture(scope="module")
def packed(site_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("sub") / "heuristic"
    assert main(["submit", str(out), "--from-db", str(site_db), "--entry", "1", "--name", "Heuristic planner v1",
                 "--model", "rules", "--link", "https://example.org/paper"]) == 0  # fmt: skip
    return out


def _copy(packed, tmp_path):
    dst = tmp_path / "sub"
    shutil.copytree(packed, dst)
    return dst


def _edit_metadata(folder, **changes):
    md = json.loads((folder / "metadata.json").read_text())
    md.update(changes)
    (folder / "metadata.json").write_text(json.dumps(md))


def _rows(folder):
    return [json.loads(line) for line in (folder / "rows.jsonl").read_text().splitlines()]


def _write_rows(folder, rows, rehash=True):
    text = "".join(json.dumps(r) + "\n" for r in rows)
    (folder / "rows.jsonl").write_text(text)
    if rehash:
        _edit_metadata(folder, rows_sha256=sha256(text.encode()))


def test_packed_submission_passes(packed, capsys):
    sub = check_submission(packed)
    assert len(sub.rows) == 2 and sub.metadata["verified"] is False
    assert sorted((packed / "artifacts" / "template").iterdir())[0].name == "bedroom"
    assert main(["submit", str(packed)]) == 0
    assert "verified: false until" in capsys.readouterr().out


def _tamper_edited_row(f):
    rows = _rows(f)
    rows[0]["q"] += 1.0
    _write_rows(f, rows, rehash=False)


def _tamper_edited_row_rehashed(f):
    rows = _rows(f)
    rows[0]["q"] += 1.0
    _write_rows(f, rows)


def _tamper_missing(f):
    next(f.rglob("render.png")).unlink()


def _tamper_hash(f):
    p = next(f.rglob("scene.json"))
    p.write_text(p.read_text().replace('"bed"', '"sofa"', 1) + " ")


@pytest.mark.parametrize("tamper, message", [
    (_tamper_edited_row, "rows.jsonl was edited after packing"),
    (_tamper_edited_row_rehashed, "q .* != 0.1 q_phy \\+ q_vis"),
    (_tamper_missing, "missing artifact .*render.png"),
    (_tamper_hash, "hash mismatch for .*scene.json"),
    (lambda f: _edit_metadata(f, verified=True), "claims verified: True"),
    (lambda f: _edit_metadata(f, name="<script>alert(1)</script>"), "'name'.*no markup or script"),
    (lambda f: _edit_metadata(f, model="x\"><img src=x onerror=alert(1)>"), "'model'.*no markup"),
    (lambda f: _edit_metadata(f, links=["javascript:alert(1)"]), "'links'"),
    (lambda f: _edit_metadata(f, reproduce="rm -rf / && scene-gym benchmark"), "starting with 'scene-gym benchmark'"),
    (lambda f: _edit_metadata(f, reproduce="scene-gym benchmark --policy heuristic --evil 1"), "unknown option"),
    (lambda f: _edit_metadata(f, reproduce="scene-gym benchmark --policy random"), "metadata says 'heuristic'"),
    (lambda f: (f / "verification.json").write_text("{}"), "verification.json present"),
    (lambda f: (f / "artifacts" / "link").symlink_to("/etc"), "symbolic link refused"),
])  # fmt: skip
def test_tampered_submissions_are_refused(packed, tmp_path, tamper, message, capsys):
    folder = _copy(packed, tmp_path)
    tamper(folder)
    with pytest.raises(SubmissionError, match=message):
        check_submission(folder)
    assert main(["submit", str(folder)]) == 2
    assert "scene-gym submit: error:" in capsys.readouterr().err


def test_verify_reruns_and_marks_verified(packed, tmp_path, capsys):
    folder = _copy(packed, tmp_path)
    assert main(["verify", str(folder), "--sample", "1"]) == 0
    out = capsys.readouterr().out
    assert "rescored and rerun, match" in out and "verified: wrote" in out
    record = json.loads((folder / "verification.json").read_text())
    assert record["verified"] is True and record["rerun"] is True and len(record["checked"]) == 1
    assert submission_source(folder).provenance == "verified"
    assert submission_source(packed).provenance == "self-reported"
    rows = _rows(folder)  # a changed row after verification: the record no longer applies
    rows[1]["error"] = "changed"
    _write_rows(folder, rows)
    assert submission_source(folder).provenance == "self-reported"


def test_verify_without_the_model_only_rescores(packed, tmp_path):
    folder = _copy(packed, tmp_path)
    rows = _rows(folder)
    for r in rows:  # numbers that do not belong to the submitted scene, kept self-consistent
        r["n_obj"] += 3
        r["q_phy"] += 3
        r["q"] += 0.3
    _write_rows(folder, rows)
    _edit_metadata(
        folder, policy="vlm:/nowhere/model", reproduce="scene-gym benchmark --policy vlm:/nowhere/model"
    )
    report = verify_submission(folder, sample=1)
    assert not report.verified and report.record["rerun"] is False
    assert "not on this machine" in report.record["not_rerun_because"]
    assert any("rescore n_obj" in m for m in report.record["checked"][0]["mismatches"])


def test_rerun_blockers():
    assert rerun_blocker("heuristic", {}, "offline", False) is None
    assert "code" in rerun_blocker("import:os:system", {}, "offline", False)
    assert "--allow-api" in rerun_blocker("api:gpt-4o", {}, "offline", False)
    assert "--allow-api" in rerun_blocker("heuristic", {}, "openai:gpt-4o", False)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(
    ["scene-gym", "benchmark", "--policy", "--seeds", "--env", "x", "3", "'", '"', "--evil", "-1", "\\"]),
    max_size=8).map(" ".join)))  # fmt: skip
def test_reproduce_parser_gives_fields_or_our_error(text):
    try:
        out = parse_reproduce(text)
    except SceneGymError:
        return
    assert isinstance(out["policy"], str)
    assert all(isinstance(out[k], int) for k in ("seeds", "max_steps", "image_size") if k in out)
