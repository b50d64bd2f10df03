"""Furniture of particular rooms: interior doors, game-room tables and cabinets, the garage's car, workbench
and tool cabinet, and the medical examination table."""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import DRAWER_HANDLE_REACH, drawer, drawer_stack, four_legs, open_box
from scene_gym.assets.params import choice_param, int_param
from scene_gym.scene.room import ROOM_TYPES

ALONG_X = (0.0, math.pi / 2, 0.0)  # a cylinder's axis turned from +Z to +X
ALONG_Y = (math.pi / 2, 0.0, 0.0)  # ... to the Y axis


@register
class InteriorDoor(AssetFactory):
    category = "interior_door"
    synonyms = ("door", "room door", "doorway", "swing door", "wooden door")
    description = "A room door: a panelled leaf hanging in its frame, with lever handles on both faces."
    size_range = ((0.7, 0.1, 1.9), (1.2, 0.2, 2.4))
    default_size = (0.9, 0.14, 2.1)
    default_material = "white paint"
    rooms = ROOM_TYPES
    articulated = True
    params = {"hinge": choice_param("left", ("left", "right"), "side of the hinges, seen from the front")}

    def build(self, b, params):
        hinge = params["hinge"]
        w, d, h = b.w, b.d, b.h
        jamb, lt, gap = 0.05, 0.04, 0.003
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"jamb_{side}", (sx * (w / 2 - jamb / 2), 0, h / 2), (jamb, d, h))
        b.box("head_jamb", (0, 0, h - jamb / 2), (w - 2 * jamb, d, jamb))
        x0, x1 = -w / 2 + jamb + gap, w / 2 - jamb - gap
        z0, z1 = 0.01, h - jamb - gap
        b.box("leaf", (0, 0, (z0 + z1) / 2), (x1 - x0, lt, z1 - z0), link="leaf", bevel=0.003)
        lw = x1 - x0
        for face, sy in (("front", 1), ("back", -1)):  # raised panels on both faces
            for k, (zp0, zp1) in enumerate(((z0 + 0.15, z0 + 0.85), (z0 + 1.0, z1 - 0.15))):
                b.box(f"panel_{face}_{k}", (0, sy * (lt / 2 + 0.002), (zp0 + zp1) / 2), (lw - 0.24, 0.004, zp1 - zp0),
                      link="leaf")  # fmt: skip
        reach = min(0.065, d / 2 - lt / 2)  # the levers stand proud of the leaf but inside the frame's depth
        free = 1 if hinge == "left" else -1
        hx = free * (lw / 2 - 0.07)
        hz = min(1.0, z1 - 0.3)
        for face, sy in (("front", 1), ("back", -1)):
            b.cylinder(f"rose_{face}", (hx, sy * (lt / 2 + 0.005), hz), 0.025, 0.01, "brushed steel", rpy=ALONG_Y,
                       link="leaf")  # fmt: skip
            b.cylinder(f"spindle_{face}", (hx, sy * (lt / 2 + reach / 2), hz), 0.009, reach, "brushed steel",
                       rpy=ALONG_Y, link="leaf")  # fmt: skip
            b.box(f"lever_{face}", (hx - free * 0.05, sy * (lt / 2 + reach - 0.01), hz), (0.12, 0.02, 0.02),
                  "brushed steel", link="leaf")  # fmt: skip
        hinge_x = x0 if hinge == "left" else x1
        axis = (0, 0, 1) if hinge == "left" else (0, 0, -1)
        # The jambs stand proud of the leaf's front face, so the leaf can swing to 90 degrees, not past them.
        b.joint("leaf_hinge", "revolute", "leaf", axis, (hinge_x, lt / 2, (z0 + z1) / 2), (0.0, math.pi / 2))
        b.handle("leaf_handle", (hx - free * 0.05, lt / 2 + reach - 0.01, hz), link="leaf", joint="leaf_hinge",
                 axis=(1, 0, 0))  # fmt: skip


