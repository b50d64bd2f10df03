"""The asset-level reward (``make_reward("asset")``): does what rests on a receptacle suit it, and is it well put?

The scene is an asset-level one (``SceneSynthAsset-v2``): one **receptacle**, the first floor object that has
something resting on it (else the first object), and its **items**, every object whose ``parent`` chain leads
to it. Item positions are read in the receptacle's frame (:meth:`~scene_gym.scene.SceneObject.transform`); an
item directly on the receptacle lies on the support surface under it
(:func:`~scene_gym.actions.edit.surfaces.surface_under`), the **main surface** is the receptacle's largest
base-link surface (the one :func:`~scene_gym.actions.edit.place_on` fills first). Each item's footprint is
sampled on a 5 x 5 grid; its **overhang** ``o_i`` is the share of those samples off its support (the surface
under it, or the footprint of the item it rests on; 1 when no surface is under it). The tables are
:mod:`scene_gym.rewards.asset_affinity`'s. With ``n`` items, every term is in [0, 1]:

- **fit** = mean over items of ``f_i = max(affinity(receptacle, item), 0.9 if a prompt word asks for the item,
  1 if the task spec requests it) * 0.7 ** max(0, k_i - allowance)``: ``k_i`` counts this category so far
  (the third mug decays), ``allowance`` is the spec's count, else 4 for plates, bowls, cups, glasses, books and
  notebooks, else 2.
- **arrangement** = mean of ``a_i = 0.35 edge_i + 0.15 group_i + 0.25 spacing_i + 0.25 stack_i``:

  - ``edge_i = near_i * parallel_i``: ``near_i`` is 1 when the footprint's gap to the nearest edge of its
    surface (back and sides; the front too unless it is the user's side, :data:`~.asset_affinity.FREE_ZONES`)
    is at most 5 cm, falling linearly to 0 at 25 cm; on :data:`~.asset_affinity.CENTRE_LINE` receptacles the
    long centre line counts as an edge (centre within 8 cm); 0 when the item overhangs (``o_i > 0.02``).
    ``parallel_i`` is 1 within 10 degrees of square to the receptacle, 0 from 45. A stacked item takes the
    edge score of the item at the bottom of its stack.
  - ``group_i``: 1 with no other item of its family (:data:`~.asset_affinity.FAMILIES`), else 1 when the
    nearest one is within 0.4 m (horizontal centre distance), 0 from 1 m.
  - ``spacing_i = 1 / (1 + max(0, c_i - 1))``, ``c_i`` the other items within 15 cm (centre to centre,
    horizontally), not counting a like item in the same stack (a pile of books is one pile): one neighbour is
    company, more is a pile.
  - ``stack_i``: 1 on the receptacle, else :func:`~.asset_affinity.stack_fit` (a book on a book 1, a plate on
    a lamp 0.1).
- **free_area**: with a zone (:data:`~.asset_affinity.FREE_ZONES`: a desk's front strip, a dining table's place
  settings, a counter's work zone), the share of a 16 x 8 grid over the zone not covered by an item that does not
  belong there; without one, breathing room ``min(1, (1 - covered) / 0.5)``, ``covered`` the share of the main
  surface's grid under any item.
- **stability** = mean of ``s_i = 0`` when the physics check flags the item (colliding, unsupported or out of
  bounds: :func:`scene_gym.metrics.evaluate`, cached on the context under ``"metrics"`` as the judge's),
  else ``max(0, 1 - 2 o_i)`` (a quarter off the edge halves it).
- **richness** = ``min(1, sum(f_i) / target)``: how dressed the receptacle is, counting each item by its fit
  (unrelated things do not dress a desk); ``target`` is the receptacle's :data:`~.asset_affinity.TARGET_COUNT`
  (default 3), or the number of items the spec requests if more.

``value = 0.4 fit + 0.2 arrangement + 0.1 free_area + 0.2 stability + 0.1 richness`` (weights sum to 1, so
the value is in [0, 1]). Semantic fit weighs most: it is what a filling-the-surface reward misses.

**Nothing for nothing**: an empty receptacle (or an empty scene) scores ``value = 0`` (terms: fit 0,
arrangement 0, free_area 1, stability 1, richness 0). Every term is >= 0, so no placement scores below it, and
a sensible single placement (fit >= 0.8, resting in place) scores at least 0.4 * 0.8 + 0.2 * 1 > 0.5.

Worked examples (``tests/rewards/test_asset_reward.py``), a desk with the prompt "a desk" (target 4):

- a laptop alone in the back-left corner: fit 1, arrangement 1, free_area 1, stability 1, richness 1/4:
  value = 0.4 + 0.2 + 0.1 + 0.2 + 0.025 = **0.925**;
- a dumbbell in the same corner: fit 0.05, richness 0.0125, the rest 1: value = 0.02 + 0.5 + 0.00125 =
  **0.52125** (well put, but out of place: the laptop scores 0.40375 more).
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.rewards import asset_affinity as table
from scene_gym.rewards.base import Reward, RewardContext, RewardResult

WEIGHTS = {"fit": 0.4, "arrangement": 0.2, "free_area": 0.1, "stability": 0.2, "richness": 0.1}
"""Weights of the value's weighted mean (sum 1)."""
EMPTY_TERMS = {"fit": 0.0, "arrangement": 0.0, "free_area": 1.0, "stability": 1.0, "richness": 0.0}
"""Terms reported for an empty receptacle (its value is 0)."""
EDGE_NEAR, EDGE_FAR = 0.05, 0.25
CENTRE_NEAR = 0.08
GROUP_NEAR, GROUP_FAR = 0.4, 1.0
PILE_RADIUS = 0.15
OVERHANG_TOL = 0.02
SET_ITEMS = frozenset({"plate", "bowl", "cup", "drinking_glass", "book", "notebook"})
_G = (np.arange(5) + 0.5) / 5 - 0.5  # 5 sample offsets across a footprint, as fractions of its side


