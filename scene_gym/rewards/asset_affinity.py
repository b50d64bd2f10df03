"""The asset reward's own data: what belongs on which receptacle, what stacks on what, which part of a surface
must stay free, and which prompt words ask for what (:mod:`scene_gym.rewards.asset_fit` scores with them).

Written for the reward and for nothing else: the heuristic pointer must not read these tables (that would make
"the heuristic beats random under the asset reward" circular). Every category named here is a catalog category
(``scene_gym.assets.factories()``, small categories for items); ``tests/rewards/test_asset_reward.py`` checks it.

- :data:`AFFINITY`: receptacle category -> item category -> fit in [0, 1]. 1: what the receptacle is for (a
  desk's laptop); 0.7-0.9: common and sensible (a mug on a desk); 0.4-0.6: plausible; 0.1-0.2: out of place (a
  dumbbell or a kettle on a desk). Rows cover the eight curated receptacles of ``SceneSynthAsset-v2`` and
  the other kinds of furniture the env accepts (seats, beds, appliances, cabinets), more through
  :data:`ALIASES`. Pairs not listed score the row's :data:`ROW_DEFAULT` or :data:`DEFAULT_AFFINITY`;
  receptacles not listed use :data:`GENERIC` (decor fits most places, kitchen and gym things do not).
- :data:`PROMPT_CUES`: a word of the prompt -> item categories it asks for (scored :data:`CUE_FIT`).
- :data:`STACKS`: bottom item -> items that may rest on it (besides a like item on a :data:`SELF_STACKING` one).
- :data:`FREE_ZONES`: receptacle -> the part of its main surface that must stay free (normalised surface
  coordinates) and the items that belong in it (a plate in a place setting, a laptop in a desk's work area).
- :data:`TARGET_COUNT`: how many items make a receptacle look dressed.
- :data:`FAMILIES`: item category -> family, for the grouping rule (like goes with like).
"""

from __future__ import annotations

DEFAULT_AFFINITY = 0.3
"""Fit of an item to a listed receptacle when the pair is not in its row (unlisted: neither good nor bad)."""
CUE_FIT = 0.9
"""Fit of an item the prompt's words ask for (:data:`PROMPT_CUES`)."""
SPEC_FIT = 1.0
"""Fit of an item the task spec requests by name ("a desk with a laptop")."""

_LOW_KITCHEN = {"kettle": 0.15, "cooking_pot": 0.1, "cutting_board": 0.1}
_LOW_GYM = {"dumbbell": 0.05, "ball": 0.15, "pillow": 0.1, "towel": 0.15}

