"""Gym equipment and lockers: treadmills, exercise bikes, weight benches, dumbbell racks and lockers.

Cardio machines face -Y (their consoles stand at the back, by the wall); the user steps on from +Y.
"""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import DOOR_HANDLE_REACH, hinged_door, open_box

ALONG_X = (0.0, math.pi / 2, 0.0)  # a cylinder's axis turned from +Z to +X
ALONG_Y = (math.pi / 2, 0.0, 0.0)  # ... to the Y axis
FRAME = "black metal"


@register
class Treadmill(AssetFactory):
    category = "treadmill"
    synonyms = ("running machine", "treadmill machine", "walking machine", "running belt")
    description = "A motorised treadmill: a long running deck with a belt, uprights, handrails and a console."
    size_range = ((0.7, 1.6, 1.2), (0.95, 2.1, 1.5))
    default_size = (0.8, 1.8, 1.35)
    default_material = "black plastic"
    rooms = ("gym", "game room", "garage", "living room")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        hood_d, deck_z0, deck_z1 = 0.3, 0.04, 0.16
        y0 = -d / 2 + hood_d
        b.box("motor_hood", (0, -d / 2 + hood_d / 2, 0.125), (w - 0.1, hood_d, 0.25))
        b.box("deck", (0, (y0 + d / 2) / 2, (deck_z0 + deck_z1) / 2), (0.85 * w, d / 2 - y0, deck_z1 - deck_z0))
        b.box("belt", (0, (y0 + d / 2) / 2 - 0.02, deck_z1 + 0.005), (0.6 * w, d / 2 - y0 - 0.1, 0.01), "black rubber")
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"side_rail_{side}", (sx * 0.36 * w, (y0 + d / 2) / 2, deck_z1 + 0.015), (0.1 * w, d / 2 - y0, 0.03),
                  "aluminium")  # fmt: skip
            for end, y in (("back", y0 + 0.05), ("front", d / 2 - 0.05)):
                b.box(f"foot_{side}_{end}", (sx * 0.36 * w, y, deck_z0 / 2), (0.06, 0.06, deck_z0), "black rubber")
            x = sx * (w / 2 - 0.04)
            b.box(f"upright_{side}", (x, -d / 2 + 0.2, (0.25 + h - 0.15) / 2), (0.06, 0.08, h - 0.4), FRAME)
            b.box(f"handrail_{side}", (x, -d / 2 + 0.45, h - 0.35), (0.04, 0.5, 0.04), "black rubber")
        b.box("console", (0, -d / 2 + 0.125, h - 0.075), (w, 0.25, 0.15), bevel=0.01)
        b.box("display", (0, -d / 2 + 0.251, h - 0.08), (0.3, 0.002, 0.1), "black glass")
        b.surface("console", (0, -d / 2 + 0.125, h), (w - 0.06, 0.2))


