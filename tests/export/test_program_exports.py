"""A scene of five program-defined objects (two articulated) exports and runs like catalog objects: MJCF loads
and steps in MuJoCo, the gripper opens the cabinet door and the chest drawer, pybullet loads the URDFs, a
concave extrusion holds an object in its opening without a false contact, and Blender renders the scene."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys

import mujoco
import numpy as np
import pybullet as p
import pytest
from PIL import Image

from scene_gym.actions import edit
from scene_gym.assets.programs import example_program
from scene_gym.export import mjcf, urdf
from scene_gym.export.physics_props import link_inertial, object_asset, write_meshes
from scene_gym.scene import Room, Scene
from scene_gym.sim import SimWorld, operate_all
from scene_gym.sim.skills import SUCCESS_FRACTION

HAS_BPY = importlib.util.find_spec("bpy") is not None


def program_scene() -> Scene:
    """Cabinet (revolute door), chest (prismatic drawer), kiln (cylinder + cone), lathed vase on an extruded
    cubby shelf, all facing into a 6 x 5 m room."""
    scene = Scene(Room.rectangle(6.0, 5.0, type="living room"))
    cat = {n: edit.define_object(scene, example_program(n))
           for n in ("storage_cabinet", "chest", "kiln", "lathed_vase", "cubby_shelf")}  # fmt: skip
    edit.add_object(scene, cat["storage_cabinet"], position=(1.0, 0.5, 0.0))
    edit.add_object(scene, cat["chest"], position=(3.0, 0.5, 0.0))
    edit.add_object(scene, cat["kiln"], position=(5.0, 1.0, 0.0))
    shelf = edit.add_object(scene, cat["cubby_shelf"], position=(3.0, 4.4, 0.0), yaw=math.pi)
    edit.place_on(scene, cat["lathed_vase"], shelf.id)
    return scene


@pytest.fixture(scope="module")
def scene() -> Scene:
    return program_scene()


def test_mjcf_loads_and_steps(scene):
    model = mjcf.load_model(scene)
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    assert model.njnt == 2 + 1  # the door hinge, the drawer slide and the vase's free joint
    start = {o.id: data.xpos[model.body(o.id).id].copy() for o in scene.objects}
    mujoco.mj_step(model, data, nstep=500)  # one second
    assert np.isfinite(data.qpos).all()
    for o in scene.objects:
        moved = np.linalg.norm(data.xpos[model.body(o.id).id] - start[o.id])
        assert moved < 0.01, f"{o.id} moved {moved:.3f} m"


def test_gripper_opens_both_articulated_objects(scene):
    world = SimWorld(scene)
    results = operate_all(world)
    assert {r.object.rsplit("_", 1)[0].rsplit("_", 1)[0] for r in results} == {"storage_cabinet", "chest"}
    for r in results:
        assert r.success, (r.object, r.joint, round(r.opened_fraction, 2), r.reason)
        assert r.opened_fraction >= SUCCESS_FRACTION and r.grip_force > 1.0


def test_pybullet_loads_every_urdf(scene, tmp_path):
    written = urdf.write(scene, tmp_path)  # the articulated objects, as the exporter writes them
    assert sorted(x.name for x in written if x.suffix == ".urdf") == sorted(
        f"{o.id}.urdf" for o in scene.objects if object_asset(o).articulated)
    client = p.connect(p.DIRECT)
    try:
        for obj in scene.objects:
            asset = object_asset(obj)
            if not asset.articulated:  # the rigid ones through the same writer functions
                write_meshes(asset, obj.id, tmp_path)
                (tmp_path / f"{obj.id}.urdf").write_text(urdf.asset_urdf(asset, obj.id))
            body = p.loadURDF(str(tmp_path / f"{obj.id}.urdf"), physicsClientId=client)
            assert p.getNumJoints(body, physicsClientId=client) == len(asset.joints)
            assert p.getDynamicsInfo(body, -1, physicsClientId=client)[0] == pytest.approx(
                link_inertial(asset, "base").mass, rel=1e-5)
            for i, joint in enumerate(asset.joints):
                info = p.getJointInfo(body, i, physicsClientId=client)
                assert info[1].decode() == joint.name and info[12].decode() == joint.child
                assert (info[8], info[9]) == pytest.approx(joint.limits, abs=1e-6)
    finally:
        p.disconnect(client)


def test_object_inside_the_concave_opening_does_not_collide():
    """A box standing on the cubby's base inside its arch touches the base only, not the arch (its hull would
    fill the opening)."""
    scene = Scene(Room.rectangle(3.0, 3.0))
    shelf = edit.add_object(scene, edit.define_object(scene, example_program("cubby_shelf")), position=(1.5, 1.5, 0.0))
    box = edit.add_object(scene, "book", position=(1.5, 1.5, 0.04), parent=shelf.id)  # on the base, in the arch
    world = SimWorld(scene, sleep=False)
    model, data = world.model, world.data
    frame = {g for g in range(model.ngeom) if model.geom(g).name.startswith(f"{shelf.id}/frame")}
    assert len(frame) == 3
    start = data.xpos[model.body(box.id).id].copy()
    mujoco.mj_step(model, data, nstep=250)
    touching = {(int(c.geom1), int(c.geom2)) for c in data.contact[: data.ncon]}
    assert not any(a in frame or b in frame for a, b in touching)
    assert any(model.geom_bodyid[a] == model.body(box.id).id or model.geom_bodyid[b] == model.body(box.id).id
               for a, b in touching)  # it rests on the base  # fmt: skip
    assert np.linalg.norm(data.xpos[model.body(box.id).id] - start) < 0.01


@pytest.mark.skipif(not HAS_BPY, reason="bpy is not installed: pip install 'scene-gym[blender]'")
@pytest.mark.slow
def test_blender_renders_the_program_objects(scene, tmp_path):
    from scene_gym.export.blender import scene_data, write

    data = scene_data(scene)
    assert [o["id"] for o in data["objects"]] == [o.id for o in scene.objects]
    script = write(scene, tmp_path)[0]
    proc = subprocess.run([sys.executable, str(script), "--out", "x.png", "--res", "64", "48", "--samples", "2"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with Image.open(tmp_path / "x.png") as im:
        pixels = np.asarray(im.convert("RGB"), dtype=float)
    assert im.size == (64, 48) and pixels.std() > 0
