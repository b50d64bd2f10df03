"""Ray casts against a pybullet client: argument checks, batching and hit records."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scene_gym.errors import SceneGymError

BATCH = 8192  # pybullet refuses batches of 16384 rays or more


@dataclass(frozen=True)
class RayHit:
    """The first thing a ray hits.

    Attributes:
        object_id: the object's id, ``"floor"``, ``"wall"``, ``"ceiling"``, or None when nothing was hit.
        point: (3,) hit point, metres (None on a miss).
        normal: (3,) unit surface normal at the hit (None on a miss).
        distance: metres from the ray's origin (``inf`` on a miss).
        wall: index of the wall hit, when ``object_id == "wall"``.
    """

    object_id: str | None
    point: np.ndarray | None
    normal: np.ndarray | None
    distance: float
    wall: int | None = None

    @property
    def hit(self) -> bool:
        """True when the ray hit something."""
        return self.object_id is not None


def ray_segments(origins, directions, max_dist: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points (N, 3) of rays; one origin or one direction is broadcast to the other's count."""
    o = np.atleast_2d(np.asarray(origins, dtype=float))
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    if o.ndim != 2 or o.shape[1] != 3 or d.ndim != 2 or d.shape[1] != 3:
        raise SceneGymError(f"expected origins and directions of shape (N, 3), got {o.shape} and {d.shape}")
    if len(d) == 1 and len(o) > 1:
        d = np.repeat(d, len(o), axis=0)
    if len(o) == 1 and len(d) > 1:
        o = np.repeat(o, len(d), axis=0)
    if len(o) != len(d):
        raise SceneGymError(f"expected as many directions as origins, got {len(d)} and {len(o)}")
    if not (np.isfinite(o).all() and np.isfinite(d).all()):
        raise SceneGymError("expected finite ray origins and directions, got NaN or infinity")
    if not (math.isfinite(max_dist) and max_dist > 0):
        raise SceneGymError(f"expected max_dist > 0 metres, got {max_dist!r}")
    norm = np.linalg.norm(d, axis=1)
    if (norm < 1e-12).any():
        raise SceneGymError(f"expected non-zero ray directions, got a zero vector at index {int(np.argmin(norm))}")
    return o, o + d / norm[:, None] * max_dist


def cast(p, cid: int, starts: np.ndarray, ends: np.ndarray,
         label: Callable[[int], tuple[str | None, int | None]]) -> list[RayHit]:
    """``rayTestBatch`` in batches; ``label(body)`` names what a body is (object id or room part, wall)."""
    lengths = np.linalg.norm(ends - starts, axis=1)
    hits: list[RayHit] = []
    for first in range(0, len(starts), BATCH):
        batch = p.rayTestBatch(starts[first : first + BATCH].tolist(), ends[first : first + BATCH].tolist(),
                               physicsClientId=cid)  # fmt: skip
        for k, (body, _link, fraction, position, normal) in enumerate(batch, start=first):
            if body < 0:
                hits.append(RayHit(None, None, None, math.inf))
                continue
            name, wall = label(body)
            hits.append(RayHit(name, np.asarray(position, dtype=float), np.asarray(normal, dtype=float),
                               float(fraction) * float(lengths[k]), wall))  # fmt: skip
    return hits