@register
class ArcadeMachine(AssetFactory):
    category = "arcade_machine"
    synonyms = ("arcade cabinet", "arcade game", "video game cabinet", "coin-op machine")
    description = "An upright arcade cabinet with a screen, a lit marquee and a two-player control deck."
    size_range = ((0.6, 0.7, 1.6), (0.85, 0.95, 1.95))
    default_size = (0.7, 0.8, 1.8)
    default_material = "black mdf"
    rooms = ("game room", "children room", "living room", "restaurant")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        deck_d, deck0, deck1 = 0.32, 0.86, 0.94
        upper_d = min(0.5, d - deck_d)
        b.box("lower_cabinet", (0, (-d / 2 + d / 2 - deck_d) / 2, deck0 / 2), (w, d - deck_d, deck0))
        b.box("kick_panel", (0, d / 2 - deck_d + 0.15, 0.3), (w - 0.06, 0.3, 0.6))
        b.box("coin_door", (0, d / 2 - deck_d + 0.3 + 0.003, 0.4), (0.22, 0.006, 0.2), "chrome")
        b.box("control_deck", (0, d / 2 - deck_d / 2, (deck0 + deck1) / 2), (w, deck_d, deck1 - deck0))
        for p, sx in (("1", -1), ("2", 1)):
            x, y = sx * w * 0.25, d / 2 - deck_d / 2
            b.rod(f"joystick_{p}", (x - 0.06 * sx, y, deck1), (x - 0.06 * sx, y, deck1 + 0.06), 0.006, "black metal")
            b.sphere(f"joystick_ball_{p}", (x - 0.06 * sx, y, deck1 + 0.075), 0.018, "red plastic")
            for k in range(3):
                b.cylinder(f"button_{p}_{k}", (x + 0.03 * sx + 0.035 * k * sx, y, deck1 + 0.005), 0.013, 0.01,
                           "yellow plastic")  # fmt: skip
        top0 = h - 0.22
        b.box("upper_cabinet", (0, -d / 2 + upper_d / 2, (deck1 + top0) / 2), (w, upper_d, top0 - deck1))
        b.box("screen", (0, -d / 2 + upper_d + 0.002, (deck1 + top0) / 2 + 0.02), (w - 0.12, 0.004, (top0 - deck1) * 0.75),
              "screen")  # fmt: skip
        b.box("marquee", (0, -d / 2 + (upper_d + 0.06) / 2, top0 + 0.11), (w, upper_d + 0.06, 0.22))
        b.box("marquee_light", (0, -d / 2 + upper_d + 0.06 + 0.002, top0 + 0.11), (w - 0.08, 0.004, 0.16),
              "light emitter", collide=False)  # fmt: skip
        b.surface("top", (0, -d / 2 + (upper_d + 0.06) / 2, h), (w - 0.04, upper_d + 0.02))


@register
class FoosballTable(AssetFactory):
    category = "foosball_table"
    synonyms = ("table football", "table soccer", "foosball", "kicker table", "babyfoot")
    description = "A table-football cabinet on legs with eight handled rods of player figures over a green field."
    size_range = ((1.2, 0.9, 0.85), (1.6, 1.2, 0.95))
    default_size = (1.4, 1.1, 0.9)
    default_material = "oak wood"
    rooms = ("game room", "children room", "living room", "office")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        cd = min(0.76, d - 0.3)  # cabinet depth; the rods and their grips stick out beyond it
        wall, z_box = 0.04, 0.6
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"end_wall_{side}", (sx * (w / 2 - wall / 2), 0, (z_box + h) / 2), (wall, cd, h - z_box))
            b.box(f"goal_{side}", (sx * (w / 2 - wall - 0.002), 0, z_box + 0.16), (0.004, 0.2, 0.08), "black plastic")
        for side, sy in (("back", -1), ("front", 1)):
            b.box(f"side_wall_{side}", (0, sy * (cd / 2 - wall / 2), (z_box + h) / 2), (w - 2 * wall, wall, h - z_box))
        field_z = z_box + 0.1
        b.box("floor", (0, 0, z_box + 0.05), (w - 2 * wall, cd - 2 * wall, 0.1))
        b.box("field", (0, 0, field_z + 0.005), (w - 2 * wall, cd - 2 * wall, 0.01), "green wool")
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            b.box(f"leg_{i}", (sx * (w / 2 - 0.06), sy * (cd / 2 - 0.06), z_box / 2), (0.08, 0.08, z_box))
        rod_z = h - 0.06
        inner = w - 2 * wall
        players = (1, 2, 3, 5, 5, 3, 2, 1)
        teams = ("red plastic", "blue plastic")
        for k, m in enumerate(players):
            x = -inner / 2 + inner * (k + 0.5) / len(players)
            team = k % 2 if k not in (0, 7) else (0 if k == 0 else 1)
            b.cylinder(f"rod_{k}", (x, 0, rod_z), 0.008, d - 0.2, "chrome", rpy=ALONG_Y)
            grip_y = (d / 2 - 0.05) * (1 if team == 0 else -1)
            b.cylinder(f"grip_{k}", (x, grip_y, rod_z), 0.018, 0.1, "black rubber", rpy=ALONG_Y)
            span = cd - 2 * wall - 0.1
            for j in range(m):
                y = -span / 2 + span * (j + 0.5) / m
                b.box(f"player_{k}_{j}", (x, y, rod_z - 0.03), (0.025, 0.035, 0.1), teams[team])
        b.surface("field", (0, 0, field_z + 0.01), (inner - 0.04, cd - 2 * wall - 0.04), clearance=rod_z - 0.08 - field_z)


