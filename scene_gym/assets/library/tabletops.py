"""The table family (:class:`TableFamily`): a top on legs, a pedestal or trestles, with optional lower shelf,
casters, a raised rim, a net across the middle, or a back board (a mirror, a pegboard). Ping-pong, air-hockey,
poker, card, console, bar-height, drafting, folding, banquet, massage, sewing and lab tables, potting and
pegboard workbenches, dressing tables, standing desks and bar carts are declarations of it.

The top (or the playing field inside a rim) is a support surface, and so is the lower shelf.
"""

from __future__ import annotations

from types import MappingProxyType

from scene_gym.assets.library.blocks import ellipse
from scene_gym.assets.library.family import Family, declare

CORNERS = ((-1, -1), (1, -1), (1, 1), (-1, 1))


class TableFamily(Family):
    """A table; size (w, d, h) metres.

    Knobs: base (``"legs"``, ``"pedestal"``, ``"trestle"``), round (a round top), top_t (top thickness, m),
    top_material (None: the object's), shelf (a lower shelf), casters, rim (height of a raised rim, m), net
    (height of a net across the middle, m), back_board (a board rising behind the top to the full height),
    top_h (height of the top when there is a back board, m), board_material.
    """

    knobs = MappingProxyType({"base": "legs", "round": False, "top_t": 0.03, "top_material": None, "shelf": False,
                              "casters": False, "rim": 0.0, "net": 0.0, "back_board": False, "top_h": 0.76,
                              "board_material": "brown mdf"})  # fmt: skip

    def build(self, b, params):
        """Base, top, features and surfaces (metres)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        if k["back_board"]:
            top_z = min(k["top_h"], h - 0.1)
        else:
            top_z = h - max(k["rim"], k["net"])
        t = min(k["top_t"], 0.3 * top_z)
        z_base = 0.08 if k["casters"] else 0.0
        if k["casters"]:
            for i, (sx, sy) in enumerate(CORNERS):
                b.sphere(
                    f"caster_{i}", (sx * (w / 2 - 0.05), sy * (d / 2 - 0.05), 0.04), 0.04, "black rubber"
                )
        y_top0 = -d / 2 + (0.03 if k["back_board"] else 0.0)
        yc, td = (y_top0 + d / 2) / 2, d / 2 - y_top0
        if k["round"]:
            b.extrusion("top", (0, yc, top_z - t), ellipse(w, td), t, k["top_material"])
        else:
            b.box("top", (0, yc, top_z - t / 2), (w, td, t), k["top_material"], bevel=0.003)
        leg_top = top_z - t
        base = k["base"]
        if base == "legs":
            for i, (sx, sy) in enumerate(CORNERS):
                x, y = sx * (w / 2 - 0.06), yc + sy * (td / 2 - 0.06)
                if k["round"]:
                    x, y = x * 0.6, yc + (y - yc) * 0.6
                b.box(f"leg_{i}", (x, y, (z_base + leg_top) / 2), (0.045, 0.045, leg_top - z_base))
        elif base == "pedestal":
            b.extrusion(
                "foot", (0, yc, z_base), ellipse(0.6 * min(w, td), 0.6 * min(w, td)), 0.03, "black metal"
            )
            b.cylinder(
                "column", (0, yc, (z_base + 0.03 + leg_top) / 2), 0.04, leg_top - z_base - 0.03, "black metal"
            )
        else:  # trestle: two end frames joined by a stretcher
            for side, sx in (("left", -1), ("right", 1)):
                x = sx * (w / 2 - 0.1)
                b.box(f"trestle_{side}", (x, yc, (z_base + leg_top) / 2), (0.05, td * 0.8, leg_top - z_base))
                b.box(f"trestle_foot_{side}", (x, yc, z_base + 0.02), (0.07, td * 0.9, 0.04))
            b.box("stretcher", (0, yc, z_base + 0.25 * (leg_top - z_base)), (w - 0.25, 0.04, 0.06))
        if k["shelf"]:
            zs = z_base + 0.2 * (leg_top - z_base)
            b.box("lower_shelf", (0, yc, zs), (w - 0.17, td - 0.17, 0.02))
            b.surface("lower_shelf", (0, yc, zs + 0.01), (w - 0.2, td - 0.2), clearance=leg_top - zs - 0.01)
        if k["rim"]:
            r = k["rim"]
            for side, sx in (("left", -1), ("right", 1)):
                b.box(f"rim_{side}", (sx * (w / 2 - 0.02), yc, top_z + r / 2), (0.04, td, r))
            for side, sy in (("back", -1), ("front", 1)):
                b.box(f"rim_{side}", (0, yc + sy * (td / 2 - 0.02), top_z + r / 2), (w - 0.08, 0.04, r))
        if k["net"]:
            b.box("net", (0, yc, top_z + k["net"] / 2), (0.01, td + 0.0, k["net"]), "white fabric")
            b.surface("half_left", (-w / 4, yc, top_z), (w / 2 - 0.1, td - 0.04), clearance=2.0)
            b.surface("half_right", (w / 4, yc, top_z), (w / 2 - 0.1, td - 0.04), clearance=2.0)
        else:
            inset = 0.05 + (0.04 if k["rim"] else 0.0)
            sw, sd = (w * 0.7, td * 0.7) if k["round"] else (w - 2 * inset, td - 2 * inset)
            b.surface("top", (0, yc, top_z), (sw, sd), clearance=2.0)
        if k["back_board"]:
            b.box(
                "back_board",
                (0, -d / 2 + 0.015, (top_z + h) / 2),
                (w - 0.06, 0.03, h - top_z),
                k["board_material"],
            )
            for side, sx in (("left", -1), ("right", 1)):
                b.box(
                    f"board_post_{side}",
                    (sx * (w / 2 - 0.015), -d / 2 + 0.015, (leg_top + h) / 2),
                    (0.03, 0.03, h - leg_top),
                )


_PLAY = ("game room", "children room", "living room", "garage")

declare(
    TableFamily,
    "ping_pong_table",
    synonyms=("table tennis table", "ping-pong table", "pingpong table", "table tennis"),
    description="A table-tennis table: a green top on legs with a net across the middle.",
    size_range=((2.2, 1.2, 0.85), (2.8, 1.6, 0.95)),
    default_size=(2.74, 1.525, 0.913),
    default_material="dark green mdf",
    rooms=_PLAY + ("gym", "classroom"),
    knobs={"net": 0.1525, "top_t": 0.025, "casters": True},
)
declare(
    TableFamily,
    "air_hockey_table",
    synonyms=("air hockey", "air-hockey table", "hockey table"),
    description="An air-hockey table: a smooth playing field inside a raised rim on sturdy legs.",
    size_range=((1.5, 0.8, 0.75), (2.4, 1.3, 0.9)),
    default_size=(2.1, 1.1, 0.82),
    default_material="white plastic",
    rooms=_PLAY,
    knobs={"rim": 0.06, "top_t": 0.12},
)
declare(
    TableFamily,
    "poker_table",
    synonyms=("card table", "casino table", "gaming table", "blackjack table"),
    description="A round felt-topped card table on a pedestal.",
    size_range=((1.0, 1.0, 0.72), (1.8, 1.8, 0.8)),
    default_size=(1.3, 1.3, 0.76),
    default_material="green wool",
    rooms=_PLAY + ("restaurant",),
    knobs={"base": "pedestal", "round": True, "top_t": 0.06},
)
declare(
    TableFamily,
    "console_table",
    synonyms=("sofa table", "hall table", "entryway table", "hallway table", "entry table"),
    description="A long narrow table with a lower shelf, set against a wall or behind a sofa.",
    size_range=((0.8, 0.25, 0.7), (1.8, 0.45, 0.9)),
    default_size=(1.2, 0.35, 0.8),
    default_material="walnut wood",
    rooms=("living room", "bedroom", "dining room", "waiting room", "office"),
    knobs={"shelf": True},
)
declare(
    TableFamily,
    "bar_table",
    synonyms=("high-top table", "pub table", "bistro table", "cocktail bar table", "standing table"),
    description="A round bar-height table on a pedestal, for standing or bar stools.",
    size_range=((0.55, 0.55, 0.95), (0.9, 0.9, 1.15)),
    default_size=(0.7, 0.7, 1.05),
    default_material="black mdf",
    rooms=("restaurant", "game room", "kitchen", "dining room"),
    knobs={"base": "pedestal", "round": True},
)
declare(
    TableFamily,
    "folding_table",
    synonyms=("trestle table", "banquet table", "event table", "camping table", "utility table"),
    description="A long light table with a plastic top on folding steel legs.",
    size_range=((1.2, 0.6, 0.7), (2.4, 0.9, 0.76)),
    default_size=(1.8, 0.75, 0.74),
    default_material="white plastic",
    rooms=("classroom", "meeting room", "garage", "restaurant", "laundry room"),
    knobs={"base": "trestle", "top_t": 0.04},
)
declare(
    TableFamily,
    "drafting_table",
    synonyms=("drawing table", "drafting board", "architect table", "art table"),
    description="A wide drawing table on trestle legs with a plank stretcher.",
    size_range=((0.9, 0.6, 0.75), (1.6, 1.0, 1.0)),
    default_size=(1.2, 0.8, 0.9),
    default_material="birch wood",
    rooms=("office", "classroom", "studio apartment"),
    knobs={"base": "trestle"},
)
declare(
    TableFamily,
    "massage_table",
    synonyms=("massage bed", "treatment couch", "therapy table", "spa bed"),
    description="A long padded massage table on four legs with a shelf below.",
    size_range=((0.6, 1.8, 0.6), (0.8, 2.1, 0.85)),
    default_size=(0.7, 1.9, 0.7),
    default_material="black leather",
    rooms=("medical examination room", "bedroom", "gym"),
    knobs={"top_t": 0.08, "shelf": True},
)
declare(
    TableFamily,
    "sewing_table",
    synonyms=("sewing desk", "craft table", "hobby table", "crafting table"),
    description="A work table for sewing and crafts with a lower shelf.",
    size_range=((0.8, 0.45, 0.7), (1.6, 0.8, 0.8)),
    default_size=(1.1, 0.55, 0.76),
    default_material="white mdf",
    rooms=("bedroom", "studio apartment", "classroom", "laundry room"),
    knobs={"shelf": True},
)
declare(
    TableFamily,
    "lab_bench",
    synonyms=("laboratory bench", "lab table", "science table", "laboratory table"),
    description="A heavy laboratory bench with a resin top and a lower shelf.",
    size_range=((1.2, 0.6, 0.75), (2.4, 0.9, 0.95)),
    default_size=(1.8, 0.75, 0.9),
    default_material="grey sheet steel",
    rooms=("classroom", "medical examination room", "office"),
    knobs={"shelf": True, "top_t": 0.03, "top_material": "black granite"},
)
declare(
    TableFamily,
    "pegboard_workbench",
    synonyms=("tool bench", "garage workbench", "workbench with pegboard", "workshop bench", "work station"),
    description="A heavy workbench with a lower shelf and a pegboard rising behind the top for tools.",
    size_range=((1.2, 0.6, 1.4), (2.4, 0.9, 2.1)),
    default_size=(1.8, 0.75, 1.8),
    default_material="plywood",
    rooms=("garage", "laundry room", "classroom"),
    knobs={"shelf": True, "back_board": True, "top_h": 0.9, "top_t": 0.05},
)
declare(
    TableFamily,
    "potting_bench",
    synonyms=("potting table", "garden workbench", "planting bench"),
    description="A wooden garden work table with a lower shelf and a back board for hanging tools.",
    size_range=((0.9, 0.5, 1.1), (1.6, 0.8, 1.6)),
    default_size=(1.2, 0.6, 1.4),
    default_material="pine wood",
    rooms=("garage", "laundry room"),
    knobs={"shelf": True, "back_board": True, "top_h": 0.85, "board_material": "pine wood"},
)
declare(
    TableFamily,
    "dressing_table",
    synonyms=("vanity table", "makeup table", "makeup vanity", "dressing desk"),
    description="A table on slim legs with a tall mirror standing behind its top.",
    size_range=((0.7, 0.35, 1.2), (1.4, 0.55, 1.8)),
    default_size=(1.0, 0.45, 1.45),
    default_material="white lacquer",
    rooms=("bedroom", "studio apartment", "bathroom"),
    knobs={"back_board": True, "top_h": 0.76, "board_material": "mirror glass"},
)
declare(
    TableFamily,
    "standing_desk",
    synonyms=("sit-stand desk", "height adjustable desk", "stand up desk", "adjustable desk"),
    description="A height-adjustable desk: a wide top on two steel columns with feet.",
    size_range=((1.0, 0.6, 0.65), (2.0, 0.9, 1.25)),
    default_size=(1.4, 0.7, 1.05),
    default_material="white mdf",
    rooms=("office", "studio apartment", "bedroom", "meeting room"),
    knobs={"base": "trestle", "top_t": 0.025},
)
declare(
    TableFamily,
    "bar_cart",
    synonyms=(
        "serving cart",
        "drinks trolley",
        "tea trolley",
        "kitchen cart",
        "rolling cart",
        "utility cart",
    ),
    description="A small rolling cart with a top tray and a lower shelf.",
    size_range=((0.5, 0.35, 0.6), (1.0, 0.6, 0.95)),
    default_size=(0.75, 0.45, 0.82),
    default_material="brass",
    rooms=("living room", "dining room", "kitchen", "restaurant", "office"),
    knobs={"shelf": True, "casters": True, "top_t": 0.02, "top_material": "glass"},
)
declare(
    TableFamily,
    "reading_table",
    synonyms=("library table", "study table", "refectory table", "long reading table"),
    description="A long heavy wooden table on trestles, as in libraries and reading rooms.",
    size_range=((1.4, 0.8, 0.72), (3.0, 1.2, 0.8)),
    default_size=(2.0, 0.95, 0.76),
    default_material="oak wood",
    rooms=("bookstore", "classroom", "office", "dining room"),
    knobs={"base": "trestle", "top_t": 0.05},
)
declare(
    TableFamily,
    "picnic_table",
    synonyms=("garden table", "patio table", "outdoor table", "park table"),
    description="A wooden outdoor table on four sturdy legs.",
    size_range=((1.2, 0.7, 0.7), (2.4, 1.0, 0.78)),
    default_size=(1.8, 0.8, 0.74),
    default_material="pine wood",
    rooms=("restaurant", "garage", "dining room", "living room"),
    knobs={"top_t": 0.05},
)
declare(
    TableFamily,
    "hospital_bed",
    synonyms=("medical bed", "patient bed", "adjustable bed", "care bed", "hospital cot"),
    description="A hospital bed: a mattress on a frame on casters with a headboard at the head end.",
    size_range=((0.9, 2.0, 0.9), (1.05, 2.3, 1.3)),
    default_size=(1.0, 2.15, 1.1),
    default_material="white sheet steel",
    rooms=("medical examination room", "bedroom", "waiting room"),
    knobs={
        "casters": True,
        "back_board": True,
        "top_h": 0.6,
        "top_t": 0.15,
        "top_material": "white cotton",
        "board_material": "white plastic",
    },
)
