"""Every relation on hand-built scenes: 1.0 when satisfied, below 0.5 when violated; smooth decay; JSON round
trip; errors naming the id.

Room: 5 m x 6 m. Walls 0 south (y = 0), 1 east (x = 5), 2 north (y = 6), 3 west (x = 0). Yaw 0 faces north,
pi faces south, pi/2 faces west, -pi/2 faces east.
"""

from __future__ import annotations

import json
import math

import pytest

from scene_gym.errors import LayoutError, SceneGymError
from scene_gym.layout import (
    RELATIONS,
    AcrossFrom,
    AgainstWall,
    AlignedWith,
    Around,
    BackToBack,
    Behind,
    Facing,
    Far,
    InCorner,
    InFrontOf,
    LeftOf,
    Middle,
    Near,
    NextTo,
    OnCeiling,
    OnTopOf,
    OnWall,
    Relation,
    RightOf,
    SideBySide,
    Under,
    explain,
    satisfaction,
)
from scene_gym.scene import Room, Scene, SceneObject

PI = math.pi
N, S, W, E = 0.0, PI, PI / 2, -PI / 2  # yaw facing north, south, west, east


def scene(*objects) -> Scene:
    """A 5 x 6 m room holding ``(id, x, y, yaw, (w, d, h))`` or ``(id, x, y, yaw, size, z, parent)`` tuples."""
    records = []
    for spec in objects:
        oid, x, y, yaw, size, *rest = spec
        z, parent = rest if rest else (0.0, "floor")
        records.append(SceneObject(id=oid, category=oid.rsplit("_", 1)[0], position=(x, y, z), yaw=yaw, size=size,
                                   parent=parent))  # fmt: skip
    return Scene(Room.rectangle(5.0, 6.0, wall_height=2.8), records)


DESK = (1.2, 0.6, 0.75)
DRESSER = (1.0, 0.5, 0.85)
WARDROBE = (1.2, 0.6, 2.0)
TABLE = (1.6, 0.9, 0.75)
CHAIR = (0.45, 0.52, 0.9)
SHELF = (0.9, 0.32, 1.8)


def chairs_around(cx, cy, facing_in=True):
    """Four chairs on the four sides of a TABLE at (cx, cy), 10 cm from it, facing it (or away from it)."""
    turn = 0.0 if facing_in else PI
    return [("dining_chair_1", cx, cy - 0.45 - 0.1 - 0.26, N + turn, CHAIR),
            ("dining_chair_2", cx, cy + 0.45 + 0.1 + 0.26, S + turn, CHAIR),
            ("dining_chair_3", cx - 0.8 - 0.1 - 0.26, cy, E + turn, CHAIR),
            ("dining_chair_4", cx + 0.8 + 0.1 + 0.26, cy, W + turn, CHAIR)]  # fmt: skip


CHAIRS = tuple(f"dining_chair_{i}" for i in range(1, 5))