AFFINITY: dict[str, dict[str, float]] = {
    "desk": {"laptop": 1.0, "monitor": 1.0, "keyboard": 0.95, "desk_lamp": 1.0, "table_lamp": 0.8, "book": 0.9,
             "book_stack": 0.9, "notebook": 1.0, "mug": 0.8, "cup": 0.6, "potted_plant": 0.7, "picture_frame": 0.7,
             "alarm_clock": 0.5, "speaker": 0.6, "tissue_box": 0.5, "bottle": 0.4, "drinking_glass": 0.4,
             "candle": 0.3, "vase": 0.5, "toy_blocks": 0.2, "teddy_bear": 0.15, "board_game": 0.2, "plate": 0.15,
             "bowl": 0.2, "fruit_bowl": 0.3, "wine_bottle": 0.1, "basket": 0.3, **_LOW_KITCHEN, **_LOW_GYM},
    "side_table": {"table_lamp": 1.0, "book": 1.0, "book_stack": 0.8, "cup": 0.8, "mug": 0.9, "vase": 0.8,
                   "candle": 0.7, "picture_frame": 0.8, "potted_plant": 0.8, "alarm_clock": 0.5, "drinking_glass": 0.7,
                   "notebook": 0.6, "tissue_box": 0.6, "speaker": 0.5, "desk_lamp": 0.6, "laptop": 0.4, "plate": 0.3,
                   "bowl": 0.3, "fruit_bowl": 0.4, "monitor": 0.1, "keyboard": 0.1, "wine_bottle": 0.4,
                   **_LOW_KITCHEN, **_LOW_GYM},
    "dining_table": {"plate": 1.0, "bowl": 1.0, "cup": 0.9, "mug": 0.8, "drinking_glass": 1.0, "wine_bottle": 0.9,
                     "fruit_bowl": 1.0, "candle": 0.9, "vase": 0.9, "bottle": 0.7, "kettle": 0.5, "cutting_board": 0.4,
                     "cooking_pot": 0.5, "potted_plant": 0.6, "tissue_box": 0.4, "basket": 0.5, "book": 0.3,
                     "laptop": 0.25, "monitor": 0.05, "keyboard": 0.05, "desk_lamp": 0.1, "table_lamp": 0.2,
                     "alarm_clock": 0.05, "toy_blocks": 0.1, "teddy_bear": 0.05, "speaker": 0.15, **_LOW_GYM},
    "kitchen_counter": {"cutting_board": 1.0, "kettle": 1.0, "cooking_pot": 0.9, "bowl": 0.9, "fruit_bowl": 1.0,
                        "mug": 0.8, "cup": 0.8, "bottle": 0.8, "wine_bottle": 0.7, "plate": 0.8, "drinking_glass": 0.7,
                        "potted_plant": 0.6, "basket": 0.6, "tissue_box": 0.4, "vase": 0.4, "candle": 0.3,
                        "book": 0.3, "laptop": 0.2, "monitor": 0.05, "keyboard": 0.05, "desk_lamp": 0.1,
                        "table_lamp": 0.1, "alarm_clock": 0.15, "board_game": 0.1, "toy_blocks": 0.1,
                        "teddy_bear": 0.05, "picture_frame": 0.3, "speaker": 0.3, "notebook": 0.3, **_LOW_GYM},
    "bookshelf": {"book": 1.0, "book_stack": 1.0, "vase": 0.8, "picture_frame": 0.9, "potted_plant": 0.8,
                  "candle": 0.6, "basket": 0.7, "alarm_clock": 0.5, "speaker": 0.6, "board_game": 0.6,
                  "toy_blocks": 0.4, "teddy_bear": 0.4, "notebook": 0.7, "table_lamp": 0.4, "desk_lamp": 0.3,
                  "plate": 0.15, "bowl": 0.3, "cup": 0.2, "mug": 0.2, "drinking_glass": 0.15, "laptop": 0.2,
                  "monitor": 0.1, "keyboard": 0.05, "fruit_bowl": 0.15, **_LOW_KITCHEN, **_LOW_GYM},
    "nightstand": {"table_lamp": 1.0, "alarm_clock": 1.0, "book": 1.0, "drinking_glass": 0.8, "picture_frame": 0.8,
                   "candle": 0.6, "tissue_box": 0.8, "mug": 0.6, "cup": 0.6, "notebook": 0.6, "book_stack": 0.7,
                   "vase": 0.6, "potted_plant": 0.6, "desk_lamp": 0.6, "bottle": 0.5, "laptop": 0.3, "speaker": 0.4,
                   "teddy_bear": 0.4, "plate": 0.1, "bowl": 0.15, "fruit_bowl": 0.15, "wine_bottle": 0.2,
                   "monitor": 0.05, "keyboard": 0.05, "board_game": 0.15, **_LOW_KITCHEN, **_LOW_GYM},
    "coffee_table": {"book": 1.0, "book_stack": 0.9, "vase": 0.9, "cup": 0.9, "mug": 0.9, "board_game": 1.0,
                     "fruit_bowl": 0.9, "candle": 0.9, "potted_plant": 0.8, "drinking_glass": 0.8, "bowl": 0.7,
                     "wine_bottle": 0.6, "tissue_box": 0.6, "notebook": 0.6, "laptop": 0.6, "toy_blocks": 0.5,
                     "basket": 0.6, "plate": 0.5, "picture_frame": 0.5, "speaker": 0.4, "table_lamp": 0.2,
                     "desk_lamp": 0.15, "monitor": 0.05, "keyboard": 0.1, "alarm_clock": 0.2, **_LOW_KITCHEN,
                     **_LOW_GYM},
    "dresser": {"vase": 1.0, "picture_frame": 1.0, "candle": 0.9, "basket": 0.8, "table_lamp": 0.9, "potted_plant": 0.8,
                "alarm_clock": 0.6, "book": 0.6, "book_stack": 0.6, "tissue_box": 0.6, "teddy_bear": 0.5,
                "speaker": 0.5, "towel": 0.5, "drinking_glass": 0.3, "mug": 0.3, "cup": 0.3, "bottle": 0.4,
                "plate": 0.1, "bowl": 0.2, "fruit_bowl": 0.2, "wine_bottle": 0.2, "laptop": 0.3, "monitor": 0.1,
                "keyboard": 0.05, "desk_lamp": 0.4, "board_game": 0.2, **_LOW_KITCHEN, "dumbbell": 0.05,
                "ball": 0.15, "pillow": 0.15},
    # furniture that is not a table: what a seat, a bed, an appliance or a cabinet top may carry
    "sofa": {"pillow": 1.0, "book": 0.6, "laptop": 0.6, "notebook": 0.5, "teddy_bear": 0.6, "board_game": 0.3,
             "towel": 0.3, "basket": 0.3, "book_stack": 0.3},
    "bed": {"pillow": 1.0, "teddy_bear": 0.8, "book": 0.7, "towel": 0.6, "laptop": 0.5, "notebook": 0.5,
            "basket": 0.3},
    "stove": {"cooking_pot": 1.0, "kettle": 1.0, "bowl": 0.3},
    "fridge": {"basket": 0.7, "bottle": 0.6, "fruit_bowl": 0.5, "wine_bottle": 0.5, "potted_plant": 0.4},
    "washing_machine": {"basket": 1.0, "towel": 1.0, "bottle": 0.6},
    "bathtub": {"towel": 0.8, "bottle": 0.9, "candle": 0.7},
    "treadmill": {"bottle": 0.9, "towel": 0.9, "dumbbell": 0.6},
    "weight_bench": {"dumbbell": 1.0, "towel": 0.9, "bottle": 0.9},
    "pool_table": {"ball": 0.7, "drinking_glass": 0.2, "cup": 0.2},
    "examination_table": {"towel": 0.7, "tissue_box": 0.6, "pillow": 0.5},
    "car": {},
    "storage_shelf": {"basket": 1.0, "book_stack": 0.9, "book": 0.8, "towel": 0.8, "bottle": 0.7, "potted_plant": 0.7,
                      "vase": 0.6, "picture_frame": 0.6, "board_game": 0.6, "toy_blocks": 0.5, "ball": 0.5,
                      "bowl": 0.5, "plate": 0.5, "cooking_pot": 0.5, "speaker": 0.5, "dumbbell": 0.4},
    "toy_chest": {"toy_blocks": 1.0, "teddy_bear": 1.0, "ball": 1.0, "board_game": 0.9, "book": 0.6, "basket": 0.6},
    "changing_table": {"tissue_box": 1.0, "teddy_bear": 0.9, "towel": 0.9, "basket": 0.8, "bottle": 0.6},
    "workbench": {"basket": 0.8, "bottle": 0.7, "cutting_board": 0.4, "notebook": 0.5, "desk_lamp": 0.7},
    "filing_cabinet": {"potted_plant": 0.9, "book_stack": 0.8, "notebook": 0.7, "picture_frame": 0.7, "basket": 0.6,
                       "desk_lamp": 0.6, "table_lamp": 0.5, "vase": 0.6, "tissue_box": 0.6},
    "wardrobe": {"basket": 0.9, "towel": 0.5, "teddy_bear": 0.4, "book_stack": 0.4},
}  # fmt: skip
"""Receptacle category -> item category -> fit in [0, 1] (module docstring)."""

