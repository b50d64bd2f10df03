"""Asset programs (factories), their registry, and :func:`build_asset`.

An asset program is a subclass of :class:`AssetFactory` with a handful of class attributes (category,
synonyms, description, size range, rooms...) and one hook, :meth:`AssetFactory.build`, that draws the asset with
an :class:`~scene_gym.assets.builder.AssetBuilder`. Programs register themselves with :func:`register`.

Parameters: each program declares its parameters once, with their types and ranges
(:mod:`scene_gym.assets.params`); :meth:`AssetFactory.check_params` checks a caller's values against them
before any building, so a program never runs with a count it cannot draw in bounded time.

Determinism: :func:`build_asset` seeds the program's generator from (category, seed); the same (category,
size, params, seed, material) always gives the same asset, and the result is cached because it is immutable.
"""

from __future__ import annotations

import abc
import math
import zlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np

from scene_gym.assets.builder import AssetBuilder
from scene_gym.assets.params import Param
from scene_gym.assets.parts import Asset
from scene_gym.errors import AssetError, UnknownCategoryError
from scene_gym.scene.document import shown

Size3 = tuple[float, float, float]
_REGISTRY: dict[str, type[AssetFactory]] = {}
_SORTED: list[tuple[str, type[AssetFactory]]] = []  # _REGISTRY's items sorted by category; emptied on every change

#: Categories that are openings in their own right (a door in its frame): metrics leave them out of object
#: counts, and the zone in front of them must stay clear. Doors and windows are normally Room openings.
DOOR_CATEGORIES = frozenset({"door", "interior_door", "window"})


