"""Modifiers: ``update_layout``, ``update_rotation``, ``update_size``, ``remove_objects``; and the finisher
``terminate``. Objects resting on a changed object move with it."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

from scene_gym.actions import edit
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
    edit_errors,
    fmt_ids,
)
from scene_gym.actions.tools.solving import summary
from scene_gym.scene import COMPASS_YAW, Scene
from scene_gym.scene.geometry import wrap_angle

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


def run_update_layout(ctx: Context, args: UpdateLayoutArgs) -> Outcome:
    scene = ctx.scene
    objs = [edit.get_object(scene, m.id, field=f"objects[{k}].id") for k, m in enumerate(args.objects)]
    moved, resolve = [], []
    for k, (m, obj) in enumerate(zip(args.objects, objs, strict=True)):
        if m.position is None:
            resolve.append(obj.id)
            continue
        with edit_errors({"to": f"args.objects[{k}].position", "position": f"args.objects[{k}].position"}):
            moved += edit.move_object(scene, obj.id, to=m.position)
            edit.check_inside(scene, obj.id)
    msg = [f"moved {fmt_ids(moved)}"] if moved else []
    details = {"moved": moved}
    ok = True
    if resolve:
        res = edit.replace_objects(scene, resolve, **ctx.solver)
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
    obj = edit.get_object(scene, args.id)
    if args.yaw_deg is not None:
        yaw = math.radians(args.yaw_deg)
    elif args.facing is not None:
        yaw = COMPASS_YAW[args.facing]
    else:
        target = edit.get_object(scene, args.face_object, field="face_object")
        dx, dy = target.position[0] - obj.position[0], target.position[1] - obj.position[1]
        if math.hypot(dx, dy) < 1e-6:
            raise ToolError(f"{target.id} stands at {obj.id}'s centre; no direction to face", field="args.face_object")
        yaw = yaw_facing(dx, dy)
    moved = edit.turn_object(scene, obj.id, yaw)
    msg = f"turned {obj.id} to {math.degrees(wrap_angle(yaw)):.0f} degrees" + _nudge_inside(scene, obj.id)
    return Outcome(True, msg, {"moved": moved, "yaw_deg": round(math.degrees(wrap_angle(yaw)), 4)})


def _nudge_inside(scene: Scene, oid: str) -> str:
    """Push a floor object that now leaves the room back inside by up to :data:`NUDGE` m; what happened, as text."""
    shift = edit.nudge_inside(scene, oid, NUDGE)
    if shift is None:
        return "; it now leaves the room (run optimize_physics or move it)"
    return f"; pushed {math.hypot(*shift):.2f} m back inside the room" if any(shift) else ""


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


def run_update_size(ctx: Context, args: UpdateSizeArgs) -> Outcome:
    scene = ctx.scene
    old = edit.get_object(scene, args.id).size
    moved = edit.resize_object(scene, args.id, size=args.size, scale=args.scale)
    new = scene.get(args.id).size
    msg = f"resized {args.id} from {[round(v, 3) for v in old]} to {[round(v, 3) for v in new]} m"
    return Outcome(True, msg + _nudge_inside(scene, args.id), {"moved": moved, "size": list(new)})


# --- remove_objects ---------------------------------------------------------------------------------------
class RemoveObjectsArgs(Args):
    ids: list[ObjectId] = Field(min_length=1, max_length=64, description=(
        "ids of the objects to remove; objects resting on them are removed too"))


def run_remove_objects(ctx: Context, args: RemoveObjectsArgs) -> Outcome:
    scene = ctx.scene
    known = len(edit.recorded_relations(scene))
    removed = edit.remove_objects(scene, args.ids)
    dropped = known - len(edit.recorded_relations(scene))
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
