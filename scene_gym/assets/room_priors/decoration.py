"""Decoration and small-object priors, on top of the furniture priors (the heuristic planner's).

:data:`~scene_gym.assets.room_priors.furniture.PRIORS` (imported, not copied) says which furniture each of the
19 room types needs and how it relates; this module adds what makes a room look lived in:

- :data:`EXTRAS`: decoration and secondary furniture per room type (wall art, ceiling lights, rugs, plants, a
  second table's chairs...), as :class:`~scene_gym.assets.room_priors.furniture.PriorItem` lines in the same
  template format (``target`` names a category; ``"target_instance": k`` picks its k-th instance, 0-based).
- :data:`CROWDS`: which small objects go on which receptacle and how many (per instance).
- :func:`room_items` / :func:`crowd_for`: the lookups the planner uses.

Every category named here is a catalog category (``scene_gym.assets.factories()``); the tests check it.
"""

from __future__ import annotations

from scene_gym.assets.room_priors.furniture import DEFAULT_SIZE, PRIORS, PriorItem

__all__ = ["CROWDS", "DEFAULT_SIZE", "EXTRAS", "PRIORS", "ROOM_CROWDS", "crowd_for", "room_items", "room_types"]


def _i(category: str, count: int = 1, *relations: dict) -> PriorItem:
    return PriorItem(category, count, tuple(relations), essential=False)


def _r(relation: str, target: str | None = None, **fields) -> dict:
    out: dict = {"relation": relation}
    if target is not None:
        out["target"] = target
    return {**out, **fields}


WALL = _r("against_wall")
ON_WALL = _r("on_wall")
CORNER = _r("in_corner")
CEILING = _r("on_ceiling")
LIGHT = _i("ceiling_light", 1, CEILING)
LIGHTS = _i("ceiling_light", 2, CEILING)
ART = _i("painting", 1, ON_WALL)
ARTS = _i("painting", 2, ON_WALL)
CLOCK = _i("wall_clock", 1, ON_WALL)
PLANT = _i("floor_plant", 1, CORNER)
CLOCK_GYM = _i("speaker", 1, _r("on_top_of", "storage_shelf"))

EXTRAS: dict[str, tuple[PriorItem, ...]] = {
    "bedroom": (LIGHT, ART, _i("rug", 1, _r("in_front_of", "bed", max_distance=0.3)), _i("mirror", 1, ON_WALL),
                _i("floor_lamp", 1, CORNER)),
    "living room": (LIGHT, ARTS, CLOCK, _i("rug", 1, _r("under", "coffee_table")), _i("floor_lamp", 1, _r("next_to", "sofa")),
                    PLANT, _i("tv", 1, _r("on_top_of", "tv_stand"))),
    "dining room": (LIGHT, ARTS, CLOCK, _i("rug", 1, _r("under", "dining_table")), _i("display_shelf", 1, WALL)),
    "kitchen": (LIGHT, CLOCK, _i("bar_stool", 2, _r("near", "kitchen_counter")),
                _i("microwave", 1, _r("on_top_of", "kitchen_counter")), _i("storage_shelf", 1, WALL)),
    "bathroom": (LIGHT, _i("mirror", 1, ON_WALL), _i("medicine_cabinet", 1, ON_WALL), _i("stool", 1, CORNER),
                 _i("painting", 1, ON_WALL), _i("washing_machine", 1, WALL)),
    "gym": (LIGHTS, _i("mirror", 2, ON_WALL), _i("storage_shelf", 2, WALL), _i("bench", 1, WALL),
            _i("treadmill", 1, WALL), _i("exercise_bike", 1, WALL), _i("yoga_mat", 1), PLANT, CLOCK_GYM,
            _i("towel_rack", 1, WALL)),
    "restaurant": (LIGHTS, ARTS, CLOCK, _i("dining_chair", 4, _r("around", "dining_table", target_instance=1)),
                   _i("floor_plant", 1, CORNER), _i("display_shelf", 1, WALL)),
    "children room": (LIGHT, ART, CLOCK, _i("rug", 1, _r("under", "kids_table")), _i("desk", 1, WALL)),
    "nursery": (LIGHT, ART, _i("rug", 1, _r("in_front_of", "crib", max_distance=0.3)), _i("bookshelf", 1, WALL)),
    "meeting room": (LIGHTS, ART, CLOCK, _i("floor_plant", 2, CORNER), _i("side_table", 1, WALL)),
    "office": (LIGHT, ART, CLOCK, _i("floor_lamp", 1, _r("next_to", "armchair")), _i("rug", 1, _r("under", "desk"))),
    "waiting room": (LIGHT, ARTS, CLOCK, _i("waiting_chair", 1, WALL), _i("display_shelf", 1, WALL)),
    "classroom": (LIGHTS, CLOCK, ART, _i("storage_shelf", 1, WALL)),
    "bookstore": (LIGHTS, _i("bookshelf", 2, WALL), PLANT, _i("bench", 1)),
    "laundry room": (LIGHT, _i("towel_rack", 1, WALL)),
    "garage": (LIGHTS, _i("storage_shelf", 1, WALL), _i("shoe_rack", 1, WALL)),
    "game room": (LIGHTS, ART, _i("tv_stand", 1, WALL), _i("tv", 1, _r("on_top_of", "tv_stand")),
                  _i("side_table", 1, _r("next_to", "sofa"))),
    "medical examination room": (LIGHT, ART, CLOCK, _i("office_chair", 1, _r("in_front_of", "teacher_desk", max_distance=0.6)),
                                 _i("stool", 1)),
    "studio apartment": (LIGHTS, ART, _i("rug", 1, _r("under", "coffee_table")), _i("floor_lamp", 1, CORNER),
                         _i("tv_stand", 1, WALL)),
}  # fmt: skip
"""Room type -> optional items placed after the prior's furniture (all non-essential)."""

