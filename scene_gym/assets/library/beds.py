"""Beds and nursery furniture: beds, bunk beds, cribs and changing tables.

Beds put their headboard at the back (-Y) and their foot at the front (+Y); width (x) is across the mattress.
Mattress tops are support surfaces.
"""

from __future__ import annotations

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import DRAWER_HANDLE_REACH, drawer_stack, open_box
from scene_gym.assets.params import bool_param, choice_param, int_param

HEADBOARDS = ("panel", "upholstered", "slatted")


def _headboard(b, style: str, thickness: float, z_low: float) -> None:
    """A headboard over the full width at the back, from the floor to the top of the asset."""
    y0 = -b.d / 2
    if style == "panel":
        b.box("headboard", (0, y0 + thickness / 2, b.h / 2), (b.w, thickness, b.h), bevel=0.005)
    elif style == "upholstered":
        back = thickness * 0.4
        b.box("headboard", (0, y0 + back / 2, b.h / 2), (b.w, back, b.h))
        z0, z1 = z_low, b.h - 0.03
        b.box("headboard_pad", (0, y0 + back + (thickness - back) / 2, (z0 + z1) / 2),
              (b.w - 0.06, thickness - back, z1 - z0), "grey fabric", bevel=0.02)  # fmt: skip
    elif style == "slatted":
        post, rail = 0.06, 0.06
        yc = y0 + thickness / 2
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"headboard_post_{side}", (sx * (b.w / 2 - post / 2), yc, b.h / 2), (post, thickness, b.h))
        inner = b.w - 2 * post
        b.box("headboard_top_rail", (0, yc, b.h - rail / 2), (inner, thickness * 0.8, rail))
        b.box("headboard_bottom_rail", (0, yc, z_low - rail / 2), (inner, thickness * 0.8, rail))
        n = max(3, int(inner / 0.12))
        span = b.h - rail - z_low
        for i in range(n):
            x = -inner / 2 + inner * (i + 0.5) / n
            b.box(f"headboard_slat_{i}", (x, yc, z_low + span / 2), (0.04, thickness * 0.5, span))
    else:
        raise ValueError(f"expected headboard in {HEADBOARDS}, got {style!r}")


@register
class Bed(AssetFactory):
    category = "bed"
    synonyms = ("double bed", "single bed", "queen bed", "king bed", "twin bed", "bedstead")
    description = "A bed frame with a mattress on it and a headboard at the head end."
    size_range = ((0.9, 1.9, 0.8), (2.2, 2.3, 1.4))
    default_size = (1.6, 2.1, 1.0)
    default_material = "oak wood"
    rooms = ("bedroom", "studio apartment", "children room", "medical examination room")
    params = {"headboard": choice_param("panel", HEADBOARDS, "headboard style"),
              "footboard": bool_param(False, "a low board at the foot end")}

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        hb = 0.07
        leg_h, frame_top, mt = 0.12, min(0.32, 0.3 * h), 0.2
        foot = 0.04 if params["footboard"] else 0.0
        y0, y1 = -d / 2 + hb, d / 2 - foot  # the frame runs between headboard and footboard
        yc = (y0 + y1) / 2
        b.box("frame", (0, yc, (leg_h + frame_top) / 2), (w, y1 - y0, frame_top - leg_h), bevel=0.01)
        leg = 0.06
        for i, (sx, y) in enumerate(((-1, y0 + leg / 2), (1, y0 + leg / 2), (1, y1 - leg / 2), (-1, y1 - leg / 2))):
            b.box(f"leg_{i}", (sx * (w / 2 - leg / 2), y, leg_h / 2), (leg, leg, leg_h))
        my0, my1 = y0 + 0.01, y1 - 0.02
        b.box("mattress", (0, (my0 + my1) / 2, frame_top + mt / 2), (w - 0.04, my1 - my0, mt), "white cotton",
              bevel=0.03)  # fmt: skip
        _headboard(b, str(params["headboard"]), hb, frame_top + 0.1)
        if foot:
            fz = min(h, frame_top + mt + 0.1)
            b.box("footboard", (0, d / 2 - foot / 2, fz / 2), (w, foot, fz), bevel=0.005)
        b.surface("mattress", (0, (my0 + my1) / 2, frame_top + mt), (w - 0.12, my1 - my0 - 0.12))


