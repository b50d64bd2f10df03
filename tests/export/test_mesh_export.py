"""GLB and OBJ export: structure, names, bounds, materials, joint states, floor triangulation, errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import trimesh

from scene_gym.actions import edit
from scene_gym.assets import build_asset, resolve_material
from scene_gym.errors import ExportError
from scene_gym.export.mesh import (
    FLOOR_THICKNESS,
    WALL_THICKNESS,
    Z_UP_TO_Y_UP,
    floor_slab,
    scene_mesh,
    triangulate_polygon,
    wall_boxes,
    write_glb,
    write_obj,
)
from scene_gym.samples import build_from_spec
from scene_gym.scene import Light, Opening, Room, Scene, SceneObject
from scene_gym.scene.geometry import points_in_polygon, polygon_signed_area

SPEC = [
    {"category": "desk", "at": (1.2, 0.4), "facing": "north"},
    {"category": "dresser", "at": (0.3, 2.0), "facing": "east"},
    {"category": "wardrobe", "at": (3.65, 1.8), "facing": "west"},
    {"category": "bookshelf", "at": (2.0, 3.3), "facing": "south"},
    {"category": "bowl", "on": ("desk_1", "top")},
]


def small_scene(room: Room | None = None) -> Scene:
    lights = [Light(id="light_1", position=(2.0, 1.7, 2.6))]
    return build_from_spec(Scene(room or Room.rectangle(4.0, 3.5), lights=lights, prompt="a small study"), SPEC)


def object_bounds(tscene: trimesh.Scene, object_id: str) -> np.ndarray:
    """(2, 3) world bounds of the geometry under node ``object_id``."""
    corners = []
    for node in tscene.graph.nodes_geometry:
        if node.startswith(object_id + "/"):
            matrix, geom = tscene.graph[node]
            corners.append(trimesh.transform_points(tscene.geometry[geom].bounds, matrix))
    pts = np.vstack(corners)
    return np.array([pts.min(axis=0), pts.max(axis=0)])


def expected_box(obj) -> np.ndarray:
    """(2, 3) axis-aligned bounds of an object's rotated bounding box."""
    fp = obj.footprint()
    return np.array([[*fp.min(axis=0), obj.position[2]], [*fp.max(axis=0), obj.top]])


def test_glb_round_trip_names_bounds_and_materials(tmp_path):
    scene = small_scene()
    paths = write_glb(scene, tmp_path)
    assert paths == [tmp_path / "scene.glb"]
    loaded = trimesh.load(paths[0], force="scene")
    # glTF is Y up: a root node rotates the scene's Z-up frame; the room's height lies along glTF's +Y.
    root_matrix, _ = loaded.graph.get("y_up")
    np.testing.assert_allclose(root_matrix, Z_UP_TO_Y_UP, atol=1e-12)
    assert loaded.bounds[:, 1] == pytest.approx([-FLOOR_THICKNESS, scene.room.wall_height], abs=1e-4)
    loaded.graph.update(frame_from=loaded.graph.base_frame, frame_to="y_up", matrix=np.eye(4))

    nodes = set(loaded.graph.nodes)
    geoms = set(loaded.geometry)
    for obj in scene.objects:
        assert obj.id in nodes
        own = [g for g in geoms if g.startswith(obj.id + "/")]
        assert own, f"no geometry for {obj.id}"
        assert sum(len(loaded.geometry[g].vertices) for g in own) > 0
        # Each object's triangles fill its bounding box (handles may stick out a few centimetres).
        np.testing.assert_allclose(object_bounds(loaded, obj.id), expected_box(obj), atol=0.05)

    w, d = scene.room.bounds
    top = max(scene.room.wall_height, *(o.top for o in scene.objects))
    t = WALL_THICKNESS
    np.testing.assert_allclose(loaded.bounds, [[-t, -t, -FLOOR_THICKNESS], [w + t, d + t, top]], atol=1e-4)

    # One PBR material per part material, with the resolved colour, roughness and metalness.
    desk_parts = build_asset("desk").parts
    for material in {resolve_material(p.material) for p in desk_parts}:
        name = "desk_1/" + re.sub(r"[^a-z0-9]+", "_", material.name)
        pbr = loaded.geometry[name].visual.material
        np.testing.assert_allclose(np.asarray(pbr.baseColorFactor) / 255, material.rgba, atol=1 / 255)
        assert pbr.roughnessFactor == pytest.approx(material.roughness)
        assert pbr.metallicFactor == pytest.approx(material.metalness)


