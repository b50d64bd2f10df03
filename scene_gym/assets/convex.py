"""Convex decomposition of concave meshes for collision, cached per mesh.

Physics collides every mesh part as one convex hull, so a concave user mesh (a U-shaped shelf, a table on legs)
would "collide" with anything in its openings. :func:`decompose` splits such a mesh into convex pieces that
:mod:`scene_gym.assets.mesh_assets` draws as collision-only parts.

Method. The mesh is first split into connected components; a component whose hull volume is within
:data:`CONVEX_RATIO` of its own volume is taken as its hull (a table of five boxes becomes five exact boxes in
milliseconds). Each remaining concave component is decomposed with CoACD (Wei et al., SIGGRAPH 2022; the
``coacd`` package) under a shared cap of ``max_pieces``; with more components than the cap the whole mesh goes to
CoACD in one run. Every piece is replaced by the convex hull of its points, and pieces under a millionth of the
mesh's hull volume are dropped.

Why CoACD and not V-HACD (``pybullet.vhacd``): ``benchmarks/compare_convex.py`` on this machine (2 cores shared
with other jobs, so the seconds are rough), ``max_pieces = 16``; IoU of the pieces' union with the mesh and
"filled", the share of the free space in the mesh's opening that the pieces cover, from 20,000 random points
(``decompose`` is this module: components first, then CoACD):

- U shelf: decompose 1.7 s, 3 pieces, IoU 0.998, filled 0; CoACD alone 1.1 s, 3, 0.999, 0;
  V-HACD 10.9 s, 3, 0.905, 0.020.
- table (five boxes): decompose 0.16 s, 5, 1.000, 0; CoACD alone 50 s, 6, 0.793, 0.011; V-HACD 24 s, 6, 0.866,
  0.007.
- torus: decompose 13.9 s, 14, 0.962, 0.011; CoACD alone 9.2 s, 12, 0.944, 0.020; V-HACD 81.5 s, 16, 0.914, 0.015.
- ring: decompose 6.8 s, 14, 0.961, 0.032; CoACD alone 7.7 s, 14, 0.957, 0.036; V-HACD 20.1 s, 13, 0.893, 0.060.

CoACD cuts with planes, so the U shelf's pieces are its three boards to 0.1 mm; V-HACD's voxels grow the side
walls 3-7 mm into the opening and need pybullet's OBJ file round trip. CoACD is a 13 MB abi3 wheel with no
dependency but numpy; it is imported only when a mesh needs decomposing.

Cache. Results are keyed by the SHA-256 of the vertex and face bytes plus the settings and
:data:`CACHE_VERSION`, kept in process (:data:`MEMORY_ENTRIES` entries) and on disk as
``<key>.npz`` under :func:`cache_dir` (``$SCENE_GYM_CACHE_DIR/convex``, else ``~/.cache/scene_gym/convex``),
written atomically. A file is used only when it parses without pickles, names the same key, matches the SHA-256
of its own arrays, and holds 1 to ``max_pieces`` pieces of at least 4 finite vertices with valid face indices
inside the mesh's (slightly grown) bounding box; anything else is recomputed and overwritten. A cache folder
that cannot be written costs only the recomputation next time.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
from collections import OrderedDict
from pathlib import Path

import numpy as np
import trimesh

from scene_gym.errors import AssetError

__all__ = ["CACHE_VERSION", "CONVEX_RATIO", "DEFAULT_MAX_PIECES", "MAX_PIECES", "cache_dir", "clear_memory_cache",
           "decompose", "is_convex"]  # fmt: skip

#: A (watertight) mesh whose hull volume is at most this times its own volume counts as convex.
CONVEX_RATIO = 1.05
#: Default and largest number of convex pieces per mesh.
DEFAULT_MAX_PIECES = 16
MAX_PIECES = 64
#: Bumped whenever the method changes, so older cache files are not reused.
CACHE_VERSION = "convex-v1"
#: Entries of the in-process cache.
MEMORY_ENTRIES = 256
#: Pieces smaller than this share of the mesh's hull volume are dropped (slivers).
_MIN_PIECE_SHARE = 1e-6
#: How far (share of the largest extent) a cached piece may reach outside the mesh's bounding box.
_BOUNDS_SLACK = 0.05

Piece = tuple[np.ndarray, np.ndarray]
_memory: OrderedDict[str, tuple[Piece, ...]] = OrderedDict()


def cache_dir() -> Path:
    """Folder of the on-disk cache: ``$SCENE_GYM_CACHE_DIR/convex``, else ``~/.cache/scene_gym/convex``."""
    root = os.environ.get("SCENE_GYM_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "scene_gym")
    return Path(root) / "convex"


def clear_memory_cache() -> None:
    """Forget the in-process results (the disk cache stays)."""
    _memory.clear()


def is_convex(vertices: np.ndarray, faces: np.ndarray) -> bool:
    """True when the mesh is closed and its convex hull's volume is at most :data:`CONVEX_RATIO` times its own.

    vertices : (N, 3) float metres; faces : (M, 3) int. A mesh that is not watertight has no volume to compare
    and counts as not convex.
    """
    tm = trimesh.Trimesh(np.asarray(vertices, dtype=float), np.asarray(faces, dtype=np.int64), process=True)
    return _convex_enough(tm)


def decompose(vertices: np.ndarray, faces: np.ndarray, *, max_pieces: int = DEFAULT_MAX_PIECES,
              threshold: float = 0.05, seed: int = 0) -> list[Piece]:  # fmt: skip
    """Convex pieces covering a triangle mesh, from the cache when this mesh and these settings were seen.

    Args:
        vertices: (N, 3) float metres; faces: (M, 3) int vertex indices.
        max_pieces: at most this many pieces, 1 to :data:`MAX_PIECES`.
        threshold: CoACD's concavity threshold, in (0, 1] of the mesh's size (smaller: more, finer pieces).
        seed: CoACD's random seed.

    Returns:
        A list of (V_i (K, 3) float64 metres, F_i (L, 3) int64) convex hulls, in the mesh's frame; the arrays
        are read-only and shared with the cache.

    Raises:
        AssetError: naming the argument for bad input, or saying why the decomposition failed (CoACD missing
            or raising, no usable piece).
    """
    v, f = _checked_mesh(vertices, faces)
    if isinstance(max_pieces, bool) or not isinstance(max_pieces, int) or not 1 <= max_pieces <= MAX_PIECES:
        raise AssetError(f"max_pieces: expected an integer in [1, {MAX_PIECES}], got {max_pieces!r}")
    if not isinstance(threshold, int | float) or not math.isfinite(threshold) or not 0 < threshold <= 1:
        raise AssetError(f"threshold: expected a number in (0, 1], got {threshold!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
        raise AssetError(f"seed: expected an integer in [0, 2**31), got {seed!r}")
    settings = {"max_pieces": max_pieces, "threshold": float(threshold), "seed": seed}
    key = _cache_key(v, f, settings)
    pieces = _memory.get(key)
    if pieces is None:
        path = cache_dir() / f"{key}.npz"
        pieces = _read_cache(path, key, v, max_pieces)
        if pieces is None:
            pieces = tuple(_compute(v, f, max_pieces, float(threshold), seed))
            _write_cache(path, key, pieces)
        _memory[key] = pieces
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)
    _memory.move_to_end(key)
    return list(pieces)


# --- checks and keys ---------------------------------------------------------------------------------------
def _checked_mesh(vertices, faces) -> tuple[np.ndarray, np.ndarray]:
    try:
        v = np.ascontiguousarray(vertices, dtype="<f8")
        f = np.ascontiguousarray(faces, dtype="<i8")
    except (TypeError, ValueError, OverflowError) as err:
        raise AssetError(f"vertices/faces: expected numeric arrays, got an error: {err}") from None
    if v.ndim != 2 or v.shape[1] != 3 or len(v) < 4 or not np.isfinite(v).all():
        raise AssetError(f"vertices: expected (N >= 4, 3) finite metres, got shape {v.shape}")
    if f.ndim != 2 or f.shape[1] != 3 or len(f) < 4 or f.min() < 0 or f.max() >= len(v):
        raise AssetError(f"faces: expected (M >= 4, 3) indices in [0, {len(v) - 1}], got shape {f.shape}")
    return v, f


def _cache_key(v: np.ndarray, f: np.ndarray, settings: dict) -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    h.update(json.dumps(settings, sort_keys=True).encode())
    h.update(np.asarray(v.shape, dtype="<i8").tobytes() + v.tobytes())
    h.update(np.asarray(f.shape, dtype="<i8").tobytes() + f.tobytes())
    return h.hexdigest()


def _digest(counts: np.ndarray, verts: np.ndarray, faces: np.ndarray) -> str:
    h = hashlib.sha256()
    for a in (counts, verts, faces):
        h.update(np.asarray(a.shape, dtype="<i8").tobytes() + np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


# --- disk cache --------------------------------------------------------------------------------------------
def _write_cache(path: Path, key: str, pieces: tuple[Piece, ...]) -> None:
    from scene_gym.scene.io import atomic_write

    counts = np.array([[len(pv), len(pf)] for pv, pf in pieces], dtype="<i8")
    verts = np.concatenate([pv for pv, _ in pieces]).astype("<f8")
    faces = np.concatenate([pf for _, pf in pieces]).astype("<i8")
    buf = io.BytesIO()
    np.savez(buf, key=np.array(key), digest=np.array(_digest(counts, verts, faces)), counts=counts,
             vertices=verts, faces=faces)  # fmt: skip
    try:
        atomic_write(path, buf.getvalue())
    except OSError:
        pass  # an unwritable cache only costs a recomputation next time


def _read_cache(path: Path, key: str, v: np.ndarray, max_pieces: int) -> tuple[Piece, ...] | None:
    """The pieces stored at ``path`` if the file is complete and consistent (module docstring), else None."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            stored_key, digest = str(data["key"][()]), str(data["digest"][()])
            counts, verts, faces = data["counts"], data["vertices"], data["faces"]
    except Exception:  # noqa: BLE001 - any unreadable file (truncated zip, bad header, missing array) is recomputed
        return None
    if stored_key != key or counts.ndim != 2 or counts.shape[1] != 2 or not 1 <= len(counts) <= max_pieces:
        return None
    if verts.ndim != 2 or verts.shape[1] != 3 or faces.ndim != 2 or faces.shape[1] != 3:
        return None
    if counts.dtype.kind != "i" or faces.dtype.kind != "i" or verts.dtype.kind != "f":
        return None
    if counts.min() < 4 or counts[:, 0].sum() != len(verts) or counts[:, 1].sum() != len(faces):
        return None
    if digest != _digest(counts, verts, faces) or not np.isfinite(verts).all():
        return None
    lo, hi = v.min(axis=0), v.max(axis=0)
    slack = _BOUNDS_SLACK * float((hi - lo).max())
    if (verts < lo - slack).any() or (verts > hi + slack).any():
        return None
    pieces = []
    vo = fo = 0
    for nv, nf in counts.tolist():
        pv, pf = verts[vo : vo + nv].astype(float), faces[fo : fo + nf].astype(np.int64)
        vo, fo = vo + nv, fo + nf
        if pf.min() < 0 or pf.max() >= nv:
            return None
        pieces.append(_frozen(pv, pf))
    return tuple(pieces)


