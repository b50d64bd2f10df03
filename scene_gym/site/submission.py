"""Leaderboard submissions, in the shape SWE-bench's and BALROG's use: one folder per entry.

Format (``"schema": "scene-gym/submission@1"``)::

    FOLDER/metadata.json   name, model, policy, links, verified (false), reproduce, entry, rows_sha256
    FOLDER/rows.jsonl      one result row per line (the store's columns) + "hashes": {file name: sha256}
    FOLDER/artifacts/<suite>/<prompt id>/seed_<k>/{scene.json, render.png, steps.jsonl}

:func:`pack_submission` writes one from a leaderboard database entry. :func:`check_submission`
(``scene-gym submit FOLDER``) refuses, with a message naming the problem: a missing or malformed field, a name,
model or policy with characters outside :data:`SAFE_TEXT` (markup, scripts), a ``verified: true`` claim or a
``verification.json`` (only ``scene-gym verify`` writes those), links that are not plain http(s) URLs, a reproduce
command that does not parse as ``scene-gym benchmark`` with known options and the submission's policy, rows
whose sha256 differs from ``rows_sha256`` (edited after packing), duplicate or malformed rows, rows whose Q does
not add up (``q_phy = n_obj - 4 (n_oob + n_cn)``, ``q = 0.1 q_phy + q_vis``), missing artifacts, artifacts whose
sha256 differs from the row's, and any symbolic link or special file in the folder.

:func:`verify_submission` (``scene-gym verify FOLDER``; see :mod:`scene_gym.site.verify`) reruns a sample.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.benchmarks.store import METRICS, STATUSES
from scene_gym.site.data import Source
from scene_gym.site.files import read_confined

SUBMISSION_SCHEMA = "scene-gym/submission@1"
VERIFICATION_SCHEMA = "scene-gym/verification@1"
#: Names, models and policy specs: letters, digits, space and ``._+-@:/()``, 1-120 characters.
SAFE_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._+\-@:/()]{0,119}")
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$%&()*+,;=]{1,290}")
ARTIFACT_FILES = ("scene.json", "render.png", "steps.jsonl")
MAX_METADATA_BYTES = 2**20
MAX_ROWS_BYTES = 64 * 2**20
MAX_ARTIFACT_BYTES = 64 * 2**20
#: ``scene-gym benchmark`` options a reproduce command may use: flag -> RunConfig field (None: ignored).
REPRODUCE_FLAGS = {"--policy": "policy", "--env": "env", "--judge": "judge", "--reward": "reward",
                   "--max-steps": "max_steps", "--image-size": "image_size", "--render-size": "render_size",
                   "--suite": "suite", "--seeds": "seeds", "--seed": None, "--prompt": None, "--workers": None,
                   "--db": None, "--out": None, "--timeout": None}  # fmt: skip
_INT_FLAGS = {"max_steps", "image_size", "render_size", "seeds"}


class SubmissionError(BenchmarkError):
    """A submission folder is refused; the message names the file, field or row and the problem."""


@dataclass
class Submission:
    """A checked submission: its folder, metadata, entry (store columns), rows and the sha256 of rows.jsonl."""

    folder: Path
    metadata: dict[str, Any]
    entry: dict[str, Any]
    rows: list[dict[str, Any]]
    rows_sha256: str


def sha256(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def parse_reproduce(command: Any) -> dict[str, Any]:
    """The :class:`~scene_gym.benchmarks.runner.RunConfig` fields a ``scene-gym benchmark ...`` command sets
    (only the options of :data:`REPRODUCE_FLAGS`); raises :class:`SubmissionError` naming what does not parse."""
    if not isinstance(command, str) or not command.strip() or len(command) > 2000:
        raise SubmissionError(
            f"expected a reproduce command of at most 2000 characters, got {command!r:.100}"
        )
    try:
        words = shlex.split(command)
    except ValueError as err:
        raise SubmissionError(f"reproduce command does not parse ({err}): {command!r:.200}") from None
    if words[:2] != ["scene-gym", "benchmark"]:
        raise SubmissionError(
            f"expected a reproduce command starting with 'scene-gym benchmark', got {command!r:.200}"
        )
    out: dict[str, Any] = {}
    i = 2
    while i < len(words):
        flag = words[i]
        if flag not in REPRODUCE_FLAGS or i + 1 >= len(words):
            raise SubmissionError(f"reproduce command: unknown option or option without a value {flag!r:.60}; known: "
                                  f"{', '.join(REPRODUCE_FLAGS)}")  # fmt: skip
        field, value = REPRODUCE_FLAGS[flag], words[i + 1]
        if field in _INT_FLAGS:
            if not value.isdigit():
                raise SubmissionError(
                    f"reproduce command: expected an integer after {flag}, got {value!r:.60}"
                )
            value = int(value)
        if field is not None:
            out[field] = value
        i += 2
    if "policy" not in out:
        raise SubmissionError(f"reproduce command names no --policy: {command!r:.200}")
    return out


def _text(md: dict, key: str, required: bool = True) -> str | None:
    value = md.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not SAFE_TEXT.fullmatch(value):
        raise SubmissionError(f"metadata.json {key!r}: expected 1-120 characters among letters, digits, space and "
                              f"._+-@:/() (no markup or script), got {value!r:.120}")  # fmt: skip
    return value


def _json_file(folder: Path, name: str, limit: int) -> tuple[Any, bytes]:
    data = read_confined(name, folder, folder, limit)
    if data is None:
        raise SubmissionError(
            f"{name} missing in {str(folder)!r} (or a link, not a regular file, or over {limit} bytes)"
        )
    try:
        return json.loads(data), data
    except (ValueError, RecursionError) as err:
        raise SubmissionError(f"{name}: not JSON ({str(err)[:120]})") from None


def _check_metadata(md: Any, allow_verification: bool, folder: Path) -> dict[str, Any]:
    if not isinstance(md, dict) or md.get("schema") != SUBMISSION_SCHEMA:
        got = md.get("schema") if isinstance(md, dict) else type(md).__name__
        raise SubmissionError(f"metadata.json: expected schema {SUBMISSION_SCHEMA!r}, got {got!r:.80}")
    for key in ("name", "model", "policy"):
        _text(md, key)
    if md.get("verified") is not False:
        raise SubmissionError(f"metadata.json claims verified: {md.get('verified')!r:.40}; a submission must say "
                              "verified: false (only `scene-gym verify` marks it verified, in verification.json)")  # fmt: skip
    if not allow_verification and (folder / "verification.json").exists():
        raise SubmissionError(
            "verification.json present: only `scene-gym verify` writes it; remove it from the submission"
        )
    links = md.get("links", [])
    if (
        not isinstance(links, list)
        or len(links) > 10
        or not all(isinstance(u, str) and URL.fullmatch(u) for u in links)
    ):
        raise SubmissionError(
            f"metadata.json 'links': expected at most 10 plain http(s) URLs, got {links!r:.200}"
        )
    config = parse_reproduce(md.get("reproduce"))
    if config["policy"] != md["policy"]:
        raise SubmissionError(
            f"reproduce command runs policy {config['policy']!r:.80}, metadata says {md['policy']!r:.80}"
        )
    entry = md.get("entry")
    if not isinstance(entry, dict) or not all(
        isinstance(v, str | int | float | dict | type(None)) for v in entry.values()
    ):
        raise SubmissionError(
            "metadata.json 'entry': expected an object of the entry's columns (env, judge, ...)"
        )
    if not isinstance(md.get("rows_sha256"), str):
        raise SubmissionError("metadata.json 'rows_sha256': expected the hex sha256 of rows.jsonl")
    return config


def _check_row(r: Any, n: int) -> dict[str, Any]:
    where = f"rows.jsonl line {n + 1}"
    if not isinstance(r, dict):
        raise SubmissionError(f"{where}: expected a JSON object")
    for key in ("suite", "prompt_id"):
        if not isinstance(r.get(key), str) or not SAFE_ID.fullmatch(r[key]):
            raise SubmissionError(
                f"{where}: expected {key} of letters, digits and _.- (1-64), got {r.get(key)!r:.80}"
            )
    if isinstance(r.get("seed"), bool) or not isinstance(r.get("seed"), int) or r["seed"] < 0:
        raise SubmissionError(f"{where}: expected an integer seed >= 0, got {r.get('seed')!r:.40}")
    if r.get("status") not in STATUSES:
        raise SubmissionError(f"{where}: expected status among {list(STATUSES)}, got {r.get('status')!r:.40}")
    for k in METRICS:
        v = r.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v)):
            raise SubmissionError(f"{where}: expected a finite number or null for {k}, got {v!r:.40}")
    for k in ("label", "error"):
        if r.get(k) is not None and (not isinstance(r[k], str) or len(r[k]) > 4000):
            raise SubmissionError(f"{where}: expected {k} as text of at most 4000 characters")
    g = {k: r.get(k) for k in ("n_obj", "n_oob", "n_cn", "q_phy", "q_vis", "q")}
    if r["status"] == "ok" and None not in g.values():
        if abs(g["q_phy"] - (g["n_obj"] - 4 * (g["n_oob"] + g["n_cn"]))) > 1e-6:
            raise SubmissionError(f"{where}: q_phy {g['q_phy']} != n_obj - 4 (n_oob + n_cn) = "
                                  f"{g['n_obj'] - 4 * (g['n_oob'] + g['n_cn'])} (edited row?)")  # fmt: skip
        if abs(g["q"] - (0.1 * g["q_phy"] + g["q_vis"])) > 1e-3:
            raise SubmissionError(f"{where}: q {g['q']} != 0.1 q_phy + q_vis = {0.1 * g['q_phy'] + g['q_vis']:.4f} "
                                  "(edited row?)")  # fmt: skip
    if not isinstance(r.get("details", {}), dict):
        raise SubmissionError(f"{where}: expected details as an object")
    return r


def _check_tree(folder: Path) -> None:
    for here, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            p = Path(here) / name
            mode = os.lstat(p).st_mode
            if stat.S_ISLNK(mode):
                raise SubmissionError(
                    f"symbolic link refused in the submission: {str(p.relative_to(folder))!r}"
                )
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise SubmissionError(
                    f"special file refused in the submission: {str(p.relative_to(folder))!r}"
                )


def _check_artifacts(folder: Path, r: dict[str, Any], n: int) -> None:
    where = f"rows.jsonl line {n + 1} ({r['suite']}/{r['prompt_id']}/seed {r['seed']})"
    hashes = r.get("hashes") or {}
    if not isinstance(hashes, dict) or not set(hashes) <= set(ARTIFACT_FILES):
        raise SubmissionError(f"{where}: expected hashes for files among {list(ARTIFACT_FILES)}")
    scene = r.get("scene_path")
    if r["status"] == "ok" and (not isinstance(scene, str) or "scene.json" not in hashes):
        raise SubmissionError(f"{where}: an ok row needs scene_path and the sha256 of its scene.json")
    if not isinstance(scene, str):
        return
    if Path(scene).name != "scene.json" or not scene.startswith("artifacts/"):
        raise SubmissionError(f"{where}: expected scene_path artifacts/.../scene.json, got {scene!r:.120}")
    for name, want in hashes.items():
        rel = str(Path(scene).parent / name)
        data = read_confined(rel, folder, folder / "artifacts", MAX_ARTIFACT_BYTES)
        if data is None:
            raise SubmissionError(
                f"{where}: missing artifact {rel!r} (or a link, outside artifacts/, or too large)"
            )
        if sha256(data) != want:
            raise SubmissionError(f"{where}: hash mismatch for {rel!r}: sha256 {sha256(data)[:16]}..., the row says "
                                  f"{str(want)[:16]}...")  # fmt: skip


def check_submission(folder: str | Path, *, allow_verification: bool = False) -> Submission:
    """Check a submission folder (module docstring) and return it; raises :class:`SubmissionError` naming the
    first problem. ``allow_verification``: accept a ``verification.json`` (the site reads verified folders)."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        raise SubmissionError(
            f"expected a submission folder, got {str(folder)!r} (missing, a file or a link)"
        )
    _check_tree(folder)
    md, _ = _json_file(folder, "metadata.json", MAX_METADATA_BYTES)
    _check_metadata(md, allow_verification, folder)
    data = read_confined("rows.jsonl", folder, folder, MAX_ROWS_BYTES)
    if data is None:
        raise SubmissionError(
            f"rows.jsonl missing in {str(folder)!r} (or a link, or over {MAX_ROWS_BYTES} bytes)"
        )
    if sha256(data) != md["rows_sha256"]:
        raise SubmissionError(f"rows.jsonl was edited after packing: its sha256 is {sha256(data)[:16]}..., metadata.json "
                              f"records {md['rows_sha256'][:16]}...")  # fmt: skip
    try:
        raw = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise SubmissionError(f"rows.jsonl: not JSON lines ({str(err)[:120]})") from None
    if not raw:
        raise SubmissionError("rows.jsonl has no rows")
    rows, seen = [], set()
    for n, r in enumerate(raw):
        r = _check_row(r, n)
        key = (r["suite"], r["prompt_id"], r["seed"])
        if key in seen:
            raise SubmissionError(f"rows.jsonl line {n + 1}: duplicate row {key}")
        seen.add(key)
        _check_artifacts(folder, r, n)
        rows.append(r)
    entry = {**md["entry"], "name": md["name"], "policy": md["policy"], "reproduce": md["reproduce"]}
    return Submission(folder, md, entry, rows, md["rows_sha256"])


