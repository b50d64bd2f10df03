"""A rule-based prompt parser: ``parse_prompt(text) -> TaskSpec``. No model, no network, deterministic.

How a prompt is read (word lists in :mod:`scene_gym.spec.lexicon`):

1. **Room size.** ``4 x 5 m``, ``4m by 5m``, ``12 by 14 feet`` give width and depth (feet converted to
   metres); ``20 square metres``, ``20 m2``, ``200 sq ft`` give the floor area; those numbers are then masked
   so they are not read as counts. A size word before the room ("a small bedroom", "a spacious room") gives
   the scale.
2. **Phrases.** The prompt's words (lowercase, plurals folded) are matched longest-first against one table of
   phrases: room types, catalog categories and their synonyms ("double bed" -> ``bed``), colours, materials,
   size words, numbers and quantifiers, relation phrases, wall sides. Unknown words are skipped. Of two
   catalog nouns in a row the last is the head ("book shelf" -> bookshelf, "light grey sofa" -> a grey sofa).
   The first room phrase gives the room type; a generic noun whose category does not belong in that room is
   swapped for a catalog match that does ("sink" in a bathroom -> ``bathroom_sink``).
3. **Noun phrases.** A catalog noun takes the quantity and the colour/material/size words before it in the
   same noun phrase ("two grey fabric armchairs": ``eq 2 armchair``, grey, fabric), and colour or material
   words after it through "in", "made of", "is"... ("a sofa in green velvet"). Counts: a number or "a"/"one"
   -> exactly; "at least N" -> at least; "at most N"/"up to N" -> at most; "more than N" -> at least N+1;
   "fewer than N" -> at most N-1; "a few" -> at least 2; "several" -> at least 3; "no"/"without" -> exactly 0;
   a bare plural -> at least 2; a bare singular -> at least 1. "the"/"each"/"its"... refer back to an object
   already mentioned and add nothing (a first mention of "the bed" asks for exactly one). Repeated indefinite
   mentions add up ("a chair ... another chair" -> exactly 2).
4. **Relations.** A relation phrase links the last object before it in the clause (or, when the clause
   starts with the phrase, the object after its target: "Next to the bed, place a nightstand") to what
   follows: a wall ("against the back wall" -> ``against_wall`` with ``wall="back"``; ``on_wall`` for wall
   objects), the ceiling (``on_ceiling``), or an object (``next_to``, ``near``, ``facing``, ``across_from``
   for "opposite", ``on_top_of``, ``under``, ``in_front_of``, ``behind``, ``left_of``, ``right_of``,
   ``far``). "in the corner" -> ``in_corner``; "at the center" -> ``middle``; "X surrounded by Y" and "Y
   around X" -> ``around(subject=Y, target=X)``; "X flanked by Y" -> ``next_to(Y, X)``; "X between A and B"
   -> ``next_to(X, A)`` and ``next_to(X, B)``; "A and B side by side" / "facing each other" / "back to back"
   -> ``side_by_side(A, B)`` / ``across_from(A, B)`` / ``back_to_back(A, B)`` (``(A, A)`` for "two armchairs
   side by side"); "X with Y" where Y is a small object that stands on surfaces -> ``on_top_of(Y, X)``
   ("a desk with a laptop"). "it"/"them" refer to the object before the subject.

The parser never raises on text; only a non-string or one longer than :data:`MAX_PROMPT_CHARS` raises
:class:`~scene_gym.spec.model.SpecError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from scene_gym.spec import lexicon as L
from scene_gym.spec.model import Attribute, ObjectCount, RelationSpec, SizeHint, SpecError, TaskSpec

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
_MODIFIER_KINDS = ("colour", "material", "size")


@dataclass
class _Item:
    kind: str
    value: Any
    start: int
    end: int
    plural: bool = False
    alt: tuple | None = None  # (kind, value) when a catalog noun may also be a colour/material word
    clause: int = 0
    sentence: int = 0


@dataclass
class _Mention:
    category: str
    quantifier: str | None  # None: definite reference
    count: int
    plural: bool
    start: int
    clause: int
    sentence: int
    attrs: list = field(default_factory=list)


@lru_cache(maxsize=4)
def _table(catalog_size: int) -> tuple[dict[tuple[str, ...], list[tuple[str, Any]]], int]:
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
    return table, max(len(k) for k in table)


_PRIORITY = ("rel", "room", "object", "colour", "material", "size", "quant", "number", "definite", "arch",
             "side", "pron", "post", "roomword", "break", "reset")  # fmt: skip


def _size_hint(text: str) -> tuple[SizeHint | None, str]:
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


def _match(words: list[str], table, longest: int) -> list[_Item]:
    """Longest-first phrase matching; unknown words are dropped."""
    stems = [L.stem(w) for w in words]
    items: list[_Item] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _SENTENCE_END or w in _CLAUSE_END:
            items.append(_Item("punct", w, i, i + 1))
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
                    items.append(_Item("number", int(value), i, i + 1))
            i += 1
            continue
        n, cands = found
        kinds = {k: v for k, v in reversed(cands)}  # first entry of a kind wins
        kind = next(k for k in _PRIORITY if k in kinds)
        item = _Item(kind, kinds[kind], i, i + n, plural=L.is_plural(words[i + n - 1]))
        if kind == "object":
            for alt in ("colour", "material"):
                if alt in kinds:
                    item.alt = (alt, kinds[alt])
                    break
        items.append(item)
        i += n
    return items


def _head_final(items: list[_Item]) -> list[_Item]:
    """Of adjacent catalog nouns the last is the head: earlier ones become modifiers or are dropped."""
    out: list[_Item] = []
    for k, item in enumerate(items):
        if item.kind == "object":
            j, end = k + 1, item.end
            while j < len(items) and items[j].start == end and items[j].kind in ("colour", "material", "size"):
                end = items[j].end
                j += 1
            if j < len(items) and items[j].start == end and items[j].kind == "object":
                if item.alt:
                    out.append(_Item(item.alt[0], item.alt[1], item.start, item.end))
                continue
        out.append(item)
    return out


def _in_room(category: str, room: str) -> bool:
    from scene_gym.assets import factories

    f = factories().get(category)
    return f is None or not f.rooms or room in f.rooms


@lru_cache(maxsize=1024)
def _for_room(category: str, phrase: tuple[str, ...], room: str) -> str:
    """``category``, or a catalog match for ``phrase`` that belongs in ``room`` when ``category`` does not."""
    from scene_gym.assets import factories, search
    from scene_gym.errors import UnknownCategoryError

    if _in_room(category, room):
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


def _assign_clauses(items: list[_Item]) -> None:
    clause = sentence = 0
    for item in items:
        item.clause, item.sentence = clause, sentence
        if item.kind == "punct":
            clause += 1
            if item.value in _SENTENCE_END:
                sentence += 1
        elif item.kind == "break":
            clause += 1


def _mentions(items: list[_Item], words: list[str]) -> tuple[list, str | None, str | None]:
    """Turn items into a sequence where object nouns became :class:`_Mention`; also the room type and scale."""
    seq: list = []
    room_type = scale = None
    quant: tuple[str, int | None] | None = None
    definite = False
    mods: list[tuple[str, str]] = []
    last_start = -10
    last: _Mention | None = None
    post = False

    def reset():
        nonlocal quant, definite, mods
        quant, definite, mods = None, False, []

    for item in items:
        if item.start - last_start > 4 and (quant or mods or definite):
            reset()  # too far from its noun
        if item.kind == "object":
            plural = item.plural
            if definite and quant is None:
                q, c = None, 0
            elif quant is None:
                q, c = ("ge", 2) if plural else ("ge", 1)
            else:
                q, c = quant
                if c is None:
                    q, c = ("ge", 2) if plural else ("ge", 1)
                elif q == "gt":
                    q, c = "ge", c + 1
                elif q == "lt":
                    q, c = ("le", c - 1) if c > 0 else ("eq", 0)
                elif q == "eq" and c == 1 and plural and not definite:
                    q, c = "ge", 2  # "a chairs" is a typo; trust the plural
            last = _Mention(item.value, q, c, plural, item.start, item.clause, item.sentence, list(mods))
            seq.append(last)
            reset()
            post = False
            last_start = item.end
            continue
        if post and last is not None and item.kind in _MODIFIER_KINDS:
            last.attrs.append((item.kind, item.value))
            last_start = item.end
            continue
        if item.kind == "post" and last is not None and seq and seq[-1] is last:
            post = True
            last_start = item.end
            continue
        if item.kind in ("quant",) and not (post and item.value == ("eq", 1)):
            if quant is not None and quant[1] == 0 and item.value[1] in (1, None) and item.value[0] != "le":
                pass  # "without a" / "no more than": keep the negation
            else:
                quant = item.value
            last_start = item.end
            continue
        if item.kind == "number":
            if quant is not None and quant[1] is None:
                quant = (quant[0], int(item.value))
            elif quant is not None and quant[1] == 0:
                pass
            else:
                quant = ("eq", int(item.value))
            last_start = item.end
            continue
        if item.kind == "definite":
            definite = True
            last_start = item.end
            continue
        if item.kind in _MODIFIER_KINDS:
            mods.append((item.kind, item.value))
            last_start = item.end
            continue
        if item.kind in ("room", "roomword"):
            if item.kind == "room" and room_type is None:
                room_type = item.value
            sizes = [v for k, v in mods if k == "size" and v in ("small", "large")]
            if sizes and scale is None:
                scale = sizes[-1]
            reset()
            post = False
            seq.append(item)
            continue
        # Anything else ends the noun phrase and any post-modifier run.
        post = False
        if item.kind in ("reset", "rel", "punct", "break", "arch", "pron"):
            if not (item.kind == "reset" and item.value in ("of",) and quant is not None):
                reset()
        seq.append(item)
    return seq, room_type, scale


def _is_mention(x) -> bool:
    return isinstance(x, _Mention)


def _relations(seq: list) -> list[RelationSpec]:
    from scene_gym.assets import factories

    all_f = factories()
    out: list[RelationSpec] = []

    def placement(cat: str) -> str:
        f = all_f.get(cat)
        return f.placement if f is not None else "floor"

    def small(cat: str) -> bool:
        f = all_f.get(cat)
        return bool(f and (f.small or f.placement == "surface"))

    def add(rel: str, subject: str, target: str | None = None, wall: str | None = None) -> None:
        if target == subject and rel not in ("side_by_side", "back_to_back", "across_from"):
            return
        spec = RelationSpec(rel, subject, target, wall)
        if spec not in out:
            out.append(spec)

    def back(p: int, clause: int) -> int | None:
        """Index of the last mention before ``p`` in ``clause``."""
        for k in range(p - 1, -1, -1):
            if seq[k].clause != clause:
                return None
            if _is_mention(seq[k]):
                return k
        return None

    def forward(p: int, sentence: int, limit: int = 7):
        """(kind, value, index, sides) of the first mention, architecture word or pronoun after ``p``."""
        sides: list[str] = []
        for k in range(p + 1, min(len(seq), p + 1 + limit)):
            x = seq[k]
            if x.sentence != sentence:
                break
            if _is_mention(x):
                return "mention", x, k, sides
            if x.kind in ("arch", "pron"):
                return x.kind, x.value, k, sides
            if x.kind == "side":
                sides.append(x.value)
            elif x.kind in ("rel", "punct", "room", "break"):
                break
        return None, None, None, sides

    def next_mention(k: int, sentence: int) -> int | None:
        for j in range(k + 1, len(seq)):
            if seq[j].sentence != sentence:
                return None
            if _is_mention(seq[j]):
                return j
        return None

    def antecedent(k: int, exclude: str) -> _Mention | None:
        """What "it"/"them" stands for: the last mention before index ``k`` of another category."""
        sentence = seq[k].sentence
        for j in range(k - 1, -1, -1):
            if seq[j].sentence < sentence - 1:
                return None
            if _is_mention(seq[j]) and seq[j].category != exclude:
                return seq[j]
        return None

    def coordinated(k: int) -> list[str]:
        """The subject at ``k`` and those joined to it by "and"/"or" ("3 plates and 2 mugs on the table")."""
        cats = [seq[k].category]
        j = k - 1
        while j >= 1 and not _is_mention(seq[j]) and seq[j].kind == "reset" and seq[j].value in ("and", "or"):
            if not _is_mention(seq[j - 1]) or seq[j - 1].clause != seq[k].clause:
                break
            cats.insert(0, seq[j - 1].category)
            j -= 2
        return cats

    def binary(word: str, s: str, t: str, k_t: int, sentence: int) -> None:
        simple = {"next_to": "next_to", "near": "near", "across_from": "across_from", "facing": "facing",
                  "under": "under", "in_front_of": "in_front_of", "behind": "behind", "left_of": "left_of",
                  "right_of": "right_of", "far": "far", "against": "next_to", "side_by_side": "side_by_side",
                  "back_to_back": "back_to_back", "facing_each_other": "across_from", "on": "on_top_of",
                  "around": "around"}  # fmt: skip
        if word in simple:
            add(simple[word], s, t)
        elif word == "surrounded_by":
            add("around", t, s)
        elif word == "flanked_by":
            add("next_to", t, s)
        elif word == "with":
            if small(t) and not small(s) and placement(s) == "floor":
                add("on_top_of", t, s)
        elif word == "between":
            add("next_to", s, t)
            kind, val, _, _ = forward(k_t, sentence, limit=4)
            if kind == "mention":
                add("next_to", s, val.category)

    for p, x in enumerate(seq):
        if _is_mention(x) or x.kind != "rel":
            continue
        word, sentence = x.value, x.sentence
        k_s = back(p, x.clause)
        kind, val, k_t, sides = forward(p, sentence)
        if k_s is None:
            # A fronted phrase: "Next to the bed, place a nightstand" / "In the corner, a floor lamp".
            if kind == "mention" and word in ("in_corner", "middle"):
                add(word, val.category)
                continue
            if kind == "mention" and word != "with":
                k_after = next_mention(k_t, sentence)
                if k_after is not None:
                    binary(word, seq[k_after].category, val.category, k_t, sentence)
                    continue
            if p > 0 and not _is_mention(seq[p - 1]) and seq[p - 1].kind == "punct":
                k_s = back(p - 1, seq[p - 1].clause)  # "a sofa, facing the TV"
            if k_s is None:
                continue
        subj = seq[k_s]
        if kind == "pron":
            val = antecedent(k_s, subj.category) if val in ("it", "them") else None
            kind = "mention" if val is not None else None
        if word in ("facing_each_other", "side_by_side", "back_to_back") and kind != "mention":
            other = None
            for j in range(k_s - 1, -1, -1):
                y = seq[j]
                if y.clause != subj.clause or (not _is_mention(y) and y.kind == "rel"):
                    break
                if _is_mention(y):
                    other = y
                    break
            rel = "across_from" if word == "facing_each_other" else word
            if other is not None:
                add(rel, other.category, subj.category)
            elif subj.plural or subj.count >= 2:
                add(rel, subj.category, subj.category)
            continue
        if word in ("in_corner", "middle"):
            add(word, subj.category)
        elif kind == "mention":
            subjects = [subj.category]
            if word == "facing":
                subjects = coordinated(k_s)
            elif word == "on" and small(subj.category):
                subjects = [c for c in coordinated(k_s) if small(c)]
            for s_cat in subjects:
                binary(word, s_cat, val.category, k_t, sentence)
        elif kind == "arch":
            side = sides[-1] if sides else None
            where = placement(subj.category)
            if val == "wall" and word in ("against", "on", "next_to", "near"):
                if where == "wall" or (word == "on" and where != "floor"):
                    add("on_wall", subj.category, wall=side)
                else:
                    add("against_wall", subj.category, wall=side)
            elif val == "ceiling" and word == "on":
                add("on_ceiling", subj.category)
            elif val == "corner" and word in ("near", "next_to", "against"):
                add("in_corner", subj.category)
    return out


def _merge_counts(mentions: list[_Mention]) -> list[ObjectCount]:
    lo: dict[str, int] = {}
    hi: dict[str, int | None] = {}
    order: list[str] = []
    for m in mentions:
        c = m.category
        if m.quantifier is None:  # definite reference
            if c not in lo:
                order.append(c)
                lo[c], hi[c] = (2, None) if m.plural else (1, 1)
            continue
        if c in lo and m.quantifier != "eq" and m.quantifier != "le" and lo[c] >= m.count:
            continue  # "chairs ... the chairs": a bare repeat adds nothing
        mn = m.count if m.quantifier in ("eq", "ge") else 0
        mx = m.count if m.quantifier in ("eq", "le") else None
        if c not in lo:
            order.append(c)
            lo[c], hi[c] = mn, mx
        else:
            lo[c] += mn
            hi[c] = None if hi[c] is None or mx is None else hi[c] + mx
    out = []
    for c in order:
        mn, mx = min(lo[c], 1000), hi[c]
        if mx is not None and mx == mn:
            out.append(ObjectCount(c, mn, "eq"))
        elif mx is None:
            out.append(ObjectCount(c, mn, "ge"))
        elif mn == 0:
            out.append(ObjectCount(c, min(mx, 1000), "le"))
        else:
            out.append(ObjectCount(c, mn, "ge"))
    return out


def parse_prompt(text: str) -> TaskSpec:
    """Read a task spec from a prompt (rules in the module docstring).

    Example::

        >>> spec = parse_prompt("A bedroom with a double bed against the back wall and two nightstands beside it.")
        >>> [o.to_sceneeval() for o in spec.objects]
        ['eq,1,bed', 'eq,2,nightstand']
        >>> [str(r) for r in spec.relations]
        ['against_wall(bed, wall=back)', 'next_to(nightstand, bed)']

    Raises :class:`SpecError` only for a non-string or a text over :data:`MAX_PROMPT_CHARS` characters.
    """
    if not isinstance(text, str):
        raise SpecError(f"prompt: expected a string, got {type(text).__name__}")
    if len(text) > MAX_PROMPT_CHARS:
        raise SpecError(f"prompt: expected at most {MAX_PROMPT_CHARS} characters, got {len(text)}")
    from scene_gym.assets import factories

    lowered = text.lower().replace("\u2019", "'")
    size, masked = _size_hint(lowered)
    words = L.tokens(masked)
    table, longest = _table(len(factories()))
    items = _head_final(_match(words, table, min(longest, MAX_PHRASE)))
    _assign_clauses(items)
    seq, room_type, scale = _mentions(items, words)
    if room_type is not None:
        for x in seq:
            if _is_mention(x):
                x.category = _for_room(x.category, _phrase_at(words, x.start), room_type)
    mentions = [x for x in seq if _is_mention(x)]
    objects = _merge_counts(mentions)
    attributes: list[Attribute] = []
    for m in mentions:
        for kind, value in m.attrs:
            a = Attribute(m.category, kind, value)
            if a not in attributes:
                attributes.append(a)
    relations = _relations(seq)
    if scale is not None:
        size = SizeHint(size.width, size.depth, size.area, scale) if size else SizeHint(scale=scale)
    return TaskSpec(text, room_type, size, tuple(objects[:256]), tuple(attributes[:256]), tuple(relations[:256]))


def _phrase_at(words: list[str], start: int) -> tuple[str, ...]:
    """The longest catalog phrase starting at word ``start`` (stemmed)."""
    from scene_gym.assets import factories

    stems = [L.stem(w) for w in words[start : start + MAX_PHRASE]]
    table = L.object_phrases(len(factories()))
    for n in range(len(stems), 0, -1):
        if tuple(stems[:n]) in table:
            return tuple(stems[:n])
    return tuple(stems[:1])
