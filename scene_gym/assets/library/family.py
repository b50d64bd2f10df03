"""Parametric families: one builder, many categories.

A family is a base class (a subclass of :class:`~scene_gym.assets.factory.AssetFactory`) whose ``build`` reads
its shape from the class attribute ``knobs`` (a mapping of family-specific settings: which zones a cabinet has,
how many wheels a vehicle stands on...). A category of the family is a declaration, not a program::

    declare(CaseFamily, "sideboard", synonyms=("buffet cabinet",), description="...",
            size_range=((1.2, 0.4, 0.7), (2.2, 0.55, 1.0)), default_size=(1.6, 0.45, 0.85),
            rooms=("dining room",), knobs={"zones": (("doors", 3, 1.0),), "base": "legs"})

:func:`declare` builds the subclass (its docstring is the description), overrides the family's default knobs
with the declaration's and registers it, so the category passes through the same checks as a hand-written
program. Knobs are fixed per category; what a user may vary per object stays in ``params``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from scene_gym.assets.factory import AssetFactory, register


class Family(AssetFactory):
    """Base of the parametric families: ``knobs`` (name -> value) pick the family's shape for one category.

    Subclasses set ``knobs`` to the family's defaults and implement :meth:`AssetFactory.build` (abstract) reading
    ``self.knobs``.
    """

    knobs: ClassVar[Mapping[str, Any]] = MappingProxyType({})


def declare(
    family: type[Family], category: str, *, knobs: Mapping[str, Any] | None = None, **attrs: Any
) -> type[Family]:
    """Register ``category`` as a member of ``family`` and return its class.

    Args:
        family: the family's base class.
        category: catalog name, lowercase with underscores.
        knobs: settings overriding the family's default ``knobs``; unknown names raise ``ValueError`` (a typo
            must not silently fall back to a default).
        **attrs: the category's declaration: synonyms, description, size_range ((w, d, h) min and max, metres),
            default_size (w, d, h metres), default_material, rooms, placement, small, articulated, params.
    """
    merged = dict(family.knobs)
    unknown = sorted(set(knobs or {}) - set(merged))
    if unknown:
        raise ValueError(
            f"{category}: unknown knob(s) {unknown} for {family.__name__}; known: {sorted(merged)}"
        )
    merged.update(knobs or {})
    name = "".join(part.title() for part in category.split("_"))
    namespace = {"category": category, "knobs": MappingProxyType(merged), "__doc__": attrs.get("description", ""),
                 "__module__": sys._getframe(1).f_globals.get("__name__", family.__module__), **attrs}  # fmt: skip
    return register(type(name, (family,), namespace))


def disc(
    b, name: str, center, radius: float, length: float, material: str | None = None, *, rpy=(0.0, 0.0, 0.0)
):
    """A cylinder of ``radius`` and ``length`` (metres) along the part's z axis (turned by ``rpy``) centred at
    ``center`` (3,), drawn as a 24-sided prism mesh.

    Large round parts (wheels, drums, basins) use it instead of ``b.cylinder``: exact cylinders and their
    tessellations differ by up to radius x (1 - cos(pi/24)), over a millimetre from 12 cm on, so collision
    back-ends that tessellate and those that do not would disagree on their contacts.
    """
    from scene_gym.assets.library.blocks import ellipse
    from scene_gym.assets.meshes import extrude

    return b.mesh(name, center, extrude(ellipse(2 * radius, 2 * radius), length), material, rpy=rpy)
