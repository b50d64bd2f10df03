"""Candidate poses for small objects on the support surfaces of others (table tops, shelf boards, drawers).

Surfaces come from each supporting object's asset program (``build_asset(...).surfaces``, moved into the room
by :func:`scene_gym.layout.scene_view.surfaces_of`); an object may stand on one when its height fits under the
surface's clearance and its footprint, turned as the support or by 90 degrees, fits inside the rectangle.
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.assets import get_factory
from scene_gym.errors import UnknownCategoryError
from scene_gym.layout.constraints import Candidates
from scene_gym.layout.scene_view import Layout, surfaces_of


def _is_small(category: str) -> bool:
    try:
        return bool(get_factory(category).small)
    except UnknownCategoryError:
        return False


def auto_supports(layout: Layout, size) -> list[str]:
    """Up to three objects to put a small object of ``size`` on when none was named: those with the largest
    surface it fits on (never small objects, thin coverings, or wall and ceiling objects)."""
    w, d, h = size
    scored = []
    for oid, b in layout.boxes.items():
        if b.thin or b.parent in ("wall", "ceiling") or _is_small(b.category):
            continue
        fit = [s.w * s.d for s in surfaces_of(b) if s.clearance >= h and min(s.w, s.d) >= min(w, d)
               and max(s.w, s.d) >= max(w, d)]  # fmt: skip
        if fit:
            scored.append((-max(fit), oid))
    return [oid for _, oid in sorted(scored)[:3]]


def surface_candidates(layout: Layout, parents: list[str], size, rng: np.random.Generator, k: int) -> Candidates:
    """About ``k`` poses on the surfaces of ``parents`` ("top" first, then the largest; four at most per
    parent): random points plus the centre and the four corners of the region where the footprint fits.
    Each pose's tag is ``"surface:<parent id>"``."""
    w, d, h = size
    xs, ys, yaws, zs, tags = [], [], [], [], []
    for pid in parents:
        surfs = [s for s in surfaces_of(layout.boxes[pid]) if s.clearance >= h - 1e-9]
        surfs = sorted(surfs, key=lambda s: (s.name != "top", -s.w * s.d))[:4]
        for s in surfs:
            for rel_yaw in (0.0, math.pi / 2):
                ex, ey = (w / 2, d / 2) if rel_yaw == 0.0 else (d / 2, w / 2)
                rx, ry = s.w / 2 - ex, s.d / 2 - ey
                if rx < 0 or ry < 0:
                    continue
                m = max(2, k // (2 * len(surfs)))
                lx = np.concatenate([rng.uniform(-rx, rx, m), [0.0, -rx, rx, -rx, rx]])
                ly = np.concatenate([rng.uniform(-ry, ry, m), [0.0, -ry, -ry, ry, ry]])
                c, sn = math.cos(s.yaw), math.sin(s.yaw)
                xs.append(s.x + c * lx - sn * ly)
                ys.append(s.y + sn * lx + c * ly)
                yaws.append(np.full(len(lx), s.yaw + rel_yaw))
                zs.append(np.full(len(lx), s.z))
                tags += [f"surface:{pid}"] * len(lx)
    if not tags:
        return Candidates([], [], [], [], size, [])
    return Candidates(np.concatenate(xs), np.concatenate(ys), np.concatenate(yaws), np.concatenate(zs), size, tags)