def read_verification(sub: Submission) -> dict[str, Any] | None:
    """The submission's ``verification.json`` when it is a well-formed verification of exactly these rows
    (same ``rows_sha256``), else None."""
    data = read_confined("verification.json", sub.folder, sub.folder, MAX_METADATA_BYTES)
    try:
        v = json.loads(data) if data is not None else None
    except (ValueError, RecursionError):
        return None
    if (
        not isinstance(v, dict)
        or v.get("schema") != VERIFICATION_SCHEMA
        or v.get("rows_sha256") != sub.rows_sha256
    ):
        return None
    return v


def submission_source(folder: str | Path) -> Source:
    """A site :class:`~scene_gym.site.data.Source` of a checked submission: ``verified`` when its
    verification.json verifies these rows, else ``self-reported``."""
    sub = check_submission(folder, allow_verification=True)
    ver = read_verification(sub)
    verified = bool(ver and ver.get("verified") is True)
    md = {**sub.metadata, "_verification": ver or {}}
    rows = [{**r, "entry_id": 1} for r in sub.rows]
    return Source([{**sub.entry, "id": 1}], rows, sub.folder.resolve(), sub.folder.resolve() / "artifacts",
                  "verified" if verified else "self-reported", md, str(folder))  # fmt: skip


def submission_sources(paths: list[str | Path]) -> list[Source]:
    """Sources of the submission folders in ``paths``: a folder holding ``metadata.json`` is one submission,
    any other folder is searched one level down (sorted). A refused submission raises."""
    out = []
    for p in map(Path, paths):
        if (p / "metadata.json").exists():
            out.append(submission_source(p))
        elif p.is_dir():
            out += [submission_source(c) for c in sorted(p.iterdir()) if (c / "metadata.json").exists()]
        else:
            raise SubmissionError(f"expected a submission folder or a folder of them, got {str(p)!r}")
    return out
