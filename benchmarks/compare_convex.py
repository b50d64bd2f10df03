"""CoACD against V-HACD (``pybullet.vhacd``) on a few concave meshes: time, pieces, and how well each keeps the
mesh's shape and its openings; the numbers behind the choice in :mod:`scene_gym.assets.convex`.

Usage: python benchmarks/compare_convex.py [--max-pieces 16] [--points 20000] [--json PATH]

Meshes, built here with trimesh: a U shelf (one closed mesh: bottom board and two side walls), a table (five
boxes), a torus and a ring (annulus). Per method: wall seconds, number of pieces, IoU of the pieces' union with the
mesh, and ``opening_filled``, the share of the free space in the mesh's opening that the pieces cover (0 is
perfect), from ``--points`` uniform points in the mesh's bounding box (inside-ness of the mesh by the generalised
winding number, of the pieces by Delaunay simplices). ``scene_gym`` is the package's own :func:`decompose`
(components first, then CoACD), with a fresh cache. Not part of ``perf.py``: V-HACD takes minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time

import numpy as np
import trimesh
from scipy.spatial import Delaunay


def u_shelf(w=0.8, d=0.4, h=0.6, t=0.04) -> trimesh.Trimesh:
    """A U profile in x-z extruded along y, as one closed mesh."""
    half = w / 2
    poly = [(-half, 0), (half, 0), (half, h), (half - t, h), (half - t, t), (-half + t, t), (-half + t, h), (-half, h)]
    n = len(poly)
    vertices = [(x, -d / 2, z) for x, z in poly] + [(x, d / 2, z) for x, z in poly]
    caps = [(0, 1, 4), (0, 4, 5), (1, 2, 3), (1, 3, 4), (0, 5, 6), (0, 6, 7)]
    faces = list(caps) + [(a + n, c + n, b + n) for a, b, c in caps]
    for i in range(n):
        j = (i + 1) % n
        faces += [(i, j, j + n), (i, j + n, i + n)]
    mesh = trimesh.Trimesh(np.array(vertices), np.array(faces), process=True)
    trimesh.repair.fix_normals(mesh)
    return mesh


def table() -> trimesh.Trimesh:
    """A 1.2 x 0.7 m top on four 5 cm legs: five touching boxes."""
    top = trimesh.creation.box((1.2, 0.7, 0.04))
    top.apply_translation((0, 0, 0.73))
    legs = []
    for sx in (-1, 1):
        for sy in (-1, 1):
            leg = trimesh.creation.box((0.05, 0.05, 0.71))
            leg.apply_translation((sx * 0.55, sy * 0.3, 0.355))
            legs.append(leg)
    return trimesh.util.concatenate([top, *legs])


def meshes():
    """(name, mesh, opening(points (N, 3)) -> bool (N,)) triples."""
    yield "u_shelf", u_shelf(), lambda q: (np.abs(q[:, 0]) < 0.36) & (q[:, 2] > 0.04)
    yield "table", table(), lambda q: (q[:, 2] < 0.71) & (np.abs(q[:, 0]) < 0.525) & (np.abs(q[:, 1]) < 0.275)
    yield "torus", trimesh.creation.torus(0.3, 0.06), lambda q: np.hypot(q[:, 0], q[:, 1]) < 0.24
    yield "ring", trimesh.creation.annulus(0.15, 0.2, 0.1), lambda q: np.hypot(q[:, 0], q[:, 1]) < 0.15


def winding(mesh: trimesh.Trimesh, points: np.ndarray) -> np.ndarray:
    """Generalised winding number (N,) of points (N, 3): about 1 inside a closed mesh, 0 outside."""
    total = np.zeros(len(points))
    for a, b, c in mesh.triangles:
        pa, pb, pc = a - points, b - points, c - points
        la, lb, lc = (np.linalg.norm(x, axis=1) for x in (pa, pb, pc))
        num = np.einsum("ij,ij->i", pa, np.cross(pb, pc))
        den = (la * lb * lc + np.einsum("ij,ij->i", pa, pb) * lc + np.einsum("ij,ij->i", pb, pc) * la
               + np.einsum("ij,ij->i", pc, pa) * lb)  # fmt: skip
        total += 2 * np.arctan2(num, den)
    return total / (4 * np.pi)


@contextlib.contextmanager
def quiet_stdout():
    """Silence C-level stdout (V-HACD and CoACD print progress there)."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def run_coacd(mesh, max_pieces):
    """Plain CoACD on the whole mesh (threshold 0.05, seed 0)."""
    import coacd

    coacd.set_log_level("error")
    parts = coacd.run_coacd(coacd.Mesh(mesh.vertices, mesh.faces), threshold=0.05, max_convex_hull=max_pieces, seed=0)
    return [np.asarray(v) for v, _ in parts]


