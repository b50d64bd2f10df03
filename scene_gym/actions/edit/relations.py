"""Relations between objects: the ones recorded in the scene, and re-placing objects with the layout solver so
that relations hold (:func:`relate`, :func:`replace_objects`) or new objects find a place (:func:`solve_into`).

Recorded relations live in ``scene.metadata[RELATIONS_KEY]`` as relation dicts in the layout format
(:meth:`scene_gym.layout.Relation.to_dict`). Later re-solves keep honouring the ones that name the objects they
move; removing an object forgets the ones that name it. The solver never moves an object it was not asked to
move; every draw of a solver seed comes from the ``rng`` passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

from scene_gym.actions.edit.lookup import as_edit_error, atomic, get_object
from scene_gym.errors import EditError, SceneGymError
from scene_gym.scene import Scene, mutation

RELATIONS_KEY = "relations"
"""``scene.metadata`` key holding the relations asked for through edits (a list of relation dicts in the layout
format)."""


# --- the record -------------------------------------------------------------------------------------------------
def recorded_relations(scene: Scene) -> list[dict[str, Any]]:
    """Relation dicts recorded in ``scene.metadata[RELATIONS_KEY]`` (a new list); malformed entries skipped."""
    raw = scene.metadata.get(RELATIONS_KEY, [])
    return [dict(r) for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []


def relation_ids(rel: dict[str, Any]) -> list[str]:
    """Object ids a relation dict names (subject, target, subjects)."""
    out = [rel.get("subject"), rel.get("target"), *(rel.get("subjects") or [])]
    return [i for i in out if isinstance(i, str)]


def record_relations(scene: Scene, rels: Iterable) -> None:
    """Append relations (:class:`~scene_gym.layout.Relation` objects or dicts) to the record, skipping exact
    duplicates."""
    from scene_gym.layout import Relation

    current = recorded_relations(scene)
    for rel in rels:
        d = rel.to_dict() if isinstance(rel, Relation) else dict(rel)
        if d not in current:
            current.append(d)
    mutation.set_metadata(scene, RELATIONS_KEY, current)


def relations_for(scene: Scene, ids: Iterable[str]) -> list:
    """Recorded relations naming any of ``ids`` whose objects all exist, as Relation objects."""
    from scene_gym.layout import Relation

    wanted, out = set(ids), []
    for d in recorded_relations(scene):
        names = relation_ids(d)
        if wanted & set(names) and all(n in scene for n in names):
            try:
                out.append(Relation.from_dict(d))
            except SceneGymError:
                continue
    return out


def forget_relations(scene: Scene, removed: Iterable[str]) -> int:
    """Drop recorded relations naming any of ``removed`` (the key goes when none is left); returns how many."""
    gone = set(removed)
    current = recorded_relations(scene)
    kept = [d for d in current if not gone & set(relation_ids(d))]
    if kept:
        if len(kept) != len(current):
            mutation.set_metadata(scene, RELATIONS_KEY, kept)
    else:
        mutation.drop_metadata(scene, RELATIONS_KEY)
    return len(current) - len(kept)


# --- the solver -------------------------------------------------------------------------------------------------
def _seed(rng: np.random.Generator) -> int:
    if not isinstance(rng, np.random.Generator):
        raise EditError(f"expected a numpy.random.Generator, got {type(rng).__name__}", field="rng")
    return int(rng.integers(0, 2**31 - 1))


@atomic
def solve_into(scene: Scene, requests: Sequence, relations: Sequence = (), *, rng: np.random.Generator,
               time_budget_s: float = 1.0, record: bool = True):  # fmt: skip
    """Run the layout solver on ``scene`` and take its result in: new objects for the
    :class:`~scene_gym.layout.PlacementRequest` items of ``requests``, new poses for the object ids in it, under
    ``relations``; every other object stays where it is.

    With ``record``, the relations whose objects all exist afterwards are recorded. ``time_budget_s`` is the
    solver's soft wall-time budget, seconds. Returns the :class:`~scene_gym.layout.SolveResult` (``failed``
    names what found no place; those are not added). Bad requests or relations raise a scene-gym error.
    """
    from scene_gym.layout import solve

    res = solve(scene, requests, relations, seed=_seed(rng), time_budget_s=time_budget_s)
    with as_edit_error("requests"):
        mutation.set_objects(scene, res.scene.objects)
    if record and relations:
        record_relations(scene, [r for r in relations if all(i in scene for i in r.ids())])
    return res


def replace_objects(scene: Scene, ids: Sequence[str], *, rng: np.random.Generator, time_budget_s: float = 1.0):
    """Let the layout solver re-place the objects ``ids`` (with what rests on them), keeping the relations
    recorded about them and every other object fixed. Returns the :class:`~scene_gym.layout.SolveResult`."""
    ids = list(dict.fromkeys(ids))
    for k, oid in enumerate(ids):
        get_object(scene, oid, field=f"ids[{k}]")
    return solve_into(scene, ids, relations_for(scene, ids), rng=rng, time_budget_s=time_budget_s, record=False)


class Related(NamedTuple):
    """What :func:`relate` did: the relation, the solve (None when it already held and nothing moved) and the
    relation's satisfaction in [0, 1] before and after."""

    relation: Any
    result: Any
    before: float
    after: float


@atomic
def relate(scene: Scene, relation, *, move: Sequence[str] | None = None, rng: np.random.Generator,
           time_budget_s: float = 1.0) -> Related:  # fmt: skip
    """Ask for ``relation`` (a :class:`~scene_gym.layout.Relation` or its dict) and re-place the objects ``move``
    (default: the relation's subject or subjects) with the layout solver so that it holds, honouring the relations
    recorded about them and keeping every other object fixed. The relation is recorded. When it already holds,
    nothing moves.

    Raises :class:`~scene_gym.errors.EditError` on ``relation`` (malformed, unknown object) or ``move[k]``.
    """
    from scene_gym.layout import SATISFIED, Relation, satisfaction

    if not isinstance(relation, Relation):
        with as_edit_error("relation"):
            relation = Relation.from_dict(relation)
    for oid in relation.ids():
        get_object(scene, oid, field="relation")
    subjects = [relation.subject] if hasattr(relation, "subject") else list(relation.subjects)
    move = list(dict.fromkeys(move)) if move else subjects
    for k, oid in enumerate(move):
        get_object(scene, oid, field=f"move[{k}]")
    before = satisfaction(relation, scene)
    if before >= SATISFIED:
        record_relations(scene, [relation])
        return Related(relation, None, before, before)
    rels = relations_for(scene, move)
    if relation not in rels:
        rels.append(relation)
    res = solve_into(scene, move, rels, rng=rng, time_budget_s=time_budget_s)
    return Related(relation, res, before, satisfaction(relation, scene))
