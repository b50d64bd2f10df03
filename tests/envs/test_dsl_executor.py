"""The DSL executor (per-statement transactions, clear failures) and printer (readable, parseable output)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.actions.dsl import parse_program
from scene_gym.actions.dsl.executor import apply_program
from scene_gym.actions.dsl.printer import scene_to_dsl
from scene_gym.physics import PhysicsWorld
from scene_gym.samples import bedroom_scene
from scene_gym.scene import Light, Room, Scene, SceneObject


def run(scene, text, world=None, seed=0):
    return apply_program(scene, parse_program(text), rng=np.random.default_rng(seed), world=world)


@pytest.fixture
def room():
    return Scene(Room.rectangle(4.0, 5.0, type="living room"), prompt="a living room")


def test_add_places_an_object_with_degrees_compass_and_default_size(room):
    (r,) = run(room, 'add("sofa", at=(2.0, 0.6), facing="south", material="grey fabric")')
    assert r.ok and r.changed_ids == ("sofa_1",)
    sofa = room.get("sofa_1")
    assert sofa.position == (2.0, 0.6, 0.0)
    assert math.isclose(abs(sofa.yaw), math.pi)
    assert sofa.size == (2.0, 0.9, 0.85) and sofa.material == "grey fabric"
    run(room, 'add("armchair", at=(1, 3), yaw=90)')
    assert math.isclose(room.get("armchair_1").yaw, math.pi / 2)


def test_against_snaps_the_back_to_the_wall_facing_into_the_room(room):
    (r,) = run(room, 'add("bookshelf", at=(1.0, 2.0), against="north")')
    assert r.ok
    shelf = room.get("bookshelf_1")
    assert math.isclose(shelf.position[1] + shelf.size[1] / 2, 5.0, abs_tol=0.01)  # back on y = 5
    assert np.allclose(shelf.front, (0.0, -1.0), atol=1e-9)  # faces south, into the room
    assert shelf.position[0] == pytest.approx(1.0)


def test_each_statement_is_a_transaction_and_later_ones_still_run(room):
    results = run(room, 'add("sofa", at=(2, 1))\nadd("sofa", at=(9, 1))\nmove("sofa_1", by=(0.5, 0))')
    assert [r.ok for r in results] == [True, False, True]
    assert "would leave the room" in results[1].message and "x 8.00..10.00" in results[1].message
    assert [o.id for o in room.objects] == ["sofa_1"]
    assert room.get("sofa_1").position[0] == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("program", "fragment"),
    [
        ('add("spaceship", at=(1, 1))', "unknown category 'spaceship'"),
        ('add("desq", at=(1, 1))', "did you mean 'desk'"),
        ('add("sofa", at=(2, 2), size=(9, 1, 1))', "expected width in [1.2, 3.2] m, got 9.0"),
        ('move("bed_9", by=(1, 0))', "unknown object id 'bed_9'; known ids: sofa_1"),
        ('set_material("sofa_1", "qwzx")', "material description"),
        ('set_light("light_7", intensity=3)', "unknown light id 'light_7'"),
        ('relate("sofa_1", "levitating", "sofa_1")', "unknown relation"),
        ('place_on("mug", "sofa_1", size=(0.9, 0.9, 0.9))', "expected width in"),
        ('rotate("sofa_1", by=90)', "would leave the room"),
    ],
)
def test_failures_explain_themselves_and_change_nothing(room, program, fragment):
    run(room, 'add("sofa", at=(2, 0.5))')
    before = room.to_json()
    (r,) = run(room, program)
    assert not r.ok and fragment in r.message
    assert room.to_json() == before


def test_place_on_uses_the_largest_free_surface_and_avoids_items_already_there():
    scene = bedroom_scene()
    (a,) = run(scene, 'place_on("mug", "desk_1")')
    (b,) = run(scene, 'place_on("mug", "desk_1")')
    assert a.ok and b.ok
    m1, m2, desk = scene.get("mug_1"), scene.get("mug_2"), scene.get("desk_1")
    assert m1.parent == m2.parent == "desk_1"
    assert m1.position[2] == pytest.approx(desk.top, abs=0.02)
    assert np.hypot(m1.position[0] - m2.position[0], m1.position[1] - m2.position[1]) > 0.05
    (c,) = run(scene, 'place_on("vase", "nightstand_1", at=(1, 1))')
    assert c.ok and scene.get("vase_2").parent == "nightstand_1"


def test_move_rotate_resize_carry_what_rests_on_the_object():
    scene = bedroom_scene()
    lamp0 = scene.get("table_lamp_1")
    run(scene, 'move("nightstand_1", by=(0.3, 0))')
    assert scene.get("table_lamp_1").position[0] == pytest.approx(lamp0.position[0] + 0.3)
    run(scene, 'resize("nightstand_1", scale=1.1)')
    stand = scene.get("nightstand_1")
    assert scene.get("table_lamp_1").position[2] == pytest.approx(stand.top, abs=1e-6)
    (r,) = run(scene, 'remove("nightstand_1")')
    assert r.ok and "table_lamp_1" in r.changed_ids and "table_lamp_1" not in scene


def test_relate_re_places_only_the_subject_and_remembers_the_relation(room):
    run(room, 'add("desk", at=(2, 0.4))\nadd("office_chair", at=(0.5, 4.0))')
    desk_before = room.get("desk_1")
    (r,) = run(room, 'relate("office_chair_1", "in front of", "desk_1")')
    assert r.ok and "satisfied 1.00" in r.message
    assert room.get("desk_1") == desk_before
    assert room.get("office_chair_1").position[1] > desk_before.position[1]
    assert room.metadata["relations"][0]["relation"] == "in_front_of"


def test_add_without_position_uses_the_solver(room):
    (r,) = run(room, 'add("couch", against="west")')
    assert r.ok and "'couch' -> sofa" in r.message
    assert room.get("sofa_1").position[0] < 1.0


def test_lights_are_added_and_edited_in_place(room):
    run(room, 'set_light(kind="area", at=(2, 2, 2.7), intensity=300)\nset_light(intensity=50)')
    run(room, 'set_light("light_1", color=(1, 0.5, 0.2))')
    assert [lt.id for lt in room.lights] == ["light_1", "light_2"]
    assert room.lights[0].color == (1.0, 0.5, 0.2) and room.lights[0].intensity == 300


def test_done_skips_later_statements_and_world_notes_collisions(room):
    with PhysicsWorld() as world:
        results = run(room, 'add("sofa", at=(2, 2))\nadd("coffee_table", at=(2, 2.2))\ndone()\nadd("bed")', world)
    assert "overlap by" in results[1].message
    assert results[2].done and results[3].skipped and "after done()" in results[3].message
    assert "bed_1" not in room


def test_printer_is_readable_and_replays_to_the_same_objects():
    scene = bedroom_scene()
    text = scene_to_dsl(scene)
    assert text.startswith("# room: bedroom, 4.20 x 4.80 m")
    assert "# door_1: door on the south wall" in text
    assert 'add("bed", at=(2.1, 3.75, 0), facing="south", size=(1.6, 2.1, 1), material="grey fabric")  # bed_1' in text
    assert "# table_lamp_1 on nightstand_1" in text
    statements = parse_program(text)
    assert len(statements) == len(scene.objects) + len(scene.lights)
    replay = Scene(scene.room)
    results = apply_program(replay, statements, rng=np.random.default_rng(0))
    assert all(r.ok for r in results)
    for a, b in zip(scene.objects, replay.objects, strict=True):
        assert (a.id, a.category, a.size) == (b.id, b.category, b.size)
        assert np.allclose(a.position, b.position, atol=1e-3)
        assert math.isclose(math.cos(a.yaw - b.yaw), 1.0, abs_tol=1e-6)


_materials = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def random_scenes(draw):
    w, d = draw(st.floats(1.0, 30.0)), draw(st.floats(1.0, 30.0))
    cats = ["sofa", "bed", "desk", "chair", "mug", "lamp", "x9"]
    objects, counts = [], dict.fromkeys(cats, 0)
    for _ in range(draw(st.integers(0, 30))):
        cat = draw(st.sampled_from(cats))
        counts[cat] += 1
        objects.append(SceneObject(id=f"{cat}_{counts[cat]}", category=cat,
                                   position=tuple(draw(st.floats(-999, 999)) for _ in range(3)),
                                   yaw=draw(st.floats(-1e4, 1e4)),
                                   size=tuple(draw(st.floats(1e-6, 50.0)) for _ in range(3)),
                                   material=draw(_materials)))  # fmt: skip
    lights = [Light(id=f"light_{i + 1}", position=tuple(draw(st.floats(-1000, 1000)) for _ in range(3)),
                    intensity=draw(st.floats(0, 1e6)), color=tuple(draw(st.floats(0, 1)) for _ in range(3)))
              for i in range(draw(st.integers(0, 3)))]  # fmt: skip
    return Scene(Room.rectangle(round(w, 3), round(d, 3)), objects, lights)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenes())
def test_printed_scenes_always_parse(scene):
    text = scene_to_dsl(scene)
    statements = parse_program(text)
    assert len(statements) == len(scene.objects) + len(scene.lights)
    assert [s.args["category"] for s in statements if s.op == "add"] == [o.category for o in scene.objects]
