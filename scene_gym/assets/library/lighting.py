"""Lamps and light fittings: table, floor and desk lamps and a ceiling pendant.

Light bulbs and diffusers are ``"light emitter"`` parts that physics ignores (``collide=False``); renderers can
turn them into light sources.
"""

from __future__ import annotations

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.shapes import fit_box, oval_lathe, place_mesh, tube_mesh

_LIVING = ("living room", "bedroom", "office", "studio apartment", "waiting room", "children room", "bookstore")
#: Thin closed shells: a conical lamp shade, a desk lamp's head and a pendant's dome.
_SHADE = [(1.0, 0.0), (0.65, 1.0), (0.62, 1.0), (0.97, 0.0), (1.0, 0.0)]
_HEAD = [(1.0, 0.0), (0.35, 1.0), (0.0, 1.0), (0.0, 0.94), (0.32, 0.94), (0.95, 0.0), (1.0, 0.0)]
_DOME = [(1.0, 0.0), (0.95, 0.35), (0.75, 0.75), (0.35, 0.97), (0.0, 1.0), (0.0, 0.995), (0.348, 0.965),
         (0.745, 0.745), (0.945, 0.348), (0.995, 0.0), (1.0, 0.0)]  # fmt: skip
_DISC = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
_BULB = "light emitter"


@register
class TableLamp(AssetFactory):
    category = "table_lamp"
    synonyms = ("bedside lamp", "lamp", "night lamp")
    description = "A table lamp with a turned base, a short stem and a conical fabric shade."
    size_range = ((0.15, 0.15, 0.25), (0.5, 0.5, 0.8))
    default_size = (0.3, 0.3, 0.5)
    default_material = "white ceramic"
    placement = "surface"
    small = True
    rooms = _LIVING

    def build(self, b, params):
        body_h, shade_z = 0.42 * b.h, 0.52 * b.h
        oval_lathe(b, "base", (0, 0), 0.0, [(0.0, 0.0), (0.6, 0.0), (1.0, 0.3), (0.8, 0.75), (0.25, 1.0), (0.0, 1.0)],
                   0.3 * b.w, 0.3 * b.d, body_h, shell=0.004)  # fmt: skip
        stem_r = max(0.005, 0.03 * min(b.w, b.d))
        b.cylinder("stem", (0, 0, (body_h + 0.85 * b.h) / 2 - 0.005), stem_r, 0.85 * b.h - body_h + 0.01, "brass")
        oval_lathe(b, "shade", (0, 0), shade_z, _SHADE, b.w / 2, b.d / 2, b.h - shade_z, "cream linen")
        b.sphere("bulb", (0, 0, 0.7 * b.h), 0.12 * min(b.w, b.d), _BULB, collide=False)


@register
class FloorLamp(AssetFactory):
    category = "floor_lamp"
    synonyms = ("standing lamp", "standard lamp", "torchiere", "reading lamp")
    description = "A tall floor lamp: a heavy round base, a thin pole and a fabric shade on top."
    size_range = ((0.25, 0.25, 1.2), (0.6, 0.6, 1.9))
    default_size = (0.4, 0.4, 1.6)
    default_material = "black metal"
    placement = "floor"
    rooms = _LIVING + ("meeting room",)

    def build(self, b, params):
        base_h = min(0.025, 0.03 * b.h)
        shade_h = 0.22 * b.h
        oval_lathe(b, "base", (0, 0), 0.0, [(0.0, 0.0), (1.0, 0.0), (1.0, 0.5), (0.7, 1.0), (0.0, 1.0)],
                   0.6 * b.w / 2, 0.6 * b.d / 2, base_h)  # fmt: skip
        pole_top = b.h - 0.4 * shade_h
        b.cylinder("pole", (0, 0, (base_h + pole_top) / 2 - 0.005), 0.012, pole_top - base_h + 0.01)
        oval_lathe(b, "shade", (0, 0), b.h - shade_h, _SHADE, b.w / 2, b.d / 2, shade_h, "cream linen")
        b.sphere("bulb", (0, 0, b.h - 0.55 * shade_h), 0.2 * min(b.w, b.d) / 2, _BULB, collide=False)


