"""The scene data model: conventions, JSON round trip, validation errors naming the field, transactions, and the
mutation functions (``scene_gym.scene.mutation``, which only the edit core uses outside these unit tests)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from scene_gym.errors import SceneValidationError
from scene_gym.scene import COMPASS_YAW, Light, Opening, Room, Scene, SceneObject, facing_vector, mutation


def small_scene() -> Scene:
    room = Room.rectangle(4.0, 5.0, type="bedroom", openings=(
        Opening(id="door_1", kind="door", wall=0, offset=1.0, width=0.9, height=2.0),
        Opening(id="window_1", kind="window", wall=1, offset=2.5, width=1.2, height=1.0, sill=0.9)))
    objects = [
        SceneObject(id="desk_1", category="desk", position=(1.0, 1.0, 0.0), size=(1.2, 0.6, 0.75), material="oak wood"),
        SceneObject(id="bowl_1", category="bowl", position=(1.0, 1.0, 0.75), size=(0.16, 0.16, 0.07), parent="desk_1"),
    ]  # fmt: skip
    lights = [Light(id="light_1", kind="point", position=(2.0, 2.5, 2.6), intensity=80.0)]
    return Scene(room, objects, lights, prompt="a small bedroom")


def test_json_round_trip_is_identical():
    scene = small_scene()
    text = scene.to_json()
    again = Scene.from_json(text)
    assert again.to_json() == text
    assert again == scene
    assert json.loads(text)["schema"] == "scene-gym/scene@2"


def test_save_and_load(tmp_path):
    scene = small_scene()
    path = scene.save(tmp_path / "sub" / "scene.json")
    assert Scene.load(path) == scene
    assert not list(path.parent.glob(".*.tmp"))  # atomic write leaves no temporary file


def test_ids_are_readable_and_never_reused_while_present():
    scene = small_scene()
    assert scene.next_id("desk") == "desk_2"
    mutation.new_object(scene, "desk", position=(3.0, 3.0, 0.0), size=(1.0, 0.5, 0.7))
    mutation.remove(scene, "desk_1")
    assert scene.next_id("desk") == "desk_3"
    assert "bowl_1" not in scene  # removed with its support parent


def test_pose_conventions():
    obj = SceneObject(id="sofa_1", category="sofa", position=(2.0, 1.0, 0.0), yaw=COMPASS_YAW["east"],
                      size=(2.0, 0.9, 0.8))
    np.testing.assert_allclose(obj.front, [1.0, 0.0], atol=1e-12)  # east is +X
    np.testing.assert_allclose(facing_vector(0.0), [0.0, 1.0])  # yaw 0 faces north (+Y)
    np.testing.assert_allclose(obj.center, [2.0, 1.0, 0.4])
    # Rotated by -90 degrees the 2 m width runs along y.
    corners = obj.footprint()
    np.testing.assert_allclose(corners[:, 1].max() - corners[:, 1].min(), 2.0)
    local_front = obj.transform() @ np.array([0.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(local_front[:2], obj.front, atol=1e-12)


def test_yaw_is_wrapped_so_equal_orientations_compare_equal():
    a = SceneObject(id="desk_1", category="desk", position=(1, 1, 0), yaw=2 * math.pi + 0.5, size=(1, 1, 1))
    assert a.yaw == pytest.approx(0.5)
    assert SceneObject(id="desk_1", category="desk", position=(1, 1, 0), yaw=-math.pi, size=(1, 1, 1)).yaw == math.pi


def test_l_shaped_room():
    room = Room.l_shape(6.0, 5.0, 2.0, 2.0)
    assert room.area == pytest.approx(30.0 - 4.0)
    assert room.contains([[1.0, 1.0], [5.0, 4.0]]).tolist() == [True, False]
    assert len(room.floor) == 6


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d["objects"][0].__setitem__("size", [float("nan"), 1, 1]), "objects[0].size"),
        (lambda d: d["objects"][0].__setitem__("size", [-1.0, 1, 1]), "width"),
        (lambda d: d["objects"][0].__setitem__("position", [1e308, 0, 0]), "objects[0].position"),
        (lambda d: d["objects"][1].__setitem__("id", "desk_1"), "duplicate object id 'desk_1'"),
        (lambda d: d["objects"][1].__setitem__("parent", "table_9"), "'table_9'"),
        (lambda d: d.__setitem__("schema", "scene-gym/scene@3"), "scene-gym/scene@3"),
        (lambda d: d.__setitem__("definitions", {"kiln_00000000": {"name": "kiln"}}), "definitions.kiln_00000000"),
        (lambda d: d["objects"][0].__setitem__("id", "Desk"), "'Desk'"),
        (lambda d: d["objects"][0].__setitem__("colour", "red"), "objects[0].colour"),
        (lambda d: d["room"].__setitem__("floor", [[0, 0], [0, 5], [4, 5], [4, 0]]), "counter-clockwise"),
        (lambda d: d["room"].__setitem__("floor", [[1, 1], [4, 1], [4, 5]]), "origin"),
        (lambda d: d["room"]["openings"][0].__setitem__("offset", 3.9), "door_1"),
        (lambda d: d["room"]["openings"][0].__setitem__("wall", 7), "wall index"),
        (lambda d: d["objects"][0].__setitem__("yaw", "north"), "objects[0].yaw"),
        (lambda d: d["lights"][0].__setitem__("color", [2, 0, 0]), "lights[0].color"),
        (lambda d: d["objects"][1].__setitem__("parent", "bowl_1"), "bowl_1"),
    ],
)
def test_validation_errors_name_the_field(mutate, fragment):
    data = json.loads(small_scene().to_json())
    mutate(data)
    with pytest.raises(SceneValidationError) as err:
        Scene.from_dict(data)
    assert fragment in str(err.value)


def test_truncated_and_missing_files(tmp_path):
    path = tmp_path / "scene.json"
    path.write_text(small_scene().to_json()[:200])
    with pytest.raises(SceneValidationError, match="malformed JSON at line"):
        Scene.load(path)
    with pytest.raises(SceneValidationError, match="cannot read scene file"):
        Scene.load(tmp_path / "missing.json")
    with pytest.raises(SceneValidationError, match="expected a JSON object"):
        Scene.from_json("[1, 2]")


def test_edits_validate_and_failed_transaction_restores_exactly():
    scene = small_scene()
    before = scene.to_json()
    with pytest.raises(SceneValidationError, match="width"):
        mutation.update(scene, "desk_1", size=(0.0, 1.0, 1.0))
    with pytest.raises(SceneValidationError, match="cannot rename"):
        mutation.update(scene, "desk_1", id="desk_9")
    with pytest.raises(SceneValidationError, match="support cycle"):
        mutation.update(scene, "desk_1", parent="bowl_1")
    with pytest.raises(SceneValidationError, match="duplicate object id 'desk_1'"):
        mutation.add(scene, scene.get("desk_1"))
    with pytest.raises(SceneValidationError, match="duplicate light id"):
        mutation.add_light(scene, scene.lights[0])
    with pytest.raises(SceneValidationError, match="at most 20000 characters"):
        mutation.set_prompt(scene, "x" * 20_001)
    assert scene.to_json() == before
    with pytest.raises(SceneValidationError):
        with scene.transaction():
            mutation.update(scene, "desk_1", position=(2.0, 2.0, 0.0))
            mutation.new_object(scene, "desk", position=(3.0, 3.0, 0.0), size=(1, 1, 1))
            mutation.set_metadata(scene, "note", "temporary")
            scene.get("no_such_1")
    assert scene.to_json() == before


def test_scene_only_reads():
    scene = small_scene()
    for name in ("add", "new_object", "update", "remove", "add_light", "remove_light"):
        assert not hasattr(scene, name), name
    before = scene.to_json()
    with pytest.raises(AttributeError):
        scene.prompt = "another prompt"
    with pytest.raises(AttributeError):
        scene.room = Room.rectangle(3.0, 3.0)
    with pytest.raises(TypeError):
        scene.metadata["relations"] = []
    assert scene.to_json() == before


def test_metadata_is_a_read_only_view_and_json_is_unchanged():
    scene = Scene(Room.rectangle(3.0, 3.0), metadata={"generator": "test", "seed": 3})
    assert dict(scene.metadata) == {"generator": "test", "seed": 3}
    assert json.loads(scene.to_json())["metadata"] == {"generator": "test", "seed": 3}
    snap = scene.snapshot()
    mutation.set_metadata(scene, "seed", 4)
    assert scene.metadata["seed"] == 4
    scene.restore(snap)
    assert scene.metadata["seed"] == 3
    assert Scene.from_json(scene.to_json()) == scene


def test_constructor_errors_are_scene_errors():
    desk = SceneObject(id="desk_1", category="desk", position=(1, 1, 0), size=(1, 1, 1))
    with pytest.raises(SceneValidationError, match="duplicate object id 'desk_1'"):
        Scene(Room.rectangle(3.0, 3.0), [desk, desk])


def test_unknown_id_lists_known_ones():
    with pytest.raises(SceneValidationError, match="unknown object id 'sofa_1'.*desk_1"):
        small_scene().get("sofa_1")


def test_atomic_write_gives_ordinary_file_permissions(tmp_path):
    import stat

    from scene_gym.scene import io

    path = io.atomic_write(tmp_path / "report.html", "<html></html>")
    ordinary = tmp_path / "ordinary.html"
    ordinary.write_text("<html></html>")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(ordinary.stat().st_mode) == 0o666 & ~io._UMASK
