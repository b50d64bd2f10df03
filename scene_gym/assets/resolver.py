"""Honest look-up of a catalog category from a name: :func:`resolve_name` -> :class:`Resolution`.

A name that does not mean a catalog category comes back **unresolved** (``category=None``) instead of the
nearest keyword hit: "pottery wheel", "easel", "kiln" or "bean bag chair" are not a car, a whiteboard, nothing
or a dining chair. No network, no model weights; deterministic.

How a name is read (words lowercased, apostrophes dropped, hyphens and underscores split, plurals folded):

1. **Exact key.** ``"dining_table"``, ``"Dining Table"`` or ``"dining-table"`` is the category itself.
2. **Whole phrase.** The name without stop words (articles, numbers, "of", "with"...) equals a category's own
   name (``how="exact"``, score :data:`EXACT`) or one of its synonyms (``how="synonym"``, score
   :data:`SYNONYM`): "couch" -> sofa, "chest of drawers" -> dresser, "book shelf" -> bookshelf (spaces are
   ignored in this comparison). Then the same for the part before the first preposition ("vase of flowers" ->
   vase), then for the name without describing words before its last word (colours, materials, size and style
   adjectives, words ending in -ed/-ful/-ous/-able/-ible: "light grey fabric couch" -> couch).
3. **Head noun.** English noun phrases are head-final: the last content word is the head ("bike stand" is a
   stand, not a bike). A category competes only through a name or synonym with the same last word (or, for a
   misspelt head (5+ letters against 4+) that the size prior does not know as a word of its own, a last word within one
   edit, two from 8 letters: OSA distance by rapidfuzz; "sofaa", "wardobe"). Its score is :data:`HEAD` times:

   - per query word before the head that the phrase has: 1 (a misspelling of one, when the size prior does not
     know the word: its similarity);
   - per query word before the head that the phrase lacks but the category's other names, description or
     one-word room types ("office desk") have: :data:`WEAK`; per one it lacks entirely: :data:`UNEXPLAINED` ("bean bag chair" against
     "chair": 0.9 x 0.5 x 0.5);
   - per word of the phrase before its head that the query lacks: :data:`MISSING` ("bike" against "stationary
     bike" is 0.54: a more specific phrase never stands in for a bare head);
   - the head's similarity when misspelt (``1 - edits / length``; ``how="fuzzy"``, else ``how="head"``);
   - :data:`AMBIGUOUS` when another category reaches the same score (within 0.01) this way ("a stand": tv
     stand, shoe stand, towel stand...).

4. **Weak hints** only rank (for :func:`search` and the alternatives) and never resolve: a non-head query word in
   a category's names scores up to :data:`OTHER_WORD`, in its description up to :data:`DESCRIPTION` (times the
   share of query words found).

The best score at or above :data:`RESOLVE_THRESHOLD` resolves; under it the name is unresolved and
``alternatives`` holds the closest categories with their scores (ties: alphabetical). Only the first
:data:`MAX_QUERY_CHARS` characters and :data:`MAX_QUERY_WORDS` content words are read, so the cost is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scene_gym.errors import AssetError

RESOLVE_THRESHOLD = 0.6
"""Scores under this are *unresolved*: no substitute is made."""
EXACT = 1.0
SYNONYM = 0.95
HEAD = 0.9
WEAK = 0.9
UNEXPLAINED = 0.5
MISSING = 0.6
AMBIGUOUS = 0.8
OTHER_WORD = 0.3
DESCRIPTION = 0.1
MAX_QUERY_CHARS = 256
MAX_QUERY_WORDS = 12
N_ALTERNATIVES = 5
HOWS = ("exact", "synonym", "head", "fuzzy", "unresolved")

_WORD = re.compile(r"[a-z0-9]+")
_NOT_PLURAL = {"glass", "canvas", "bus", "gas", "series", "news", "chaos", "lens", "christmas", "this", "is", "has",
               "was", "its", "us", "yes", "plus", "always", "perhaps", "bonus", "cactus", "dress", "various",
               "famous", "lots", "less", "across", "towards", "afterwards", "upwards", "besides", "sides",
               "his", "hers", "ours", "yours", "theirs", "whereas", "chess", "mattress", "iris", "atlas",
               "octopus", "walrus", "papyrus", "abacus", "bonsai"}  # fmt: skip
_STOP = {
    "a", "an", "the", "of", "with", "and", "or", "for", "in", "on", "to", "some", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "seat", "seater", "style", "set", "piece", "made", "by",
    "near", "at", "from", "my", "our", "your", "this", "that", "these", "those", "pair", "couple", "type", "kind",
    "sort", "another", "more", "few", "several", "many", "room", "x",
}  # fmt: skip
_PREPOSITIONS = ("of", "with", "for", "in", "on", "from", "by", "at", "to", "near", "under", "beside", "against",
                 "without", "inside", "behind", "next", "holding", "full")  # fmt: skip
_STYLE = {
    "small", "large", "big", "tall", "short", "wide", "narrow", "long", "low", "tiny", "huge", "giant",
    "little", "mini", "compact", "slim", "thin", "thick", "deep", "shallow", "round", "square", "rectangular",
    "oval", "modern", "contemporary", "vintage", "antique", "rustic", "industrial", "classic", "traditional",
    "minimalist", "minimal", "cozy", "cosy", "comfy", "comfortable", "elegant", "simple", "plain", "fancy",
    "luxury", "cheap", "sturdy", "soft", "hard", "heavy", "new", "old", "nice", "pretty", "beautiful", "stylish",
    "sleek", "chic", "retro", "scandinavian", "nordic", "ornate", "cute", "clean", "shiny", "matte", "glossy",
    "dark", "bright", "pale", "striped", "plaid", "floral", "single", "double", "spare", "extra", "main",
    "good", "great", "lovely", "solid", "empty",
}  # fmt: skip
_ADJ_SUFFIX = ("ed", "ful", "ous", "able", "ible")


@dataclass(frozen=True)
class Match:
    """One ranked category: ``score`` in [0, 1], higher is better (see the module docstring)."""

    category: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """What a name means in the catalog.

    Attributes:
        query: the text asked for, as given.
        category: the catalog category, or None when unresolved.
        score: in [0, 1]; at least :data:`RESOLVE_THRESHOLD` when resolved.
        how: ``"exact"``, ``"synonym"``, ``"head"``, ``"fuzzy"`` or ``"unresolved"``.
        alternatives: the next best categories (the closest ones when unresolved), best first, at most
            :data:`N_ALTERNATIVES`, each with a score > 0.
    """

    query: str
    category: str | None
    score: float
    how: str
    alternatives: tuple[Match, ...] = ()

    @property
    def resolved(self) -> bool:
        """True when ``category`` is set."""
        return self.category is not None

    def to_dict(self) -> dict:
        """``{"query", "category", "score", "how", "alternatives": [{"category", "score"}]}``."""
        return {"query": self.query, "category": self.category, "score": self.score, "how": self.how,
                "alternatives": [{"category": m.category, "score": m.score} for m in self.alternatives]}  # fmt: skip


# --- words --------------------------------------------------------------------------------------------------
def stem(word: str) -> str:
    """Fold an English plural to its singular (``"benches"`` -> ``"bench"``, ``"shelves"`` -> ``"shelf"``); other
    words pass unchanged. Deliberately simple: the same folding runs on prompts (:mod:`scene_gym.spec.lexicon`
    uses this function), phrases and catalog names."""
    if word in _NOT_PLURAL or len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ves") and word not in ("drives", "curves"):
        return word[:-3] + "f"
    for suffix in ("ches", "shes", "sses", "xes", "zes"):
        if word.endswith(suffix):
            return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    """Lowercase words of ``text`` (apostrophes dropped, hyphens and underscores split), plurals folded."""
    text = text.lower().replace("\u2019", "'").replace("'", "").replace("_", " ")
    return tuple(stem(w) for w in _WORD.findall(text))


def content(ws: tuple[str, ...]) -> tuple[str, ...]:
    """``ws`` without stop words and bare numbers."""
    return tuple(w for w in ws if w not in _STOP and not w.isdigit())


@lru_cache(maxsize=1)
def _describing() -> frozenset[str]:
    from scene_gym.assets.materials import BASE_MATERIALS, COLOURS, MATERIAL_SYNONYMS

    out = set(_STYLE)
    for phrase in (*COLOURS, *MATERIAL_SYNONYMS, *BASE_MATERIALS):
        out.update(words(phrase))
    return frozenset(out)


def is_describing(word: str) -> bool:
    """Whether ``word`` describes rather than names (colour, material, size or style word, adjective ending)."""
    return word in _describing() or (len(word) > 4 and word.endswith(_ADJ_SUFFIX))


# --- index --------------------------------------------------------------------------------------------------
@dataclass
class _Entry:
    vocab: set  # words of the category's names and synonyms
    hints: set  # words of its description and its one-word room types ("office", not "medical")


@lru_cache(maxsize=1)
def _index():
    from scene_gym.assets.factory import factories

    phrases: dict[tuple[str, ...], list[tuple[str, bool]]] = {}
    compact: dict[str, list[tuple[str, bool]]] = {}
    by_head: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    entries: dict[str, _Entry] = {}
    for name, f in factories().items():
        own = content(words(name))
        syns = [content(words(s)) for s in f.synonyms]
        entries[name] = _Entry(
            {w for p in (own, *syns) for w in p},
            set(content(words(f.description))) | {r for r in f.rooms if " " not in r},
        )
        for k, p in enumerate((own, *syns)):
            if not p:
                continue
            phrases.setdefault(p, []).append((name, k == 0))
            compact.setdefault("".join(p), []).append((name, k == 0))
            by_head.setdefault(p[-1], []).append((name, p))
    return phrases, compact, by_head, entries


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Words the size prior knows as object nouns: a real word is not a misspelling of a catalog word."""
    from scene_gym.assets.size_prior import prior_words

    return prior_words()