def test_scene_mesh_applies_joint_states():
    closed = small_scene()
    opened = closed.copy()
    asset = build_asset("dresser", closed.get("dresser_1").size)
    slide = next(j for j in asset.joints if j.kind == "prismatic")
    edit.set_joints(opened, "dresser_1", {slide.name: slide.limits[1]})
    before = object_bounds(scene_mesh(closed), "dresser_1")
    after = object_bounds(scene_mesh(opened), "dresser_1")
    # The dresser faces east (+X): an open drawer sticks out by its travel along +X and nowhere else.
    assert after[1, 0] - before[1, 0] == pytest.approx(slide.limits[1], abs=0.02)
    np.testing.assert_allclose(after[0], before[0], atol=1e-9)


def test_obj_has_one_object_per_id_and_reloads(tmp_path):
    scene = small_scene()
    paths = write_obj(scene, tmp_path)
    assert paths == [tmp_path / "scene.obj", tmp_path / "scene.mtl"]
    text = paths[0].read_text()
    names = re.findall(r"^o (\S+)$", text, flags=re.M)
    assert names == ["floor", "walls", *(o.id for o in scene.objects)]
    used = set(re.findall(r"^usemtl (\S+)$", text, flags=re.M))
    defined = set(re.findall(r"^newmtl (\S+)$", paths[1].read_text(), flags=re.M))
    assert used == defined and "white_ceramic" in used

    loaded = trimesh.load(paths[0], force="scene")
    reference = scene_mesh(scene)
    np.testing.assert_allclose(loaded.bounds, reference.bounds, atol=1e-5)
    n_faces = sum(len(g.faces) for g in reference.geometry.values())
    assert sum(len(g.faces) for g in loaded.geometry.values()) == n_faces
    assert len(re.findall(r"^f ", text, flags=re.M)) == n_faces


def test_model_strings_cannot_add_obj_lines(tmp_path):
    base = small_scene()
    # Hostile text in every string field, built with the constructor as a loaded scene file would carry it.
    objects = [o.evolve(material="walnut\nnewmtl evil\nmap_Kd /etc/passwd") if o.id == "desk_1" else o
               for o in base.objects]  # fmt: skip
    room = base.room.model_copy(update={"wall_material": "paint\nmtllib x"})
    scene = Scene(room, objects, base.lights, "\nmtllib evil.mtl\no hacked")
    obj_path, mtl_path = write_obj(scene, tmp_path)
    allowed = re.compile(r"^(#.*|mtllib scene\.mtl|o [a-z0-9_]+|usemtl [a-z0-9_]+|v \S+ \S+ \S+|f \d+ \d+ \d+)$")
    assert all(allowed.match(line) for line in obj_path.read_text().splitlines())
    mtl_lines = [ln for ln in mtl_path.read_text().splitlines() if ln and not ln.startswith("#")]
    assert all(re.match(r"^(newmtl [a-z0-9_]+|(Kd|Ka|Ks|Ns|d|Pr|Pm|illum)( \S+)+)$", ln) for ln in mtl_lines)


def test_l_shaped_floor_slab_area():
    room = Room.l_shape(6.0, 5.0, 2.5, 2.0)
    slab = floor_slab(room)
    assert slab.is_watertight
    top_area = slab.area_faces[np.isclose(slab.face_normals[:, 2], 1.0)].sum()
    assert top_area == pytest.approx(room.area, rel=0.01)
    assert slab.volume == pytest.approx(room.area * FLOOR_THICKNESS, rel=0.01)
    np.testing.assert_allclose(slab.bounds, [[0, 0, -FLOOR_THICKNESS], [6.0, 5.0, 0.0]], atol=1e-9)


def test_l_shaped_room_exports(tmp_path):
    scene = small_scene(Room.l_shape(4.0, 3.5, 1.0, 1.0))
    edit.remove_objects(scene, ["wardrobe_1"])  # it stood in the notch's place
    loaded = trimesh.load(write_glb(scene, tmp_path)[0], force="scene")
    assert {o.id for o in scene.objects} <= set(loaded.graph.nodes)
    floor = [g for g in loaded.geometry if g.startswith("floor/")]
    assert len(floor) == 1
    assert loaded.geometry[floor[0]].volume == pytest.approx(scene.room.area * FLOOR_THICKNESS, rel=0.01)


