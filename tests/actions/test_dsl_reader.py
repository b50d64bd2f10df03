"""The DSL reader is the printer's inverse: a printed scene reads back with its room, ids, poses and lights."""

from __future__ import annotations

import math

import pytest

from scene_gym.actions.dsl import DSLSyntaxError
from scene_gym.actions.dsl.printer import scene_to_dsl
from scene_gym.actions.dsl.reader import read_object_ids, read_room_header, read_scene_text
from scene_gym.samples import bedroom_scene


def test_printed_sample_bedroom_reads_back():
    scene = bedroom_scene()
    text = scene_to_dsl(scene)
    back = read_scene_text(text, prompt="a bedroom")
    assert back.prompt == "a bedroom" and back.room.type == scene.room.type
    assert back.room.bounds == pytest.approx(scene.room.bounds)
    assert back.room.wall_height == pytest.approx(scene.room.wall_height, abs=5e-3)
    assert [(o.id, o.kind, o.wall) for o in back.room.openings] == [(o.id, o.kind, o.wall) for o in scene.room.openings]
    for a, b in zip(back.room.openings, scene.room.openings, strict=True):
        assert a.offset == pytest.approx(b.offset, abs=2e-3) and a.width == pytest.approx(b.width, abs=5e-3)
    assert [o.id for o in back.objects] == [o.id for o in scene.objects]
    for a, b in zip(back.objects, scene.objects, strict=True):
        assert (a.category, a.parent, a.material) == (b.category, b.parent, b.material)
        assert a.position == pytest.approx(b.position, abs=2e-3)
        assert a.size == pytest.approx(b.size, abs=2e-3)
        assert math.cos(a.yaw - b.yaw) == pytest.approx(1.0, abs=1e-4)
    assert [light.id for light in back.lights] == [light.id for light in scene.lights]
    assert read_object_ids(text) == [o.id for o in scene.objects]
    assert read_object_ids(text, lights=True) == [o.id for o in scene.objects] + [x.id for x in scene.lights]


def test_room_header():
    text = scene_to_dsl(bedroom_scene())
    rtype, w, d, h = read_room_header(text)
    assert rtype == "bedroom" and (w, d) == pytest.approx(bedroom_scene().room.bounds, abs=5e-3) and h > 2
    assert read_room_header("# room: gym, 6.00 x 7.50 m") == ("gym", 6.0, 7.5, 2.8)
    with pytest.raises(DSLSyntaxError, match="# room:"):
        read_room_header('add("bed")')
    with pytest.raises(DSLSyntaxError, match="# room:"):
        read_scene_text('add("bed")')


def test_a_scene_longer_than_one_program_reads_back():
    from scene_gym.actions.dsl import MAX_STATEMENTS
    from scene_gym.scene import Room, Scene, SceneObject

    objs = [SceneObject(id=f"book_{k + 1}", category="book", position=(0.1 + 0.05 * k, 0.5, 0.0), size=(0.2, 0.15, 0.03))
            for k in range(MAX_STATEMENTS + 6)]  # fmt: skip
    scene = Scene(Room.rectangle(8, 8, type="bookstore"), objects=objs)
    assert [o.id for o in read_scene_text(scene_to_dsl(scene)).objects] == [o.id for o in objs]
