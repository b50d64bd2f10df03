"""Concave user meshes collide as convex pieces: a U-shaped shelf built here with trimesh holds a box in its
opening in our physics world, in MuJoCo (MJCF) and in pybullet (URDF), while a box through a side wall still
collides; decompositions are cached per mesh (in process and on disk), and a corrupt cache file is recomputed."""

from __future__ import annotations

import json
import math
from pathlib import Path

import mujoco
import numpy as np
import pybullet as p
import pytest
import trimesh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.assets import build_asset, convex, factories, resolve_material
from scene_gym.assets.mesh_assets import register_mesh_folder, unregister_mesh_assets
from scene_gym.errors import AssetError
from scene_gym.export import mjcf
from scene_gym.export.physics_props import link_inertial, write_meshes
from scene_gym.export.urdf import asset_urdf
from scene_gym.physics import PhysicsWorld
from scene_gym.render.geometry import scene_primitives
from scene_gym.scene import Room, Scene, SceneObject

W, D, H, T = 0.8, 0.4, 0.6, 0.04  # shelf width, depth, height and board thickness, metres
CUBE = 0.2  # side of the box put in the opening, metres
SHELF_AT = (2.0, 2.0)


def u_shelf() -> trimesh.Trimesh:
    """One closed mesh: a U profile in x-z (bottom board and two side walls, open at the top) extruded along y."""
    half = W / 2
    poly = [(-half, 0), (half, 0), (half, H), (half - T, H), (half - T, T), (-half + T, T), (-half + T, H), (-half, H)]
    n = len(poly)
    vertices = [(x, -D / 2, z) for x, z in poly] + [(x, D / 2, z) for x, z in poly]
    caps = [(0, 1, 4), (0, 4, 5), (1, 2, 3), (1, 3, 4), (0, 5, 6), (0, 6, 7)]  # three convex quads tile the U
    faces = list(caps) + [(a + n, c + n, b + n) for a, b, c in caps]
    for i in range(n):
        j = (i + 1) % n
        faces += [(i, j, j + n), (i, j + n, i + n)]
    mesh = trimesh.Trimesh(np.array(vertices), np.array(faces), process=True)
    trimesh.repair.fix_normals(mesh)
    assert mesh.is_watertight and mesh.volume > 0
    return mesh


