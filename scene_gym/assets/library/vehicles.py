"""The wheeled family: bicycles, motorcycles, kick and motor scooters, tricycles, strollers, prams, wheelchairs,
shopping carts, wagons and hand trucks are declarations of :class:`WheeledFamily`.

Vehicles ride along Y: front (+Y) is the way they go; wheels turn about X. The size is (width across the
handlebar, length, height) in metres. Seats, decks and baskets are support surfaces.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from scene_gym.assets.library.family import Family, declare, disc

ALONG_X = (0.0, math.pi / 2, 0.0)  # a cylinder's axis turned from +Z to +X
TYRE = "black rubber"


class WheeledFamily(Family):
    """A body on wheels; size (w, d, h) metres, moving along +Y.

    Knobs: body (``"bike"``, ``"moto"``, ``"kick"``, ``"vespa"``, ``"trike"``, ``"stroller"``, ``"cart"``,
    ``"wheelchair"``, ``"wagon"``, ``"hand_truck"``), wheel (radius of the main wheels as a share of the height),
    frame (material of the frame; None: the object's).
    """

    knobs = MappingProxyType({"body": "bike", "wheel": 0.33, "frame": None})

    def build(self, b, params):
        """Wheels, frame, seat or basket and handlebar (metres, front +Y)."""
        k = self.knobs
        r = min(k["wheel"] * b.h, b.d / 4.2)
        getattr(self, f"_{k['body']}")(b, r, k["frame"])

    # --- two in-line wheels -------------------------------------------------------------------------------
    @staticmethod
    def _inline(b, r: float, tw: float = 0.05, front_r: float | None = None) -> tuple[float, float]:
        """A rear and a front wheel touching the back and front of the box; returns their centres' y."""
        fr = front_r or r
        yr, yf = -b.d / 2 + r, b.d / 2 - fr
        disc(b, "wheel_rear", (0, yr, r), r, tw, TYRE, rpy=ALONG_X)
        disc(b, "wheel_front", (0, yf, fr), fr, tw, TYRE, rpy=ALONG_X)
        return yr, yf

    @staticmethod
    def _handlebar(b, y: float, z: float, frame, grips: str = "black rubber") -> None:
        """A handlebar across the full width at (y, z), metres."""
        b.rod(
            "handlebar",
            (-b.w / 2 + 0.1, y, z - 0.015),
            (b.w / 2 - 0.1, y, z - 0.015),
            0.012,
            frame or "chrome",
        )
        for side, sx in (("left", -1), ("right", 1)):
            b.rod(
                f"grip_{side}",
                (sx * (b.w / 2 - 0.1), y, z - 0.015),
                (sx * b.w / 2, y, z - 0.015),
                0.015,
                grips,
            )

    def _bike(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        yr, yf = self._inline(b, r, 0.04)
        seat_z, bar_z = 0.78 * h, h
        ys = yr + 0.35 * (yf - yr) * 0.6
        bb = (0, (yr + yf) / 2 - 0.05 * d, r * 0.9)  # bottom bracket
        head = (0, yf - 0.12 * d, 0.85 * h)
        for name, a, c in (("seat_tube", bb, (0, ys, seat_z - 0.05)), ("down_tube", bb, head),
                           ("top_tube", (0, ys, seat_z - 0.1), head), ("chain_stay", bb, (0, yr, r)),
                           ("seat_stay", (0, ys, seat_z - 0.1), (0, yr, r)), ("fork", head, (0, yf, r))):  # fmt: skip
            b.rod(name, a, c, 0.016, frame)
        b.rod("stem", head, (0, head[1], bar_z - 0.03), 0.014, frame)
        self._handlebar(b, head[1], bar_z, frame)
        b.box(
            "saddle", (0, ys, seat_z - 0.025), (min(0.16, w * 0.4), 0.26, 0.05), "black leather", bevel=0.01
        )
        b.cylinder("chainring", (0.03, bb[1], bb[2]), 0.1, 0.01, "steel", rpy=ALONG_X)
        b.surface("saddle", (0, ys, seat_z), (min(0.1, w * 0.3), 0.14))

    def _moto(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        yr, yf = self._inline(b, r, 0.14)
        b.box(
            "engine",
            (0, 0.0, r + 0.05),
            (min(0.45, w * 0.6), 0.5 * d - 2 * r + 0.4, 0.35),
            "black sheet steel",
        )
        b.box("body", (0, -0.05 * d, 0.62 * h), (min(0.4, w * 0.55), 0.55 * d, 0.2), frame)
        b.box("tank", (0, 0.12 * d, 0.7 * h), (min(0.36, w * 0.5), 0.22 * d, 0.18), frame, bevel=0.04)
        seat_z = 0.72 * h
        b.box(
            "seat",
            (0, -0.16 * d, seat_z - 0.05),
            (min(0.32, w * 0.45), 0.3 * d, 0.1),
            "black leather",
            bevel=0.03,
        )
        b.rod("fork_left", (-0.08, yf, r), (-0.08, yf - 0.08 * d, 0.85 * h), 0.025, "chrome")
        b.rod("fork_right", (0.08, yf, r), (0.08, yf - 0.08 * d, 0.85 * h), 0.025, "chrome")
        b.box("headlight", (0, yf - 0.06 * d, 0.78 * h), (0.16, 0.1, 0.14), "chrome")
        b.rod("swingarm", (0, yr, r), (0, -0.1 * d, r + 0.1), 0.03, "black metal")
        self._handlebar(b, yf - 0.1 * d, h, "black metal")
        b.rod("bar_riser", (0, yf - 0.08 * d, 0.85 * h), (0, yf - 0.1 * d, h - 0.03), 0.02, "chrome")
        b.surface("seat", (0, -0.16 * d, seat_z), (min(0.2, w * 0.3), 0.2 * d))

    def _kick(self, b, r, frame):
        d, h = b.d, b.h
        r = min(r, 0.1)
        yr, yf = self._inline(b, r, 0.03)
        deck_z = r + 0.02
        b.box(
            "deck",
            (0, (yr + yf) / 2 - 0.02, deck_z),
            (min(0.14, b.w * 0.4), yf - yr - 2 * r * 0.6, 0.03),
            frame,
        )
        b.rod("stem", (0, yf, r), (0, yf - 0.05 * d, h - 0.03), 0.018, frame or "aluminium")
        self._handlebar(b, yf - 0.05 * d, h, frame)
        b.surface("deck", (0, (yr + yf) / 2 - 0.02, deck_z + 0.015), (min(0.1, b.w * 0.3), 0.3 * (yf - yr)))

    def _vespa(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        r = min(r, 0.2)
        yr, yf = self._inline(b, r, 0.1)
        b.box("floorboard", (0, 0.05 * d, r + 0.05), (min(0.34, w * 0.5), 0.35 * d, 0.05), frame)
        b.box(
            "rear_body", (0, -0.2 * d, 0.45 * h), (min(0.44, w * 0.65), 0.45 * d, 0.35 * h), frame, bevel=0.05
        )
        b.box(
            "leg_shield", (0, yf - 0.15 * d, 0.55 * h), (min(0.4, w * 0.6), 0.06, 0.6 * h), frame, bevel=0.02
        )
        seat_z = 0.7 * h
        b.box(
            "seat",
            (0, -0.18 * d, seat_z - 0.04),
            (min(0.3, w * 0.45), 0.35 * d, 0.08),
            "black leather",
            bevel=0.03,
        )
        b.rod("steering", (0, yf - 0.12 * d, 0.8 * h), (0, yf - 0.12 * d, h - 0.03), 0.03, frame)
        b.rod("fork", (0, yf, r), (0, yf - 0.12 * d, 0.8 * h), 0.03, "black metal")
        self._handlebar(b, yf - 0.12 * d, h, frame)
        b.surface("seat", (0, -0.18 * d, seat_z), (min(0.2, w * 0.3), 0.25 * d))

    def _trike(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        fr, rr = r, r * 0.7
        yf, yr = d / 2 - fr, -d / 2 + rr
        disc(b, "wheel_front", (0, yf, fr), fr, 0.05, TYRE, rpy=ALONG_X)
        for side, sx in (("left", -1), ("right", 1)):
            disc(b, f"wheel_rear_{side}", (sx * (w / 2 - 0.025), yr, rr), rr, 0.05, TYRE, rpy=ALONG_X)
        b.rod("rear_axle", (-w / 2 + 0.05, yr, rr), (w / 2 - 0.05, yr, rr), 0.012, "steel")
        seat_z = 0.6 * h
        b.rod("spine", (0, yr, rr), (0, yf - 0.1 * d, 0.75 * h), 0.02, frame)
        b.rod("seat_post", (0, -0.1 * d, 0.4 * h), (0, -0.1 * d, seat_z - 0.04), 0.015, frame)
        b.box(
            "seat",
            (0, -0.1 * d, seat_z - 0.02),
            (min(0.22, w * 0.4), 0.18, 0.04),
            "black plastic",
            bevel=0.01,
        )
        b.rod("fork", (0, yf, fr), (0, yf - 0.1 * d, 0.75 * h), 0.016, frame)
        b.rod("stem", (0, yf - 0.1 * d, 0.75 * h), (0, yf - 0.1 * d, h - 0.03), 0.014, frame)
        self._handlebar(b, yf - 0.1 * d, h, frame)
        b.surface("seat", (0, -0.1 * d, seat_z), (min(0.14, w * 0.3), 0.1))

    def _corners(self, b, r, *, front_r: float | None = None, inset: float = 0.0) -> None:
        """Four wheels at the corners, turning about X."""
        fr = front_r or r
        for name, sx, sy, rad in (("rl", -1, -1, r), ("rr", 1, -1, r), ("fl", -1, 1, fr), ("fr", 1, 1, fr)):
            b.cylinder(f"wheel_{name}", (sx * (b.w / 2 - 0.02 - inset), sy * (b.d / 2 - rad), rad), rad, 0.04, TYRE,
                       rpy=ALONG_X)  # fmt: skip

    def _stroller(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        r = min(r, 0.12)
        self._corners(b, r)
        for side, sx in (("left", -1), ("right", 1)):
            x = sx * (w / 2 - 0.02)
            b.rod(
                f"rear_leg_{side}",
                (x, -d / 2 + r, r),
                (x, -d / 2 + 0.02, h - 0.02),
                0.012,
                frame or "aluminium",
            )
            b.rod(f"front_leg_{side}", (x, d / 2 - r, r), (x, 0.0, 0.55 * h), 0.012, frame or "aluminium")
        b.rod("push_bar", (-w / 2 + 0.02, -d / 2 + 0.02, h - 0.02), (w / 2 - 0.02, -d / 2 + 0.02, h - 0.02), 0.02,
              "black rubber")  # fmt: skip
        seat_z = 0.45 * h
        b.box("seat", (0, 0.02, seat_z - 0.05), (w - 0.1, 0.4 * d, 0.1), bevel=0.03)
        b.box("seat_back", (0, -0.2 * d, seat_z + 0.15), (w - 0.1, 0.06, 0.3), bevel=0.02)
        b.box("canopy", (0, -0.12 * d, 0.86 * h), (w - 0.12, 0.3 * d, 0.1), bevel=0.04)
        b.box("basket", (0, 0.0, r + 0.1), (w - 0.14, 0.5 * d, 0.08), "black fabric")
        b.surface("seat", (0, 0.02, seat_z), (w - 0.2, 0.3 * d))

    def _cart(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        r = min(r, 0.07)
        self._corners(b, r, inset=0.03)
        z0, z1 = 0.45 * h, 0.95 * h
        y0, y1 = -d / 2 + 0.08, d / 2
        b.box("basket_floor", (0, (y0 + y1) / 2, z0 + 0.01), (w, y1 - y0, 0.02), frame)
        for side, sx in (("left", -1), ("right", 1)):
            b.box(
                f"basket_{side}",
                (sx * (w / 2 - 0.005), (y0 + y1) / 2, (z0 + z1) / 2),
                (0.01, y1 - y0, z1 - z0),
                frame,
            )
            b.rod(
                f"leg_back_{side}",
                (sx * (w / 2 - 0.05), -d / 2 + r, 2 * r),
                (sx * (w / 2 - 0.05), y0, z0),
                0.012,
                frame,
            )
            b.rod(f"leg_front_{side}", (sx * (w / 2 - 0.05), d / 2 - r, 2 * r), (sx * (w / 2 - 0.05), y1 - 0.05, z0), 0.012,
                  frame)  # fmt: skip
        b.box("basket_front", (0, y1 - 0.005, (z0 + z1) / 2), (w - 0.02, 0.01, z1 - z0), frame)
        b.box("basket_back", (0, y0 + 0.005, (z0 + z1) / 2), (w - 0.02, 0.01, z1 - z0), frame)
        b.box("bottom_rack", (0, 0.0, 2 * r + 0.05), (w - 0.12, 0.7 * d, 0.02), frame)
        b.rod("handle", (-w / 2 + 0.02, -d / 2 + 0.02, h - 0.02), (w / 2 - 0.02, -d / 2 + 0.02, h - 0.02), 0.02,
              "red plastic")  # fmt: skip
        for side, sx in (("left", -1), ("right", 1)):
            b.rod(f"handle_arm_{side}", (sx * (w / 2 - 0.04), y0, z1), (sx * (w / 2 - 0.04), -d / 2 + 0.02, h - 0.02), 0.01,
                  frame)  # fmt: skip
        b.surface("basket", (0, (y0 + y1) / 2, z0 + 0.02), (w - 0.06, y1 - y0 - 0.06), clearance=z1 - z0)

    def _wheelchair(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        r = min(0.32, 0.36 * h, d / 3)
        cr = 0.06
        for side, sx in (("left", -1), ("right", 1)):
            disc(b, f"wheel_{side}", (sx * (w / 2 - 0.02), -d / 2 + r, r), r, 0.04, TYRE, rpy=ALONG_X)
            disc(
                b,
                f"push_rim_{side}",
                (sx * (w / 2 - 0.005), -d / 2 + r, r),
                r * 0.9,
                0.01,
                "chrome",
                rpy=ALONG_X,
            )
            b.sphere(f"caster_{side}", (sx * (w / 2 - 0.12), d / 2 - 0.12, cr), cr, TYRE)
            b.rod(f"front_post_{side}", (sx * (w / 2 - 0.12), d / 2 - 0.12, 2 * cr), (sx * (w / 2 - 0.12), 0.0, 0.48 * h),
                  0.012, frame or "chrome")  # fmt: skip
            b.rod(f"footrest_bar_{side}", (sx * (w / 2 - 0.12), 0.0, 0.48 * h), (sx * 0.1, d / 2 - 0.02, 0.15), 0.012,
                  frame or "chrome")  # fmt: skip
            b.rod(f"back_post_{side}", (sx * (w / 2 - 0.1), -d / 2 + r, 0.48 * h), (sx * (w / 2 - 0.1), -d / 2 + 0.06, h),
                  0.012, frame or "chrome")  # fmt: skip
            b.box(
                f"armrest_{side}", (sx * (w / 2 - 0.1), -0.02, 0.68 * h), (0.05, 0.3, 0.03), "black plastic"
            )
        seat_z = 0.5 * h
        b.box("seat", (0, -0.02, seat_z - 0.03), (w - 0.25, 0.42, 0.06), bevel=0.01)
        b.box("backrest", (0, -d / 2 + 0.08, (seat_z + 0.95 * h) / 2), (w - 0.25, 0.03, 0.95 * h - seat_z))
        b.box("footplate", (0, d / 2 - 0.06, 0.14), (0.26, 0.1, 0.02), "black plastic")
        b.surface("seat", (0, -0.02, seat_z), (w - 0.35, 0.3), clearance=2.0)

    def _wagon(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        r = min(r, 0.12)
        self._corners(b, r, inset=0.0)
        bed_d = 0.75 * d
        y0 = -d / 2 + 0.0
        z0, z1 = 2 * r, min(h, 2 * r + 0.25)
        yc = y0 + bed_d / 2
        b.box("bed", (0, yc, z0 + 0.01), (w - 0.1, bed_d, 0.02), frame)
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"side_{side}", (sx * (w / 2 - 0.06), yc, (z0 + z1) / 2), (0.02, bed_d, z1 - z0), frame)
        b.box("side_back", (0, y0 + 0.01, (z0 + z1) / 2), (w - 0.14, 0.02, z1 - z0), frame)
        b.box("side_front", (0, y0 + bed_d - 0.01, (z0 + z1) / 2), (w - 0.14, 0.02, z1 - z0), frame)
        b.rod("pull_handle", (0, y0 + bed_d, z0), (0, d / 2 - 0.02, h - 0.02), 0.012, "black metal")
        b.rod(
            "handle_grip",
            (-0.08, d / 2 - 0.02, h - 0.02),
            (0.08, d / 2 - 0.02, h - 0.02),
            0.015,
            "black rubber",
        )
        b.surface("bed", (0, yc, z0 + 0.02), (w - 0.2, bed_d - 0.06), clearance=1.0)

    def _hand_truck(self, b, r, frame):
        w, d, h = b.w, b.d, b.h
        r = min(r, 0.13, d / 2.5)
        for side, sx in (("left", -1), ("right", 1)):
            disc(b, f"wheel_{side}", (sx * (w / 2 - 0.03), -d / 2 + r, r), r, 0.06, TYRE, rpy=ALONG_X)
            b.rod(f"rail_{side}", (sx * (w / 2 - 0.09), -d / 2 + r, 0.04), (sx * (w / 2 - 0.09), -d / 2 + 0.03, h - 0.02),
                  0.014, frame or "red metal")  # fmt: skip
        b.rod("axle", (-w / 2 + 0.06, -d / 2 + r, r), (w / 2 - 0.06, -d / 2 + r, r), 0.012, "steel")
        b.box("toe_plate", (0, (-d / 2 + r + d / 2) / 2, 0.01), (w - 0.2, d / 2 + d / 2 - r, 0.02), "steel")
        b.rod("grip", (-w / 2 + 0.09, -d / 2 + 0.03, h - 0.02), (w / 2 - 0.09, -d / 2 + 0.03, h - 0.02), 0.016,
              "black rubber")  # fmt: skip
        for i in range(3):
            z = 0.25 * h * (i + 1)
            b.rod(f"cross_{i}", (-w / 2 + 0.09, -d / 2 + r - (r - 0.03) * z / h, z),
                  (w / 2 - 0.09, -d / 2 + r - (r - 0.03) * z / h, z), 0.01, frame or "red metal")  # fmt: skip
        b.surface("toe_plate", (0, (-d / 2 + r + d / 2) / 2 + 0.02, 0.02), (w - 0.24, d / 2 - r))


_GARAGE = ("garage", "living room", "children room")

declare(
    WheeledFamily,
    "bicycle",
    synonyms=("bike", "push bike", "road bike", "mountain bike", "cycle", "e-bike", "electric bike"),
    description="A two-wheeled bicycle: a diamond frame, saddle, handlebar and two spoked wheels.",
    size_range=((0.45, 1.5, 0.85), (0.8, 1.95, 1.2)),
    default_size=(0.6, 1.75, 1.05),
    default_material="blue steel",
    rooms=_GARAGE + ("studio apartment", "bedroom"),
    knobs={"wheel": 0.33},
)
declare(
    WheeledFamily,
    "kids_bike",
    synonyms=("balance bike", "child's bicycle", "children's bike", "training bike"),
    description="A small child's bicycle with low saddle and small wheels.",
    size_range=((0.35, 0.8, 0.55), (0.55, 1.3, 0.85)),
    default_size=(0.45, 1.05, 0.7),
    default_material="red steel",
    rooms=_GARAGE + ("bedroom",),
    knobs={"wheel": 0.3},
)
declare(
    WheeledFamily,
    "motorcycle",
    synonyms=("motorbike", "motor bike", "dirt bike", "moped"),
    description="A motorcycle: engine, fuel tank and seat between two thick wheels, with a wide handlebar.",
    size_range=((0.6, 1.7, 0.95), (0.95, 2.4, 1.3)),
    default_size=(0.8, 2.1, 1.15),
    default_material="red sheet steel",
    rooms=("garage",),
    knobs={"body": "moto", "wheel": 0.28},
)
declare(
    WheeledFamily,
    "kick_scooter",
    synonyms=("push scooter", "kids scooter", "electric scooter", "e-scooter", "kick board"),
    description="A kick scooter: a narrow deck on two small wheels and a tall steering stem with a handlebar.",
    size_range=((0.3, 0.55, 0.65), (0.6, 1.2, 1.25)),
    default_size=(0.45, 0.9, 1.0),
    default_material="aluminium",
    rooms=_GARAGE + ("bedroom",),
    knobs={"body": "kick", "wheel": 0.1},
)
declare(
    WheeledFamily,
    "motor_scooter",
    synonyms=("vespa", "motorscooter", "step-through scooter", "moped scooter"),
    description="A step-through motor scooter: a floorboard, a leg shield, a seat over the rear body.",
    size_range=((0.6, 1.5, 1.0), (0.8, 2.0, 1.3)),
    default_size=(0.7, 1.8, 1.15),
    default_material="cream lacquer",
    rooms=("garage",),
    knobs={"body": "vespa", "wheel": 0.15},
)
declare(
    WheeledFamily,
    "tricycle",
    synonyms=("trike", "three-wheeler", "kids tricycle"),
    description="A child's tricycle: a large front wheel with pedals and two rear wheels under a seat.",
    size_range=((0.4, 0.6, 0.5), (0.7, 1.0, 0.8)),
    default_size=(0.55, 0.8, 0.65),
    default_material="red plastic",
    rooms=_GARAGE + ("nursery",),
    knobs={"body": "trike", "wheel": 0.3},
)
declare(
    WheeledFamily,
    "stroller",
    synonyms=("pushchair", "buggy", "baby stroller", "pram", "baby carriage", "perambulator"),
    description="A baby stroller: a padded seat under a canopy on a four-wheeled frame with a push bar.",
    size_range=((0.45, 0.7, 0.9), (0.65, 1.0, 1.15)),
    default_size=(0.55, 0.85, 1.05),
    default_material="grey fabric",
    rooms=("nursery", "living room", "garage", "children room"),
    knobs={"body": "stroller", "wheel": 0.1},
)
declare(
    WheeledFamily,
    "wheelchair",
    synonyms=("wheel chair", "manual wheelchair", "transport chair"),
    description="A manual wheelchair: a sling seat between two large push-rimmed wheels, with front casters.",
    size_range=((0.6, 0.9, 0.85), (0.75, 1.15, 1.0)),
    default_size=(0.66, 1.05, 0.92),
    default_material="black fabric",
    rooms=("medical examination room", "waiting room", "living room", "bedroom"),
    knobs={"body": "wheelchair"},
)
declare(
    WheeledFamily,
    "shopping_cart",
    synonyms=("shopping trolley", "grocery cart", "trolley", "supermarket cart"),
    description="A wire shopping cart: a basket on a four-caster frame with a push handle.",
    size_range=((0.5, 0.8, 0.9), (0.65, 1.1, 1.15)),
    default_size=(0.58, 0.95, 1.05),
    default_material="chrome",
    rooms=("restaurant", "bookstore", "garage", "kitchen"),
    knobs={"body": "cart"},
)
declare(
    WheeledFamily,
    "wagon",
    synonyms=("kids wagon", "pull wagon", "little red wagon", "garden cart", "pull-along cart"),
    description="A pull wagon: a shallow box on four wheels with a long pull handle.",
    size_range=((0.45, 0.9, 0.4), (0.7, 1.5, 0.9)),
    default_size=(0.55, 1.2, 0.7),
    default_material="red sheet steel",
    rooms=_GARAGE + ("nursery",),
    knobs={"body": "wagon", "wheel": 0.15},
)
declare(
    WheeledFamily,
    "hand_truck",
    synonyms=("dolly", "sack truck", "two-wheeled trolley", "moving dolly"),
    description="A hand truck: an upright frame with a toe plate on two wheels and a grip on top.",
    size_range=((0.4, 0.4, 1.0), (0.6, 0.6, 1.4)),
    default_size=(0.5, 0.5, 1.2),
    default_material="red sheet steel",
    rooms=("garage", "restaurant", "bookstore", "laundry room"),
    knobs={"body": "hand_truck", "frame": "red steel"},
)
