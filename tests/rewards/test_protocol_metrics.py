"""The published protocols' metrics (CF, IB, positional and rotational coherence, PSA) on hand-built scenes."""

from __future__ import annotations

import math

import pytest

from scene_gym.actions import edit
from scene_gym.layout.relations import RELATIONS
from scene_gym.metrics import evaluate
from scene_gym.rewards import RewardError
from scene_gym.rewards.protocol_metrics import (
    KEYS,
    POSITIONAL,
    ROTATIONAL,
    coherence,
    physical_validity,
    protocol_metrics,
    psa_score,
    relation_class,
    scored_relations,
    wall_object_scores,
)
from scene_gym.scene import Room, Scene
from scene_gym.spec import ARCH_RELATIONS, OBJECT_RELATIONS, RelationSpec, TaskSpec

NEXT_TO = RelationSpec("next_to", "nightstand", "bed")
FACING = RelationSpec("facing", "bed", "bookshelf")


def _bedroom(bookshelf_yaw: float = -math.pi / 2) -> Scene:
    """4 x 4 m: a bed with its back on the north wall, a nightstand beside it (back to the wall too) and a bookshelf
    at the east wall, by default turned with its front to the wall (front +X, the wall's inward normal is -X)."""
    scene = Scene(Room.rectangle(4.0, 4.0), prompt="a bedroom")
    edit.add_object(scene, "bed", position=(1.5, 4.0 - 1.0, 0.0), yaw=math.pi, size=(1.6, 2.0, 1.0))
    edit.add_object(scene, "nightstand", position=(0.35, 4.0 - 0.2, 0.0), yaw=math.pi, size=(0.5, 0.4, 0.55))
    half_x = 0.4 if abs(math.sin(bookshelf_yaw)) < 0.5 else 0.15  # its width or its depth along x
    edit.add_object(
        scene, "bookshelf", position=(4.0 - half_x - 0.01, 3.2, 0.0), yaw=bookshelf_yaw, size=(0.8, 0.3, 1.8)
    )
    return scene


def test_every_relation_is_in_exactly_one_class():
    assert POSITIONAL.isdisjoint(ROTATIONAL)
    assert POSITIONAL | ROTATIONAL == set(RELATIONS) == set(OBJECT_RELATIONS) | set(ARCH_RELATIONS)
    assert relation_class("against_wall") == "positional" and relation_class("facing") == "rotational"
    with pytest.raises(RewardError, match="'hovering'"):
        relation_class("hovering")


def test_the_worked_example_of_the_docstring():
    scene = _bedroom()
    spec = TaskSpec(relations=(NEXT_TO, FACING))
    scores = [s for _, s in scored_relations(scene, spec)]
    assert scores[0] == 1.0 and scores[1] < 0.2  # the bed faces south, the bookshelf is east of it
    assert wall_object_scores(scene) == {"bed_1": (1, 1), "nightstand_1": (1, 1), "bookshelf_1": (1, 0)}
    pos, rot = coherence(scene, spec)
    assert pos == 1.0
    assert rot == pytest.approx((scores[1] + 1 + 1 + 0) / 4)


def test_turning_the_bookshelf_round_raises_rotational_coherence_only():
    spec = TaskSpec(relations=(NEXT_TO,))
    backwards = coherence(_bedroom(-math.pi / 2), spec)
    right = coherence(_bedroom(math.pi / 2), spec)  # front -X: back to the east wall
    sideways = coherence(_bedroom(0.0), spec)  # side to the wall: not its back
    assert (
        backwards == (1.0, pytest.approx(2 / 3))
        and right == (1.0, 1.0)
        and sideways[1] == pytest.approx(2 / 3)
    )


def test_a_wall_cabinet_hung_backwards_and_a_shelf_away_from_the_walls():
    scene = Scene(Room.rectangle(4.0, 4.0))
    edit.add_object(scene, "bookshelf", position=(2.0, 2.0, 0.0), size=(0.8, 0.3, 1.8))  # mid-room
    edit.add_object(scene, "painting", position=(2.0, 4.0 - 0.02, 1.2), yaw=math.pi, parent="wall")
    scores = wall_object_scores(scene)
    assert scores["bookshelf_1"] == (0, None) and scores["painting_1"] == (1, 1)
    assert coherence(scene, TaskSpec()) == (0.5, 1.0)
    hung = Scene(Room.rectangle(4.0, 4.0))
    edit.add_object(
        hung, "painting", position=(2.0, 4.0 - 0.02, 1.2), yaw=0.0, parent="wall"
    )  # facing the wall
    assert wall_object_scores(hung) == {"painting_1": (1, 0)}
    assert coherence(hung, TaskSpec()) == (1.0, 0.0)


def test_nothing_to_score_is_none_not_one():
    scene = Scene(Room.rectangle(4.0, 4.0))
    assert coherence(scene, TaskSpec()) == (None, None)
    edit.add_object(scene, "armchair", position=(2.0, 2.0, 0.0))  # not a wall object
    assert coherence(scene, TaskSpec()) == (None, None)
    # a relation whose subject is missing scores 0, like rel_rate
    assert coherence(scene, TaskSpec(relations=(FACING,))) == (None, 0.0)


def test_psa_weights_the_judge_grade_by_the_physically_valid_share():
    scene = Scene(Room.rectangle(6.0, 5.0))
    for x in (1.5, 2.9):  # two tables overlapping by 20 cm
        edit.add_object(scene, "dining_table", position=(x, 2.0, 0.0), size=(1.6, 0.9, 0.75))
    edit.add_object(scene, "armchair", position=(5.0, 4.0, 0.0))
    edit.add_object(scene, "armchair", position=(5.0, 1.0, 0.3))  # floating 30 cm above the floor
    m = evaluate(scene).to_dict()
    assert m["n_obj"] == 4 and m["unsupported"] == ["armchair_2"]
    assert physical_validity(m) == pytest.approx(1 / 4)  # only armchair_1 is valid
    assert psa_score(8.0, m) == pytest.approx(2.0)
    out = protocol_metrics(scene, TaskSpec(), m, q_vis=8.0)
    assert list(out) == list(KEYS)
    assert out["collision_free_pct"] == 50.0 and out["in_boundary_pct"] == 100.0 and out["psa"] == 2.0
    assert protocol_metrics(scene, TaskSpec(), m)["psa"] is None
    empty = evaluate(Scene(Room.rectangle(4.0, 4.0))).to_dict()
    assert physical_validity(empty) == 0.0 and psa_score(10.0, empty) == 0.0  # nothing for nothing
    with pytest.raises(RewardError, match="q_vis.*nan"):
        psa_score(float("nan"), m)
    with pytest.raises(RewardError, match=r"metrics: .*\['unsupported'\]"):
        physical_validity({k: v for k, v in m.items() if k != "unsupported"})
    with pytest.raises(RewardError, match=r"metrics: .*\['in_boundary_pct'\]"):
        protocol_metrics(scene, TaskSpec(), {k: v for k, v in m.items() if k != "in_boundary_pct"})