def write_folder(folder: Path, shelf_meta: dict | None = None, *, cube: bool = True) -> Path:
    """The U shelf (category ``test_u_shelf`` unless ``shelf_meta`` names another) and, with ``cube``, a small
    cube ``test_cube``, as mesh assets with sidecars in ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    u_shelf().export(folder / "shelf.glb")
    (folder / "shelf.json").write_text(json.dumps({"category": "test_u_shelf", **(shelf_meta or {})}))
    if cube:
        trimesh.creation.box(extents=(CUBE,) * 3).export(folder / "cube.obj")
        meta = {"category": "test_cube", "small": True, "placement": "surface"}
        (folder / "cube.json").write_text(json.dumps(meta))
    return folder


@pytest.fixture(scope="module")
def calls():
    """Counts convex._compute (real decompositions); the cache lives in a folder of this module's own."""
    count = {"n": 0}
    real = convex._compute

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    return count, counting


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory) -> Path:
    """This module's SCENE_GYM_CACHE_DIR."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _module_cache(cache_root, monkeypatch):
    monkeypatch.setenv("SCENE_GYM_CACHE_DIR", str(cache_root))


@pytest.fixture(scope="module")
def shelf(cache_root, tmp_path_factory, calls):
    """The folder of the registered U shelf and cube (one real decomposition); unregistered afterwards."""
    count, counting = calls
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCENE_GYM_CACHE_DIR", str(cache_root))
        mp.setattr(convex, "_compute", counting)
        convex.clear_memory_cache()
        folder = write_folder(tmp_path_factory.mktemp("meshes"))
        assert register_mesh_folder(folder) == ["test_cube", "test_u_shelf"]
        assert count["n"] == 1  # the cube is convex: only the shelf is decomposed
        yield folder
    unregister_mesh_assets()
    convex.clear_memory_cache()


def scene_with_cube(x: float, z: float = T, parent: str = "test_u_shelf_1", shelf: str = "test_u_shelf") -> Scene:
    """The shelf (id ``test_u_shelf_1``, category ``shelf``) at SHELF_AT and the cube with its bottom centre at
    (shelf x + x, shelf y, z)."""
    objects = [SceneObject(id="test_u_shelf_1", category=shelf, position=(*SHELF_AT, 0.0), size=(W, D, H)),
               SceneObject(id="test_cube_1", category="test_cube", position=(SHELF_AT[0] + x, SHELF_AT[1], z),
                           size=(CUBE,) * 3, parent=parent)]  # fmt: skip
    return Scene(Room.rectangle(4.0, 4.0), objects)


def test_shelf_is_drawn_as_its_mesh_and_collides_as_pieces_clear_of_the_opening(shelf):
    asset = build_asset("test_u_shelf")
    visual = [part for part in asset.parts if part.visual]
    pieces = [part for part in asset.parts if not part.visual]
    assert [(part.name, part.collide) for part in visual] == [("mesh", False)]
    assert 2 <= len(pieces) <= convex.DEFAULT_MAX_PIECES and all(part.collide for part in pieces)
    inner_lo, inner_hi = np.array([-W / 2 + T, -D / 2, T]) + 0.002, np.array([W / 2 - T, D / 2, H]) - 0.002
    for part in pieces:
        world = part.mesh.vertices + np.asarray(part.position)
        lo, hi = world.min(axis=0), world.max(axis=0)
        assert not ((lo < inner_hi) & (hi > inner_lo)).all(), f"{part.name} reaches into the opening: {lo}, {hi}"
        assert trimesh.Trimesh(part.mesh.vertices, part.mesh.faces).is_convex
    # the pieces fill the shelf: their volume is the mesh's, and the mesh alone carries the mass
    assert sum(part.volume for part in pieces) == pytest.approx(u_shelf().volume, rel=0.03)
    assert asset.volume == pytest.approx(u_shelf().volume, rel=1e-6)
    assert asset.mass() == pytest.approx(u_shelf().volume * resolve_material(visual[0].material).density, rel=1e-6)
    assert link_inertial(asset, "base").mass == pytest.approx(asset.mass())
    # stretched to another size, the pieces stretch with the mesh
    wide = build_asset("test_u_shelf", (1.2, 0.4, 0.6))
    tops = [p_.position[0] + p_.mesh.vertices[:, 0].max() for p_ in wide.parts if not p_.visual]
    assert max(tops) == pytest.approx(0.6, abs=1e-4)  # CoACD works in float32
    # renderers draw the mesh, not the pieces
    names = {prim.name for prim in scene_primitives(scene_with_cube(0.0))}
    assert "test_u_shelf_1/mesh" in names and not any("collision_" in name for name in names)


def test_physics_world_sees_no_collision_in_the_opening_but_one_through_a_side_wall(shelf):
    with PhysicsWorld(scene_with_cube(0.0)) as world:
        assert world.collisions() == []
    with PhysicsWorld(scene_with_cube(0.0, z=T + 0.01, parent="floor")) as world:
        assert world.collisions() == []  # floating in the opening, touching nothing
    with PhysicsWorld(scene_with_cube(W / 2 - T / 2)) as world:
        (hit,) = world.collisions()
        assert {hit.a, hit.b} == {"test_u_shelf_1", "test_cube_1"} and hit.depth > 0.01


def test_hull_collision_option_keeps_the_old_behaviour(shelf, tmp_path, calls, monkeypatch):
    count, _ = calls
    before = count["n"]
    monkeypatch.setenv("SCENE_GYM_CACHE_DIR", str(tmp_path / "cache"))
    register_mesh_folder(write_folder(tmp_path, {"category": "test_u_hull", "collision": "hull"}, cube=False))
    try:
        assert [part.name for part in build_asset("test_u_hull").parts] == ["mesh"]
        with PhysicsWorld(scene_with_cube(0.0, shelf="test_u_hull")) as world:
            assert [c.depth > 0.05 for c in world.collisions()] == [True]  # the hull swallows the cube
    finally:
        unregister_mesh_assets(["test_u_hull"])
    assert count["n"] == before and not (tmp_path / "cache").exists()


def test_mujoco_keeps_the_cube_resting_in_the_opening(shelf):
    model = mjcf.load_model(scene_with_cube(0.0, z=T + 0.002))
    data = mujoco.MjData(model)
    body = model.body("test_cube_1").id
    mujoco.mj_forward(model, data)
    start = data.xpos[body].copy()
    for _ in range(int(0.5 / model.opt.timestep)):
        mujoco.mj_step(model, data)
    end = data.xpos[body]
    assert np.linalg.norm(end[:2] - start[:2]) < 0.005, (start, end)
    assert end[2] == pytest.approx(T, abs=0.003)  # its bottom rests on the bottom board: not thrown out
    pieces = [i for i in range(model.ngeom) if "/collision_" in model.geom(i).name]
    assert pieces and all(model.geom_rgba[i, 3] == 0 and model.geom_contype[i] == 1 for i in pieces)
    visual = model.geom("test_u_shelf_1/mesh")
    assert visual.contype[0] == 0 and visual.rgba[3] == 1


def test_pybullet_from_urdf_keeps_the_cube_in_the_opening_and_sees_the_wall(shelf, tmp_path):
    asset = build_asset("test_u_shelf")
    write_meshes(asset, "shelf", tmp_path)
    (tmp_path / "shelf.urdf").write_text(asset_urdf(asset, "shelf"))
    client = p.connect(p.DIRECT)
    try:
        p.setGravity(0, 0, -9.81, physicsClientId=client)
        shelf_body = p.loadURDF(str(tmp_path / "shelf.urdf"), useFixedBase=True, physicsClientId=client)
        box = p.createCollisionShape(p.GEOM_BOX, halfExtents=[CUBE / 2] * 3, physicsClientId=client)
        inside = p.createMultiBody(1.0, box, basePosition=[0, 0, T + CUBE / 2 + 0.002], physicsClientId=client)
        through = p.createMultiBody(0.0, box, basePosition=[W / 2, 0, T + CUBE / 2 + 0.05], physicsClientId=client)
        p.setCollisionFilterPair(inside, through, -1, -1, 0, physicsClientId=client)
        for _ in range(240):
            p.stepSimulation(physicsClientId=client)
        pos, _ = p.getBasePositionAndOrientation(inside, physicsClientId=client)
        assert math.hypot(pos[0], pos[1]) < 0.005 and pos[2] == pytest.approx(T + CUBE / 2, abs=0.005)
        depth = -min(c[8] for c in p.getClosestPoints(shelf_body, through, 0.0, physicsClientId=client))
        assert depth > 0.01
    finally:
        p.disconnect(client)


def test_second_registration_hits_the_cache_and_a_corrupt_file_is_recomputed(shelf, calls):
    count, _ = calls
    before = count["n"]
    unregister_mesh_assets()
    register_mesh_folder(shelf)  # in-process cache
    unregister_mesh_assets()
    convex.clear_memory_cache()
    register_mesh_folder(shelf)  # disk cache
    assert count["n"] == before
    (cached,) = convex.cache_dir().glob("*.npz")
    good = cached.read_bytes()
    n_pieces = sum(not part.visual for part in build_asset("test_u_shelf").parts)
    for corrupt in (good[: len(good) // 2], _tampered(good)):  # a torn write; a consistent file with wrong data
        cached.write_bytes(corrupt)
        unregister_mesh_assets()
        convex.clear_memory_cache()
        before = count["n"]
        register_mesh_folder(shelf)
        assert count["n"] == before + 1  # recomputed once
        assert cached.read_bytes() != corrupt  # and rewritten
        assert sum(not part.visual for part in build_asset("test_u_shelf").parts) == n_pieces


def _tampered(npz: bytes) -> bytes:
    """A well-formed cache file whose vertices were moved but whose key is kept: its digest no longer matches."""
    import io

    with np.load(io.BytesIO(npz), allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["vertices"] = arrays["vertices"] * 0.5
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=2048), cut=st.integers(0, 10_000), flip=st.integers(0, 255))
def test_cache_reader_never_trusts_or_raises_on_damaged_files(shelf, tmp_path, blob, cut, flip):
    (cached,) = convex.cache_dir().glob("*.npz")
    good = cached.read_bytes()
    key = cached.stem
    vertices = u_shelf().vertices  # any box around the shelf will do for the bounds check
    damaged = bytearray(good)
    damaged[cut % len(good)] ^= flip
    for data in (blob, bytes(damaged), good[: cut % len(good)]):
        path = tmp_path / "damaged.npz"
        path.write_bytes(data)
        out = convex._read_cache(path, key, vertices, convex.DEFAULT_MAX_PIECES)
        if out is not None:  # a flip that zip and the digest both tolerate (e.g. in padding) must decode the same
            assert all(np.isfinite(v).all() and f.max() < len(v) for v, f in out)


def test_bad_collision_fields_and_a_failed_decomposition_register_nothing(shelf, tmp_path, monkeypatch):
    monkeypatch.setenv("SCENE_GYM_CACHE_DIR", str(tmp_path / "cache"))
    convex.clear_memory_cache()
    before = set(factories())
    for meta, field in (({"collision": "convex"}, "collision"), ({"max_pieces": 0}, "max_pieces"),
                        ({"max_pieces": True}, "max_pieces")):  # fmt: skip
        with pytest.raises(AssetError, match=field) as err:
            register_mesh_folder(write_folder(tmp_path / f"{field}_{meta[field]}", meta, cube=False))
        assert "shelf.json" in str(err.value) and set(factories()) == before

    def broken(*args, **kwargs):
        raise AssetError("convex decomposition failed: CoACD raised RuntimeError: boom")

    monkeypatch.setattr(convex, "_run_coacd", broken)
    folder = write_folder(tmp_path / "broken", {"category": "test_u_broken"}, cube=False)
    with pytest.raises(AssetError, match="shelf.glb: convex decomposition for collision failed") as err:
        register_mesh_folder(folder)
    assert "boom" in str(err.value) and set(factories()) == before
    assert not list((tmp_path / "cache").glob("**/*.npz"))


def test_decompose_checks_its_arguments():
    good = u_shelf()
    cases = [((np.full((8, 3), np.nan), good.faces), {}, "vertices"), ((good.vertices, good.faces + 100), {}, "faces"),
             ((good.vertices, good.faces), {"max_pieces": 0}, "max_pieces"),
             ((good.vertices, good.faces), {"max_pieces": convex.MAX_PIECES + 1}, "max_pieces"),
             ((good.vertices, good.faces), {"threshold": math.nan}, "threshold"),
             ((good.vertices, good.faces), {"seed": -1}, "seed")]  # fmt: skip
    for args, kwargs, field in cases:
        with pytest.raises(AssetError, match=field):
            convex.decompose(*args, **kwargs)
    assert not convex.is_convex(good.vertices, good.faces) and convex.is_convex(*_box_arrays())


def _box_arrays():
    box = trimesh.creation.box(extents=(1.0, 2.0, 0.5))
    return box.vertices, box.faces
