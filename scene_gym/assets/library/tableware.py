"""Tableware and kitchenware on surfaces: bowls, plates, cups, mugs, glasses, bottles, pots, kettles, boards.

Round pieces are lathed profiles stretched to the requested footprint (see :func:`oval_lathe`), so a size with
unequal width and depth gives an oval piece rather than a gap in the bounding box.
"""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.shapes import arc, ellipsoid, oval_lathe, place_mesh, tube_mesh
from scene_gym.assets.params import int_param

_KITCHEN = ("kitchen", "dining room", "restaurant", "studio apartment")
#: (r, z) profiles in arbitrary units; oval_lathe stretches them to the requested size.
_BOWL = [(0.0, 0.0), (0.45, 0.0), (0.45, 0.06), (0.8, 0.45), (1.0, 1.0), (0.94, 1.0), (0.75, 0.47),
         (0.41, 0.12), (0.0, 0.12)]  # fmt: skip
_PLATE = [(0.0, 0.15), (0.55, 0.15), (0.58, 0.0), (0.64, 0.0), (0.66, 0.25), (0.95, 0.85), (1.0, 1.0),
          (0.97, 1.0), (0.9, 0.95), (0.64, 0.45), (0.0, 0.45)]  # fmt: skip
_CUP = [(0.0, 0.0), (0.5, 0.0), (0.55, 0.08), (0.8, 0.3), (0.95, 0.7), (1.0, 1.0), (0.93, 1.0), (0.88, 0.7),
        (0.74, 0.32), (0.5, 0.15), (0.0, 0.15)]  # fmt: skip
_MUG = [(0.0, 0.0), (0.95, 0.0), (1.0, 0.04), (1.0, 1.0), (0.9, 1.0), (0.9, 0.09), (0.0, 0.09)]
_GLASS = [(0.0, 0.0), (0.82, 0.0), (1.0, 1.0), (0.94, 1.0), (0.78, 0.1), (0.0, 0.1)]
_CYLINDER = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
_FRUIT_MATERIALS = ("red plastic", "orange plastic", "yellow plastic", "green plastic")


@register
class Bowl(AssetFactory):
    category = "bowl"
    synonyms = ("soup bowl", "salad bowl", "cereal bowl")
    description = "A round bowl for food, turned from a curved profile."
    size_range = ((0.08, 0.08, 0.04), (0.35, 0.35, 0.15))
    default_size = (0.16, 0.16, 0.07)
    default_material = "white ceramic"
    placement = "surface"
    small = True
    rooms = _KITCHEN

    def build(self, b, params):
        oval_lathe(b, "body", (0, 0), 0.0, _BOWL, b.w / 2, b.d / 2, b.h)
        b.surface("inside", (0, 0, 0.12 * b.h), (0.5 * b.w, 0.5 * b.d), clearance=0.88 * b.h)


@register
class Plate(AssetFactory):
    category = "plate"
    synonyms = ("dinner plate", "dish", "side plate", "saucer")
    description = "A flat round ceramic plate with a raised rim for serving food."
    size_range = ((0.12, 0.12, 0.012), (0.35, 0.35, 0.04))
    default_size = (0.26, 0.26, 0.025)
    default_material = "white ceramic"
    placement = "surface"
    small = True
    rooms = _KITCHEN

    def build(self, b, params):
        oval_lathe(b, "body", (0, 0), 0.0, _PLATE, b.w / 2, b.d / 2, b.h)
        b.surface("top", (0, 0, 0.45 * b.h), (0.85 * b.w / 2, 0.85 * b.d / 2))


