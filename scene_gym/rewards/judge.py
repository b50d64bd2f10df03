"""The offline rule-based judge (the default): realism, functionality, layout and completeness on 0-10 from
documented formulas, no model and no network.

Inputs: the scene, its :mod:`scene_gym.metrics` (collisions, out-of-bounds, support, NAV, ACC), the tables of
:mod:`scene_gym.assets.room_priors.essentials`, the functional terms of :mod:`scene_gym.rewards.functional`
(each in [0, 1], None when the scene holds nothing they apply to; their formulas are in that module's
docstring) and the prompt's :class:`~scene_gym.spec.TaskSpec` checked by :mod:`scene_gym.rewards.spec_checks`.
``n`` is the number of counted objects (metrics: all but rugs, mats and doors). Every component below is in
[0, 1]; a component with nothing to measure is 1, except where said.

**Nothing for nothing.** A scene with no counted object gets 0 on all four grades (so ``Q_vis = Q = 0``): an
empty room, an empty trajectory or a policy that builds nothing earns nothing.

**Flaw factors.** Each grade is a base score times one factor per functional term of :data:`PENALTIES`:
``pen(t, w) = 1 - w * (1 - t)`` (1 when the term is None). A term at 0 costs the grade the share ``w``; the
weights say how bad the flaw is (a backwards wall cabinet or a doll-sized sofa: 0.5; pillows not at the
headboard: 0.3).

**Realism** ``R = 10 * p_phys * (0.6 * p_room + 0.4 * p_dens) * pen(scale, .5) * pen(clutter, .6) *
pen(wall_backs, .5)``

- ``p_phys = (1 - colliding/n) * (1 - out_of_bounds/n) * (1 - unsupported/n)`` (objects, not pairs);
- ``p_room``: share of counted objects whose category belongs in the room type (``AssetFactory.rooms``; a
  toilet in a restaurant does not);
- ``p_dens``: floor occupancy ``occ`` = footprint area of counted floor objects / floor area; 1 for
  ``occ`` in [0.1, 0.5], ``occ / 0.1`` below, ``1 - (occ - 0.5) / 0.3`` above (0 from 0.8).

**Functionality** ``F = 10 * (0.3 + 0.7 * e) * (0.4 * ACC + 0.35 * NAV + 0.25 * s) * pen(openings, .4) *
pen(bed_access, .4) * pen(desk_chair, .7) * pen(table_seats, .3) * pen(coverings, .3) * pen(pillows, .3) *
pen(lamps, .3)``

- ``e``: essentials coverage, ``(essential groups present + 0.5 * desirable groups present) /
  (essential groups + 0.5 * desirable groups)`` for the room type;
- ``s``: support coverage, the share of receptacles (tables, desks, nightstands, shelves...:
  :data:`~scene_gym.assets.room_priors.RECEPTACLES`) holding at least one object.

**Layout** ``L = 10 * weighted mean(rel: 0.4, wall: 0.25, align: 0.15, free: 0.2) * pen(seat_focus, .7) *
pen(tv_view, .7) * pen(conversation, .2) * pen(companions, .5)``

- ``rel``: mean satisfaction of the spec's relations (dropped, and the weights renormalised, when the spec
  has none);
- ``wall``: mean ``against_wall`` satisfaction (``max_gap`` 0.15 m) of the furniture that belongs against a
  wall (:data:`~scene_gym.assets.room_priors.AGAINST_WALL`) and stands on the floor;
- ``align``: share of counted floor objects turned parallel to a wall (within 5 degrees, modulo 90);
- ``free``: ``1 - colliding/n``.

**Completeness** ``C = 10 * weighted mean(counts: 0.4, attributes: 0.15, e: 0.25, richness: 0.2) * m``

- ``counts``, ``attributes``: means over the spec's entries (dropped when the spec has none);
- ``richness = 0.6 * min(1, floor / clip(area / 2.5 m², 3, 15)) + 0.4 * min(1, dressed / clip(area / 4 m², 2,
  12))``: about one piece of furniture per 2.5 m² (``floor``: counted objects standing on the floor) and one
  object resting on furniture per 4 m² (``dressed``); too many small objects are the realism's ``clutter``;
- ``m = 0.7`` when the spec names a room type other than the scene's, else 1.

The four grades give ``Q_vis``, ``Q`` and ``C`` by :mod:`scene_gym.rewards.scores`. ``Q = 0.1 * Q_phy + Q_vis``
stays SceneOrchestra's published formula (reward ``"q"``); it adds 0.1 per object, so a policy trained on it
learns to add objects. Train on ``"judge"`` (``Q_vis / 10``) or ``"quality"`` (Q over its best value for the
object count); report ``q`` to compare with SceneOrchestra.

Over the template suite (heuristic policy, ``SceneSynth-v1``, 10 room types x 5 seeds;
``benchmarks/judge_spread.py``) ``Q_vis`` has mean 8.99 and standard deviation 0.67 (judge v1: 9.87 and 0.24).

Worked example: ``scene_gym.samples.bedroom_scene()`` (4.2 m x 4.8 m = 20.16 m², 15 objects, 14 counted,
judged against its own prompt "A cosy bedroom with a double bed, two nightstands with lamps, a wardrobe, a
dresser and a small desk for a laptop."). Metrics: no collisions, nothing out of bounds or unsupported,
NAV = 1, ACC = 1, Q_phy = 14. Functional terms: seat_focus, companions, bed_access, coverings, desk_chair,
lamps, wall_backs, openings, circulation, clutter and scale are 1; the bed has no pillow (``pillows = 0``);
no TV, lounge seats or dining tables (tv_view, conversation and table_seats are None).

- Realism: ``p_phys = 1``, ``p_room = 1`` (every category belongs in a bedroom), ``occ = 6.06 / 20.16 =
  0.30`` so ``p_dens = 1``; no flaw factor below 1: R = 10 * 1 * (0.6 + 0.4) = **10**.
- Functionality: bed, wardrobe, nightstands and lamps present, ``e = 1``; both nightstands, the dresser and
  the desk hold something, ``s = 1``; the unmade bed costs ``pen(0, 0.3) = 0.7``:
  F = 10 * 1 * (0.4 + 0.35 + 0.25) * 0.7 = **7.0**.
- Layout: the prompt gives one relation, lamps on the nightstands (satisfied, ``rel = 1``); bed, wardrobe,
  dresser and nightstands stand against walls (``wall = 1``); everything is square to the walls
  (``align = 1``); ``free = 1``; the chair faces the desk, the nightstands flank the bed: L = **10**.
- Completeness: all seven counts met (``counts = 1``); "a small desk" is not met (the desk has the default
  size, ``attributes = 0``); ``e = 1``; richness ``0.6 * 7 / 8.06 + 0.4 * min(1, 6 / 5.04) = 0.921``:
  C = 10 * (0.4 + 0 + 0.25 + 0.2 * 0.921) / 1.0 = **8.34**.

Q_vis = (10 + 7 + 10 + 8.34) / 4 = 8.835; Q = 0.1 * 14 + 8.835 = 10.235; C = Q - 0.05 * T.
``tests/rewards/test_judge.py`` checks the formulas against these components.
"""

