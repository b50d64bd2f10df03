"""Decorations: vases, plants, candles, baskets, picture frames, and wall pieces (paintings, mirrors, clocks).

Wall pieces (placement ``"wall"``) hang with their back at y = -d/2 against the wall and face +Y.
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.shapes import (
    arc,
    ellipsoid,
    fit_box,
    front_lathe,
    oval_lathe,
    place_mesh,
    tube_mesh,
)
from scene_gym.assets.params import bool_param, choice_param, int_param

_LIVING = ("living room", "bedroom", "dining room", "office", "waiting room", "studio apartment", "restaurant")
_PAINTS = ("blue paint", "yellow paint", "teal paint", "burgundy paint", "olive paint", "orange paint",
           "navy paint", "pink paint")  # fmt: skip

#: Vase silhouettes: (r, z) outlines with a wall, from the foot up and back down inside.
VASE_SHAPES = {
    "bulb": [(0.0, 0.0), (0.55, 0.0), (0.9, 0.15), (1.0, 0.35), (0.85, 0.6), (0.42, 0.8), (0.38, 0.9), (0.5, 1.0),
             (0.44, 1.0), (0.32, 0.9), (0.36, 0.8), (0.79, 0.6), (0.93, 0.35), (0.84, 0.15), (0.5, 0.05),
             (0.0, 0.05)],
    "cylinder": [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.92, 1.0), (0.92, 0.05), (0.0, 0.05)],
    "amphora": [(0.0, 0.0), (0.6, 0.0), (1.0, 0.3), (0.9, 0.55), (0.35, 0.75), (0.3, 0.95), (0.45, 1.0),
                (0.38, 1.0), (0.24, 0.95), (0.28, 0.75), (0.82, 0.55), (0.92, 0.3), (0.55, 0.04), (0.0, 0.04)],
    "flared": [(0.0, 0.0), (0.5, 0.0), (0.5, 0.1), (0.4, 0.45), (1.0, 1.0), (0.92, 1.0), (0.34, 0.45),
               (0.42, 0.1), (0.0, 0.1)],
}  # fmt: skip


@register
class Vase(AssetFactory):
    category = "vase"
    synonyms = ("flower vase", "urn", "jar")
    description = "A decorative ceramic vase turned from a curved profile."
    size_range = ((0.08, 0.08, 0.12), (0.35, 0.35, 0.6))
    default_size = (0.15, 0.15, 0.3)
    default_material = "blue ceramic"
    placement = "surface"
    small = True
    rooms = _LIVING + ("bathroom", "bookstore", "meeting room")
    params = {"shape": choice_param("bulb", tuple(VASE_SHAPES), "silhouette")}

    def build(self, b, params):
        oval_lathe(b, "body", (0, 0), 0.0, VASE_SHAPES[params["shape"]], b.w / 2, b.d / 2, b.h)


_POT = [(0.0, 0.0), (0.78, 0.0), (1.0, 0.9), (1.0, 1.0), (0.9, 1.0), (0.72, 0.08), (0.0, 0.08)]


class _Plant(AssetFactory):
    """A pot with a layer of soil, optionally a trunk, and a lobed crown of leaves filling the requested box.

    The crown is a core ellipsoid at 75% of the box with leaf lobes on its surface; lobes at the four sides and
    the top reach the box's faces, the others fall at random. Foliage is hollow (leaves are mostly air).
    """

    default_material = "white ceramic"
    params = {"lobes": int_param(4, 0, 16, "leaf lobes drawn at random besides the five fixed ones")}
    pot_height = 0.38  # share of the height
    pot_width = 0.65  # share of min(w, d)
    crown_start = 0.3  # height share where the crown begins
    trunk = False

    def build(self, b, params):
        n = params["lobes"]
        pot_h = self.pot_height * b.h
        pr = self.pot_width * min(b.w, b.d) / 2
        oval_lathe(b, "pot", (0, 0), 0.0, _POT, pr, pr, pot_h)
        oval_lathe(b, "soil", (0, 0), 0.75 * pot_h, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)], 0.93 * pr,
                   0.93 * pr, 0.15 * pot_h, "soil")  # fmt: skip
        z0 = self.crown_start * b.h
        if self.trunk:
            bottom, top = 0.8 * pot_h, z0 + 0.1 * (b.h - z0)
            b.cylinder("trunk", (0, 0, (bottom + top) / 2), max(0.008, 0.08 * pr), top - bottom, "walnut wood")
        half = np.array([b.w / 2, b.d / 2, (b.h - z0) / 2])
        center = np.array([0.0, 0.0, z0 + half[2]])
        shell = 0.02 * float(half.min()) / 0.15
        ellipsoid(b, "leaves", center, 0.75 * half, "leaves", shell=shell)
        directions = [np.array(d, dtype=float) for d in ((1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1))]
        for _ in range(n):
            u = b.rng.normal(size=3)
            u[2] = abs(u[2])  # lobes on the upper half look like foliage; the lower half hides in the pot
            directions.append(u / np.linalg.norm(u))
        for i, u in enumerate(directions):
            # A point on the core's surface; lobe radii 25% of the box keep every lobe inside it.
            p = center + 0.75 * half * u / np.linalg.norm(u)
            scale = 0.25 if i < 5 else b.rng.uniform(0.15, 0.25)
            ellipsoid(b, f"lobe_{i}", p, scale * half, "green leaves" if i % 2 else "leaves", shell=shell)


@register
class PottedPlant(_Plant):
    category = "potted_plant"
    synonyms = ("houseplant", "house plant", "indoor plant", "succulent", "small plant")
    description = "A small leafy houseplant in a ceramic pot for a table, shelf or windowsill."
    size_range = ((0.1, 0.1, 0.15), (0.5, 0.5, 0.8))
    default_size = (0.22, 0.22, 0.35)
    placement = "surface"
    small = True
    rooms = _LIVING + ("kitchen", "bathroom", "bookstore", "classroom", "meeting room", "medical examination room")


@register
class FloorPlant(_Plant):
    category = "floor_plant"
    synonyms = ("tall plant", "indoor tree", "potted tree", "ficus", "palm", "large plant")
    description = "A tall plant or small tree in a large pot standing on the floor."
    size_range = ((0.3, 0.3, 0.6), (1.2, 1.2, 2.2))
    default_size = (0.6, 0.6, 1.4)
    default_material = "grey ceramic"
    rooms = _LIVING + ("bookstore", "meeting room", "gym", "medical examination room", "classroom")
    params = {"lobes": int_param(6, 0, 16, "leaf lobes drawn at random besides the five fixed ones")}
    pot_height = 0.28
    pot_width = 0.6
    crown_start = 0.42
    trunk = True


class _FramedWallPiece(AssetFactory):
    """A rectangular frame (four bars of ``b.material``, full depth) for a panel hung on the wall."""

    placement = "wall"
    frame_share = 0.06

    def frame(self, b) -> tuple[float, float]:
        """Draw the frame; returns the (width, height) of the opening it leaves, with 2 mm overlap each side."""
        fw = max(0.01, min(0.06, self.frame_share * min(b.w, b.h)))
        b.box("frame_top", (0, 0, b.h - fw / 2), (b.w, b.d, fw), bevel=0.002)
        b.box("frame_bottom", (0, 0, fw / 2), (b.w, b.d, fw), bevel=0.002)
        b.box("frame_left", (-b.w / 2 + fw / 2, 0, b.h / 2), (fw, b.d, b.h - 2 * fw), bevel=0.002)
        b.box("frame_right", (b.w / 2 - fw / 2, 0, b.h / 2), (fw, b.d, b.h - 2 * fw), bevel=0.002)
        return b.w - 2 * fw + 0.004, b.h - 2 * fw + 0.004


@register
class Painting(_FramedWallPiece):
    category = "painting"
    synonyms = ("artwork", "canvas", "wall art", "framed art", "art print", "poster", "wall picture")
    description = "A framed painting hung on the wall, with a few colour fields on its canvas."
    size_range = ((0.2, 0.015, 0.2), (2.0, 0.08, 1.5))
    default_size = (0.8, 0.03, 0.6)
    default_material = "walnut wood"
    rooms = _LIVING + ("bookstore", "meeting room", "children room", "classroom", "game room", "bathroom",
                       "medical examination room")  # fmt: skip
    params = {"n_patches": int_param(3, 0, 8, "colour fields on the canvas")}

    def build(self, b, params):
        n = params["n_patches"]
        iw, ih = self.frame(b)
        canvas_d = 0.6 * b.d
        b.box("canvas", (0, -b.d / 2 + canvas_d / 2, b.h / 2), (iw, canvas_d, ih), "white linen")
        y_front = -b.d / 2 + canvas_d
        t = min(0.002, (b.d / 2 - y_front) / 2)
        for i in range(n):
            sw, sh = iw * b.rng.uniform(0.2, 0.6), ih * b.rng.uniform(0.2, 0.6)
            x = b.rng.uniform(-(iw - sw) / 2, (iw - sw) / 2)
            z = b.h / 2 + b.rng.uniform(-(ih - sh) / 2, (ih - sh) / 2)
            b.box(f"paint_{i}", (x, y_front + t / 2, z), (sw, t, sh), _PAINTS[int(b.rng.integers(len(_PAINTS)))])


@register
class Mirror(_FramedWallPiece):
    category = "mirror"
    synonyms = ("wall mirror", "vanity mirror", "bathroom mirror")
    description = "A framed rectangular mirror hung on the wall."
    size_range = ((0.3, 0.015, 0.4), (1.5, 0.06, 2.0))
    default_size = (0.6, 0.03, 0.9)
    default_material = "black wood"
    rooms = ("bathroom", "bedroom", "living room", "studio apartment", "gym", "waiting room", "restaurant")
    frame_share = 0.04

    def build(self, b, params):
        iw, ih = self.frame(b)
        backing = 0.4 * b.d
        b.box("backing", (0, -b.d / 2 + backing / 2, b.h / 2), (iw, backing, ih), "mdf")
        b.box("glass", (0, -b.d / 2 + backing + 0.001, b.h / 2), (iw, 0.002, ih), "chrome")


@register
class WallClock(AssetFactory):
    category = "wall_clock"
    synonyms = ("clock", "kitchen clock", "round clock")
    description = "A round analogue clock with hands, hung on the wall."
    size_range = ((0.2, 0.03, 0.2), (0.6, 0.08, 0.6))
    default_size = (0.3, 0.045, 0.3)
    default_material = "black plastic"
    placement = "wall"
    rooms = ("kitchen", "living room", "office", "classroom", "waiting room", "dining room", "meeting room",
             "restaurant", "children room", "medical examination room", "studio apartment")  # fmt: skip

    def build(self, b, params):
        rx, rz = b.w / 2, b.h / 2
        front_lathe(b, "rim", (0, rz), -b.d / 2, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.92, 1.0), (0.92, 0.3),
                                                  (0.0, 0.3)], rx, rz, b.d)  # fmt: skip
        face_y = -b.d / 2 + 0.3 * b.d
        front_lathe(b, "face", (0, rz), face_y - 0.001, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)],
                    0.92 * rx, 0.92 * rz, 0.003, "white plastic")  # fmt: skip
        hand_y = face_y + 0.004
        hour, minute = b.rng.uniform(0, 2 * math.pi), b.rng.uniform(0, 2 * math.pi)
        for name, angle, length in (("hour_hand", hour, 0.45), ("minute_hand", minute, 0.75)):
            ln = length * 0.92 * min(rx, rz)
            b.box(name, (0.5 * ln * math.sin(angle), hand_y, rz + 0.5 * ln * math.cos(angle)),
                  (0.04 * min(rx, rz), 0.002, ln), "black metal", rpy=(0.0, angle, 0.0))  # fmt: skip


@register
class PictureFrame(AssetFactory):
    category = "picture_frame"
    synonyms = ("photo frame", "framed photo", "photograph")
    description = "A small framed photo standing on a table on its fold-out strut."
    size_range = ((0.1, 0.05, 0.12), (0.35, 0.15, 0.4))
    default_size = (0.18, 0.08, 0.23)
    default_material = "black wood"
    placement = "surface"
    small = True
    rooms = _LIVING + ("children room", "nursery")

    def build(self, b, params):
        ft = min(0.02, 0.3 * b.d)
        fw = 0.1 * min(b.w, b.h)
        yc = b.d / 2 - ft / 2
        b.box("frame_top", (0, yc, b.h - fw / 2), (b.w, ft, fw))
        b.box("frame_bottom", (0, yc, fw / 2), (b.w, ft, fw))
        b.box("frame_left", (-b.w / 2 + fw / 2, yc, b.h / 2), (fw, ft, b.h - 2 * fw))
        b.box("frame_right", (b.w / 2 - fw / 2, yc, b.h / 2), (fw, ft, b.h - 2 * fw))
        b.box("photo", (0, yc - 0.15 * ft, b.h / 2), (b.w - 2 * fw + 0.002, 0.5 * ft, b.h - 2 * fw + 0.002),
              "light blue paper")  # fmt: skip
        # The strut runs from the back of the frame down to the surface behind it.
        v, f = tube_mesh([(0, b.d / 2 - ft, 0.6 * b.h), (0, -b.d / 2, 0.0)], 0.004)
        v = fit_box(v, (-0.004, -b.d / 2, 0.0), (0.004, b.d / 2 - ft + 0.002, 0.6 * b.h))
        place_mesh(b, "strut", v, f)


@register
class Candle(AssetFactory):
    category = "candle"
    synonyms = ("pillar candle", "wax candle", "tea light")
    description = "A round wax pillar candle with a wick."
    size_range = ((0.03, 0.03, 0.04), (0.12, 0.12, 0.3))
    default_size = (0.07, 0.07, 0.12)
    default_material = "ivory wax"
    placement = "surface"
    small = True
    rooms = ("dining room", "living room", "bedroom", "bathroom", "restaurant", "studio apartment")

    def build(self, b, params):
        wick_h = min(0.012, 0.15 * b.h)
        body_h = b.h - wick_h
        oval_lathe(b, "body", (0, 0), 0.0, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.8, 0.97), (0.0, 0.94)],
                   b.w / 2, b.d / 2, body_h)  # fmt: skip
        b.cylinder("wick", (0, 0, body_h + wick_h / 2 - 0.002), 0.0012, wick_h + 0.004, "black cotton")


@register
class Basket(AssetFactory):
    category = "basket"
    synonyms = ("wicker basket", "storage basket", "small basket", "woven basket")
    description = "A woven wicker basket with an arched carrying handle."
    size_range = ((0.15, 0.12, 0.1), (0.6, 0.45, 0.55))
    default_size = (0.35, 0.25, 0.25)
    default_material = "wicker"
    placement = "surface"
    small = True
    rooms = ("living room", "bedroom", "bathroom", "kitchen", "laundry room", "children room", "nursery",
             "studio apartment")  # fmt: skip
    params = {"handle": bool_param(True, "an arched carrying handle")}

    def build(self, b, params):
        body_h = 0.6 * b.h if params["handle"] else b.h
        rx, ry = b.w / 2, b.d / 2
        oval_lathe(b, "body", (0, 0), 0.0, [(0.0, 0.0), (0.85, 0.0), (1.0, 1.0), (0.94, 1.0), (0.8, 0.07),
                                            (0.0, 0.07)], rx, ry, body_h)  # fmt: skip
        floor = 0.07 * body_h
        b.surface("inside", (0, 0, floor), (1.2 * rx, 1.2 * ry), clearance=b.h - floor)
        if params["handle"]:
            r = max(0.004, 0.03 * min(b.w, b.h))
            z_base = 0.8 * body_h
            v, f = tube_mesh(arc((0, 0, z_base), 0.94 * rx - r, b.h - z_base - r, 0.0, math.pi, n=16), r)
            v[:, 2] += b.h - v[:, 2].max()
            place_mesh(b, "handle", v, f)
            b.handle("handle", (0, 0, b.h - r), axis=(1, 0, 0))
