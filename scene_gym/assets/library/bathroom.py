"""Bathroom and laundry fixtures: toilets, bathtubs, shower cabins, vanity sinks, towel racks, medicine
cabinets, washing machines, dryers and ironing boards."""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import (
    DOOR_HANDLE_REACH,
    door_row,
    drawer,
    ellipse,
    feet,
    hinged_door,
    open_box,
)
from scene_gym.assets.library.kitchen import KNOB_RPY, sink_unit

FRONT_AXIS_RPY = (math.pi / 2, 0.0, 0.0)  # a cylinder's axis turned from +Z to the front-back (Y) direction


@register
class Toilet(AssetFactory):
    category = "toilet"
    synonyms = ("wc", "water closet", "lavatory", "commode toilet", "toilet bowl")
    description = "A floor-standing ceramic toilet with a cistern at the back and a hinged lid on the seat."
    size_range = ((0.35, 0.6, 0.7), (0.45, 0.8, 0.85))
    default_size = (0.38, 0.7, 0.78)
    default_material = "white ceramic"
    rooms = ("bathroom", "medical examination room")
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        tank_d, seat_z, t = 0.18, 0.4, 0.02
        y_tank = -d / 2 + tank_d  # the cistern's front face
        tz0 = seat_z + 0.05
        b.box("tank", (0, -d / 2 + tank_d / 2, (tz0 + h - 0.02) / 2), (w - 0.02, tank_d - 0.02, h - 0.02 - tz0))
        b.box("tank_lid", (0, -d / 2 + tank_d / 2, h - 0.01), (w, tank_d, 0.02), bevel=0.004)
        b.box("flush_lever", (-w / 4, y_tank - 0.01 + 0.015, h - 0.07), (0.05, 0.03, 0.015), "chrome")
        bowl_y0 = y_tank - 0.08
        bd = d / 2 - bowl_y0
        bw = 0.92 * w
        b.extrusion("bowl", (0, (bowl_y0 + d / 2) / 2, 0.18), ellipse(bw, bd), seat_z - 0.18)
        b.extrusion("pedestal", (0, (bowl_y0 + d / 2) / 2 - 0.04, 0.0), ellipse(0.55 * w, 0.55 * bd), 0.18)
        b.box("bowl_neck", (0, (y_tank + bowl_y0) / 2 - 0.02, (0.18 + tz0) / 2), (0.5 * w, 0.12, tz0 - 0.18))
        seat_y0 = y_tank + 0.01
        sd = d / 2 - seat_y0 - 0.015
        b.extrusion("seat", (0, seat_y0 + sd / 2, seat_z), ellipse(bw * 0.95, sd), t, "white plastic")
        b.extrusion("lid", (0, seat_y0 + sd / 2, seat_z + t), ellipse(bw * 0.95, sd), t, "white plastic", link="lid")
        b.box("lid_tab", (0, seat_y0 + sd + 0.0075, seat_z + t * 1.5), (0.06, 0.015, t * 0.6), "white plastic",
              link="lid")  # fmt: skip
        # Hinged at the lid's top back edge; 75 degrees keeps the raised lid clear of the cistern and lever.
        b.joint("lid_hinge", "revolute", "lid", (1, 0, 0), (0, seat_y0, seat_z + 2 * t), (0.0, math.radians(75)))
        b.handle("lid_handle", (0, seat_y0 + sd + 0.0075, seat_z + t * 1.5), link="lid", joint="lid_hinge")
        b.surface("tank_lid", (0, -d / 2 + tank_d / 2, h), (w - 0.04, tank_d - 0.03))


@register
class Bathtub(AssetFactory):
    category = "bathtub"
    synonyms = ("bath tub", "bath", "tub", "soaking tub")
    description = "A rectangular built-in bathtub with a wide deck at the tap end."
    size_range = ((1.4, 0.7, 0.45), (1.9, 0.9, 0.65))
    default_size = (1.7, 0.75, 0.58)
    default_material = "white acrylic"
    rooms = ("bathroom",)

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        wall, deck, base = 0.05, 0.14, 0.08
        b.box("base", (0, 0, base / 2), (w, d, base))
        zc, hh = (base + h) / 2, h - base
        b.box("wall_back", (0, -d / 2 + wall / 2, zc), (w, wall, hh))
        b.box("wall_front", (0, d / 2 - wall / 2, zc), (w, wall, hh))
        b.box("wall_left", (-w / 2 + wall / 2, 0, zc), (wall, d - 2 * wall, hh))
        b.box("deck", (w / 2 - deck / 2, 0, zc), (deck, d - 2 * wall, hh))
        xi = w / 2 - deck  # the inner face of the deck end
        b.rod("spout", (xi, 0, h - 0.07), (xi - 0.12, 0, h - 0.07), 0.014, "chrome")
        b.box("drain", (xi - 0.1, 0, base + 0.002), (0.05, 0.05, 0.004), "chrome")
        b.surface("inside", ((-w / 2 + wall + xi) / 2 - 0.05, 0, base), (xi + w / 2 - wall - 0.15, d - 2 * wall - 0.04),
                  clearance=hh)  # fmt: skip
        b.surface("deck", (w / 2 - deck / 2, 0, h), (deck - 0.02, d - 2 * wall - 0.02))


