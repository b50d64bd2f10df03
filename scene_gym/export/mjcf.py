"""A scene as a MuJoCo model, built with the ``MjSpec`` API (not string templates).

Model layout (names are stable; other modules look bodies and joints up by them):

- ``floor``: a plane at z = 0 over the room's bounding box (for a non-rectangular room the plane is invisible and
  a visual-only ``floor_visual`` mesh shows the floor polygon); ``wall_<i>_<k>``: the wall boxes of the GLB
  export (:func:`scene_gym.export.mesh.wall_boxes`): outside each floor edge ``i``, up to the wall height,
  with doors and windows left open.
- one body per object, named by its id, at the object's pose (bottom-centre position, yaw about +Z);
  static furniture is welded to the world (no joint); small manipulable objects get a free joint
  ``<id>/free`` and settle under gravity on whatever supports them.
- one child body ``<id>/<link>`` per asset link with a hinge (revolute) or slide (prismatic) joint
  ``<id>/<joint>`` at the link frame's origin, limited to the asset's limits, with its damping and
  frictionloss. A joint's value in ``obj.joints`` is its ``ref``: the model's qpos0 is the scene's state.
  Joint child bodies carry ``gravcomp=1``: furniture hinges and runners hold their pose under gravity, as
  friction hinges do; pushing them still meets their inertia, damping and frictionloss.
- one geom ``<id>/<part>`` per part (box, cylinder, sphere or a mesh asset of the same name), coloured and
  given friction and density from its material, so MuJoCo computes masses and inertias from part volumes.
- the generating category, seed, size and params of each object in a custom text ``<id>/source`` and in the
  body's ``info`` (which MuJoCo appends to compile errors).

Collision-only parts (``visual=False``: the convex pieces of a concave mesh) are geoms with alpha 0, which MuJoCo
does not draw, and density 0, since the visual part they stand in for carries the mass; they stay in group 0,
so ray casts that look at scene solids see them.

Contacts: every solid geom has contype = conaffinity = 1; decorative parts (``collide=False``) none; thin
coverings (rugs) contype 2 and conaffinity 0, and the floor conaffinity 3, so rugs touch only the floor.
Contacts between the bodies of one object are excluded (a drawer rubbing its carcass would jitter).
"""

from __future__ import annotations

import json
from pathlib import Path

import mujoco
import numpy as np

from scene_gym.assets.materials import resolve_material
from scene_gym.assets.parts import BASE_LINK, Asset, Part
from scene_gym.assets.transforms import axis_angle_matrix, matrix_quat, yaw_quat
from scene_gym.errors import ExportError
from scene_gym.export.files import write_file
from scene_gym.export.mesh import floor_slab, wall_boxes
from scene_gym.export.physics_props import (
    check_asset,
    link_origin,
    mesh_is_solid,
    object_asset,
    object_factory,
    unit_axis,
)

TIMESTEP = 0.002
GRAVITY = (0.0, 0.0, -9.81)
#: Contact bits: SOLID for everything that collides, COVERING for rugs (seen only by the floor).
SOLID, COVERING = 1, 2

_GEOM = {"box": mujoco.mjtGeom.mjGEOM_BOX, "cylinder": mujoco.mjtGeom.mjGEOM_CYLINDER,
         "sphere": mujoco.mjtGeom.mjGEOM_SPHERE, "mesh": mujoco.mjtGeom.mjGEOM_MESH}  # fmt: skip
_JOINT = {"revolute": mujoco.mjtJoint.mjJNT_HINGE, "prismatic": mujoco.mjtJoint.mjJNT_SLIDE}


def build_spec(scene, *, free_small_objects: bool = True, floor: bool = True, walls: bool = True) -> mujoco.MjSpec:
    """An uncompiled :class:`mujoco.MjSpec` of ``scene`` (see the module docstring for the layout).

    Args:
        scene: the :class:`~scene_gym.scene.Scene` to convert; it is not changed.
        free_small_objects: give objects of ``small`` categories a free joint (else they are welded too).
        floor: add the floor plane.
        walls: add the walls.

    Raises:
        ExportError: naming the object whose category, asset or mesh cannot be exported.
    """
    spec = mujoco.MjSpec()
    spec.modelname = "scene_gym"
    spec.compiler.degree = False
    spec.option.timestep = TIMESTEP
    spec.option.gravity = list(GRAVITY)
    spec.option.integrator = mujoco.mjtIntegrator.mjINT_IMPLICITFAST
    if floor:
        _add_floor(spec, scene.room)
    if walls:
        _add_walls(spec, scene.room)
    for obj in scene.objects:
        asset = object_asset(obj)
        factory = object_factory(obj)
        check_asset(asset, obj.id)
        try:
            _add_object(spec, obj, asset, free=free_small_objects and factory.small,
                        covering=factory.thin_covering)  # fmt: skip
        except (ValueError, TypeError, KeyError) as err:
            raise ExportError(f"cannot export object {obj.id!r} ({obj.category}): {err}") from err
    return spec