@register
class Car(AssetFactory):
    category = "car"
    synonyms = ("sedan", "automobile", "vehicle", "saloon car", "motor car")
    description = "A blocky four-door sedan with a glazed cabin, four wheels, lights and bumpers."
    size_range = ((1.6, 3.8, 1.3), (2.0, 5.2, 1.6))
    default_size = (1.8, 4.6, 1.45)
    default_material = "red lacquer"
    rooms = ("garage",)

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        r, tyre = min(0.34, 0.23 * h), 0.22
        belt = 0.58 * h
        body0 = 0.2
        b.box("body", (0, 0, (body0 + belt) / 2), (w - 0.06, d, belt - body0), bevel=0.04)
        cab_d = 0.48 * d
        cy = -0.05 * d
        b.box("cabin", (0, cy, (belt + h) / 2), (w - 0.2, cab_d, h - belt), bevel=0.06)
        glass = "black glass"
        gh = (h - belt) * 0.65
        gz = belt + (h - belt) * 0.45
        b.box("windshield", (0, cy + cab_d / 2 - 0.009, gz), (w - 0.3, 0.02, gh), glass)
        b.box("rear_window", (0, cy - cab_d / 2 + 0.009, gz), (w - 0.3, 0.02, gh), glass)
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"side_windows_{side}", (sx * ((w - 0.2) / 2 - 0.009), cy, gz), (0.02, cab_d - 0.2, gh), glass)
            b.box(f"mirror_{side}", (sx * (w / 2 - 0.05), cy + cab_d / 2 - 0.1, belt + 0.06), (0.1, 0.06, 0.08))
        for axle, y in (("front", d / 2 - 0.2 * d), ("rear", -d / 2 + 0.22 * d)):
            for side, sx in (("left", -1), ("right", 1)):
                x = sx * (w / 2 - tyre / 2)
                b.cylinder(f"wheel_{axle}_{side}", (x, y, r), r, tyre, "black rubber", rpy=ALONG_X)
                b.cylinder(f"hubcap_{axle}_{side}", (sx * (w / 2 - 0.006), y, r), 0.6 * r, 0.012, "aluminium",
                           rpy=ALONG_X)  # fmt: skip
        for end, sy in (("front", 1), ("rear", -1)):
            b.box(f"bumper_{end}", (0, sy * (d / 2 - 0.05), body0 + 0.08), (w - 0.08, 0.1, 0.16), "black plastic")
            lights = "light emitter" if end == "front" else "red plastic"
            for side, sx in (("left", -1), ("right", 1)):
                b.box(f"light_{end}_{side}", (sx * (w / 2 - 0.25), sy * (d / 2 - 0.01), belt - 0.1), (0.3, 0.02, 0.08),
                      lights)  # fmt: skip
        b.surface("roof", (0, cy, h), (w - 0.4, cab_d - 0.3))
        hood0 = cy + cab_d / 2
        b.surface("hood", (0, (hood0 + d / 2 - 0.1) / 2, belt), (w - 0.3, d / 2 - 0.1 - hood0 - 0.1))
        trunk0 = cy - cab_d / 2
        b.surface("trunk", (0, (trunk0 - d / 2 + 0.1) / 2, belt), (w - 0.3, trunk0 + d / 2 - 0.1 - 0.1))