from __future__ import annotations

import abc
import math

import numpy as np

from scene_gym.assets.room_priors import AGAINST_WALL, RECEPTACLES, groups_for
from scene_gym.rewards.base import Reward, RewardContext, RewardResult
from scene_gym.rewards.functional import TERMS, SceneView, functional_terms
from scene_gym.rewards.scores import GRADES, Grades, JudgeResult, ScoreConfig, combine
from scene_gym.rewards.spec_checks import attribute_score, count_score, objects_for_request, relation_score
from scene_gym.scene.objects import ARCHITECTURE_PARENTS

ALIGN_TOL = math.radians(5.0)
WALL_GAP = 0.15
AREA_PER_FURNITURE = 2.5
AREA_PER_SMALL = 4.0

PENALTIES = {
    "realism": {"scale": 0.5, "clutter": 0.6, "wall_backs": 0.5},
    "functionality": {
        "openings": 0.4,
        "bed_access": 0.4,
        "desk_chair": 0.7,
        "table_seats": 0.3,
        "coverings": 0.3,
        "pillows": 0.3,
        "lamps": 0.3,
    },
    "layout": {"seat_focus": 0.7, "tv_view": 0.7, "conversation": 0.2, "companions": 0.5},
}
"""Grade -> functional term -> weight ``w`` of its factor ``1 - w * (1 - term)`` (module docstring). Calibrated on
the template suite's heuristic scenes (trajectory env, 10 room types x 5 seeds: ``benchmarks/judge_spread.py``) so
that their q_vis spreads (std >= 0.5, mean <= 9.0) while every calibration family lowers the grade
(``benchmarks/bench_reward_calibration.py``)."""


