"""Initializers: ``init_room`` (the architecture) and ``init_layout`` (the essential furniture of a room type)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from scene_gym.actions import edit
from scene_gym.actions.tools.base import Args, Bool, Context, Int, Num, Outcome, Text, ToolError, fmt_ids
from scene_gym.actions.tools.solving import summary
from scene_gym.assets.room_priors import DEFAULT_SIZE, PRIORS, PriorItem
from scene_gym.scene import ROOM_TYPES, Opening, Room

RoomType = Literal[ROOM_TYPES]  # type: ignore[valid-type]

MIN_SIDE, MAX_SIDE = 2.0, 30.0  # metres, room width and depth
MIN_LEG = 1.5  # metres: an L-shaped room keeps at least this much on each side of its notch
DOOR_WIDTH, DOOR_HEIGHT = 0.9, 2.1
WINDOW_SILL, WINDOW_HEIGHT, WINDOW_WIDTH = 0.9, 1.2, 1.2


def _room_type(value: Any) -> Any:
    if isinstance(value, str):
        key = " ".join(value.replace("_", " ").replace("-", " ").lower().split())
        return key
    return value


class InitRoomArgs(Args):
    room_type: RoomType = Field(description="the kind of room")
    width: Num | None = Field(None, ge=MIN_SIDE, le=MAX_SIDE,
                              description="size along x (west to east), metres; default: typical for the room type")
    depth: Num | None = Field(None, ge=MIN_SIDE, le=MAX_SIDE,
                              description="size along y (south to north), metres; default: typical for the room type")
    height: Num = Field(2.8, ge=2.2, le=6.0, description="wall height, metres")
    l_cut: list[Num] | None = Field(None, min_length=2, max_length=2, description=(
        "make the room L-shaped by cutting a [width, depth] notch (metres) out of its north-east corner; each leg "
        f"keeps at least {MIN_LEG} m"))  # fmt: skip
    door: Bool = Field(True, description="put a door in the south wall")
    windows: Int = Field(1, ge=0, le=4, description="number of windows, on the longest walls")
    floor_material: Text | None = Field(None, max_length=128, description="e.g. 'oak wood', 'grey tiles'")
    wall_material: Text | None = Field(None, max_length=128, description="e.g. 'white paint'")

    _norm = field_validator("room_type", mode="before")(_room_type)

    def finish(self) -> InitRoomArgs:
        w, d = self.size()
        if self.l_cut is not None:
            cw, cd = self.l_cut
            for name, cut, side in (("width", cw, w), ("depth", cd, d)):
                if not 0.5 <= cut <= side - MIN_LEG:
                    raise ToolError(f"expected the notch {name} in [0.5, {side - MIN_LEG:g}] m for a room {name} of "
                                    f"{side:g} m, got {cut:g}", field="args.l_cut")  # fmt: skip
        return self

    def size(self) -> tuple[float, float]:
        dw, dd = DEFAULT_SIZE[self.room_type]
        return (dw if self.width is None else self.width, dd if self.depth is None else self.depth)


def _openings(floor: tuple, height: float, door: bool, windows: int) -> tuple[Opening, ...]:
    room = Room(floor=floor, wall_height=height)
    out = []
    if door and room.wall_length(0) >= DOOR_WIDTH + 0.3:
        out.append(Opening(id="door_1", kind="door", wall=0, offset=min(0.2 + DOOR_WIDTH / 2, room.wall_length(0) / 2),
                           width=DOOR_WIDTH, height=min(DOOR_HEIGHT, height - 0.05)))  # fmt: skip
    walls = sorted(range(1, len(floor)), key=lambda i: (-round(room.wall_length(i), 6), i))
    n = 0
    for i in walls:
        if n >= windows:
            break
        length = room.wall_length(i)
        width = min(WINDOW_WIDTH, length - 0.6)
        if width < 0.6:
            continue
        n += 1
        out.append(Opening(id=f"window_{n}", kind="window", wall=i, offset=length / 2, width=round(width, 6),
                           height=min(WINDOW_HEIGHT, height - WINDOW_SILL - 0.1), sill=WINDOW_SILL))  # fmt: skip
    return tuple(out)


def run_init_room(ctx: Context, args: InitRoomArgs) -> Outcome:
    scene = ctx.scene
    w, d = args.size()
    extra: dict[str, Any] = {"type": args.room_type, "wall_height": args.height}
    if args.floor_material:
        extra["floor_material"] = args.floor_material
    if args.wall_material:
        extra["wall_material"] = args.wall_material
    base = Room.rectangle(w, d) if args.l_cut is None else Room.l_shape(w, d, *args.l_cut)
    room = Room(floor=base.floor, openings=_openings(base.floor, args.height, args.door, args.windows), **extra)
    removed, dropped = edit.replace_room(scene, room)
    shape = "L-shaped " if args.l_cut is not None else ""
    msg = (f"{shape}{args.room_type} of {w:g} x {d:g} m (height {args.height:g} m) with "
           f"{sum(o.kind == 'door' for o in room.openings)} door(s) and {sum(o.kind == 'window' for o in room.openings)} "
           f"window(s); walls 0..{len(room.floor) - 1} start at the south wall; removed {len(removed)} object(s)")  # fmt: skip
    return Outcome(True, msg, {"removed": removed, "lights_removed": dropped, "size": [w, d]})


class InitLayoutArgs(Args):
    room_type: RoomType | None = Field(None, description="room type whose essential furniture to place; default: "
                                                         "the scene's room type")  # fmt: skip
    optional: Bool = Field(True, description="also place the optional furniture of the prior where it fits")
    replace: Bool = Field(True, description="remove every object first")

    _norm = field_validator("room_type", mode="before")(_room_type)


def expand_prior(items: tuple[PriorItem, ...], taken: set[str], next_id,
                 known: dict[str, list[str]] | None = None) -> tuple[list, list]:  # fmt: skip
    """Placement requests and relations for prior items.

    ``next_id(category, taken)`` names new objects (added to ``taken``); ``known`` maps categories to ids
    already in the scene that templates may target (the essential objects, when adding optional ones).
    """
    from scene_gym.layout import PlacementRequest, Relation

    ids: dict[str, list[str]] = {k: list(v) for k, v in (known or {}).items() if v}
    requests, relations = [], []
    for item in items:
        mine = []
        for _ in range(item.count):
            oid = next_id(item.category, taken)
            taken.add(oid)
            mine.append(oid)
            requests.append(PlacementRequest(item.category, id=oid))
        ids.setdefault(item.category, []).extend(mine)
        for tpl in item.relations:
            tpl = dict(tpl)
            only = tpl.pop("instance", None)
            if "target" in tpl:
                targets = ids.get(tpl["target"])
                if not targets:
                    continue
                tpl["target"] = targets[0]
            if tpl["relation"] == "around":
                relations.append(Relation.from_dict({**tpl, "subjects": mine}))
                continue
            for k, oid in enumerate(mine):
                if only is None or only == k:
                    relations.append(Relation.from_dict({**tpl, "subject": oid}))
    return requests, relations


def next_free_id(scene):
    """``next_id(category, taken)`` giving ``<category>_<n>`` ids free in ``scene`` and in ``taken``."""

    def next_id(category: str, taken: set[str]) -> str:
        n = int(scene.next_id(category).rsplit("_", 1)[1])
        while f"{category}_{n}" in taken:
            n += 1
        return f"{category}_{n}"

    return next_id


def run_init_layout(ctx: Context, args: InitLayoutArgs) -> Outcome:
    scene = ctx.scene
    room_type = args.room_type or scene.room.type
    if room_type not in PRIORS:
        raise ToolError(f"the scene's room type {room_type!r} has no prior; pass room_type, one of "
                        f"{list(PRIORS)}", field="args.room_type")  # fmt: skip
    removed = edit.remove_objects(scene, [o.id for o in scene.objects]) if args.replace else []
    items = PRIORS[room_type]
    taken = {o.id for o in scene.objects}
    next_id = next_free_id(scene)
    essential = tuple(i for i in items if i.essential)
    requests, relations = expand_prior(essential, taken, next_id)
    res = edit.solve_into(scene, requests, relations, **ctx.solver)
    msg, details = summary(res)
    essential_failed = [f.id for f in res.failed]
    if args.optional:
        optional = tuple(i for i in items if not i.essential)
        present = {c: [o.id for o in scene.by_category(c)] for c in {i.category for i in essential}}
        # Placed after the essentials, in a second solve, so that they never crowd an essential object out.
        req2, rel2 = expand_prior(optional, taken, next_id, present)
        if req2:
            res2 = edit.solve_into(scene, req2, rel2, **ctx.solver)
            msg2, det2 = summary(res2, "optional: placed")
            msg += "; " + msg2
            for key in ("placed", "failed", "unsatisfied"):
                details[key] = details[key] + det2[key]
            details["optional_failed"] = [f.id for f in res2.failed]
    details["removed"] = removed
    details["room_type"] = room_type
    ok = not essential_failed
    return Outcome(ok, f"{room_type} layout: {msg}" + ("" if ok else f" (essential objects missing: "
                                                               f"{fmt_ids(essential_failed)})"), details)  # fmt: skip

