"""The case-furniture family: a carcass on a base, split from bottom to top into zones of drawers, hinged doors,
glass doors or open shelves. Sideboards, credenzas, storage, display, china, pantry, medical and shoe cabinets,
tallboys, bathroom vanities and kitchen islands are declarations of it.

Knobs:
    zones: ((kind, n, weight), ...) from the bottom: ``"drawers"`` (n drawers stacked, in ``drawer_cols``
        columns), ``"doors"`` / ``"glass"`` (n hinged doors side by side, solid or glass, with ``inner_shelves``
        shelves behind), ``"open"`` (an open bay with n shelves). Heights split by weight.
    drawer_cols: columns of drawers in a drawer zone, or of cubbies (split by partitions) in an open zone.
    inner_shelves: shelves behind each door zone.
    base: ``"plinth"``, ``"legs"`` (tapered-free square legs), ``"casters"`` or ``"feet"``; base_h its height (m).
    door_material / shelf_material: materials of door panels and of shelves behind glass (None: the object's).
    basin: a wash basin sunk in the top (bathroom vanities).

Front is +Y; every handle ends on the asset's front face; each zone floor, shelf and the top are support surfaces.
"""

from __future__ import annotations

from types import MappingProxyType

from scene_gym.assets.library.blocks import (
    DOOR_HANDLE_REACH,
    DRAWER_HANDLE_REACH,
    drawer_stack,
    hinged_door,
    open_box,
)
from scene_gym.assets.library.family import Family, declare, disc

PANEL = 0.018
DOOR_T = 0.018


class CaseFamily(Family):
    """Case furniture (see the module docstring for the knobs); size (w, d, h) metres fills the whole box."""

    articulated = True
    knobs = MappingProxyType({"zones": (("doors", 2, 1.0),), "drawer_cols": 1, "inner_shelves": 1, "base": "plinth",
                              "base_h": 0.08, "door_material": None, "shelf_material": None, "basin": False})  # fmt: skip

    def build(self, b, params):
        """Carcass, base, zones and top (sizes in metres, front +Y)."""
        k = self.knobs
        zones = k["zones"]
        has_doors = any(kind in ("doors", "glass") for kind, _, _ in zones)
        has_drawers = any(kind == "drawers" for kind, _, _ in zones)
        yf = b.d / 2 - (DOOR_HANDLE_REACH if has_doors else DRAWER_HANDLE_REACH if has_drawers else 0.0)
        base_h = min(k["base_h"], 0.25 * b.h)
        _base(b, k["base"], base_h, yf)
        open_box(b, "", -b.w / 2, b.w / 2, -b.d / 2, yf, base_h, b.h, PANEL)
        yc, depth = (yf - b.d / 2) / 2, yf + b.d / 2
        x0, x1 = -b.w / 2 + PANEL, b.w / 2 - PANEL
        z, z_top = base_h + PANEL, b.h - PANEL
        total = sum(wgt for _, _, wgt in zones)
        for i, (kind, n, wgt) in enumerate(zones):
            z1 = z_top if i == len(zones) - 1 else z + (z_top - base_h - PANEL) * wgt / total - PANEL / 2
            _zone(b, f"z{i}_", kind, n, x0, x1, z, z1, yf, depth, k)
            if i < len(zones) - 1:  # a divider board whose top is the next zone's floor
                yd = yf - DOOR_T - 0.004
                b.box(
                    f"divider_{i}",
                    (0, (yd - b.d / 2 + PANEL / 2) / 2, z1 + PANEL / 2),
                    (x1 - x0, yd + b.d / 2 - PANEL / 2, PANEL),
                )
                z = z1 + PANEL
        if k["basin"]:
            r = min(0.2, 0.3 * b.w, 0.35 * depth)
            disc(b, "basin", (0, yc, b.h - 0.004), r, 0.008, "white ceramic")
            b.surface(
                "top_left", (-(b.w / 4 + r / 2), yc, b.h), (max(0.02, b.w / 2 - r - 0.06), depth - 0.04)
            )
        else:
            b.surface("top", (0, yc, b.h), (b.w - 0.02, depth - 0.02))


def _base(b, style: str, base_h: float, yf: float) -> None:
    yc, depth = (yf - b.d / 2) / 2, yf + b.d / 2
    if style == "plinth":
        b.box("plinth", (0, yc, base_h / 2), (b.w - 0.04, depth - 0.04, base_h), "black plastic")
        return
    r = 0.025 if style != "feet" else 0.03
    for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
        x = sx * (b.w / 2 - 0.04)
        y = -b.d / 2 + 0.04 if sy < 0 else yf - 0.04
        if style == "legs":
            b.box(f"leg_{i}", (x, y, base_h / 2), (0.04, 0.04, base_h))
        elif style == "feet":
            b.cylinder(f"foot_{i}", (x, y, base_h / 2), r, base_h)
        else:  # casters: a fork block on a wheel
            wheel = min(r, base_h / 2 - 0.005)
            b.box(
                f"caster_fork_{i}",
                (x, y, (2 * wheel + base_h) / 2),
                (0.04, 0.04, base_h - 2 * wheel),
                "black metal",
            )
            b.sphere(f"caster_{i}", (x, y, wheel), wheel, "black rubber")