# --- computation -------------------------------------------------------------------------------------------
def _compute(v: np.ndarray, f: np.ndarray, max_pieces: int, threshold: float, seed: int) -> list[Piece]:
    """Convex pieces of a checked mesh (see the module docstring for the method)."""
    mesh = trimesh.Trimesh(v, f, process=True)
    components = mesh.split(only_watertight=False) if len(mesh.faces) else []
    if not 1 <= len(components) <= max_pieces:
        components = [mesh]
    convex = [c for c in components if _convex_enough(c)]
    concave = sorted((c for c in components if not _convex_enough(c)), key=lambda c: -c.convex_hull.volume)
    pieces = [c.convex_hull for c in convex]
    budget = max_pieces - len(pieces)
    for i, comp in enumerate(concave):
        cap = max(1, budget - (len(concave) - i - 1))
        found = _run_coacd(comp, cap, threshold, seed) if cap > 1 else [comp.convex_hull]
        pieces.extend(found)
        budget -= len(found)
    floor = _MIN_PIECE_SHARE * float(mesh.convex_hull.volume)
    out = []
    for piece in pieces:
        hull = _hull(np.asarray(piece.vertices, dtype=float))
        if hull is not None and hull.volume > floor:
            out.append(_frozen(np.asarray(hull.vertices, dtype=float), np.asarray(hull.faces, dtype=np.int64)))
    if not out:
        raise AssetError("convex decomposition produced no piece with volume (is the mesh flat?)")
    return out[:max_pieces]