GENERIC: dict[str, float] = {"vase": 0.7, "potted_plant": 0.7, "picture_frame": 0.6, "candle": 0.6, "book": 0.6,
                             "book_stack": 0.6, "basket": 0.6, "table_lamp": 0.5, "notebook": 0.5,
                             **_LOW_KITCHEN, **_LOW_GYM}  # fmt: skip
"""Fit on a receptacle not in :data:`AFFINITY` (a storage shelf, a meeting table...); others are the default."""

ALIASES: dict[str, str] = {"teacher_desk": "desk", "student_desk": "desk", "reception_desk": "desk",
                           "meeting_table": "dining_table", "kids_table": "coffee_table", "display_shelf": "bookshelf",
                           "tv_stand": "dresser", "kitchen_cabinet": "kitchen_counter", "dishwasher": "kitchen_counter",
                           "armchair": "sofa", "recliner": "sofa", "ottoman": "sofa", "dining_chair": "sofa",
                           "office_chair": "sofa", "kids_chair": "sofa", "bar_stool": "sofa", "stool": "sofa",
                           "waiting_chair": "sofa", "bunk_bed": "bed", "crib": "bed", "oven": "stove",
                           "dryer": "washing_machine", "shower": "bathtub", "foosball_table": "pool_table",
                           "arcade_machine": "pool_table", "locker": "storage_shelf", "tool_cabinet": "workbench",
                           "shoe_rack": "storage_shelf", "bathroom_sink": "bathtub", "sink_cabinet": "bathtub",
                           "ironing_board": "washing_machine"}  # fmt: skip
