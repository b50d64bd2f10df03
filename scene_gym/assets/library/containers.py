"""The open-container family (:class:`BinFamily`): four walls on a bottom, open at the top, sometimes on feet or
casters, with an optional divider. Trash cans, recycling bins, laundry hampers, umbrella stands, planter boxes,
storage bins, mop buckets, diaper pails, log baskets and sandboxes are declarations of it.

The bottom inside is a support surface whose clearance reaches the rim.
"""

from __future__ import annotations

from types import MappingProxyType

from scene_gym.assets.library.family import Family, declare

CORNERS = ((-1, -1), (1, -1), (1, 1), (-1, 1))


class BinFamily(Family):
    """An open container; size (w, d, h) metres.

    Knobs: wall (wall thickness, m), feet (height of legs or casters under the bottom, m; 0: none), casters
    (round wheels instead of square legs), dividers (walls splitting the inside across the width), rim (a band
    round the top outside, m high; 0: none), fill (a soil or sand fill up to this share of the height; 0: empty).
    """

    knobs = MappingProxyType({"wall": 0.012, "feet": 0.0, "casters": False, "dividers": 0, "rim": 0.0,
                              "fill": 0.0})  # fmt: skip

    def build(self, b, params):
        """Bottom, walls, extras and the inside surface (metres)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        t = min(k["wall"], 0.1 * min(w, d))
        z0 = min(k["feet"], 0.3 * h)
        for i, (sx, sy) in enumerate(CORNERS if z0 > 0 else ()):
            x, y = sx * (w / 2 - 0.03), sy * (d / 2 - 0.03)
            if k["casters"]:
                b.sphere(f"caster_{i}", (x, y, z0 / 2), z0 / 2, "black rubber")
            else:
                b.box(f"leg_{i}", (x, y, z0 / 2), (0.04, 0.04, z0))
        rim = k["rim"]
        wi, di = w - 2 * (0.01 if rim else 0.0), d - 2 * (0.01 if rim else 0.0)  # walls sit inside a rim band
        b.box("bottom", (0, 0, z0 + t / 2), (wi, di, t))
        zc, hw = (z0 + t + h) / 2, h - z0 - t
        b.box("wall_left", (-wi / 2 + t / 2, 0, zc), (t, di, hw))
        b.box("wall_right", (wi / 2 - t / 2, 0, zc), (t, di, hw))
        b.box("wall_back", (0, -di / 2 + t / 2, zc), (wi - 2 * t, t, hw))
        b.box("wall_front", (0, di / 2 - t / 2, zc), (wi - 2 * t, t, hw))
        if rim:
            for side, sx in (("left", -1), ("right", 1)):
                b.box(f"rim_{side}", (sx * (w / 2 - 0.005), 0, h - rim / 2), (0.01, d, rim), "black plastic")
            for side, sy in (("back", -1), ("front", 1)):
                b.box(
                    f"rim_{side}",
                    (0, sy * (d / 2 - 0.005), h - rim / 2),
                    (w - 0.02, 0.01, rim),
                    "black plastic",
                )
        n = k["dividers"]
        xs = [-wi / 2 + t + (wi - 2 * t) * (i + 1) / (n + 1) for i in range(n)]
        for i, x in enumerate(xs):
            b.box(f"divider_{i}", (x, 0, zc), (t, di - 2 * t, hw))
        floor = z0 + t
        if k["fill"]:
            fz = floor + k["fill"] * (h - floor)
            b.box("fill", (0, 0, (floor + fz) / 2), (wi - 2 * t, di - 2 * t, fz - floor), "soil")
            floor = fz
        cell = (wi - 2 * t - n * t) / (n + 1)
        x_cell = -wi / 2 + t + cell / 2
        b.surface("inside", (x_cell, 0, floor), (cell - 0.01, di - 2 * t - 0.01), clearance=h - floor)


_ROOMS = (
    "kitchen",
    "office",
    "bathroom",
    "bedroom",
    "living room",
    "classroom",
    "waiting room",
    "garage",
    "restaurant",
    "laundry room",
    "game room",
    "gym",
)

declare(
    BinFamily,
    "trash_can",
    synonyms=(
        "garbage can",
        "waste bin",
        "rubbish bin",
        "trash bin",
        "dustbin",
        "wastebasket",
        "waste paper basket",
        "bin",
    ),
    description="An open-topped waste bin.",
    size_range=((0.2, 0.2, 0.25), (0.6, 0.6, 1.0)),
    default_size=(0.3, 0.3, 0.45),
    default_material="grey plastic",
    rooms=_ROOMS,
    knobs={"rim": 0.03},
)
declare(
    BinFamily,
    "recycling_bin",
    synonyms=("recycle bin", "recycling station", "sorting bin", "recycling container"),
    description="A waste bin split into compartments for sorting recycling.",
    size_range=((0.4, 0.3, 0.5), (1.2, 0.6, 1.1)),
    default_size=(0.75, 0.4, 0.8),
    default_material="blue plastic",
    rooms=_ROOMS,
    knobs={"dividers": 2, "wall": 0.015},
)
declare(
    BinFamily,
    "laundry_hamper",
    synonyms=("laundry basket", "hamper", "clothes hamper", "laundry bin", "dirty clothes basket"),
    description="A tall basket for dirty laundry.",
    size_range=((0.35, 0.3, 0.4), (0.7, 0.5, 0.8)),
    default_size=(0.45, 0.35, 0.6),
    default_material="wicker",
    rooms=("bedroom", "bathroom", "laundry room", "children room", "nursery"),
    knobs={"wall": 0.02},
)
declare(
    BinFamily,
    "umbrella_stand",
    synonyms=("umbrella holder", "umbrella bin", "umbrella rack", "cane stand"),
    description="A tall narrow container for umbrellas and walking sticks by the door.",
    size_range=((0.2, 0.2, 0.4), (0.4, 0.4, 0.7)),
    default_size=(0.25, 0.25, 0.55),
    default_material="black metal",
    rooms=("living room", "office", "waiting room", "restaurant", "bedroom"),
    knobs={"wall": 0.006},
)
declare(
    BinFamily,
    "planter_box",
    synonyms=("planter", "flower box", "raised bed", "plant trough", "window box"),
    description="A rectangular planter on short legs filled with soil.",
    size_range=((0.4, 0.25, 0.25), (2.0, 0.8, 1.0)),
    default_size=(0.9, 0.4, 0.5),
    default_material="cedar wood",
    rooms=("living room", "restaurant", "office", "waiting room", "garage"),
    knobs={"wall": 0.02, "feet": 0.08, "fill": 0.8},
)
declare(
    BinFamily,
    "storage_bin",
    synonyms=("storage tote", "plastic bin", "toy bin", "storage container", "crate", "tote"),
    description="A plastic storage tote open at the top.",
    size_range=((0.25, 0.2, 0.15), (0.8, 0.6, 0.5)),
    default_size=(0.55, 0.4, 0.3),
    default_material="clear plastic",
    rooms=_ROOMS + ("children room", "nursery"),
    knobs={"rim": 0.02},
)
declare(
    BinFamily,
    "mop_bucket",
    synonyms=("mop bucket with wringer", "janitor bucket", "cleaning bucket", "wringer bucket"),
    description="A rolling cleaning bucket on casters.",
    size_range=((0.3, 0.3, 0.3), (0.6, 0.5, 0.6)),
    default_size=(0.45, 0.38, 0.42),
    default_material="yellow plastic",
    rooms=("laundry room", "restaurant", "classroom", "gym", "garage"),
    knobs={"feet": 0.06, "casters": True},
)
declare(
    BinFamily,
    "log_holder",
    synonyms=("firewood rack", "log basket", "wood basket", "log rack", "firewood holder"),
    description="An open iron box on legs for firewood, beside a fireplace.",
    size_range=((0.3, 0.25, 0.3), (1.0, 0.6, 1.0)),
    default_size=(0.5, 0.35, 0.45),
    default_material="black metal",
    rooms=("living room", "dining room", "studio apartment"),
    knobs={"wall": 0.006, "feet": 0.06},
)
declare(
    BinFamily,
    "sandbox",
    synonyms=("sand box", "sandpit", "sand table", "sensory table"),
    description="A wooden box of play sand on short legs.",
    size_range=((0.6, 0.5, 0.3), (1.8, 1.5, 0.8)),
    default_size=(1.0, 0.7, 0.6),
    default_material="pine wood",
    rooms=("children room", "nursery", "classroom"),
    knobs={"wall": 0.025, "feet": 0.3, "fill": 0.5},
)
