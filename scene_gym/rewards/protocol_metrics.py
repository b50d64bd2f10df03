"""The published layout protocols' metrics, computed from a scene, its task spec and the cached
:func:`scene_gym.metrics.evaluate` result (no second physics evaluation).

Sources: LayoutVLM (Sun et al., CVPR 2025, https://arxiv.org/abs/2412.02193, HTML
https://arxiv.org/html/2412.02193v3) evaluates layouts by CF, IB, positional and rotational coherency and a
"physically-grounded semantic alignment" score (PSA); 3D-Generalist (Sun et al. 2025,
https://arxiv.org/abs/2507.06484, HTML https://arxiv.org/html/2507.06484v1) comes from the same group. The
public text this package could search held the papers' opening sections and LayoutVLM's table of constraint
types (positional, rotational, mixed), not their evaluation sections: the coherency grading (as we recall it, a
GPT-4o judge over renders, unverified here) and the exact PSA formula are not available to cite. The two
coherence scores and the PSA below are therefore this package's own rule-based definitions, named after the
published ones and stated here in full; compare them across scene-gym entries, not with the papers' numbers.

========================  =========================================================================================
key                       definition
========================  =========================================================================================
``collision_free_pct``    CF (LayoutVLM): ``100 * (counted objects in no colliding pair) / n_obj``; 100 when
                          ``n_obj = 0`` (:mod:`scene_gym.metrics.evaluate`, copied here unchanged)
``in_boundary_pct``       IB (LayoutVLM): ``100 * (counted objects not out of the room) / n_obj``; 100 when empty
``pos_coherence``         positional coherence in [0, 1], or None (nothing to score): the mean of
                          ``s_r`` over the spec's positional relations ``r`` (:data:`POSITIONAL`) and of
                          ``a_o`` over the scene's wall objects ``o`` (below)
``rot_coherence``         rotational coherence in [0, 1], or None: the mean of ``s_r`` over the spec's rotational
                          relations (:data:`ROTATIONAL`) and of ``b_o`` over the wall objects standing at a wall
``psa``                   physically weighted judge score in [0, 10], or None without a judge:
                          ``q_vis * v`` with ``v = (counted objects in no collision, inside the room and
                          supported) / n_obj``, ``v = 0`` for a scene with no counted object
========================  =========================================================================================

- ``s_r``: :func:`scene_gym.rewards.spec_checks.relation_score` of the relation spec ``r`` (1 satisfied, decaying
  with the violation, 0 when a side is missing), the same scores whose mean is ``rel_rate`` (SceneCraft's
  constraint passing score), so every relation counts in exactly one of the two coherences.
- **Relation split.** LayoutVLM's constraint table has *positional* constraints (a distance range, on top of),
  *rotational* ones (align at an angle, point towards) and one *mixed* one (against a wall). Here each relation
  name belongs to exactly one class: :data:`POSITIONAL` holds the distance, side, support and room-placement
  relations (``near``, ``next_to``, ``far``, ``in_front_of``, ``behind``, ``left_of``, ``right_of``,
  ``on_top_of``, ``under``, ``middle``, ``against_wall``, ``in_corner``, ``on_wall``, ``on_ceiling``);
  :data:`ROTATIONAL` holds the relations whose main statement is an orientation (``facing``, ``around``,
  ``side_by_side``, ``back_to_back``, ``aligned_with``, ``across_from``). LayoutVLM's mixed ``against_wall`` is
  counted as positional (its score also requires facing away from the wall); the wall objects below carry its
  rotational half for every wall object, asked for or not.
- **Wall objects**: counted objects hung on a wall (parent ``"wall"``) or standing on the floor with a category
  that belongs against a wall (:data:`scene_gym.assets.room_priors.AGAINST_WALL`: beds, wardrobes, shelves...).
  An object is *at* wall ``i`` when a footprint corner lies within :data:`WALL_GAP` (0.1 m) of the wall's line
  (or beyond it) and its centre projects onto the wall segment. ``a_o`` = 1 when it is at some wall, else 0.
  ``b_o`` (only for objects at a wall) = 1 when its front is within :data:`WALL_ANGLE` (30 degrees) of the inward
  normal of a wall it is at (its back to the wall, facing the room), else 0: a wall cabinet hung backwards or a
  bookshelf with its side to the wall scores 0 (SceneEval flags the first by casting rays from the object's back).
- Wall objects make both coherences defined for most furnished rooms, including prompts that state no relation;
  with no relation and no wall object the value is None (shown as ``-``), not a made-up 1.
- **PSA.** A judge's grade counts only for what is physically valid: ``q_vis`` (the judge's mean grade, 0-10) times
  the share of counted objects that are in no collision, not out of bounds and supported (the ``collisions``,
  ``oob`` and ``unsupported`` lists of :class:`~scene_gym.metrics.Metrics`). A fully valid scene keeps its grade;
  one with half its objects colliding keeps half. An empty room has no valid object and scores 0.

Worked example (``tests/rewards/test_protocol_metrics.py``): a 4 x 4 m room, a bed with its back on the north
wall (facing south), a nightstand beside it, back to the same wall, and a bookshelf at the east wall, level with
the bed's head, turned with its front to the wall; spec relations ``nightstand next_to bed`` (positional,
satisfied: 1) and ``bed facing bookshelf`` (rotational: the bookshelf is 95 degrees off the bed's front, score
about 0). Wall objects: bed and nightstand (at the wall, back to it: ``a = b = 1``), bookshelf (at the wall, front
to it: ``a = 1, b = 0``). ``pos = mean(1; 1, 1, 1) = 1``; ``rot = mean(0; 1, 1, 0) = 0.5``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

POSITIONAL: frozenset[str] = frozenset({
    "near", "next_to", "far", "in_front_of", "behind", "left_of", "right_of", "on_top_of", "under", "middle",
    "against_wall", "in_corner", "on_wall", "on_ceiling",
})  # fmt: skip
"""Relation names scored in positional coherence (module docstring)."""
ROTATIONAL: frozenset[str] = frozenset({
    "facing", "around", "side_by_side", "back_to_back", "aligned_with", "across_from",
})  # fmt: skip
"""Relation names scored in rotational coherence (module docstring)."""
WALL_GAP = 0.1
"""Metres: a footprint corner this close to a wall's line (or beyond it) puts the object at that wall."""
WALL_ANGLE = math.radians(30.0)
"""Radians: the most an object at a wall may turn from the wall's inward normal and still have its back to it."""
KEYS = ("collision_free_pct", "in_boundary_pct", "pos_coherence", "rot_coherence", "psa")
"""The keys :func:`protocol_metrics` returns, in order."""


