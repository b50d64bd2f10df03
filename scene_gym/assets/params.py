"""Declared parameters of asset programs: each has a type, a default and the values it accepts.

An asset program declares every parameter once, in its ``params`` class attribute::

    params = {"n_drawers": int_param(3, 1, 8, "drawers, bottom to top"), "handle": bool_param(True)}

:func:`~scene_gym.assets.factory.build_asset` and :func:`~scene_gym.assets.validation.check_scene` check each
value against its declaration before anything is built, so no scene file can ask a program for ten million
drawers, a negative count or a number that overflows. Values come from JSON: integer parameters also take
integral floats (``3.0``), number parameters take integers; booleans, choices and texts take nothing else.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from scene_gym.errors import AssetError
from scene_gym.scene.document import shown

KINDS = ("int", "float", "bool", "choice", "text")


@dataclass(frozen=True)
class Param:
    """One declared parameter (build one with :func:`int_param`, :func:`float_param`, :func:`bool_param`,
    :func:`choice_param` or :func:`text_param`).

    Attributes:
        kind: one of :data:`KINDS`.
        default: the value a program gets when the caller gives none.
        low, high: inclusive bounds of ``int`` and ``float`` parameters.
        choices: the accepted values of a ``choice`` parameter.
        max_length: the longest ``text`` accepted, in characters.
        doc: what the parameter changes, for listings.
    """

    kind: str
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int = 128
    doc: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"expected a parameter kind in {KINDS}, got {self.kind!r}")
        if self.kind in ("int", "float") and not (self.low is not None and self.high is not None
                                                  and math.isfinite(self.low) and math.isfinite(self.high)
                                                  and self.low <= self.high):  # fmt: skip
            raise ValueError(f"expected finite bounds low <= high for a {self.kind} parameter, got [{self.low}, {self.high}]")
        try:
            self.check(self.default)
        except AssetError as err:
            raise ValueError(f"default {self.default!r} does not fit its own declaration: {err}") from None

    def describe(self) -> str:
        """The accepted values in words: ``an integer in [1, 8]``, ``one of 'left', 'right'``..."""
        if self.kind == "int":
            return f"an integer in [{int(self.low)}, {int(self.high)}]"
        if self.kind == "float":
            return f"a number in [{self.low:g}, {self.high:g}]"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return f"a text of at most {self.max_length} characters"

    def check(self, value: Any) -> Any:
        """``value`` in the declared type (``3.0`` -> ``3`` for an integer parameter); anything else raises
        :class:`AssetError` ``expected <describe()>, got <value>``. Bounded time for any value."""
        ok, out = False, value
        if self.kind in ("int", "float"):
            if isinstance(value, numbers.Real) and not isinstance(value, bool):  # numpy numbers too, not numpy bools
                # Compare before converting: a huge integer compares exactly and never overflows a float.
                in_range = self.low <= value <= self.high  # False for NaN
                if self.kind == "int":
                    ok = in_range and (isinstance(value, numbers.Integral) or float(value).is_integer())
                    out = int(value) if ok else value
                else:
                    ok, out = in_range, float(value) if in_range else value
        elif self.kind == "bool":
            ok = isinstance(value, bool)
        elif self.kind == "choice":
            ok = isinstance(value, str) and value in self.choices
        else:
            ok = isinstance(value, str) and len(value) <= self.max_length
        if not ok:
            raise AssetError(f"expected {self.describe()}, got {shown(value)}")
        return out


def int_param(default: int, low: int, high: int, doc: str = "") -> Param:
    """An integer parameter in [low, high] (counts: drawers, shelves, seats...)."""
    return Param("int", default, low, high, doc=doc)


def float_param(default: float, low: float, high: float, doc: str = "") -> Param:
    """A finite number in [low, high] (a thickness in metres, a share of a width...)."""
    return Param("float", float(default), float(low), float(high), doc=doc)


def bool_param(default: bool, doc: str = "") -> Param:
    """A switch: JSON ``true`` or ``false``."""
    return Param("bool", bool(default), doc=doc)


def choice_param(default: str, choices: tuple[str, ...] | list[str], doc: str = "") -> Param:
    """One of a few names (a style, a side)."""
    return Param("choice", default, choices=tuple(choices), doc=doc)


def text_param(default: str, max_length: int = 128, doc: str = "") -> Param:
    """A short free text (a material description for one part)."""
    return Param("text", default, max_length=max_length, doc=doc)
