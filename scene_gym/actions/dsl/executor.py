"""Apply parsed scene-DSL statements to a :class:`~scene_gym.scene.Scene`.

Atomicity is **per statement**: each statement runs inside :meth:`Scene.transaction`, so a statement that fails
(unknown category or id, size out of range, an object leaving the room, no free support surface...) leaves the
scene exactly as it was before that statement and is reported in its :class:`StatementResult`; the statements
after it still run. ``done()`` ends the program: statements after it are reported as skipped.

Semantics (metres; the DSL takes angles in **degrees**; compass words as in :mod:`scene_gym.scene`):

- ``add(category, at=(x, y[, z]), facing=|yaw=, size=(w, d, h), material=, against=<compass>)``: the category
  is an exact name, a synonym or a head-noun or misspelling match scoring at least
  :data:`~scene_gym.assets.resolver.RESOLVE_THRESHOLD` (``"couch"`` -> sofa; the result says so, with the score);
  a name the catalog does not have fails with its closest categories, never a substitute. ``size`` defaults to
  the category's; ``z`` defaults to 0 on the floor, the wall-height minus the height for ceiling objects and a
  1.5 m centre height for wall objects. ``against="north"`` turns the object's back to the north wall (the wall
  on the room's +Y side) and snaps it flush there, keeping ``at``'s position along the wall (facing/yaw are then
  ignored).
  Without ``at`` the layout solver places the object (keeping everything else fixed).
- ``place_on(category, parent, at=(u, v), size=, material=)``: onto the parent's largest support surface that
  fits; ``(u, v)`` in [-1, 1] spans that surface along the parent's x and y, otherwise the first free spot
  nearest the surface centre is used.
- ``relate(a, relation, b, distance=)``: a :mod:`scene_gym.layout` relation (aliases accepted: "beside",
  "opposite"...); ``b`` is an object id or, for ``against_wall``/``on_wall``, a compass wall. ``a`` is re-placed by
  :func:`scene_gym.layout.solve` with every other object fixed. Relations are remembered in
  ``scene.metadata["relations"]`` (:data:`scene_gym.actions.edit.RELATIONS_KEY`) and used again when ``a`` is
  re-related; when the relation already holds nothing moves.
- ``move``/``rotate``/``resize`` carry the objects resting on the target along; ``remove`` removes them too.
- ``set_material`` needs a recognised material description; ``set_light`` adds a light (no id) or edits one.
- ``add``, ``place_on``, ``move``, ``rotate`` and ``resize`` fail when the object would leave the room.

Every command is a translation into :mod:`scene_gym.actions.edit` calls (:mod:`.commands`); the edit core
does the work, so the DSL and the tools edit scenes the same way.

Collisions are not errors (the reward judges them). The caller syncs its physics world once after the program
and hands the collisions to :func:`note_collisions`, which notes them in the results of the statements that
changed a colliding object; ``apply_program(..., world=...)`` does that itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from scene_gym.actions.dsl.commands import HANDLERS, Context, ExecutionError
from scene_gym.actions.dsl.parser import Statement
from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene

MAX_NOTED = 5
"""Most collisions noted in one statement's message."""


@dataclass(frozen=True)
class StatementResult:
    """What one statement did.

    Attributes:
        index: position of the statement in the program (0-based).
        op: the command name.
        source: the statement's text.
        ok: True when the statement was applied.
        message: what it did, or why it failed (the scene is then unchanged by it).
        changed_ids: ids of objects or lights it added, changed or removed (scene order, removed ones last).
        done: True for ``done()``.
        skipped: True for statements after ``done()``.
    """

    index: int
    op: str
    source: str
    ok: bool
    message: str
    changed_ids: tuple[str, ...] = ()
    done: bool = False
    skipped: bool = False

    def __str__(self) -> str:
        tag = "skipped" if self.skipped else "ok" if self.ok else "failed"
        return f"[{tag}] {self.source}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the fields."""
        return {"index": self.index, "op": self.op, "source": self.source, "ok": self.ok, "message": self.message,
                "changed_ids": list(self.changed_ids), "done": self.done, "skipped": self.skipped}  # fmt: skip