@register
class Shower(AssetFactory):
    category = "shower"
    synonyms = ("shower cabin", "shower stall", "shower enclosure", "shower cubicle")
    description = "A shower cabin: a low tray, a back wall with a shower head, glass side walls and a glass door."
    size_range = ((0.8, 0.8, 1.9), (1.2, 1.2, 2.2))
    default_size = (0.9, 0.9, 2.0)
    default_material = "white acrylic"
    rooms = ("bathroom", "gym")
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        tray, back, post, glass = 0.06, 0.03, 0.025, 0.008
        yf = d / 2 - DOOR_HANDLE_REACH
        b.box("tray", (0, (yf - d / 2) / 2, tray / 2), (w, yf + d / 2, tray))
        b.box("back_wall", (0, -d / 2 + back / 2, (tray + h) / 2), (w, back, h - tray))
        for side, sx in (("left", -1), ("right", 1)):
            x = sx * (w / 2 - post / 2)
            b.box(f"post_{side}", (x, yf - post / 2, (tray + h) / 2), (post, post, h - tray), "aluminium")
            y0, y1 = -d / 2 + back, yf - post
            b.box(f"glass_{side}", (sx * (w / 2 - glass / 2), (y0 + y1) / 2, (tray + h) / 2), (glass, y1 - y0, h - tray),
                  "glass")  # fmt: skip
            b.box(f"top_rail_{side}", (sx * (w / 2 - post / 2), (y0 + y1) / 2, h - 0.0125), (post, y1 - y0, 0.025),
                  "aluminium")  # fmt: skip
        b.box("header", (0, yf - post / 2, h - 0.015), (w - 2 * post, post, 0.03), "aluminium")
        x0, x1 = -w / 2 + post, w / 2 - post
        door_w = min(0.7, x1 - x0)
        if x1 - x0 > door_w + 0.05:  # a fixed glass panel fills the rest of the front
            b.box("glass_front", (x1 - (x1 - x0 - door_w) / 2, yf - glass / 2, (tray + h - 0.03) / 2),
                  (x1 - x0 - door_w - 0.004, glass, h - 0.03 - tray - 0.004), "glass")  # fmt: skip
        else:
            door_w = x1 - x0
        hinged_door(b, "door", x0, x0 + door_w, tray + 0.005, h - 0.035, hinge="left", thickness=glass,
                    material="glass", y_front=yf, handle_z=1.1)  # fmt: skip
        hz = h - 0.2
        b.rod("shower_arm", (0, -d / 2 + back, hz), (0, -d / 2 + back + 0.25, hz), 0.012, "chrome")
        b.cylinder("shower_head", (0, -d / 2 + back + 0.25, hz - 0.02), 0.08, 0.025, "chrome")
        b.box("mixer", (0, -d / 2 + back + 0.03, 1.1), (0.16, 0.06, 0.08), "chrome")
        sw, sd = min(0.3, w * 0.3), 0.12
        sx0 = -w / 2 + glass + 0.002
        b.box("corner_shelf", (sx0 + sw / 2, -d / 2 + back + sd / 2, 1.3), (sw, sd, 0.008), "glass")
        b.surface("corner_shelf", (sx0 + sw / 2, -d / 2 + back + sd / 2, 1.304), (sw - 0.02, sd - 0.02), clearance=0.4)
        b.surface("tray", (0, -d / 2 + back + (yf - 0.02 + d / 2 - back) / 2, tray),
                  (w - 2 * glass - 0.04, yf - 0.02 + d / 2 - back - 0.04), clearance=hz - 0.05 - tray)  # fmt: skip


@register
class BathroomSink(AssetFactory):
    category = "bathroom_sink"
    synonyms = ("vanity", "vanity unit", "washbasin", "wash basin", "lavatory sink", "bathroom vanity", "basin")
    description = "A bathroom vanity: a two-door cabinet under a ceramic top with a basin and a faucet."
    size_range = ((0.5, 0.4, 0.95), (1.2, 0.6, 1.15))
    default_size = (0.8, 0.5, 1.05)
    default_material = "white lacquer"
    rooms = ("bathroom", "medical examination room", "nursery", "laundry room")
    articulated = True

    def build(self, b, params):
        counter_h = min(0.9, max(0.78, b.h - 0.2))
        sink_unit(b, counter_h, top_material="white ceramic", basin_material="white ceramic", basin_w=0.45,
                  basin_depth=0.15)  # fmt: skip