def _zone(
    b, prefix: str, kind: str, n: int, x0: float, x1: float, z0: float, z1: float, yf: float, depth: float, k
) -> None:
    """One zone filling the opening x0..x1, z0..z1 (metres) whose floor is the board under z0."""
    if kind == "drawers":
        cols = k["drawer_cols"]
        cw = (x1 - x0) / cols
        for c in range(cols):
            drawer_stack(b, f"{prefix}drawer_{c}_", x0 + cw * (c + 0.5), cw, z0, z1, n, depth - PANEL - 0.03,
                         y_front=yf, front_material=k["door_material"])  # fmt: skip
        return
    if kind == "open":
        cols = k["drawer_cols"]  # an open zone splits into this many cubbies across, by vertical partitions
        cw = (x1 - x0 - (cols - 1) * PANEL) / cols
        for c in range(cols):
            xa = x0 + c * (cw + PANEL)
            if c:
                b.box(
                    f"{prefix}partition_{c}",
                    (xa - PANEL / 2, PANEL / 4, (z0 + z1) / 2),
                    (PANEL, b.d - PANEL / 2, z1 - z0),
                )
            _shelves(
                b, f"{prefix}c{c}_", xa, xa + cw, z0, z1, n, -b.d / 2 + PANEL / 2, yf, k["shelf_material"]
            )
        return
    glass = kind == "glass"
    dw = (x1 - x0) / n
    # Handles at a reachable height: near the bottom of high doors, the middle of low ones, about 1 m on tall ones.
    hz = z0 + 0.12 if z0 > 0.9 else min((z0 + z1) / 2, 1.0)
    hz = min(max(hz, z0 + 0.08), z1 - 0.08) if z1 - z0 > 0.16 else (z0 + z1) / 2
    for i in range(n):
        hinge = "left" if (i % 2 == 0 and not (n > 1 and i == n - 1)) else "right"
        hinged_door(b, f"{prefix}door_{i}", x0 + i * dw, x0 + (i + 1) * dw, z0, z1, hinge=hinge, thickness=DOOR_T,
                    y_front=yf, handle_z=hz, material="glass" if glass else k["door_material"])  # fmt: skip
    shelves = k["inner_shelves"] + (1 if glass else 0)
    _shelves(b, prefix, x0, x1, z0, z1, shelves, -b.d / 2 + PANEL / 2, yf - DOOR_T - 0.004,
             "glass" if glass else k["shelf_material"])  # fmt: skip


def _shelves(
    b, prefix: str, x0: float, x1: float, z0: float, z1: float, n: int, y0: float, y1: float, material
) -> None:
    """A support surface on the zone floor at z0 and ``n`` boards evenly spaced above it, each a surface."""
    gap = (z1 - z0) / (n + 1)
    yc, d = (y0 + y1) / 2, y1 - y0
    b.surface(f"{prefix}floor", ((x0 + x1) / 2, yc, z0), (x1 - x0 - 0.02, d - 0.02), clearance=gap)
    for i in range(n):
        zc = z0 + gap * (i + 1)
        b.box(f"{prefix}shelf_{i}", ((x0 + x1) / 2, yc, zc), (x1 - x0, d, 0.012 if material == "glass" else PANEL),
              material)  # fmt: skip
        top = zc + (0.006 if material == "glass" else PANEL / 2)
        b.surface(
            f"{prefix}shelf_{i}", ((x0 + x1) / 2, yc, top), (x1 - x0 - 0.02, d - 0.02), clearance=gap - PANEL
        )


_LIVING = ("living room", "dining room", "studio apartment")