@register
class ExerciseBike(AssetFactory):
    category = "exercise_bike"
    synonyms = ("stationary bike", "spin bike", "indoor cycle", "exercise bicycle", "spinning bike")
    description = "A stationary exercise bike: a heavy flywheel, pedals, a saddle on a post and handlebars."
    size_range = ((0.5, 1.0, 1.1), (0.65, 1.3, 1.4))
    default_size = (0.55, 1.1, 1.25)
    default_material = "black metal"
    rooms = ("gym", "game room", "living room", "bedroom", "garage")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        b.box("front_stabilizer", (0, -d / 2 + 0.04, 0.03), (w, 0.08, 0.06))
        b.box("rear_stabilizer", (0, d / 2 - 0.04, 0.03), (0.9 * w, 0.08, 0.06))
        b.box("beam", (0, 0, 0.09), (0.06, d - 0.16, 0.06))
        fr = 0.23
        fy, fz = -d / 2 + 0.3, 0.12 + fr + 0.02
        b.cylinder("flywheel", (0, fy, fz), fr, 0.05, "chrome", rpy=ALONG_X)
        b.rod("fork", (0, -d / 2 + 0.1, 0.12), (0, fy, fz), 0.025)
        top = h - 0.08
        hy = -d / 2 + 0.22
        b.rod("front_column", (0, fy + 0.15, 0.12), (0, hy, top - 0.05), 0.03)
        b.rod("handlebar", (-0.22, hy, top - 0.05), (0.22, hy, top - 0.05), 0.016)
        for side, sx in (("left", -1), ("right", 1)):
            b.cylinder(f"grip_{side}", (sx * 0.19, hy, top - 0.05), 0.02, 0.08, "black rubber", rpy=ALONG_X)
        b.box("console", (0, hy, h - 0.04), (0.2, 0.1, 0.08), "black plastic", bevel=0.01)
        cy, cz = fy + 0.2, 0.3
        b.cylinder("crank_housing", (0, cy, cz), 0.08, 0.1, "black plastic", rpy=ALONG_X)
        for side, sx, dz in (("left", -1, 0.12), ("right", 1, -0.12)):
            b.box(f"crank_arm_{side}", (sx * 0.07, cy, cz + dz / 2), (0.02, 0.03, abs(dz) + 0.03), "chrome")
            b.box(f"pedal_{side}", (sx * 0.12, cy, cz + dz), (0.1, 0.06, 0.025), "black plastic")
        seat_z = min(h - 0.25, 0.95)
        sy = d / 2 - 0.3
        b.rod("seat_post", (0, cy + 0.1, 0.12), (0, sy, seat_z - 0.05), 0.025)
        b.box("saddle", (0, sy, seat_z - 0.03), (0.2, 0.28, 0.06), "black leather", bevel=0.015)


@register
class WeightBench(AssetFactory):
    category = "weight_bench"
    synonyms = ("workout bench", "flat bench", "gym bench", "exercise bench", "bench press")
    description = "A flat padded weight-training bench on two T-shaped steel legs."
    size_range = ((0.4, 1.0, 0.4), (0.7, 1.4, 0.5))
    default_size = (0.5, 1.2, 0.45)
    default_material = "black leather"
    rooms = ("gym", "garage", "game room")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        pad, board, beam = 0.08, 0.02, 0.05
        zb = h - pad - board
        b.box("pad", (0, 0, h - pad / 2), (min(0.3, w - 0.04), d, pad), bevel=0.02)
        b.box("board", (0, 0, zb + board / 2), (min(0.26, w - 0.08), d - 0.1, board), "plywood")
        b.box("beam", (0, 0, zb - beam / 2), (0.06, d - 0.3, beam), FRAME)
        for end, sy in (("back", -1), ("front", 1)):
            y = sy * (d / 2 - 0.15)
            b.box(f"post_{end}", (0, y, (0.05 + zb - beam) / 2), (0.06, 0.06, zb - beam - 0.05), FRAME)
            b.box(f"foot_{end}", (0, y, 0.025), (w, 0.06, 0.05), FRAME)
            for side, sx in (("l", -1), ("r", 1)):
                b.box(f"foot_cap_{end}_{side}", (sx * (w / 2 - 0.02), y, 0.025), (0.04, 0.065, 0.05), "black rubber")
        b.surface("pad", (0, 0, h), (min(0.3, w - 0.04) - 0.06, d - 0.1))


