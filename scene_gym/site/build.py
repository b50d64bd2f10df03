"""Build the static leaderboard site: ``index.html`` (entries ranked per suite, sortable, filterable by env,
policy, suite and room type, mean and 95 % interval, thumbnails), ``entries/<id>-<suite>.html`` (configuration,
reproduce command, provenance, per-room-type table and charts, every published metric, the scenes), and
``scenes/<key>.html`` (renders, metrics, judge grades, the prompt against what was built, the trajectory step by
step and the 3D viewer of the scene's GLB).

Everything a page needs is inside the output folder: ``assets/`` (stylesheet and script), ``vendor/``
(the ``@google/model-viewer`` bundle copied from ``node_modules``), ``glb/`` (one script per distinct scene,
:mod:`scene_gym.site.glb`), ``img/`` (renders, step images) and ``thumbs/`` (96 px JPEG thumbnails). Pages
open from ``file://`` and from any static host; nothing is requested from elsewhere.

Untrusted input (a database or submission from someone else): artifacts are read only inside the source's
artifact folder, never through a link (:mod:`scene_gym.site.files`), scenes are validated before they are
exported, trajectories are parsed by :func:`scene_gym.benchmarks.trajectory.parse_steps`, and every text is
escaped (:mod:`scene_gym.site.pages`).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.store import METRICS
from scene_gym.benchmarks.trajectory import MAX_STEPS_BYTES, STEPS_FILE, parse_steps
from scene_gym.errors import SceneGymError
from scene_gym.scene.io import atomic_write
from scene_gym.site.data import SiteEntry, Source, column_stats, finite, merge
from scene_gym.site.files import JPEG_MAGIC, PNG_MAGIC, confined_path, read_confined
from scene_gym.site.glb import scene_hash, write_models
from scene_gym.site.pages import INDEX_COLUMNS, esc, index_body, page
from scene_gym.site.scene_page import entry_page, scene_page
from scene_gym.site.static import CSS, JS

MAX_IMAGE_BYTES = 16 * 2**20
MAX_SCENE_BYTES = 8 * 2**20
MAX_STEP_IMAGES = 200
THUMB_PX = 96
VIEWER_FILE = "model-viewer-umd.min.js"
VIEWER_HINT = ("the 3D viewer (@google/model-viewer) is not installed: run `npm ci` in the scene-gym repository "
               "(package.json and package-lock.json are there), or pass --viewer PATH/TO/model-viewer-umd.min.js")  # fmt: skip
BLENDER_RENDER = "render_blender.png"


@dataclass
class SceneView:
    """What one row's scene page shows and the index links to."""

    key: str
    row: dict[str, Any]
    entry: dict[str, Any]
    provenance: str
    thumb: str | None = None
    renders: list[tuple[str, str]] = field(default_factory=list)
    glb: str | None = None
    scene: dict[str, Any] | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    """What a build did: pages, distinct GLBs, GLB errors (hash -> message), seconds, total bytes, and
    whether the 3D viewer was copied."""

    out: Path
    pages: int
    models: int
    model_errors: dict[str, str]
    seconds: float
    bytes: int
    viewer: bool


def find_viewer(explicit: str | Path | None = None) -> Path | None:
    """The ``model-viewer-umd.min.js`` bundle: ``explicit`` when given, else under ``node_modules`` of the
    current folder or of the scene-gym checkout; None when none is there."""
    if explicit:
        p = Path(explicit)
        return p if p.is_file() else None
    rel = Path("node_modules/@google/model-viewer/dist") / VIEWER_FILE
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (root / rel).is_file():
            return root / rel
    return None


def scene_key(row: dict[str, Any]) -> str:
    """The file stem of a row's scene page: a hash of (site entry id, suite, prompt id, seed)."""
    ident = f"{row['entry_id']}\0{row['suite']}\0{row['prompt_id']}\0{row['seed']}"
    return hashlib.sha1(ident.encode()).hexdigest()[:16]