@register
class BunkBed(AssetFactory):
    category = "bunk_bed"
    synonyms = ("bunk beds", "double decker bed", "loft bed", "two-tier bed")
    description = "Two single beds stacked on four corner posts, with guard rails and an end ladder."
    size_range = ((0.95, 1.95, 1.5), (1.5, 2.2, 1.9))
    default_size = (1.0, 2.05, 1.7)
    default_material = "pine wood"
    rooms = ("children room", "bedroom")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        post, rail_t, rail_h, mt = 0.07, 0.03, 0.12, 0.15
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            b.box(f"post_{i}", (sx * (w / 2 - post / 2), sy * (d / 2 - post / 2), h / 2), (post, post, h))
        inner_w, inner_d = w - 2 * post, d - 2 * post
        levels = {"lower": 0.32, "upper": h - 0.45}
        for name, top in levels.items():
            zr = top - rail_h / 2
            for side, sx in (("left", -1), ("right", 1)):
                b.box(f"{name}_rail_{side}", (sx * (w / 2 - rail_t / 2), 0, zr), (rail_t, inner_d, rail_h))
            for end, sy in (("head", -1), ("foot", 1)):
                b.box(f"{name}_rail_{end}", (0, sy * (d / 2 - rail_t / 2), zr), (inner_w, rail_t, rail_h))
            b.box(f"{name}_platform", (0, 0, top - 0.02), (w - 2 * rail_t, d - 2 * rail_t, 0.02), "plywood")
            b.box(f"{name}_mattress", (0, 0, top + mt / 2), (w - 2 * rail_t - 0.01, d - 2 * rail_t - 0.01, mt),
                  "white cotton", bevel=0.02)  # fmt: skip
            clearance = levels["upper"] - 0.02 - top - mt if name == "lower" else 1.0
            b.surface(f"{name}_mattress", (0, 0, top + mt), (w - 2 * rail_t - 0.1, d - 2 * rail_t - 0.1),
                      clearance=clearance)  # fmt: skip
        up = levels["upper"]
        guard = min(0.05, h - up - mt - 0.1)
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"guard_rail_{side}", (sx * (w / 2 - rail_t / 2), 0, h - guard / 2), (rail_t, inner_d, guard))
        b.box("head_panel", (0, -d / 2 + rail_t / 2, (up + h) / 2), (inner_w, rail_t, h - up))
        low = levels["lower"]
        b.box("head_panel_lower", (0, -d / 2 + rail_t / 2, low + 0.2), (inner_w, rail_t, 0.4))
        # The ladder climbs the foot end between the two foot posts.
        z, k = levels["lower"] + 0.25, 0
        while z < up - 0.1:
            b.cylinder(f"ladder_rung_{k}", (0, d / 2 - post / 2, z), 0.016, inner_w, rpy=(0, 1.5707963267948966, 0))
            z, k = z + 0.25, k + 1
        b.box("foot_guard", (0, d / 2 - rail_t / 2, h - guard / 2), (inner_w, rail_t, guard))


@register
class Crib(AssetFactory):
    category = "crib"
    synonyms = ("cot", "baby bed", "baby crib", "infant bed")
    description = "A baby's bed: a mattress inside four sides of vertical slats on corner posts."
    size_range = ((1.0, 0.6, 0.8), (1.45, 0.82, 1.05))
    default_size = (1.3, 0.72, 0.95)
    default_material = "white paint"
    rooms = ("nursery", "children room", "bedroom")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        post, rail_t, rail_h = 0.045, 0.03, 0.04
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            b.box(f"post_{i}", (sx * (w / 2 - post / 2), sy * (d / 2 - post / 2), h / 2), (post, post, h))
        inner_w, inner_d = w - 2 * post, d - 2 * post
        base = 0.25
        for side, sy in (("back", -1), ("front", 1)):
            y = sy * (d / 2 - post / 2)
            b.box(f"top_rail_{side}", (0, y, h - rail_h / 2), (inner_w, rail_t, rail_h))
            b.box(f"bottom_rail_{side}", (0, y, base - rail_h / 2), (inner_w, rail_t, rail_h))
            n = max(4, int(inner_w / 0.07))
            span = h - rail_h - base
            for i in range(n):
                x = -inner_w / 2 + inner_w * (i + 0.5) / n
                b.box(f"slat_{side}_{i}", (x, y, base + span / 2), (0.025, 0.02, span))
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"end_panel_{side}", (sx * (w / 2 - post / 2), 0, (base - rail_h + h) / 2),
                  (rail_t, inner_d, h - base + rail_h))  # fmt: skip
        mz = 0.32
        b.box("platform", (0, 0, mz - 0.01), (inner_w, inner_d, 0.02), "plywood")
        b.box("mattress", (0, 0, mz + 0.05), (inner_w - 0.02, inner_d - 0.02, 0.1), "white cotton", bevel=0.015)
        b.surface("mattress", (0, 0, mz + 0.1), (inner_w - 0.1, inner_d - 0.1), clearance=h - mz - 0.1)


@register
class ChangingTable(AssetFactory):
    category = "changing_table"
    synonyms = ("baby changing table", "changing unit", "diaper changing table", "changer")
    description = "A chest of drawers topped with a padded changing mat fenced by low guard rails."
    size_range = ((0.7, 0.5, 0.85), (1.1, 0.8, 1.05))
    default_size = (0.9, 0.6, 0.95)
    default_material = "white lacquer"
    rooms = ("nursery", "children room", "bathroom")
    articulated = True
    params = {"n_drawers": int_param(3, 1, 5, "drawers under the changing mat")}

    def build(self, b, params):
        n = params["n_drawers"]
        w, d, h = b.w, b.d, b.h
        panel, plinth, guard = 0.018, 0.05, 0.1
        yf = d / 2 - DRAWER_HANDLE_REACH
        zc = h - guard
        open_box(b, "", -w / 2, w / 2, -d / 2, yf, plinth, zc, panel)
        depth, yc = yf + d / 2, (yf - d / 2) / 2
        b.box("plinth", (0, yc, plinth / 2), (w - 0.04, depth - 0.04, plinth))
        drawer_stack(b, "drawer_", 0.0, w - 2 * panel, plinth + panel, zc - panel, n, depth - 0.06, y_front=yf)
        g = 0.02
        b.box("guard_back", (0, -d / 2 + g / 2, zc + guard / 2), (w, g, guard))
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"guard_{side}", (sx * (w / 2 - g / 2), yc + g / 2, zc + guard / 2), (g, depth - g, guard))
        pad = 0.05
        b.box("changing_pad", (0, yc + g / 2, zc + pad / 2), (w - 2 * g - 0.01, depth - g - 0.01, pad), "white foam",
              bevel=0.015)  # fmt: skip
        b.surface("changing_pad", (0, yc + g / 2, zc + pad), (w - 2 * g - 0.08, depth - g - 0.08))