@register
class DumbbellRack(AssetFactory):
    category = "dumbbell_rack"
    synonyms = ("weight rack", "dumbbell stand", "dumbbell holder", "free weight rack")
    description = "A two-tier steel rack holding a row of dumbbells of increasing weight on each tier."
    size_range = ((0.8, 0.35, 0.6), (1.6, 0.6, 1.0))
    default_size = (1.2, 0.45, 0.8)
    default_material = "black metal"
    rooms = ("gym", "garage")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        post, rail = 0.04, 0.03
        for side, sx in (("left", -1), ("right", 1)):
            x = sx * (w / 2 - post / 2)
            for end, sy in (("back", -1), ("front", 1)):
                b.box(f"post_{side}_{end}", (x, sy * (d / 2 - post / 2), (post + h) / 2), (post, post, h - post))
            b.box(f"foot_{side}", (x, 0, post / 2), (post, d, post))
            b.box(f"top_bar_{side}", (x, 0, h - 0.015), (post, d - 2 * post, 0.03))
        s = min(0.12, d / 2 - 0.06)  # rails (and dumbbell heads) sit at y = +-s
        inner = w - 2 * post
        n = max(3, int(inner / 0.16))
        radii = {"lower": [0.04 + 0.03 * i / max(1, n - 1) for i in range(n)],
                 "upper": [0.032 + 0.022 * i / max(1, n - 1) for i in range(n)]}  # fmt: skip
        z_lower = 0.3 * h
        z_upper = min(h - 0.03 - rail / 2 - 2 * max(radii["upper"]) - 0.01, z_lower + rail + 2 * max(radii["lower"]) + 0.03)
        for tier, z in (("lower", z_lower), ("upper", z_upper)):
            for end, sy in (("back", -1), ("front", 1)):
                b.box(f"{tier}_rail_{end}", (0, sy * s, z), (inner, rail, rail))
            for i, r in enumerate(radii[tier]):
                x = -inner / 2 + inner * (i + 0.5) / n
                zc = z + rail / 2 + r
                for end, sy in (("back", -1), ("front", 1)):
                    b.cylinder(f"{tier}_dumbbell_{i}_head_{end}", (x, sy * s, zc), r, 0.07, "black rubber", rpy=ALONG_Y)
                b.cylinder(f"{tier}_dumbbell_{i}_grip", (x, 0, zc), 0.016, 2 * s - 0.07, "chrome", rpy=ALONG_Y)


@register
class Locker(AssetFactory):
    category = "locker"
    synonyms = ("lockers", "gym locker", "school locker", "steel locker", "storage locker")
    description = "A steel locker unit of one or more tall compartments, each behind a vented hinged door."
    size_range = ((0.3, 0.4, 1.5), (1.2, 0.6, 2.0))
    default_size = (0.9, 0.5, 1.8)
    default_material = "grey sheet steel"
    rooms = ("gym", "classroom", "office", "garage", "medical examination room")
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        panel, plinth, t = 0.01, 0.1, 0.015
        yf = d / 2 - DOOR_HANDLE_REACH
        depth, yc = yf + d / 2, (yf - d / 2) / 2
        b.box("plinth", (0, yc - 0.02, plinth / 2), (w - 0.02, depth - 0.04, plinth), "black sheet steel")
        open_box(b, "", -w / 2, w / 2, -d / 2, yf, plinth, h, panel)
        n = max(1, round(w / 0.3))
        cw = w / n
        for i in range(1, n):
            b.box(f"divider_{i}", (-w / 2 + i * cw, yc, (plinth + h) / 2), (panel, depth - panel / 2, h - plinth - 2 * panel))
        z0, z1 = plinth + panel, h - panel
        zs = h - 0.35
        for i in range(n):
            x0 = -w / 2 + i * cw + (panel if i == 0 else panel / 2)
            x1 = -w / 2 + (i + 1) * cw - (panel if i == n - 1 else panel / 2)
            hinged_door(b, f"door_{i}", x0, x1, z0, z1, hinge="left", thickness=t, y_front=yf, handle_z=z0 + 0.55 * (z1 - z0))
            for k in range(4):
                b.box(f"door_{i}_vent_{k}", ((x0 + x1) / 2, yf + 0.001, z1 - 0.1 - 0.03 * k), ((x1 - x0) * 0.5, 0.002, 0.01),
                      "black sheet steel", link=f"door_{i}")  # fmt: skip
            sd = depth - t - 0.01 - panel / 2
            ys = -d / 2 + panel / 2 + sd / 2
            b.box(f"shelf_{i}", ((x0 + x1) / 2, ys, zs), (x1 - x0, sd, panel))
            b.surface(f"shelf_{i}", ((x0 + x1) / 2, ys, zs + panel / 2), (x1 - x0 - 0.02, sd - 0.02), clearance=z1 - zs - panel / 2)
            b.surface(f"bottom_{i}", ((x0 + x1) / 2, ys, z0), (x1 - x0 - 0.02, sd - 0.02), clearance=zs - panel / 2 - z0)
        b.surface("top", (0, yc, h), (w - 0.02, depth - 0.02))