def _convex_enough(mesh: trimesh.Trimesh) -> bool:
    if not mesh.is_watertight or not mesh.is_winding_consistent:
        return False
    volume = abs(float(mesh.volume))
    hull = _hull(np.asarray(mesh.vertices, dtype=float))
    return volume > 0 and hull is not None and hull.volume <= CONVEX_RATIO * volume


def _hull(points: np.ndarray) -> trimesh.Trimesh | None:
    """Convex hull of points, or None when they span no volume."""
    if len(points) < 4:
        return None
    try:
        hull = trimesh.convex.convex_hull(points)
    except Exception:  # noqa: BLE001 - qhull refuses flat or degenerate point sets
        return None
    return hull if len(hull.faces) >= 4 and hull.volume > 0 else None


def _run_coacd(mesh: trimesh.Trimesh, cap: int, threshold: float, seed: int) -> list[trimesh.Trimesh]:
    """CoACD on one component: at most ``cap`` pieces, as trimeshes (hulls are taken by the caller)."""
    try:
        import coacd
    except ImportError:
        raise AssetError("convex decomposition needs the 'coacd' package (pip install coacd); or set "
                         "\"collision\": \"hull\" in the sidecar JSON") from None  # fmt: skip
    coacd.set_log_level("error")
    try:
        parts = coacd.run_coacd(coacd.Mesh(np.asarray(mesh.vertices, dtype=float), np.asarray(mesh.faces)),
                                threshold=threshold, max_convex_hull=cap, seed=seed)  # fmt: skip
    except Exception as err:  # noqa: BLE001 - a native failure becomes one clear error
        raise AssetError(f"convex decomposition failed: CoACD raised {type(err).__name__}: {err}") from None
    return [trimesh.Trimesh(np.asarray(pv, dtype=float), np.asarray(pf, dtype=np.int64), process=False)
            for pv, pf in parts if len(pv) >= 4]  # fmt: skip


def _frozen(v: np.ndarray, f: np.ndarray) -> Piece:
    v, f = np.array(v, dtype=float), np.array(f, dtype=np.int64)
    v.setflags(write=False)
    f.setflags(write=False)
    return v, f
