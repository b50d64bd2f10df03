"""MJCF export: names and counts match the scene, joints match the assets, and scenes stand still under gravity."""

from __future__ import annotations

import mujoco
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
from scene_gym.assets import factories
from scene_gym.errors import ExportError
from scene_gym.export import mjcf
from scene_gym.export.mesh import WALL_THICKNESS, wall_boxes
from scene_gym.export.physics_props import object_asset

SETTLE_STEPS = 1000
MAX_DRIFT = 0.01  # metres


def _written_model(scene, tmp_path) -> mujoco.MjModel:
    paths = mjcf.write(scene, tmp_path)
    assert paths == [tmp_path / "scene.xml"]
    return mujoco.MjModel.from_xml_path(str(paths[0]))


def _names(model, objtype, count) -> list[str]:
    return [mujoco.mj_id2name(model, objtype, i) for i in range(count)]


@pytest.fixture(scope="module")
def grid():
    return samples.grid_scene(50, 0)


def test_names_and_counts_match_the_scene(grid, tmp_path):
    model = _written_model(grid, tmp_path)
    bodies = set(_names(model, mujoco.mjtObj.mjOBJ_BODY, model.nbody))
    geoms = _names(model, mujoco.mjtObj.mjOBJ_GEOM, model.ngeom)
    n_links = n_joints = n_free = 0
    for obj in grid.objects:
        asset = object_asset(obj)
        assert obj.id in bodies
        for link in asset.links[1:]:
            assert f"{obj.id}/{link}" in bodies
        assert sorted(g for g in geoms if g and g.startswith(obj.id + "/")) == sorted(
            f"{obj.id}/{p.name}" for p in asset.parts)
        n_links += len(asset.links)
        n_joints += len(asset.joints)
        n_free += bool(factories()[obj.category].small)
    assert model.nbody == 1 + n_links  # the world body, then one per object link
    assert model.njnt == n_joints + n_free
    assert "floor" in geoms and any(g and g.startswith("wall_") for g in geoms)


def test_joints_match_the_assets(grid):
    model = mjcf.load_model(grid)
    for obj in grid.objects:
        asset = object_asset(obj)
        root = model.body(obj.id)
        if factories()[obj.category].small:
            jnt = model.joint(f"{obj.id}/free")
            assert jnt.type[0] == mujoco.mjtJoint.mjJNT_FREE and jnt.bodyid[0] == root.id
        else:
            assert root.jntnum[0] == 0 and root.weldid[0] == 0, f"{obj.id} should be welded to the world"
        for joint in asset.joints:
            jnt = model.joint(f"{obj.id}/{joint.name}")
            kind = mujoco.mjtJoint.mjJNT_HINGE if joint.kind == "revolute" else mujoco.mjtJoint.mjJNT_SLIDE
            assert jnt.type[0] == kind
            assert model.jnt_limited[jnt.id]
            np.testing.assert_allclose(jnt.range, joint.limits, atol=1e-5)
            np.testing.assert_allclose(model.jnt_axis[jnt.id], np.asarray(joint.axis) / np.linalg.norm(joint.axis),
                                       atol=1e-6)  # fmt: skip
            assert model.body(jnt.bodyid[0]).name == f"{obj.id}/{joint.child}"
            assert model.dof_damping[jnt.dofadr[0]] == pytest.approx(joint.damping)
            assert model.dof_frictionloss[jnt.dofadr[0]] == pytest.approx(joint.friction)


def _settle(model) -> float:
    """Largest displacement (m) of any object's root body over SETTLE_STEPS steps from the initial state."""
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    roots = [i for i in range(1, model.nbody) if model.body_parentid[i] == 0]
    start = data.xpos[roots].copy()
    for _ in range(SETTLE_STEPS):
        mujoco.mj_step(model, data)
    assert np.isfinite(data.qpos).all()
    return float(np.linalg.norm(data.xpos[roots] - start, axis=1).max())