def compile_spec(spec: mujoco.MjSpec) -> mujoco.MjModel:
    """``spec.compile()`` with MuJoCo's complaint turned into an :class:`ExportError`."""
    try:
        return spec.compile()
    except ValueError as err:
        raise ExportError(f"MuJoCo could not compile the scene: {err}") from err


def load_model(scene, **kw) -> mujoco.MjModel:
    """The compiled :class:`mujoco.MjModel` of ``scene``; ``kw`` as in :func:`build_spec`."""
    return compile_spec(build_spec(scene, **kw))


def to_xml(scene, **kw) -> str:
    """MJCF text of ``scene`` with meshes inline (loadable by ``MjModel.from_xml_string``); ``kw`` as in
    :func:`build_spec`."""
    spec = build_spec(scene, **kw)
    compile_spec(spec)  # fail here, with the object named, rather than in the reader
    return spec.to_xml()


def write(scene, out_dir: Path) -> list[Path]:
    """Write ``out_dir/scene.xml`` (self-contained: meshes inline) and return its path."""
    return [write_file(Path(out_dir) / "scene.xml", to_xml(scene))]


# --- architecture ----------------------------------------------------------------------------------------
def _is_rectangle(room) -> bool:
    w, d = room.bounds
    return abs(room.area - w * d) <= 1e-9 * max(1.0, w * d)


def _add_floor(spec: mujoco.MjSpec, room) -> None:
    w, d = room.bounds
    mat = resolve_material(room.floor_material)
    rect = _is_rectangle(room)
    # The plane collides (cheap and robust) but is infinite; a non-rectangular room shows its floor slab instead.
    spec.worldbody.add_geom(name="floor", type=mujoco.mjtGeom.mjGEOM_PLANE, pos=[w / 2, d / 2, 0.0],
                            size=[w / 2, d / 2, 0.1], rgba=[*mat.rgba[:3], mat.rgba[3] if rect else 0.0],
                            friction=[mat.friction, 0.005, 1e-4], contype=SOLID, conaffinity=SOLID | COVERING,
                            group=0 if rect else 3)  # fmt: skip
    if not rect:
        slab = floor_slab(room)
        spec.add_mesh(name="floor", uservert=slab.vertices.ravel().tolist(), userface=slab.faces.ravel().tolist())
        spec.worldbody.add_geom(name="floor_visual", type=mujoco.mjtGeom.mjGEOM_MESH, meshname="floor",
                                rgba=list(mat.rgba), contype=0, conaffinity=0)  # fmt: skip


def _add_walls(spec: mujoco.MjSpec, room) -> None:
    """One box geom ``wall_<i>_<k>`` per :func:`scene_gym.export.mesh.wall_boxes` box (the GLB's walls)."""
    mat = resolve_material(room.wall_material)
    counts: dict[int, int] = {}
    for box in wall_boxes(room):
        k = counts[box.wall] = counts.get(box.wall, -1) + 1
        spec.worldbody.add_geom(name=f"wall_{box.wall}_{k}", type=mujoco.mjtGeom.mjGEOM_BOX, pos=list(box.center),
                                quat=list(yaw_quat(box.yaw)), size=[v / 2 for v in box.size], rgba=list(mat.rgba),
                                friction=[mat.friction, 0.005, 1e-4], contype=SOLID, conaffinity=SOLID)  # fmt: skip