def find_receptacle(scene):
    """The scene's receptacle: the first floor object with something resting on it, else the first object
    (None for an empty scene)."""
    objects = scene.objects
    for o in objects:
        if o.parent == "floor" and scene.children(o.id):
            return o
    return objects[0] if objects else None


def _samples(obj) -> np.ndarray:
    """(25, 2) room-frame points over ``obj``'s footprint."""
    w, d = obj.size[0], obj.size[1]
    local = np.array([(x * w, y * d) for x in _G for y in _G])
    c, s = math.cos(obj.yaw), math.sin(obj.yaw)
    return local @ np.array([[c, s], [-s, c]]) + np.array(obj.position[:2])


def _to_local(frame: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Room (N, 2) points into the frame of the (4, 4) pose ``frame`` (x, y only)."""
    inv = np.linalg.inv(frame)
    return pts @ inv[:2, :2].T + inv[:2, 3]


def _inside(pts: np.ndarray, lo, hi) -> np.ndarray:
    return (pts[:, 0] >= lo[0]) & (pts[:, 0] <= hi[0]) & (pts[:, 1] >= lo[1]) & (pts[:, 1] <= hi[1])


def _ramp(x: float, near: float, far: float) -> float:
    """1 up to ``near``, 0 from ``far``, linear between."""
    return 1.0 if x <= near else max(0.0, 1.0 - (x - near) / (far - near))


class _Item:
    """One item seen from the receptacle: its support rectangle (lo, hi) in the frame it is read in, its
    overhang and, for items on the receptacle, its surface."""

    def __init__(self, obj, rec, surface, frame_obj):
        self.obj, self.surface = obj, surface
        pts = _to_local(frame_obj.transform(), _samples(obj))
        if surface is not None:
            half = np.array(surface.size) / 2
            self.lo, self.hi = np.array(surface.center[:2]) - half, np.array(surface.center[:2]) + half
        elif frame_obj is not rec:
            self.lo, self.hi = -np.array(frame_obj.size[:2]) / 2, np.array(frame_obj.size[:2]) / 2
        else:
            self.lo = self.hi = None
        self.pts = pts
        self.overhang = 1.0 if self.lo is None else float(1.0 - _inside(pts, self.lo, self.hi).mean())


class AssetReward(Reward):
    """The asset-level reward of the module docstring: ``value`` in [0, 1]; terms ``fit``, ``arrangement``,
    ``free_area``, ``stability``, ``richness``, each in [0, 1].

    Args:
        world: a :class:`~scene_gym.physics.PhysicsWorld` for the metrics when the context has none.
    """

    name = "asset"

    def __init__(self, world=None):
        from scene_gym.rewards.judge import OfflineJudge

        self._judge = OfflineJudge(world=world)  # for its cached metrics only

    def close(self) -> None:
        self._judge.close()

    def compute(self, scene, context: RewardContext) -> RewardResult:
        rec = find_receptacle(scene)
        items = scene.descendants(rec.id) if rec is not None else []
        if not items:
            return RewardResult(0.0, dict(EMPTY_TERMS))
        from scene_gym.actions.edit.surfaces import asset_of, surface_under

        asset = asset_of(rec)
        base = [s for s in asset.surfaces if s.link == "base"] or list(asset.surfaces)
        main = max(base, key=lambda s: s.area) if base else None
        by_id = {o.id: o for o in scene.objects}
        seen = {}
        for o in items:
            if o.parent == rec.id:
                local = np.linalg.inv(rec.transform()) @ np.array([*o.position, 1.0])
                seen[o.id] = _Item(o, rec, surface_under(asset, local[:3]), rec)
            else:
                seen[o.id] = _Item(o, rec, None, by_id[o.parent])
        spec = context.spec_for(scene)
        fits = self._fits(rec, items, context.prompt_for(scene), spec)
        terms = {
            "fit": fits / len(items),
            "arrangement": self._arrangement(rec, items, seen, by_id),
            "free_area": self._free_area(rec, items, main),
            "stability": self._stability(scene, context, items, seen),
            "richness": min(1.0, fits / self._target(rec, spec)),
        }
        terms = {k: min(1.0, max(0.0, v)) for k, v in terms.items()}
        return RewardResult(sum(WEIGHTS[k] * v for k, v in terms.items()), terms)

    # --- fit ------------------------------------------------------------------------------------------------
    @staticmethod
    def _requests(spec) -> dict[str, int]:
        from scene_gym.assets import factories

        fs = factories()
        return {
            c.category: max(1, c.count) for c in spec.objects if c.category in fs and fs[c.category].small
        }

    def _target(self, rec, spec) -> int:
        want = table.TARGET_COUNT.get(table.ALIASES.get(rec.category, rec.category), table.DEFAULT_TARGET)
        return max(want, sum(self._requests(spec).values()))

    def _fits(self, rec, items, prompt: str, spec) -> float:
        """``sum(f_i)`` over the items (module docstring)."""
        requested, cues = self._requests(spec), table.cued(prompt)
        counts: dict[str, int] = {}
        total = 0.0
        for o in items:
            cat = o.category
            counts[cat] = counts.get(cat, 0) + 1
            f = table.affinity(rec.category, cat)
            if cat in cues:
                f = max(f, table.CUE_FIT)
            if cat in requested:
                f = max(f, table.SPEC_FIT)
            allowance = requested.get(cat, 4 if cat in SET_ITEMS else 2)
            total += f * 0.7 ** max(0, counts[cat] - allowance)
        return total

    # --- arrangement ----------------------------------------------------------------------------------------
    def _edge(self, rec, item: _Item) -> float:
        if item.surface is None or item.overhang > OVERHANG_TOL:
            return 0.0
        zone = table.zone_for(rec.category)
        user_front = bool(zone and zone[2])
        lo_pts, hi_pts = item.pts.min(axis=0), item.pts.max(axis=0)
        gaps = [lo_pts[0] - item.lo[0], item.hi[0] - hi_pts[0], lo_pts[1] - item.lo[1]]
        if not user_front:
            gaps.append(item.hi[1] - hi_pts[1])
        near = _ramp(max(0.0, min(gaps)), EDGE_NEAR, EDGE_FAR)
        if rec.category in table.CENTRE_LINE:
            axis = 1 if (item.hi[0] - item.lo[0]) >= (item.hi[1] - item.lo[1]) else 0
            off = abs(item.pts[:, axis].mean() - (item.lo[axis] + item.hi[axis]) / 2)
            near = max(near, _ramp(off, CENTRE_NEAR, CENTRE_NEAR + EDGE_FAR - EDGE_NEAR))
        d = (item.obj.yaw - rec.yaw) % (math.pi / 2)
        d = math.degrees(min(d, math.pi / 2 - d))
        return near * _ramp(d, 10.0, 45.0)

    @staticmethod
    def _root(o, rec, by_id):
        while o.parent != rec.id and o.parent in by_id:
            o = by_id[o.parent]
        return o

    def _arrangement(self, rec, items, seen, by_id) -> float:
        xy = np.array([o.position[:2] for o in items])
        dist = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=-1)
        roots = [self._root(o, rec, by_id).id for o in items]
        edge_of = {}
        total = 0.0
        for i, o in enumerate(items):
            root = roots[i]
            if root not in edge_of:
                edge_of[root] = self._edge(rec, seen[root])
            fam = table.FAMILIES.get(o.category)
            mates = [
                dist[i, j]
                for j, p in enumerate(items)
                if j != i and fam and table.FAMILIES.get(p.category) == fam
            ]
            group = _ramp(min(mates), GROUP_NEAR, GROUP_FAR) if mates else 1.0
            crowd = sum(1 for j, p in enumerate(items) if j != i and dist[i, j] < PILE_RADIUS
                        and not (roots[j] == root and p.category == o.category))  # fmt: skip
            spacing = 1.0 / (1.0 + max(0, crowd - 1))
            parent = by_id.get(o.parent)
            stack = (
                1.0 if o.parent == rec.id or parent is None else table.stack_fit(parent.category, o.category)
            )
            total += 0.35 * edge_of[root] + 0.15 * group + 0.25 * spacing + 0.25 * stack
        return total / len(items)

    # --- free area ------------------------------------------------------------------------------------------
    def _free_area(self, rec, items, main) -> float:
        if main is None:
            return 1.0
        zone = table.zone_for(rec.category)
        rects = zone[0] if zone else ((-1.0, 1.0, -1.0, 1.0),)
        allowed = zone[1] if zone else frozenset()
        cx, cy, hx, hy = main.center[0], main.center[1], main.size[0] / 2, main.size[1] / 2
        grid = []
        for u0, u1, v0, v1 in rects:
            us, vs = np.linspace(u0, u1, 16), np.linspace(v0, v1, 8)
            grid += [(cx + u * hx, cy + v * hy) for u in us for v in vs]
        pts = np.array(grid) @ rec.transform()[:2, :2].T + rec.transform()[:2, 3]
        covered = np.zeros(len(pts), dtype=bool)
        for o in items:
            if o.category in allowed:
                continue
            local = _to_local(o.transform(), pts)
            covered |= _inside(local, -np.array(o.size[:2]) / 2, np.array(o.size[:2]) / 2)
        share = float(covered.mean())
        return 1.0 - share if zone else min(1.0, (1.0 - share) / 0.5)

    # --- stability ------------------------------------------------------------------------------------------
    def _stability(self, scene, context, items, seen) -> float:
        m = self._judge.metrics(scene, context)
        flagged = {i for pair in m.collisions for i in pair} | set(m.unsupported) | set(m.oob)
        return sum(
            0.0 if o.id in flagged else max(0.0, 1.0 - 2.0 * seen[o.id].overhang) for o in items
        ) / len(items)


__all__ = ["EMPTY_TERMS", "WEIGHTS", "AssetReward", "find_receptacle"]
