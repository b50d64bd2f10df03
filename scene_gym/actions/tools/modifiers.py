"""Modifiers: ``update_layout``, ``update_rotation``, ``update_size``, ``remove_objects``; and the finisher
``terminate``. Objects resting on a changed object move with it."""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from scene_gym.actions.tools.base import (
    Args,
    Compass,
    Context,
    Num,
    ObjectId,
    Outcome,
    Size3,
    Text,
    ToolError,
)
from scene_gym.actions.tools.ops import (
    check_size_in_range,
    fmt_ids,
    footprint,
    forget_relations,
    get_object,
    move_group,
    outside_by,
    push_inside,
    relations_for,
    turn_group,
)
from scene_gym.actions.tools.solving import solve_into, summary
from scene_gym.scene import COMPASS_YAW, Scene, SceneObject
from scene_gym.scene.geometry import wrap_angle

OOB_TOL = 0.01  # metres a moved footprint may leave the floor, as the out-of-bounds metric
NUDGE = 0.5  # metres an object turned or resized into a wall may be pushed back inside


# --- update_layout ----------------------------------------------------------------------------------------
class Move(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    id: ObjectId
    position: list[Num] | None = Field(None, min_length=2, max_length=2, description=(
        "new [x, y] of the object's centre in metres (room origin at the south-west corner); null: let the "
        "layout solver re-place it"))  # fmt: skip


class UpdateLayoutArgs(Args):
    objects: list[Move] = Field(min_length=1, max_length=32, description=(
        "objects to move: [{\"id\": \"sofa_1\", \"position\": [2.0, 0.6]}, {\"id\": \"chair_1\"}]"))

    def finish(self) -> UpdateLayoutArgs:
        seen = set()
        for k, m in enumerate(self.objects):
            if m.id in seen:
                raise ToolError(f"{m.id!r} is listed twice", field=f"args.objects[{k}].id")
            seen.add(m.id)
        return self


def _check_on_parent(scene: Scene, obj: SceneObject, x: float, y: float, field: str) -> None:
    from scene_gym.physics.checks import depth_inside_convex

    if obj.parent in ("floor", "wall", "ceiling"):
        return
    host = scene.get(obj.parent)
    if depth_inside_convex(np.array([[x, y]]), host.footprint())[0] < 0:
        raise ToolError(f"{obj.id} rests on {host.id}; expected a position over it (its footprint spans x "
                        f"{host.footprint()[:, 0].min():.2f}..{host.footprint()[:, 0].max():.2f}, y "
                        f"{host.footprint()[:, 1].min():.2f}..{host.footprint()[:, 1].max():.2f}), got [{x:g}, {y:g}]",
                        field=field)  # fmt: skip


def run_update_layout(ctx: Context, args: UpdateLayoutArgs) -> Outcome:
    scene = ctx.scene
    objs = [get_object(scene, m.id, f"args.objects[{k}].id") for k, m in enumerate(args.objects)]
    moved, resolve = [], []
    w, d = scene.room.bounds
    for k, (m, obj) in enumerate(zip(args.objects, objs, strict=True)):
        if m.position is None:
            resolve.append(obj.id)
            continue
        x, y = m.position
        field = f"args.objects[{k}].position"
        out = outside_by(scene.room, footprint(obj, x, y))
        if out > OOB_TOL:
            raise ToolError(f"{obj.id} ({obj.size[0]:.2f} x {obj.size[1]:.2f} m) at [{x:g}, {y:g}] would leave the room "
                            f"by {out:.2f} m; the floor spans x 0..{w:g}, y 0..{d:g}", field=field)  # fmt: skip
        _check_on_parent(scene, obj, x, y, field)
        moved += move_group(scene, obj.id, x - obj.position[0], y - obj.position[1])
    msg = [f"moved {fmt_ids(moved)}"] if moved else []
    details = {"moved": moved}
    ok = True
    if resolve:
        res = solve_into(ctx, resolve, relations_for(scene, resolve), record=False)
        text, det = summary(res, "re-placed")
        msg.append(text)
        details.update(det)
        ok = not res.failed
    return Outcome(ok, "; ".join(msg), details)


# --- update_rotation --------------------------------------------------------------------------------------
class UpdateRotationArgs(Args):
    id: ObjectId = Field(description="the object to turn")
    yaw_deg: Num | None = Field(None, ge=-720.0, le=720.0, description=(
        "absolute yaw in degrees, counter-clockwise; 0 faces north (+y), 90 west, 180 south, -90 east"))
    facing: Compass | None = Field(None, description="make its front face this compass direction")
    face_object: ObjectId | None = Field(None, description="make its front face this object")

    def finish(self) -> UpdateRotationArgs:
        given = [k for k in ("yaw_deg", "facing", "face_object") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ToolError(f"expected exactly one of yaw_deg, facing, face_object; got {given or 'none'}",
                            field="args." + (given[1] if len(given) > 1 else "yaw_deg"))  # fmt: skip
        if self.face_object == self.id:
            raise ToolError(f"an object cannot face itself ({self.id!r})", field="args.face_object")
        return self


def run_update_rotation(ctx: Context, args: UpdateRotationArgs) -> Outcome:
    from scene_gym.layout.geometry import yaw_facing

    scene = ctx.scene
    obj = get_object(scene, args.id, "args.id")
    if obj.parent == "wall":
        raise ToolError(f"{obj.id} hangs on a wall and faces away from it; move it with update_layout instead",
                        field="args.id")  # fmt: skip
    if args.yaw_deg is not None:
        yaw = math.radians(args.yaw_deg)
    elif args.facing is not None:
        yaw = COMPASS_YAW[args.facing]
    else:
        target = get_object(scene, args.face_object, "args.face_object")
        dx, dy = target.position[0] - obj.position[0], target.position[1] - obj.position[1]
        if math.hypot(dx, dy) < 1e-6:
            raise ToolError(f"{target.id} stands at {obj.id}'s centre; no direction to face", field="args.face_object")
        yaw = yaw_facing(dx, dy)
    moved = turn_group(scene, obj.id, yaw)
    msg = f"turned {obj.id} to {math.degrees(wrap_angle(yaw)):.0f} degrees"
    nudge = _nudge_inside(scene, obj.id)
    if nudge is not None:
        msg += nudge
    return Outcome(True, msg, {"moved": moved, "yaw_deg": round(math.degrees(wrap_angle(yaw)), 4)})


def _nudge_inside(scene: Scene, oid: str) -> str | None:
    """If a floor object now leaves the room, push it (and its load) back inside by up to :data:`NUDGE` m."""
    obj = scene.get(oid)
    if obj.parent != "floor" or outside_by(scene.room, footprint(obj)) <= OOB_TOL:
        return None
    shift = push_inside(scene.room, footprint(obj), NUDGE)
    if shift is None:
        return "; it now leaves the room (run optimize_physics or move it)"
    move_group(scene, oid, *shift)
    return f"; pushed {math.hypot(*shift):.2f} m back inside the room"


# --- update_size ------------------------------------------------------------------------------------------
class UpdateSizeArgs(Args):
    id: ObjectId = Field(description="the object to resize")
    size: Size3 | None = Field(None, min_length=3, max_length=3, description=(
        "new [width, depth, height] in metres, within the category's size range"))
    scale: Num | None = Field(None, gt=0.0, le=10.0, description="multiply every dimension by this factor instead")

    def finish(self) -> UpdateSizeArgs:
        if (self.size is None) == (self.scale is None):
            raise ToolError("expected exactly one of size and scale", field="args.size")
        return self


def _surface_at(asset, obj: SceneObject, child: SceneObject):
    """The support surface of ``asset`` (built for ``obj``) that ``child`` rests on, or None."""
    lx, ly = _to_local(obj, child.position[0], child.position[1])
    dz = child.position[2] - obj.position[2]
    best = None
    for s in asset.surfaces:
        if abs(dz - s.center[2]) <= 0.02 and abs(lx - s.center[0]) <= s.size[0] / 2 + 0.02 and abs(
                ly - s.center[1]) <= s.size[1] / 2 + 0.02:  # fmt: skip
            if best is None or abs(dz - s.center[2]) < abs(dz - best.center[2]):
                best = s
    return best


def _to_local(obj: SceneObject, x: float, y: float) -> tuple[float, float]:
    c, s = math.cos(obj.yaw), math.sin(obj.yaw)
    dx, dy = x - obj.position[0], y - obj.position[1]
    return c * dx + s * dy, -s * dx + c * dy


def _to_world(obj: SceneObject, lx: float, ly: float) -> tuple[float, float]:
    c, s = math.cos(obj.yaw), math.sin(obj.yaw)
    return obj.position[0] + c * lx - s * ly, obj.position[1] + s * lx + c * ly


def run_update_size(ctx: Context, args: UpdateSizeArgs) -> Outcome:
    from scene_gym.assets import build_asset

    scene = ctx.scene
    obj = get_object(scene, args.id, "args.id")
    new_size = tuple(args.size) if args.size is not None else tuple(v * args.scale for v in obj.size)
    try:
        new_size = check_size_in_range(obj.category, new_size)
    except ValueError as err:
        raise ToolError(str(err), field="args.size" if args.size is not None else "args.scale") from None
    old_asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
    new_asset = build_asset(obj.category, new_size, obj.params, obj.seed, obj.material or None)
    x, y, z = obj.position
    if obj.parent == "wall":  # keep the back on the wall: the centre moves along the front by half the change
        off = (new_size[1] - obj.size[1]) / 2
        x, y = x - math.sin(obj.yaw) * off, y + math.cos(obj.yaw) * off
    elif obj.parent == "ceiling":
        z = scene.room.wall_height - new_size[2]
    children = scene.children(obj.id)
    new_obj = scene.update(obj.id, size=new_size, position=(round(x, 6), round(y, 6), round(z, 6)))
    moved = [obj.id]
    for child in children:
        old_s = _surface_at(old_asset, obj, child)
        new_s = next((s for s in new_asset.surfaces if old_s is not None and s.name == old_s.name), None)
        lx, ly = _to_local(obj, child.position[0], child.position[1])
        if old_s is not None and new_s is not None:
            fx = new_s.size[0] / old_s.size[0] if old_s.size[0] > 0 else 1.0
            fy = new_s.size[1] / old_s.size[1] if old_s.size[1] > 0 else 1.0
            nlx = new_s.center[0] + (lx - old_s.center[0]) * fx
            nly = new_s.center[1] + (ly - old_s.center[1]) * fy
            nz = new_obj.position[2] + new_s.center[2]
        else:
            nlx, nly = lx * new_size[0] / obj.size[0], ly * new_size[1] / obj.size[1]
            nz = new_obj.position[2] + (child.position[2] - obj.position[2]) * new_size[2] / obj.size[2]
        nx, ny = _to_world(new_obj, nlx, nly)
        moved += move_group(scene, child.id, nx - child.position[0], ny - child.position[1], nz - child.position[2])
    msg = f"resized {obj.id} from {[round(v, 3) for v in obj.size]} to {[round(v, 3) for v in new_size]} m"
    nudge = _nudge_inside(scene, obj.id)
    if nudge is not None:
        msg += nudge
    return Outcome(True, msg, {"moved": moved, "size": list(new_size)})


# --- remove_objects ---------------------------------------------------------------------------------------
class RemoveObjectsArgs(Args):
    ids: list[ObjectId] = Field(min_length=1, max_length=64, description=(
        "ids of the objects to remove; objects resting on them are removed too"))


def run_remove_objects(ctx: Context, args: RemoveObjectsArgs) -> Outcome:
    scene = ctx.scene
    for k, oid in enumerate(args.ids):
        get_object(scene, oid, f"args.ids[{k}]")
    removed = []
    for oid in args.ids:
        if oid in scene:
            removed += [o.id for o in scene.remove(oid)]
    dropped = forget_relations(scene, removed)
    cascaded = [i for i in removed if i not in set(args.ids)]
    msg = f"removed {fmt_ids(removed)}" + (f" (resting on them: {fmt_ids(cascaded)})" if cascaded else "")
    if dropped:
        msg += f"; forgot {dropped} relation(s) naming them"
    return Outcome(True, msg, {"removed": removed, "cascaded": cascaded})


# --- terminate --------------------------------------------------------------------------------------------
class TerminateArgs(Args):
    reason: Text | None = Field(None, max_length=500, description="why the scene is finished (optional)")


def run_terminate(ctx: Context, args: TerminateArgs) -> Outcome:
    return Outcome(True, "scene finished" + (f": {args.reason}" if args.reason else ""), {}, terminate=True)
