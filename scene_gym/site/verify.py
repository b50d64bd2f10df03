"""Making and verifying submissions (format: :mod:`scene_gym.site.submission`).

:func:`pack_submission` copies one database entry's rows and artifacts into a submission folder, with hashes.

:func:`verify_submission` checks the folder (:func:`~scene_gym.site.submission.check_submission`), then picks
``sample`` rows (evenly spaced over the ok rows, so the choice is reproducible) and:

1. **rescores** each sampled ``scene.json`` with the package's metrics (``n_obj``, ``n_oob``, ``n_cn``,
   ``q_phy``) and, for an entry judged ``offline``, the offline judge (``q_vis``, ``q``): this needs nothing
   but the submission and catches numbers that do not belong to the submitted scene;
2. **reruns** each sampled scene with the runner from the reproduce command's policy, env, reward, judge and
   limits, and compares every metric with :data:`TOLERANCES` (``c``, ``wall_s`` depend on the machine and are
   not compared). Policies it can rerun: ``heuristic``, ``random``, ``scripted``, ``test:NAME``; ``vlm:PATH``
   only when ``PATH`` exists here and hashes to the submission's ``model_hash`` (the same checkpoint);
   ``api:MODEL`` and ``openai`` judges only with ``--allow-api`` and the same endpoint configured
   (``OPENAI_BASE_URL``; an API model can change behind its name, so a match is evidence, not proof).
   ``import:MODULE:FACTORY`` is never rerun: it would run code the submission names.

It writes ``verification.json`` (``rows_sha256`` binds it to the rows) with ``verified: true`` only when every
sampled scene was rescored and rerun and all matched; otherwise ``verified: false`` and the reasons.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.store import METRICS
from scene_gym.scene.io import atomic_write
from scene_gym.site.files import read_confined
from scene_gym.site.submission import (
    ARTIFACT_FILES,
    MAX_ARTIFACT_BYTES,
    SAFE_ID,
    SUBMISSION_SCHEMA,
    VERIFICATION_SCHEMA,
    SubmissionError,
    check_submission,
    sha256,
)

#: Absolute tolerances of a rerun or rescore: counts exactly, scores to 0.05, rates and percentages to 0.01/1.
TOLERANCES: dict[str, float] = {**{k: 0.05 for k in METRICS}, "n_obj": 0, "n_oob": 0, "n_cn": 0, "steps": 0,
                                "count_rate": 0.01, "attr_rate": 0.01, "rel_rate": 0.01, "nav": 0.01, "acc": 0.01,
                                "pos_coherence": 0.01, "rot_coherence": 0.01, "collision_free_pct": 1.0,
                                "in_boundary_pct": 1.0}  # fmt: skip
NOT_COMPARED = ("c", "wall_s")
_LOCAL_POLICIES = ("heuristic", "random", "scripted")


def pack_submission(db: str | Path, entry_id: int, out: str | Path, *, name: str, model: str,
                    links: list[str] | None = None, artifacts: str | Path | None = None) -> Path:  # fmt: skip
    """Write the submission folder ``out`` for entry ``entry_id`` of the database ``db`` (artifacts read only
    inside ``artifacts``, default ``<db stem>_artifacts``); returns ``out``. ``name``/``model`` must match
    :data:`~scene_gym.site.submission.SAFE_TEXT`; the folder is checked before returning."""
    from scene_gym.site import db_source

    src = db_source(db, artifacts)
    entry = next((e for e in src.entries if e["id"] == int(entry_id)), None)
    if entry is None:
        raise SubmissionError(
            f"no entry {entry_id!r} in {str(db)!r}; entries: {[e['id'] for e in src.entries]}"
        )
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise SubmissionError(f"expected an empty or new submission folder, got {str(out)!r}")
    lines = []
    suites = set()
    for r in (r for r in src.rows if r["entry_id"] == entry["id"]):
        row = {k: r.get(k) for k in ("suite", "suite_version", "prompt_id", "label", "seed", "status", "error",
                                     *METRICS, "details")}  # fmt: skip
        row["scene_path"], row["hashes"] = None, {}
        suites.add(r["suite"])
        scene = r.get("scene_path")
        if isinstance(scene, str) and SAFE_ID.fullmatch(r["suite"]) and SAFE_ID.fullmatch(r["prompt_id"]):
            rel = Path("artifacts") / r["suite"] / r["prompt_id"] / f"seed_{int(r['seed'])}"
            for fname in ARTIFACT_FILES:
                data = read_confined(str(Path(scene).parent / fname), src.root, src.base, MAX_ARTIFACT_BYTES)
                if data is not None:
                    atomic_write(out / rel / fname, data)
                    row["hashes"][fname] = sha256(data)
            if "scene.json" in row["hashes"]:
                row["scene_path"] = str(rel / "scene.json")
        lines.append(json.dumps(row, sort_keys=True, allow_nan=False, default=str) + "\n")
    rows = "".join(lines).encode()
    atomic_write(out / "rows.jsonl", rows)
    keep = ("policy_name", "policy_version", "model_path", "model_hash", "env", "reward", "judge", "config",
            "package_version", "git_commit")  # fmt: skip
    reproduce = str(entry.get("reproduce") or "") + (
        f" --suite {sorted(suites)[0]}" if len(suites) == 1 else ""
    )
    md = {"schema": SUBMISSION_SCHEMA, "name": name, "model": model, "policy": entry["policy"], "links": links or [],
          "verified": False, "reproduce": reproduce, "entry": {k: entry.get(k) for k in keep},
          "rows_sha256": sha256(rows)}  # fmt: skip
    atomic_write(out / "metadata.json", json.dumps(md, indent=2, sort_keys=True) + "\n")
    check_submission(out)
    return out


@dataclass
class VerifyReport:
    """What :func:`verify_submission` did: the verification record written, and lines to print."""

    record: dict[str, Any]
    lines: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """True when every sampled scene was rescored, rerun and matched."""
        return bool(self.record.get("verified"))


def _compare(got: dict, want: dict, keys) -> list[str]:
    out = []
    for k in keys:
        a, b = got.get(k), want.get(k)
        if a is None and b is None:
            continue
        if (
            a is None
            or b is None
            or not math.isclose(float(a), float(b), abs_tol=TOLERANCES.get(k, 0.05) + 1e-9)
        ):
            out.append(f"{k}: submitted {b!r}, recomputed {a!r} (tolerance {TOLERANCES.get(k, 0.05)})")
    return out


def rerun_blocker(policy: str, entry: dict[str, Any], judge: str, allow_api: bool) -> str | None:
    """Why the scenes of an entry with ``policy`` and ``judge`` cannot be rerun here (None: they can)."""
    from scene_gym.benchmarks.identity import hash_model

    kind, _, arg = policy.partition(":")
    if kind == "import":
        return "import: policies are code named by the submission; verify does not run them"
    if kind == "vlm":
        if not Path(arg).exists():
            return f"local model {arg!r} is not on this machine (verify needs the same checkpoint)"
        if hash_model(arg) != entry.get("model_hash"):
            return f"local model {arg!r} here does not hash to the submission's model_hash (a different checkpoint)"
    elif kind == "api" or judge.startswith("openai"):
        if not allow_api:
            return "API policy or judge: rerun only with --allow-api and the same endpoint (OPENAI_BASE_URL)"
        if not os.environ.get("OPENAI_BASE_URL"):
            return "API policy or judge: OPENAI_BASE_URL is not set (verify needs the same endpoint)"
    elif kind not in _LOCAL_POLICIES and kind != "test":
        return f"policy {policy!r} is not one verify knows how to rerun"
    if judge.startswith("vlm:") and not Path(judge[4:]).exists():
        return f"judge checkpoint {judge[4:]!r} is not on this machine"
    return None


def _rescore(folder: Path, row: dict, judge_spec: str) -> list[str]:
    from scene_gym.assets.validation import check_scene
    from scene_gym.benchmarks.suites import builtin_suites, load_suite
    from scene_gym.metrics import evaluate
    from scene_gym.physics import PhysicsWorld
    from scene_gym.rewards import RewardContext, make_judge
    from scene_gym.scene import Scene

    scene = Scene.from_json(
        read_confined(row["scene_path"], folder, folder / "artifacts", MAX_ARTIFACT_BYTES)
    )
    check_scene(scene)
    world = PhysicsWorld()
    try:
        m = evaluate(scene, world)
        got: dict[str, Any] = {"n_obj": m.n_obj, "n_oob": m.n_oob, "n_cn": m.n_collisions}
        keys = ["n_obj", "n_oob", "n_cn"]
        if (
            judge_spec == "offline" and row["suite"] in builtin_suites()
        ):  # never a path named by the submission
            entry = next((e for e in load_suite(row["suite"]).entries if e.id == row["prompt_id"]), None)
            if entry is not None:
                res = make_judge(None).judge(
                    scene, RewardContext(prompt=entry.prompt, spec=entry.task_spec(), world=world)
                )
                got.update(q_phy=res.q_phy, q_vis=res.q_vis, q=res.q)
                keys += ["q_phy", "q_vis", "q"]
    finally:
        world.close()
    return _compare(got, row, keys)


def _rerun(config: dict[str, Any], row: dict, tmp: Path) -> list[str]:
    from scene_gym.benchmarks.runner import RunConfig, run_benchmark
    from scene_gym.benchmarks.store import Store

    db = tmp / f"rerun_{row['suite']}_{row['prompt_id']}_{row['seed']}.db"
    fields = {k: config[k] for k in ("policy", "env", "judge", "reward", "max_steps", "image_size", "render_size")
              if k in config}  # fmt: skip
    run_benchmark(RunConfig(suite=row["suite"], prompts=(row["prompt_id"],), seed_list=(row["seed"],), workers=1,
                            db=str(db), progress=False, **fields))  # fmt: skip
    with Store(db) as store:
        (got,) = store.results()
    if got["status"] != row["status"]:
        return [f"status: submitted {row['status']!r}, rerun {got['status']!r} ({got.get('error')})"]
    return _compare(got, row, [k for k in METRICS if k not in NOT_COMPARED])


def verify_submission(folder: str | Path, sample: int = 3, *, allow_api: bool = False) -> VerifyReport:
    """Verify a submission (module docstring); writes ``folder/verification.json`` and returns the report."""
    from scene_gym import __version__

    folder = Path(folder)
    sub = check_submission(folder, allow_verification=True)
    config = {"judge": "offline", **_reproduce_config(sub)}
    ok = [r for r in sub.rows if r["status"] == "ok"]
    if not ok or sample < 1:
        raise SubmissionError(f"nothing to verify: {len(ok)} ok rows, sample {sample}")
    picks = [ok[round(i * (len(ok) - 1) / max(sample - 1, 1))] for i in range(min(sample, len(ok)))]
    picks = list({(r["suite"], r["prompt_id"], r["seed"]): r for r in picks}.values())
    blocker = rerun_blocker(sub.metadata["policy"], sub.entry, config["judge"], allow_api)
    checked, lines = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in picks:
            where = f"{r['suite']}/{r['prompt_id']}/seed {r['seed']}"
            mism = [f"rescore {m}" for m in _rescore(folder, r, config["judge"])]
            if blocker is None:
                mism += [f"rerun {m}" for m in _rerun(config, r, Path(tmp))]
            checked.append({"suite": r["suite"], "prompt_id": r["prompt_id"], "seed": r["seed"],
                            "rerun": blocker is None, "mismatches": mism})  # fmt: skip
            lines.append(f"{where}: {'rescored' + (' and rerun' if blocker is None else '')}, "
                         f"{'match' if not mism else '; '.join(mism)}")  # fmt: skip
        shutil.rmtree(tmp, ignore_errors=True)
    verified = blocker is None and all(not c["mismatches"] for c in checked)
    record = {"schema": VERIFICATION_SCHEMA, "verified": verified, "rows_sha256": sub.rows_sha256,
              "rerun": blocker is None, "not_rerun_because": blocker, "checked": checked,
              "tolerances": {k: v for k, v in TOLERANCES.items() if k not in NOT_COMPARED},
              "not_compared": list(NOT_COMPARED), "verified_at": time.strftime("%Y-%m-%d %H:%M:%S"),
              "package_version": __version__}  # fmt: skip
    atomic_write(folder / "verification.json", json.dumps(record, indent=2) + "\n")
    if blocker:
        lines.append(f"not rerun: {blocker}")
    lines.append(f"{'verified' if verified else 'NOT verified'}: wrote {folder / 'verification.json'}")
    return VerifyReport(record, lines)


def _reproduce_config(sub) -> dict[str, Any]:
    from scene_gym.site.submission import parse_reproduce

    config = parse_reproduce(sub.metadata["reproduce"])
    config.pop("suite", None)
    config.pop("seeds", None)
    return config
