"""Storage furniture: dressers, wardrobes, bookshelves, nightstands, TV stands, shoe racks, metal shelving,
toy chests and display shelves. Kitchen cabinets live in ``kitchen``, lockers in ``gym``, medicine cabinets in
``bathroom`` and tool cabinets in ``rooms_misc``."""

from __future__ import annotations

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import (
    DOOR_HANDLE_REACH,
    DRAWER_HANDLE_REACH,
    LID_TAB_REACH,
    carcass,
    drawer,
    drawer_stack,
    hinged_door,
    lid,
    open_box,
    shelves,
)
from scene_gym.assets.params import choice_param, int_param


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
    params = {"n_drawers": int_param(3, 1, 8, "drawers, bottom to top")}

    def build(self, b, params):
        n = params["n_drawers"]
        panel, plinth = 0.018, 0.06
        yf = b.d / 2 - DRAWER_HANDLE_REACH  # drawer fronts; their handles end on the asset's front face
        depth, yc = yf + b.d / 2, (yf - b.d / 2) / 2
        open_box(b, "", -b.w / 2, b.w / 2, -b.d / 2, yf, plinth, b.h, panel)
        b.box("plinth", (0, yc, plinth / 2), (b.w - 0.04, depth - 0.04, plinth))
        inner_h = b.h - plinth - 2 * panel
        dh = inner_h / n
        for i in range(n):
            zc = plinth + panel + dh * (i + 0.5)
            drawer(b, f"drawer_{i}", 0.0, zc, b.w - 2 * panel, dh, depth - 0.06, y_front=yf)
        b.surface("top", (0, yc, b.h), (b.w - 0.02, depth - 0.02))


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
    params = {"n_shelves": int_param(3, 0, 8, "shelves behind the doors")}

    def build(self, b, params):
        panel = 0.02
        door_t = 0.018
        yf = b.d / 2 - DOOR_HANDLE_REACH  # door fronts; their handles end on the asset's front face
        bd = yf - door_t + b.d / 2  # the carcass sits behind the doors
        y_shift = -b.d / 2 + bd / 2
        b.box("side_left", (-b.w / 2 + panel / 2, y_shift, b.h / 2), (panel, bd, b.h))
        b.box("side_right", (b.w / 2 - panel / 2, y_shift, b.h / 2), (panel, bd, b.h))
        b.box("top", (0, y_shift, b.h - panel / 2), (b.w - 2 * panel, bd, panel))
        b.box("bottom", (0, y_shift, panel / 2 + 0.05), (b.w - 2 * panel, bd, panel))
        b.box("plinth", (0, y_shift, 0.025), (b.w - 2 * panel, bd - 0.04, 0.05))
        b.box("back", (0, -b.d / 2 + panel / 4, b.h / 2), (b.w - 2 * panel, panel / 2, b.h - 2 * panel))
        gap = (b.h - 0.05 - 2 * panel) / (params["n_shelves"] + 1)
        for i in range(params["n_shelves"]):
            z = 0.05 + panel + gap * (i + 1)
            b.box(f"shelf_{i}", (0, y_shift - 0.01, z), (b.w - 2 * panel, bd - 0.04, panel))
            b.surface(f"shelf_{i}", (0, y_shift - 0.01, z + panel / 2), (b.w - 2 * panel - 0.01, bd - 0.06),
                      clearance=gap - panel)  # fmt: skip
        half = b.w / 2
        hz = b.h * 0.5
        hinged_door(b, "door_0", -half, 0.0, 0.05, b.h, hinge="left", thickness=door_t, handle_z=hz, y_front=yf)
        hinged_door(b, "door_1", 0.0, half, 0.05, b.h, hinge="right", thickness=door_t, handle_z=hz, y_front=yf)
        b.surface("top", (0, y_shift, b.h), (b.w - 0.02, bd - 0.02))


