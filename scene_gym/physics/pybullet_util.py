"""Shared pybullet plumbing: a quiet ``import pybullet`` and pybullet's quaternion order.

Used by the physics world and by render's ``tiny`` backend (TinyRenderer), which imports it from here: a
renderer may import physics, never the other way round.
"""

from __future__ import annotations

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
