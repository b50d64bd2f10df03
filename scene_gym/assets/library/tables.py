"""Tables and desks: a top on legs; desks add a drawer. Office and classroom desks live in ``office``."""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import DRAWER_HANDLE_REACH, drawer, ellipse, four_legs
from scene_gym.assets.params import bool_param, float_param


class _LeggedTable(AssetFactory):
    """A top of thickness ``top`` on four legs; the top is a support surface."""

    default_material = "oak wood"
    params = {"top": float_param(0.03, 0.01, 0.1, "thickness of the top, m (at most 30% of the height)"),
              "round_legs": bool_param(False, "round rather than square legs")}

    def build(self, b, params):
        top = min(params["top"], b.h * 0.3)
        leg = max(0.02, min(0.06, 0.06 * min(b.w, b.d)))
        b.box("top", (0, 0, b.h - top / 2), (b.w, b.d, top), bevel=0.004)
        four_legs(b, b.h - top, leg, inset=0.03, round_legs=params["round_legs"])
        b.surface("top", (0, 0, b.h), (b.w - 0.02, b.d - 0.02))


@register
class DiningTable(_LeggedTable):
    category = "dining_table"
    synonyms = ("kitchen table", "table", "eating table")
    description = "A rectangular dining table on four legs where people eat meals."
    size_range = ((0.8, 0.7, 0.68), (2.6, 1.2, 0.8))
    default_size = (1.6, 0.9, 0.75)
    rooms = ("dining room", "kitchen", "restaurant", "studio apartment")


@register
class Desk(AssetFactory):
    category = "desk"
    synonyms = ("writing desk", "computer desk", "work desk", "study desk")
    description = "A work desk with a drawer under the top, for a computer or writing."
    size_range = ((0.8, 0.5, 0.7), (2.0, 0.9, 0.8))
    default_size = (1.2, 0.6, 0.75)
    default_material = "walnut wood"
    rooms = ("office", "bedroom", "children room", "studio apartment", "classroom")
    articulated = True
    params = {"drawer": bool_param(True, "a drawer under the top")}

    def build(self, b, params):
        top = 0.03
        b.box("top", (0, 0, b.h - top / 2), (b.w, b.d, top), bevel=0.004)
        four_legs(b, b.h - top, 0.045, inset=0.02)
        b.surface("top", (0, 0, b.h), (b.w - 0.02, b.d - 0.02))
        if params["drawer"]:
            dh, dw = 0.12, min(0.5, b.w * 0.4)
            zc = b.h - top - dh / 2 - 0.005
            # The drawer hangs under the top between two runners fixed to the top.
            b.box("runner_l", (-dw / 2 - 0.012, 0, zc), (0.01, b.d - 0.1, dh))
            b.box("runner_r", (dw / 2 + 0.012, 0, zc), (0.01, b.d - 0.1, dh))
            drawer(b, "drawer_0", 0.0, zc, dw, dh, b.d - 0.12, y_front=b.d / 2 - DRAWER_HANDLE_REACH)


@register
class CoffeeTable(_LeggedTable):
    category = "coffee_table"
    synonyms = ("cocktail table", "center table", "low table", "living room table")
    description = "A low living-room table on four legs with a magazine shelf underneath."
    size_range = ((0.6, 0.4, 0.3), (1.6, 0.9, 0.5))
    default_size = (1.1, 0.6, 0.42)
    default_material = "walnut wood"
    rooms = ("living room", "studio apartment", "waiting room", "game room", "office")
    params = {**_LeggedTable.params, "shelf": bool_param(True, "a lower shelf between the legs")}

    def build(self, b, params):
        super().build(b, params)
        if params["shelf"]:
            z, t = min(0.1, b.h * 0.25), 0.018
            leg = max(0.02, min(0.06, 0.06 * min(b.w, b.d)))
            b.box("shelf", (0, 0, z + t / 2), (b.w - 0.06 - 2 * leg, b.d - 0.06, t))
            b.surface("shelf", (0, 0, z + t), (b.w - 0.08 - 2 * leg, b.d - 0.08), clearance=b.h - 0.03 - z - t)


@register
class SideTable(AssetFactory):
    category = "side_table"
    synonyms = ("end table", "accent table", "lamp table", "occasional table", "round table")
    description = "A small table with a round or square top on four legs, set beside a sofa or bed."
    size_range = ((0.35, 0.35, 0.45), (0.7, 0.7, 0.75))
    default_size = (0.5, 0.5, 0.55)
    default_material = "oak wood"
    rooms = ("living room", "bedroom", "studio apartment", "waiting room", "office", "bookstore")
    params = {"round": bool_param(True, "a round rather than square top")}

    def build(self, b, params):
        top = 0.025
        legs = b.h - top
        if params["round"]:
            b.extrusion("top", (0, 0, legs), ellipse(b.w, b.d, 32), top)
            k, surface = 0.27, (b.w / math.sqrt(2) - 0.02, b.d / math.sqrt(2) - 0.02)
        else:
            b.box("top", (0, 0, b.h - top / 2), (b.w, b.d, top), bevel=0.003)
            k, surface = 0.4, (b.w - 0.02, b.d - 0.02)
        leg = 0.03
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            b.cylinder(f"leg_{i}", (sx * k * b.w, sy * k * b.d, legs / 2), leg / 2, legs)
        b.box("shelf", (0, 0, legs * 0.3), (2 * k * b.w + leg, 2 * k * b.d + leg, 0.015))
        b.surface("top", (0, 0, b.h), surface)
        b.surface("shelf", (0, 0, legs * 0.3 + 0.0075), (2 * k * b.w - leg, 2 * k * b.d - leg),
                  clearance=legs * 0.7 - 0.0075)  # fmt: skip


@register
class KidsTable(_LeggedTable):
    category = "kids_table"
    synonyms = ("children's table", "child table", "activity table", "play table", "toddler table")
    description = "A low, sturdy table with rounded legs sized for children to draw and play at."
    size_range = ((0.6, 0.45, 0.4), (1.2, 0.8, 0.6))
    default_size = (0.8, 0.6, 0.5)
    default_material = "birch wood"
    rooms = ("children room", "nursery", "classroom", "waiting room")
    params = {"top": float_param(0.025, 0.01, 0.1, "thickness of the top, m (at most 30% of the height)"),
              "round_legs": bool_param(True, "round rather than square legs")}
