"""Textiles: folded towels, pillows, floor coverings (rugs and mats) and curtains.

Rugs and mats are thin coverings (``thin_covering = True``): furniture may stand on them, so collision checks
between objects ignore them.
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.shapes import cushion, fit_box, folded_sheet, place_mesh
from scene_gym.assets.params import float_param, int_param


@register
class Towel(AssetFactory):
    category = "towel"
    synonyms = ("folded towel", "bath towel", "hand towel", "towels")
    description = "A stack of folded cotton towels."
    size_range = ((0.15, 0.12, 0.02), (0.5, 0.4, 0.25))
    default_size = (0.3, 0.2, 0.06)
    default_material = "white cotton"
    placement = "surface"
    small = True
    rooms = ("bathroom", "bedroom", "gym", "laundry room", "medical examination room")
    params = {"n_towels": int_param(2, 1, 8, "towels in the stack")}

    def build(self, b, params):
        n = params["n_towels"]
        layer = b.h / n
        w, d = b.w, b.d
        for i in range(n):
            # The bottom towel fills the footprint; each one above is a little smaller and offset at random.
            if i:
                w, d = b.w * b.rng.uniform(0.85, 1.0), b.d * b.rng.uniform(0.85, 1.0)
            x = b.rng.uniform(-(b.w - w) / 2, (b.w - w) / 2) if i else 0.0
            y = b.rng.uniform(-(b.d - d) / 2, (b.d - d) / 2) if i else 0.0
            cushion(b, f"towel_{i}", (x, y, layer * (i + 0.5)), (w, d, layer * 1.02 if i < n - 1 else layer),
                    squareness=0.2)  # fmt: skip
        b.surface("top", (x, y, b.h), (0.8 * w, 0.8 * d))


@register
class Pillow(AssetFactory):
    category = "pillow"
    synonyms = ("cushion", "throw pillow", "bed pillow", "scatter cushion")
    description = "A soft stuffed pillow, upright against a sofa back or lying on a bed."
    size_range = ((0.25, 0.08, 0.08), (0.9, 0.6, 0.5))
    default_size = (0.45, 0.16, 0.42)
    default_material = "beige fabric"
    placement = "surface"
    small = True
    rooms = ("living room", "bedroom", "children room", "nursery", "studio apartment", "waiting room")

    def build(self, b, params):
        cushion(b, "pillow", (0, 0, b.h / 2), (b.w, b.d, b.h), squareness=0.35, shell=0.005)


class _Mat(AssetFactory):
    """A flat floor covering: a backing of ``border_material`` with a field of the main material on it."""

    placement = "floor"
    thin_covering = True
    border_material = "charcoal fabric"
    border_share = 0.0  # border width as a share of min(w, d); 0: no border

    def build(self, b, params):
        bevel = min(0.003, b.h / 3)
        border = self.border_share * min(b.w, b.d)
        if border:
            b.box("border", (0, 0, 0.45 * b.h), (b.w, b.d, 0.9 * b.h), self.border_material, bevel=bevel)
            b.box("field", (0, 0, b.h / 2), (b.w - 2 * border, b.d - 2 * border, b.h), bevel=bevel)
        else:
            b.box("mat", (0, 0, b.h / 2), (b.w, b.d, b.h), bevel=bevel)


@register
class Rug(_Mat):
    category = "rug"
    synonyms = ("carpet", "area rug", "runner")
    description = "A rectangular woven area rug on the floor, with a darker border."
    size_range = ((0.6, 0.4, 0.005), (4.0, 3.0, 0.025))
    default_size = (2.0, 1.4, 0.01)
    default_material = "beige wool"
    rooms = ("living room", "bedroom", "dining room", "children room", "nursery", "office", "studio apartment",
             "waiting room", "game room", "bookstore", "meeting room")  # fmt: skip
    border_material = "charcoal wool"
    border_share = 0.06


@register
class BathMat(_Mat):
    category = "bath_mat"
    synonyms = ("bathroom mat", "shower mat", "bath rug")
    description = "A soft absorbent mat on the bathroom floor in front of the bath or shower."
    size_range = ((0.4, 0.3, 0.005), (1.0, 0.7, 0.025))
    default_size = (0.7, 0.45, 0.012)
    default_material = "white cotton"
    rooms = ("bathroom",)


@register
class YogaMat(_Mat):
    category = "yoga_mat"
    synonyms = ("exercise mat", "fitness mat", "gym mat", "pilates mat")
    description = "A thin rubber exercise mat rolled out on the floor for yoga or stretching."
    size_range = ((0.5, 1.5, 0.003), (0.8, 2.2, 0.012))
    default_size = (0.61, 1.83, 0.006)
    default_material = "purple foam"
    rooms = ("gym", "living room", "bedroom", "studio apartment")


@register
class Curtain(AssetFactory):
    category = "curtain"
    synonyms = ("curtains", "drapes", "drape", "window curtain")
    description = "A pair of folded fabric curtain panels hanging from a rod in front of a window."
    size_range = ((0.6, 0.05, 1.0), (4.0, 0.25, 3.0))
    default_size = (1.6, 0.12, 2.2)
    default_material = "cream linen"
    placement = "wall"
    rooms = ("bedroom", "living room", "dining room", "children room", "nursery", "office", "studio apartment",
             "waiting room", "restaurant", "classroom", "meeting room")  # fmt: skip
    params = {"open": float_param(0.0, 0.0, 0.8, "share of the width drawn aside")}

    def build(self, b, params):
        opened = params["open"]
        rod_r = min(0.012, 0.1 * b.d)
        b.cylinder("rod", (0, 0, b.h - rod_r), rod_r, b.w, "black metal", rpy=(0.0, math.pi / 2, 0.0))
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"bracket_{side}", (sx * (b.w / 2 - 0.04), -b.d / 4, b.h - rod_r), (0.015, b.d / 2, 0.015),
                  "black metal")  # fmt: skip
            # A panel drawn aside keeps its folds, bunched into a narrower width.
            pw = (b.w / 2) * (1.0 - opened)
            folds = max(2, int(round(b.w / 2 / 0.12)))
            xs = np.linspace(0.0, pw, 8 * folds + 1)
            ys = np.sin(xs / max(pw, 1e-6) * folds * 2 * math.pi)
            v, f = folded_sheet(xs, ys, 0.04, 0.0, 1.0)
            x0 = -b.w / 2 if sx < 0 else b.w / 2 - pw
            v = fit_box(v, (x0, -b.d / 2, 0.0), (x0 + pw, b.d / 2, b.h - 2 * rod_r))
            place_mesh(b, f"panel_{side}", v, f)