@register
class PoolTable(AssetFactory):
    category = "pool_table"
    synonyms = ("billiard table", "billiards table", "snooker table", "pool")
    description = "A billiard table: green felt bed framed by cushioned rails with six pockets, on heavy legs."
    size_range = ((2.0, 1.1, 0.76), (2.9, 1.6, 0.82))
    default_size = (2.5, 1.4, 0.8)
    default_material = "walnut wood"
    rooms = ("game room", "living room")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        rail, rail_h, felt = 0.12, 0.05, 0.01
        bed = h - rail_h + 0.01  # felt top, 1 cm under the rail tops
        b.box("apron", (0, 0, h - 0.16), (w - 0.06, d - 0.06, 0.2))
        b.box("slate", (0, 0, (h - 0.06 + bed - felt) / 2), (w - 2 * rail, d - 2 * rail, bed - felt - h + 0.06), "stone")
        b.box("felt", (0, 0, bed - felt / 2), (w - 2 * rail, d - 2 * rail, felt), "green wool")
        leg_h = h - 0.26
        xs = (-1, 0, 1) if w > 2.6 else (-1, 1)
        for i, sx in enumerate(xs):
            for j, sy in enumerate((-1, 1)):
                b.box(f"leg_{i}_{j}", (sx * (w / 2 - 0.15), sy * (d / 2 - 0.15), leg_h / 2), (0.14, 0.14, leg_h))
        zr = h - rail_h / 2
        for side, sy in (("back", -1), ("front", 1)):
            b.box(f"rail_{side}", (0, sy * (d / 2 - rail / 2), zr), (w, rail, rail_h))
            b.box(f"cushion_{side}", (0, sy * (d / 2 - rail - 0.015), bed + 0.015), (w - 2 * rail - 0.1, 0.03, 0.03),
                  "green rubber")  # fmt: skip
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"rail_{side}", (sx * (w / 2 - rail / 2), 0, zr), (rail, d - 2 * rail, rail_h))
            b.box(f"cushion_{side}", (sx * (w / 2 - rail - 0.015), 0, bed + 0.015), (0.03, d - 2 * rail - 0.1, 0.03),
                  "green rubber")  # fmt: skip
        k = 0
        for px in (-1, 0, 1):
            for py in (-1, 1):
                x, y = px * (w / 2 - rail), py * (d / 2 - rail)
                b.cylinder(f"pocket_{k}", (x, y, h - 0.03), 0.06, 0.06 - 0.002, "black fabric")
                k += 1
        b.surface("felt", (0, 0, bed), (w - 2 * rail - 0.12, d - 2 * rail - 0.12), clearance=1.0)


@register
class ExaminationTable(AssetFactory):
    category = "examination_table"
    synonyms = ("exam table", "medical couch", "examination couch", "treatment table", "doctor's table")
    description = "A padded medical examination couch on a drawer cabinet, with a paper roll at the head end."
    size_range = ((1.7, 0.55, 0.65), (2.0, 0.8, 0.95))
    default_size = (1.85, 0.65, 0.8)
    default_material = "light blue leather"
    rooms = ("medical examination room",)
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        pad, board, panel = 0.07, 0.03, 0.018
        z_top = h - pad - board
        b.box("pad", (0, 0, h - pad / 2), (w, d, pad), bevel=0.02)
        b.box("board", (0, 0, z_top + board / 2), (w - 0.04, d - 0.04, board), "white lacquer")
        yf = d / 2 - DRAWER_HANDLE_REACH
        x0, x1 = -w / 2 + 0.18, w / 2 - 0.1
        open_box(b, "cabinet_", x0, x1, -d / 2, yf, 0.0, z_top, panel, material="white lacquer")
        xm = (x0 + x1) / 2
        b.box("cabinet_divider", (xm, (yf - d / 2) / 2, z_top / 2), (panel, yf + d / 2 - panel / 2, z_top - 2 * panel),
              "white lacquer")  # fmt: skip
        for c, (a, e) in enumerate(((x0 + panel, xm - panel / 2), (xm + panel / 2, x1 - panel))):
            drawer_stack(b, f"drawer_{c}_", (a + e) / 2, e - a, panel + 0.05, z_top - panel, 2, d - 0.1, y_front=yf,
                         front_material="white lacquer", material="white lacquer")  # fmt: skip
            b.box(f"kick_{c}", ((a + e) / 2, yf - 0.01, panel + 0.024), (e - a, 0.02, 0.048), "white lacquer")
        b.cylinder("paper_roll", (-w / 2 + 0.08, 0, z_top - 0.06), 0.05, d - 0.1, "white paper", rpy=ALONG_Y)
        b.box("roll_bracket", (-w / 2 + 0.08, 0, z_top - 0.005), (0.03, d - 0.06, 0.01), "chrome")
        b.surface("pad", (0, 0, h), (w - 0.1, d - 0.1))