"""Receptacles scored with another's row (a student's desk is a desk, an armchair a seat like a sofa)."""

#: The categories added with the parametric families (issue 14), scored with the row of the closest older
#: receptacle: case furniture as a dresser or bookshelf, seats as a sofa, appliances as a washing machine, vehicles as
#: a car (the low-fit rows: hardly anything belongs on them).
_FAMILY_ALIASES: dict[str, str] = {
    "air_hockey_table": "pool_table", "air_purifier": "washing_machine", "amplifier": "washing_machine",
    "aquarium": "dresser", "atm": "washing_machine", "bar_cabinet": "bookshelf", "bar_cart": "side_table",
    "bar_counter": "dresser", "bar_table": "side_table", "barber_chair": "sofa", "bathroom_vanity": "bathtub",
    "beverage_cooler": "fridge", "booth_seating": "sofa", "buffet": "dresser", "card_catalog": "filing_cabinet",
    "chaise_longue": "sofa", "checkout_counter": "dresser", "chest_freezer": "fridge",
    "china_cabinet": "bookshelf", "church_pew": "sofa", "claw_machine": "washing_machine",
    "console_table": "side_table", "credenza": "dresser", "cube_storage": "bookshelf", "daybed": "bed",
    "digital_piano": "dresser", "directors_chair": "sofa", "display_cabinet": "bookshelf",
    "display_counter": "bookshelf", "drafting_stool": "sofa", "drafting_table": "desk",
    "dressing_table": "dining_table", "drum_kit": "dresser", "fireplace": "dresser", "floor_mattress": "bed",
    "folding_chair": "sofa", "folding_table": "dining_table", "futon": "sofa", "gaming_chair": "sofa",
    "garden_bench": "sofa", "grand_piano": "dresser", "high_chair": "sofa", "hospital_bed": "bed",
    "host_stand": "dresser", "ice_machine": "fridge", "kiln": "stove", "kitchen_island": "kitchen_counter",
    "lab_bench": "workbench", "lateral_file_cabinet": "filing_cabinet", "laundry_hamper": "toy_chest",
    "lectern": "dresser", "linen_tower": "wardrobe", "log_holder": "toy_chest", "loveseat": "sofa",
    "mail_sorter": "bookshelf", "massage_table": "examination_table", "medical_cabinet": "filing_cabinet",
    "medical_cart": "examination_table", "milking_stool": "sofa", "mini_fridge": "fridge",
    "mobile_pedestal": "filing_cabinet", "mop_bucket": "toy_chest", "motor_scooter": "car", "motorcycle": "car",
    "pantry_cabinet": "kitchen_counter", "patio_chair": "sofa", "pegboard_workbench": "workbench",
    "photocopier": "washing_machine", "piano_stool": "sofa", "picnic_table": "dining_table",
    "ping_pong_table": "pool_table", "plan_chest": "filing_cabinet", "plant_stand": "side_table",
    "planter_box": "toy_chest", "poker_table": "pool_table", "pottery_wheel": "dresser",
    "potting_bench": "workbench", "printer_cabinet": "dresser", "reading_table": "dining_table",
    "recycling_bin": "toy_chest", "rocking_chair": "sofa", "safe": "washing_machine", "sandbox": "toy_chest",
    "school_chair": "sofa", "sectional_sofa": "sofa", "server_rack": "washing_machine", "sewing_table": "desk",
    "shoe_cabinet": "dresser", "shopping_cart": "car", "sideboard": "dresser", "slot_machine": "washing_machine",
    "space_heater": "washing_machine", "stacking_chair": "sofa", "standing_desk": "desk",
    "storage_bin": "toy_chest", "storage_cabinet": "storage_shelf", "stroller": "car", "tallboy": "dresser",
    "ticket_kiosk": "washing_machine", "tool_chest": "workbench", "trash_can": "toy_chest",
    "tv_armoire": "wardrobe", "umbrella_stand": "toy_chest", "upright_piano": "dresser",
    "utility_cabinet": "storage_shelf", "vending_machine": "washing_machine", "wagon": "car",
    "water_heater": "washing_machine", "wheelchair": "car", "wine_fridge": "fridge",
}  # fmt: skip
ALIASES.update(_FAMILY_ALIASES)

