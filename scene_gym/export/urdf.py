"""Articulated assets as URDF robots: one file per articulated scene object.

Structure: link ``base`` plus one link per joint child, named as in the asset; joints named as in the asset.
A child link's frame is its joint's origin (axis-aligned with the asset frame), so a joint's ``<origin>`` is the
joint origin relative to the parent link's frame and parts sit at ``position - link origin`` with their
``rpy``. Mesh parts are written as OBJ files in ``<name>_meshes/`` next to the URDF and referenced relatively.
Inertials come from part volumes and material densities (:mod:`scene_gym.export.physics_props`).
The model is in the object's own frame; the object's pose in the room is not part of a URDF.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from scene_gym.assets.materials import resolve_material
from scene_gym.assets.parts import Asset, Part
from scene_gym.export.physics_props import (
    EFFORT_LIMIT,
    VELOCITY_LIMIT,
    check_asset,
    fmt,
    link_inertial,
    link_origin,
    mesh_relpath,
    unit_axis,
    write_articulated,
)


def asset_urdf(asset: Asset, name: str) -> str:
    """URDF text of ``asset`` as a robot called ``name``; mesh parts refer to :func:`mesh_relpath` files.

    Raises:
        ExportError: naming ``name`` when a mesh part is broken.
    """
    check_asset(asset, name)
    robot = ET.Element("robot", name=name)
    for link in asset.links:
        robot.append(_link(asset, name, link))
    for joint in asset.joints:
        j = ET.SubElement(robot, "joint", name=joint.name, type=joint.kind)
        ET.SubElement(j, "parent", link=joint.parent)
        ET.SubElement(j, "child", link=joint.child)
        ET.SubElement(j, "origin", xyz=fmt(link_origin(asset, joint.child) - link_origin(asset, joint.parent)),
                      rpy="0 0 0")  # fmt: skip
        ET.SubElement(j, "axis", xyz=fmt(unit_axis(joint)))
        ET.SubElement(j, "limit", lower=fmt(joint.limits[0]), upper=fmt(joint.limits[1]),
                      effort=fmt(EFFORT_LIMIT[joint.kind]), velocity=fmt(VELOCITY_LIMIT[joint.kind]))  # fmt: skip
        ET.SubElement(j, "dynamics", damping=fmt(joint.damping), friction=fmt(joint.friction))
    ET.indent(robot)
    return '<?xml version="1.0"?>\n' + ET.tostring(robot, encoding="unicode") + "\n"


def _link(asset: Asset, name: str, link: str) -> ET.Element:
    el = ET.Element("link", name=link)
    inertial = link_inertial(asset, link)
    i = inertial.inertia
    ine = ET.SubElement(el, "inertial")
    ET.SubElement(ine, "origin", xyz=fmt(inertial.com), rpy="0 0 0")
    ET.SubElement(ine, "mass", value=fmt(inertial.mass, 9))
    ET.SubElement(ine, "inertia", ixx=fmt(i[0, 0], 12), ixy=fmt(i[0, 1], 12), ixz=fmt(i[0, 2], 12),
                  iyy=fmt(i[1, 1], 12), iyz=fmt(i[1, 2], 12), izz=fmt(i[2, 2], 12))  # fmt: skip
    origin = link_origin(asset, link)
    for part in asset.parts_of(link):
        kinds = ("visual",) * part.visual + ("collision",) * part.collide
        for kind in kinds:
            e = ET.SubElement(el, kind, name=part.name)
            ET.SubElement(e, "origin", xyz=fmt(part.position - origin), rpy=fmt(part.rpy))
            e.append(_geometry(part, name))
            if kind == "visual":
                mat = resolve_material(part.material)
                m = ET.SubElement(e, "material", name=mat.name)
                ET.SubElement(m, "color", rgba=fmt(mat.rgba))
    return el


def _geometry(part: Part, name: str) -> ET.Element:
    g = ET.Element("geometry")
    w, _, h = part.size
    if part.shape == "box":
        ET.SubElement(g, "box", size=fmt(part.size))
    elif part.shape == "cylinder":
        ET.SubElement(g, "cylinder", radius=fmt(w / 2), length=fmt(h))
    elif part.shape == "sphere":
        ET.SubElement(g, "sphere", radius=fmt(w / 2))
    else:
        ET.SubElement(g, "mesh", filename=mesh_relpath(name, part))
    return g


def write(scene, out_dir: Path) -> list[Path]:
    """Write ``<object_id>.urdf`` (and its mesh files) for every articulated object; returns all paths."""
    return write_articulated(scene, out_dir, asset_urdf, "urdf")


__all__ = ["asset_urdf", "write"]