def _thumbnail(png: bytes) -> bytes | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as im:
            im = im.convert("RGB")
            im.thumbnail((THUMB_PX, THUMB_PX))
            buf = io.BytesIO()
            im.save(buf, format="JPEG", quality=80)
            return buf.getvalue()
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def _load_scene(view: SceneView, src: Source, jobs: dict[str, str]) -> None:
    from scene_gym.assets.validation import check_scene
    from scene_gym.scene import Scene

    data = read_confined(view.row.get("scene_path"), src.root, src.base, MAX_SCENE_BYTES)
    if data is None:
        if view.row.get("scene_path"):
            view.notes.append("scene.json not shown: missing, outside the run's folder, a link or too large")
        return
    try:
        scene = Scene.from_json(data)
        check_scene(scene)
    except SceneGymError as err:
        view.notes.append(f"scene.json refused: {str(err)[:300]}")
        return
    d = scene.to_dict()
    view.scene = {"prompt": scene.prompt, "room": scene.room.type,
                  "counts": sorted(Counter(o.category for o in scene.objects).items()),
                  "objects": [(o.id, o.category, o.material) for o in scene.objects]}  # fmt: skip
    view.glb = scene_hash(d)
    jobs.setdefault(view.glb, scene.to_json())


def _load_steps(view: SceneView, src: Source, out: Path) -> None:
    scene_file = confined_path(view.row.get("scene_path"), src.root, src.base)
    if scene_file is None:
        return
    data = read_confined(str(scene_file.parent / STEPS_FILE), src.root, src.base, MAX_STEPS_BYTES)
    if data is None:
        view.notes.append("no per-step trajectory recorded")
        return
    try:
        steps = parse_steps(data, STEPS_FILE)
    except SceneGymError as err:
        view.notes.append(f"steps.jsonl refused: {str(err)[:300]}")
        return
    for i, st in enumerate(steps):
        img = st.pop("image")
        if img is not None and i < MAX_STEP_IMAGES:
            png = read_confined(img, scene_file.parent, src.base, MAX_IMAGE_BYTES, PNG_MAGIC)
            if png is not None:
                name = f"img/{view.key}_s{i}.png"
                atomic_write(out / name, png)
                img = "../" + name
            else:
                img = None
        st["image"] = img if isinstance(img, str) and img.startswith("../img/") else None
    view.steps = steps


def _load_images(view: SceneView, src: Source, out: Path) -> None:
    render = view.row.get("render_path")
    found = confined_path(render, src.root, src.base)
    candidates = [("tiny renderer", render)]
    if found is not None:
        candidates.insert(0, ("Blender", str(found.parent / BLENDER_RENDER)))
    for what, name in candidates:
        data = read_confined(name, src.root, src.base, MAX_IMAGE_BYTES, (PNG_MAGIC, JPEG_MAGIC))
        if data is None:
            continue
        rel = f"img/{view.key}{'_blender' if what == 'Blender' else ''}.png"
        atomic_write(out / rel, data)
        view.renders.append((what, "../" + rel))
        if view.thumb is None and (thumb := _thumbnail(data)) is not None:
            view.thumb = f"thumbs/{view.key}.jpg"
            atomic_write(out / view.thumb, thumb)


def _index_data(site: list[SiteEntry], views: dict[int, list[SceneView]]) -> dict[str, Any]:
    keys = [c[0] for c in INDEX_COLUMNS]
    lines, rooms = [], set()
    for se in site:
        by_suite: dict[str, list[dict]] = defaultdict(list)
        for r in se.rows:
            by_suite[r["suite"]].append(r)
        for suite, rows in sorted(by_suite.items()):
            sv = [v for v in views[se.entry["id"]] if v.row["suite"] == suite]

            def summary(rs, vs):
                best = max(
                    (v for v in vs if v.thumb), default=None, key=lambda v: finite(v.row.get("q")) or -1e9
                )
                return {"n": len(rs), "n_ok": sum(r["status"] == "ok" for r in rs), "stats": column_stats(rs, keys),
                        "thumb": best.thumb if best else None}  # fmt: skip

            per_room: dict[str, list[dict]] = defaultdict(list)
            room_views: dict[str, list[SceneView]] = defaultdict(list)
            for r in rows:
                per_room[str(r.get("label") or r["prompt_id"])].append(r)
            for v in sv:
                room_views[str(v.row.get("label") or v.row["prompt_id"])].append(v)
            rooms.update(per_room)
            cls, text = {"local": ("local", "local run"), "verified": ("verified", "verified")}.get(
                se.source.provenance, ("self", "self-reported"))  # fmt: skip
            lines.append({"sid": se.entry["id"], "suite": suite, "name": str(se.entry.get("name", "")),
                          "policy": str(se.entry.get("policy", "")), "env": str(se.entry.get("env", "")),
                          "badge": cls, "status": text, "href": f"entries/{se.entry['id']}-{_safe(suite)}.html",
                          "all": summary(rows, sv),
                          "rooms": {lab: summary(rs, room_views[lab]) for lab, rs in per_room.items()}})  # fmt: skip
    return {"page": "index", "entries": lines, "columns": [list(c) for c in INDEX_COLUMNS],
            "suites": sorted({x["suite"] for x in lines}), "envs": sorted({x["env"] for x in lines}),
            "policies": sorted({x["policy"] for x in lines}), "rooms": sorted(rooms)}  # fmt: skip