def apply_program(scene: Scene, statements: Sequence[Statement], *, rng: np.random.Generator, world=None,
                  max_objects: int = 200, solver_budget_s: float = 0.5) -> list[StatementResult]:
    """Run ``statements`` (from :func:`~scene_gym.actions.dsl.parse_program`) on ``scene`` in place.

    Args:
        scene: edited in place, one transaction per statement.
        statements: parsed statements.
        rng: seeds the layout solver (``add`` without ``at``, ``relate``).
        world: optional :class:`~scene_gym.physics.PhysicsWorld`, kept for backward compatibility: when given
            it is synced **once**, after the last statement, and :func:`note_collisions` notes the collisions in
            the results. An environment that syncs its world anyway should pass None and call
            :func:`note_collisions` after its own sync.
        max_objects: ``add``/``place_on`` fail once the scene holds this many objects.
        solver_budget_s: time budget of each layout solve, seconds.

    Returns one :class:`StatementResult` per statement, in order. Never raises for a statement's failure.
    """
    if not isinstance(rng, np.random.Generator):
        raise ExecutionError(f"expected a numpy.random.Generator for rng, got {type(rng).__name__}", field="rng")
    ctx = Context(scene, rng, max_objects, solver_budget_s)
    results: list[StatementResult] = []
    done = False
    for i, st in enumerate(statements):
        source = str(st)
        if done:
            results.append(StatementResult(i, st.op, source, False, "not run: it comes after done()", skipped=True))
            continue
        before = (scene.objects, scene.lights)
        try:
            with scene.transaction():
                message = HANDLERS[st.op](ctx, dict(st.args))
        except SceneGymError as err:
            results.append(StatementResult(i, st.op, source, False, str(err)))
            continue
        except (ArithmeticError, TypeError, KeyError, IndexError) as err:  # a defect, reported rather than raised
            results.append(StatementResult(i, st.op, source, False, f"internal error {type(err).__name__}: {err}"))
            continue
        done = st.op == "done"
        changed = _changed(before[0], scene.objects) + _changed(before[1], scene.lights)
        results.append(StatementResult(i, st.op, source, True, message, tuple(changed), done=done))
    if world is not None and any(r.ok and r.changed_ids for r in results):
        world.sync(scene)
        results = note_collisions(results, world.collisions())
    return results


def note_collisions(results: Sequence[StatementResult], collisions: Iterable) -> list[StatementResult]:
    """``results`` with "; note: a and b overlap by N cm" appended to the message of each applied statement whose
    ``changed_ids`` name an object of a collision.

    Args:
        results: from :func:`apply_program`.
        collisions: the physics world's collision records after the program (objects with ``.a``, ``.b`` ids
            and ``.depth`` in metres), e.g. ``PhysicsWorld.collisions()`` after one ``sync``.

    Returns a new list; results without a collision are returned unchanged (the same objects).
    """
    hits = list(collisions)
    out = []
    for r in results:
        mine = [c for c in hits if c.a in r.changed_ids or c.b in r.changed_ids] if r.ok and r.changed_ids else []
        if mine:
            parts = [f"{c.a} and {c.b} overlap by {100 * c.depth:.0f} cm" for c in mine[:MAX_NOTED]]
            r = replace(r, message=r.message + "; note: " + ", ".join(parts))
        out.append(r)
    return out


def _changed(before: list, after: list) -> list[str]:
    """Ids of records (objects or lights) new or different in ``after``, in order, then those gone from it."""
    old = {r.id: r for r in before}
    ids = {r.id for r in after}
    changed = [r.id for r in after if r.id not in old or (old[r.id] is not r and old[r.id] != r)]
    return changed + [i for i in old if i not in ids]