ROW_DEFAULT: dict[str, float] = {"sofa": 0.1, "bed": 0.1, "stove": 0.05, "fridge": 0.1, "washing_machine": 0.1,
                                 "bathtub": 0.05, "treadmill": 0.05, "weight_bench": 0.05, "pool_table": 0.05,
                                 "examination_table": 0.05, "car": 0.02, "toy_chest": 0.2, "changing_table": 0.15,
                                 "workbench": 0.2, "wardrobe": 0.2}  # fmt: skip
"""Fit of an unlisted item on these receptacles, instead of :data:`DEFAULT_AFFINITY` (hardly anything belongs
on a stove or a treadmill)."""

PROMPT_CUES: dict[str, tuple[str, ...]] = {
    "writer": ("notebook", "book", "book_stack", "desk_lamp", "laptop", "mug"),
    "office": ("laptop", "monitor", "keyboard", "notebook", "desk_lamp"),
    "student": ("book", "book_stack", "notebook", "desk_lamp", "laptop"),
    "exam": ("book", "book_stack", "notebook", "desk_lamp"),
    "reading": ("book", "book_stack", "table_lamp", "mug", "cup"),
    "sofa": ("cup", "mug", "book", "table_lamp"),
    "breakfast": ("plate", "bowl", "cup", "mug", "fruit_bowl", "drinking_glass", "kettle"),
    "dining": ("plate", "bowl", "drinking_glass", "wine_bottle", "candle"),
    "baker": ("bowl", "cutting_board", "cooking_pot", "basket"),
    "kitchen": ("cutting_board", "kettle", "bowl", "fruit_bowl", "cooking_pot"),
    "collector": ("vase", "picture_frame", "book_stack", "candle"),
    "bed": ("table_lamp", "alarm_clock", "book", "drinking_glass"),
    "guest": ("table_lamp", "alarm_clock", "tissue_box", "drinking_glass"),
    "game": ("board_game", "toy_blocks", "cup", "bowl", "drinking_glass"),
    "keepsake": ("picture_frame", "candle", "vase", "basket"),
}  # fmt: skip
"""A prompt word (matched as a word prefix, case-insensitive) -> item categories it asks for."""

SELF_STACKING = frozenset({"book", "book_stack", "notebook", "plate", "bowl", "towel", "board_game", "cutting_board",
                           "laptop"})  # fmt: skip
"""Items that stack on their own kind (a book on a book, a plate on a plate)."""

STACKS: dict[str, frozenset[str]] = {
    "book": frozenset({"notebook", "mug", "cup", "alarm_clock", "candle", "book_stack"}),
    "book_stack": frozenset({"book", "notebook", "mug", "cup", "candle", "vase", "table_lamp", "desk_lamp",
                             "potted_plant", "picture_frame"}),
    "notebook": frozenset({"book"}),
    "plate": frozenset({"bowl", "cup", "mug", "drinking_glass"}),
    "cutting_board": frozenset({"bowl", "plate", "fruit_bowl", "cooking_pot"}),
    "board_game": frozenset({"book", "toy_blocks", "notebook"}),
    "towel": frozenset({"towel", "basket"}),
    "tissue_box": frozenset({"notebook"}),
}  # fmt: skip
"""Bottom item -> items that may rest on it; any other stacking scores :data:`BAD_STACK`."""
BAD_STACK = 0.1