@register
class Workbench(AssetFactory):
    category = "workbench"
    synonyms = ("work bench", "work table", "tool bench", "carpenter's bench", "garage bench")
    description = "A heavy wooden work top on a steel frame with a drawer and a lower shelf."
    size_range = ((1.2, 0.6, 0.85), (2.4, 0.9, 1.0))
    default_size = (1.8, 0.75, 0.9)
    default_material = "oak wood"
    rooms = ("garage", "classroom", "laundry room")
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        top, leg = 0.05, 0.05
        b.box("top", (0, 0, h - top / 2), (w, d, top), bevel=0.004)
        four_legs(b, h - top, leg, inset=0.03, material="grey metal")
        xi, yi = w / 2 - 0.03 - leg, d / 2 - 0.03 - leg
        b.box("shelf", (0, 0, 0.17), (2 * xi, 2 * yi, 0.02), "plywood")
        b.box("rail_back", (0, -(yi + leg / 2), h - top - 0.04), (2 * xi, 0.03, 0.08), "grey metal")
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"rail_{side}", (sx * (xi + leg / 2), 0, h - top - 0.04), (0.03, 2 * yi, 0.08), "grey metal")
        dw, dh = min(0.5, w * 0.3), 0.12
        zc = h - top - dh / 2 - 0.005
        xc = xi - dw / 2 - 0.04
        for side, sx in (("l", -1), ("r", 1)):
            b.box(f"runner_{side}", (xc + sx * (dw / 2 + 0.012), -0.02, zc), (0.01, d - 0.18, dh), "grey metal")
        drawer(b, "drawer_0", xc, zc, dw, dh, d - 0.2, y_front=d / 2 - DRAWER_HANDLE_REACH)
        b.surface("top", (0, 0, h), (w - 0.02, d - 0.02))
        b.surface("shelf", (0, 0, 0.18), (2 * xi - 0.02, 2 * yi - 0.02), clearance=h - top - 0.08 - 0.18)


@register
class ToolCabinet(AssetFactory):
    category = "tool_cabinet"
    synonyms = ("rolling tool cabinet", "tool storage cabinet", "mechanic's cabinet", "tool trolley", "roller cabinet")
    description = "A red steel roller cabinet of shallow and deep tool drawers on casters, with a rimmed top tray."
    size_range = ((0.5, 0.35, 0.7), (1.1, 0.5, 1.1))
    default_size = (0.7, 0.46, 1.0)
    default_material = "red sheet steel"
    rooms = ("garage", "gym", "classroom")
    articulated = True
    params = {"n_drawers": int_param(6, 2, 10, "drawers, deeper towards the bottom")}

    def build(self, b, params):
        n = params["n_drawers"]
        w, d, h = b.w, b.d, b.h
        panel, caster, rim = 0.008, 0.1, 0.03
        yf = d / 2 - DRAWER_HANDLE_REACH
        yc, depth = (yf - d / 2) / 2, yf + d / 2
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            x, y = sx * (w / 2 - 0.06), sy * (depth / 2 - 0.06) + yc
            b.cylinder(f"caster_wheel_{i}", (x, y, 0.04), 0.04, 0.03, "black rubber", rpy=ALONG_X)
            b.box(f"caster_fork_{i}", (x, y, 0.075), (0.05, 0.05, 0.05), "black metal")
        top = h - rim
        open_box(b, "", -w / 2, w / 2, -d / 2, yf, caster, top, panel)
        heights = [1.0 + 1.2 * (n - 1 - i) / max(1, n - 1) for i in range(n)]  # deeper drawers at the bottom
        drawer_stack(b, "drawer_", 0.0, w - 2 * panel, caster + panel, top - panel, n, depth - 0.06, y_front=yf,
                     heights=heights)
        b.box("tray_rim_back", (0, -d / 2 + 0.005, top + rim / 2), (w, 0.01, rim), "black metal")
        b.box("tray_rim_front", (0, yf - 0.005, top + rim / 2), (w, 0.01, rim), "black metal")
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"tray_rim_{side}", (sx * (w / 2 - 0.005), yc, top + rim / 2), (0.01, depth - 0.02, rim), "black metal")
        b.box("tray_mat", (0, yc, top + 0.002), (w - 0.02, depth - 0.02, 0.004), "black rubber")
        b.surface("tray", (0, yc, top + 0.004), (w - 0.04, depth - 0.04), clearance=1.0)