# --- objects ---------------------------------------------------------------------------------------------
def _add_object(spec: mujoco.MjSpec, obj, asset: Asset, *, free: bool, covering: bool) -> None:
    source = {"category": obj.category, "seed": obj.seed, "size": list(obj.size), "params": obj.params,
              "material": obj.material}  # fmt: skip
    info = f"object {obj.id} ({obj.category}, seed {obj.seed})"
    spec.add_text(name=f"{obj.id}/source", data=json.dumps(source, sort_keys=True))
    body = spec.worldbody.add_body(name=obj.id, pos=list(obj.position), quat=list(yaw_quat(obj.yaw)))
    body.info = info
    if free:
        body.add_freejoint(name=f"{obj.id}/free")
    bodies = [body]
    _add_link(spec, body, obj, asset, BASE_LINK, covering, bodies)
    for i, b1 in enumerate(bodies):
        for b2 in bodies[i + 1:]:
            spec.add_exclude(bodyname1=b1.name, bodyname2=b2.name)


def _add_link(spec, body, obj, asset: Asset, link: str, covering: bool, bodies: list) -> None:
    """Add the geoms of ``link`` to ``body``, then one child body per joint out of it (depth first)."""
    origin = link_origin(asset, link)
    for part in asset.parts_of(link):
        _add_geom(spec, body, obj, part, origin, covering)
    for joint in asset.joints:
        if joint.parent != link:
            continue
        lo, hi = joint.limits
        q = min(max(float(obj.joints.get(joint.name, 0.0)), lo), hi)
        axis = unit_axis(joint)
        pos = np.asarray(joint.origin, dtype=float) - origin
        quat = (1.0, 0.0, 0.0, 0.0)
        # The child body is placed at the scene's joint state, and that state is the joint's ref (qpos0).
        if joint.kind == "prismatic":
            pos = pos + axis * q
        elif q != 0.0:
            quat = matrix_quat(axis_angle_matrix(axis, q))
        child = body.add_body(name=f"{obj.id}/{joint.child}", pos=pos.tolist(), quat=list(quat))
        child.info = f"link {joint.child} of {body.info or obj.id}"
        child.gravcomp = 1.0
        child.add_joint(name=f"{obj.id}/{joint.name}", type=_JOINT[joint.kind], axis=axis.tolist(),
                        pos=[0.0, 0.0, 0.0], range=[lo, hi], limited=mujoco.mjtLimited.mjLIMITED_TRUE,
                        damping=joint.damping, frictionloss=joint.friction, ref=q)  # fmt: skip
        bodies.append(child)
        _add_link(spec, child, obj, asset, joint.child, covering, bodies)


def _add_geom(spec, body, obj, part: Part, origin: np.ndarray, covering: bool) -> None:
    mat = resolve_material(part.material)
    name = f"{obj.id}/{part.name}"
    w, d, h = part.size
    kw = {}
    if part.shape == "box":
        kw["size"] = [w / 2, d / 2, h / 2]
    elif part.shape == "cylinder":
        kw["size"] = [w / 2, h / 2, 0.0]
    elif part.shape == "sphere":
        kw["size"] = [w / 2, 0.0, 0.0]
    else:
        mesh = spec.add_mesh(name=name, uservert=part.mesh.vertices.ravel().tolist(),
                             userface=part.mesh.faces.ravel().tolist())  # fmt: skip
        # Exact volume for closed meshes (a bowl weighs as a bowl); the hull otherwise, as colliders use.
        mesh.inertia = (mujoco.mjtMeshInertia.mjMESH_INERTIA_EXACT if mesh_is_solid(part.mesh)
                        else mujoco.mjtMeshInertia.mjMESH_INERTIA_CONVEX)  # fmt: skip
        kw["meshname"] = name
    if not part.collide:
        contype = conaffinity = 0
    elif covering:
        contype, conaffinity = COVERING, 0
    else:
        contype = conaffinity = SOLID
    pos = np.asarray(part.position, dtype=float) - origin
    quat = [1.0, 0.0, 0.0, 0.0] if not any(part.rpy) else list(matrix_quat(part.rotation))
    rgba, density = (list(mat.rgba), mat.density) if part.visual else ([*mat.rgba[:3], 0.0], 0.0)
    geom = body.add_geom(name=name, type=_GEOM[part.shape], pos=pos.tolist(), quat=quat, rgba=rgba,
                         friction=[mat.friction, 0.005, 1e-4], density=density, contype=contype,
                         conaffinity=conaffinity, group=0 if part.collide else 1, **kw)  # fmt: skip
    geom.info = f"part {part.name} of object {obj.id} ({obj.category})"


__all__ = ["build_spec", "compile_spec", "load_model", "to_xml", "write"]
