"""The word lists behind :func:`scene_gym.spec.parse_prompt`: numbers, quantifiers, room types, attribute words,
relation phrases, and the object phrases of the asset catalog.

Every phrase is stored as a tuple of *normalised* words (:func:`normalise_words`: lowercase, apostrophes
dropped, hyphens split, plurals folded by :func:`stem`), so the parser can match prompt words against them
with one dictionary look-up per n-gram.
"""

from __future__ import annotations

import re
from functools import lru_cache

# One plural folding for prompts, phrases and the catalog look-up: the spec reads words as the resolver does.
from scene_gym.assets.resolver import stem

WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?|[.,;:!?()]")


def is_plural(word: str) -> bool:
    """Whether :func:`stem` folds ``word`` (i.e. it reads as a plural)."""
    return stem(word) != word


def tokens(text: str) -> list[str]:
    """Lowercase words, numbers and punctuation of ``text``; apostrophes dropped, hyphens split."""
    text = text.lower().replace("\u2019", "'").replace("'", "").replace("-", " ").replace("_", " ")
    return WORD.findall(text)


def normalise_words(text: str) -> tuple[str, ...]:
    """The phrase key of ``text``: its :func:`tokens`, each folded by :func:`stem`."""
    return tuple(stem(t) for t in tokens(text))


NUMBERS: dict[str, int] = {
    "zero": 0, "no": 0, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "dozen": 12,
}  # fmt: skip
"""Number words. ``"no"`` reads as zero ("no television")."""

QUANTITY_PHRASES: dict[str, tuple[str, int | None]] = {
    # phrase -> (quantifier, count); a count of None takes the number that follows ("at least 3").
    "a": ("eq", 1), "an": ("eq", 1), "another": ("eq", 1), "an additional": ("eq", 1), "one more": ("eq", 1),
    "a single": ("eq", 1), "a pair of": ("eq", 2), "a couple of": ("eq", 2), "a couple": ("eq", 2),
    "both": ("eq", 2), "a dozen": ("eq", 12), "several": ("ge", 3), "a few": ("ge", 2), "few": ("ge", 2),
    "some": ("ge", None), "multiple": ("ge", 2), "many": ("ge", 3), "various": ("ge", 2), "lots of": ("ge", 3),
    "a lot of": ("ge", 3), "plenty of": ("ge", 3), "numerous": ("ge", 3), "a number of": ("ge", 2),
    "at least": ("ge", None), "no fewer than": ("ge", None), "no less than": ("ge", None), "minimum of": ("ge", None),
    "a minimum of": ("ge", None), "at most": ("le", None), "no more than": ("le", None), "up to": ("le", None),
    "maximum of": ("le", None), "a maximum of": ("le", None), "exactly": ("eq", None), "only": ("eq", None),
    "more than": ("gt", None), "over": ("gt", None), "fewer than": ("lt", None), "less than": ("lt", None),
}  # fmt: skip
"""Quantifier phrases (see :mod:`scene_gym.spec.parser` for how ``gt``/``lt`` are normalised)."""

DEFINITE = ("the", "this", "that", "these", "those", "its", "their", "each", "every", "his", "her", "my", "our",
            "your")  # fmt: skip
"""Determiners of an already-mentioned object: they refer back rather than ask for more."""

