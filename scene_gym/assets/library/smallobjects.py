"""Small manipulable objects: books, notebooks, toys, games, tissue boxes, dumbbells."""

from __future__ import annotations

import math

import numpy as np

from scene_gym.assets.builder import AssetBuilder
from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.shapes import cushion, ellipsoid, fit_box, hollow_box, place_mesh
from scene_gym.assets.meshes import extrude
from scene_gym.assets.params import int_param

_COVERS = ("red cardboard", "navy cardboard", "green cardboard", "mustard cardboard", "burgundy cardboard",
           "teal cardboard", "black cardboard", "cream cardboard")  # fmt: skip
_TOY_COLOURS = ("red plastic", "blue plastic", "yellow plastic", "green plastic", "orange plastic", "purple plastic")
_READING_ROOMS = ("living room", "bedroom", "office", "bookstore", "classroom", "children room", "studio apartment",
                  "waiting room")  # fmt: skip


def closed_book(b: AssetBuilder, prefix: str, center_xy: tuple[float, float], z0: float, size: tuple[float, float, float],
                cover: str | None = None) -> None:
    """A closed book lying flat: two covers, a spine on its -x side and the page block, filling ``size``
    (w, d, h) with its bottom at ``z0``."""
    x, y = center_xy
    w, d, h = size
    c = min(0.003, 0.15 * h)
    inset = min(0.003, 0.05 * min(w, d))
    b.box(f"{prefix}cover_bottom", (x, y, z0 + c / 2), (w, d, c), cover)
    b.box(f"{prefix}cover_top", (x, y, z0 + h - c / 2), (w, d, c), cover)
    b.box(f"{prefix}spine", (x - w / 2 + c / 2, y, z0 + h / 2), (c, d, h - 2 * c), cover)
    b.box(f"{prefix}pages", (x + (c - inset) / 2, y, z0 + h / 2), (w - c - inset, d - 2 * inset, h - 2 * c), "paper")


@register
class Book(AssetFactory):
    category = "book"
    synonyms = ("hardcover", "paperback", "novel", "textbook")
    description = "A closed hardcover book lying flat, its spine on the left."
    size_range = ((0.1, 0.14, 0.008), (0.3, 0.4, 0.08))
    default_size = (0.16, 0.24, 0.03)
    default_material = "navy cardboard"
    placement = "surface"
    small = True
    rooms = _READING_ROOMS

    def build(self, b, params):
        closed_book(b, "", (0.0, 0.0), 0.0, (b.w, b.d, b.h))
        b.surface("top", (0, 0, b.h), (b.w - 0.01, b.d - 0.01))


@register
class BookStack(AssetFactory):
    category = "book_stack"
    synonyms = ("stack of books", "pile of books", "books")
    description = "A pile of closed books lying flat on top of each other, larger ones at the bottom."
    size_range = ((0.12, 0.16, 0.04), (0.35, 0.45, 0.4))
    default_size = (0.2, 0.27, 0.12)
    default_material = "burgundy cardboard"
    placement = "surface"
    small = True
    rooms = _READING_ROOMS
    params = {"n_books": int_param(4, 1, 12, "books in the pile")}

    def build(self, b, params):
        n = params["n_books"]
        shares = b.rng.uniform(0.7, 1.3, n)
        thickness = b.h * shares / shares.sum()
        # Footprints shrink going up (the bottom book fills the requested footprint).
        scale = np.sort(b.rng.uniform(0.72, 1.0, (n, 2)), axis=0)[::-1]
        scale[0] = 1.0
        z = 0.0
        for i in range(n):
            w, d = b.w * scale[i, 0], b.d * scale[i, 1]
            x, y = b.rng.uniform(-(b.w - w) / 2, (b.w - w) / 2), b.rng.uniform(-(b.d - d) / 2, (b.d - d) / 2)
            cover = None if i == 0 else _COVERS[int(b.rng.integers(len(_COVERS)))]
            closed_book(b, f"book_{i}_", (x, y), z, (w, d, float(thickness[i])), cover)
            z += float(thickness[i])
        b.surface("top", (x, y, b.h), (w - 0.01, d - 0.01))