def refresh() -> None:
    """Forget the look-up index and cached answers (call after registering or removing categories)."""
    _index.cache_clear()
    _resolve_cached.cache_clear()


# --- scoring ------------------------------------------------------------------------------------------------
def _similar(a: str, b: str) -> float:
    """1 for equal words; ``1 - edits / length`` for a misspelling (module docstring); else 0."""
    if a == b:
        return 1.0
    n = max(len(a), len(b))
    if n < 5 or min(len(a), len(b)) < 4:
        return 0.0
    from rapidfuzz.distance import OSA

    limit = 2 if n >= 8 else 1
    d = OSA.distance(a, b, score_cutoff=limit)
    return 1.0 - d / n if d <= limit else 0.0


def _phrase_hit(key: tuple[str, ...], phrases, compact) -> tuple[str, float, str] | None:
    hits = phrases.get(key) or compact.get("".join(key))
    if not hits:
        return None
    own = [c for c, is_own in hits if is_own]
    if own:
        return own[0], EXACT, "exact"
    return sorted(c for c, _ in hits)[0], SYNONYM, "synonym"


def _head_score(core: tuple[str, ...], phrase: tuple[str, ...], entry: _Entry, head_sim: float) -> float:
    score = HEAD * head_sim
    free = list(phrase[:-1])
    known = _known_words()
    for w in core[:-1]:
        best = max(
            (((1.0 if w == p else 0.0) if w in known else _similar(w, p), p) for p in free), default=(0.0, "")
        )
        if best[0] > 0:
            score *= best[0]
            free.remove(best[1])
        elif w in entry.vocab or w in entry.hints:
            score *= WEAK
        else:
            score *= UNEXPLAINED
    return score * MISSING ** len(free)