def relation_class(name: str) -> str:
    """``"positional"`` or ``"rotational"`` for a relation name (module docstring); an unknown name raises
    :class:`~scene_gym.rewards.base.RewardError` naming it."""
    if name in POSITIONAL:
        return "positional"
    if name in ROTATIONAL:
        return "rotational"
    from scene_gym.rewards.base import RewardError

    raise RewardError(f"relation: expected a name among {sorted(POSITIONAL | ROTATIONAL)}, got {name!r}")


def scored_relations(scene, spec, layout=None) -> list[tuple[Any, float]]:
    """``(relation spec, score in [0, 1])`` for every relation of the task ``spec`` on ``scene``, in spec order,
    scored by :func:`scene_gym.rewards.spec_checks.relation_score` (empty when the spec has none). ``layout``: a
    :class:`~scene_gym.layout.Layout` of ``scene`` already built (None: built here)."""
    if not spec.relations:
        return []
    from scene_gym.layout import Layout
    from scene_gym.rewards.spec_checks import relation_score

    by_cat: dict[str, list] = {}
    for o in scene.objects:
        by_cat.setdefault(o.category, []).append(o)
    layout = Layout.from_scene(scene) if layout is None else layout
    return [(r, float(relation_score(r, by_cat, layout))) for r in spec.relations]


def _walls_at(box, room) -> list[int]:
    """Indices of the walls ``box`` stands at (module docstring)."""
    corners = box.corners()
    out = []
    for i in range(len(room.lengths)):
        (ax, ay), (nx, ny), (tx, ty) = room.starts[i], room.normals[i], room.tangents[i]
        near = min((px - ax) * nx + (py - ay) * ny for px, py in corners)
        along = (box.x - ax) * tx + (box.y - ay) * ty
        if near <= WALL_GAP and -WALL_GAP <= along <= room.lengths[i] + WALL_GAP:
            out.append(i)
    return out


def wall_object_scores(scene, layout=None) -> dict[str, tuple[int, int | None]]:
    """``{object id: (a_o, b_o)}`` for every wall object of ``scene`` (module docstring): ``a_o`` 1 when it stands
    at a wall else 0; ``b_o`` 1 when its back is to a wall it stands at, 0 when it stands at a wall otherwise,
    None when it stands at none."""
    from scene_gym.assets.room_priors import AGAINST_WALL
    from scene_gym.layout import Layout
    from scene_gym.layout.geometry import angle_between
    from scene_gym.metrics.evaluate import is_counted

    objs = [o for o in scene.objects if is_counted(o) and (o.parent == "wall" or
                                                           (o.parent == "floor" and o.category in AGAINST_WALL))]  # fmt: skip
    if not objs:
        return {}
    layout = Layout.from_scene(scene) if layout is None else layout
    room = layout.room
    out: dict[str, tuple[int, int | None]] = {}
    for o in objs:
        box = layout.boxes[o.id]
        walls = _walls_at(box, room)
        fx, fy = box.front
        back = any(angle_between(fx, fy, *room.normals[i]) <= WALL_ANGLE + 1e-9 for i in walls)
        out[o.id] = (1, int(back)) if walls else (0, None)
    return out