@register
class Notebook(AssetFactory):
    category = "notebook"
    synonyms = ("spiral notebook", "notepad", "exercise book", "journal", "diary")
    description = "A thin spiral-bound paper notebook lying flat."
    size_range = ((0.1, 0.14, 0.004), (0.25, 0.32, 0.02))
    default_size = (0.15, 0.21, 0.01)
    default_material = "teal cardboard"
    placement = "surface"
    small = True
    rooms = ("office", "classroom", "bedroom", "children room", "studio apartment", "meeting room", "bookstore")

    def build(self, b, params):
        r = b.h / 2
        c = min(0.0008, 0.15 * b.h)
        x0 = -b.w / 2 + r  # the covers start at the spiral's axis
        xc, wc = (x0 + b.w / 2) / 2, b.w / 2 - x0
        b.box("cover_bottom", (xc, 0, c / 2), (wc, b.d, c))
        b.box("pages", (xc, 0, b.h / 2), (wc - 0.002, b.d - 0.004, b.h - 2 * c), "paper")
        b.box("cover_top", (xc, 0, b.h - c / 2), (wc, b.d, c))
        b.cylinder("spiral", (x0, 0, r), r, b.d - 0.01, "steel", rpy=(-math.pi / 2, 0.0, 0.0))
        b.surface("top", (xc, 0, b.h), (wc - 0.01, b.d - 0.01))


@register
class ToyBlocks(AssetFactory):
    category = "toy_blocks"
    synonyms = ("building blocks", "wooden blocks", "toy bricks", "blocks", "toys")
    description = "A few painted toy blocks, two on the floor of the pile and a small tower on one of them."
    size_range = ((0.08, 0.08, 0.04), (0.4, 0.4, 0.3))
    default_size = (0.2, 0.15, 0.12)
    default_material = "red plastic"
    placement = "surface"
    small = True
    rooms = ("children room", "nursery", "living room", "game room", "classroom", "waiting room")

    def build(self, b, params):
        s = 0.45 * min(b.w, b.d)
        layers = max(1, round(b.h / s))
        bh = b.h / layers
        corner = (-b.w / 2 + s / 2, -b.d / 2 + s / 2)
        blocks = [(corner, 0)] + [(corner, i) for i in range(1, layers)]
        blocks.append(((b.w / 2 - s / 2, b.d / 2 - s / 2), 0))
        if b.w - 2 * s > 0.01 or b.d - 2 * s > 0.01:
            blocks.append(((b.w / 2 - s / 2, -b.d / 2 + s / 2), 0))
        for i, ((x, y), level) in enumerate(blocks):
            material = None if i == 0 else _TOY_COLOURS[int(b.rng.integers(len(_TOY_COLOURS)))]
            b.box(f"block_{i}", (x, y, bh * (level + 0.5)), (s, s, bh), material, bevel=0.003)


@register
class TeddyBear(AssetFactory):
    category = "teddy_bear"
    synonyms = ("teddy", "stuffed animal", "plush toy", "soft toy", "stuffed bear")
    description = "A seated plush teddy bear facing forward, with round ears, arms and legs."
    size_range = ((0.12, 0.1, 0.15), (0.5, 0.45, 0.6))
    default_size = (0.25, 0.2, 0.3)
    default_material = "brown fabric"
    placement = "surface"
    small = True
    rooms = ("children room", "nursery", "bedroom", "game room", "living room")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        ellipsoid(b, "body", (0, -0.2 * d, 0.3 * h), (0.32 * w, 0.3 * d, 0.3 * h))
        ellipsoid(b, "head", (0, -0.14 * d, 0.72 * h), (0.26 * w, 0.26 * d, 0.2 * h))
        ear = (0.08 * w, 0.05 * d, 0.07 * h)
        for side, sx in (("left", -1), ("right", 1)):
            ellipsoid(b, f"ear_{side}", (sx * 0.17 * w, -0.15 * d, h - ear[2]), ear)
            ellipsoid(b, f"arm_{side}", (sx * (w / 2 - 0.12 * w), -0.05 * d, 0.38 * h), (0.12 * w, 0.12 * d, 0.2 * h))
            ellipsoid(b, f"leg_{side}", (sx * 0.18 * w, d / 2 - 0.25 * d, 0.11 * h), (0.14 * w, 0.25 * d, 0.11 * h))
            ellipsoid(b, f"eye_{side}", (sx * 0.08 * w, 0.09 * d, 0.76 * h), (0.02 * w, 0.02 * d, 0.02 * h),
                      "black plastic")  # fmt: skip
        ellipsoid(b, "muzzle", (0, 0.12 * d, 0.66 * h), (0.1 * w, 0.08 * d, 0.07 * h), "tan fabric")
        ellipsoid(b, "nose", (0, 0.2 * d, 0.68 * h), (0.03 * w, 0.015 * d, 0.02 * h), "black plastic")


