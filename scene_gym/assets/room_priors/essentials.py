"""What each room type needs: essential and desirable object groups for the 19 room types, the receptacles
expected to hold something, and the furniture that belongs against a wall.

A *group* is a tuple of alternative categories: the group is covered when the scene holds at least one
object of any of them (a bedroom needs a bed *or* a bunk bed). The offline judge
(:mod:`scene_gym.rewards.judge`) weighs a desirable group half as much as an essential one.

These are the judge's tables; they are kept apart from the planner's :mod:`.furniture` and :mod:`.decoration`
(and their values differ), so what a room is graded on is not read from the recipe that builds it.
"""

from __future__ import annotations

Group = tuple[str, ...]

ESSENTIALS: dict[str, tuple[Group, ...]] = {
    "bedroom": (("bed", "bunk_bed"), ("wardrobe", "dresser")),
    "living room": (("sofa", "armchair", "recliner"), ("coffee_table", "side_table")),
    "dining room": (("dining_table",), ("dining_chair", "bench")),
    "kitchen": (("fridge",), ("stove", "oven"), ("sink_cabinet",), ("kitchen_counter", "kitchen_cabinet")),
    "bathroom": (("toilet",), ("bathroom_sink",), ("bathtub", "shower")),
    "gym": (("treadmill", "exercise_bike"), ("dumbbell_rack", "weight_bench")),
    "restaurant": (("dining_table",), ("dining_chair", "bar_stool", "bench")),
    "children room": (("bed", "bunk_bed"), ("toy_chest", "toy_blocks", "teddy_bear", "ball")),
    "nursery": (("crib",), ("changing_table",)),
    "meeting room": (("meeting_table",), ("office_chair", "dining_chair")),
    "office": (("desk", "teacher_desk"), ("office_chair",)),
    "waiting room": (("waiting_chair", "armchair", "sofa", "bench"),),
    "classroom": (("student_desk", "kids_table"), ("kids_chair", "dining_chair", "office_chair"),
                  ("whiteboard",), ("teacher_desk", "desk")),
    "bookstore": (("bookshelf", "display_shelf"),),
    "laundry room": (("washing_machine",), ("dryer",)),
    "garage": (("car", "workbench"),),
    "game room": (("pool_table", "foosball_table", "arcade_machine"),),
    "medical examination room": (("examination_table",), ("desk", "teacher_desk")),
    "studio apartment": (("bed",), ("sofa", "armchair"), ("kitchen_counter", "stove", "fridge"),
                         ("dining_table", "desk")),
}  # fmt: skip
"""Room type -> groups a room of that type must have."""

DESIRABLES: dict[str, tuple[Group, ...]] = {
    "bedroom": (("nightstand",), ("table_lamp", "floor_lamp", "ceiling_light")),
    "living room": (("tv", "tv_stand"), ("rug",), ("floor_lamp", "table_lamp", "ceiling_light")),
    "dining room": (("ceiling_light",), ("kitchen_cabinet", "display_shelf", "side_table")),
    "kitchen": (("microwave",), ("dishwasher",), ("dining_table", "bar_stool")),
    "bathroom": (("mirror", "medicine_cabinet"), ("towel_rack", "towel")),
    "gym": (("yoga_mat",), ("mirror",), ("locker", "bench")),
    "restaurant": (("ceiling_light",), ("kitchen_counter", "reception_desk"), ("floor_plant", "potted_plant")),
    "children room": (("kids_table", "desk", "student_desk"), ("wardrobe", "dresser", "toy_chest")),
    "nursery": (("dresser", "wardrobe"), ("armchair", "ottoman"), ("teddy_bear", "toy_chest", "toy_blocks")),
    "meeting room": (("whiteboard", "tv"), ("ceiling_light",)),
    "office": (("bookshelf", "filing_cabinet", "storage_shelf"), ("monitor", "laptop"),
               ("desk_lamp", "floor_lamp")),
    "waiting room": (("reception_desk",), ("coffee_table", "side_table"), ("floor_plant", "potted_plant")),
    "classroom": (("bookshelf", "storage_shelf", "locker"),),
    "bookstore": (("reception_desk",), ("armchair", "bench", "stool"), ("book", "book_stack")),
    "laundry room": (("ironing_board",), ("basket",), ("storage_shelf", "kitchen_cabinet")),
    "garage": (("storage_shelf", "tool_cabinet"),),
    "game room": (("sofa", "armchair", "bar_stool"), ("tv",)),
    "medical examination room": (("office_chair", "stool", "dining_chair"), ("bathroom_sink",),
                                 ("medicine_cabinet", "filing_cabinet")),
    "studio apartment": (("wardrobe", "dresser"), ("tv", "tv_stand")),
}  # fmt: skip
"""Room type -> groups a room of that type usually has."""

RECEPTACLES: frozenset[str] = frozenset({
    "nightstand", "side_table", "coffee_table", "desk", "dresser", "dining_table", "kitchen_counter", "bookshelf",
    "display_shelf", "tv_stand", "student_desk", "teacher_desk", "meeting_table", "reception_desk", "kids_table",
    "storage_shelf", "workbench",
})  # fmt: skip
"""Furniture that looks unfinished with nothing on it (the judge's support coverage)."""

AGAINST_WALL: frozenset[str] = frozenset({
    "bed", "bunk_bed", "wardrobe", "dresser", "bookshelf", "display_shelf", "storage_shelf", "tv_stand",
    "kitchen_counter", "kitchen_cabinet", "sink_cabinet", "fridge", "stove", "oven", "dishwasher", "toilet",
    "bathtub", "bathroom_sink", "filing_cabinet", "locker", "washing_machine", "dryer", "shoe_rack", "crib",
    "changing_table", "tool_cabinet", "workbench", "arcade_machine", "dumbbell_rack", "nightstand", "shower",
})  # fmt: skip
"""Floor furniture that stands with its back to a wall in a plausible room."""


def groups_for(room_type: str) -> tuple[tuple[Group, ...], tuple[Group, ...]]:
    """(essential groups, desirable groups) of ``room_type``; both empty for an unknown type."""
    return ESSENTIALS.get(room_type, ()), DESIRABLES.get(room_type, ())