class Judge(abc.ABC):
    """A judge grades a scene on the four grades of :data:`~scene_gym.rewards.scores.GRADES` and turns them
    into :class:`JudgeResult` scores; subclasses implement :meth:`grade`."""

    name = "judge"

    def __init__(self, config: ScoreConfig | None = None, world=None):
        self.config = config or ScoreConfig()
        self._world = world
        self._own_world = False

    # --- shared metrics -----------------------------------------------------------------------------------
    def metrics(self, scene, context: RewardContext):
        """The scene's :class:`~scene_gym.metrics.Metrics`, cached on the context, evaluated with the
        context's physics world, else the judge's own (created once and kept warm)."""

        def make():
            from scene_gym.metrics import evaluate

            world = context.world
            if world is None:
                if self._world is None:
                    from scene_gym.physics import PhysicsWorld

                    self._world, self._own_world = PhysicsWorld(), True
                world = self._world
            return evaluate(scene, world)

        return context.cached("metrics", make)

    @abc.abstractmethod
    def grade(self, scene, context: RewardContext) -> tuple[Grades, dict]:
        """The four grades and the judge's details."""

    def judge(self, scene, context: RewardContext | None = None) -> JudgeResult:
        """Grades plus Q_vis, Q (with the metrics' Q_phy) and C (with ``context.elapsed_s``)."""
        ctx = context if context is not None else RewardContext()
        grades, details = self.grade(scene, ctx)
        q_phy = self.metrics(scene, ctx).q_phy
        return combine(grades, q_phy, ctx.elapsed_s / 60.0, self.config, self.name, details)

    def close(self) -> None:
        """Close the judge's own physics world."""
        if self._own_world and self._world is not None:
            self._world.close()
        self._world, self._own_world = None, False


def _ramp_density(occ: float) -> float:
    if occ < 0.1:
        return occ / 0.1
    if occ <= 0.5:
        return 1.0
    return max(0.0, 1.0 - (occ - 0.5) / 0.3)


def _weighted(parts: list[tuple[float, float | None]]) -> float:
    """Weighted mean of the (weight, value) pairs whose value is not None."""
    present = [(w, v) for w, v in parts if v is not None]
    total = sum(w for w, _ in present)
    return sum(w * v for w, v in present) / total if total > 0 else 0.0


def _penalty(grade: str, terms: dict) -> float:
    """The product of ``1 - w * (1 - term)`` over the grade's :data:`PENALTIES` (None terms give 1), in [0, 1]."""
    out = 1.0
    for name, w in PENALTIES[grade].items():
        if terms.get(name) is not None:
            out *= 1.0 - w * (1.0 - terms[name])
    return out


def essentials_coverage(room_type: str, categories: set[str]) -> float:
    """``e`` of the module docstring: weighted share of the room type's groups present (1 with no table)."""
    essential, desirable = groups_for(room_type)
    total = len(essential) + 0.5 * len(desirable)
    if total == 0:
        return 1.0
    have = sum(1 for g in essential if categories.intersection(g)) + 0.5 * sum(
        1 for g in desirable if categories.intersection(g)
    )
    return have / total


