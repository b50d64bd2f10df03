"""Case furniture for work and service rooms (offices, shops, clinics, garages): declarations of
:class:`~scene_gym.assets.library.cabinets.CaseFamily` (see that module for the knobs)."""

from __future__ import annotations

from scene_gym.assets.library.cabinets import CaseFamily
from scene_gym.assets.library.family import declare

declare(
    CaseFamily,
    "utility_cabinet",
    synonyms=("janitor closet", "broom cupboard", "cleaning cupboard", "utility cupboard"),
    description="A plain one-door laundry or garage cupboard for brooms and cleaning supplies.",
    size_range=((0.4, 0.35, 1.2), (0.9, 0.65, 2.1)),
    default_size=(0.6, 0.45, 1.8),
    default_material="white sheet steel",
    rooms=("laundry room", "garage", "kitchen", "classroom"),
    knobs={"zones": (("doors", 1, 1.0),), "inner_shelves": 2, "base": "feet", "base_h": 0.03},
)
declare(
    CaseFamily,
    "bathroom_vanity",
    synonyms=("bathroom vanity unit", "vanity with sink", "double vanity", "vanity basin unit"),
    description="A bathroom base cabinet with a basin sunk in its top, doors below and a drawer.",
    size_range=((0.6, 0.4, 0.75), (1.5, 0.6, 0.95)),
    default_size=(0.9, 0.5, 0.85),
    default_material="white lacquer",
    rooms=("bathroom",),
    knobs={"zones": (("doors", 2, 2.0), ("drawers", 1, 0.7)), "drawer_cols": 2, "basin": True},
)
declare(
    CaseFamily,
    "kitchen_island",
    synonyms=("island unit", "cooking island", "island counter", "island bench"),
    description="A free-standing block of kitchen base cabinets: doors and drawers under a worktop.",
    size_range=((1.0, 0.6, 0.85), (2.6, 1.1, 0.95)),
    default_size=(1.6, 0.9, 0.9),
    default_material="white lacquer",
    rooms=("kitchen", "dining room", "studio apartment", "restaurant"),
    knobs={"zones": (("doors", 3, 3.0), ("drawers", 1, 1.0)), "drawer_cols": 3, "base_h": 0.1},
)
declare(
    CaseFamily,
    "cube_storage",
    synonyms=("cube organizer", "cubby shelf", "cubbies", "cubby storage", "kallax", "cube shelf"),
    description="An open shelving unit of square cubbies in a grid, for bins and toys.",
    size_range=((0.4, 0.3, 0.4), (1.5, 0.45, 1.5)),
    default_size=(0.8, 0.39, 0.8),
    default_material="white mdf",
    rooms=("children room", "nursery", "classroom", "living room", "bedroom", "game room"),
    articulated=False,
    knobs={"zones": (("open", 1, 1.0),), "drawer_cols": 2, "base": "plinth", "base_h": 0.02},
)
declare(
    CaseFamily,
    "medical_cart",
    synonyms=("hospital cart", "crash cart", "procedure cart", "supply cart", "medicine cart"),
    description="A rolling clinic cart of drawers with a work top.",
    size_range=((0.5, 0.4, 0.8), (0.9, 0.6, 1.2)),
    default_size=(0.65, 0.48, 1.0),
    default_material="white plastic",
    rooms=("medical examination room", "waiting room"),
    knobs={"zones": (("drawers", 4, 1.0),), "base": "casters", "base_h": 0.1},
)
declare(
    CaseFamily,
    "printer_cabinet",
    synonyms=("printer stand", "copier stand", "printer table"),
    description="A waist-high office cabinet for a printer: a drawer over a door cupboard for paper.",
    size_range=((0.5, 0.4, 0.55), (1.0, 0.65, 0.8)),
    default_size=(0.65, 0.5, 0.7),
    default_material="white mdf",
    rooms=("office", "classroom", "meeting room"),
    knobs={"zones": (("doors", 1, 2.0), ("drawers", 1, 1.0)), "base": "casters", "base_h": 0.06},
)
declare(
    CaseFamily,
    "display_counter",
    synonyms=(
        "display case",
        "glass counter",
        "shop counter",
        "showcase counter",
        "jewelry counter",
        "bakery display",
    ),
    description="A shop counter with a glass-doored display bay over a drawer row, for goods on show.",
    size_range=((0.9, 0.5, 0.85), (2.4, 0.75, 1.1)),
    default_size=(1.5, 0.6, 0.95),
    default_material="white lacquer",
    rooms=("bookstore", "restaurant", "game room"),
    knobs={"zones": (("drawers", 1, 1.0), ("glass", 2, 2.0)), "drawer_cols": 2, "inner_shelves": 0},
)
declare(
    CaseFamily,
    "checkout_counter",
    synonyms=(
        "checkout",
        "cash desk",
        "till counter",
        "cashier counter",
        "sales counter",
        "point of sale counter",
    ),
    description="A shop checkout counter: cupboards and a cash drawer under a long top.",
    size_range=((1.0, 0.5, 0.85), (2.4, 0.8, 1.1)),
    default_size=(1.6, 0.65, 0.95),
    default_material="oak wood",
    rooms=("bookstore", "restaurant", "game room", "waiting room"),
    knobs={"zones": (("doors", 3, 2.5), ("drawers", 1, 1.0)), "drawer_cols": 2},
)
declare(
    CaseFamily,
    "bar_counter",
    synonyms=("home bar counter", "bar", "pub bar", "serving bar", "drinks counter"),
    description="A high bar counter with shelves for glasses behind doors below the top.",
    size_range=((1.2, 0.5, 1.0), (3.0, 0.8, 1.15)),
    default_size=(2.0, 0.6, 1.08),
    default_material="walnut wood",
    rooms=("restaurant", "game room", "living room", "kitchen"),
    knobs={"zones": (("doors", 4, 1.0),), "inner_shelves": 1},
)
declare(
    CaseFamily,
    "lectern",
    synonyms=("podium", "speaker's lectern", "pulpit", "rostrum", "speaking stand"),
    description="A tall narrow stand to speak from: a cupboard with a door under a reading top.",
    size_range=((0.45, 0.4, 1.0), (0.8, 0.65, 1.3)),
    default_size=(0.6, 0.5, 1.15),
    default_material="oak wood",
    rooms=("classroom", "meeting room", "office", "waiting room"),
    knobs={"zones": (("doors", 1, 1.0),), "inner_shelves": 2},
)
declare(
    CaseFamily,
    "host_stand",
    synonyms=("hostess stand", "maitre d stand", "reservation desk", "greeter stand"),
    description="A restaurant host stand: a narrow cupboard with a shelf and a drawer under a top at writing height.",
    size_range=((0.5, 0.35, 1.0), (0.9, 0.6, 1.25)),
    default_size=(0.65, 0.45, 1.1),
    default_material="black mdf",
    rooms=("restaurant", "waiting room"),
    knobs={"zones": (("doors", 1, 3.0), ("drawers", 1, 1.0))},
)
declare(
    CaseFamily,
    "tool_chest",
    synonyms=("tool chest", "tool box chest", "tool drawers", "toolbox chest", "mechanic's chest"),
    description="A steel chest of shallow tool drawers on feet, often stood on a roller cabinet or a bench.",
    size_range=((0.5, 0.3, 0.35), (1.1, 0.5, 0.7)),
    default_size=(0.66, 0.33, 0.5),
    default_material="red sheet steel",
    rooms=("garage", "laundry room", "classroom"),
    knobs={"zones": (("drawers", 4, 1.0),), "base": "feet", "base_h": 0.02},
)
declare(
    CaseFamily,
    "tv_armoire",
    synonyms=("media armoire", "entertainment armoire", "tv hutch", "television armoire"),
    description="A tall cabinet with doors over a television bay and drawers below.",
    size_range=((0.9, 0.5, 1.4), (1.4, 0.7, 2.1)),
    default_size=(1.1, 0.6, 1.8),
    default_material="cherry wood",
    rooms=("living room", "bedroom", "studio apartment"),
    knobs={"zones": (("drawers", 2, 1.0), ("doors", 2, 2.5)), "drawer_cols": 1, "inner_shelves": 1},
)
declare(
    CaseFamily,
    "mail_sorter",
    synonyms=(
        "pigeonhole shelf",
        "pigeonholes",
        "mail slots",
        "literature organizer",
        "document sorter",
        "school cubbies",
    ),
    description="An open unit of small cubbies in a grid for mail, papers or a class's things.",
    size_range=((0.6, 0.3, 0.5), (1.6, 0.45, 1.5)),
    default_size=(0.9, 0.35, 0.9),
    default_material="birch plywood",
    rooms=("office", "classroom", "bookstore", "waiting room", "children room"),
    articulated=False,
    knobs={"zones": (("open", 2, 1.0),), "drawer_cols": 4, "base": "plinth", "base_h": 0.02},
)
