"""Objects: add one (on the floor, a wall, the ceiling or a support surface), move, turn or resize it together with
everything resting on it, remove objects (forgetting the relations about them), change a material or joint state.

Units: metres and radians, room coordinates (see :mod:`scene_gym.scene`). An object's position is the centre of
its bounding box's bottom face, its size the full extents (width, depth, height). Positions are stored rounded to
the micrometre.

Whatever rests on an object (its descendants through ``parent``) follows it: :func:`move_object`,
:func:`turn_object` and :func:`resize_object` share one carry step, which expresses each child's position in the
object's frame before the edit and puts it back in the frame after it (a resize also scales the offsets, surface
by surface, see :func:`~scene_gym.actions.edit.surfaces.resize_map`). Moving, turning and resizing do not check
the room: follow them with :func:`~scene_gym.actions.edit.room.check_inside` (fail) or
:func:`~scene_gym.actions.edit.room.nudge_inside` (push back), as the front-end prefers. Adding does check it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from scene_gym.actions.edit.lookup import (
    as_edit_error,
    atomic,
    check_angle,
    check_material,
    check_size,
    check_vector,
    get_category,
    get_object,
    r6,
)
from scene_gym.actions.edit.relations import forget_relations
from scene_gym.actions.edit.room import check_inside
from scene_gym.actions.edit.surfaces import asset_of, resize_map, surface_spot
from scene_gym.errors import EditError
from scene_gym.scene import ARCHITECTURE_PARENTS, Scene, SceneObject, mutation


# --- adding -----------------------------------------------------------------------------------------------------
@atomic
def add_object(scene: Scene, category: str, *, position: Sequence[float], yaw: float = 0.0,
               size: Sequence[float] | None = None, material: str | None = None, parent: str = "floor") -> SceneObject:  # fmt: skip
    """Add an object of ``category`` with the next free id (``sofa_1``, ``sofa_2``...).

    Args:
        scene: edited in place.
        category: an exact catalog name (:func:`~scene_gym.actions.edit.resolve_category` turns "couch" into one).
        position: (x, y, z) metres, the centre of the bounding box's bottom face.
        yaw: radians, counter-clockwise about +Z; at 0 the front faces +Y.
        size: (width, depth, height) metres within the category's size range; default: the category's size.
        material: a material description ("walnut wood"); default: the category's material.
        parent: "floor", "wall", "ceiling" or the id of the object it rests on.

    Returns the new :class:`SceneObject`. Raises :class:`~scene_gym.errors.EditError` naming the argument (an
    unknown category or parent, a size out of range, an unrecognised material, an object leaving the room).
    """
    factory = get_category(category)
    pos = check_vector(position, field="position", dims=(3,))
    yaw = check_angle(yaw)
    size = check_size(category, factory.default_size if size is None else size)
    material = factory.default_material if material is None else check_material(material)
    if parent not in ARCHITECTURE_PARENTS:
        get_object(scene, parent, field="parent")
    with as_edit_error(None):
        obj = mutation.new_object(scene, category, position=r6(pos), yaw=yaw, size=size, material=material,
                                  parent=parent)  # fmt: skip
    check_inside(scene, obj.id)
    return obj


@atomic
def place_on(scene: Scene, category: str, parent: str, *, at: Sequence[float] | None = None,
             size: Sequence[float] | None = None, material: str | None = None) -> SceneObject:  # fmt: skip
    """Add an object of ``category`` onto a support surface of the object ``parent``, turned as the parent.

    The surface is the parent's largest base-link support surface that fits the object; ``at`` = (u, v) in
    [-1, 1] spans it along the parent's x and y, otherwise the free spot nearest its centre is used
    (:func:`~scene_gym.actions.edit.surfaces.surface_spot`). ``size`` and ``material`` as in :func:`add_object`.
    Raises :class:`~scene_gym.errors.EditError` when nothing fits or the surfaces are full.
    """
    host = get_object(scene, parent, field="parent")
    factory = get_category(category)
    size = check_size(category, factory.default_size if size is None else size)
    if at is not None:
        at = check_vector(at, field="at", dims=(2,))
        if not all(-1.0 <= v <= 1.0 for v in at):
            raise EditError(f"expected at=(u, v) in [-1, 1], got {at!r}", field="at")
    surface, lx, ly = surface_spot(scene, host, size, at)
    p = host.transform() @ np.array([lx, ly, surface.center[2], 1.0])
    return add_object(scene, category, position=p[:3], yaw=host.yaw, size=size, material=material, parent=host.id)


# --- moving, turning, resizing ----------------------------------------------------------------------------------
@atomic
def move_object(scene: Scene, object_id: str, *, to: Sequence[float] | None = None,
                by: Sequence[float] | None = None) -> list[str]:  # fmt: skip
    """Translate an object and everything resting on it.

    Give exactly one of ``to`` = (x, y) (keeping z) or (x, y, z), and ``by`` = (dx, dy) or (dx, dy, dz), metres.
    An object resting on another object must stay over it. The room is not checked (module docstring).

    Returns the moved ids: the object first, then what it carried.
    """
    obj = get_object(scene, object_id)
    if (to is None) == (by is None):
        raise EditError(f"expected exactly one of to and by, got {'both' if to is not None else 'neither'}",
                        field="to")  # fmt: skip
    field = "to" if to is not None else "by"
    v = check_vector(to if to is not None else by, field=field, dims=(2, 3))
    x, y, z = obj.position
    if to is not None:
        pos = (v[0], v[1], v[2] if len(v) == 3 else z)
    else:
        pos = (x + v[0], y + v[1], z + (v[2] if len(v) == 3 else 0.0))
    _check_over_parent(scene, obj, pos[0], pos[1], field)
    return _change(scene, obj, {"position": r6(pos)})


@atomic
def turn_object(scene: Scene, object_id: str, yaw: float) -> list[str]:
    """Set an object's yaw (radians, counter-clockwise about +Z; 0 faces +Y) and turn everything resting on it
    about the object's vertical axis. Objects hanging on a wall cannot turn (they face away from it). The room is
    not checked (module docstring).

    Returns the turned ids: the object first, then what it carried.
    """
    obj = get_object(scene, object_id)
    yaw = check_angle(yaw)
    if obj.parent == "wall":
        raise EditError(f"{obj.id} hangs on a wall and faces away from it; move it instead of turning it", field="id")
    return _change(scene, obj, {"yaw": yaw})


@atomic
def resize_object(scene: Scene, object_id: str, *, size: Sequence[float] | None = None,
                  scale: float | None = None) -> list[str]:  # fmt: skip
    """Give an object new full extents, ``size`` = (width, depth, height) metres, or multiply them by ``scale``;
    the result must lie within the category's size range.

    A wall object keeps its back on the wall, a ceiling object its top on the ceiling. Objects resting on it stay
    on the same support surface, their offsets from its centre scaled with it. The room is not checked (module
    docstring). Returns the changed ids: the object first, then what it carried.
    """
    obj = get_object(scene, object_id)
    if (size is None) == (scale is None):
        raise EditError("expected exactly one of size and scale", field="size")
    if scale is not None:
        s = check_vector([scale], field="scale", dims=(1,))[0]
        if s <= 0:
            raise EditError(f"expected a positive scale, got {scale!r}", field="scale")
        new_size = check_size(obj.category, [v * s for v in obj.size], field="scale")
    else:
        new_size = check_size(obj.category, size, field="size")
    x, y, z = obj.position
    if obj.parent == "wall":  # keep the back on the wall: the centre moves along the front by half the change
        off = (new_size[1] - obj.size[1]) / 2
        x, y = x - math.sin(obj.yaw) * off, y + math.cos(obj.yaw) * off
    elif obj.parent == "ceiling":
        z = scene.room.wall_height - new_size[2]
    return _change(scene, obj, {"size": new_size, "position": r6((x, y, z))}, resized=True)


def _change(scene: Scene, before: SceneObject, changes: dict, resized: bool = False) -> list[str]:
    with as_edit_error(next(iter(changes))):
        after = mutation.update(scene, before.id, **changes)
    return [before.id, *_carry(scene, before, after, resize_map(before, after) if resized else None)]


def _carry(scene: Scene, before: SceneObject, after: SceneObject,
           remap: Callable[[np.ndarray], np.ndarray] | None = None) -> list[str]:  # fmt: skip
    """Put everything resting on ``before`` onto ``after`` the same way; returns the ids moved.

    Each child's bottom centre is taken into ``before``'s frame, mapped by ``remap`` (a resize) and put back in
    ``after``'s frame; its yaw turns with the parent's. Its own load then follows it rigidly (recursively).
    """
    if before.position == after.position and before.yaw == after.yaw and remap is None:
        return []
    to_local, to_world = np.linalg.inv(before.transform()), after.transform()
    dyaw = after.yaw - before.yaw
    moved = []
    for child in scene.children(before.id):
        local = to_local @ np.array([*child.position, 1.0])
        if remap is not None:
            local[:3] = remap(local[:3])
        p = to_world @ local
        with as_edit_error(None):
            new = mutation.update(scene, child.id, position=r6(p[:3]), yaw=child.yaw + dyaw)
        moved += [child.id, *_carry(scene, child, new)]
    return moved


def _check_over_parent(scene: Scene, obj: SceneObject, x: float, y: float, field: str) -> None:
    from scene_gym.physics.checks import depth_inside_convex

    if obj.parent in ARCHITECTURE_PARENTS:
        return
    host = scene.get(obj.parent)
    fp = host.footprint()
    if depth_inside_convex(np.array([[x, y]]), fp)[0] < 0:
        raise EditError(f"{obj.id} rests on {host.id}; expected a position over it (its footprint spans x "
                        f"{fp[:, 0].min():.2f}..{fp[:, 0].max():.2f}, y {fp[:, 1].min():.2f}..{fp[:, 1].max():.2f}), "
                        f"got ({x:g}, {y:g})", field=field)  # fmt: skip


# --- removing and other changes ---------------------------------------------------------------------------------
@atomic
def remove_objects(scene: Scene, ids: Sequence[str]) -> list[str]:
    """Remove the objects ``ids`` and everything resting on them, and forget the recorded relations that name
    any removed object. Every id must exist (checked before anything is removed).

    Returns the removed ids in scene order.
    """
    if isinstance(ids, str) or not isinstance(ids, Sequence):
        raise EditError(f"expected a list of object ids, got {ids!r}", field="ids")
    for k, oid in enumerate(ids):
        get_object(scene, oid, field=f"ids[{k}]")
    order = [o.id for o in scene.objects]
    gone: set[str] = set()
    for oid in ids:
        if oid in scene:
            gone.update(o.id for o in mutation.remove(scene, oid))
    forget_relations(scene, gone)
    return [oid for oid in order if oid in gone]


@atomic
def set_material(scene: Scene, object_id: str, material: str) -> SceneObject:
    """Change an object's material description (it must name a known material or colour: "red velvet")."""
    get_object(scene, object_id)
    material = check_material(material)
    with as_edit_error("material"):
        return mutation.update(scene, object_id, material=material)


@atomic
def set_joints(scene: Scene, object_id: str, joints: Mapping[str, float]) -> SceneObject:
    """Set joint positions of an articulated object (radians for revolute, metres for prismatic joints) by joint
    name; joints not named keep their positions. Unknown joint names raise :class:`EditError`."""
    obj = get_object(scene, object_id)
    if not isinstance(joints, Mapping):
        raise EditError(f"expected a mapping of joint name to position, got {type(joints).__name__}", field="joints")
    known = {j.name for j in asset_of(obj).joints}
    unknown = sorted(set(joints) - known)
    if unknown:
        raise EditError(f"{obj.id} has no joint(s) {unknown}; its joints: {sorted(known) or '(none)'}", field="joints")
    with as_edit_error("joints"):
        return mutation.update(scene, object_id, joints={**obj.joints, **joints})