@pytest.mark.parametrize("seed", [0, 1])
def test_grid_scene_stands_still_under_gravity(seed, tmp_path):
    model = _written_model(samples.grid_scene(50, seed), tmp_path)
    assert model.opt.timestep == pytest.approx(0.002)
    np.testing.assert_allclose(model.opt.gravity, [0, 0, -9.81])
    assert _settle(model) < MAX_DRIFT


def test_bedroom_stands_still_under_gravity(tmp_path):
    scene = samples.bedroom_scene()
    model = _written_model(scene, tmp_path)
    assert _settle(model) < MAX_DRIFT
    # Doors and windows stay open: no wall geom covers the middle of an opening (inside the wall's thickness).
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    walls = [g for g in range(model.ngeom) if (model.geom(g).name or "").startswith("wall_")]
    for opening in scene.room.openings:
        center = scene.room.opening_center(opening)
        in_wall = center - np.append(scene.room.wall_normal(opening.wall), 0.0) * WALL_THICKNESS / 2
        assert not any(_covers(model, data, g, in_wall) for g in walls), opening.id
        below = in_wall - [0.0, 0.0, opening.height / 2 + 0.01]
        assert any(_covers(model, data, g, below) for g in walls) == (opening.sill > 0.01), opening.id


def _covers(model, data, geom: int, point) -> bool:
    """Whether box geom ``geom`` contains the world point (3,)."""
    local = data.geom_xmat[geom].reshape(3, 3).T @ (np.asarray(point, dtype=float) - data.geom_xpos[geom])
    return bool(np.all(np.abs(local) <= model.geom_size[geom] + 1e-9))


@pytest.mark.parametrize("category", sorted(factories()))
def test_every_category_stands_still_alone(category):
    model = mjcf.load_model(single_object_scene(category))
    assert _settle(model) < MAX_DRIFT


@pytest.mark.parametrize("category", ARTICULATED)
def test_moving_one_joint_moves_only_its_child_geoms(category):
    scene = single_object_scene(category)
    obj = scene.objects[0]
    asset = object_asset(obj)
    model = mjcf.load_model(scene)
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    rest = data.geom_xpos.copy(), data.geom_xmat.copy()
    for joint in asset.joints:
        jnt = model.joint(f"{obj.id}/{joint.name}")
        child = jnt.bodyid[0]
        subtree = {b for b in range(model.nbody) if _ancestor(model, b, child)}
        moved_geoms = {g for g in range(model.ngeom) if model.geom_bodyid[g] in subtree}
        data.qpos[:] = model.qpos0
        data.qpos[jnt.qposadr[0]] = joint.limits[0] + 0.7 * joint.range
        mujoco.mj_kinematics(model, data)
        changed = {g for g in range(model.ngeom) if not (np.allclose(data.geom_xpos[g], rest[0][g], atol=1e-9)
                                                         and np.allclose(data.geom_xmat[g], rest[1][g], atol=1e-9))}  # fmt: skip
        assert changed == moved_geoms, joint.name
        assert changed, f"{joint.name} moved nothing"


def _ancestor(model, body: int, ancestor: int) -> bool:
    while body != 0:
        if body == ancestor:
            return True
        body = model.body_parentid[body]
    return ancestor == 0


@pytest.mark.parametrize("category", ARTICULATED)
def test_scene_joint_state_is_the_initial_pose(category):
    """With obj.joints set, qpos0 holds them and every primitive part sits where the asset puts it."""
    asset0 = object_asset(single_object_scene(category).objects[0])
    q = {j.name: j.limits[0] + 0.4 * j.range for j in asset0.joints}
    scene = single_object_scene(category, joints=q)
    obj = scene.objects[0]
    asset = object_asset(obj)
    model = mjcf.load_model(scene)
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    for name, value in q.items():
        assert data.qpos[model.joint(f"{obj.id}/{name}").qposadr[0]] == pytest.approx(value)
    world = obj.transform()
    for part, pose in zip(asset.parts, asset.part_transforms(q), strict=True):
        if part.shape == "mesh":
            continue  # MuJoCo re-centres meshes on their centroid; primitives suffice to check the frames
        g = model.geom(f"{obj.id}/{part.name}").id
        expected = world @ pose
        np.testing.assert_allclose(data.geom_xpos[g], expected[:3, 3], atol=1e-6, err_msg=part.name)


