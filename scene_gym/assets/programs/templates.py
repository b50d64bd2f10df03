"""Coarse object programs: a plausible part-wise object for any noun, from a coarse class and a size.

When a prompt names something the catalog does not have ("a loom", "two canoes"), the heuristic planner does not
drop it and does not swap it for an unrelated category: it builds an object program (:mod:`.schema`) from the
noun's coarse class and typical size (:mod:`scene_gym.assets.size_prior`), keeping the user's name. The shapes
are deliberately simple (a canoe is a hull-shaped box, a telescope a tube on legs); what matters for layout,
physics and the judge is the footprint, height, placement, support surface and name.

Every template takes the full extents ``(w, d, h)`` in metres (width along x, depth along y, height along z,
front facing +Y) and returns program data (a dict) whose bounding box is exactly that size. Classes:

================  ===============================================================================================
class             parts
================  ===============================================================================================
``box_furniture`` a carcass box with a plinth, a top surface when it is low enough to put things on (< 1.3 m)
``seat``          a seat slab on four legs and a backrest; the seat carries a surface
``bed``           a frame, a mattress (surface) and a headboard at the back
``table``         a top on four legs; the top carries a surface
``appliance``     a bevelled body with a front panel; a top surface when lower than 1.3 m
``decoration``    a base and a rounded body (a sphere on a plinth), or a thin panel on walls
``vehicle``       two (depth > 1.2 m: four) wheels under a frame and a body
``lighting``      a base, a pole and a conical shade
``plant``         a pot and a foliage sphere
``instrument``    a bevelled body on two supports
``equipment``     as ``appliance`` (tools, workshop machines, sports and medical gear)
``container``     as ``box_furniture`` (bins, boxes, barrels)
================  ===============================================================================================

Anything else gets the ``box_furniture`` template. Wall objects become a panel of the given size, ceiling
objects, surface objects and very small objects a single bevelled body.
"""

from __future__ import annotations

import math
from collections.abc import Callable

Size3 = tuple[float, float, float]
COARSE_CLASSES = ("box_furniture", "seat", "bed", "table", "appliance", "decoration", "vehicle", "lighting", "plant",
                  "instrument", "equipment", "container")  # fmt: skip
"""The coarse classes of :mod:`scene_gym.assets.size_prior`, each with a template below."""
_MIN = 0.01  # thinnest part drawn by a template, metres
SMALLEST_TEMPLATED = 0.15
"""Objects with a side under this (metres) are one bevelled body whatever their class: legs and plinths would be
thinner than :data:`_MIN`."""
SURFACE_MAX_HEIGHT = 1.3
"""Objects at least this tall (metres) get no top surface: nobody puts a cup on a wardrobe."""


def _r(v: float) -> float:
    return round(float(v), 4)


def _box(name: str, size: Size3, position=(0.0, 0.0, 0.0), parent: str | None = None, **extra) -> dict:
    part = {"name": name, "shape": "box", "size": [_r(max(_MIN, s)) for s in size],
            "position": [_r(p) for p in position]}  # fmt: skip
    if parent is not None:
        part["parent"] = parent
    part.update(extra)
    return part


def _cyl(name: str, size: Size3, position, parent: str | None, shape: str = "cylinder", **extra) -> dict:
    return {**_box(name, size, position, parent, **extra), "shape": shape}


def _top_surface(part: str, w: float, d: float, h: float) -> list[dict]:
    if h >= SURFACE_MAX_HEIGHT or min(w, d) < 0.08:
        return []
    return [{"part": part, "size": [_r(max(0.05, w - 0.04)), _r(max(0.05, d - 0.04))]}]


