"""Reading a prompt's words: size hints, the phrase table, longest-first matching, noun-phrase heads and
clause boundaries (steps 1-2 of :mod:`scene_gym.spec.parser`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from scene_gym.spec import lexicon as L
from scene_gym.spec.model import SizeHint

MAX_PROMPT_CHARS = 20_000
MAX_PHRASE = 6
FEET = 0.3048
_NUM = r"(\d+(?:\.\d+)?)"
_LEN_UNIT = r"(m|metres?|meters?|ft|feet|foot|')"
_DIMS = re.compile(rf"{_NUM}\s*{_LEN_UNIT}?\s*(?:x|\u00d7|\*|by)\s*{_NUM}\s*{_LEN_UNIT}?(?![a-z0-9])")
_AREA = re.compile(rf"{_NUM}\s*(square\s+(?:metres?|meters?|m)|sq\.?\s*m|sqm|m2|m\u00b2|"
                   r"square\s+(?:feet|foot|ft)|sq\.?\s*ft|ft2|ft\u00b2)(?![a-z0-9])")  # fmt: skip
_MEASURE = re.compile(rf"{_NUM}\s*(cm|mm|m|metres?|meters?|ft|feet|foot|inch(?:es)?|in|kg|degrees?|%)(?![a-z0-9])")
_SENTENCE_END = {".", ";", "!", "?"}
_CLAUSE_END = {",", ":", "(", ")"}
MODIFIER_KINDS = ("colour", "material", "size")


@dataclass
class Item:
    kind: str
    value: Any
    start: int
    end: int
    plural: bool = False
    alt: tuple | None = None  # (kind, value) when a catalog noun may also be a colour/material word
    clause: int = 0
    sentence: int = 0


@dataclass
class Mention:
    category: str  # a catalog category, or "?" + name for an object of the size prior not yet resolved
    quantifier: str | None  # None: definite reference
    count: int
    plural: bool
    start: int
    clause: int
    sentence: int
    attrs: list = field(default_factory=list)
    name: str = ""  # the prompt's words for it, the last one singular


UNRESOLVED = "?"
"""Prefix of a mention's category while it names a size-prior noun the catalog may not have."""


@lru_cache(maxsize=4)
def phrase_table(catalog_size: int) -> tuple[dict[tuple[str, ...], list[tuple[str, Any]]], int]:
    table: dict[tuple[str, ...], list[tuple[str, Any]]] = {}

    def put(phrase, kind, value):
        key = phrase if isinstance(phrase, tuple) else L.normalise_words(phrase)
        if key:
            table.setdefault(key, []).append((kind, value))

    for phrase, (category, _own) in L.object_phrases(catalog_size).items():
        put(phrase, "object", category)
    for phrase, room in L.ROOM_PHRASES.items():
        put(phrase, "room", room)
    for word in L.ROOM_WORDS:
        put(word, "roomword", word)
    for phrase, colour in L.colour_phrases().items():
        put(phrase, "colour", colour)
    for phrase, material in L.material_phrases().items():
        put(phrase, "material", material)
    for phrase, size in L.SIZE_PHRASES.items():
        put(phrase, "size", size)
    for phrase, n in L.NUMBERS.items():
        put(phrase, "number", n)
    for phrase, q in L.QUANTITY_PHRASES.items():
        put(phrase, "quant", q)
    for phrase in ("without", "without a", "without an", "without any"):
        put(phrase, "quant", ("eq", 0))
    for word in L.DEFINITE:
        put(word, "definite", word)
    for phrase, rel in L.RELATION_PHRASES.items():
        put(phrase, "rel", rel)
    for word, arch in L.ARCH_WORDS.items():
        put(word, "arch", arch)
    for word, side in L.WALL_SIDES.items():
        put(word, "side", side)
    for word in L.PRONOUNS:
        put(word, "pron", word)
    for phrase in L.POST_MODIFIERS:
        put(phrase, "post", phrase)
    for word in L.BREAK_WORDS:
        put(word, "break", word)
    for word in L.RESET_WORDS:
        put(word, "reset", word)
    for key, text in _prior_phrases():
        if key not in table:  # the prior never takes a phrase from the catalog or the other word lists
            put(key, "object", UNRESOLVED + text)
    return table, max(len(k) for k in table)


def _prior_phrases() -> list[tuple[tuple[str, ...], str]]:
    """(normalised phrase, entry name) for every name, synonym and plural of the size prior."""
    from scene_gym.assets.size_prior import prior_entries

    return [(L.normalise_words(t), e.name) for e in prior_entries() for t in (e.name, *e.synonyms, *e.plurals)]


_PRIORITY = ("rel", "room", "object", "colour", "material", "size", "quant", "number", "definite", "arch",
             "side", "pron", "post", "roomword", "break", "reset")  # fmt: skip


