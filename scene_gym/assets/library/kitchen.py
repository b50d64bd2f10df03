"""Kitchen furniture and appliances: base cabinets, counters, sink cabinets, fridges, ovens, stoves, microwaves
and dishwashers.

Appliance bodies are hollow boxes (panels), so their cavities hold support surfaces and their masses stay
plausible. Doors and drawers stand in front of the bodies; their handles end on the asset's front face.
"""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import (
    DOOR_HANDLE_REACH,
    door_row,
    drawer_stack,
    flap_door,
    hinged_door,
    open_box,
)
from scene_gym.assets.params import bool_param, int_param, text_param

KNOB_RPY = (-math.pi / 2, 0.0, 0.0)  # a cylinder's axis turned from +Z to +Y: knobs that face the front


def _base_cabinet(b, x0: float, x1: float, z_top: float, *, plinth: float = 0.1, panel: float = 0.018,
                  drawers: bool = False, prefix: str = "", max_door: float = 0.6) -> None:
    """A kitchen base unit over x0..x1 from the floor to ``z_top``: recessed plinth, carcass with an inner
    shelf, and inset doors (or, with ``drawers``, a stack of three drawers) whose handles end at y = d/2."""
    d = b.d
    yf = d / 2 - DOOR_HANDLE_REACH
    open_box(b, prefix, x0, x1, -d / 2, yf, plinth, z_top, panel)
    xc, w = (x0 + x1) / 2, x1 - x0
    b.box(f"{prefix}plinth", (xc, -0.03, plinth / 2), (w - 0.01, yf + d / 2 - 0.06, plinth), "black plastic")
    z0, z1 = plinth + panel, z_top - panel
    if drawers:
        drawer_stack(b, f"{prefix}drawer_", xc, w - 2 * panel, z0, z1, 3, yf + d / 2 - 0.06, y_front=yf,
                     heights=[1.4, 1.0, 0.7])  # fmt: skip
        return
    door_row(b, f"{prefix}door_", x0 + panel, x1 - panel, z0, z1, y_front=yf, max_width=max_door,
             handle_z=z1 - 0.08)  # fmt: skip
    t = 0.018  # door thickness: the shelf stays behind the closed doors
    shelf_d = yf - t - 0.005 + d / 2 - panel / 2
    zs = (z0 + z1) / 2
    b.box(f"{prefix}shelf", (xc, -d / 2 + panel / 2 + shelf_d / 2, zs), (w - 2 * panel, shelf_d, panel))
    b.surface(f"{prefix}shelf", (xc, -d / 2 + panel / 2 + shelf_d / 2, zs + panel / 2),
              (w - 2 * panel - 0.02, shelf_d - 0.02), clearance=z1 - zs - panel / 2)  # fmt: skip


@register
class KitchenCabinet(AssetFactory):
    category = "kitchen_cabinet"
    synonyms = ("base cabinet", "cupboard", "kitchen cupboard", "cabinet", "kitchen unit")
    description = "A kitchen base cabinet on a recessed plinth with one or two hinged doors and an inner shelf."
    size_range = ((0.3, 0.45, 0.7), (1.2, 0.65, 0.95))
    default_size = (0.8, 0.58, 0.87)
    default_material = "white lacquer"
    rooms = ("kitchen", "dining room", "laundry room", "restaurant", "studio apartment", "classroom",
             "medical examination room")  # fmt: skip
    articulated = True

    def build(self, b, params):
        _base_cabinet(b, -b.w / 2, b.w / 2, b.h)
        yf = b.d / 2 - DOOR_HANDLE_REACH
        b.surface("top", (0, (yf - b.d / 2) / 2, b.h), (b.w - 0.02, yf + b.d / 2 - 0.02))


