"""Articulated assets as SDFormat 1.9 models: one ``<object_id>.sdf`` per articulated scene object.

The same structure as the URDF export: link ``base`` plus one link per joint child; each link's pose (relative
to the model frame) is its origin in the asset frame, each joint sits at its child link's origin with the
asset's axis, limits and dynamics; visuals and collisions are posed relative to their link. Mesh parts are
OBJ files in ``<name>_meshes/`` next to the model file, referenced by relative URI.
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

SDF_VERSION = "1.9"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = text
    return el


def model_element(asset: Asset, name: str) -> ET.Element:
    """The ``<model>`` element of ``asset`` called ``name`` (reusable inside a ``<world>``)."""
    check_asset(asset, name)
    model = ET.Element("model", name=name)
    for link in asset.links:
        model.append(_link(asset, name, link))
    for joint in asset.joints:
        j = ET.SubElement(model, "joint", name=joint.name, type=joint.kind)
        _text(j, "parent", joint.parent)
        _text(j, "child", joint.child)
        _text(j, "pose", "0 0 0 0 0 0")  # at the child link's origin
        axis = ET.SubElement(j, "axis")
        _text(axis, "xyz", fmt(unit_axis(joint)))
        limit = ET.SubElement(axis, "limit")
        _text(limit, "lower", fmt(joint.limits[0]))
        _text(limit, "upper", fmt(joint.limits[1]))
        _text(limit, "effort", fmt(EFFORT_LIMIT[joint.kind]))
        _text(limit, "velocity", fmt(VELOCITY_LIMIT[joint.kind]))
        dyn = ET.SubElement(axis, "dynamics")
        _text(dyn, "damping", fmt(joint.damping))
        _text(dyn, "friction", fmt(joint.friction))
    return model


def asset_sdf(asset: Asset, name: str) -> str:
    """SDFormat 1.9 text of ``asset`` as a model called ``name``.

    Raises:
        ExportError: naming ``name`` when a mesh part is broken.
    """
    root = ET.Element("sdf", version=SDF_VERSION)
    root.append(model_element(asset, name))
    ET.indent(root)
    return '<?xml version="1.0"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _link(asset: Asset, name: str, link: str) -> ET.Element:
    el = ET.Element("link", name=link)
    origin = link_origin(asset, link)
    _text(el, "pose", fmt([*origin, 0.0, 0.0, 0.0]))
    inertial = link_inertial(asset, link)
    ine = ET.SubElement(el, "inertial")
    _text(ine, "pose", fmt([*inertial.com, 0.0, 0.0, 0.0]))
    _text(ine, "mass", fmt(inertial.mass, 9))
    tensor = ET.SubElement(ine, "inertia")
    i = inertial.inertia
    for tag, v in (("ixx", i[0, 0]), ("ixy", i[0, 1]), ("ixz", i[0, 2]), ("iyy", i[1, 1]), ("iyz", i[1, 2]),
                   ("izz", i[2, 2])):  # fmt: skip
        _text(tensor, tag, fmt(v, 12))
    for part in asset.parts_of(link):
        kinds = ("visual",) * part.visual + ("collision",) * part.collide
        for kind in kinds:
            e = ET.SubElement(el, kind, name=f"{part.name}_{kind}")
            _text(e, "pose", fmt([*(part.position - origin), *part.rpy]))
            e.append(_geometry(part, name))
            if kind == "visual":
                mat = resolve_material(part.material)
                m = ET.SubElement(e, "material")
                _text(m, "diffuse", fmt(mat.rgba))
                _text(m, "ambient", fmt(mat.rgba))
            else:
                mat = resolve_material(part.material)
                surface = ET.SubElement(ET.SubElement(e, "surface"), "friction")
                ode = ET.SubElement(surface, "ode")
                _text(ode, "mu", fmt(mat.friction))
                _text(ode, "mu2", fmt(mat.friction))
    return el


def _geometry(part: Part, name: str) -> ET.Element:
    g = ET.Element("geometry")
    w, _, h = part.size
    if part.shape == "box":
        _text(ET.SubElement(g, "box"), "size", fmt(part.size))
    elif part.shape == "cylinder":
        c = ET.SubElement(g, "cylinder")
        _text(c, "radius", fmt(w / 2))
        _text(c, "length", fmt(h))
    elif part.shape == "sphere":
        _text(ET.SubElement(g, "sphere"), "radius", fmt(w / 2))
    else:
        _text(ET.SubElement(g, "mesh"), "uri", mesh_relpath(name, part))
    return g


def write(scene, out_dir: Path) -> list[Path]:
    """Write ``<object_id>.sdf`` (and its mesh files) for every articulated object; returns all paths."""
    return write_articulated(scene, out_dir, asset_sdf, "sdf")


__all__ = ["asset_sdf", "model_element", "write"]