class _HandledCup(AssetFactory):
    """A lathed body on the -x side and a C-shaped handle reaching x = +w/2."""

    placement = "surface"
    small = True
    rooms = _KITCHEN + ("office", "living room")
    profile = _CUP
    handle_share = 0.25  # fraction of the width taken by the handle

    def build(self, b, params):
        handle_w = self.handle_share * b.w
        rx, ry = (b.w - handle_w) / 2, b.d / 2
        cx = -b.w / 2 + rx
        oval_lathe(b, "body", (cx, 0), 0.0, self.profile, rx, ry, b.h)
        radius = max(0.003, min(0.3 * handle_w, 0.07 * b.h))
        zc, half = 0.55 * b.h, 0.26 * b.h
        edge = cx + 0.9 * rx  # the handle's ends sink into the wall
        v, f = tube_mesh(arc((edge, 0, zc), b.w / 2 - edge - radius, half, 1.5, -1.5), radius)
        v[:, 0] += b.w / 2 - v[:, 0].max()
        place_mesh(b, "handle", v, f)


@register
class Cup(_HandledCup):
    category = "cup"
    synonyms = ("teacup", "coffee cup", "espresso cup")
    description = "A small ceramic cup with a handle for tea or coffee."
    size_range = ((0.07, 0.05, 0.04), (0.15, 0.11, 0.1))
    default_size = (0.11, 0.08, 0.065)
    default_material = "white ceramic"


@register
class Mug(_HandledCup):
    category = "mug"
    synonyms = ("coffee mug", "tea mug", "beer mug")
    description = "A tall cylindrical mug with a handle for hot drinks."
    size_range = ((0.09, 0.06, 0.07), (0.16, 0.11, 0.15))
    default_size = (0.12, 0.085, 0.1)
    default_material = "blue ceramic"
    profile = _MUG
    handle_share = 0.28


@register
class DrinkingGlass(AssetFactory):
    category = "drinking_glass"
    synonyms = ("glass", "tumbler", "water glass", "highball glass")
    description = "A clear tapered glass tumbler for drinking water or juice."
    size_range = ((0.05, 0.05, 0.06), (0.1, 0.1, 0.2))
    default_size = (0.075, 0.075, 0.12)
    default_material = "glass"
    placement = "surface"
    small = True
    rooms = _KITCHEN + ("bathroom", "living room")

    def build(self, b, params):
        oval_lathe(b, "body", (0, 0), 0.0, _GLASS, b.w / 2, b.d / 2, b.h)


class _Bottle(AssetFactory):
    """A lathed bottle (body and neck) with a cap or capsule on top of the neck."""

    placement = "surface"
    small = True
    profile: list[tuple[float, float]] = []
    neck = 0.3  # neck radius relative to the body
    cap_share = 0.1  # share of the height covered by the cap
    cap_material = "white plastic"
    wall = 0.002  # metres; the bottle is hollow

    def build(self, b, params):
        body_h = (1 - 0.7 * self.cap_share) * b.h
        oval_lathe(b, "body", (0, 0), 0.0, self.profile, b.w / 2, b.d / 2, body_h, shell=self.wall)
        cap_z = (1 - self.cap_share) * b.h
        oval_lathe(b, "cap", (0, 0), cap_z, _CYLINDER, (self.neck + 0.04) * b.w / 2, (self.neck + 0.04) * b.d / 2,
                   b.h - cap_z, self.cap_material)  # fmt: skip


@register
class Bottle(_Bottle):
    category = "bottle"
    synonyms = ("water bottle", "plastic bottle", "soda bottle", "flask")
    description = "A bottle for water or other drinks, with a screw cap."
    size_range = ((0.05, 0.05, 0.15), (0.12, 0.12, 0.35))
    default_size = (0.07, 0.07, 0.24)
    default_material = "glass"
    rooms = _KITCHEN + ("office", "gym", "living room", "bedroom")
    profile = [(0.0, 0.0), (0.95, 0.0), (1.0, 0.03), (1.0, 0.62), (0.8, 0.76), (0.32, 0.88), (0.3, 1.0),
               (0.0, 1.0)]  # fmt: skip


@register
class WineBottle(_Bottle):
    category = "wine_bottle"
    synonyms = ("bottle of wine", "wine")
    description = "A dark glass wine bottle with a long neck and a foil capsule."
    size_range = ((0.07, 0.07, 0.28), (0.1, 0.1, 0.36))
    default_size = (0.076, 0.076, 0.3)
    default_material = "green glass"
    rooms = _KITCHEN + ("living room",)
    profile = [(0.0, 0.0), (0.95, 0.0), (1.0, 0.03), (1.0, 0.6), (0.9, 0.7), (0.4, 0.8), (0.3, 0.85),
               (0.3, 1.0), (0.0, 1.0)]  # fmt: skip
    cap_share = 0.12
    cap_material = "burgundy plastic"
    wall = 0.003