@register
class KitchenCounter(AssetFactory):
    category = "kitchen_counter"
    synonyms = ("countertop", "kitchen worktop", "counter", "kitchen run", "base cabinets", "worktop")
    description = "A run of kitchen base cabinets, doors and a drawer stack, under one stone worktop."
    size_range = ((0.6, 0.55, 0.85), (3.6, 0.7, 0.95))
    default_size = (1.8, 0.62, 0.9)
    default_material = "white lacquer"
    rooms = ("kitchen", "restaurant", "studio apartment", "dining room", "laundry room", "classroom")
    articulated = True
    params = {"worktop": text_param("grey granite", doc="material of the worktop")}

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        top = 0.03
        b.box("worktop", (0, 0, h - top / 2), (w, d, top), str(params["worktop"]), bevel=0.003)
        n = max(1, round(w / 0.6))
        uw = w / n
        for u in range(n):
            x0 = -w / 2 + u * uw
            _base_cabinet(b, x0 + 0.001, x0 + uw - 0.001, h - top, prefix=f"unit_{u}_", drawers=n > 1 and u == 0)
        b.surface("worktop", (0, 0, h), (w - 0.02, d - 0.02))


def sink_unit(b, counter_h: float, *, top_material: str, basin_material: str, basin_w: float = 0.5,
              basin_depth: float = 0.18) -> None:
    """A cabinet with two doors under a counter top that holds a sunken basin, and a faucet behind the basin
    rising to the top of the asset. The counter's strips beside the basin are support surfaces."""
    w, d, h = b.w, b.d, b.h
    top, panel = 0.03, 0.018
    yf = d / 2 - DOOR_HANDLE_REACH
    z_top = counter_h - top
    open_box(b, "", -w / 2, w / 2, -d / 2, yf, 0.08, z_top, panel, top=False)
    b.box("plinth", (0, -0.03, 0.04), (w - 0.01, yf + d / 2 - 0.06, 0.08), "black plastic")
    door_row(b, "door_", -w / 2 + panel, w / 2 - panel, 0.08 + panel, z_top - 0.002, y_front=yf,
             handle_z=z_top - 0.1)  # fmt: skip
    bw = min(basin_w, w - 0.2)
    by0 = -d / 2 + 0.11  # the back strip carries the faucet
    by1 = min(by0 + 0.42, yf - 0.018 - 0.01)  # the basin hangs behind the closed doors
    zc = counter_h - top / 2
    b.box("counter_back", (0, (-d / 2 + by0) / 2, zc), (w, by0 + d / 2, top), top_material)
    b.box("counter_front", (0, (by1 + d / 2) / 2, zc), (w, d / 2 - by1, top), top_material)
    side_w = (w - bw) / 2
    for side, sx in (("left", -1), ("right", 1)):
        b.box(f"counter_{side}", (sx * (bw / 2 + side_w / 2), (by0 + by1) / 2, zc), (side_w, by1 - by0, top),
              top_material)  # fmt: skip
        if side_w > 0.12:
            b.surface(f"counter_{side}", (sx * (bw / 2 + side_w / 2), 0, counter_h), (side_w - 0.04, d - 0.04))
    wall = 0.008
    zb = counter_h - basin_depth
    b.box("basin_bottom", (0, (by0 + by1) / 2, zb + wall / 2), (bw, by1 - by0, wall), basin_material)
    for side, sx in (("left", -1), ("right", 1)):
        b.box(f"basin_{side}", (sx * (bw / 2 - wall / 2), (by0 + by1) / 2, (zb + counter_h - top) / 2),
              (wall, by1 - by0, basin_depth - top), basin_material)  # fmt: skip
    for side, y in (("back", by0 + wall / 2), ("front", by1 - wall / 2)):
        b.box(f"basin_{side}", (0, y, (zb + counter_h - top) / 2), (bw - 2 * wall, wall, basin_depth - top),
              basin_material)  # fmt: skip
    b.surface("basin", (0, (by0 + by1) / 2, zb + wall), (bw - 0.04, by1 - by0 - 0.04), clearance=basin_depth)
    r = 0.012
    fy = -d / 2 + 0.06
    b.cylinder("faucet_base", (0, fy, counter_h + 0.01), 0.025, 0.02, "chrome")
    b.rod("faucet_column", (0, fy, counter_h), (0, fy, h - r), r, "chrome")
    b.rod("faucet_spout", (0, fy, h - r), (0, min(fy + 0.18, (by0 + by1) / 2), h - r), r, "chrome")
    b.box("faucet_lever", (0, fy - 0.03, h - 0.05), (0.015, 0.05, 0.015), "chrome")