def run_vhacd(mesh, max_pieces):
    """pybullet's V-HACD with its defaults (it reads and writes OBJ files); ``max_pieces`` is not settable there."""
    import pybullet as p

    folder = tempfile.mkdtemp()
    fin, fout, flog = (os.path.join(folder, x) for x in ("in.obj", "out.obj", "log.txt"))
    mesh.export(fin)
    client = p.connect(p.DIRECT)
    try:
        p.vhacd(fin, fout, flog, physicsClientId=client)
    finally:
        p.disconnect(client)
    pieces, current = [], []
    with open(fout) as f:
        for line in f:
            if line.startswith("o ") and current:
                pieces.append(np.array(current))
                current = []
            elif line.startswith("v "):
                current.append([float(x) for x in line.split()[1:4]])
    if current:
        pieces.append(np.array(current))
    return pieces


def run_scene_gym(mesh, max_pieces):
    """The package's decompose (components, then CoACD) with an empty cache."""
    os.environ["SCENE_GYM_CACHE_DIR"] = tempfile.mkdtemp()
    from scene_gym.assets import convex

    convex.clear_memory_cache()
    return [v for v, _ in convex.decompose(mesh.vertices, mesh.faces, max_pieces=max_pieces)]


def evaluate(mesh, pieces, opening, n_points, rng) -> tuple[float, float]:
    """(IoU of the pieces' union with the mesh, share of the opening's free space the pieces cover)."""
    lo, hi = mesh.bounds
    points = rng.uniform(lo, hi, size=(n_points, 3))
    in_mesh = winding(mesh, points) > 0.5
    in_pieces = np.zeros(n_points, bool)
    for v in pieces:
        if len(v) >= 4:
            in_pieces |= Delaunay(v).find_simplex(points) >= 0
    iou = (in_mesh & in_pieces).sum() / max((in_mesh | in_pieces).sum(), 1)
    free = opening(points) & ~in_mesh
    return float(iou), float((in_pieces & free).sum() / max(free.sum(), 1))


def main(argv=None) -> int:
    """Run every method on every mesh; print a table and optionally write JSON rows."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-pieces", type=int, default=16)
    ap.add_argument("--points", type=int, default=20000)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    rows = []
    for name, mesh, opening in meshes():
        for method, fn in (("scene_gym", run_scene_gym), ("coacd", run_coacd), ("vhacd", run_vhacd)):
            start = time.perf_counter()
            with quiet_stdout():
                pieces = fn(mesh, args.max_pieces)
            seconds = time.perf_counter() - start
            iou, filled = evaluate(mesh, pieces, opening, args.points, rng)
            rows.append({"case": f"{name}/{method}", "seconds": round(seconds, 3), "pieces": len(pieces),
                         "iou": round(iou, 3), "opening_filled": round(filled, 3)})  # fmt: skip
            r = rows[-1]
            print(f"{r['case']:20s} {seconds:7.2f} s  pieces {len(pieces):3d}  IoU {iou:.3f}  "
                  f"opening filled {filled:.3f}")  # fmt: skip
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
