"""Lounges, benches and soft seats: declarations of
:class:`~scene_gym.assets.library.seats.LoungeFamily` and :class:`~scene_gym.assets.library.seats.SoftSeatFamily`
(see that module for the knobs)."""

from __future__ import annotations

from scene_gym.assets.library.family import declare
from scene_gym.assets.library.seats import LoungeFamily, SoftSeatFamily

_LOUNGE = ("living room", "bedroom", "studio apartment", "waiting room")
declare(
    LoungeFamily,
    "chaise_longue",
    synonyms=("chaise lounge", "chaise", "fainting couch", "lounge sofa"),
    description="A long upholstered seat for reclining, with a backrest and one arm at the head end.",
    size_range=((1.4, 0.6, 0.7), (2.0, 0.9, 0.95)),
    default_size=(1.7, 0.75, 0.82),
    default_material="teal velvet",
    rooms=_LOUNGE,
    knobs={"back_span": 0.4, "arms": "left"},
)
declare(
    LoungeFamily,
    "daybed",
    synonyms=("day bed", "guest daybed", "sofa daybed"),
    description="A single mattress in a frame with a backrest and two arms, used as a sofa by day.",
    size_range=((1.8, 0.8, 0.7), (2.2, 1.1, 1.0)),
    default_size=(2.0, 0.95, 0.85),
    default_material="white linen",
    rooms=("living room", "bedroom", "studio apartment", "children room"),
    knobs={"seat_h": 0.45, "back_t": 0.08, "frame": "white paint"},
)
declare(
    LoungeFamily,
    "futon",
    synonyms=("futon sofa", "futon couch", "sofa bed", "sleeper sofa"),
    description="A low wooden-framed sofa with a thick mattress that folds flat into a bed.",
    size_range=((1.6, 0.8, 0.6), (2.1, 1.1, 0.9)),
    default_size=(1.9, 0.9, 0.8),
    default_material="navy fabric",
    rooms=("living room", "studio apartment", "bedroom", "children room"),
    knobs={"arms": "none", "seat_h": 0.38, "back_t": 0.2, "frame": "pine wood"},
)
declare(
    LoungeFamily,
    "church_pew",
    synonyms=("pew", "wooden pew", "bench with back", "settle"),
    description="A long wooden bench with a high back and end panels.",
    size_range=((1.2, 0.45, 0.8), (3.0, 0.65, 1.1)),
    default_size=(2.0, 0.55, 0.95),
    default_material="oak wood",
    rooms=("waiting room", "dining room", "restaurant", "classroom"),
    knobs={"cushions": 0, "leg_h": 0.0, "back_t": 0.05, "seat_h": 0.45, "frame": "oak wood"},
)
declare(
    LoungeFamily,
    "booth_seating",
    synonyms=("restaurant booth", "booth", "banquette", "booth bench"),
    description="An upholstered restaurant booth bench with a tall back, set against a table.",
    size_range=((1.0, 0.55, 0.9), (2.5, 0.8, 1.3)),
    default_size=(1.5, 0.65, 1.1),
    default_material="burgundy leather",
    rooms=("restaurant", "dining room", "kitchen", "game room"),
    knobs={"arms": "none", "leg_h": 0.0, "back_t": 0.12, "seat_h": 0.46},
)
declare(
    LoungeFamily,
    "garden_bench",
    synonyms=("park bench", "outdoor bench", "patio bench", "porch bench"),
    description="A wooden bench with a backrest and arms, as in parks and gardens.",
    size_range=((1.0, 0.5, 0.75), (2.0, 0.7, 1.0)),
    default_size=(1.5, 0.6, 0.88),
    default_material="teak wood",
    rooms=("living room", "garage", "waiting room", "restaurant"),
    knobs={"cushions": 0, "back_t": 0.05, "frame": "black metal", "leg_h": 0.3},
)
declare(
    LoungeFamily,
    "loveseat",
    synonyms=("love seat", "loveseat sofa", "twin seater"),
    description="A two-seat upholstered sofa with arms and a backrest.",
    size_range=((1.2, 0.75, 0.7), (1.6, 1.0, 1.0)),
    default_size=(1.4, 0.85, 0.85),
    default_material="grey fabric",
    rooms=_LOUNGE + ("office",),
    knobs={"cushions": 2},
)
declare(
    LoungeFamily,
    "sectional_sofa",
    synonyms=("sectional", "modular sofa", "corner sofa", "l-shaped sofa"),
    description="A long modular sofa of four seats with a low back and two arms.",
    size_range=((2.4, 0.85, 0.7), (3.6, 1.1, 1.0)),
    default_size=(3.0, 0.95, 0.82),
    default_material="beige fabric",
    rooms=("living room", "game room", "waiting room"),
    knobs={"cushions": 4},
)

declare(
    SoftSeatFamily,
    "bean_bag",
    synonyms=("bean bag chair", "beanbag", "beanbag chair", "sack chair"),
    description="A soft fabric sack filled with beads that shapes itself into a seat.",
    size_range=((0.6, 0.6, 0.5), (1.2, 1.2, 1.0)),
    default_size=(0.9, 0.9, 0.8),
    default_material="red fabric",
    rooms=("living room", "children room", "game room", "bedroom", "classroom"),
    knobs={"shape": "blob", "squareness": 0.7},
)
declare(
    SoftSeatFamily,
    "floor_cushion",
    synonyms=("floor pillow", "zafu", "meditation cushion", "sitting cushion", "large cushion"),
    description="A thick square cushion to sit on the floor.",
    size_range=((0.4, 0.4, 0.08), (0.9, 0.9, 0.3)),
    default_size=(0.6, 0.6, 0.15),
    default_material="mustard fabric",
    rooms=("living room", "children room", "bedroom", "classroom", "game room"),
    knobs={"shape": "slab", "squareness": 0.3},
)
declare(
    SoftSeatFamily,
    "floor_mattress",
    synonyms=("mattress", "futon mattress", "sleeping mat", "camping mattress"),
    description="A mattress lying directly on the floor.",
    size_range=((0.7, 1.8, 0.08), (1.8, 2.1, 0.3)),
    default_size=(0.9, 2.0, 0.18),
    default_material="white cotton",
    rooms=("bedroom", "children room", "studio apartment", "game room"),
    knobs={"shape": "slab", "squareness": 0.15},
)
declare(
    SoftSeatFamily,
    "pet_bed",
    synonyms=("dog bed", "cat bed", "dog basket", "pet cushion"),
    description="A padded pet bed: a cushion inside a raised bolster rim.",
    size_range=((0.4, 0.35, 0.12), (1.2, 0.9, 0.35)),
    default_size=(0.75, 0.6, 0.22),
    default_material="brown fabric",
    rooms=("living room", "bedroom", "kitchen", "studio apartment", "laundry room"),
    knobs={"shape": "nest"},
)