@register
class SinkCabinet(AssetFactory):
    category = "sink_cabinet"
    synonyms = ("kitchen sink", "sink unit", "sink base", "sink", "kitchen sink cabinet")
    description = "A kitchen base cabinet with two doors, a steel sink set in its worktop and a tall faucet."
    size_range = ((0.6, 0.55, 1.05), (1.2, 0.65, 1.3))
    default_size = (0.8, 0.6, 1.2)
    default_material = "white lacquer"
    rooms = ("kitchen", "restaurant", "laundry room", "studio apartment", "classroom")
    articulated = True

    def build(self, b, params):
        counter_h = min(0.92, max(0.82, b.h - 0.28))
        sink_unit(b, counter_h, top_material="grey granite", basin_material="stainless steel")


@register
class Fridge(AssetFactory):
    category = "fridge"
    synonyms = ("refrigerator", "fridge freezer", "icebox", "refrigerator freezer")
    description = "A tall refrigerator with a fridge door above a freezer door, shelves inside."
    size_range = ((0.55, 0.6, 1.4), (0.95, 0.8, 2.0))
    default_size = (0.7, 0.7, 1.8)
    default_material = "white lacquer"
    rooms = ("kitchen", "studio apartment", "restaurant", "dining room", "office", "game room")
    articulated = True
    params = {"freezer": bool_param(True, "a freezer door below the fridge door"),
              "n_shelves": int_param(3, 0, 8, "glass shelves in the fridge")}

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        t, panel = 0.04, 0.03
        yf = d / 2 - DOOR_HANDLE_REACH
        y1 = yf - t - 0.002
        open_box(b, "", -w / 2, w / 2, -d / 2, y1, 0.0, h, panel)
        zf = 0.0
        if params["freezer"]:
            zf = min(0.75, 0.38 * h)
            b.box("divider", (0, (y1 - d / 2) / 2, zf), (w - 2 * panel, y1 + d / 2, panel))
            hinged_door(b, "freezer_door", -w / 2, w / 2, 0.0, zf, hinge="right", thickness=t, y_front=yf,
                        handle_z=zf - 0.12)  # fmt: skip
            b.surface("freezer_bottom", (0, (y1 - d / 2) / 2, panel), (w - 2 * panel - 0.02, y1 + d / 2 - 0.04),
                      clearance=zf - 1.5 * panel)  # fmt: skip
        hinged_door(b, "door", -w / 2, w / 2, zf, h, hinge="right", thickness=t, y_front=yf, handle_z=zf + 0.3)
        z0 = zf + (panel / 2 if zf else panel)
        n = params["n_shelves"]
        gap = (h - panel - z0) / (n + 1)
        depth = y1 + d / 2 - panel / 2 - 0.01
        yc = -d / 2 + panel / 2 + depth / 2
        b.surface("fridge_bottom", (0, yc, z0), (w - 2 * panel - 0.02, depth - 0.02), clearance=gap - 0.008)
        for i in range(n):
            z = z0 + gap * (i + 1)
            b.box(f"shelf_{i}", (0, yc, z), (w - 2 * panel, depth, 0.008), "glass")
            b.surface(f"shelf_{i}", (0, yc, z + 0.004), (w - 2 * panel - 0.02, depth - 0.02), clearance=gap - 0.008)
        b.surface("top", (0, (y1 - d / 2) / 2, h), (w - 0.04, y1 + d / 2 - 0.04))


def oven_cavity(b, z0: float, z1: float, *, prefix: str = "") -> None:
    """An oven over z0..z1: a hollow steel box with a wire rack, closed by a bottom-hinged glass door."""
    w, d = b.w, b.d
    panel, t = 0.01, 0.04
    yf = d / 2 - DOOR_HANDLE_REACH
    y1 = yf - t - 0.002
    open_box(b, f"{prefix}cavity_", -w / 2, w / 2, -d / 2, y1, z0, z1, panel, material="black sheet steel")
    flap_door(b, f"{prefix}oven_door", -w / 2, w / 2, z0, z1, y_front=yf, thickness=t)
    dh = z1 - z0
    b.box(f"{prefix}oven_door_window", (0, yf + 0.001, z0 + dh * 0.45), (w * 0.6, 0.002, dh * 0.45), "black glass",
          link=f"{prefix}oven_door")  # fmt: skip
    depth = y1 + d / 2 - panel / 2 - 0.01
    yc = -d / 2 + panel / 2 + depth / 2
    zr = z0 + dh * 0.4
    b.box(f"{prefix}rack", (0, yc, zr), (w - 2 * panel, depth, 0.006), "chrome")
    b.surface(f"{prefix}rack", (0, yc, zr + 0.003), (w - 2 * panel - 0.04, depth - 0.04), clearance=z1 - zr - panel)
    b.surface(f"{prefix}oven_floor", (0, yc, z0 + panel), (w - 2 * panel - 0.04, depth - 0.04),
              clearance=zr - z0 - panel - 0.003)  # fmt: skip