class OfflineJudge(Judge):
    """The rule-based judge of the module docstring.

    Args:
        config: score coefficients (Q and C).
        world: a :class:`~scene_gym.physics.PhysicsWorld` to keep warm across calls (default: its own).
    """

    name = "offline"

    def grade(self, scene, context: RewardContext) -> tuple[Grades, dict]:
        from scene_gym.metrics import is_counted

        m = self.metrics(scene, context)
        spec = context.spec_for(scene)
        counted = [o for o in scene.objects if is_counted(o)]
        by_cat: dict[str, list] = {}
        for o in scene.objects:
            by_cat.setdefault(o.category, []).append(o)
        fn = functional_terms(scene, m, spec, SceneView.of(scene))
        d: dict = {}
        if counted:
            realism = self._realism(scene, counted, m, fn, d)
            functionality = self._functionality(scene, counted, set(by_cat), m, fn, d)
            layout = self._layout(scene, counted, spec, by_cat, fn, d)
            completeness = self._completeness(scene, counted, spec, by_cat, d)
        else:  # nothing for nothing: an empty room earns no grade
            realism = functionality = layout = completeness = 0.0
            d.update(essentials=essentials_coverage(scene.room.type, set(by_cat)))
        d.update(fn)
        clamp = lambda v: min(10.0, max(0.0, v))  # noqa: E731 - float noise only
        grades = Grades(clamp(realism), clamp(functionality), clamp(layout), clamp(completeness))
        return grades, {k: (round(v, 6) if isinstance(v, float) else v) for k, v in d.items()}

    @staticmethod
    def _realism(scene, counted, m, fn, d) -> float:
        from scene_gym.assets import factories

        all_f, room, n = factories(), scene.room, len(counted)
        colliding = {i for pair in m.collisions for i in pair}
        f_coll = len(colliding) / n
        p_phys = (1 - f_coll) * (1 - m.n_oob / n) * (1 - len(m.unsupported) / n)
        plausible = sum(1 for o in counted if room.type in (getattr(all_f.get(o.category), "rooms", None)
                                                             or (room.type,)))  # fmt: skip
        p_room = plausible / n
        occ = sum(o.size[0] * o.size[1] for o in counted if o.parent == "floor") / max(room.area, 1e-9)
        p_dens = _ramp_density(occ)
        d.update(p_phys=p_phys, p_room=p_room, occupancy=occ, p_dens=p_dens, free=1.0 - f_coll)
        return 10.0 * p_phys * (0.6 * p_room + 0.4 * p_dens) * _penalty("realism", fn)

    @staticmethod
    def _functionality(scene, counted, present, m, fn, d) -> float:
        e = essentials_coverage(scene.room.type, present)
        receptacles = [o for o in counted if o.category in RECEPTACLES]
        parents = {o.parent for o in scene.objects}
        s = sum(1 for o in receptacles if o.id in parents) / len(receptacles) if receptacles else 1.0
        d.update(essentials=e, support=s)
        base = 0.4 * m.acc + 0.35 * m.nav + 0.25 * s
        return 10.0 * (0.3 + 0.7 * e) * base * _penalty("functionality", fn)

    def _layout(self, scene, counted, spec, by_cat, fn, d) -> float:
        from scene_gym.layout import AgainstWall, Layout, satisfaction

        floor = [o for o in counted if o.parent == "floor"]
        wall_objs = [o for o in floor if o.category in AGAINST_WALL]
        layout_view = Layout.from_scene(scene) if spec.relations or wall_objs else None
        rel = None
        if spec.relations:
            rel = sum(relation_score(r, by_cat, layout_view) for r in spec.relations) / len(spec.relations)
        wall = (sum(satisfaction(AgainstWall(subject=o.id, max_gap=WALL_GAP), layout_view) for o in wall_objs)
                / len(wall_objs)) if wall_objs else 1.0  # fmt: skip
        align = self._aligned(floor, scene.room)
        d.update(relations=rel, wall=wall, align=align)
        base = _weighted([(0.4, rel), (0.25, wall), (0.15, align), (0.2, d["free"])])
        return 10.0 * base * _penalty("layout", fn)

    @staticmethod
    def _completeness(scene, counted, spec, by_cat, d) -> float:
        room = scene.room
        counts = (sum(count_score(c, len(objects_for_request(scene, c))) for c in spec.objects) / len(spec.objects)
                  if spec.objects else None)  # fmt: skip
        attrs = (sum(attribute_score(a, by_cat.get(a.category, [])) for a in spec.attributes) / len(spec.attributes)
                 if spec.attributes else None)  # fmt: skip
        floor = sum(1 for o in counted if o.parent == "floor")
        dressed = sum(1 for o in counted if o.parent not in ARCHITECTURE_PARENTS)
        richness = 0.6 * min(1.0, floor / min(max(room.area / AREA_PER_FURNITURE, 3.0), 15.0)) + 0.4 * min(
            1.0, dressed / min(max(room.area / AREA_PER_SMALL, 2.0), 12.0)
        )
        mismatch = 0.7 if spec.room_type is not None and spec.room_type != room.type else 1.0
        d.update(counts=counts, attributes=attrs, richness=richness, room_match=mismatch)
        parts = [(0.4, counts), (0.15, attrs), (0.25, d["essentials"]), (0.2, richness)]
        return 10.0 * _weighted(parts) * mismatch

    @staticmethod
    def _aligned(floor, room) -> float:
        items = [o for o in floor if min(o.size[0], o.size[1]) > 0.0]
        if not items:
            return 1.0
        pts = room.polygon
        edges = np.roll(pts, -1, axis=0) - pts
        wall_angles = np.arctan2(edges[:, 1], edges[:, 0])
        yaws = np.array([o.yaw for o in items])
        diff = (yaws[:, None] - wall_angles[None, :]) % (math.pi / 2)
        diff = np.minimum(diff, math.pi / 2 - diff)
        return float((diff.min(axis=1) <= ALIGN_TOL).mean())