declare(
    CaseFamily,
    "sideboard",
    synonyms=("dining sideboard", "side board", "server"),
    description="A long low dining-room cabinet on legs: drawers over hinged doors.",
    size_range=((1.0, 0.38, 0.65), (2.2, 0.55, 1.0)),
    default_size=(1.6, 0.45, 0.85),
    default_material="walnut wood",
    rooms=_LIVING + ("restaurant",),
    knobs={
        "zones": (("doors", 3, 3.0), ("drawers", 1, 1.0)),
        "drawer_cols": 3,
        "base": "legs",
        "base_h": 0.15,
    },
)
declare(
    CaseFamily,
    "credenza",
    synonyms=("office credenza", "credenza desk", "low office sideboard"),
    description="A low office cabinet with sliding-drawer and door bays under a long top.",
    size_range=((1.2, 0.4, 0.6), (2.2, 0.55, 0.8)),
    default_size=(1.6, 0.48, 0.74),
    default_material="cherry wood",
    rooms=("office", "meeting room", "living room"),
    knobs={"zones": (("doors", 4, 1.0),), "base": "plinth", "base_h": 0.05},
)
declare(
    CaseFamily,
    "buffet",
    synonyms=("dining buffet", "buffet server", "hutch buffet"),
    description="A tall dining buffet: a row of drawers over a double-door cupboard on a plinth.",
    size_range=((1.0, 0.4, 0.8), (2.0, 0.6, 1.1)),
    default_size=(1.4, 0.5, 0.95),
    default_material="oak wood",
    rooms=("dining room", "restaurant", "kitchen"),
    knobs={"zones": (("doors", 2, 2.0), ("drawers", 1, 1.0)), "drawer_cols": 2},
)
declare(
    CaseFamily,
    "storage_cabinet",
    synonyms=(
        "supply cabinet",
        "storage cupboard",
        "steel cabinet",
        "office storage cabinet",
        "two-door cabinet",
    ),
    description="A tall two-door cabinet with adjustable shelves behind the doors for general storage.",
    size_range=((0.6, 0.35, 1.2), (1.2, 0.65, 2.1)),
    default_size=(0.9, 0.45, 1.8),
    default_material="grey sheet steel",
    rooms=("office", "garage", "classroom", "laundry room", "gym"),
    knobs={"zones": (("doors", 2, 1.0),), "inner_shelves": 3, "base": "feet", "base_h": 0.03},
)
declare(
    CaseFamily,
    "display_cabinet",
    synonyms=("curio cabinet", "vitrine", "glass cabinet", "glass display cabinet"),
    description="A cabinet with glass doors and glass shelves over a solid-door cupboard, for showing things.",
    size_range=((0.6, 0.35, 1.2), (1.4, 0.55, 2.1)),
    default_size=(0.9, 0.42, 1.8),
    default_material="oak wood",
    rooms=_LIVING + ("bookstore", "restaurant", "office"),
    knobs={"zones": (("doors", 2, 1.0), ("glass", 2, 2.5)), "inner_shelves": 0},
)
declare(
    CaseFamily,
    "china_cabinet",
    synonyms=("china hutch", "dish cabinet", "welsh dresser"),
    description="A tall dining cabinet: drawers and doors below, glass doors over shelves for china above.",
    size_range=((0.9, 0.38, 1.5), (1.8, 0.55, 2.2)),
    default_size=(1.2, 0.45, 1.95),
    default_material="cherry wood",
    rooms=("dining room", "living room", "kitchen"),
    knobs={
        "zones": (("doors", 2, 1.4), ("drawers", 1, 0.5), ("glass", 2, 2.6)),
        "drawer_cols": 2,
        "inner_shelves": 1,
    },
)
declare(
    CaseFamily,
    "pantry_cabinet",
    synonyms=("pantry cupboard", "larder cabinet", "tall kitchen cabinet", "food pantry"),
    description="A tall kitchen cupboard with shelves for food behind two doors and drawers at the bottom.",
    size_range=((0.5, 0.45, 1.6), (1.2, 0.65, 2.3)),
    default_size=(0.8, 0.58, 2.0),
    default_material="white lacquer",
    rooms=("kitchen", "dining room", "restaurant", "laundry room"),
    knobs={"zones": (("drawers", 2, 0.7), ("doors", 2, 3.0)), "inner_shelves": 3, "base_h": 0.1},
)
declare(
    CaseFamily,
    "medical_cabinet",
    synonyms=("hospital cabinet", "clinic cabinet", "medical supply cabinet", "pharmacy cabinet"),
    description="A white clinic cabinet: drawers for supplies under glass doors with shelves.",
    size_range=((0.6, 0.35, 1.2), (1.2, 0.55, 2.0)),
    default_size=(0.8, 0.42, 1.75),
    default_material="white sheet steel",
    rooms=("medical examination room", "waiting room", "office"),
    knobs={
        "zones": (("drawers", 2, 0.8), ("doors", 2, 1.2), ("glass", 2, 2.0)),
        "inner_shelves": 1,
        "base": "feet",
        "base_h": 0.03,
    },
)
declare(
    CaseFamily,
    "shoe_cabinet",
    synonyms=("shoe cupboard", "shoe storage cabinet", "entryway cabinet"),
    description="A shallow hallway cabinet with doors over shelves for shoes and a drawer on top.",
    size_range=((0.6, 0.24, 0.8), (1.4, 0.4, 1.3)),
    default_size=(0.9, 0.32, 1.0),
    default_material="white lacquer",
    rooms=("living room", "bedroom", "studio apartment", "children room"),
    knobs={
        "zones": (("doors", 2, 3.0), ("drawers", 1, 0.7)),
        "drawer_cols": 2,
        "inner_shelves": 2,
        "base_h": 0.05,
    },
)
declare(
    CaseFamily,
    "tallboy",
    synonyms=("tall dresser", "highboy", "lingerie chest", "semainier", "tall chest"),
    description="A tall narrow chest of many stacked drawers.",
    size_range=((0.45, 0.38, 1.0), (1.0, 0.55, 1.6)),
    default_size=(0.6, 0.45, 1.3),
    default_material="white lacquer",
    rooms=("bedroom", "children room", "nursery", "studio apartment"),
    knobs={"zones": (("drawers", 5, 1.0),), "base": "legs", "base_h": 0.12},
)
declare(
    CaseFamily,
    "linen_tower",
    synonyms=("linen closet", "linen cupboard", "towel tower", "tall bathroom cupboard"),
    description="A tall slim bathroom cabinet: a door with shelves for towels over a drawer and a lower door.",
    size_range=((0.35, 0.3, 1.3), (0.8, 0.5, 2.0)),
    default_size=(0.5, 0.35, 1.7),
    default_material="white lacquer",
    rooms=("bathroom", "laundry room", "bedroom"),
    knobs={"zones": (("doors", 1, 1.5), ("drawers", 1, 0.5), ("doors", 1, 2.0)), "inner_shelves": 1},
)
declare(
    CaseFamily,
    "bar_cabinet",
    synonyms=("drinks cabinet", "liquor cabinet", "cocktail cabinet", "home bar"),
    description="A drinks cabinet on legs: glass doors over bottle shelves above a wide drawer.",
    size_range=((0.7, 0.38, 0.9), (1.4, 0.55, 1.6)),
    default_size=(1.0, 0.45, 1.3),
    default_material="walnut wood",
    rooms=("living room", "dining room", "game room", "restaurant"),
    knobs={
        "zones": (("drawers", 1, 0.6), ("glass", 2, 2.0)),
        "drawer_cols": 2,
        "base": "legs",
        "base_h": 0.2,
    },
)
declare(
    CaseFamily,
    "lateral_file_cabinet",
    synonyms=("lateral filing cabinet", "lateral file", "wide file cabinet"),
    description="A wide steel office cabinet of two or three full-width file drawers.",
    size_range=((0.75, 0.4, 0.65), (1.1, 0.55, 1.4)),
    default_size=(0.9, 0.46, 1.0),
    default_material="grey sheet steel",
    rooms=("office", "meeting room", "classroom", "medical examination room"),
    knobs={"zones": (("drawers", 3, 1.0),), "base": "plinth", "base_h": 0.04},
)
declare(
    CaseFamily,
    "mobile_pedestal",
    synonyms=(
        "under-desk drawer unit",
        "desk pedestal",
        "rolling file cabinet",
        "drawer unit",
        "office pedestal",
    ),
    description="A small rolling drawer unit that tucks under a desk: two shallow drawers over a file drawer.",
    size_range=((0.35, 0.4, 0.45), (0.5, 0.65, 0.7)),
    default_size=(0.42, 0.55, 0.6),
    default_material="white sheet steel",
    rooms=("office", "classroom", "bedroom", "studio apartment"),
    knobs={"zones": (("drawers", 1, 1.6), ("drawers", 2, 1.4)), "base": "casters", "base_h": 0.06},
)
declare(
    CaseFamily,
    "plan_chest",
    synonyms=("flat file", "flat files", "map drawers", "art drawers", "map chest", "plan drawers"),
    description="A wide low cabinet of many thin drawers for maps, drawings and prints.",
    size_range=((0.9, 0.6, 0.5), (1.4, 1.0, 1.0)),
    default_size=(1.1, 0.8, 0.8),
    default_material="white sheet steel",
    rooms=("office", "classroom", "studio apartment", "bookstore"),
    knobs={"zones": (("drawers", 5, 1.0),)},
)
declare(
    CaseFamily,
    "card_catalog",
    synonyms=(
        "library card catalog",
        "card index",
        "apothecary drawers",
        "apothecary chest",
        "multi-drawer chest",
    ),
    description="A wooden cabinet of many small drawers in a grid, as in old libraries and apothecaries.",
    size_range=((0.5, 0.35, 0.6), (1.2, 0.6, 1.5)),
    default_size=(0.8, 0.45, 1.1),
    default_material="oak wood",
    rooms=("bookstore", "office", "living room", "classroom"),
    knobs={"zones": (("drawers", 4, 1.0),), "drawer_cols": 2, "base": "legs", "base_h": 0.15},
)
