"""The furniture each room type needs, how many, and how it relates (SceneWeaver's and Holodeck's "what a
bedroom needs" step, as data): the priors of the tools' ``init_layout`` and of the heuristic planner.

Each room type of :data:`scene_gym.scene.ROOM_TYPES` maps to a list of :class:`PriorItem`. A relation template
is a relation dict in the layout format (:meth:`scene_gym.layout.Relation.from_dict`) whose ``subject`` is
left out (it becomes each instance of the item) and whose ``target`` names a **category** of an item listed
earlier (it becomes that item's first instance). An ``around`` template takes all instances of the item as its
``subjects``. A template with ``"instance": k`` applies to the k-th instance only (0-based).

Items marked ``essential=False`` are optional: ``init_layout`` adds them when asked (the default) and does not
count it as a failure when they do not fit.

:data:`DEFAULT_SIZE` holds a typical floor size (width, depth) in metres per room type, used by ``init_room``
when no size is given and by the heuristic planner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PriorItem:
    """One line of a room prior: ``count`` objects of ``category`` with relation templates (module docstring)."""

    category: str
    count: int = 1
    relations: tuple[dict[str, Any], ...] = ()
    essential: bool = True


def _i(category: str, count: int = 1, *relations: dict, essential: bool = True) -> PriorItem:
    return PriorItem(category, count, tuple(relations), essential)


def _r(relation: str, target: str | None = None, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"relation": relation}
    if target is not None:
        out["target"] = target
    return {**out, **fields}


WALL = _r("against_wall")

PRIORS: dict[str, tuple[PriorItem, ...]] = {
    "bedroom": (
        _i("bed", 1, WALL),
        _i("nightstand", 2, _r("next_to", "bed"), _r("left_of", "bed", instance=0), _r("right_of", "bed", instance=1)),
        _i("wardrobe", 1, WALL),
        _i("dresser", 1, WALL, essential=False),
        _i("desk", 1, WALL, essential=False),
        _i("office_chair", 1, _r("in_front_of", "desk", max_distance=0.6), _r("facing", "desk"), essential=False),
    ),
    "living room": (
        _i("sofa", 1, WALL),
        _i("coffee_table", 1, _r("in_front_of", "sofa", max_distance=1.0)),
        _i("tv_stand", 1, WALL, _r("facing", "sofa")),
        _i("armchair", 1, _r("near", "coffee_table"), _r("facing", "coffee_table"), essential=False),
        _i("side_table", 1, _r("next_to", "sofa"), essential=False),
        _i("bookshelf", 1, WALL, essential=False),
    ),
    "dining room": (
        _i("dining_table", 1, _r("middle", tolerance=1.0)),
        _i("dining_chair", 4, _r("around", "dining_table")),
        _i("kitchen_cabinet", 1, WALL, essential=False),
        _i("floor_plant", 1, _r("in_corner"), essential=False),
    ),
    "kitchen": (
        _i("kitchen_counter", 1, WALL),
        _i("stove", 1, WALL, _r("next_to", "kitchen_counter")),
        _i("fridge", 1, WALL),
        _i("sink_cabinet", 1, WALL, _r("next_to", "kitchen_counter")),
        _i("kitchen_cabinet", 1, WALL, essential=False),
        _i("dishwasher", 1, WALL, essential=False),
    ),
    "bathroom": (
        _i("toilet", 1, WALL),
        _i("bathroom_sink", 1, WALL),
        _i("shower", 1, _r("in_corner")),
        _i("towel_rack", 1, WALL, essential=False),
        _i("bath_mat", 1, _r("in_front_of", "bathroom_sink", max_distance=0.5), essential=False),
    ),
    "gym": (
        _i("treadmill", 1, WALL),
        _i("exercise_bike", 1, WALL),
        _i("weight_bench", 1),
        _i("dumbbell_rack", 1, WALL, _r("near", "weight_bench")),
        _i("yoga_mat", 1, essential=False),
        _i("locker", 1, WALL, essential=False),
    ),
    "restaurant": (
        _i("dining_table", 2),
        _i("dining_chair", 4, _r("around", "dining_table")),
        _i("reception_desk", 1, WALL),
        _i("bar_stool", 2, _r("near", "reception_desk"), essential=False),
        _i("floor_plant", 1, _r("in_corner"), essential=False),
    ),
    "children room": (
        _i("bed", 1, WALL),
        _i("nightstand", 1, _r("next_to", "bed")),
        _i("toy_chest", 1, WALL),
        _i("kids_table", 1),
        _i("kids_chair", 2, _r("around", "kids_table")),
        _i("wardrobe", 1, WALL, essential=False),
        _i("bookshelf", 1, WALL, essential=False),
    ),
    "nursery": (
        _i("crib", 1, WALL),
        _i("changing_table", 1, WALL),
        _i("dresser", 1, WALL),
        _i("armchair", 1, _r("near", "crib"), essential=False),
        _i("toy_chest", 1, WALL, essential=False),
    ),
    "meeting room": (
        _i("meeting_table", 1, _r("middle", tolerance=1.0)),
        _i("office_chair", 6, _r("around", "meeting_table")),
        _i("whiteboard", 1, _r("on_wall")),
        _i("filing_cabinet", 1, WALL, essential=False),
    ),
    "office": (
        _i("desk", 1, WALL),
        _i("office_chair", 1, _r("in_front_of", "desk", max_distance=0.6), _r("facing", "desk")),
        _i("filing_cabinet", 1, WALL, _r("near", "desk")),
        _i("bookshelf", 1, WALL),
        _i("floor_plant", 1, _r("in_corner"), essential=False),
        _i("armchair", 1, essential=False),
    ),
    "waiting room": (
        _i("waiting_chair", 2, WALL),
        _i("coffee_table", 1, _r("near", "waiting_chair")),
        _i("reception_desk", 1, WALL),
        _i("floor_plant", 1, _r("in_corner"), essential=False),
        _i("side_table", 1, _r("next_to", "waiting_chair"), essential=False),
    ),
    "classroom": (
        _i("teacher_desk", 1, WALL),
        _i("whiteboard", 1, _r("on_wall")),
        _i("student_desk", 4, _r("facing", "teacher_desk")),
        _i("kids_chair", 4, essential=False),
        _i("bookshelf", 1, WALL, essential=False),
    ),
    "bookstore": (
        _i("bookshelf", 3, WALL),
        _i("reception_desk", 1, WALL),
        _i("display_shelf", 1, WALL, essential=False),
        _i("armchair", 1, essential=False),
        _i("side_table", 1, _r("next_to", "armchair"), essential=False),
    ),
    "laundry room": (
        _i("washing_machine", 1, WALL),
        _i("dryer", 1, WALL, _r("side_by_side", "washing_machine")),
        _i("sink_cabinet", 1, WALL),
        _i("ironing_board", 1, essential=False),
        _i("storage_shelf", 1, WALL, essential=False),
    ),
    "garage": (
        _i("car", 1, _r("middle", tolerance=1.5)),
        _i("workbench", 1, WALL),
        _i("tool_cabinet", 1, WALL, _r("near", "workbench")),
        _i("storage_shelf", 1, WALL, essential=False),
    ),
    "game room": (
        _i("pool_table", 1, _r("middle", tolerance=1.0)),
        _i("arcade_machine", 1, WALL),
        _i("sofa", 1, WALL),
        _i("foosball_table", 1, essential=False),
        _i("bar_stool", 2, essential=False),
    ),
    "medical examination room": (
        _i("examination_table", 1, WALL),
        _i("teacher_desk", 1, WALL),
        _i("waiting_chair", 1, WALL),
        _i("bathroom_sink", 1, WALL),
        _i("medicine_cabinet", 1, _r("on_wall"), essential=False),
        _i("filing_cabinet", 1, WALL, essential=False),
    ),
    "studio apartment": (
        _i("bed", 1, WALL),
        _i("sofa", 1, WALL),
        _i("kitchen_counter", 1, WALL),
        _i("dining_table", 1),
        _i("dining_chair", 2, _r("around", "dining_table")),
        _i("wardrobe", 1, WALL, essential=False),
        _i("nightstand", 1, _r("next_to", "bed"), essential=False),
        _i("coffee_table", 1, _r("in_front_of", "sofa", max_distance=1.0), essential=False),
    ),
}  # fmt: skip

DEFAULT_SIZE: dict[str, tuple[float, float]] = {
    "bedroom": (4.0, 4.5), "living room": (5.0, 5.5), "dining room": (4.0, 4.5), "kitchen": (3.5, 4.0),
    "bathroom": (2.6, 3.0), "gym": (6.0, 7.0), "restaurant": (7.0, 8.0), "children room": (4.0, 4.5),
    "nursery": (3.5, 4.0), "meeting room": (5.0, 6.0), "office": (4.0, 4.5), "waiting room": (5.0, 5.5),
    "classroom": (7.0, 8.0), "bookstore": (6.0, 7.0), "laundry room": (3.0, 3.5), "garage": (5.5, 6.5),
    "game room": (6.0, 6.5), "medical examination room": (4.0, 4.5), "studio apartment": (6.0, 7.0),
}  # fmt: skip