def test_masses_come_from_material_densities():
    scene = single_object_scene("dresser")
    obj = scene.objects[0]
    model = mjcf.load_model(scene)
    total = sum(model.body_mass[b] for b in range(1, model.nbody))
    assert total == pytest.approx(object_asset(obj).mass(), rel=1e-6)


def test_collision_classes(grid):
    model = mjcf.load_model(grid)
    for obj in grid.objects:
        for part in object_asset(obj).parts:
            g = model.geom(f"{obj.id}/{part.name}")
            if not part.collide:
                assert g.contype[0] == 0 and g.conaffinity[0] == 0
            else:
                assert g.contype[0] == mjcf.SOLID and g.conaffinity[0] == mjcf.SOLID


def test_rug_touches_only_the_floor():
    scene = samples.bedroom_scene()
    model = mjcf.load_model(scene)
    floor = model.geom("floor")
    rugs = [o for o in scene.objects if factories()[o.category].thin_covering]
    assert rugs, "the bedroom has a rug"
    for rug in rugs:
        for part in object_asset(rug).parts:
            g = model.geom(f"{rug.id}/{part.name}")
            assert g.contype[0] & floor.conaffinity[0]
            assert not g.contype[0] & mjcf.SOLID and not g.conaffinity[0] & mjcf.SOLID


def test_source_is_recorded_for_tracing(grid):
    xml = mjcf.to_xml(grid)
    obj = grid.objects[0]
    assert f'name="{obj.id}/source"' in xml and obj.category in xml
    model = mujoco.MjModel.from_xml_string(xml)
    assert model.ntext == len(grid)


def test_options_can_drop_architecture_and_weld_everything(grid):
    model = mjcf.load_model(grid, floor=False, walls=False, free_small_objects=False)
    geoms = _names(model, mujoco.mjtObj.mjOBJ_GEOM, model.ngeom)
    assert "floor" not in geoms and not any(g and g.startswith("wall_") for g in geoms)
    assert model.njnt == sum(len(object_asset(o).joints) for o in grid.objects)


def test_walls_are_the_glb_wall_boxes_and_an_l_shaped_floor_shows_its_shape():
    from scene_gym.scene import Room, Scene

    room = Room.l_shape(6.0, 5.0, 2.0, 2.0)
    model = mjcf.load_model(Scene(room))
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    boxes = wall_boxes(room)
    walls = [g for g in range(model.ngeom) if (model.geom(g).name or "").startswith("wall_")]
    assert len(walls) == len(boxes)
    for g, box in zip(walls, boxes, strict=True):
        np.testing.assert_allclose(data.geom_xpos[g], box.center, atol=1e-9)
        np.testing.assert_allclose(2 * model.geom_size[g], box.size, atol=1e-9)
    # The collision plane is hidden; the visible floor is the L-shaped slab, which collides with nothing.
    assert model.geom("floor").rgba[3] == 0.0
    visual = model.geom("floor_visual")
    assert visual.contype[0] == 0 and visual.conaffinity[0] == 0


def test_unknown_category_names_the_object():
    with pytest.raises(ExportError, match="flux_capacitor_1"):
        mjcf.build_spec(unknown_category_scene())


def test_broken_mesh_names_the_object(monkeypatch, tmp_path):
    register_broken(monkeypatch)
    with pytest.raises(ExportError, match=f"{BROKEN}_1.*lid"):
        mjcf.write(broken_scene(), tmp_path)
    assert not (tmp_path / "scene.xml").exists()
