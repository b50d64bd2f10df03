"""Tables and desks: a top on legs; desks add a drawer."""

from __future__ import annotations

from scene_gym.assets.library.blocks import drawer, four_legs
from scene_gym.assets.registry import AssetFactory, register


class _LeggedTable(AssetFactory):
    """A top of thickness ``top`` on four legs; the top is a support surface."""

    default_material = "oak wood"
    params = {"top": 0.03, "round_legs": False}

    def build(self, b, params):
        top = min(params["top"], b.h * 0.3)
        leg = max(0.02, min(0.06, 0.06 * min(b.w, b.d)))
        b.box("top", (0, 0, b.h - top / 2), (b.w, b.d, top), bevel=0.004)
        four_legs(b, b.h - top, leg, inset=0.03, round_legs=bool(params["round_legs"]))
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
    params = {"drawer": True}

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
            drawer(b, "drawer_0", 0.0, zc, dw, dh, b.d - 0.12)
