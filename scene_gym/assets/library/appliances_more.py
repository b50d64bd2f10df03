"""More box appliances: wall units, arcade and kiosk cabinets, and small countertop appliances (toasters, coffee
makers, tills, printers, sewing machines, projectors). Declarations of
:class:`~scene_gym.assets.library.appliances.BoxApplianceFamily` (see that module for the knobs)."""

from __future__ import annotations

from scene_gym.assets.library.appliances import _KITCHEN, BoxApplianceFamily
from scene_gym.assets.library.family import declare

declare(
    BoxApplianceFamily,
    "range_hood",
    synonyms=("cooker hood", "extractor hood", "kitchen hood", "vent hood", "exhaust hood"),
    description="A wall-mounted kitchen extractor hood over a stove.",
    size_range=((0.5, 0.35, 0.2), (1.2, 0.6, 0.8)),
    default_size=(0.9, 0.5, 0.45),
    default_material="stainless sheet steel",
    rooms=("kitchen", "restaurant", "studio apartment"),
    placement="wall",
    articulated=False,
    knobs={"door": "none", "feet": 0.0, "fins": 10},
)
declare(
    BoxApplianceFamily,
    "air_conditioner",
    synonyms=("ac unit", "split air conditioner", "wall air conditioner", "aircon", "ac"),
    description="A wall-mounted split air-conditioning unit with a louvred front.",
    size_range=((0.6, 0.18, 0.25), (1.2, 0.3, 0.4)),
    default_size=(0.85, 0.22, 0.3),
    default_material="white plastic",
    rooms=("bedroom", "living room", "office", "meeting room", "classroom", "waiting room"),
    placement="wall",
    articulated=False,
    knobs={"door": "none", "feet": 0.0, "fins": 14},
)
declare(
    BoxApplianceFamily,
    "claw_machine",
    synonyms=("crane game", "claw crane", "prize machine", "crane machine"),
    description="An arcade crane game: a glass prize cabinet with a lit sign panel over a base.",
    size_range=((0.7, 0.7, 1.6), (1.1, 1.1, 2.1)),
    default_size=(0.85, 0.85, 1.85),
    default_material="pink sheet steel",
    rooms=("game room", "restaurant", "children room"),
    articulated=True,
    knobs={"door": "glass", "shelves": 1, "display": True, "feet": 0.04},
)
declare(
    BoxApplianceFamily,
    "slot_machine",
    synonyms=("fruit machine", "one-armed bandit", "gaming machine", "pokie"),
    description="A casino slot machine: a cabinet with a screen panel over a flat front.",
    size_range=((0.5, 0.5, 1.2), (0.8, 0.8, 1.9)),
    default_size=(0.65, 0.6, 1.7),
    default_material="red sheet steel",
    rooms=("game room", "restaurant"),
    articulated=False,
    knobs={"door": "none", "display": True, "feet": 0.0},
)
declare(
    BoxApplianceFamily,
    "ticket_kiosk",
    synonyms=("kiosk", "self-service kiosk", "ticket machine", "check-in kiosk", "information kiosk"),
    description="A free-standing self-service kiosk with a screen over a steel body.",
    size_range=((0.4, 0.35, 1.2), (0.8, 0.7, 1.9)),
    default_size=(0.55, 0.5, 1.6),
    default_material="white sheet steel",
    rooms=("waiting room", "restaurant", "bookstore", "medical examination room"),
    articulated=False,
    knobs={"door": "none", "display": True, "feet": 0.0},
)

_SMALL = {"placement": "surface", "small": True, "articulated": False}
declare(
    BoxApplianceFamily,
    "toaster",
    synonyms=("bread toaster", "pop-up toaster", "toaster oven"),
    description="A kitchen toaster: a small box with slots on top and a lever.",
    **_SMALL,
    size_range=((0.18, 0.12, 0.15), (0.45, 0.35, 0.3)),
    default_size=(0.28, 0.18, 0.2),
    default_material="silver plastic",
    rooms=_KITCHEN,
    knobs={"door": "none", "feet": 0.01, "fins": 2},
)
declare(
    BoxApplianceFamily,
    "coffee_maker",
    synonyms=("coffee machine", "espresso machine", "coffee brewer", "drip coffee maker"),
    description="A countertop coffee machine: a tall box with a control strip.",
    **_SMALL,
    size_range=((0.15, 0.2, 0.25), (0.45, 0.45, 0.45)),
    default_size=(0.25, 0.3, 0.35),
    default_material="black plastic",
    rooms=_KITCHEN + ("office",),
    knobs={"door": "none", "feet": 0.01, "display": True},
)
declare(
    BoxApplianceFamily,
    "cash_register",
    synonyms=("till", "register", "checkout register", "pos terminal", "point of sale"),
    description="A shop till: a box with a key panel and a screen strip.",
    **_SMALL,
    size_range=((0.3, 0.3, 0.1), (0.5, 0.5, 0.35)),
    default_size=(0.4, 0.42, 0.22),
    default_material="black plastic",
    rooms=("restaurant", "bookstore", "game room"),
    knobs={"door": "none", "feet": 0.01, "fins": 4},
)
declare(
    BoxApplianceFamily,
    "desktop_printer",
    synonyms=("printer", "inkjet printer", "laser printer", "home printer"),
    description="A desktop printer: a low box with a paper slot.",
    **_SMALL,
    size_range=((0.3, 0.25, 0.12), (0.6, 0.5, 0.4)),
    default_size=(0.42, 0.35, 0.2),
    default_material="white plastic",
    rooms=("office", "bedroom", "classroom", "studio apartment"),
    knobs={"door": "none", "feet": 0.01, "display": True},
)
declare(
    BoxApplianceFamily,
    "sewing_machine",
    synonyms=("overlocker", "serger", "electric sewing machine"),
    description="A sewing machine body: a box with a control strip, set on a table.",
    **_SMALL,
    size_range=((0.3, 0.15, 0.25), (0.5, 0.3, 0.4)),
    default_size=(0.4, 0.2, 0.3),
    default_material="white plastic",
    rooms=("bedroom", "studio apartment", "classroom", "laundry room"),
    knobs={"door": "none", "feet": 0.01, "fins": 3},
)
declare(
    BoxApplianceFamily,
    "projector",
    synonyms=("video projector", "beamer", "overhead projector", "data projector"),
    description="A video projector: a small box with vents, set on a table or shelf.",
    **_SMALL,
    size_range=((0.2, 0.15, 0.07), (0.45, 0.4, 0.2)),
    default_size=(0.3, 0.24, 0.1),
    default_material="white plastic",
    rooms=("meeting room", "classroom", "living room", "office"),
    knobs={"door": "none", "feet": 0.01, "fins": 5},
)