# --- rewards built on a judge --------------------------------------------------------------------------
class JudgeReward(Reward):
    """``value = Q_vis / 10`` in [0, 1]; terms: the four grades and ``q_vis`` (each in [0, 10]) and, from the
    offline judge, every functional term of :mod:`scene_gym.rewards.functional` the scene has something to
    measure for (each in [0, 1]; a term with nothing to measure is left out)."""

    name = "judge"

    def __init__(self, judge: Judge | None = None, name: str | None = None):
        self.judge = judge if judge is not None else OfflineJudge()
        if name:
            self.name = name

    def _terms(self, res: JudgeResult) -> dict[str, float]:
        functional = {k: float(res.details[k]) for k in TERMS if isinstance(res.details.get(k), int | float)}
        return {**res.grades.to_dict(), "q_vis": res.q_vis, **functional}

    def compute(self, scene, context: RewardContext) -> RewardResult:
        res = self.judge.judge(scene, context)
        return RewardResult(res.q_vis / 10.0, self._terms(res))

    def close(self) -> None:
        self.judge.close()


class QualityReward(JudgeReward):
    """SceneOrchestra's Q normalised by its best value for the object count:
    ``value = clip(Q / (phy_weight * n_obj + 10), -1, 1)``, 1 only for four grades of 10 and no physical
    violation. Terms: the four grades and ``q_vis`` (each in [0, 10])."""

    name = "quality"

    def compute(self, scene, context: RewardContext) -> RewardResult:
        res = self.judge.judge(scene, context)
        n_obj = self.judge.metrics(scene, context).n_obj
        best = self.judge.config.phy_weight * n_obj + 10.0
        return RewardResult(min(1.0, max(-1.0, res.q / best)), self._terms(res))


class PhysicalReward(Reward):
    """Physical validity from :mod:`scene_gym.metrics`:
    ``value = collision_free * in_bounds * supported``, each the share of counted objects without that
    problem; 0 for a scene with no counted object (nothing for nothing: an empty room is not a valid scene,
    and an episode that builds nothing earns nothing). Terms, all in [0, 1]: ``collision_free``,
    ``in_bounds``, ``supported`` (1 with no object), ``nav``, ``acc``, ``opc``."""

    name = "physical"

    def __init__(self, world=None):
        self._judge = OfflineJudge(world=world)  # for its cached metrics only

    def compute(self, scene, context: RewardContext) -> RewardResult:
        m = self._judge.metrics(scene, context)
        n = m.n_obj
        colliding = {i for pair in m.collisions for i in pair}
        terms = {
            "collision_free": 1 - len(colliding) / n if n else 1.0,
            "in_bounds": 1 - m.n_oob / n if n else 1.0,
            "supported": 1 - len(m.unsupported) / n if n else 1.0,
            "nav": m.nav, "acc": m.acc, "opc": m.opc,
        }  # fmt: skip
        value = terms["collision_free"] * terms["in_bounds"] * terms["supported"] if n else 0.0
        return RewardResult(value, terms)

    def close(self) -> None:
        self._judge.close()


class SceneOrchestraQReward(JudgeReward):
    """SceneOrchestra's quality ``Q = phy_weight * Q_phy + Q_vis`` as it is (unnormalised; what the tool
    environments reward). Terms: the four grades, ``q_vis`` (each in [0, 10]) and ``q_phy`` (an integer,
    ``n_obj - 4 (n_oob + n_collisions)``)."""

    name = "q"

    def compute(self, scene, context: RewardContext) -> RewardResult:
        res = self.judge.judge(scene, context)
        return RewardResult(res.q, {**self._terms(res), "q_phy": res.q_phy})


class PhysicalScoreReward(Reward):
    """SceneOrchestra's physical score ``Q_phy = n_obj - 4 (n_oob + n_collisions)`` from
    :func:`scene_gym.metrics.evaluate` (the context's cached metrics). Terms: ``q_phy``, ``n_obj``,
    ``n_collisions``, ``n_oob``."""

    name = "q_phy"

    def __init__(self, world=None):
        self._judge = OfflineJudge(world=world)  # for its cached metrics only

    def compute(self, scene, context: RewardContext) -> RewardResult:
        m = self._judge.metrics(scene, context)
        return RewardResult(float(m.q_phy), {"q_phy": float(m.q_phy), "n_obj": float(m.n_obj),
                                             "n_collisions": float(m.n_collisions), "n_oob": float(m.n_oob)})  # fmt: skip

    def close(self) -> None:
        self._judge.close()


__all__ = ["GRADES", "Judge", "JudgeReward", "OfflineJudge", "PhysicalReward", "PhysicalScoreReward", "QualityReward",
           "SceneOrchestraQReward"]  # fmt: skip
