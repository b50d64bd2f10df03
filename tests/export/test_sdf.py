"""SDF export: well-formed SDFormat 1.9 with the asset's links, joints, limits, axes and part geometry."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from physics_export_helpers import (
    ARTICULATED,
    BROKEN,
    broken_scene,
    register_broken,
    single_object_scene,
    unknown_category_scene,
)

from scene_gym import samples
from scene_gym.errors import ExportError
from scene_gym.export import sdf
from scene_gym.export.physics_props import link_inertial, link_origin, object_asset


def _floats(el: ET.Element) -> np.ndarray:
    return np.array([float(v) for v in el.text.split()])


@pytest.mark.parametrize("category", ARTICULATED)
def test_model_matches_the_asset(category, tmp_path):
    scene = single_object_scene(category)
    obj = scene.objects[0]
    asset = object_asset(obj)
    paths = sdf.write(scene, tmp_path)
    assert paths[-1] == tmp_path / f"{obj.id}.sdf"
    root = ET.parse(paths[-1]).getroot()
    assert root.tag == "sdf" and root.get("version") == "1.9"
    model = root.find("model")
    assert model.get("name") == obj.id
    assert [link.get("name") for link in model.findall("link")] == list(asset.links)
    joints = model.findall("joint")
    assert [j.get("name") for j in joints] == [j.name for j in asset.joints]
    for el, joint in zip(joints, asset.joints, strict=True):
        assert el.get("type") == joint.kind
        assert el.findtext("parent") == joint.parent and el.findtext("child") == joint.child
        axis = el.find("axis")
        np.testing.assert_allclose(_floats(axis.find("xyz")), np.asarray(joint.axis) / np.linalg.norm(joint.axis),
                                   atol=1e-6)  # fmt: skip
        assert float(axis.findtext("limit/lower")) == pytest.approx(joint.limits[0], abs=1e-6)
        assert float(axis.findtext("limit/upper")) == pytest.approx(joint.limits[1], abs=1e-6)
        assert float(axis.findtext("dynamics/damping")) == pytest.approx(joint.damping)
    for link in model.findall("link"):
        name = link.get("name")
        np.testing.assert_allclose(_floats(link.find("pose"))[:3], link_origin(asset, name), atol=1e-6)
        assert float(link.findtext("inertial/mass")) == pytest.approx(link_inertial(asset, name).mass, rel=1e-6)
        for part in asset.parts_of(name):
            visual = link.find(f"visual[@name='{part.name}_visual']")
            pose = _floats(visual.find("pose"))
            np.testing.assert_allclose(pose[:3] + link_origin(asset, name), part.position, atol=1e-6)
            np.testing.assert_allclose(pose[3:], part.rpy, atol=1e-6)
            assert (link.find(f"collision[@name='{part.name}_collision']") is not None) == part.collide
            uri = visual.findtext("geometry/mesh/uri")
            if part.shape == "mesh":
                assert (tmp_path / uri).exists()
            else:
                assert visual.find(f"geometry/{part.shape}") is not None


def test_scene_export_writes_one_model_per_articulated_object(tmp_path):
    scene = samples.grid_scene(50, 0)
    paths = sdf.write(scene, tmp_path)
    expected = {f"{o.id}.sdf" for o in scene.objects if object_asset(o).articulated}
    assert {path.name for path in paths if path.suffix == ".sdf"} == expected
    for path in paths:
        if path.suffix == ".sdf":
            assert ET.parse(path).getroot().find("model").get("name") == path.stem


def test_unknown_category_names_the_object(tmp_path):
    with pytest.raises(ExportError, match="flux_capacitor_1"):
        sdf.write(unknown_category_scene(), tmp_path)


def test_broken_mesh_names_the_object(monkeypatch, tmp_path):
    register_broken(monkeypatch)
    with pytest.raises(ExportError, match=f"{BROKEN}_1.*lid"):
        sdf.write(broken_scene(), tmp_path)
    assert not list(tmp_path.iterdir())