FREE_ZONES: dict[str, tuple[tuple[tuple[float, float, float, float], ...], frozenset[str], bool]] = {
    "desk": (((-0.65, 0.65, 0.15, 1.0),), frozenset({"laptop", "keyboard", "notebook", "book"}), True),
    "dining_table": (((-0.8, 0.8, 0.4, 1.0), (-0.8, 0.8, -1.0, -0.4)),
                     frozenset({"plate", "bowl", "cup", "mug", "drinking_glass"}), False),
    "kitchen_counter": (((-0.5, 0.5, -0.1, 1.0),), frozenset({"cutting_board", "bowl"}), True),
}  # fmt: skip
"""Receptacle -> (zones as (u0, u1, v0, v1) in [-1, 1] across the main surface, u to the receptacle's right, v
to its front; the items that belong in the zones; whether the front edge is the user's side, so that items are
not expected against it). Receptacles without a zone keep breathing room instead (:mod:`.asset_fit`)."""

CENTRE_LINE = frozenset({"dining_table", "coffee_table", "meeting_table", "kids_table"})
"""Receptacles whose long centre line is a proper place (a fruit bowl in the middle of a dining table)."""

TARGET_COUNT: dict[str, int] = {"desk": 4, "side_table": 2, "dining_table": 4, "kitchen_counter": 4, "bookshelf": 3,
                                "nightstand": 2, "coffee_table": 3, "dresser": 3}  # fmt: skip
"""Items that make a receptacle look dressed (default 3)."""
DEFAULT_TARGET = 3

FAMILIES: dict[str, str] = {
    **dict.fromkeys(("plate", "bowl", "cup", "mug", "drinking_glass", "wine_bottle", "bottle", "fruit_bowl"),
                    "tableware"),
    **dict.fromkeys(("book", "book_stack", "notebook"), "reading"),
    **dict.fromkeys(("laptop", "monitor", "keyboard", "speaker"), "electronics"),
    **dict.fromkeys(("vase", "candle", "picture_frame", "potted_plant"), "decor"),
    **dict.fromkeys(("cutting_board", "kettle", "cooking_pot"), "cooking"),
    **dict.fromkeys(("toy_blocks", "teddy_bear", "board_game", "ball"), "play"),
}  # fmt: skip
"""Item category -> family; items of one family should stand together."""


def affinity(receptacle: str, item: str) -> float:
    """Fit of ``item`` on ``receptacle`` from :data:`AFFINITY` (through :data:`ALIASES`; an unlisted item
    :data:`ROW_DEFAULT` or :data:`DEFAULT_AFFINITY`), else :data:`GENERIC`, else :data:`DEFAULT_AFFINITY`."""
    name = ALIASES.get(receptacle, receptacle)
    row = AFFINITY.get(name)
    if row is None:
        return GENERIC.get(item, DEFAULT_AFFINITY)
    return row.get(item, ROW_DEFAULT.get(name, DEFAULT_AFFINITY))


def cued(prompt: str) -> frozenset[str]:
    """Item categories the prompt's words ask for (:data:`PROMPT_CUES`, word prefixes, case-insensitive)."""
    import re

    words = re.findall(r"[a-z]+", prompt.lower()[:2000])
    out: set[str] = set()
    for cue, cats in PROMPT_CUES.items():
        if any(w.startswith(cue) for w in words):
            out.update(cats)
    return frozenset(out)


def stack_fit(bottom: str, top: str) -> float:
    """1 when ``top`` may rest on ``bottom`` (:data:`STACKS`, or like on like for :data:`SELF_STACKING`), else
    :data:`BAD_STACK`."""
    if bottom == top and bottom in SELF_STACKING:
        return 1.0
    return 1.0 if top in STACKS.get(bottom, ()) else BAD_STACK


def zone_for(receptacle: str):
    """:data:`FREE_ZONES` entry of a receptacle (through :data:`ALIASES`), or None."""
    return FREE_ZONES.get(receptacle) or FREE_ZONES.get(ALIASES.get(receptacle, ""))
