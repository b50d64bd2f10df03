"""Look-ups and argument checks shared by every edit (objects and lights by id, categories by name, sizes within
a category's range, material descriptions, finite vectors) and the error discipline every edit follows.

Each check raises :class:`~scene_gym.errors.EditError` whose ``field`` names the argument and whose message names
the offending value ("expected width in [1.2, 3.2] m, got 9.0"). Units: metres and radians. Every public edit is
:func:`atomic`: when it raises, the scene is exactly as before.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from scene_gym.errors import EditError, SceneGymError, UnknownCategoryError
from scene_gym.scene import Light, Scene, SceneObject
from scene_gym.scene.document import shown

F = TypeVar("F", bound=Callable[..., Any])

SIZE_SLACK = 1e-3  # metres of float noise accepted beyond a category's size range (then clamped into it)
_SHOWN_IDS = 30


def get_object(scene: Scene, object_id: str, *, field: str = "id") -> SceneObject:
    """The object ``object_id``; else :class:`EditError` on ``field`` suggesting close ids and listing the known
    ones."""
    if isinstance(object_id, str) and object_id in scene:
        return scene.get(object_id)
    ids = [o.id for o in scene.objects]
    close = difflib.get_close_matches(object_id, ids, n=3, cutoff=0.5) if isinstance(object_id, str) else []
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    shown = ", ".join(ids[:_SHOWN_IDS]) + (" ..." if len(ids) > _SHOWN_IDS else "")
    raise EditError(f"unknown object id {object_id!r}; {hint}known ids: {shown or '(none)'}", field=field)


def get_light(scene: Scene, light_id: str, *, field: str = "id") -> Light:
    """The light ``light_id``; else :class:`EditError` on ``field`` listing the known lights."""
    known = {light.id: light for light in scene.lights}
    if light_id not in known:
        raise EditError(f"unknown light id {light_id!r}; known lights: {', '.join(known) or '(none)'}", field=field)
    return known[light_id]


def defined_category(scene: Scene | None, name: str) -> str | None:
    """The category of an object defined in ``scene`` (:func:`~scene_gym.actions.edit.define_object`) that
    ``name`` means: the category itself (``"kiln_1a2b3c4d"``) or the program's name (``"kiln"``, compared
    case-insensitively with spaces, hyphens and underscores alike); the newest definition wins. None when no
    definition matches or ``scene`` is None."""
    if scene is None or not isinstance(name, str) or not scene.definitions:
        return None
    if name in scene.definitions:
        return name
    key = "_".join(name.lower().replace("-", " ").replace("_", " ").split())
    found = None
    for category, program in scene.definitions.items():
        given = str(program.get("name", ""))
        if "_".join(given.lower().replace("-", " ").replace("_", " ").split()) == key:
            found = category
    return found


def category_match(name: str, *, field: str = "category"):
    """The :class:`~scene_gym.assets.resolver.Resolution` of ``name`` when it resolves to a catalog category (an
    exact name, a synonym such as ``"couch"`` -> sofa, a head-noun or fuzzy match at or above
    :data:`~scene_gym.assets.resolver.RESOLVE_THRESHOLD`). An unresolved name raises :class:`EditError` on
    ``field`` saying it is not in the catalog, the closest categories with their scores (in [0, 1]), and that it
    can be defined as an object program; nothing is substituted."""
    from scene_gym.assets import RESOLVE_THRESHOLD, resolve_name
    from scene_gym.assets.catalog import suggest

    if not isinstance(name, str) or not name.strip():
        raise EditError(f"expected a category name, got {name!r}", field=field)
    res = resolve_name(name)
    if res.category is not None:
        return res
    close = ", ".join(f"{m.category!r} {m.score:.2f}" for m in res.alternatives[:3])
    spelled = [c for c in suggest(name) if c not in {m.category for m in res.alternatives[:3]}]
    closest = f"closest categories: {close}" if close else "no category comes close"
    if spelled:
        closest += "; did you mean " + " or ".join(repr(c) for c in spelled) + "?"
    raise EditError(f"unknown category {shown(name)}: not in the catalog ({closest}; a match needs a score of "
                    f"{RESOLVE_THRESHOLD:g}); define it with an object program (see the DSL reference) or pick a "
                    "category (`scene-gym assets` lists them)", field=field)  # fmt: skip


def resolve_category(name: str, *, field: str = "category", scene: Scene | None = None) -> str:
    """The category meant by ``name``: an object defined in ``scene`` by that name (:func:`defined_category`), an
    object-program category itself (``"kiln_1a2b3c4d"``), else the catalog category :func:`category_match` finds;
    :class:`EditError` when unresolved."""
    defined = defined_category(scene, name)
    if defined is not None:
        return defined
    if isinstance(name, str) and _is_program_category(name):
        return name
    return category_match(name, field=field).category


def _is_program_category(name: str) -> bool:
    from scene_gym.assets.programs import is_program_category

    return is_program_category(name)


def substitution_record(requested: object, used: str) -> dict | None:
    """``{"requested", "used", "score", "how"}`` when the name ``requested`` was accepted as the category ``used``
    by a non-exact match (a synonym, head noun or misspelling; score in [0, 1]); None for an exact name or a
    request that is not text. Envs report these in ``info["substitutions"]``."""
    from scene_gym.assets import resolve_name

    if not isinstance(requested, str) or not isinstance(used, str) or requested == used:
        return None
    if _is_program_category(used):  # an object defined by that name: the name was meant, not substituted
        return None
    res = resolve_name(requested)
    if res.category == used:
        score, how = res.score, res.how
    else:  # chosen among the ranked alternatives (the asset env keeps small objects only)
        score, how = next((m.score for m in res.alternatives if m.category == used), 0.0), "head"
    return None if how == "exact" else {"requested": requested, "used": used, "score": score, "how": how}


def get_category(category: str, *, field: str = "category"):
    """The :class:`~scene_gym.assets.AssetFactory` of an exact catalog name or a defined object-program category
    (:func:`~scene_gym.actions.edit.define_object`); :class:`EditError` otherwise (with close names)."""
    from scene_gym.assets import factories, get_factory

    if isinstance(category, str):
        try:
            return get_factory(category)
        except UnknownCategoryError:
            pass
        except SceneGymError as err:  # a stored program that does not compile
            raise EditError(f"category {category!r}: {err}", field=field) from None
    close = difflib.get_close_matches(str(category), list(factories()), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise EditError(f"unknown category {category!r}{hint} (`scene-gym assets` lists them)", field=field)


def check_size(category: str, size: Sequence[float], *, field: str = "size") -> tuple[float, float, float]:
    """``size`` (width, depth, height), metres, as a tuple of floats if it lies within the category's size range
    (1 mm of slack, then clamped into the range); else :class:`EditError` naming the axis, the value and the
    range."""
    lo, hi = get_category(category).size_range
    values = check_vector(size, field=field, dims=(3,))
    out = []
    for axis, v, a, b in zip(("width", "depth", "height"), values, lo, hi, strict=True):
        if not a - SIZE_SLACK <= v <= b + SIZE_SLACK:
            raise EditError(f"expected {axis} in [{a:g}, {b:g}] m, got {round(v, 4)!r} (a {category}'s size range is "
                            f"{list(lo)} to {list(hi)} m)", field=field)  # fmt: skip
        out.append(float(min(max(v, a), b)))
    return out[0], out[1], out[2]


def check_material(text: str, *, field: str = "material") -> str:
    """A material description with a recognised material or colour word (``"walnut wood"``); returned as given,
    else :class:`EditError`."""
    from scene_gym.assets import resolve_material

    if not isinstance(text, str):
        raise EditError(f"expected a material description as text, got {type(text).__name__}", field=field)
    try:
        resolve_material(text, strict=True)
    except SceneGymError as err:
        raise EditError(str(err), field=field) from None
    return text


def check_vector(value: Any, *, field: str, dims: tuple[int, ...] = (3,)) -> tuple[float, ...]:
    """``value`` as a tuple of finite floats whose length is one of ``dims``; else :class:`EditError`."""
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise EditError(f"expected {' or '.join(map(str, dims))} numbers, got {value!r}", field=field) from None
    if len(out) not in dims:
        raise EditError(f"expected {' or '.join(map(str, dims))} numbers, got {len(out)}: {value!r}", field=field)
    if not all(math.isfinite(v) for v in out):
        raise EditError(f"expected finite numbers, got {value!r}", field=field)
    return out


def check_angle(value: Any, *, field: str = "yaw") -> float:
    """A finite angle in radians (within ±1e4 as the scene stores it); else :class:`EditError`."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise EditError(f"expected an angle in radians, got {value!r}", field=field) from None
    if not math.isfinite(v) or abs(v) > 1e4:
        raise EditError(f"expected a finite angle in radians, got {value!r}", field=field)
    return v


@contextlib.contextmanager
def as_edit_error(field: str | None) -> Iterator[None]:
    """Re-raise a scene or asset validation error from inside as :class:`EditError` on ``field``."""
    try:
        yield
    except EditError:
        raise
    except SceneGymError as err:
        raise EditError(str(err), field=field) from None


def atomic(fn: F) -> F:
    """Run an edit ``fn(scene, ...)`` inside ``scene.transaction()``: if it raises, the scene is restored exactly
    and the error propagates."""

    @functools.wraps(fn)
    def wrapper(scene, *args, **kwargs):
        if not isinstance(scene, Scene):
            raise EditError(f"expected a Scene, got {type(scene).__name__}", field="scene")
        with scene.transaction():
            return fn(scene, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def r6(values: Sequence[float]) -> tuple[float, ...]:
    """Coordinates rounded to the micrometre, so that float noise from transforms does not reach the JSON."""
    return tuple(round(float(v), 6) for v in values)
