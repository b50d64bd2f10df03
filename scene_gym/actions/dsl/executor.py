"""Apply parsed scene-DSL statements to a :class:`~scene_gym.scene.Scene`.

Atomicity is **per statement**: each statement runs inside :meth:`Scene.transaction`, so a statement that fails
(unknown category or id, size out of range, an object leaving the room, no free support surface...) leaves the
scene exactly as it was before that statement and is reported in its :class:`StatementResult`; the statements
after it still run. ``done()`` ends the program: statements after it are reported as skipped.

Semantics (metres; the DSL takes angles in **degrees**; compass words as in :mod:`scene_gym.scene`):

- ``add(category, at=(x, y[, z]), facing=|yaw=, size=(w, d, h), material=, against=<compass>)``: the category
  is an exact name, a synonym or the best text match (``"couch"`` -> sofa). ``size`` defaults to the category's;
  ``z`` defaults to 0 on the floor, the wall-height minus the height for ceiling objects and a 1.5 m centre
  height for wall objects. ``against="north"`` turns the object's back to the north wall (the wall on the room's
  +Y side) and snaps it flush there, keeping ``at``'s position along the wall (facing/yaw are then ignored).
  Without ``at`` the layout solver places the object (keeping everything else fixed).
- ``place_on(category, parent, at=(u, v), size=, material=)``: onto the parent's largest support surface that
  fits; ``(u, v)`` in [-1, 1] spans that surface along the parent's x and y, otherwise the first free spot
  nearest the surface centre is used.
- ``relate(a, relation, b, distance=)``: a :mod:`scene_gym.layout` relation (aliases accepted: "beside",
  "opposite"...); ``b`` is an object id or, for ``against_wall``/``on_wall``, a compass wall. ``a`` is re-placed by
  :func:`scene_gym.layout.solve` with every other object fixed. Relations are remembered in
  ``scene.metadata["relations"]`` and used again when ``a`` is re-related.
- ``move``/``rotate``/``resize`` carry the objects resting on the target along; ``remove`` removes them too.
- ``set_material`` needs a recognised material description; ``set_light`` adds a light (no id) or edits one.

Collisions are not errors (the reward judges them); with a ``world`` they are noted in the message.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scene_gym.actions.dsl.parser import Statement
from scene_gym.actions.dsl.placement import (
    WALL_CENTER_HEIGHT,
    ExecutionError,
    check_inside,
    snap_to_wall,
    surface_spot,
)
from scene_gym.errors import SceneGymError
from scene_gym.scene import COMPASS_YAW, Light, Scene, SceneObject

_DISTANCE_FIELD = ("max_distance", "max_gap", "min_distance", "tolerance")


@dataclass(frozen=True)
class StatementResult:
    """What one statement did.

    Attributes:
        index: position of the statement in the program (0-based).
        op: the command name.
        source: the statement's text.
        ok: True when the statement was applied.
        message: what it did, or why it failed (the scene is then unchanged by it).
        changed_ids: ids of objects or lights it added, changed or removed.
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


@dataclass
class _Ctx:
    scene: Scene
    rng: np.random.Generator
    max_objects: int
    solver_budget_s: float
    changed: list[str] = field(default_factory=list)
    check: list[str] = field(default_factory=list)  # object ids to test against the room bounds


def apply_program(scene: Scene, statements: Sequence[Statement], *, rng: np.random.Generator, world=None,
                  max_objects: int = 200, solver_budget_s: float = 0.5) -> list[StatementResult]:
    """Run ``statements`` (from :func:`~scene_gym.actions.dsl.parse_program`) on ``scene`` in place.

    Args:
        scene: edited in place, one transaction per statement.
        statements: parsed statements.
        rng: seeds the layout solver (``add`` without ``at``, ``relate``).
        world: optional :class:`~scene_gym.physics.PhysicsWorld`; when given it is synced after each statement
            and new collisions are noted in the message.
        max_objects: ``add``/``place_on`` fail once the scene holds this many objects.
        solver_budget_s: time budget of each layout solve, seconds.

    Returns one :class:`StatementResult` per statement, in order. Never raises for a statement's failure.
    """
    if not isinstance(rng, np.random.Generator):
        raise ExecutionError(f"expected a numpy.random.Generator for rng, got {type(rng).__name__}")
    results: list[StatementResult] = []
    done = False
    for i, st in enumerate(statements):
        source = str(st)
        if done:
            results.append(StatementResult(i, st.op, source, False, "not run: it comes after done()", skipped=True))
            continue
        ctx = _Ctx(scene, rng, max_objects, solver_budget_s)
        try:
            with scene.transaction():
                message = _HANDLERS[st.op](ctx, dict(st.args))
                for oid in ctx.check:
                    check_inside(scene, scene.get(oid))
        except SceneGymError as err:
            results.append(StatementResult(i, st.op, source, False, str(err)))
            continue
        except (ArithmeticError, TypeError, KeyError, IndexError) as err:  # a defect, reported rather than raised
            results.append(StatementResult(i, st.op, source, False, f"internal error {type(err).__name__}: {err}"))
            continue
        done = st.op == "done"
        if world is not None and ctx.changed:
            message += _collision_note(scene, world, ctx.changed)
        results.append(StatementResult(i, st.op, source, True, message, tuple(ctx.changed), done=done))
    return results


