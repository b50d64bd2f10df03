"""GLB models for the site's 3D viewer, made at build time from each scene's ``scene.json``.

Scenes are deduplicated by :func:`scene_hash` (sha256 of the scene's canonical JSON), so identical scenes of
several entries share one file. Each model is written as ``glb/<hash>.js``: one statement
``window.SCENE_GYM_GLB = "<base64 of the gzipped GLB>";``. A script file, not a ``.glb`` fetched by the
viewer, because Chromium refuses ``fetch`` of ``file://`` URLs; the page's script gunzips it
(``DecompressionStream``) into a ``blob:`` URL for ``<model-viewer>``. Gzip makes the procedural meshes about
3.5 times smaller; base64 adds a third back.

:func:`write_models` exports in worker processes (``spawn``), one scene each, and skips hashes whose file is
already there (a rebuild into the same folder redoes only new scenes).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

MAX_GLB_BYTES = 64 * 2**20


def scene_hash(scene_dict: Mapping) -> str:
    """The first 24 hex digits of sha256 of the scene's JSON with sorted keys (identical scenes, same hash)."""
    text = json.dumps(scene_dict, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def glb_script(glb: bytes) -> str:
    """The ``glb/<hash>.js`` text for GLB bytes (module docstring)."""
    return 'window.SCENE_GYM_GLB = "' + base64.b64encode(gzip.compress(glb, 6, mtime=0)).decode() + '";\n'


def _export_one(job: tuple[str, str]) -> tuple[str, str | None]:
    """Worker: (scene JSON text, output .js path) -> (path, None) or (path, error message)."""
    text, out = job
    try:
        from scene_gym.assets.validation import check_scene
        from scene_gym.export import export_scene
        from scene_gym.scene import Scene
        from scene_gym.scene.io import atomic_write

        scene = Scene.from_json(text)
        check_scene(scene)
        with tempfile.TemporaryDirectory() as tmp:
            (path,) = [p for p in export_scene(scene, "glb", tmp) if p.suffix == ".glb"]
            glb = path.read_bytes()
        if len(glb) > MAX_GLB_BYTES:
            return out, f"GLB of {len(glb)} bytes is over the {MAX_GLB_BYTES} byte limit"
        atomic_write(out, glb_script(glb))
        return out, None
    except Exception as err:  # noqa: BLE001 - one bad scene must not stop the build; it is reported
        return out, f"{type(err).__name__}: {str(err)[:300]}"


def write_models(jobs: Mapping[str, str], folder: Path, workers: int | None = None) -> dict[str, str]:
    """Write ``folder/<hash>.js`` for every ``hash -> scene JSON text`` in ``jobs`` whose file is missing,
    ``workers`` processes at a time (default: the usable CPUs, at most 8). Returns ``hash -> error`` for the
    scenes that could not be exported (their pages say the 3D view is missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    todo = [(text, str(folder / f"{h}.js")) for h, text in jobs.items() if not (folder / f"{h}.js").is_file()]
    if not todo:
        return {}
    if workers is None:
        try:
            workers = len(os.sched_getaffinity(0))
        except AttributeError:
            workers = os.cpu_count() or 1
    workers = max(1, min(8, workers, len(todo)))
    if workers == 1:
        results = [_export_one(j) for j in todo]
    else:
        import multiprocessing as mp

        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
            results = list(pool.map(_export_one, todo, chunksize=max(1, len(todo) // (workers * 8))))
    return {Path(out).stem: err for out, err in results if err}