def box_furniture(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A carcass on a plinth (height ``min(0.08, h/10)``); parts and surfaces."""
    plinth = min(0.08, h / 10)
    parts = [_box("body", (w, d, h - plinth), (0, 0, plinth + (h - plinth) / 2)),
             _box("plinth", (w * 0.94, d * 0.9, plinth), (0, 0, -(h - plinth) / 2 - plinth / 2), "body")]  # fmt: skip
    return parts, _top_surface("body", w, d, h)


def seat(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A seat slab at ``min(0.45, 0.55 h)`` on four legs, with a backrest up to ``h`` when the seat is lower."""
    seat_h = min(0.45, 0.55 * h)
    slab = max(_MIN, min(0.12, seat_h * 0.3))
    leg = max(_MIN, min(0.05, w / 8, d / 8))
    parts = [_box("seat", (w, d, slab), (0, 0, seat_h - slab / 2))]
    for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (-1, 1), (1, 1))):
        parts.append(_box(f"leg_{i}", (leg, leg, seat_h - slab), (sx * (w - leg) / 2, sy * (d - leg) / 2,
                                                                   -slab / 2 - (seat_h - slab) / 2), "seat"))  # fmt: skip
    back = h - seat_h
    if back > 0.05:
        t = max(_MIN, min(0.08, d / 6))
        parts.append(_box("back", (w, t, back), (0, -(d - t) / 2, slab / 2 + back / 2), "seat"))
    return parts, [{"part": "seat", "size": [_r(max(0.05, w - 0.04)), _r(max(0.05, d * 0.6))],
                    "center": [0.0, _r(d * 0.15)]}]  # fmt: skip


def bed(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A frame (40 % of the height of the mattress top), a mattress up to ``min(h, 0.6)`` and a headboard up to
    ``h`` at the back when the bed is taller than its mattress."""
    top = min(h, 0.6)
    frame = top * 0.4
    board = max(_MIN, min(0.08, d / 10))
    parts = [_box("frame", (w, d - board, frame), (0, board / 2, frame / 2)),
             _box("mattress", (w * 0.96, (d - board) * 0.96, top - frame), (0, 0, frame / 2 + (top - frame) / 2),
                  "frame", material="white fabric")]  # fmt: skip
    if h - top > 0.05:
        parts.append(_box("headboard", (w, board, h), (0, -(d - board) / 2 - board / 2, h / 2 - frame / 2), "frame"))
    return parts, [{"part": "mattress", "size": [_r(max(0.05, w * 0.9)), _r(max(0.05, (d - board) * 0.9))]}]


def table(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A top of ``min(0.05, h/6)`` on four legs."""
    top = max(_MIN, min(0.05, h / 6))
    leg = max(_MIN, min(0.06, w / 8, d / 8))
    parts = [_box("top", (w, d, top), (0, 0, h - top / 2))]
    for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (-1, 1), (1, 1))):
        parts.append(_box(f"leg_{i}", (leg, leg, h - top), (sx * (w - leg) / 2, sy * (d - leg) / 2,
                                                             -top / 2 - (h - top) / 2), "top"))  # fmt: skip
    return parts, [{"part": "top", "size": [_r(max(0.05, w - 0.02)), _r(max(0.05, d - 0.02))]}]