ROOM_PHRASES: dict[str, str] = {
    "bedroom": "bedroom", "master bedroom": "bedroom", "guest room": "bedroom", "guest bedroom": "bedroom",
    "sleeping room": "bedroom", "living room": "living room", "lounge": "living room", "sitting room": "living room",
    "family room": "living room", "den": "living room", "dining room": "dining room", "dining area": "dining room",
    "kitchen": "kitchen", "kitchenette": "kitchen", "bathroom": "bathroom", "restroom": "bathroom",
    "washroom": "bathroom", "toilet room": "bathroom", "powder room": "bathroom", "gym": "gym",
    "home gym": "gym", "fitness room": "gym", "fitness center": "gym", "fitness centre": "gym",
    "workout room": "gym", "restaurant": "restaurant", "cafe": "restaurant", "bistro": "restaurant",
    "diner": "restaurant", "cafeteria": "restaurant", "children room": "children room",
    "childrens room": "children room", "childs room": "children room", "kids room": "children room",
    "kid room": "children room", "kids bedroom": "children room", "childs bedroom": "children room",
    "childrens bedroom": "children room", "playroom": "children room", "play room": "children room",
    "nursery": "nursery", "baby room": "nursery", "meeting room": "meeting room",
    "conference room": "meeting room", "boardroom": "meeting room", "board room": "meeting room",
    "office": "office", "home office": "office", "study": "office", "study room": "office", "workspace": "office",
    "waiting room": "waiting room", "waiting area": "waiting room", "lobby": "waiting room",
    "reception area": "waiting room", "classroom": "classroom", "class room": "classroom",
    "bookstore": "bookstore", "bookshop": "bookstore", "book store": "bookstore", "book shop": "bookstore",
    "laundry room": "laundry room", "laundry": "laundry room", "utility room": "laundry room",
    "garage": "garage", "game room": "game room", "games room": "game room", "gaming room": "game room",
    "recreation room": "game room", "rec room": "game room", "medical examination room": "medical examination room",
    "examination room": "medical examination room", "exam room": "medical examination room",
    "doctors office": "medical examination room", "clinic": "medical examination room",
    "consultation room": "medical examination room", "studio apartment": "studio apartment",
    "studio flat": "studio apartment", "studio": "studio apartment", "apartment": "studio apartment",
    "loft": "studio apartment",
}  # fmt: skip
"""Room words -> :data:`scene_gym.scene.ROOM_TYPES`."""

ROOM_WORDS = ("room", "space", "area", "interior", "flat", "house", "home")
"""Words for "a room" with no type; a size word before them sizes the room ("a small room")."""

SIZE_PHRASES: dict[str, str] = {
    "small": "small", "little": "small", "tiny": "small", "compact": "small", "mini": "small", "petite": "small",
    "large": "large", "big": "large", "huge": "large", "giant": "large", "oversized": "large", "spacious": "large",
    "king size": "large", "queen size": "large", "roomy": "large", "tall": "tall", "high": "tall",
    "short": "short", "low": "low", "wide": "wide", "broad": "wide", "narrow": "narrow", "slim": "narrow",
    "long": "long",
}  # fmt: skip
"""Size words -> :data:`scene_gym.spec.model.SIZE_WORDS`."""

RELATION_PHRASES: dict[str, str] = {
    # phrase -> relation word the parser resolves against what follows (see parser).
    "against": "against", "up against": "against", "along": "against", "flush with": "against",
    "on": "on", "onto": "on", "on top of": "on", "atop": "on", "resting on": "on", "sitting on": "on",
    "placed on": "on", "standing on": "on", "mounted on": "on", "hanging on": "on", "hanging from": "on",
    "hung on": "on", "under": "under", "beneath": "under", "underneath": "under", "below": "under",
    "next to": "next_to", "beside": "next_to", "besides": "next_to", "alongside": "next_to",
    "adjacent to": "next_to", "by the side of": "next_to", "at the side of": "next_to", "flanked by": "flanked_by",
    "near": "near", "near to": "near", "close to": "near", "nearby": "near", "close by": "near",
    "around": "around", "surrounding": "around", "encircling": "around", "surrounded by": "surrounded_by",
    "encircled by": "surrounded_by", "ringed by": "surrounded_by", "opposite": "across_from",
    "opposite to": "across_from", "opposite of": "across_from", "across from": "across_from",
    "facing each other": "facing_each_other", "face each other": "facing_each_other",
    "facing one another": "facing_each_other", "facing": "facing", "faces": "facing", "face": "facing",
    "facing towards": "facing", "facing toward": "facing", "pointed at": "facing", "oriented towards": "facing",
    "side by side": "side_by_side", "next to each other": "side_by_side", "beside each other": "side_by_side",
    "next to one another": "side_by_side", "back to back": "back_to_back", "in front of": "in_front_of",
    "in the front of": "in_front_of", "before": "in_front_of", "behind": "behind", "in back of": "behind",
    "at the back of": "behind", "to the left of": "left_of", "left of": "left_of", "on the left of": "left_of",
    "on the left side of": "left_of", "to the right of": "right_of", "right of": "right_of",
    "on the right of": "right_of", "on the right side of": "right_of", "far from": "far", "away from": "far",
    "far away from": "far", "between": "between", "in between": "between",
    "in the corner": "in_corner", "in a corner": "in_corner", "in one corner": "in_corner",
    "in the corners": "in_corner", "in corner": "in_corner", "into the corner": "in_corner",
    "tucked in the corner": "in_corner", "in the center": "middle", "in the centre": "middle",
    "at the center": "middle", "at the centre": "middle", "in the middle": "middle", "centered": "middle",
    "centred": "middle", "in the center of the room": "middle", "in the centre of the room": "middle",
    "in the middle of the room": "middle", "at the center of the room": "middle",
    "at the centre of the room": "middle", "in the room center": "middle", "in the room centre": "middle",
    "with": "with", "that has": "with", "holding": "with", "topped with": "with",
}  # fmt: skip
"""Relation phrases -> the parser's relation words (mapped to :mod:`scene_gym.layout` names in the parser)."""

