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


def resolve_category(name: str, *, field: str = "category") -> str:
    """The catalog category meant by ``name``: an exact name, a synonym (``"couch"`` -> ``"sofa"``) or the best
    text match. Raises :class:`EditError` with close names when there is none."""
    from scene_gym.assets import factories, resolve

    if not isinstance(name, str) or not name.strip():
        raise EditError(f"expected a category name, got {name!r}", field=field)
    try:
        return resolve(name)
    except UnknownCategoryError as err:
        if err.suggestions:
            hint = "did you mean " + ", ".join(repr(s) for s in err.suggestions) + "?"
        else:
            names = sorted(factories())
            hint = "no close name (categories include " + ", ".join(names[:: max(1, len(names) // 12)]) + ", ...)"
        raise EditError(f"unknown category {name!r}; {hint} (`scene-gym assets` lists them)", field=field) from None


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
