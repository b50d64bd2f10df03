"""A size prior for objects people name in indoor scenes, most of them outside the asset catalog.

The data live in ``size_prior.json`` beside this module: about 400 nouns ("loom", "kayak", "grandfather clock",
"pottery wheel"...), each with

- ``size``: typical (width, depth, height) in metres, width along the object's front (from general knowledge,
  not measurements);
- ``class``: a coarse class from :data:`CLASSES` (what kind of object program could stand in for it);
- ``placement``: ``"floor"``, ``"wall"``, ``"surface"`` (on other objects) or ``"ceiling"``;
- ``rooms``: room types of :data:`scene_gym.scene.ROOM_TYPES` it belongs in;
- optional ``synonyms`` and irregular ``plurals`` (regular plurals are folded by
  :func:`scene_gym.assets.resolver.stem` and need no listing).

:func:`size_prior` finds an entry by its name, a synonym or a plural, or by the longest run of final words that
names one ("a large antique grandfather clock" -> grandfather clock, "two pottery wheels" -> pottery wheel):
English noun phrases are head-final. The file is checked when first read (sizes positive and finite, classes,
placements and rooms known, every name used once); a bad file raises :class:`~scene_gym.errors.AssetError`
naming the entry and the field.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from scene_gym.assets.resolver import words
from scene_gym.errors import AssetError

DATA_FILE = Path(__file__).with_name("size_prior.json")
SCHEMA = "scene-gym/size-prior@1"
CLASSES = ("box_furniture", "seat", "bed", "table", "appliance", "decoration", "vehicle", "lighting", "plant",
           "instrument", "equipment", "container")  # fmt: skip
"""Coarse classes (the data file's ``classes`` describes each): box_furniture (cabinets, shelves, racks,
counters), seat, bed, table (tables, desks, carts), appliance (machines and electronics), decoration (also toys
and models), vehicle (bicycles to boats, strollers), lighting, plant, instrument (musical), equipment (tools,
workshop machines, sports, studio and medical gear), container (bins, boxes, barrels)."""
PLACEMENTS = ("floor", "wall", "surface", "ceiling")
MAX_SIDE = 10.0  # metres: no single object of an indoor scene is longer


@dataclass(frozen=True)
class PriorEntry:
    """One noun of the size prior.

    Attributes:
        name: the noun as people say it, singular ("pottery wheel").
        size: typical (width, depth, height) in metres, each in (0, 10].
        cls: coarse class, one of :data:`CLASSES`.
        placement: one of :data:`PLACEMENTS`.
        rooms: room types it belongs in (:data:`scene_gym.scene.ROOM_TYPES`).
        synonyms: other names of the same object.
        plurals: irregular plurals ("cacti").
    """

    name: str
    size: tuple[float, float, float]
    cls: str
    placement: str
    rooms: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    plurals: tuple[str, ...] = ()


def _bad(where: str, field: str, expected: str, value: Any) -> AssetError:
    return AssetError(f"{DATA_FILE.name}: {where}.{field}: expected {expected}, got {str(value)[:60]!r}")


def _entry(i: int, raw: Any) -> PriorEntry:
    from scene_gym.scene import ROOM_TYPES

    where = f"nouns[{i}]"
    if not isinstance(raw, dict):
        raise _bad(where, "", "an object", raw)
    unknown = set(raw) - {"name", "size", "class", "placement", "rooms", "synonyms", "plurals"}
    if unknown:
        raise _bad(where, sorted(unknown)[0], "no such field", sorted(unknown)[0])
    name = raw.get("name")
    if not isinstance(name, str) or not words(name) or len(name) > 64:
        raise _bad(where, "name", "a noun of 1 to 64 characters", name)
    where = f"nouns[{i}] ({name})"
    size = raw.get("size")
    if not (isinstance(size, list) and len(size) == 3 and all(isinstance(v, int | float) and not isinstance(v, bool)
                                                              and math.isfinite(v) and 0 < v <= MAX_SIDE
                                                              for v in size)):  # fmt: skip
        raise _bad(where, "size", f"3 positive finite sizes in metres, at most {MAX_SIDE:g}", size)
    if raw.get("class") not in CLASSES:
        raise _bad(where, "class", f"one of {', '.join(CLASSES)}", raw.get("class"))
    if raw.get("placement") not in PLACEMENTS:
        raise _bad(where, "placement", f"one of {', '.join(PLACEMENTS)}", raw.get("placement"))
    rooms = raw.get("rooms")
    if not isinstance(rooms, list) or not rooms or any(r not in ROOM_TYPES for r in rooms):
        raise _bad(where, "rooms", "a non-empty list of room types", rooms)
    extra = {}
    for field in ("synonyms", "plurals"):
        values = raw.get(field, [])
        if not isinstance(values, list) or any(not isinstance(v, str) or not words(v) for v in values):
            raise _bad(where, field, "a list of names", values)
        extra[field] = tuple(values)
    return PriorEntry(name, (float(size[0]), float(size[1]), float(size[2])), raw["class"], raw["placement"],
                      tuple(rooms), extra["synonyms"], extra["plurals"])  # fmt: skip


def load_entries(data: Any) -> tuple[tuple[PriorEntry, ...], dict[tuple[str, ...], PriorEntry]]:
    """Check a decoded size-prior document; the entries and the look-up table (normalised name -> entry).
    Raises :class:`AssetError` naming the entry and field at fault."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise AssetError(f"{DATA_FILE.name}: expected a JSON object with schema {SCHEMA!r}")
    raw = data.get("nouns")
    if not isinstance(raw, list) or not raw:
        raise _bad("", "nouns", "a non-empty list", raw)
    entries = tuple(_entry(i, e) for i, e in enumerate(raw))
    table: dict[tuple[str, ...], PriorEntry] = {}
    for i, e in enumerate(entries):
        for text in (e.name, *e.synonyms, *e.plurals):
            key = words(text)
            if key in table and table[key] is not e:
                raise _bad(f"nouns[{i}] ({e.name})", "synonyms", f"a name no other entry uses ({table[key].name!r} "
                                                                 "has it)", text)  # fmt: skip
            table[key] = e
    return entries, table