def size_hint(text: str) -> tuple[SizeHint | None, str]:
    """Room dimensions and area from ``text`` (lowercase), and the text with those numbers masked."""
    width = depth = area = None
    masked = text

    def mask(m: re.Match) -> None:
        nonlocal masked
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]

    m = _DIMS.search(text)
    if m:
        a, ua, b, ub = float(m.group(1)), m.group(2), float(m.group(3)), m.group(4)
        unit = ub or ua or "m"
        scale = FEET if unit in ("ft", "feet", "foot", "'") else 1.0
        if 0 < a * scale <= 200 and 0 < b * scale <= 200:
            width, depth = round(a * scale, 4), round(b * scale, 4)
        mask(m)
    m = _AREA.search(masked)
    if m:
        value = float(m.group(1)) * (0.09290304 if "f" in m.group(2) else 1.0)
        if 0 < value <= 40_000:
            area = round(value, 4)
        mask(m)
    for m in list(_MEASURE.finditer(masked)):
        mask(m)
    hint = SizeHint(width, depth, area) if (width or area) else None
    return hint, masked


def match_phrases(words: list[str], table, longest: int) -> list[Item]:
    """Longest-first phrase matching; unknown words are dropped."""
    stems = [L.stem(w) for w in words]
    items: list[Item] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _SENTENCE_END or w in _CLAUSE_END:
            items.append(Item("punct", w, i, i + 1))
            i += 1
            continue
        found = None
        for n in range(min(longest, len(words) - i), 0, -1):
            cands = table.get(tuple(stems[i : i + n]))
            if cands:
                found = (n, cands)
                break
        if found is None:
            if w.replace(".", "", 1).isdigit():
                try:
                    value = float(w)
                except ValueError:
                    value = -1.0
                if value.is_integer() and 0 <= value <= 10_000:
                    items.append(Item("number", int(value), i, i + 1))
            i += 1
            continue
        n, cands = found
        kinds = {k: v for k, v in reversed(cands)}  # first entry of a kind wins
        kind = next(k for k in _PRIORITY if k in kinds)
        item = Item(kind, kinds[kind], i, i + n, plural=L.is_plural(words[i + n - 1]))
        if kind == "object":
            for alt in ("colour", "material"):
                if alt in kinds:
                    item.alt = (alt, kinds[alt])
                    break
        items.append(item)
        i += n
    return items


def head_final(items: list[Item]) -> list[Item]:
    """Of adjacent catalog nouns the last is the head: earlier ones become modifiers or are dropped."""
    out: list[Item] = []
    for k, item in enumerate(items):
        if item.kind == "object":
            j, end = k + 1, item.end
            while j < len(items) and items[j].start == end and items[j].kind in ("colour", "material", "size"):
                end = items[j].end
                j += 1
            if j < len(items) and items[j].start == end and items[j].kind == "object":
                if item.alt:
                    out.append(Item(item.alt[0], item.alt[1], item.start, item.end))
                continue
        out.append(item)
    return out


def in_room(category: str, room: str) -> bool:
    from scene_gym.assets import factories

    f = factories().get(category)
    return f is None or not f.rooms or room in f.rooms


@lru_cache(maxsize=1024)
def for_room(category: str, phrase: tuple[str, ...], room: str) -> str:
    """``category``, or a catalog match for ``phrase`` that belongs in ``room`` when ``category`` does not."""
    from scene_gym.assets import factories, search
    from scene_gym.errors import UnknownCategoryError

    if in_room(category, room):
        return category
    head = phrase[-1]
    all_f = factories()
    try:
        matches = search(" ".join(phrase), limit=12)
    except UnknownCategoryError:
        return category
    for m in matches:
        f = all_f.get(m.category)
        if f is None or room not in f.rooms:
            continue
        words = set(L.normalise_words(m.category)) | {w for s in f.synonyms for w in L.normalise_words(s)}
        if head in words:
            return m.category
    return category


def assign_clauses(items: list[Item]) -> None:
    clause = sentence = 0
    for item in items:
        item.clause, item.sentence = clause, sentence
        if item.kind == "punct":
            clause += 1
            if item.value in _SENTENCE_END:
                sentence += 1
        elif item.kind == "break":
            clause += 1


def phrase_at(words: list[str], start: int) -> tuple[str, ...]:
    """The longest catalog phrase starting at word ``start`` (stemmed)."""
    from scene_gym.assets import factories

    stems = [L.stem(w) for w in words[start : start + MAX_PHRASE]]
    table = L.object_phrases(len(factories()))
    for n in range(len(stems), 0, -1):
        if tuple(stems[:n]) in table:
            return tuple(stems[:n])
    return tuple(stems[:1])