@register
class CookingPot(AssetFactory):
    category = "cooking_pot"
    synonyms = ("pot", "saucepan", "stock pot", "casserole", "stew pot")
    description = "A metal cooking pot with a lid and two side handles."
    size_range = ((0.18, 0.14, 0.08), (0.45, 0.34, 0.3))
    default_size = (0.3, 0.22, 0.16)
    default_material = "stainless steel"
    placement = "surface"
    small = True
    rooms = ("kitchen", "restaurant", "studio apartment")

    def build(self, b, params):
        handle_w = 0.12 * b.w
        rx, ry = b.w / 2 - handle_w, b.d / 2
        body_h, lid_h = 0.72 * b.h, 0.16 * b.h
        oval_lathe(b, "body", (0, 0), 0.0, [(0.0, 0.0), (0.98, 0.0), (1.0, 0.02), (1.0, 1.0), (0.985, 1.0),
                                            (0.985, 0.025), (0.0, 0.025)], rx, ry, body_h)  # fmt: skip
        oval_lathe(b, "lid", (0, 0), body_h, [(0.0, 0.0), (1.0, 0.0), (1.0, 0.15), (0.7, 0.7), (0.0, 1.0)],
                   rx, ry, lid_h, "glass", shell=0.002)  # fmt: skip
        oval_lathe(b, "knob", (0, 0), body_h + 0.9 * lid_h, _CYLINDER, 0.15 * rx, 0.15 * ry,
                   b.h - body_h - 0.9 * lid_h, "black plastic")  # fmt: skip
        z = 0.85 * body_h
        size = (handle_w + 0.01, min(0.6 * b.d, 0.1), min(0.02, 0.12 * b.h))
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"handle_{side}", (sx * (b.w / 2 - size[0] / 2), 0, z), size, "black plastic", bevel=0.003)
            b.handle(f"handle_{side}", (sx * (b.w / 2 - handle_w / 2), 0, z), axis=(0, 1, 0))


@register
class Kettle(AssetFactory):
    category = "kettle"
    synonyms = ("tea kettle", "electric kettle", "teapot")
    description = "A kettle for boiling water, with a spout at one side and a handle at the other."
    size_range = ((0.15, 0.12, 0.15), (0.3, 0.22, 0.32))
    default_size = (0.24, 0.16, 0.24)
    default_material = "stainless steel"
    placement = "surface"
    small = True
    rooms = ("kitchen", "studio apartment", "office")

    def build(self, b, params):
        spout_w, handle_w = 0.2 * b.w, 0.17 * b.w
        rx, ry = (b.w - spout_w - handle_w) / 2, b.d / 2
        cx = -b.w / 2 + handle_w + rx
        body_h = 0.88 * b.h
        oval_lathe(b, "body", (cx, 0), 0.0, [(0.0, 0.0), (0.9, 0.0), (1.0, 0.1), (1.0, 0.55), (0.8, 0.9),
                                             (0.45, 1.0), (0.0, 1.0)], rx, ry, body_h, shell=0.001)  # fmt: skip
        oval_lathe(b, "knob", (cx, 0), body_h - 0.01, [(0.0, 0.0), (1.0, 0.0), (0.8, 0.6), (0.0, 1.0)],
                   0.15 * rx, 0.15 * ry, b.h - body_h + 0.01, "black plastic")  # fmt: skip
        r_spout = max(0.004, min(0.05 * b.h, 0.3 * ry))
        v, f = tube_mesh([(cx + 0.6 * rx, 0, 0.3 * body_h), (cx + rx + 0.3 * spout_w, 0, 0.5 * body_h),
                          (b.w / 2, 0, 0.75 * body_h)], r_spout)  # fmt: skip
        v[:, 0] += b.w / 2 - v[:, 0].max()
        place_mesh(b, "spout", v, f)
        r_handle = max(0.005, min(0.3 * handle_w, 0.05 * b.h))
        edge = cx - 0.85 * rx
        path = arc((edge, 0, 0.55 * body_h), edge - (-b.w / 2 + r_handle), 0.3 * body_h, 1.6, 2 * math.pi - 1.6,
                   n=14)  # fmt: skip
        v, f = tube_mesh(path, r_handle)
        v[:, 0] += -b.w / 2 - v[:, 0].min()
        place_mesh(b, "handle", v, f, "black plastic")
        b.handle("handle", (-b.w / 2 + r_handle, 0, 0.55 * body_h), axis=(0, 0, 1))