@register
class Bookshelf(AssetFactory):
    category = "bookshelf"
    synonyms = ("bookcase", "shelving unit", "shelf", "shelves")
    description = "An open shelving unit with several boards for books and decorations."
    size_range = ((0.4, 0.25, 0.8), (2.0, 0.5, 2.4))
    default_size = (0.9, 0.32, 1.8)
    default_material = "pine wood"
    rooms = ("living room", "office", "bookstore", "children room", "classroom", "studio apartment", "bedroom")
    params = {"n_shelves": int_param(4, 0, 10, "boards between top and bottom")}

    def build(self, b, params):
        panel = 0.02
        carcass(b, 0.0, b.h, panel)
        shelves(b, panel, b.h - panel, params["n_shelves"], panel, inset_x=panel)
        b.surface("bottom", (0, 0, panel), (b.w - 2 * panel - 0.01, b.d - 0.03),
                  clearance=(b.h - 2 * panel) / (params["n_shelves"] + 1) - panel)  # fmt: skip
        b.surface("top", (0, 0, b.h), (b.w - 0.02, b.d - 0.02))


@register
class Nightstand(AssetFactory):
    category = "nightstand"
    synonyms = ("bedside table", "night table", "bedside cabinet", "night stand")
    description = "A small bedside cabinet on short legs with one or two drawers and an open shelf."
    size_range = ((0.35, 0.3, 0.4), (0.65, 0.5, 0.7))
    default_size = (0.45, 0.4, 0.55)
    default_material = "oak wood"
    rooms = ("bedroom", "studio apartment", "children room", "nursery")
    articulated = True
    params = {"n_drawers": int_param(2, 1, 2, "drawers above the open shelf")}

    def build(self, b, params):
        n = params["n_drawers"]
        w, d, h = b.w, b.d, b.h
        panel, leg_h, leg = 0.018, 0.08, 0.035
        yf = d / 2 - DRAWER_HANDLE_REACH
        depth, yc = yf + d / 2, (yf - d / 2) / 2
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            y = -d / 2 + leg / 2 if sy < 0 else yf - leg / 2
            b.box(f"leg_{i}", (sx * (w / 2 - leg / 2), y, leg_h / 2), (leg, leg, leg_h))
        open_box(b, "", -w / 2, w / 2, -d / 2, yf, leg_h, h, panel)
        inner_h = h - leg_h - 2 * panel
        dh = min(0.16, inner_h / 2) if n == 1 else inner_h / 2
        z_split = h - panel - n * dh  # drawers fill the top; an open shelf space may remain below
        drawer_stack(b, "drawer_", 0.0, w - 2 * panel, z_split, h - panel, n, depth - 0.05, y_front=yf)
        if z_split > leg_h + panel + 0.05:
            b.surface("shelf", (0, yc, leg_h + panel), (w - 2 * panel - 0.02, depth - 0.03),
                      clearance=z_split - leg_h - panel)  # fmt: skip
        b.surface("top", (0, yc, h), (w - 0.02, depth - 0.02))


