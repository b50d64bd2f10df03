"""Text look-up over the asset catalog, with no network and no model weights.

:func:`search` ranks categories for a free-text query such as ``"grey fabric three-seat couch"``. Scoring,
per query word (plurals folded, stop words such as "the", "three" or "small" dropped):

- 3 points when the word is in the category's name or one of its synonyms,
- 1 point when it appears in the description,
- 2 x similarity when it is a close misspelling (difflib ratio >= 0.8) of a name or synonym word;
- colour and material words ("grey", "fabric", "glass", "light") describe rather than name an object, so they
  score only 1 point, and only when they are in a name or synonym ("glass" finds drinking_glass, but "light
  blue sofa" still ranks the sofa first);

plus 2 points for every name or synonym found whole in the query (stop words dropped from both), so that
"closet" ranks wardrobe (synonym "closet") above toilet (synonym "water closet"), and "bowl" ranks bowl above
fruit_bowl. Ties go to the alphabetically first category. A query where nothing scores raises
:class:`~scene_gym.errors.UnknownCategoryError` listing the closest categories.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from scene_gym.assets.materials import BASE_MATERIALS, COLOURS, MATERIAL_SYNONYMS
from scene_gym.errors import UnknownCategoryError

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {
    "a", "an", "the", "of", "with", "and", "or", "for", "in", "on", "to", "some", "small", "large", "big", "tall",
    "short", "wide", "narrow", "modern", "classic", "old", "new", "nice", "one", "two", "three", "four", "five",
    "seat", "seater", "style", "set", "piece", "made", "by", "near", "at", "from",
}  # fmt: skip


@dataclass(frozen=True)
class Match:
    """One search result: a category and its score (higher is better)."""

    category: str
    score: float


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower().replace("_", " "))]


def _content(text: str) -> tuple[str, ...]:
    """The words of ``text`` that can name something: stemmed, stop words dropped."""
    return tuple(w for w in _words(text) if w not in _STOP)


#: Colour and material words (stemmed like query words): they describe an object more often than they name it.
_MODIFIERS = {w for phrase in (*COLOURS, *MATERIAL_SYNONYMS, *BASE_MATERIALS) for w in _words(phrase)}


@lru_cache(maxsize=1)
def _index():
    from scene_gym.assets.factory import factories

    entries = {}
    for name, f in factories().items():
        phrases = {_content(n) for n in (name.replace("_", " "), *f.synonyms)} - {()}
        name_words = {w for p in phrases for w in p}
        entries[name] = (name_words, set(_words(f.description)), phrases)
    vocabulary = sorted({w for e in entries.values() for w in e[0]})
    return entries, vocabulary


def refresh() -> None:
    """Rebuild the look-up index (call after registering new categories, e.g. a mesh folder)."""
    _index.cache_clear()


def search(query: str, limit: int = 10) -> list[Match]:
    """Rank categories for ``query``; raises :class:`UnknownCategoryError` (with suggestions) on no match."""
    entries, vocabulary = _index()
    words = _content(str(query))
    scores: dict[str, float] = {}
    for category, (name_words, desc_words, phrases) in entries.items():
        score = 0.0
        for w in words:
            if w in _MODIFIERS:
                score += 1.0 if w in name_words else 0.0
            elif w in name_words:
                score += 3.0
            elif w in desc_words:
                score += 1.0
            else:
                close = difflib.get_close_matches(w, name_words, n=1, cutoff=0.8)
                if close:
                    score += 2.0 * difflib.SequenceMatcher(None, w, close[0]).ratio()
        for phrase in phrases:
            n = len(phrase)
            if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
                score += 2.0
        if score > 0:
            scores[category] = score
    if not scores:
        raise UnknownCategoryError(str(query), suggest(str(query)))
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Match(c, round(s, 4)) for c, s in ranked[:limit]]


def suggest(text: str, n: int = 3) -> list[str]:
    """Up to ``n`` category names closest in spelling to ``text`` (for "did you mean" messages)."""
    from scene_gym.assets.factory import _REGISTRY, _ensure_library

    _ensure_library()
    names = list(_REGISTRY)
    key = str(text).lower().strip().replace(" ", "_")
    found = difflib.get_close_matches(key, names, n=n, cutoff=0.5)
    if len(found) < n:
        for w in _words(str(text)):
            for c in difflib.get_close_matches(w, names, n=n, cutoff=0.6):
                if c not in found:
                    found.append(c)
    return found[:n]


def resolve(name: str) -> str:
    """The category meant by ``name``: an exact category, a synonym, or the single best search hit."""
    from scene_gym.assets.factory import factories

    all_factories = factories()
    key = str(name).lower().strip().replace(" ", "_").replace("-", "_")
    if key in all_factories:
        return key
    for category, f in all_factories.items():
        if str(name).lower().strip() in f.synonyms:
            return category
    return search(name, limit=1)[0].category