@lru_cache(maxsize=1)
def _data() -> tuple[tuple[PriorEntry, ...], dict[tuple[str, ...], PriorEntry]]:
    try:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise AssetError(f"{DATA_FILE.name}: cannot read the size prior ({err})") from None
    return load_entries(data)


MAX_PRIOR_WORDS = 4  # the longest name in the data file has this many words (the tests check it)


def size_prior(name: str) -> PriorEntry | None:
    """The entry for ``name`` (any case, plural or singular), or for its longest final run of words that names
    one; None when no final run does. A non-string raises :class:`AssetError`."""
    if not isinstance(name, str):
        raise AssetError(f"name: expected text naming an object, got {type(name).__name__}")
    _, table = _data()
    ws = words(name[:256])
    for n in range(min(len(ws), MAX_PRIOR_WORDS), 0, -1):
        hit = table.get(ws[-n:])
        if hit is not None:
            return hit
    return None


def prior_entries() -> tuple[PriorEntry, ...]:
    """Every entry, in file order."""
    return _data()[0]


def prior_nouns() -> tuple[str, ...]:
    """Every entry's name, in file order."""
    return tuple(e.name for e in _data()[0])


def prior_phrases() -> dict[tuple[str, ...], PriorEntry]:
    """Normalised names, synonyms and plurals (:func:`scene_gym.assets.resolver.words`) -> their entry."""
    return dict(_data()[1])


def prior_words() -> frozenset[str]:
    """Every word of every name, synonym and plural (normalised): words the prior knows as real ones."""
    return frozenset(w for key in _data()[1] for w in key)