def _head_matches(core: tuple[str, ...], by_head, entries) -> dict[str, tuple[float, str]]:
    head = core[-1]
    heads = {head: 1.0} if head in by_head else {}
    if not heads and head not in _known_words():
        heads = {h: s for h in by_head if (s := _similar(head, h)) > 0}
    out: dict[str, tuple[float, str]] = {}
    for h, sim in heads.items():
        how = "head" if sim == 1.0 else "fuzzy"
        for category, phrase in by_head[h]:
            s = _head_score(core, phrase, entries[category], sim)
            if s > out.get(category, (0.0, ""))[0]:
                out[category] = (s, how)
    if out:
        ranked = sorted(out.items(), key=lambda kv: (-kv[1][0], kv[0]))
        if len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < 0.01:
            for c, (s, how) in ranked:
                if ranked[0][1][0] - s < 0.01:
                    out[c] = (s * AMBIGUOUS, how)
    return out


def _weak_matches(ws: tuple[str, ...], entries) -> dict[str, float]:
    out = {}
    for category, e in entries.items():
        named = sum(1 for w in ws if w in e.vocab)
        hinted = sum(1 for w in ws if w in e.hints)
        s = max(OTHER_WORD * named, DESCRIPTION * hinted) / len(ws)
        if s > 0:
            out[category] = s
    return out