@register
class Ball(AssetFactory):
    category = "ball"
    synonyms = ("football", "soccer ball", "basketball", "beach ball", "toy ball")
    description = "A round inflated ball for games and play."
    size_range = ((0.04, 0.04, 0.04), (0.3, 0.3, 0.3))
    default_size = (0.22, 0.22, 0.22)
    default_material = "red rubber"
    placement = "surface"
    small = True
    rooms = ("children room", "nursery", "gym", "game room", "garage", "classroom", "living room")

    def build(self, b, params):
        # Inflated balls are hollow: a solid rubber ball of 22 cm would weigh 6 kg instead of 0.4 kg.
        ellipsoid(b, "ball", (0, 0, b.h / 2), (b.w / 2, b.d / 2, b.h / 2), shell=min(0.003, 0.1 * min(b.w, b.d, b.h)))


@register
class BoardGame(AssetFactory):
    category = "board_game"
    synonyms = ("game box", "boxed game", "puzzle box", "jigsaw puzzle")
    description = "A flat cardboard box holding a board game, its printed lid on top."
    size_range = ((0.2, 0.2, 0.03), (0.5, 0.5, 0.1))
    default_size = (0.4, 0.27, 0.07)
    default_material = "red cardboard"
    placement = "surface"
    small = True
    rooms = ("game room", "living room", "children room", "classroom", "bedroom", "waiting room")

    def build(self, b, params):
        hollow_box(b, "box", (0, 0, 0.375 * b.h), (b.w - 0.004, b.d - 0.004, 0.75 * b.h), 0.002, "white cardboard")
        hollow_box(b, "lid", (0, 0, 0.75 * b.h), (b.w, b.d, 0.5 * b.h), 0.002, bevel=0.002)
        b.surface("top", (0, 0, b.h), (b.w - 0.01, b.d - 0.01))


@register
class TissueBox(AssetFactory):
    category = "tissue_box"
    synonyms = ("box of tissues", "tissues", "kleenex", "tissue")
    description = "A cardboard box of paper tissues with one tissue sticking out of its top."
    size_range = ((0.1, 0.1, 0.06), (0.28, 0.15, 0.2))
    default_size = (0.24, 0.12, 0.1)
    default_material = "light blue cardboard"
    placement = "surface"
    small = True
    rooms = ("bathroom", "bedroom", "living room", "office", "medical examination room", "waiting room",
             "studio apartment")  # fmt: skip

    def build(self, b, params):
        body_h = 0.8 * b.h
        hollow_box(b, "box", (0, 0, body_h / 2), (b.w, b.d, body_h), 0.002, bevel=min(0.004, b.d / 10))
        rz = 0.3 * b.h
        cushion(b, "tissue", (0, 0, b.h - rz), (0.4 * b.w, 0.3 * b.d, 2 * rz), "white paper", squareness=0.6)


@register
class Dumbbell(AssetFactory):
    category = "dumbbell"
    synonyms = ("hand weight", "free weight", "weights")
    description = "A hexagonal dumbbell: a chrome grip between two cast iron weights."
    size_range = ((0.2, 0.06, 0.06), (0.5, 0.25, 0.25))
    default_size = (0.32, 0.11, 0.11)
    default_material = "black metal"
    placement = "surface"
    small = True
    rooms = ("gym", "bedroom", "garage", "living room", "studio apartment")

    def build(self, b, params):
        head_l = 0.24 * b.w
        hexagon = [(math.cos(a), math.sin(a)) for a in np.linspace(0, 2 * math.pi, 6, endpoint=False)]
        data = extrude(hexagon, 1.0)
        v = data.vertices[:, [2, 0, 1]]  # extrusion axis to x, hexagon in y-z (a cyclic permutation: a rotation)
        for side, sx in (("left", -1), ("right", 1)):
            x0 = -b.w / 2 if sx < 0 else b.w / 2 - head_l
            place_mesh(b, f"head_{side}", fit_box(v, (x0, -b.d / 2, 0.0), (x0 + head_l, b.d / 2, b.h)), data.faces)
        r = 0.16 * min(b.d, b.h)
        b.cylinder("grip", (0, 0, b.h / 2), r, b.w - 2 * head_l + 0.02, "chrome", rpy=(0.0, math.pi / 2, 0.0))
        b.handle("grip", (0, 0, b.h / 2), axis=(1, 0, 0))