COMB = [(0, 0), (5, 0), (5, 3), (4, 3), (4, 1), (3, 1), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)]
SPIRAL = [(0, 0), (4, 0), (4, 4), (1, 4), (1, 2), (2, 2), (2, 3), (3, 3), (3, 1), (0, 1)]


@pytest.mark.parametrize(
    "polygon",
    [COMB, SPIRAL, [(0, 0), (2, 0), (4, 0), (4, 2), (0, 2)], Room.l_shape(5, 4, 2, 3).floor],
    ids=["comb", "spiral", "collinear", "l_shape"],
)
def test_ear_clipping_tiles_non_convex_polygons(polygon):
    pts = np.asarray(polygon, dtype=float)
    tris = triangulate_polygon(pts)
    a, b, c = pts[tris[:, 0]], pts[tris[:, 1]], pts[tris[:, 2]]
    signed = 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))
    assert (signed > 0).all(), "every triangle counter-clockwise and non-degenerate"
    # Triangles inside the polygon that add up to its area tile it exactly (a fan would leave it).
    assert points_in_polygon((a + b + c) / 3, polygon).all()
    assert signed.sum() == pytest.approx(polygon_signed_area(polygon), rel=1e-9)


def test_walls_stand_outside_and_leave_openings_open():
    door = Opening(id="door_1", kind="door", wall=0, offset=1.0, width=0.9, height=2.0)
    window = Opening(id="window_1", kind="window", wall=1, offset=1.5, width=1.2, height=1.0, sill=0.9)
    room = Room.rectangle(4.0, 3.0, wall_height=2.5, openings=(door, window))
    boxes = wall_boxes(room)
    t, h = WALL_THICKNESS, room.wall_height
    perimeter = 2 * (4.0 + 3.0) + 8 * t  # every corner convex: each wall runs on by t at both ends
    expected = t * (perimeter * h - door.width * door.height - window.width * window.height)
    assert sum(math.prod(b.size) for b in boxes) == pytest.approx(expected, rel=1e-9)

    # No wall box covers the door's or the window's centre, and none pokes into the room.
    def covers(box, p):
        local = np.linalg.inv(box.transform()) @ np.append(p, 1.0)
        return bool((np.abs(local[:3]) < np.asarray(box.size) / 2 - 1e-9).all())

    for opening in (door, window):
        centre = room.opening_center(opening)
        centre[:2] -= room.wall_normal(opening.wall) * t / 2
        assert not any(covers(b, centre) for b in boxes)
    inside = np.random.default_rng(0).uniform([0, 0, 0], [4.0, 3.0, h], size=(500, 3))
    assert not any(covers(b, p) for b in boxes for p in inside)


def test_l_shaped_walls_stay_out_of_the_room():
    room = Room.l_shape(5.0, 4.0, 2.0, 1.5)
    boxes = wall_boxes(room)
    assert {b.wall for b in boxes} == set(range(6))
    rng = np.random.default_rng(1)
    xy = rng.uniform([0, 0], [5.0, 4.0], size=(4000, 2))
    xy = xy[room.contains(xy)]
    for box in boxes:
        inv = np.linalg.inv(box.transform())
        local = (np.column_stack([xy, np.full(len(xy), 1.0)]) @ inv[:3, [0, 1, 3]].T)[:, :2]
        inside = (np.abs(local) < np.asarray(box.size[:2]) / 2 - 1e-9).all(axis=1)
        assert not inside.any(), f"wall box of wall {box.wall} pokes into the room"


def test_unknown_category_raises_export_error_naming_object(tmp_path):
    base = small_scene()
    ship = SceneObject(id="spaceship_1", category="spaceship", position=(1.0, 1.0, 0.0), size=(1.0, 1.0, 1.0))
    scene = Scene(base.room, [*base.objects, ship], base.lights, base.prompt)  # the edit core refuses it
    with pytest.raises(ExportError, match="spaceship_1"):
        write_glb(scene, tmp_path)
    with pytest.raises(ExportError, match="spaceship_1"):
        write_obj(scene, tmp_path)
    assert not list(tmp_path.iterdir()), "a failed export writes nothing"