@register
class TvStand(AssetFactory):
    category = "tv_stand"
    synonyms = ("tv cabinet", "media console", "entertainment center", "tv unit", "media stand", "tv bench")
    description = "A long low media cabinet with drawers or doors at the sides and an open shelf in the middle."
    size_range = ((0.8, 0.3, 0.35), (2.2, 0.55, 0.7))
    default_size = (1.5, 0.42, 0.5)
    default_material = "walnut wood"
    rooms = ("living room", "bedroom", "studio apartment", "game room", "waiting room")
    articulated = True
    params = {"fronts": choice_param("drawers", ("drawers", "doors"), "what closes the side bays")}

    def build(self, b, params):
        fronts = params["fronts"]
        w, d, h = b.w, b.d, b.h
        panel, leg_h = 0.018, 0.06
        yf = d / 2 - (DRAWER_HANDLE_REACH if fronts == "drawers" else DOOR_HANDLE_REACH)
        depth, yc = yf + d / 2, (yf - d / 2) / 2
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            y = -d / 2 + 0.03 if sy < 0 else yf - 0.03
            b.box(f"leg_{i}", (sx * (w / 2 - 0.03), y, leg_h / 2), (0.04, 0.04, leg_h), "black metal")
        open_box(b, "", -w / 2, w / 2, -d / 2, yf, leg_h, h, panel)
        cw = (w - 2 * panel) / 3
        xs = (-w / 2 + panel + cw, w / 2 - panel - cw)  # the two dividers' inner faces bound the middle bay
        for i, x in enumerate(xs):
            b.box(f"divider_{i}", (x + (panel / 2 if i == 0 else -panel / 2), yc, (leg_h + h) / 2),
                  (panel, depth - panel / 2, h - leg_h - 2 * panel))  # fmt: skip
        z0, z1 = leg_h + panel, h - panel
        bays = ((-w / 2 + panel, xs[0], "left"), (xs[1], w / 2 - panel, "right"))
        for x0, x1, side in bays:
            if fronts == "drawers":
                drawer_stack(b, f"drawer_{side}_", (x0 + x1) / 2, x1 - x0, z0, z1, 2, depth - 0.05, y_front=yf)
            else:
                hinged_door(b, f"door_{side}", x0, x1, z0, z1, hinge=side, y_front=yf)
        mid0, mid1 = xs[0] + panel, xs[1] - panel
        zs = (z0 + z1) / 2
        b.box("middle_shelf", ((mid0 + mid1) / 2, yc, zs), (mid1 - mid0, depth - 0.03, panel))
        b.surface("middle_bottom", ((mid0 + mid1) / 2, yc, z0), (mid1 - mid0 - 0.02, depth - 0.03),
                  clearance=zs - panel / 2 - z0)  # fmt: skip
        b.surface("middle_shelf", ((mid0 + mid1) / 2, yc, zs + panel / 2), (mid1 - mid0 - 0.02, depth - 0.04),
                  clearance=z1 - zs - panel / 2)  # fmt: skip
        b.surface("top", (0, yc, h), (w - 0.02, depth - 0.02))


@register
class ShoeRack(AssetFactory):
    category = "shoe_rack"
    synonyms = ("shoe shelf", "shoe stand", "shoe organizer", "boot rack")
    description = "A low open rack of shelves between two side panels for storing shoes."
    size_range = ((0.5, 0.25, 0.4), (1.2, 0.4, 1.0))
    default_size = (0.8, 0.3, 0.6)
    default_material = "bamboo"
    rooms = ("bedroom", "living room", "studio apartment", "children room", "garage", "gym")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        side, t = 0.02, 0.015
        for name, sx in (("left", -1), ("right", 1)):
            b.box(f"side_{name}", (sx * (w / 2 - side / 2), 0, h / 2), (side, d, h))
        n = max(2, round(h / 0.22))
        z0 = 0.04
        gap = (h - t - z0) / (n - 1)
        for i in range(n):
            z = z0 + i * gap  # board bottom; the last board's top is the rack's top
            b.box(f"shelf_{i}", (0, 0, z + t / 2), (w - 2 * side, d, t))
            clearance = gap - t if i < n - 1 else 1.0
            b.surface(f"shelf_{i}", (0, 0, z + t), (w - 2 * side - 0.02, d - 0.02), clearance=clearance)


@register
class StorageShelf(AssetFactory):
    category = "storage_shelf"
    synonyms = ("metal shelving", "wire shelving unit", "utility shelf", "garage shelf", "pantry shelf",
                "shelving rack", "storage rack")  # fmt: skip
    description = "A free-standing metal shelving unit: shelves clamped to four corner posts."
    size_range = ((0.6, 0.3, 0.9), (1.8, 0.6, 2.2))
    default_size = (0.9, 0.45, 1.8)
    default_material = "silver sheet steel"
    rooms = ("garage", "kitchen", "laundry room", "office", "gym", "bookstore", "classroom", "restaurant")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        r, t, foot = 0.0125, 0.02, 0.01
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            x, y = sx * (w / 2 - r - 0.005), sy * (d / 2 - r - 0.005)
            b.cylinder(f"post_{i}", (x, y, (foot + h) / 2), r, h - foot)
            b.cylinder(f"foot_{i}", (x, y, foot / 2), r * 1.3, foot, "black plastic")
        n = max(3, round(h / 0.4))
        z0 = 0.12
        gap = (h - t - z0) / (n - 1)
        for i in range(n):
            z = z0 + i * gap
            b.box(f"shelf_{i}", (0, 0, z + t / 2), (w, d, t))
            b.surface(f"shelf_{i}", (0, 0, z + t), (w - 0.04, d - 0.04), clearance=gap - t if i < n - 1 else 1.0)