ARCH_WORDS: dict[str, str] = {"wall": "wall", "ceiling": "ceiling", "floor": "floor", "corner": "corner",
                              "window": "window", "door": "door", "doorway": "door", "entrance": "door"}  # fmt: skip
"""Architecture words a relation can point at."""

WALL_SIDES: dict[str, str] = {"north": "north", "south": "south", "east": "east", "west": "west", "back": "back",
                              "rear": "back", "far": "back", "front": "front", "left": "left", "right": "right",
                              "northern": "north", "southern": "south", "eastern": "east", "western": "west"}  # fmt: skip
"""Words naming a wall's side ("the back wall")."""

POST_MODIFIERS = ("in", "made of", "made from", "of", "covered in", "upholstered in", "finished in", "painted",
                  "in a", "done in", "that is", "which is", "is")  # fmt: skip
"""Phrases after an object that introduce its colour or material ("a sofa in grey velvet")."""

PRONOUNS = ("it", "them", "one another", "each other")
BREAK_WORDS = ("while", "whereas", "but", "then", "also", "plus")
RESET_WORDS = ("and", "or", "with", "for", "to", "of", "in", "at", "from", "by", "as", "where", "which", "that",
               "who", "is", "are", "be", "has", "have", "should", "must", "like")  # fmt: skip
"""Words that end a noun phrase: a quantity before them does not reach a noun after them."""


@lru_cache(maxsize=1)
def colour_phrases() -> dict[tuple[str, ...], str]:
    """Colour phrases from :data:`scene_gym.assets.materials.COLOURS` (``gray`` folded to ``grey``)."""
    from scene_gym.assets.materials import COLOURS

    out = {normalise_words(c): ("grey" if c == "gray" else c) for c in COLOURS}
    for extra, canon in (("dark grey", "charcoal"), ("dark gray", "charcoal"), ("off white", "ivory"),
                         ("natural", "beige"), ("neutral", "beige"), ("golden", "yellow")):  # fmt: skip
        out.setdefault(normalise_words(extra), canon)
    return out


@lru_cache(maxsize=1)
def material_phrases() -> dict[tuple[str, ...], str]:
    """Material words and base-material names -> canonical base material (``"wooden"`` -> ``"oak wood"``)."""
    from scene_gym.assets.materials import BASE_MATERIALS, MATERIAL_SYNONYMS

    out = {normalise_words(k): v for k, v in MATERIAL_SYNONYMS.items()}
    for name in BASE_MATERIALS:
        if name not in ("light emitter", "screen", "soil", "leaves", "water", "white paint"):
            out[normalise_words(name)] = name
    for word in ("screen", "soil", "leaf", "water", "paint", "painted"):
        out.pop((word,), None)
    return out


@lru_cache(maxsize=8)
def object_phrases(catalog_key: int = 0) -> dict[tuple[str, ...], tuple[str, bool]]:
    """Category names and synonyms -> (category, is_own_name). ``catalog_key`` is the catalog size, so that
    registering new categories (mesh folders) refreshes the table."""
    from scene_gym.assets import factories

    out: dict[tuple[str, ...], tuple[str, bool]] = {}
    for category in factories():
        out[normalise_words(category)] = (category, True)
    for category, f in factories().items():
        for syn in f.synonyms:
            key = normalise_words(syn)
            if key and key not in out:
                out[key] = (category, False)
    return out