def appliance(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A bevelled body with a thin front panel (2 % of the depth)."""
    panel = max(_MIN, d * 0.02)
    body_d = d - panel
    parts = [_box("body", (w, body_d, h), (0, -panel / 2, h / 2), bevel=_r(min(0.01, w / 20, body_d / 20, h / 20))),
             _box("panel", (w * 0.9, panel, h * 0.6), (0, body_d / 2 + panel / 2, h * 0.05), "body",
                  material="black plastic")]  # fmt: skip
    return parts, _top_surface("body", w, body_d, h)


def decoration(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A plinth (a fifth of the height) under a rounded body."""
    base = h / 5
    parts = [_box("base", (w, d, base), (0, 0, base / 2)),
             _cyl("body", (w * 0.9, d * 0.9, h - base), (0, 0, base / 2 + (h - base) / 2), "base", "sphere")]  # fmt: skip
    return parts, []


def vehicle(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """Wheels (diameter ``min(0.7, 0.45 h, 0.4 d)``, axles along x) under a frame box; four wheels when the
    vehicle is wider than 0.9 m, else two in line (a bicycle)."""
    wheel = min(0.7, 0.45 * h, 0.4 * d)
    tyre = max(_MIN, min(0.08, w / 4))
    body_h = h - wheel / 2
    parts = [_box("body", (w, d, body_h), (0, 0, wheel / 2 + body_h / 2))]
    four = w > 0.9
    xs = (-(w - tyre) / 2, (w - tyre) / 2) if four else (0.0,)
    k = 0
    for y in (-(d - wheel) / 2, (d - wheel) / 2):
        for x in xs:
            parts.append(_cyl(f"wheel_{k}", (wheel, wheel, tyre), (x, y, -body_h / 2), "body",
                              rpy=[0.0, _r(math.pi / 2), 0.0], material="black rubber"))  # fmt: skip
            k += 1
    if not four:  # a narrow frame: the wheels are as wide as the body
        parts[0]["size"][0] = _r(max(_MIN, w))
    return parts, []


def lighting(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A flat base, a pole and a conical shade (a quarter of the height)."""
    base, shade = max(_MIN, h * 0.04), h * 0.25
    pole = max(_MIN, min(0.04, w / 6))
    parts = [_cyl("base", (w * 0.6, d * 0.6, base), (0, 0, base / 2), None),
             _cyl("pole", (pole, pole, h - base - shade), (0, 0, base / 2 + (h - base - shade) / 2), "base"),
             _cyl("shade", (w, d, shade), (0, 0, (h - base - shade) / 2 + shade / 2), "pole", "cone",
                  material="white fabric")]  # fmt: skip
    return parts, []


def plant(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A pot (a third of the height, 60 % of the width) and a foliage sphere."""
    pot = h / 3
    parts = [_cyl("pot", (w * 0.6, d * 0.6, pot), (0, 0, pot / 2), None, material="brown ceramic"),
             _cyl("foliage", (w, d, h - pot), (0, 0, pot / 2 + (h - pot) / 2), "pot", "sphere",
                  material="green plastic")]  # fmt: skip
    return parts, []


def instrument(w: float, d: float, h: float) -> tuple[list[dict], list[dict]]:
    """A bevelled body on two supports (a fifth of the height)."""
    legs = h / 5
    parts = [_box("body", (w, d, h - legs), (0, 0, legs + (h - legs) / 2),
                  bevel=_r(min(0.02, w / 20, d / 20, (h - legs) / 20)))]  # fmt: skip
    for i, sx in enumerate((-1, 1)):
        parts.append(_box(f"support_{i}", (max(_MIN, w * 0.1), d * 0.8, legs),
                          (sx * w * 0.35, 0, -(h - legs) / 2 - legs / 2), "body"))  # fmt: skip
    return parts, _top_surface("body", w, d, h)


TEMPLATES: dict[str, Callable[[float, float, float], tuple[list[dict], list[dict]]]] = {
    "box_furniture": box_furniture, "seat": seat, "bed": bed, "table": table, "appliance": appliance,
    "decoration": decoration, "vehicle": vehicle, "lighting": lighting, "plant": plant, "instrument": instrument,
    "equipment": appliance, "container": box_furniture,
}  # fmt: skip


def template_program(name: str, coarse_class: str, size: Size3, placement: str = "floor",
                     material: str | None = None, rooms: tuple[str, ...] = ()) -> dict:  # fmt: skip
    """Program data for an object called ``name`` of a coarse class at full extents ``size`` (w, d, h) metres.

    ``placement`` is ``"floor"``, ``"wall"``, ``"surface"`` or ``"ceiling"``; wall objects become a panel,
    ceiling objects, surface objects and objects with a side under :data:`SMALLEST_TEMPLATED` one bevelled body,
    whatever their class. Unknown classes
    use ``box_furniture``. The result validates with :func:`scene_gym.assets.programs.parse_program`.
    """
    w, d, h = (max(0.02, float(v)) for v in size)
    if placement == "wall":
        parts, surfaces = [_box("panel", (w, d, h), (0, 0, h / 2))], []
    elif placement in ("surface", "ceiling") or min(w, d, h) < SMALLEST_TEMPLATED:
        bevel = _r(min(0.01, w / 10, d / 10, h / 10))
        parts, surfaces = [_box("body", (w, d, h), (0, 0, h / 2), bevel=bevel)], []
    else:
        parts, surfaces = TEMPLATES.get(coarse_class, box_furniture)(w, d, h)
    program = {"name": name, "description": f"A {name} ({coarse_class.replace('_', ' ')}, built from a template).",
               "placement": placement, "parts": parts, "surfaces": surfaces}  # fmt: skip
    if material:
        program["material"] = material
    if rooms:
        program["rooms"] = list(rooms)
    return program


__all__ = ["COARSE_CLASSES", "SURFACE_MAX_HEIGHT", "TEMPLATES", "template_program"]