def _rank(text: str) -> tuple[list[tuple[str, float, str]], tuple[str, float, str] | None]:
    """All scored categories (best first) and the whole-phrase hit, if any."""
    from scene_gym.assets.factory import factories

    phrases, compact, by_head, entries = _index()
    raw = text[:MAX_QUERY_CHARS]
    key = raw.lower().strip().replace(" ", "_").replace("-", "_")
    exact = (key, EXACT, "exact") if key in factories() else None
    ws = words(raw)
    full = content(ws)[:MAX_QUERY_WORDS]
    if not full:
        return ([exact], exact) if exact else ([], None)
    cut = next((i for i, w in enumerate(ws) if w in _PREPOSITIONS and content(ws[:i])), len(ws))
    before = content(ws[:cut])[:MAX_QUERY_WORDS] or full
    core = tuple(w for w in before[:-1] if not is_describing(w)) + before[-1:]
    hit = exact
    for k in () if exact else (full, before, core):
        hit = _phrase_hit(k, phrases, compact)
        if hit:
            break
    scores: dict[str, tuple[float, str]] = {c: (s, "weak") for c, s in _weak_matches(full, entries).items()}
    for c, (s, how) in _head_matches(core, by_head, entries).items():
        if s > scores.get(c, (0.0, ""))[0]:
            scores[c] = (s, how)
    if hit:
        scores[hit[0]] = (hit[1], hit[2])
    ranked = sorted(
        ((c, round(s, 4), how) for c, (s, how) in scores.items() if s > 0), key=lambda t: (-t[1], t[0])
    )
    return ranked, hit


@lru_cache(maxsize=4096)
def _resolve_cached(text: str) -> Resolution:
    ranked, _hit = _rank(text)
    if ranked and ranked[0][1] >= RESOLVE_THRESHOLD and ranked[0][2] != "weak":
        best = ranked[0]
        alts = tuple(Match(c, s) for c, s, _ in ranked[1 : 1 + N_ALTERNATIVES])
        return Resolution(text, best[0], best[1], best[2], alts)
    alts = tuple(Match(c, s) for c, s, _ in ranked[:N_ALTERNATIVES])
    return Resolution(text, None, ranked[0][1] if ranked else 0.0, "unresolved", alts)


def resolve_name(text: str) -> Resolution:
    """The catalog category meant by ``text``, or an unresolved :class:`Resolution` (module docstring).

    Never raises on a string; a non-string raises :class:`~scene_gym.errors.AssetError` naming its type.
    """
    if not isinstance(text, str):
        raise AssetError(f"name: expected text naming an object, got {type(text).__name__}")
    return _resolve_cached(text)


def rank(text: str) -> list[Match]:
    """Every category with a score > 0 for ``text``, best first (ties alphabetical); [] when nothing scores."""
    if not isinstance(text, str):
        raise AssetError(f"name: expected text naming an object, got {type(text).__name__}")
    return [Match(c, s) for c, s, _ in _rank(text)[0]]