@register
class TowelRack(AssetFactory):
    category = "towel_rack"
    synonyms = ("towel stand", "towel rail", "towel holder", "towel ladder", "towel bar")
    description = "A free-standing towel stand: two side frames with hanging rails and a slatted top shelf."
    size_range = ((0.4, 0.2, 0.8), (0.8, 0.35, 1.0))
    default_size = (0.6, 0.25, 0.9)
    default_material = "bamboo"
    rooms = ("bathroom", "gym", "laundry room", "bedroom")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        post, shelf = 0.03, 0.02
        for side, sx in (("left", -1), ("right", 1)):
            x = sx * (w / 2 - post / 2)
            b.box(f"post_{side}", (x, 0, (post + h - shelf) / 2), (post, post, h - shelf - post))
            b.box(f"foot_{side}", (x, 0, post / 2), (post, d, post))
        inner = w - 2 * post
        for i, z in enumerate((0.3 * h, 0.5 * h, 0.7 * h)):
            b.cylinder(f"rail_{i}", (0, 0, z), 0.012, inner, rpy=(0, math.pi / 2, 0))
        n = 5
        sd = (d * 0.8 - 0.01 * (n - 1)) / n
        for i in range(n):
            y = -0.4 * d + sd / 2 + i * (sd + 0.01)
            b.box(f"shelf_slat_{i}", (0, y, h - shelf / 2), (w, sd, shelf))
        b.surface("shelf", (0, 0, h), (w - 0.02, d * 0.8 - 0.02))


@register
class MedicineCabinet(AssetFactory):
    category = "medicine_cabinet"
    synonyms = ("bathroom cabinet", "mirror cabinet", "wall cabinet", "medicine chest", "first aid cabinet")
    description = "A shallow wall-mounted cabinet with shelves behind a mirrored hinged door."
    size_range = ((0.3, 0.1, 0.4), (0.8, 0.2, 0.8))
    default_size = (0.5, 0.14, 0.65)
    default_material = "white lacquer"
    rooms = ("bathroom", "medical examination room", "kitchen")
    placement = "wall"
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        panel, t = 0.015, 0.012
        yf = d / 2 - DOOR_HANDLE_REACH
        y1 = yf - t - 0.002
        open_box(b, "", -w / 2, w / 2, -d / 2, y1, 0.0, h, panel)
        door_row(b, "door_", -w / 2, w / 2, 0.0, h, y_front=yf, thickness=t, max_width=0.45, material="silver glass")
        depth = y1 + d / 2 - panel / 2
        yc = -d / 2 + panel / 2 + depth / 2
        gap = (h - 2 * panel) / 3
        b.surface("bottom", (0, yc, panel), (w - 2 * panel - 0.02, depth - 0.01), clearance=gap - 0.006)
        for i in range(2):
            z = panel + gap * (i + 1)
            b.box(f"shelf_{i}", (0, yc, z), (w - 2 * panel, depth, 0.006), "glass")
            b.surface(f"shelf_{i}", (0, yc, z + 0.003), (w - 2 * panel - 0.02, depth - 0.01), clearance=gap - 0.006)
        b.surface("top", (0, (y1 - d / 2) / 2, h), (w - 0.02, y1 + d / 2 - 0.01))