def _safe(text: str) -> str:
    """A file-name-safe form of a suite name (letters, digits, ``-_.`` kept, the rest hashed)."""
    clean = "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-_."))[:40]
    return clean if clean == text else f"{clean}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


def _prepare(out: Path, viewer: Path | None) -> bool:
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("entries", "scenes", "img", "thumbs", "assets", "vendor"):
        p = out / sub
        if p.is_symlink() or p.is_file():
            p.unlink()
        shutil.rmtree(p, ignore_errors=True)
    if (out / "glb").is_symlink():
        (out / "glb").unlink()
    atomic_write(out / "assets/site.css", CSS)
    atomic_write(out / "assets/site.js", JS)
    if viewer is None:
        return False
    atomic_write(out / "vendor" / VIEWER_FILE, viewer.read_bytes())
    return True


def build_site(sources: list[Source], out_dir: str | Path, *, viewer: str | Path | None = None,
               workers: int | None = None, title: str = "") -> BuildReport:  # fmt: skip
    """Build the site for ``sources`` into ``out_dir`` (module docstring); ``viewer`` is the model-viewer bundle
    (default: :func:`find_viewer`; without it the pages say how to get it). Returns a :class:`BuildReport`."""
    t0 = time.perf_counter()
    out = Path(out_dir)
    viewer_path = find_viewer(viewer)
    has_viewer = _prepare(out, viewer_path)
    site = merge(sources)
    views: dict[int, list[SceneView]] = {}
    jobs: dict[str, str] = {}
    for se in site:
        views[se.entry["id"]] = []
        for r in se.rows:
            v = SceneView(scene_key(r), r, se.entry, se.source.provenance)
            if r.get("status") == "ok":
                _load_scene(v, se.source, jobs)
                _load_steps(v, se.source, out)
                _load_images(v, se.source, out)
            views[se.entry["id"]].append(v)
    errors = write_models(jobs, out / "glb", workers)
    for stale in (out / "glb").glob("*.js"):  # models of scenes no longer shown
        if stale.stem not in jobs:
            stale.unlink()
    n_pages = 1
    for se in site:
        for suite in sorted({r["suite"] for r in se.rows}):
            sv = [v for v in views[se.entry["id"]] if v.row["suite"] == suite]
            atomic_write(
                out / f"entries/{se.entry['id']}-{_safe(suite)}.html", entry_page(se, suite, sv, METRICS)
            )
            n_pages += 1
        for v in views[se.entry["id"]]:
            glb_ok = v.glb is not None and v.glb not in errors
            if v.glb in errors:
                v.notes.append(f"3D model not made: {errors[v.glb]}")
            atomic_write(out / f"scenes/{v.key}.html", scene_page(v, f"../entries/{se.entry['id']}-{_safe(v.row['suite'])}.html",
                                                                  glb_ok, has_viewer, METRICS))  # fmt: skip
            n_pages += 1
    note = (f"{len(site)} entries &middot; {sum(len(s.rows) for s in site)} scenes &middot; built "
            f"{esc(time.strftime('%Y-%m-%d %H:%M'))}{' &middot; ' + esc(title) if title else ''}")  # fmt: skip
    atomic_write(out / "index.html", page("leaderboard", index_body(note), 0, _index_data(site, views)))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and not p.is_symlink())
    return BuildReport(out, n_pages, len(jobs), errors, time.perf_counter() - t0, size, has_viewer)