def coherence(scene, spec, layout=None, scored: Sequence[tuple[Any, float]] | None = None
              ) -> tuple[float | None, float | None]:  # fmt: skip
    """(positional, rotational) coherence of ``scene`` against the task ``spec``, each in [0, 1] or None (module
    docstring). ``scored``: :func:`scored_relations` already computed for this scene and spec (None: computed)."""
    from scene_gym.layout import Layout

    layout = Layout.from_scene(scene) if layout is None else layout
    scored = scored_relations(scene, spec, layout) if scored is None else scored
    pos = [s for r, s in scored if relation_class(r.relation) == "positional"]
    rot = [s for r, s in scored if relation_class(r.relation) == "rotational"]
    for at_wall, back in wall_object_scores(scene, layout).values():
        pos.append(float(at_wall))
        if back is not None:
            rot.append(float(back))
    mean = lambda xs: sum(xs) / len(xs) if xs else None  # noqa: E731
    return mean(pos), mean(rot)


def _check_metrics(metrics: Mapping[str, Any], keys: Sequence[str]) -> None:
    missing = [k for k in keys if k not in metrics]
    if missing:
        from scene_gym.rewards.base import RewardError

        raise RewardError(f"metrics: expected the evaluate() keys {list(keys)}, got none for {missing}")


def physical_validity(metrics: Mapping[str, Any]) -> float:
    """Share in [0, 1] of counted objects that are in no colliding pair, not out of bounds and supported, from a
    :meth:`scene_gym.metrics.Metrics.to_dict` (or ``scene-gym eval``) dict: ``n_obj``, ``collisions`` (id pairs),
    ``oob`` and ``unsupported`` (ids). 0 when ``n_obj`` is 0 (no valid object). A missing key raises
    :class:`~scene_gym.rewards.base.RewardError` naming it."""
    _check_metrics(metrics, ("n_obj", "collisions", "oob", "unsupported"))
    n = int(metrics["n_obj"])
    if n <= 0:
        return 0.0
    bad = (
        {i for pair in metrics["collisions"] for i in pair}
        | set(metrics["oob"])
        | set(metrics["unsupported"])
    )
    return max(0.0, (n - len(bad)) / n)


def psa_score(q_vis: float, metrics: Mapping[str, Any]) -> float:
    """Physically weighted judge score in [0, 10]: ``q_vis * physical_validity(metrics)`` (module docstring);
    ``q_vis`` is the judge's mean grade, 0-10. A non-finite ``q_vis`` raises
    :class:`~scene_gym.rewards.base.RewardError` naming it."""
    q = float(q_vis)
    if not math.isfinite(q):
        from scene_gym.rewards.base import RewardError

        raise RewardError(f"q_vis: expected a finite grade 0-10, got {q_vis!r}")
    return q * physical_validity(metrics)


def protocol_metrics(scene, spec, metrics: Mapping[str, Any], q_vis: float | None = None, layout=None,
                     scored: Sequence[tuple[Any, float]] | None = None) -> dict[str, float | None]:  # fmt: skip
    """Every key of :data:`KEYS` for ``scene`` (module docstring): CF and IB copied from ``metrics`` (a
    :meth:`~scene_gym.metrics.Metrics.to_dict` dict of this scene), the two coherences against the task ``spec``,
    and the PSA when the judge's ``q_vis`` (0-10) is given (else None). ``layout`` and ``scored``: a
    :class:`~scene_gym.layout.Layout` and :func:`scored_relations` already computed for this scene, to reuse."""
    _check_metrics(metrics, ("collision_free_pct", "in_boundary_pct"))
    pos, rot = coherence(scene, spec, layout, scored)
    return {"collision_free_pct": float(metrics["collision_free_pct"]),
            "in_boundary_pct": float(metrics["in_boundary_pct"]),
            "pos_coherence": None if pos is None else round(pos, 6),
            "rot_coherence": None if rot is None else round(rot, 6),
            "psa": None if q_vis is None else round(psa_score(q_vis, metrics), 6)}  # fmt: skip