def control_strip(b, z0: float, z1: float, n_knobs: int, *, prefix: str = "") -> None:
    """A full-width panel over z0..z1 at the front, flush with the door fronts, with a row of knobs."""
    w, d = b.w, b.d
    yf = d / 2 - DOOR_HANDLE_REACH
    b.box(f"{prefix}control_panel", (0, (yf - d / 2) / 2, (z0 + z1) / 2), (w, yf + d / 2, z1 - z0), "black sheet steel")
    for k in range(n_knobs):
        x = -w / 2 + w * (k + 1) / (n_knobs + 1)
        b.cylinder(f"{prefix}knob_{k}", (x, yf + 0.01, (z0 + z1) / 2), 0.018, 0.02, "black plastic", rpy=KNOB_RPY)


@register
class Oven(AssetFactory):
    category = "oven"
    synonyms = ("wall oven", "built-in oven", "electric oven", "baking oven")
    description = "A built-in oven: a control strip with knobs above a glass door hinged at the bottom."
    size_range = ((0.5, 0.5, 0.5), (0.9, 0.7, 0.95))
    default_size = (0.6, 0.56, 0.6)
    default_material = "stainless sheet steel"
    rooms = ("kitchen", "restaurant", "studio apartment")
    articulated = True

    def build(self, b, params):
        strip, vent = min(0.1, b.h * 0.16), 0.05
        yf = b.d / 2 - DOOR_HANDLE_REACH
        # A vent strip under the door keeps the lowered door and its handle off the floor.
        b.box("vent_strip", (0, (yf - b.d / 2) / 2, vent / 2), (b.w, yf + b.d / 2, vent), "black sheet steel")
        oven_cavity(b, vent, b.h - strip)
        control_strip(b, b.h - strip, b.h, 3)
        b.surface("top", (0, (yf - b.d / 2) / 2, b.h), (b.w - 0.02, yf + b.d / 2 - 0.02))


@register
class Stove(AssetFactory):
    category = "stove"
    synonyms = ("range", "cooker", "cooking range", "gas stove", "electric stove", "cooktop", "hob")
    description = "A free-standing cooker: four burners on a cooktop, a knob strip, an oven and a storage drawer."
    size_range = ((0.5, 0.55, 0.95), (0.9, 0.7, 1.15))
    default_size = (0.76, 0.65, 1.05)
    default_material = "stainless sheet steel"
    rooms = ("kitchen", "restaurant", "studio apartment")
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        cook_h = min(0.92, h - 0.1)
        slab, strip, drawer_h = 0.03, 0.08, 0.14
        yf = d / 2 - DOOR_HANDLE_REACH
        guard_d = 0.07
        b.box("backguard", (0, -d / 2 + guard_d / 2, (cook_h + h) / 2), (w, guard_d, h - cook_h))
        b.box("cooktop", (0, guard_d / 2, cook_h - slab / 2), (w, d - guard_d, slab), "black ceramic")
        gw, gd = (w - 0.08) / 2, (d - guard_d - 0.06) / 2
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            x, y = sx * gw / 2, guard_d / 2 + sy * gd / 2
            r = min(0.09, 0.4 * min(gw, gd))
            b.cylinder(f"burner_{i}", (x, y, cook_h + 0.004), r, 0.008, "black metal")
        control_strip(b, cook_h - slab - strip, cook_h - slab, 4)
        z_oven = 0.04 + drawer_h
        oven_cavity(b, z_oven, cook_h - slab - strip)
        body_d = yf + d / 2
        open_box(b, "drawer_bay_", -w / 2, w / 2, -d / 2, yf, 0.0, z_oven, 0.01, top=False)
        b.box("kick", (0, yf - 0.01, 0.02), (w - 0.02, 0.02, 0.04), "black plastic")
        drawer_stack(b, "drawer_", 0.0, w - 0.02, 0.04, z_oven, 1, body_d - 0.08, y_front=yf)
        b.surface("cooktop", (0, guard_d / 2, cook_h), (w - 0.04, d - guard_d - 0.04))
        b.surface("backguard", (0, -d / 2 + guard_d / 2, h), (w - 0.02, guard_d - 0.01))


