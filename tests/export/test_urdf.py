"""URDF export: pybullet loads every articulated asset with the asset's joints, limits and masses."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pybullet as p
import pytest
import trimesh
from physics_export_helpers import (
    ARTICULATED,
    BROKEN,
    broken_scene,
    register_broken,
    single_object_scene,
    unknown_category_scene,
)

from scene_gym import samples
from scene_gym.assets import build_asset, resolve_material
from scene_gym.assets.parts import Asset, Part
from scene_gym.assets.transforms import rpy_matrix
from scene_gym.errors import ExportError
from scene_gym.export import urdf
from scene_gym.export.physics_props import link_inertial, object_asset

PB_KIND = {"revolute": p.JOINT_REVOLUTE, "prismatic": p.JOINT_PRISMATIC}


@pytest.fixture
def bullet():
    client = p.connect(p.DIRECT)
    yield client
    p.disconnect(client)


@pytest.mark.parametrize("category", ARTICULATED)
def test_pybullet_loads_joints_and_limits(category, bullet, tmp_path):
    scene = single_object_scene(category)
    obj = scene.objects[0]
    asset = object_asset(obj)
    paths = urdf.write(scene, tmp_path)
    assert paths[-1] == tmp_path / f"{obj.id}.urdf" and all(path.exists() for path in paths)
    body = p.loadURDF(str(paths[-1]), physicsClientId=bullet)
    assert p.getNumJoints(body, physicsClientId=bullet) == len(asset.joints)
    infos = {p.getJointInfo(body, i, physicsClientId=bullet)[1].decode(): p.getJointInfo(body, i, physicsClientId=bullet)
             for i in range(len(asset.joints))}  # fmt: skip
    masses = {-1: link_inertial(asset, "base").mass}
    for joint in asset.joints:
        info = infos[joint.name]
        assert info[2] == PB_KIND[joint.kind]
        assert info[8] == pytest.approx(joint.limits[0], abs=1e-6)
        assert info[9] == pytest.approx(joint.limits[1], abs=1e-6)
        assert info[6] == pytest.approx(joint.damping) and info[7] == pytest.approx(joint.friction)
        assert info[12].decode() == joint.child
        np.testing.assert_allclose(info[13], np.asarray(joint.axis) / np.linalg.norm(joint.axis), atol=1e-6)
        masses[info[0]] = link_inertial(asset, joint.child).mass
    for index, mass in masses.items():
        assert p.getDynamicsInfo(body, index, physicsClientId=bullet)[0] == pytest.approx(mass, rel=1e-5)
    assert sum(masses.values()) == pytest.approx(asset.mass(), rel=1e-6)


def test_joint_origin_is_relative_to_the_parent_link():
    asset = build_asset("wardrobe")
    root = ET.fromstring(urdf.asset_urdf(asset, "wardrobe_1"))
    for joint in asset.joints:
        el = root.find(f"joint[@name='{joint.name}']")
        xyz = [float(v) for v in el.find("origin").get("xyz").split()]
        np.testing.assert_allclose(xyz, joint.origin, atol=1e-6)  # parent is the base, at the asset origin
        link = root.find(f"link[@name='{joint.child}']")
        for part in asset.parts_of(joint.child):
            vis = link.find(f"visual[@name='{part.name}']")
            xyz = [float(v) for v in vis.find("origin").get("xyz").split()]
            np.testing.assert_allclose(np.add(xyz, joint.origin), part.position, atol=1e-6)


def test_inertia_matches_trimesh_for_a_rotated_composite():
    parts = (
        Part("slab", "box", (0.6, 0.3, 0.05), (0.1, 0.0, 0.4), "oak wood", rpy=(0.0, 0.0, 0.3)),
        Part("post", "cylinder", (0.06, 0.06, 0.4), (-0.2, 0.05, 0.2), "steel", rpy=(0.4, 0.2, 0.0)),
        Part("knob", "sphere", (0.08, 0.08, 0.08), (0.3, 0.1, 0.5), "brass"),
    )
    asset = Asset("test", (1.0, 1.0, 1.0), parts)
    inertial = link_inertial(asset, "base")
    meshes = []
    for part in parts:
        if part.shape == "box":
            m = trimesh.creation.box(extents=part.size)
        elif part.shape == "cylinder":
            m = trimesh.creation.cylinder(radius=part.size[0] / 2, height=part.size[2], sections=256)
        else:
            m = trimesh.creation.icosphere(subdivisions=5, radius=part.size[0] / 2)
        m.density = resolve_material(part.material).density
        t = np.eye(4)
        t[:3, :3] = rpy_matrix(part.rpy)
        t[:3, 3] = part.position
        m.apply_transform(t)
        meshes.append(m)
    total = sum(m.mass for m in meshes)
    com = sum(m.mass * m.center_mass for m in meshes) / total
    tensor = np.zeros((3, 3))
    for m in meshes:
        r = m.center_mass - com
        tensor += m.moment_inertia + m.mass * (r @ r * np.eye(3) - np.outer(r, r))
    assert inertial.mass == pytest.approx(total, rel=1e-3)
    np.testing.assert_allclose(inertial.com, com, atol=1e-4)
    np.testing.assert_allclose(inertial.inertia, tensor, rtol=2e-3, atol=1e-6)


def test_scene_export_writes_one_file_per_articulated_object(tmp_path, bullet):
    scene = samples.grid_scene(50, 0)
    paths = urdf.write(scene, tmp_path)
    expected = {f"{o.id}.urdf" for o in scene.objects if object_asset(o).articulated}
    assert {path.name for path in paths if path.suffix == ".urdf"} == expected
    for path in paths:
        if path.suffix == ".urdf":
            p.loadURDF(str(path), physicsClientId=bullet)


def test_mesh_parts_become_obj_files(tmp_path, bullet):
    # An articulated asset with a mesh part on a moving link, built by hand.
    from scene_gym.assets.meshes import lathe
    from scene_gym.assets.parts import Joint

    knob = Part("knob", "mesh", (0.05, 0.05, 0.05), (0.0, 0.3, 0.5), "brass", link="lid",
                mesh=lathe([(0.0, 0.0), (0.025, 0.0), (0.025, 0.05), (0.0, 0.05)]))  # fmt: skip
    asset = Asset("test", (0.6, 0.6, 0.6), (Part("box", "box", (0.6, 0.6, 0.5), (0, 0, 0.25), "oak wood"), knob),
                  (Joint("lid_hinge", "revolute", "base", "lid", (1, 0, 0), (0, -0.3, 0.5), (0.0, 1.0)),))  # fmt: skip
    text = urdf.asset_urdf(asset, "thing_1")
    filename = ET.fromstring(text).find("link[@name='lid']/visual/geometry/mesh").get("filename")
    assert filename == "thing_1_meshes/knob.obj"
    from scene_gym.export.physics_props import write_meshes

    (tmp_path / "thing_1.urdf").write_text(text)
    written = write_meshes(asset, "thing_1", tmp_path)
    assert written == [tmp_path / filename]
    loaded = trimesh.load(tmp_path / filename, force="mesh")
    np.testing.assert_allclose(loaded.bounds, [knob.mesh.vertices.min(0), knob.mesh.vertices.max(0)], atol=1e-6)
    body = p.loadURDF(str(tmp_path / "thing_1.urdf"), physicsClientId=bullet)
    assert p.getNumJoints(body, physicsClientId=bullet) == 1


def test_unknown_category_names_the_object(tmp_path):
    with pytest.raises(ExportError, match="flux_capacitor_1"):
        urdf.write(unknown_category_scene(), tmp_path)


def test_broken_mesh_names_the_object(monkeypatch, tmp_path):
    register_broken(monkeypatch)
    with pytest.raises(ExportError, match=f"{BROKEN}_1.*lid"):
        urdf.write(broken_scene(), tmp_path)
    assert not list(tmp_path.iterdir())
