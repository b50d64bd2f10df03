"""Shared pybullet plumbing: a quiet ``import pybullet``, pybullet's quaternion order and convex mesh shapes
that do not leak their vertices.

Used by the physics world and by render's ``tiny`` backend (TinyRenderer), which imports it from here: a
renderer may import physics, never the other way round.
"""

from __future__ import annotations

import ctypes
import os
import sys

import numpy as np


def import_pybullet():
    """The pybullet module, imported without the build-time banner its C code prints to stderr on import.

    Keeps the CLI's output clean (``scene-gym eval`` prints one JSON object).
    """
    if "pybullet" in sys.modules:
        return sys.modules["pybullet"]
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            import pybullet
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return pybullet


def quat_xyzw(rotation: np.ndarray) -> list[float]:
    """pybullet's (x, y, z, w) quaternion of a (3, 3) rotation matrix."""
    from scene_gym.assets.transforms import matrix_quat

    w, x, y, z = matrix_quat(rotation)
    return [x, y, z, w]


def create_convex_mesh(p, cid: int, vertices) -> int:
    """A convex-hull collision shape of ``vertices`` ((V, 3) metres) in client ``cid``; returns its shape id.

    pybullet 3.2's ``createCollisionShape(GEOM_MESH, vertices=...)`` takes two references to the vertex
    sequence and to every vertex and never gives them back (``extractVertices`` in pybullet.c calls
    ``PySequence_Fast``/``PySequence_GetItem`` without the matching ``Py_DECREF``), so the Python objects of
    every vertex list passed in live until the process ends, client disconnects included: about 1 KB per
    6-vertex floor slab, on every room change. Here the vertices are passed as fresh lists that nothing else
    holds, and the references the call added (measured with ``sys.getrefcount``, so a pybullet that releases
    them is left alone) are released afterwards.
    """
    verts = [[float(x), float(y), float(z)] for x, y, z in vertices]
    before = [sys.getrefcount(verts)] + [sys.getrefcount(v) for v in verts]
    sid = p.createCollisionShape(p.GEOM_MESH, vertices=verts, physicsClientId=cid)
    after = [sys.getrefcount(verts)] + [sys.getrefcount(v) for v in verts]
    for obj, b, a in zip([verts, *verts], before, after, strict=True):
        _release(obj, a - b)
    return int(sid)


def _release(obj, count: int) -> None:
    """Drop ``count`` references to ``obj`` that a C extension took and never released."""
    if count <= 0:
        return
    ref = ctypes.py_object(obj)
    for _ in range(count):
        ctypes.pythonapi.Py_DecRef(ref)