@register
class Microwave(AssetFactory):
    category = "microwave"
    synonyms = ("microwave oven", "countertop microwave")
    description = "A countertop microwave oven with a side-hinged window door, a keypad panel and a turntable."
    size_range = ((0.4, 0.3, 0.25), (0.6, 0.45, 0.35))
    default_size = (0.5, 0.38, 0.3)
    default_material = "black plastic"
    rooms = ("kitchen", "studio apartment", "office", "restaurant", "dining room")
    placement = "surface"
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        t, panel = 0.025, 0.008
        yf = d / 2 - DOOR_HANDLE_REACH
        y1 = yf - t - 0.002
        x_cp = w / 2 - min(0.13, 0.25 * w)
        open_box(b, "", -w / 2, w / 2, -d / 2, y1, 0.0, h, panel)
        b.box("divider", (x_cp - panel / 2, (y1 - d / 2) / 2, h / 2), (panel, y1 + d / 2 - panel / 2, h - 2 * panel))
        b.box("keypad", ((x_cp + w / 2) / 2, yf - t / 2, h / 2), (w / 2 - x_cp, t, h), "black glass")
        hinged_door(b, "door", -w / 2, x_cp, 0.0, h, hinge="left", thickness=t, y_front=yf)
        b.box("door_window", ((-w / 2 + x_cp) / 2 - 0.02, yf + 0.001, h / 2), ((x_cp + w / 2) * 0.65, 0.002, h * 0.6),
              "black glass", link="door")  # fmt: skip
        cx, cy = (-w / 2 + x_cp) / 2, (y1 - d / 2) / 2
        r = min(x_cp + w / 2 - 2 * panel, y1 + d / 2 - panel) / 2 - 0.01
        b.cylinder("turntable", (cx, cy, panel + 0.006), r, 0.012, "glass")
        b.surface("turntable", (cx, cy, panel + 0.012), (1.2 * r, 1.2 * r), clearance=h - 2 * panel - 0.012)
        b.surface("top", (0, cy, h), (w - 0.02, y1 + d / 2 - 0.02))


@register
class Dishwasher(AssetFactory):
    category = "dishwasher"
    synonyms = ("dish washer", "dishwashing machine")
    description = "An under-counter dishwasher with a door hinged at the bottom and two racks inside."
    size_range = ((0.45, 0.55, 0.8), (0.6, 0.65, 0.9))
    default_size = (0.6, 0.6, 0.85)
    default_material = "stainless sheet steel"
    rooms = ("kitchen", "restaurant", "studio apartment")
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        t, panel, kick = 0.04, 0.01, 0.1
        yf = d / 2 - DOOR_HANDLE_REACH
        y1 = yf - t - 0.002
        open_box(b, "tub_", -w / 2, w / 2, -d / 2, y1, kick, h, panel, material="light grey plastic")
        b.box("kick_plate", (0, (y1 - d / 2) / 2, kick / 2), (w - 0.01, y1 + d / 2, kick), "black plastic")
        flap_door(b, "door", -w / 2, w / 2, kick, h, y_front=yf, thickness=t, handle_z=h - 0.04)
        b.box("door_display", (0, yf + 0.001, h - 0.1), (0.15, 0.002, 0.03), "black glass", link="door")
        depth = y1 + d / 2 - panel / 2 - 0.02
        yc = -d / 2 + panel / 2 + depth / 2
        zs = (kick + panel + 0.06, kick + (h - kick) * 0.55)
        for i, (name, z) in enumerate(zip(("lower_rack", "upper_rack"), zs, strict=True)):
            b.box(name, (0, yc, z), (w - 2 * panel - 0.01, depth, 0.006), "chrome")
            top = zs[1] - 0.003 if i == 0 else h - panel
            b.surface(name, (0, yc, z + 0.003), (w - 2 * panel - 0.05, depth - 0.04), clearance=top - z - 0.003)