# (relation, objects of a scene where it holds, objects of a scene where it is violated)
CASES = [
    (AgainstWall("wardrobe_1", wall="north"), [("wardrobe_1", 2.5, 5.7, S, WARDROBE)],
     [("wardrobe_1", 2.5, 3.0, S, WARDROBE)]),
    (AgainstWall("wardrobe_1", wall=2), [("wardrobe_1", 2.5, 5.7, S, WARDROBE)],
     [("wardrobe_1", 2.5, 5.7, N, WARDROBE)]),  # touching the wall with its front
    (AgainstWall("wardrobe_1"), [("wardrobe_1", 0.3, 3.0, E, WARDROBE)], [("wardrobe_1", 2.0, 3.0, E, WARDROBE)]),
    (AgainstWall("wardrobe_1", wall="south"), [("wardrobe_1", 2.5, 0.3, N, WARDROBE)],
     [("wardrobe_1", 2.5, 5.7, S, WARDROBE)]),  # against a wall, but the wrong one
    (InCorner("wardrobe_1"), [("wardrobe_1", 0.6, 5.7, S, WARDROBE)], [("wardrobe_1", 2.5, 5.7, S, WARDROBE)]),
    (Middle("dining_table_1"), [("dining_table_1", 2.5, 3.0, N, TABLE)], [("dining_table_1", 0.9, 0.5, N, TABLE)]),
    (Near("dresser_1", "desk_1"), [("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 3.1, 3.0, N, DRESSER)],
     [("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 4.5, 3.0, N, DRESSER)]),
    (NextTo("dresser_1", "desk_1"), [("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 2.3, 3.0, N, DRESSER)],
     [("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 4.3, 3.0, N, DRESSER)]),
    (Far("dresser_1", "desk_1"), [("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 4.3, 3.0, N, DRESSER)],
     [("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 2.3, 3.0, N, DRESSER)]),
    (InFrontOf("dresser_1", "desk_1"), [("desk_1", 2.5, 1.0, N, DESK), ("dresser_1", 2.5, 2.0, S, DRESSER)],
     [("desk_1", 2.5, 2.0, N, DESK), ("dresser_1", 2.5, 1.0, S, DRESSER)]),
    (Behind("dresser_1", "desk_1"), [("desk_1", 2.5, 2.0, N, DESK), ("dresser_1", 2.5, 1.0, N, DRESSER)],
     [("desk_1", 2.5, 1.0, N, DESK), ("dresser_1", 2.5, 2.0, N, DRESSER)]),
    # The desk faces north: its own left is west (-X).
    (LeftOf("dresser_1", "desk_1"), [("desk_1", 2.5, 3.0, N, DESK), ("dresser_1", 1.2, 3.0, N, DRESSER)],
     [("desk_1", 2.5, 3.0, N, DESK), ("dresser_1", 3.8, 3.0, N, DRESSER)]),
    # The desk faces south: its own left is east (+X), the viewer's right when looking at its front.
    (LeftOf("dresser_1", "desk_1"), [("desk_1", 2.5, 3.0, S, DESK), ("dresser_1", 3.8, 3.0, S, DRESSER)],
     [("desk_1", 2.5, 3.0, S, DESK), ("dresser_1", 1.2, 3.0, S, DRESSER)]),
    (RightOf("dresser_1", "desk_1"), [("desk_1", 2.5, 3.0, N, DESK), ("dresser_1", 3.8, 3.0, N, DRESSER)],
     [("desk_1", 2.5, 3.0, N, DESK), ("dresser_1", 1.2, 3.0, N, DRESSER)]),
    (Facing("dresser_1", "desk_1"), [("dresser_1", 2.5, 1.0, N, DRESSER), ("desk_1", 2.5, 4.0, S, DESK)],
     [("dresser_1", 2.5, 1.0, S, DRESSER), ("desk_1", 2.5, 4.0, S, DESK)]),
    (Facing("dresser_1", "desk_1"), [("dresser_1", 1.0, 1.0, -PI / 4, DRESSER), ("desk_1", 3.0, 3.0, S, DESK)],
     [("dresser_1", 1.0, 1.0, W, DRESSER), ("desk_1", 3.0, 3.0, S, DESK)]),  # 45 degrees vs 135 degrees off
    (Around("dining_table_1", CHAIRS), [("dining_table_1", 2.5, 3.0, N, TABLE), *chairs_around(2.5, 3.0)],
     [("dining_table_1", 2.5, 3.0, N, TABLE), *chairs_around(2.5, 3.0, facing_in=False)]),
    (Around("dining_table_1", CHAIRS), [("dining_table_1", 2.5, 3.0, N, TABLE), *chairs_around(2.5, 3.0)],
     [("dining_table_1", 2.5, 3.0, N, TABLE)] + [(c, 1.0 + 0.6 * i, 2.2, N, CHAIR) for i, c in enumerate(CHAIRS)]),
    (SideBySide("dresser_2", "dresser_1"), [("dresser_1", 1.5, 5.75, S, DRESSER), ("dresser_2", 2.6, 5.75, S, DRESSER)],
     [("dresser_1", 1.5, 5.75, S, DRESSER), ("dresser_2", 1.5, 4.5, N, DRESSER)]),
    (BackToBack("desk_2", "desk_1"), [("desk_1", 2.5, 3.0, N, DESK), ("desk_2", 2.5, 2.3, S, DESK)],
     [("desk_1", 2.5, 3.0, N, DESK), ("desk_2", 2.5, 2.3, N, DESK)]),
    (AlignedWith("bookshelf_2", "bookshelf_1", axis="row"),
     [("bookshelf_1", 1.0, 5.84, S, SHELF), ("bookshelf_2", 3.0, 5.84, S, SHELF)],
     [("bookshelf_1", 1.0, 5.84, S, SHELF), ("bookshelf_2", 3.0, 4.0, N, SHELF)]),
    (AlignedWith("bookshelf_2", "bookshelf_1", axis="column"),
     [("bookshelf_1", 1.0, 5.84, S, SHELF), ("bookshelf_2", 1.0, 4.0, S, SHELF)],
     [("bookshelf_1", 1.0, 5.84, S, SHELF), ("bookshelf_2", 3.0, 5.84, S, SHELF)]),
    (AcrossFrom("dresser_1", "desk_1"), [("desk_1", 2.5, 1.0, N, DESK), ("dresser_1", 2.5, 4.0, S, DRESSER)],
     [("desk_1", 2.5, 1.0, N, DESK), ("dresser_1", 2.5, 4.0, N, DRESSER)]),
    (AcrossFrom("dresser_1", "desk_1"), [("desk_1", 2.5, 1.0, N, DESK), ("dresser_1", 2.5, 4.0, S, DRESSER)],
     [("desk_1", 2.5, 1.0, N, DESK), ("dresser_1", 2.5, 1.7, S, DRESSER)]),  # too close
    (OnTopOf("bowl_1", "dining_table_1"),
     [("dining_table_1", 2.5, 3.0, N, TABLE), ("bowl_1", 2.7, 3.1, 0.0, (0.16, 0.16, 0.07), 0.75, "dining_table_1")],
     [("dining_table_1", 2.5, 3.0, N, TABLE), ("bowl_1", 0.5, 0.5, 0.0, (0.16, 0.16, 0.07), 0.0, "floor")]),
    (Under("dresser_1", "dining_table_1"), [("dining_table_1", 2.5, 3.0, N, TABLE), ("dresser_1", 2.5, 3.0, N, (0.6, 0.4, 0.6))],
     [("dining_table_1", 2.5, 3.0, N, TABLE), ("dresser_1", 0.5, 0.5, N, (0.6, 0.4, 0.6))]),
    (OnWall("painting_1", height=1.5), [("painting_1", 2.5, 5.985, S, (0.8, 0.03, 0.6), 1.2, "wall")],
     [("painting_1", 2.5, 3.0, S, (0.8, 0.03, 0.6), 1.2, "wall")]),
    (OnWall("painting_1", wall="north", height=1.5), [("painting_1", 2.5, 5.985, S, (0.8, 0.03, 0.6), 1.2, "wall")],
     [("painting_1", 2.5, 5.985, S, (0.8, 0.03, 0.6), 0.2, "wall")]),  # right wall, far too low
    (OnCeiling("ceiling_light_1"), [("ceiling_light_1", 2.5, 3.0, 0.0, (0.4, 0.4, 0.2), 2.6, "ceiling")],
     [("ceiling_light_1", 2.5, 3.0, 0.0, (0.4, 0.4, 0.2), 0.0, "floor")]),
]


def _case_id(case):
    return case[0].name


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_satisfied_scores_one_and_violated_below_half(case):
    rel, good, bad = case
    assert satisfaction(rel, scene(*good)) == pytest.approx(1.0, abs=1e-9), explain(rel, scene(*good))
    assert satisfaction(rel, scene(*bad)) < 0.5, explain(rel, scene(*bad))


def test_every_relation_in_the_vocabulary_has_cases():
    assert {c[0].name for c in CASES} == set(RELATIONS)
    assert len(RELATIONS) == 20


def test_scores_decay_smoothly_with_the_violation():
    rel = NextTo("dresser_1", "desk_1")
    # desk right edge at x = 1.6; dresser half width 0.5: gap = x - 2.1
    scores = [satisfaction(rel, scene(("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 2.1 + g, 3.0, N, DRESSER)))
              for g in (0.5, 0.6, 0.75, 0.9, 1.2)]  # fmt: skip
    assert scores[0] == pytest.approx(1.0)
    assert all(a > b for a, b in zip(scores, scores[1:], strict=False))
    assert 0.5 < scores[1] < 1.0 and scores[-1] < 0.05


def test_facing_decays_with_the_angle():
    rel = Facing("dresser_1", "desk_1")
    scores = [satisfaction(rel, scene(("dresser_1", 2.5, 1.0, math.radians(a), DRESSER),
                                      ("desk_1", 2.5, 4.0, S, DESK))) for a in (0, 40, 60, 90, 180)]  # fmt: skip
    assert scores[0] == pytest.approx(1.0)
    assert all(a >= b for a, b in zip(scores, scores[1:], strict=False)) and scores[-1] < 1e-6


def test_scores_are_in_the_unit_interval_for_every_case():
    for rel, good, bad in CASES:
        for objs in (good, bad):
            s = satisfaction(rel, scene(*objs))
            assert 0.0 <= s <= 1.0


def test_wrong_parent_caps_support_relations():
    sc = scene(("dining_table_1", 2.5, 3.0, N, TABLE), ("bowl_1", 2.7, 3.1, 0.0, (0.16, 0.16, 0.07), 0.75, "floor"))
    assert satisfaction(OnTopOf("bowl_1", "dining_table_1"), sc) == pytest.approx(0.25)


def test_on_top_of_uses_the_assets_support_surfaces():
    # A bookshelf's boards are support surfaces below its top: a bowl on shelf_0 is on it, one floating at
    # 1 m inside it is not.
    from scene_gym.assets import build_asset

    shelf = build_asset("bookshelf", SHELF)
    board = next(s for s in shelf.surfaces if s.name == "shelf_0")
    on = scene(("bookshelf_1", 2.5, 5.84, N, SHELF), ("bowl_1", 2.5, 5.84, 0.0, (0.16, 0.16, 0.07), board.center[2],
                                                      "bookshelf_1"))  # fmt: skip
    off = scene(("bookshelf_1", 2.5, 5.84, N, SHELF), ("bowl_1", 2.5, 5.84, 0.0, (0.16, 0.16, 0.07), board.center[2] + 0.2,
                                                       "bookshelf_1"))  # fmt: skip
    assert satisfaction(OnTopOf("bowl_1", "bookshelf_1"), on) == pytest.approx(1.0)
    assert satisfaction(OnTopOf("bowl_1", "bookshelf_1"), off) < 0.5


def test_l_shaped_room_corners_include_only_convex_ones():
    room = Room.l_shape(5.0, 6.0, 2.0, 2.0)
    # Against the reflex (inner) corner (3, 4) is not "in a corner"; the convex corner (3, 6) is.
    wardrobe = SceneObject(id="wardrobe_1", category="wardrobe", position=(2.4, 5.7, 0), yaw=S, size=WARDROBE)
    assert satisfaction(InCorner("wardrobe_1"), Scene(room, [wardrobe])) == pytest.approx(1.0)
    inner = wardrobe.evolve(position=(3.6, 3.7, 0))
    assert satisfaction(InCorner("wardrobe_1"), Scene(room, [inner])) < 0.5


def test_compass_walls_follow_the_room():
    sc = scene(("wardrobe_1", 4.7, 3.0, W, WARDROBE))
    assert satisfaction(AgainstWall("wardrobe_1", wall="east"), sc) == pytest.approx(1.0)
    assert satisfaction(AgainstWall("wardrobe_1", wall="right"), sc) == pytest.approx(1.0)
    assert satisfaction(AgainstWall("wardrobe_1", wall="west"), sc) < 0.5


def test_wall_index_beyond_the_room_names_the_count():
    with pytest.raises(LayoutError, match="4 walls"):
        satisfaction(AgainstWall("wardrobe_1", wall=7), scene(("wardrobe_1", 2.5, 5.7, S, WARDROBE)))


def test_missing_object_raises_an_error_naming_the_id():
    sc = scene(("desk_1", 1.0, 3.0, N, DESK))
    with pytest.raises(LayoutError, match="'sofa_9'") as err:
        satisfaction(Near("sofa_9", "desk_1"), sc)
    assert isinstance(err.value, SceneGymError)
    with pytest.raises(LayoutError, match="'chair_7'"):
        satisfaction(Around("desk_1", ("chair_7",)), sc)


def test_explain_names_the_violation():
    sc = scene(("desk_1", 1.0, 3.0, N, DESK), ("dresser_1", 4.3, 3.0, N, DRESSER))
    text = explain(NextTo("dresser_1", "desk_1"), sc)
    assert "gap beyond max_gap by 1.70 m" in text
    assert "(satisfied)" in explain(Far("dresser_1", "desk_1"), sc)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_to_dict_from_dict_round_trip(case):
    rel = case[0]
    data = json.loads(json.dumps(rel.to_dict()))
    assert data["relation"] == rel.name
    back = Relation.from_dict(data)
    assert back == rel and type(back) is type(rel)
    assert type(rel).from_dict(data) == rel
    assert hash(back) == hash(rel)


def test_relations_are_immutable():
    rel = Near("dresser_1", "desk_1")
    with pytest.raises(AttributeError):
        rel.max_distance = 3.0  # type: ignore[misc]
