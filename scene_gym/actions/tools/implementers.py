"""Implementers: ``add_objects`` (new objects placed by the layout solver under relations) and ``add_relation``
(a new relation, re-solving the objects it names)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from scene_gym.actions import edit
from scene_gym.actions.tools.base import (
    Args,
    Context,
    Int,
    ObjectId,
    Outcome,
    Size3,
    Text,
    ToolError,
    edit_errors,
    fmt_ids,
)
from scene_gym.actions.tools.initializers import next_free_id
from scene_gym.actions.tools.solving import summary
from scene_gym.errors import EditError, SceneGymError

MAX_RELATIONS = 32
_PLACEHOLDER = "new_1"  # stands for the new objects while a relation dict is checked without a scene

RELATION_HELP = (
    'Relation dicts: {"relation": name, "subject": id, "target": id, ...} with names against_wall (wall: '
    '"north"/"south"/"east"/"west" or index), in_corner, middle, near (min_distance/max_distance m), next_to '
    "(max_gap m), far, in_front_of, behind, left_of, right_of (the target's own left/right), facing (max_angle "
    "radians), around (target + subjects list), side_by_side, back_to_back, aligned_with, across_from, on_top_of, "
    "under, on_wall (height m), on_ceiling."
)


def check_relation(data: Any, field: str, fill: dict[str, Any] | None = None):
    """Parse one relation dict (after filling missing keys from ``fill``) or raise :class:`ToolError` on
    ``field``."""
    from scene_gym.layout import Relation

    if not isinstance(data, dict):
        raise ToolError(f"expected a relation object such as {{\"relation\": \"near\", \"target\": \"bed_1\"}}, got "
                        f"{type(data).__name__}", field=field)  # fmt: skip
    filled = {**(fill or {}), **data} if fill else data
    try:
        return Relation.from_dict(filled)
    except SceneGymError as err:
        raise ToolError(str(err), field=field) from None


def _is_around(data: Any) -> bool:
    from scene_gym.layout import ALIASES

    if not isinstance(data, dict) or not isinstance(data.get("relation"), str):
        return False
    name = data["relation"].strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(name, name) == "around"


class AddObjectsArgs(Args):
    category: Text = Field(min_length=1, max_length=64, description="object category or a common name ('couch' -> "
                                                                    "sofa)")  # fmt: skip
    count: Int = Field(1, ge=1, le=20, description="how many to add")
    size: Size3 | None = Field(None, min_length=3, max_length=3, description=(
        "[width, depth, height] in metres, within the category's size range; default: the category's size"))
    material: Text | None = Field(None, max_length=128, description="e.g. 'walnut wood', 'grey fabric'")
    parent: ObjectId | None = Field(None, description="id of the object to put the new ones on (small objects)")
    relations: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_RELATIONS, description=(
        "relations to satisfy; leave out 'subject' (or 'subjects' for around) to mean each new object"))

    def finish(self) -> AddObjectsArgs:
        from scene_gym.actions.tools.definitions import is_defined_name

        if is_defined_name(self.category):  # an object defined earlier: resolved against the scene when it runs
            check_relations(self.relations)
            return self
        try:
            category = edit.resolve_category(self.category)
            size = self.size if self.size is None else list(edit.check_size(category, self.size))
        except EditError as err:
            raise ToolError(err.reason, field="args." + str(err.field)) from None
        check_relations(self.relations)
        if category == self.category and size == self.size:
            return self
        return self.model_copy(update={"category": category, "size": size})


def check_relations(relations: list[dict[str, Any]]) -> None:
    """Check relation dicts whose missing subject means the new objects (``args.relations[k]`` on error)."""
    for k, rel in enumerate(relations):
        fill = {"subjects": [_PLACEHOLDER]} if _is_around(rel) else {"subject": _PLACEHOLDER}
        check_relation(rel, f"args.relations[{k}]", fill)


def expand_relations(dicts: list[dict[str, Any]], new_ids: list[str], field: str = "args.relations") -> list:
    """Relation objects from dicts whose missing subject means each new object (``around``: all of them)."""
    out = []
    for k, d in enumerate(dicts):
        where = f"{field}[{k}]"
        if _is_around(d):
            out.append(check_relation(d, where, None if "subjects" in d else {"subjects": list(new_ids)}))
        elif "subject" in d:
            out.append(check_relation(d, where))
        else:
            out.extend(check_relation(d, where, {"subject": oid}) for oid in new_ids)
    return out


def _check_names(scene, rels, new_ids, field: str) -> None:
    """Every object a relation names is new or in the scene; else an error on ``args.<field>[k]``."""
    known = set(new_ids)
    for k, rel in enumerate(rels):
        for oid in rel.ids():
            if oid not in known and oid not in scene:
                edit.get_object(scene, oid, field=f"{field}[{k}]")


def run_add_objects(ctx: Context, args: AddObjectsArgs) -> Outcome:
    with edit_errors({}):
        category = edit.resolve_category(args.category, scene=ctx.scene)
        size = args.size if args.size is None or category == args.category else list(edit.check_size(category, args.size))
    return place_new(ctx, category, args.count, size, args.material, args.parent, args.relations)


def place_new(ctx: Context, category: str, count: int, size, material: str | None, parent: str | None,
              relations: list[dict[str, Any]]) -> Outcome:  # fmt: skip
    """Add ``count`` objects of ``category`` (``size`` metres or None, ``material`` or None, resting on
    ``parent`` or None) with the layout solver under ``relations`` (dicts whose missing subject means each new
    object)."""
    from scene_gym.layout import PlacementRequest

    scene = ctx.scene
    if parent is not None:
        edit.get_object(scene, parent, field="parent")
    taken = {o.id for o in scene.objects}
    next_id = next_free_id(scene)
    new_ids = []
    for _ in range(count):
        new_ids.append(next_id(category, taken))
        taken.add(new_ids[-1])
    requests = [PlacementRequest(category, size=tuple(size) if size else None, material=material, id=oid,
                                 parent=parent) for oid in new_ids]  # fmt: skip
    rels = expand_relations(relations, new_ids)
    _check_names(scene, rels, new_ids, "relations")
    res = edit.solve_into(scene, requests, rels, **ctx.solver)
    msg, details = summary(res)
    ok = not res.failed
    return Outcome(ok, f"add {count} {category}: {msg}", details)


class AddRelationArgs(Args):
    relation: dict[str, Any] = Field(description="the relation, e.g. {\"relation\": \"next_to\", \"subject\": "
                                                 "\"nightstand_1\", \"target\": \"bed_1\"}")  # fmt: skip
    move: list[ObjectId] | None = Field(None, min_length=1, max_length=16, description=(
        "ids the solver may move to satisfy it; default: the relation's subject(s)"))

    def finish(self) -> AddRelationArgs:
        check_relation(self.relation, "args.relation")
        return self


def run_add_relation(ctx: Context, args: AddRelationArgs) -> Outcome:
    from scene_gym.layout import SATISFIED, explain

    scene = ctx.scene
    rel = check_relation(args.relation, "args.relation")
    done = edit.relate(scene, rel, move=args.move, **ctx.solver)
    if done.result is None:
        return Outcome(True, f"{rel} already holds (score {done.before:.2f}); recorded, nothing moved",
                       {"score": round(done.before, 4), "moved": []})  # fmt: skip
    msg, details = summary(done.result, "re-placed")
    details.update(score=round(done.after, 4), score_before=round(done.before, 4))
    ok = done.after >= SATISFIED
    state = f"holds (score {done.after:.2f})" if ok else f"still unsatisfied: {explain(rel, scene)}"
    moved = [i for i in done.result.placed if i in scene]
    return Outcome(ok, f"{rel} {state}; {msg}; moved {fmt_ids(moved)}", details)