# --- helpers ---------------------------------------------------------------------------------------------------
def _fmt(v: Sequence[float]) -> str:
    return "(" + ", ".join(f"{x:.2f}" for x in v) + ")"


def _resolve_category(name: str) -> tuple[str, str]:
    from scene_gym.assets import factories, resolve
    from scene_gym.errors import UnknownCategoryError

    try:
        category = resolve(name)
    except UnknownCategoryError as err:
        if err.suggestions:
            raise
        some = ", ".join(sorted(factories())[:: max(1, len(factories()) // 12)])
        raise ExecutionError(f"unknown category {name!r}; no close name (categories include {some}, ...)") from None
    note = "" if category == name else f" ({name!r} -> {category})"
    return category, note


def _material(text: str | None, default: str) -> str:
    from scene_gym.assets import resolve_material

    if text is None:
        return default
    resolve_material(text, strict=True)
    return text


def _checked_size(category: str, size, material: str) -> tuple[float, float, float]:
    from scene_gym.assets import build_asset, get_factory

    size = tuple(float(v) for v in (size if size is not None else get_factory(category).default_size))
    build_asset(category, size, material=material)  # raises AssetError naming the axis and its range
    return size


def _collision_note(scene: Scene, world, ids: list[str]) -> str:
    present = [i for i in ids if i in scene]
    if not present:
        return ""
    world.sync(scene)
    hits = world.collisions(ids=present)
    if not hits:
        return ""
    parts = [f"{c.a} and {c.b} overlap by {100 * c.depth:.0f} cm" for c in hits[:5]]
    return "; note: " + ", ".join(parts)


def _yaw(args: dict, default: float) -> float:
    if "facing" in args:
        return COMPASS_YAW[args["facing"]]
    if "yaw" in args:
        return math.radians(args["yaw"])
    return default


def _check_room_for_more(ctx: _Ctx) -> None:
    if len(ctx.scene) >= ctx.max_objects:
        raise ExecutionError(f"expected fewer than {ctx.max_objects} objects before adding one, got {len(ctx.scene)} "
                             "(the scene is full; remove something first)")  # fmt: skip


def _solve(ctx: _Ctx, requests, relations):
    from scene_gym.layout import solve

    return solve(ctx.scene, requests, relations, seed=int(ctx.rng.integers(0, 2**31 - 1)),
                 time_budget_s=ctx.solver_budget_s)  # fmt: skip


def _carry(ctx: _Ctx, parent_before: SceneObject, parent_after: SceneObject) -> None:
    """Move the descendants of a changed object rigidly with it (xy and height scaled with a resize)."""
    t0, t1 = parent_before.transform(), parent_after.transform()
    scale = np.array([a / b for a, b in zip(parent_after.size, parent_before.size, strict=True)] + [1.0])
    m = t1 @ np.diag(scale) @ np.linalg.inv(t0)
    dyaw = parent_after.yaw - parent_before.yaw
    for child in ctx.scene.descendants(parent_before.id):
        p = m @ np.array([*child.position, 1.0])
        ctx.scene.update(child.id, position=tuple(float(v) for v in p[:3]), yaw=child.yaw + dyaw)
        ctx.changed.append(child.id)


# --- commands --------------------------------------------------------------------------------------------------
def _add(ctx: _Ctx, args: dict) -> str:
    from scene_gym.assets import get_factory
    from scene_gym.layout import PlacementRequest, Relation

    _check_room_for_more(ctx)
    scene, room = ctx.scene, ctx.scene.room
    category, note = _resolve_category(args["category"])
    factory = get_factory(category)
    material = _material(args.get("material"), factory.default_material)
    size = _checked_size(category, args.get("size"), material)
    oid = scene.next_id(category)
    if "at" not in args:
        rels = [Relation.from_dict({"relation": "against_wall", "subject": oid, "wall": args["against"]})] \
            if "against" in args else []  # fmt: skip
        result = _solve(ctx, [PlacementRequest(category, size=size, material=material, id=oid)], rels)
        if result.failed:
            raise ExecutionError(f"no free place for a {category} of size {_fmt(size)} m: {result.failed[0].reason}")
        obj = result.scene.get(oid)
        if "against" not in args and ("facing" in args or "yaw" in args):
            obj = obj.evolve(yaw=_yaw(args, obj.yaw))
            ctx.check.append(oid)
        scene.add(obj)
        ctx.changed.append(oid)
        return f"added {oid}{note} at {_fmt(obj.position)} (placed by the layout solver)"
    x, y = args["at"][:2]
    yaw = _yaw(args, 0.0)
    if "against" in args:
        x, y, yaw = snap_to_wall(room, args["against"], (x, y), size[0], size[1])
    if len(args["at"]) == 3:
        z = args["at"][2]
    elif factory.placement == "ceiling":
        z = room.wall_height - size[2]
    elif factory.placement == "wall":
        z = WALL_CENTER_HEIGHT - size[2] / 2
    else:
        z = 0.0
    parent = factory.placement if factory.placement in ("wall", "ceiling") else "floor"
    obj = scene.new_object(category, position=(float(x), float(y), float(z)), yaw=yaw, size=size, material=material,
                           parent=parent)  # fmt: skip
    ctx.changed.append(obj.id)
    ctx.check.append(obj.id)
    return f"added {obj.id}{note} at {_fmt(obj.position)} yaw {math.degrees(obj.yaw):.0f} deg"


def _place_on(ctx: _Ctx, args: dict) -> str:
    from scene_gym.assets import get_factory

    _check_room_for_more(ctx)
    scene = ctx.scene
    parent = scene.get(args["parent"])
    category, note = _resolve_category(args["category"])
    factory = get_factory(category)
    material = _material(args.get("material"), factory.default_material)
    size = _checked_size(category, args.get("size"), material)
    s, lx, ly = surface_spot(scene, parent, size, args.get("at"))
    p = parent.transform() @ np.array([lx, ly, s.center[2], 1.0])
    obj = scene.new_object(category, position=tuple(float(v) for v in p[:3]), yaw=parent.yaw, size=size,
                           material=material, parent=parent.id)  # fmt: skip
    ctx.changed.append(obj.id)
    ctx.check.append(obj.id)
    return f"put {obj.id}{note} on {parent.id}'s {s.name} at {_fmt(obj.position)}"


def _relate(ctx: _Ctx, args: dict) -> str:
    from dataclasses import fields

    from scene_gym.layout import RELATIONS, Relation
    from scene_gym.layout.validate import normalise_name

    scene = ctx.scene
    a = scene.get(args["a"]).id
    name = normalise_name(args["relation"])
    names = {f.name for f in fields(RELATIONS[name])}
    data: dict[str, Any] = {"relation": name}
    data["subjects" if "subjects" in names else "subject"] = [a] if "subjects" in names else a
    b = args.get("b")
    if b is not None:
        if "target" in names:
            scene.get(b)
            data["target"] = b
        elif "wall" in names:
            data["wall"] = b
        else:
            raise ExecutionError(f"{name}: expected no second object (it relates {a} to the room), got {b!r}")
    elif "target" in names:
        raise ExecutionError(f"{name}: expected a second object id, got none")
    if "distance" in args:
        key = next((k for k in _DISTANCE_FIELD if k in names), None)
        if key is None:
            raise ExecutionError(f"{name}: expected no distance (it has no distance parameter), got {args['distance']}")
        data[key] = args["distance"]
        low = next((f.default for f in fields(RELATIONS[name]) if f.name == "min_distance"), None)
        if key == "max_distance" and low is not None and low > args["distance"]:
            data["min_distance"] = 0.0
    rel = Relation.from_dict(data)
    stored = [Relation.from_dict(r) for r in scene.metadata.get("relations", [])]
    keep = [r for r in stored if a in r.ids() and all(i in scene for i in r.ids()) and r != rel]
    result = _solve(ctx, [a], [*keep, rel])
    if any(f.id == a for f in result.failed):
        reason = next(f.reason for f in result.failed if f.id == a)
        raise ExecutionError(f"cannot re-place {a} for {name}: {reason}")
    for obj in result.scene.objects:
        if obj.id in scene and scene.get(obj.id) != obj:
            scene.update(obj.id, position=obj.position, yaw=obj.yaw, size=obj.size, parent=obj.parent)
            ctx.changed.append(obj.id)
    scene.metadata["relations"] = [r.to_dict() for r in [*keep, rel]] + [
        r.to_dict() for r in stored if r not in keep and r != rel]  # fmt: skip
    score = result.scores[-1] if result.scores else 1.0
    return f"{a} re-placed at {_fmt(scene.get(a).position)}; {rel} satisfied {score:.2f}"


def _move(ctx: _Ctx, args: dict) -> str:
    before = ctx.scene.get(args["id"])
    x, y, z = before.position
    if "to" in args:
        t = args["to"]
        pos = (t[0], t[1], t[2] if len(t) == 3 else z)
    else:
        b = args["by"]
        pos = (x + b[0], y + b[1], z + (b[2] if len(b) == 3 else 0.0))
    after = ctx.scene.update(before.id, position=tuple(float(v) for v in pos))
    ctx.changed.append(before.id)
    ctx.check.append(before.id)
    _carry(ctx, before, after)
    return f"moved {before.id} to {_fmt(after.position)}"


def _rotate(ctx: _Ctx, args: dict) -> str:
    before = ctx.scene.get(args["id"])
    yaw = before.yaw + math.radians(args["by"]) if "by" in args else _yaw(args, before.yaw)
    after = ctx.scene.update(before.id, yaw=yaw)
    ctx.changed.append(before.id)
    ctx.check.append(before.id)
    _carry(ctx, before, after)
    return f"rotated {before.id} to yaw {math.degrees(after.yaw):.0f} deg"


def _resize(ctx: _Ctx, args: dict) -> str:
    before = ctx.scene.get(args["id"])
    size = args["size"] if "size" in args else tuple(v * args["scale"] for v in before.size)
    size = _checked_size(before.category, size, before.material or None)
    after = ctx.scene.update(before.id, size=size)
    ctx.changed.append(before.id)
    ctx.check.append(before.id)
    _carry(ctx, before, after)
    return f"resized {before.id} to {_fmt(after.size)} m"


def _remove(ctx: _Ctx, args: dict) -> str:
    gone = [o.id for o in ctx.scene.remove(args["id"])]
    rels = ctx.scene.metadata.get("relations")
    if rels:
        ctx.scene.metadata["relations"] = [r for r in rels if not set(gone) & set(_rel_ids(r))]
    ctx.changed.extend(gone)
    return "removed " + ", ".join(gone)


def _rel_ids(rel: dict) -> list[str]:
    return [v for k, v in rel.items() if k in ("subject", "target")] + list(rel.get("subjects", []))


def _set_material(ctx: _Ctx, args: dict) -> str:
    obj = ctx.scene.get(args["id"])
    ctx.scene.update(obj.id, material=_material(args["material"], ""))
    ctx.changed.append(obj.id)
    return f"{obj.id} is now {args['material']!r}"


def _set_light(ctx: _Ctx, args: dict) -> str:
    scene = ctx.scene
    changes = {k: v for k, v in (("kind", args.get("kind")), ("position", args.get("at")),
                                 ("intensity", args.get("intensity")), ("color", args.get("color"))) if v is not None}  # fmt: skip
    if "kind" in changes and changes["kind"] not in ("point", "area", "sun"):
        raise ExecutionError(f"expected a light kind among point, area, sun, got {changes['kind']!r}")
    lid = args.get("id")
    if lid is None:
        n = 1 + max([int(i.rsplit("_", 1)[1]) for i in (x.id for x in scene.lights) if i.rsplit("_", 1)[1].isdigit()]
                    or [0])  # fmt: skip
        cx, cy = scene.room.center
        light = _light(id=f"light_{n}", **{"position": (cx, cy, scene.room.wall_height - 0.1), **changes})
        scene.add_light(light)
        ctx.changed.append(light.id)
        return f"added {light.id} ({light.kind}, {light.intensity:g} W) at {_fmt(light.position)}"
    known = {x.id: x for x in scene.lights}
    if lid not in known:
        raise ExecutionError(f"unknown light id {lid!r}; known lights: {', '.join(known) or '(none)'}")
    new = _light(**{**known[lid].model_dump(), **changes})
    room, prompt, metadata, objects, lights = scene.snapshot()
    lights[lid] = new  # same place in the order
    scene.restore((room, prompt, metadata, objects, lights))
    ctx.changed.append(lid)
    return f"updated {lid}: " + ", ".join(f"{k}={v}" for k, v in changes.items())


def _light(**fields: Any) -> Light:
    import pydantic

    from scene_gym.scene.document import format_validation_error

    try:
        return Light.model_validate(fields)
    except pydantic.ValidationError as err:
        raise ExecutionError(f"light: {format_validation_error(err)}") from None


def _done(ctx: _Ctx, args: dict) -> str:
    return "finished"


_HANDLERS = {"add": _add, "place_on": _place_on, "relate": _relate, "move": _move, "rotate": _rotate,
             "resize": _resize, "remove": _remove, "set_material": _set_material, "set_light": _set_light,
             "done": _done}  # fmt: skip