CROWDS: dict[str, tuple[tuple[str, ...], int]] = {
    "nightstand": (("table_lamp", "alarm_clock", "book", "picture_frame"), 2),
    "desk": (("laptop", "monitor", "desk_lamp", "notebook", "mug", "book_stack"), 5),
    "dresser": (("vase", "picture_frame", "candle", "basket"), 3),
    "coffee_table": (("book", "vase", "cup", "board_game", "fruit_bowl", "candle"), 3),
    "side_table": (("table_lamp", "book", "vase", "cup"), 2),
    "dining_table": (("plate", "cup", "bowl", "drinking_glass", "wine_bottle", "fruit_bowl", "candle"), 6),
    "kitchen_counter": (("cutting_board", "kettle", "bowl", "fruit_bowl", "cooking_pot", "mug", "bottle"), 5),
    "bookshelf": (("book", "book_stack", "vase", "picture_frame"), 10),
    "display_shelf": (("vase", "book_stack", "picture_frame", "potted_plant", "candle"), 6),
    "storage_shelf": (("basket", "book_stack", "bottle", "towel"), 8),
    "tv_stand": (("speaker", "picture_frame", "vase"), 2),
    "meeting_table": (("laptop", "notebook", "cup", "bottle"), 8),
    "reception_desk": (("monitor", "keyboard", "notebook", "potted_plant", "tissue_box"), 4),
    "teacher_desk": (("laptop", "notebook", "book", "desk_lamp"), 3),
    "student_desk": (("notebook", "book"), 1),
    "kids_table": (("toy_blocks", "board_game", "book", "teddy_bear"), 3),
    "workbench": (("basket", "bottle"), 3),
    "towel_rack": (("candle", "bottle"), 2),
    "bathroom_sink": (("bottle", "drinking_glass", "candle"), 2),
    "washing_machine": (("basket", "towel"), 1),
    "dryer": (("towel",), 1),
    "changing_table": (("teddy_bear", "tissue_box"), 1),
    "toy_chest": (("toy_blocks", "ball", "teddy_bear"), 3),
    "kitchen_cabinet": (("bowl", "kettle", "fruit_bowl"), 2),
    "filing_cabinet": (("potted_plant", "book_stack"), 1),
    "bed": (("pillow",), 2),
    "sofa": (("pillow",), 2),
    "armchair": (("pillow",), 1),
    "treadmill": (("bottle",), 1),
    "weight_bench": (("towel",), 1),
    "ironing_board": (("basket",), 1),
    "tool_cabinet": (("basket", "bottle"), 1),
}  # fmt: skip
"""Receptacle category -> (small categories to choose from, objects per instance)."""

ROOM_CROWDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("gym", "storage_shelf"): ("dumbbell", "towel", "bottle", "ball"),
    ("bathroom", "washing_machine"): ("towel", "basket"),
    ("gym", "weight_bench"): ("towel",),
    ("kitchen", "storage_shelf"): ("bowl", "plate", "cooking_pot", "basket"),
    ("restaurant", "display_shelf"): ("wine_bottle", "vase", "drinking_glass", "candle"),
    ("garage", "storage_shelf"): ("basket", "bottle", "ball"),
    ("bookstore", "display_shelf"): ("book", "book_stack"),
    ("bookstore", "bookshelf"): ("book", "book_stack"),
    ("laundry room", "storage_shelf"): ("basket", "towel", "bottle"),
    ("children room", "bookshelf"): ("book", "teddy_bear", "toy_blocks", "ball"),
    ("nursery", "bookshelf"): ("book", "teddy_bear", "toy_blocks"),
    ("meeting room", "side_table"): ("bottle", "cup", "potted_plant"),
}
"""(room type, receptacle category) -> small categories that replace :data:`CROWDS`' choice in that room."""


def room_types() -> tuple[str, ...]:
    """Every room type with a prior (the 19 of :data:`scene_gym.scene.ROOM_TYPES`)."""
    return tuple(PRIORS)


def room_items(room_type: str) -> tuple[tuple[PriorItem, ...], tuple[PriorItem, ...]]:
    """(the tools' prior items, this module's extra items) for ``room_type``; unknown types give ``((), ())``."""
    return PRIORS.get(room_type, ()), EXTRAS.get(room_type, ())


def crowd_for(room_type: str | None, receptacle: str) -> tuple[tuple[str, ...], int]:
    """(small categories, count per instance) to put on a ``receptacle`` category in a ``room_type`` room;
    categories that do not belong in the room (``AssetFactory.rooms``) are dropped unless none would be left.
    ``((), 0)`` for a category that is not a receptacle here."""
    from scene_gym.assets import factories

    if receptacle not in CROWDS:
        return (), 0
    cats, count = CROWDS[receptacle]
    cats = ROOM_CROWDS.get((room_type or "", receptacle), cats)
    fs = factories()
    fitting = tuple(c for c in cats if c in fs and (room_type is None or room_type in fs[c].rooms))
    return (fitting or tuple(c for c in cats if c in fs)), count
