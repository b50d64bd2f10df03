"""Living-room fixtures built around an opening: fireplaces (a mantel round a firebox) and aquariums (a glass
tank on a cabinet)."""

from __future__ import annotations

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import DOOR_HANDLE_REACH, hinged_door, open_box


@register
class Fireplace(AssetFactory):
    """A free-standing fireplace surround: a hearth, two jambs, a mantel shelf and a dark firebox (metres)."""

    category = "fireplace"
    synonyms = ("fire place", "hearth", "mantelpiece", "electric fireplace", "fireplace mantel", "fireside")
    description = "A fireplace surround: a hearth slab, jambs and a mantel shelf round a dark firebox."
    size_range = ((0.9, 0.3, 0.8), (2.0, 0.7, 1.4))
    default_size = (1.4, 0.45, 1.15)
    default_material = "white painted wood"
    rooms = ("living room", "dining room", "bedroom", "restaurant", "waiting room")

    def build(self, b, params):
        """Hearth, back, jambs, lintel, mantel and firebox; the mantel and the hearth are surfaces."""
        w, d, h = b.w, b.d, b.h
        mantel_t, hearth_t = 0.05, 0.04
        body_d = d - 0.08
        yb = -d / 2 + body_d / 2
        b.box("hearth", (0, 0, hearth_t / 2), (w, d, hearth_t), "granite")
        jamb = 0.2 * w
        z1 = h - mantel_t
        b.box(
            "back", (0, -d / 2 + 0.05, (hearth_t + z1) / 2), (w - 2 * jamb, 0.1, z1 - hearth_t), "black paint"
        )
        for side, sx in (("left", -1), ("right", 1)):
            b.box(
                f"jamb_{side}",
                (sx * (w / 2 - jamb / 2 - 0.02), yb, (hearth_t + z1) / 2),
                (jamb, body_d, z1 - hearth_t),
            )
        open_h = 0.6 * (z1 - hearth_t)
        b.box(
            "lintel",
            (0, yb, (hearth_t + open_h + z1) / 2),
            (w - 2 * jamb - 0.04, body_d, z1 - hearth_t - open_h),
        )
        b.box(
            "mantel", (0, -d / 2 + (d - 0.02) / 2, h - mantel_t / 2), (w, d - 0.02, mantel_t), "walnut wood"
        )
        b.box(
            "logs",
            (0, -d / 2 + 0.2, hearth_t + 0.05),
            (min(0.5, w - 2 * jamb - 0.1), 0.15, 0.1),
            "brown wood",
        )
        b.surface("mantel", (0, -d / 2 + (d - 0.02) / 2, h), (w - 0.04, d - 0.06))
        b.surface("hearth", (0, d / 2 - 0.03, hearth_t), (w - 0.04, 0.04), clearance=0.5)


@register
class Aquarium(AssetFactory):
    """A glass fish tank on a stand cabinet with two doors (metres)."""

    category = "aquarium"
    synonyms = ("fish tank", "aquarium tank", "fishbowl stand", "aquarium with stand", "terrarium")
    description = "A glass fish tank of water on a stand cabinet with two doors."
    size_range = ((0.6, 0.3, 1.0), (1.8, 0.6, 1.6))
    default_size = (1.0, 0.4, 1.3)
    default_material = "black mdf"
    rooms = ("living room", "waiting room", "restaurant", "office", "children room", "classroom")
    articulated = True

    def build(self, b, params):
        """Stand cabinet (doors, shelf), glass tank with water and a lid; the lid top is a surface."""
        w, d, h = b.w, b.d, b.h
        panel = 0.018
        yf = d / 2 - DOOR_HANDLE_REACH
        stand_h = min(0.75, 0.55 * h)
        open_box(b, "", -w / 2, w / 2, -d / 2, yf, 0.0, stand_h, panel)
        x0, x1 = -w / 2 + panel, w / 2 - panel
        hinged_door(b, "door_0", x0, 0.0, panel, stand_h - panel, hinge="left", y_front=yf)
        hinged_door(b, "door_1", 0.0, x1, panel, stand_h - panel, hinge="right", y_front=yf)
        yc = (yf - d / 2) / 2
        b.surface("inside", (0, (-d / 2 + yf - 0.02) / 2, panel), (x1 - x0 - 0.02, yf + d / 2 - 0.05),
                  clearance=stand_h - 2 * panel)  # fmt: skip
        tank_h = h - stand_h - 0.03
        g = 0.008
        zt = stand_h + tank_h / 2
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"glass_{side}", (sx * (w / 2 - g / 2), yc, zt), (g, yf + d / 2, tank_h), "glass")
        for side, y in (("back", -d / 2 + g / 2), ("front", yf - g / 2)):
            b.box(f"glass_{side}", (0, y, zt), (w - 2 * g, g, tank_h), "glass")
        b.box(
            "water",
            (0, yc, stand_h + 0.85 * tank_h / 2),
            (w - 2 * g, yf + d / 2 - 2 * g, 0.85 * tank_h),
            "water",
        )
        b.box(
            "gravel", (0, yc, stand_h + 0.02), (w - 2 * g - 0.002, yf + d / 2 - 2 * g - 0.002, 0.04), "stone"
        )
        b.box("hood", (0, yc, h - 0.015), (w, yf + d / 2, 0.03), "black plastic")
        b.surface("hood", (0, yc, h), (w - 0.04, yf + d / 2 - 0.04))