@register
class DeskLamp(AssetFactory):
    category = "desk_lamp"
    synonyms = ("task lamp", "study lamp", "reading light", "architect lamp")
    description = "An angled desk lamp: a round base at the back, a bent arm and a cone head lighting the front."
    size_range = ((0.12, 0.2, 0.3), (0.3, 0.55, 0.75))
    default_size = (0.16, 0.35, 0.45)
    default_material = "black metal"
    placement = "surface"
    small = True
    rooms = ("office", "bedroom", "children room", "studio apartment", "classroom", "bookstore")

    def build(self, b, params):
        base_h = min(0.025, 0.08 * b.h)
        bry = min(b.w / 2, 0.3 * b.d)
        yb = -b.d / 2 + bry
        oval_lathe(b, "base", (0, yb), 0.0, [(0.0, 0.0), (1.0, 0.0), (1.0, 0.6), (0.8, 1.0), (0.0, 1.0)], b.w / 2,
                   bry, base_h)  # fmt: skip
        head_r = 0.35 * min(b.w, b.d)
        head_h, head_z = 0.28 * b.h, 0.35 * b.h
        yh = b.d / 2 - head_r
        oval_lathe(b, "head", (0, yh), head_z, _HEAD, head_r, head_r, head_h)
        r = max(0.005, 0.03 * b.w)
        # Lower arm up and slightly forward to the elbow at the top, upper arm forward and down into the head.
        path = [(0, yb, base_h), (0, yb + 0.12 * b.d, b.h - r), (0, yh, head_z + head_h)]
        v, f = tube_mesh(path, r)
        place_mesh(b, "arm", fit_box(v, (-r, yb - r, base_h - 0.005), (r, yh + r, b.h)), f)
        b.sphere("bulb", (0, yh, head_z + 0.35 * head_h), 0.4 * head_r, _BULB, collide=False)


@register
class CeilingLight(AssetFactory):
    category = "ceiling_light"
    synonyms = ("pendant light", "pendant lamp", "ceiling lamp", "chandelier", "light fixture", "light")
    description = "A pendant light hanging from a ceiling canopy: a rod and a dome shade with a diffuser."
    size_range = ((0.2, 0.2, 0.08), (1.0, 1.0, 1.0))
    default_size = (0.45, 0.45, 0.3)
    default_material = "white metal"
    placement = "ceiling"
    rooms = ("bedroom", "living room", "dining room", "kitchen", "bathroom", "gym", "restaurant", "children room",
             "nursery", "meeting room", "office", "waiting room", "classroom", "bookstore", "laundry room",
             "garage", "game room", "medical examination room", "studio apartment")  # fmt: skip

    def build(self, b, params):
        canopy_h = min(0.03, 0.15 * b.h)
        shade_h = min(b.h - canopy_h, 0.5 * min(b.w, b.d))
        oval_lathe(b, "canopy", (0, 0), b.h - canopy_h, _DISC, 0.12 * min(b.w, b.d), 0.12 * min(b.w, b.d), canopy_h,
                   shell=0.002)  # fmt: skip
        if shade_h < b.h - canopy_h:
            b.cylinder("rod", (0, 0, (shade_h + b.h - canopy_h) / 2), 0.005, b.h - canopy_h - shade_h + 0.01, "brass")
        oval_lathe(b, "shade", (0, 0), 0.0, _DOME, b.w / 2, b.d / 2, shade_h)
        oval_lathe(b, "diffuser", (0, 0), 0.04 * shade_h, _DISC, 0.85 * b.w / 2, 0.85 * b.d / 2,
                   min(0.005, 0.05 * shade_h), _BULB, collide=False)  # fmt: skip