class AssetFactory(abc.ABC):
    """Base class of asset programs.

    Class attributes (set by each program):
        category: catalog name, lowercase with underscores (``"coffee_table"``).
        synonyms: other names people use (``("couch", "settee")``), for text look-up.
        description: one sentence, also used by text look-up.
        size_range: ((min w, min d, min h), (max w, max d, max h)) in metres.
        default_size: (w, d, h) in metres, inside ``size_range``.
        default_material: material description of the main parts.
        rooms: room types the category belongs in (see ``scene_gym.scene.ROOM_TYPES``).
        placement: where it goes: ``"floor"``, ``"wall"``, ``"ceiling"`` or ``"surface"`` (on other objects).
        articulated: True when the program adds joints.
        small: True for manipulable objects that rest on support surfaces (books, cups...).
        thin_covering: True for coverings (rugs, mats) that collision checks ignore.
        params: parameter name -> :class:`~scene_gym.assets.params.Param` (type, default, accepted values);
            ``build`` receives the defaults overridden by the caller's values, each checked against its
            declaration first.
    """

    category: ClassVar[str]
    synonyms: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    size_range: ClassVar[tuple[Size3, Size3]]
    default_size: ClassVar[Size3]
    default_material: ClassVar[str] = "oak wood"
    rooms: ClassVar[tuple[str, ...]] = ()
    placement: ClassVar[str] = "floor"
    articulated: ClassVar[bool] = False
    small: ClassVar[bool] = False
    thin_covering: ClassVar[bool] = False
    params: ClassVar[dict[str, Param]] = {}

    @abc.abstractmethod
    def build(self, b: AssetBuilder, params: dict[str, Any]) -> None:
        """Draw the asset into ``b`` (size ``b.w, b.d, b.h``; random choices from ``b.rng``)."""

    # --- helpers ------------------------------------------------------------------------------------------
    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Parameter name -> default value."""
        return {name: p.default for name, p in cls.params.items()}

    @classmethod
    def check_params(cls, params: Any) -> dict[str, Any]:
        """The caller's ``params`` checked against the declarations and normalised (``3.0`` -> ``3`` for a
        count). Raises :class:`AssetError` whose message starts with the field, ``params.n_drawers: expected
        an integer in [1, 8], got 10000000``; unknown names are errors too."""
        if params is None:
            return {}
        if not isinstance(params, Mapping):
            raise AssetError(f"params: expected a mapping of parameter names to values, got {type(params).__name__}")
        unknown = sorted(shown(k, 40) for k in params if k not in cls.params)
        if unknown:
            known = ", ".join(sorted(cls.params)) or "none"
            raise AssetError(f"params: unknown parameter(s) {', '.join(unknown[:5])} for {cls.category}; "
                             f"known: {known}")  # fmt: skip
        out = {}
        for name, value in params.items():
            try:
                out[name] = cls.params[name].check(value)
            except AssetError as err:
                raise AssetError(f"params.{name}: {err}") from None
        return out

    @classmethod
    def check_size(cls, size: Any) -> Size3:
        """``size`` as floats when it is 3 positive finite extents inside ``size_range`` (1 mm of slack);
        else :class:`AssetError` ``expected width in [1.2, 3.2] m, got 9.0``."""
        try:
            values = tuple(float(v) for v in size)
        except (TypeError, ValueError, OverflowError):
            raise AssetError(f"expected a size (width, depth, height) in metres, got {shown(size)}") from None
        if len(values) != 3:
            raise AssetError(f"expected 3 size values (width, depth, height), got {shown(size)}")
        lo, hi = cls.size_range
        for axis, v, a, b in zip(("width", "depth", "height"), values, lo, hi, strict=True):
            if not math.isfinite(v) or v <= 0:
                raise AssetError(f"expected a positive finite {axis}, got {v!r}")
            # 1 mm of slack absorbs float noise from unit conversions.
            if not a - 1e-3 <= v <= b + 1e-3:
                raise AssetError(f"expected {axis} in [{a}, {b}] m, got {v!r}")
        return values

    @classmethod
    def clamp_size(cls, size: Sequence[float]) -> Size3:
        """The nearest size inside ``size_range`` (used by solvers that resize before giving up)."""
        lo, hi = cls.size_range
        return tuple(float(min(max(v, a), b)) for v, a, b in zip(size, lo, hi, strict=True))

    @classmethod
    def sample_size(cls, rng: np.random.Generator) -> Size3:
        """A random plausible size: uniform within the central half of ``size_range``."""
        lo, hi = np.asarray(cls.size_range[0]), np.asarray(cls.size_range[1])
        mid, half = (lo + hi) / 2, (hi - lo) / 4
        return tuple(float(v) for v in rng.uniform(mid - half, mid + half))


def register(cls: type[AssetFactory], *, replace: bool = False) -> type[AssetFactory]:
    """Class decorator adding an asset program to the catalog; checks its declared attributes.

    ``replace=True`` lets a program take over an existing category (used when a mesh folder is re-registered).
    """
    name = cls.category
    if name in _REGISTRY and _REGISTRY[name] is not cls and not replace:
        raise ValueError(f"category {name!r} registered twice ({_REGISTRY[name].__name__}, {cls.__name__})")
    lo, hi = cls.size_range
    if not all(0 < a <= d <= b for a, d, b in zip(lo, cls.default_size, hi, strict=True)):
        raise ValueError(f"{name}: default_size {cls.default_size} outside size_range {cls.size_range}")
    if cls.placement not in ("floor", "wall", "ceiling", "surface"):
        raise ValueError(f"{name}: unknown placement {cls.placement!r}")
    for pname, declared in cls.params.items():
        if not isinstance(declared, Param):
            raise ValueError(f"{name}: parameter {pname!r} must be declared with int_param, float_param, bool_param, "
                             f"choice_param or text_param (scene_gym.assets.params), got {declared!r}")  # fmt: skip
    _REGISTRY[name] = cls
    _SORTED.clear()
    return cls


def unregister(category: str) -> type[AssetFactory]:
    """Remove a category from the catalog and forget cached assets; returns its program."""
    try:
        factory = _REGISTRY.pop(category)
    except KeyError:
        raise UnknownCategoryError(str(category)) from None
    _SORTED.clear()
    clear_cache()
    return factory


def _ensure_library() -> None:
    # The built-in programs register on import; importing here keeps `import scene_gym.assets` cheap.
    import scene_gym.assets.library  # noqa: F401


def factories() -> dict[str, type[AssetFactory]]:
    """All registered programs, keyed by category (built-in ones and registered mesh assets): the catalog.
    Object-program categories are not listed; :func:`get_factory` finds them."""
    _ensure_library()
    if not _SORTED:  # sorted once per change of the registry: judges ask on every step
        _SORTED.extend(sorted(_REGISTRY.items()))
    return dict(_SORTED)


def _lookup(category: str) -> type[AssetFactory] | None:
    """The catalog's program for ``category``, else a compiled object program (defined in this process or
    stored by a scene), else None."""
    _ensure_library()
    try:
        factory = _REGISTRY.get(category)
    except TypeError:  # an unhashable value
        return None
    if factory is None:
        from scene_gym.assets.programs.registry import program_factory

        factory = program_factory(category)
    return factory


def get_factory(category: str) -> type[AssetFactory]:
    """The program for ``category``: a catalog category, or an object-program category
    (:mod:`scene_gym.assets.programs`) compiled on first use; unknown names raise :class:`UnknownCategoryError`
    with suggestions (from the catalog)."""
    factory = _lookup(category)
    if factory is None:
        from scene_gym.assets.catalog import suggest

        raise UnknownCategoryError(str(category), suggest(str(category)))
    return factory


def build_asset(category: str, size: Sequence[float] | None = None, params: Mapping[str, Any] | None = None,
                seed: int = 0, material: str | None = None) -> Asset:
    """Run the program for ``category`` and return the immutable :class:`Asset`.

    Args:
        category: catalog name (see :func:`scene_gym.assets.catalog.search` to find one from text).
        size: (w, d, h) full extents in metres, within the category's ``size_range``; default: its default.
        params: program parameters overriding the defaults; unknown names and values outside their
            declarations (:mod:`scene_gym.assets.params`) raise :class:`AssetError` before anything is built.
        seed: seeds every random choice of the program.
        material: main material description; default: the category's.
    """
    factory = get_factory(category)
    try:
        size = factory.check_size(size if size is not None else factory.default_size)
        params = factory.check_params(params)
    except AssetError as err:
        raise AssetError(f"{category}: {err}") from None
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise AssetError(f"{category}: expected a non-negative integer seed, got {seed!r}")
    key = tuple(sorted(params.items()))
    return _build_cached(category, size, key, int(seed), material or factory.default_material)


@lru_cache(maxsize=4096)
def _build_cached(category: str, size: Size3, params_key: tuple, seed: int, material: str) -> Asset:
    factory = _lookup(category)
    resolved = {**factory.defaults(), **dict(params_key)}
    rng = np.random.default_rng([seed, zlib.crc32(category.encode())])
    builder = AssetBuilder(size, material, rng)
    try:
        factory().build(builder, resolved)
    except (ValueError, TypeError, KeyError) as err:
        raise AssetError(f"{category}: cannot build with size {size} and params {resolved}: {err}") from err
    return Asset(category, size, tuple(builder.parts), tuple(builder.joints), tuple(builder.surfaces),
                 tuple(builder.handles), resolved, seed)  # fmt: skip


def clear_cache() -> None:
    """Forget cached assets (after re-registering a category, for instance)."""
    _build_cached.cache_clear()
