"""Storage furniture: dressers (drawers) and wardrobes (hinged doors)."""

from __future__ import annotations

from scene_gym.assets.library.blocks import carcass, drawer, hinged_door, shelves
from scene_gym.assets.registry import AssetFactory, register


@register
class Dresser(AssetFactory):
    category = "dresser"
    synonyms = ("chest of drawers", "drawer chest", "bureau", "commode")
    description = "A low cabinet with a stack of sliding drawers for clothes."
    size_range = ((0.6, 0.4, 0.6), (1.8, 0.6, 1.4))
    default_size = (1.0, 0.5, 0.85)
    default_material = "white lacquer"
    rooms = ("bedroom", "nursery", "children room", "studio apartment")
    articulated = True
    params = {"n_drawers": 3}

    def build(self, b, params):
        n = int(params["n_drawers"])
        if not 1 <= n <= 8:
            raise ValueError(f"expected n_drawers in 1..8, got {n}")
        panel, plinth = 0.018, 0.06
        carcass(b, plinth, b.h, panel)
        b.box("plinth", (0, 0, plinth / 2), (b.w - 0.04, b.d - 0.04, plinth))
        inner_h = b.h - plinth - 2 * panel
        dh = inner_h / n
        for i in range(n):
            zc = plinth + panel + dh * (i + 0.5)
            drawer(b, f"drawer_{i}", 0.0, zc, b.w - 2 * panel, dh, b.d - 0.06)
        b.surface("top", (0, 0, b.h), (b.w - 0.02, b.d - 0.02))


@register
class Wardrobe(AssetFactory):
    category = "wardrobe"
    synonyms = ("closet", "armoire", "clothes cabinet")
    description = "A tall cabinet with two hinged doors and shelves for hanging and storing clothes."
    size_range = ((0.8, 0.5, 1.6), (2.4, 0.7, 2.5))
    default_size = (1.2, 0.6, 2.0)
    default_material = "oak wood"
    rooms = ("bedroom", "children room", "studio apartment", "nursery")
    articulated = True
    params = {"n_shelves": 3}

    def build(self, b, params):
        panel = 0.02
        door_t = 0.018
        y_shift = -door_t / 2  # the carcass sits behind the doors so the doors end flush at y = d/2
        bd = b.d - door_t
        b.box("side_left", (-b.w / 2 + panel / 2, y_shift, b.h / 2), (panel, bd, b.h))
        b.box("side_right", (b.w / 2 - panel / 2, y_shift, b.h / 2), (panel, bd, b.h))
        b.box("top", (0, y_shift, b.h - panel / 2), (b.w - 2 * panel, bd, panel))
        b.box("bottom", (0, y_shift, panel / 2 + 0.05), (b.w - 2 * panel, bd, panel))
        b.box("plinth", (0, y_shift, 0.025), (b.w - 2 * panel, bd - 0.04, 0.05))
        b.box("back", (0, -b.d / 2 + panel / 4, b.h / 2), (b.w - 2 * panel, panel / 2, b.h - 2 * panel))
        gap = (b.h - 0.05 - 2 * panel) / (int(params["n_shelves"]) + 1)
        for i in range(int(params["n_shelves"])):
            z = 0.05 + panel + gap * (i + 1)
            b.box(f"shelf_{i}", (0, y_shift - 0.01, z), (b.w - 2 * panel, bd - 0.04, panel))
            b.surface(f"shelf_{i}", (0, y_shift - 0.01, z + panel / 2), (b.w - 2 * panel - 0.01, bd - 0.06),
                      clearance=gap - panel)  # fmt: skip
        half = b.w / 2
        hz = b.h * 0.5
        hinged_door(b, "door_0", -half, 0.0, 0.05, b.h, hinge="left", thickness=door_t, handle_z=hz)
        hinged_door(b, "door_1", 0.0, half, 0.05, b.h, hinge="right", thickness=door_t, handle_z=hz)
        b.surface("top", (0, 0, b.h), (b.w - 0.02, b.d - 0.02))


@register
class Bookshelf(AssetFactory):
    category = "bookshelf"
    synonyms = ("bookcase", "shelving unit", "shelf", "shelves")
    description = "An open shelving unit with several boards for books and decorations."
    size_range = ((0.4, 0.25, 0.8), (2.0, 0.5, 2.4))
    default_size = (0.9, 0.32, 1.8)
    default_material = "pine wood"
    rooms = ("living room", "office", "bookstore", "children room", "classroom", "studio apartment", "bedroom")
    params = {"n_shelves": 4}

    def build(self, b, params):
        panel = 0.02
        carcass(b, 0.0, b.h, panel)
        shelves(b, panel, b.h - panel, int(params["n_shelves"]), panel, inset_x=panel)
        b.surface("bottom", (0, 0, panel), (b.w - 2 * panel - 0.01, b.d - 0.03),
                  clearance=(b.h - 2 * panel) / (int(params["n_shelves"]) + 1) - panel)  # fmt: skip
        b.surface("top", (0, 0, b.h), (b.w - 0.02, b.d - 0.02))
