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
   Nouns of the size prior (:mod:`scene_gym.assets.size_prior`: "kiln", "floor cushion", "grand piano") are
   object phrases too, below every other table entry (a phrase the catalog or the word lists already have is
   never taken), so longest-first matching reads "bean bag chair" as one noun, not a chair. Such a noun is
   looked up with :func:`~scene_gym.assets.resolver.resolve_name` (the prompt's words, then the prior's name
   for it): resolved, it is that category; unresolved, it stays a request with ``category=None`` and ``name``
   the prompt's words, singular ("four floor cushions" -> exactly 4 of ``name="floor cushion"``). Unknown
   words that the prior does not know are still skipped ("a reading nook" asks for nothing), and a prior noun
   directly followed by such a word modifies it rather than naming an object ("a bike repair shop"). Relations and
   attributes of unresolved requests are not recorded (they name categories).
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

from scene_gym.spec import lexicon as L
from scene_gym.spec.model import Attribute, ObjectCount, SizeHint, SpecError, TaskSpec
from scene_gym.spec.phrases import (
    MAX_PHRASE,
    MAX_PROMPT_CHARS,
    MODIFIER_KINDS,
    UNRESOLVED,
    Item,
    Mention,
    assign_clauses,
    for_room,
    head_final,
    match_phrases,
    phrase_at,
    phrase_table,
    size_hint,
)
from scene_gym.spec.relation_phrases import is_mention, relations_from


def _mentions(items: list[Item], words: list[str]) -> tuple[list, str | None, str | None]:
    """Turn items into a sequence where object nouns became :class:`Mention`; also the room type and scale."""
    seq: list = []
    room_type = scale = None
    quant: tuple[str, int | None] | None = None
    definite = False
    mods: list[tuple[str, str]] = []
    last_start = -10
    last: Mention | None = None
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
            last = Mention(item.value, q, c, plural, item.start, item.clause, item.sentence, list(mods),
                           _name(words[item.start : item.end]))
            seq.append(last)
            reset()
            post = False
            last_start = item.end
            continue
        if post and last is not None and item.kind in MODIFIER_KINDS:
            last.attrs.append((item.kind, item.value))
            last_start = item.end
            continue
        if item.kind == "post" and last is not None and seq and seq[-1] is last:
            post = True
            last_start = item.end
            continue
        if item.kind in ("quant",) and not (post and item.value == ("eq", 1)):
            keeps_negation = quant is not None and quant[1] == 0 and item.value[1] in (1, None) and item.value[0] != "le"
            if not keeps_negation:  # "without a" / "no more than" keep the negation
                quant = item.value
            last_start = item.end
            continue
        if item.kind == "number":
            if quant is not None and quant[1] is None:
                quant = (quant[0], int(item.value))
            elif quant is None or quant[1] != 0:  # a number after "no"/"without" keeps the zero
                quant = ("eq", int(item.value))
            last_start = item.end
            continue
        if item.kind == "definite":
            definite = True
            last_start = item.end
            continue
        if item.kind in MODIFIER_KINDS:
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


def _prior_heads(items: list[Item], words: list[str]) -> list[Item]:
    """Drop size-prior nouns directly followed by a word nothing matched: they modify an unknown head ("a bike
    repair shop" asks for no bike)."""
    covered = {i for item in items for i in range(item.start, item.end)}

    def modifier(item: Item) -> bool:
        nxt = item.end
        return nxt < len(words) and nxt not in covered and words[nxt].isalpha()

    return [x for x in items if not (x.kind == "object" and str(x.value).startswith(UNRESOLVED) and modifier(x))]


def _name(span: list[str]) -> str:
    """The prompt's words for an object, the last one singular, as an :class:`ObjectCount` name."""
    text = " ".join([*span[:-1], L.stem(span[-1])] if span else [])
    return "".join(ch for ch in text if ch.isascii() and (ch.isalnum() or ch == " "))[:64].strip()


def _ground(mention: Mention) -> str:
    """A size-prior mention's category: the resolver's answer for its words (then for the prior's name), else
    :data:`UNRESOLVED` + its name."""
    from scene_gym.assets.resolver import resolve_name

    prior_name = mention.category[len(UNRESOLVED) :]
    for text in dict.fromkeys((mention.name, prior_name)):
        if text and (res := resolve_name(text)).category is not None:
            return res.category
    return UNRESOLVED + (mention.name or prior_name)


def _merge_counts(mentions: list[Mention]) -> list[ObjectCount]:
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
    names: dict[str, str] = {}
    for m in mentions:
        names.setdefault(m.category, m.name)
    out = []
    for c in order:
        mn, mx = min(lo[c], 1000), hi[c]
        unresolved = c.startswith(UNRESOLVED)
        category, name = (None, c[len(UNRESOLVED) :]) if unresolved else (c, names.get(c) or None)
        if mx is not None and mx == mn:
            q, n = "eq", mn
        elif mx is None:
            q, n = "ge", mn
        elif mn == 0:
            q, n = "le", min(mx, 1000)
        else:
            q, n = "ge", mn
        out.append(ObjectCount(category, n, q, name))
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
    size, masked = size_hint(lowered)
    words = L.tokens(masked)
    table, longest = phrase_table(len(factories()))
    items = _prior_heads(head_final(match_phrases(words, table, min(longest, MAX_PHRASE))), words)
    assign_clauses(items)
    seq, room_type, scale = _mentions(items, words)
    if room_type is not None:
        for x in seq:
            if is_mention(x) and not x.category.startswith(UNRESOLVED):
                x.category = for_room(x.category, phrase_at(words, x.start), room_type)
    mentions = [x for x in seq if is_mention(x)]
    for m in mentions:
        if m.category.startswith(UNRESOLVED):
            m.category = _ground(m)
    objects = _merge_counts(mentions)
    attributes: list[Attribute] = []
    for m in mentions:
        for kind, value in m.attrs if not m.category.startswith(UNRESOLVED) else ():
            a = Attribute(m.category, kind, value)
            if a not in attributes:
                attributes.append(a)
    relations = relations_from(seq)
    if scale is not None:
        size = SizeHint(size.width, size.depth, size.area, scale) if size else SizeHint(scale=scale)
    return TaskSpec(text, room_type, size, tuple(objects[:256]), tuple(attributes[:256]), tuple(relations[:256]))