def laundry_machine(b, drawer_name: str) -> None:
    """A front-loading washer or dryer: a hollow body on feet, a round porthole door hinged on its left, a
    control strip with a pull-out drawer (detergent or condenser water) at the top left and a program dial."""
    w, d, h = b.w, b.d, b.h
    panel, door_t, foot = 0.012, 0.05, 0.02
    yf = d / 2 - 0.02  # the door's grip stands 2 cm proud
    yb = yf - door_t - 0.002  # the body's front face
    strip = min(0.14, 0.17 * h)
    zs = h - strip
    feet(b, foot, 0.02, 0.03)
    open_box(b, "", -w / 2, w / 2, -d / 2, yb - panel, foot, h, panel)
    b.box("front_lower", (0, yb - panel / 2, (foot + zs) / 2), (w, panel, zs - foot))
    dw = min(0.2, 0.4 * w)
    dx0, dx1 = -w / 2 + 0.03, -w / 2 + 0.03 + dw
    b.box("front_strip_left", ((-w / 2 + dx0) / 2, yb - panel / 2, (zs + h) / 2), (dx0 + w / 2, panel, strip))
    b.box("front_strip_right", ((dx1 + w / 2) / 2, yb - panel / 2, (zs + h) / 2), (w / 2 - dx1, panel, strip))
    drawer(b, drawer_name, (dx0 + dx1) / 2, zs + strip / 2, dw, strip - 0.04, min(0.3, d - 0.2), y_front=yb,
           front_material="white plastic")  # fmt: skip
    # The drawer's opening is framed by thin rails above and below so the front stays a closed face.
    b.box("drawer_rail_top", ((dx0 + dx1) / 2, yb - panel / 2, h - 0.01), (dw, panel, 0.02))
    b.box("drawer_rail_bottom", ((dx0 + dx1) / 2, yb - panel / 2, zs + 0.01), (dw, panel, 0.02))
    b.cylinder("program_dial", (w / 4, yb + 0.0125, zs + strip / 2), 0.03, 0.025, "chrome", rpy=KNOB_RPY)
    b.box("display", (w / 2 - 0.06, yb + 0.001, zs + strip / 2), (0.08, 0.002, 0.04), "black glass")
    r = min(0.22, 0.36 * w, 0.42 * (zs - foot))
    xc, zc = 0.0, foot + (zs - foot) / 2
    y_door = yf - door_t / 2
    b.cylinder("door_ring", (xc, y_door, zc), r, door_t, "white plastic", rpy=FRONT_AXIS_RPY, link="door")
    b.cylinder("door_glass", (xc, y_door + 0.004, zc), 0.72 * r, door_t - 0.008, "black glass", rpy=FRONT_AXIS_RPY,
               link="door")  # fmt: skip
    b.box("door_grip", (xc + r - 0.03, yf + 0.01, zc), (0.03, 0.02, 0.08), "chrome", link="door")
    b.joint("door_hinge", "revolute", "door", (0, 0, 1), (xc - r, yf, zc), (0.0, math.radians(120)))
    b.handle("door_handle", (xc + r - 0.03, yf + 0.01, zc), link="door", joint="door_hinge", axis=(0, 0, 1))
    b.surface("top", (0, (yb - panel - d / 2) / 2, h), (w - 0.02, yb - panel + d / 2 - 0.02))


@register
class WashingMachine(AssetFactory):
    category = "washing_machine"
    synonyms = ("washer", "clothes washer", "laundry machine", "front loader", "washing mashine")
    description = "A front-loading washing machine with a round porthole door and a pull-out detergent drawer."
    size_range = ((0.55, 0.5, 0.82), (0.65, 0.65, 0.9))
    default_size = (0.6, 0.58, 0.85)
    default_material = "white lacquer"
    rooms = ("laundry room", "bathroom", "kitchen", "garage")
    articulated = True

    def build(self, b, params):
        laundry_machine(b, "detergent_drawer")


@register
class Dryer(AssetFactory):
    category = "dryer"
    synonyms = ("tumble dryer", "clothes dryer", "drying machine", "drier")
    description = "A front-loading tumble dryer with a round door and a pull-out condenser water tank."
    size_range = ((0.55, 0.5, 0.82), (0.7, 0.7, 0.9))
    default_size = (0.6, 0.6, 0.85)
    default_material = "white lacquer"
    rooms = ("laundry room", "bathroom", "garage")
    articulated = True

    def build(self, b, params):
        laundry_machine(b, "water_tank")


@register
class IroningBoard(AssetFactory):
    category = "ironing_board"
    synonyms = ("iron board", "ironing table")
    description = "A padded ironing board with a pointed nose on folding cross legs."
    size_range = ((1.1, 0.3, 0.7), (1.5, 0.45, 1.0))
    default_size = (1.3, 0.38, 0.9)
    default_material = "white cotton"
    rooms = ("laundry room", "bedroom", "studio apartment")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        t, nose = 0.03, min(0.35, 0.3 * w)
        outline = [(-w / 2, -d / 2), (w / 2 - nose, -d / 2), (w / 2 - nose * 0.35, -d * 0.32), (w / 2, 0.0),
                   (w / 2 - nose * 0.35, d * 0.32), (w / 2 - nose, d / 2), (-w / 2, d / 2)]  # fmt: skip
        b.extrusion("board", (0, 0, h - t), outline, t)
        b.box("board_frame", (-nose / 2, 0, h - t - 0.01), (w - nose - 0.1, d * 0.6, 0.02), "chrome")
        a, rr, fr = 0.3 * w, 0.01, 0.012
        top = h - t - 0.02 - rr
        for side, y in (("back", -0.12 * d), ("front", 0.12 * d)):
            b.rod(f"leg_a_{side}", (-a, y, fr), (a * 0.8, y, top), rr, "chrome")
            b.rod(f"leg_b_{side}", (a, y, fr), (-a * 0.8, y, top), rr, "chrome")
        for end, x in (("left", -a), ("right", a)):
            b.rod(f"foot_{end}", (x, -0.2 * d, fr), (x, 0.2 * d, fr), fr, "black rubber")
        b.surface("board", (-nose / 2, 0, h), (w - nose - 0.04, d - 0.04))