@register
class CuttingBoard(AssetFactory):
    category = "cutting_board"
    synonyms = ("chopping board", "bread board", "carving board")
    description = "A flat wooden board for cutting food, with a handle tab at one end."
    size_range = ((0.2, 0.15, 0.01), (0.6, 0.45, 0.05))
    default_size = (0.38, 0.25, 0.02)
    default_material = "bamboo"
    placement = "surface"
    small = True
    rooms = ("kitchen", "restaurant", "studio apartment")

    def build(self, b, params):
        tab = 0.12 * b.w
        bevel = min(0.004, b.h / 3)
        b.box("board", (-tab / 2, 0, b.h / 2), (b.w - tab, b.d, b.h), bevel=bevel)
        b.box("handle_tab", (b.w / 2 - tab / 2 - 0.005, 0, b.h / 2), (tab + 0.01, 0.35 * b.d, b.h), bevel=bevel)
        b.handle("handle", (b.w / 2 - tab / 2, 0, b.h / 2), axis=(0, 1, 0))
        b.surface("top", (-tab / 2, 0, b.h), (b.w - tab - 0.01, b.d - 0.01))


@register
class FruitBowl(AssetFactory):
    category = "fruit_bowl"
    synonyms = ("bowl of fruit", "fruit dish", "fruit platter")
    description = "A wide shallow bowl holding a few pieces of fruit."
    size_range = ((0.18, 0.18, 0.08), (0.45, 0.45, 0.25))
    default_size = (0.3, 0.3, 0.14)
    default_material = "white ceramic"
    placement = "surface"
    small = True
    rooms = ("kitchen", "dining room", "living room", "restaurant", "studio apartment", "waiting room")
    params = {"n_fruit": int_param(3, 0, 6, "pieces of fruit")}

    def build(self, b, params):
        n = params["n_fruit"]
        radius = min(b.w, b.d) / 2
        bowl_h = 0.55 * b.h if n > 1 else b.h  # a single fruit cannot reach the top: the bowl does
        floor_z = 0.12 * bowl_h
        oval_lathe(b, "bowl", (0, 0), 0.0, _BOWL, b.w / 2, b.d / 2, bowl_h)
        if not n:
            return
        # Fruit lies in a ring on the bowl's floor; when the ring's fruit is too small to reach the requested
        # height, one more piece sits on top in the middle.
        reach = (b.h - floor_z) / 2
        rf = min(reach, 0.4 * radius)
        stacked = n > 1 and rf < reach - 1e-9
        n_ring = n - 1 if stacked else n
        ring = 0.9 * radius - rf if n_ring > 1 else 0.0
        offset = b.rng.uniform(0, 2 * math.pi)
        for i in range(n_ring):
            a = offset + 2 * math.pi * i / n_ring
            ellipsoid(b, f"fruit_{i}", (ring * math.cos(a), ring * math.sin(a), floor_z + rf), (rf, rf, rf),
                      _FRUIT_MATERIALS[int(b.rng.integers(len(_FRUIT_MATERIALS)))])  # fmt: skip
        if stacked:
            ellipsoid(b, f"fruit_{n_ring}", (0, 0, b.h - rf), (rf, rf, rf),
                      _FRUIT_MATERIALS[int(b.rng.integers(len(_FRUIT_MATERIALS)))])  # fmt: skip
