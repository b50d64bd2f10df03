"""Text look-up over the asset catalog, with no network and no model weights.

The ranking lives in :mod:`scene_gym.assets.resolver` (head noun, names and synonyms, rapidfuzz for
misspellings, a threshold under which a name is *unresolved*); this module keeps the catalog's entry points:

- :func:`search` ranks categories for free text ("grey fabric three-seat couch" -> sofa first), scores in [0, 1];
  it ranks, it does not decide: the first hit may be under :data:`~scene_gym.assets.resolver.RESOLVE_THRESHOLD`.
- :func:`resolve` is the deciding look-up: the category a name means, or
  :class:`~scene_gym.errors.UnknownCategoryError` (with the closest categories as suggestions) when the name is
  unresolved. Use :func:`~scene_gym.assets.resolver.resolve_name` for the score and how it matched.
- :func:`suggest` spells close category names for "did you mean" messages.
"""

from __future__ import annotations

import difflib

from scene_gym.assets.resolver import Match, rank, resolve_name, words
from scene_gym.assets.resolver import refresh as _refresh_resolver
from scene_gym.errors import SceneGymError, UnknownCategoryError

__all__ = ["Match", "refresh", "resolve", "search", "suggest"]


def refresh() -> None:
    """Rebuild the look-up index (call after registering new categories, e.g. a mesh folder)."""
    _refresh_resolver()


def search(query: str, limit: int = 10) -> list[Match]:
    """Up to ``limit`` categories ranked for ``query``, best first, each with a score in (0, 1]; raises
    :class:`UnknownCategoryError` (with suggestions) when nothing scores."""
    try:
        found = rank(query)
    except SceneGymError:
        found = []
    if not found:
        raise UnknownCategoryError(str(query), suggest(str(query)))
    return found[: max(1, int(limit))]


def suggest(text: str, n: int = 3) -> list[str]:
    """Up to ``n`` category names closest in spelling to ``text`` (for "did you mean" messages)."""
    from scene_gym.assets.factory import _REGISTRY, _ensure_library

    _ensure_library()
    names = list(_REGISTRY)
    key = str(text).lower().strip().replace(" ", "_")
    found = difflib.get_close_matches(key, names, n=n, cutoff=0.5)
    if len(found) < n:
        for w in words(str(text)):
            for c in difflib.get_close_matches(w, names, n=n, cutoff=0.6):
                if c not in found:
                    found.append(c)
    return found[:n]


def resolve(name: str) -> str:
    """The category meant by ``name`` (:func:`~scene_gym.assets.resolver.resolve_name` at or above the threshold);
    :class:`UnknownCategoryError` with the closest categories when it is unresolved."""
    res = resolve_name(name) if isinstance(name, str) else None
    if res is None or res.category is None:
        close = [m.category for m in res.alternatives[:3]] if res is not None else []
        raise UnknownCategoryError(str(name), close or suggest(str(name)))
    return res.category