@register
class ToyChest(AssetFactory):
    category = "toy_chest"
    synonyms = ("toy box", "toy trunk", "storage chest", "blanket chest", "trunk")
    description = "A wooden chest for toys whose lid lifts on hinges along its back edge."
    size_range = ((0.6, 0.35, 0.4), (1.0, 0.55, 0.6))
    default_size = (0.8, 0.45, 0.5)
    default_material = "light blue paint"
    rooms = ("children room", "nursery", "bedroom", "classroom", "game room")
    articulated = True

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        t, lid_t = 0.018, 0.025
        yl = d / 2 - LID_TAB_REACH  # the lid's front edge; its grip tab reaches the asset's front
        y1 = yl - 0.01  # the box's front face, under the lid's overhang
        zt = h - lid_t - 0.002
        x0, x1 = -w / 2 + 0.01, w / 2 - 0.01
        b.box("bottom", (0, (y1 - d / 2) / 2, t / 2), (x1 - x0, y1 + d / 2, t))
        b.box("wall_back", (0, -d / 2 + t / 2, (t + zt) / 2), (x1 - x0, t, zt - t))
        b.box("wall_front", (0, y1 - t / 2, (t + zt) / 2), (x1 - x0, t, zt - t))
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"wall_{side}", (sx * ((x1 - x0) / 2 - t / 2), (y1 - d / 2) / 2, (t + zt) / 2),
                  (t, y1 + d / 2 - 2 * t, zt - t))  # fmt: skip
        lid(b, "lid", -w / 2, w / 2, -d / 2, yl, h - lid_t, lid_t)
        b.surface("inside", (0, (y1 - d / 2) / 2, t), (x1 - x0 - 2 * t - 0.01, y1 + d / 2 - 2 * t - 0.01),
                  clearance=zt - t)  # fmt: skip
        b.surface("lid", (0, (yl - d / 2) / 2, h), (w - 0.04, yl + d / 2 - 0.04), link="lid")


@register
class DisplayShelf(AssetFactory):
    category = "display_shelf"
    synonyms = ("showcase shelf", "glass shelf", "display stand", "display shelving", "etagere")
    description = "A tall open-front display stand with glass side panels and glass shelves for showing items."
    size_range = ((0.6, 0.3, 0.9), (1.5, 0.5, 2.0))
    default_size = (0.9, 0.4, 1.8)
    default_material = "black metal"
    rooms = ("living room", "bookstore", "game room", "office", "restaurant", "waiting room", "children room")
    params = {"n_shelves": int_param(3, 0, 8, "glass shelves")}

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        post, plinth, t = 0.03, 0.08, 0.02
        for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            b.box(f"post_{i}", (sx * (w / 2 - post / 2), sy * (d / 2 - post / 2), h / 2), (post, post, h))
        inner_w, inner_d = w - 2 * post, d - 2 * post
        b.box("plinth", (0, 0, plinth / 2), (inner_w, d - 0.01, plinth))
        b.box("top", (0, 0, h - t / 2), (inner_w, d, t))
        b.box("back", (0, -d / 2 + 0.005, (plinth + h - t) / 2), (inner_w, 0.01, h - t - plinth), "white mdf")
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"glass_{side}", (sx * (w / 2 - post / 2), 0, (plinth + h - t) / 2), (0.006, inner_d, h - t - plinth),
                  "glass")  # fmt: skip
        n = params["n_shelves"]
        b.surface("bottom", (0, 0.005, plinth), (inner_w - 0.02, d - 0.04), clearance=(h - t - plinth) / (n + 1))
        shelves(b, plinth, h - t, n, 0.008, inset_x=post, depth=d - 0.03, material="glass")
        b.surface("top", (0, 0, h), (w - 0.02, d - 0.02))
