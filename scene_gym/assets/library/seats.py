"""Seating families: frame chairs and stools (:class:`ChairFamily`), upholstered lounges and benches
(:class:`LoungeFamily`) and soft seats (:class:`SoftSeatFamily`). Rocking, folding, stacking, high and gaming
chairs, drafting and milking stools, chaise longues, daybeds, futons, pews, booths, bean bags and floor cushions
are declarations of them.

Front is +Y (the side a person sits down from); backrests stand at -Y. Seats (and trays) are support surfaces.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np

from scene_gym.assets.library.blocks import ellipse
from scene_gym.assets.library.family import Family, declare
from scene_gym.assets.library.shapes import cushion, place_mesh, tube_mesh

CORNERS = ((-1, -1), (1, -1), (1, 1), (-1, 1))


class ChairFamily(Family):
    """A seat on a base with an optional back, arms, foot ring and tray; size (w, d, h) metres.

    Knobs: base (``"legs"``, ``"three_legs"``, ``"rockers"``, ``"sled"``, ``"pedestal"``, ``"star"``, ``"steps"``),
    round_seat, seat_h (seat height, m, capped at 55% of the height when there is a back), back (``"none"``,
    ``"slats"``, ``"solid"``, ``"padded"``), arms, pad (a fabric seat pad), foot_ring, tray (a tray in front at
    arm height, high chairs), frame (material of legs and frame; None: the object's).
    """

    knobs = MappingProxyType({"base": "legs", "round_seat": False, "seat_h": 0.45, "back": "slats", "arms": False,
                              "pad": False, "foot_ring": False, "tray": False, "frame": None})  # fmt: skip

    def build(self, b, params):
        """Base, seat, back, arms and extras (metres, front +Y)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        if k["base"] == "steps":
            _steps(b, k["frame"])
            return
        back = k["back"] != "none"
        back_t = 0.07 if k["back"] == "padded" else 0.03
        seat_top = min(k["seat_h"], 0.55 * h) if back else h
        if k["tray"]:
            seat_top = min(seat_top, h - 0.25)
        tray_d = 0.2 * d if k["tray"] else 0.0
        y0, y1 = -d / 2 + (back_t if back else 0.0), d / 2 - tray_d  # the seat's back and front edges
        pad = 0.04 if k["pad"] else 0.0
        t = 0.03
        z_board = seat_top - pad - t
        sw, sd, syc = w, y1 - y0, (y0 + y1) / 2
        if k["arms"]:
            sw = w - 0.1
        frame = k["frame"]
        if k["round_seat"]:
            b.extrusion("seat", (0, syc, z_board), ellipse(sw, sd), t)
        else:
            b.box("seat", (0, syc, z_board + t / 2), (sw, sd, t), bevel=0.004)
        if pad:
            b.box(
                "seat_pad",
                (0, syc, z_board + t + pad / 2),
                (sw - 0.04, sd - 0.04, pad),
                "beige fabric",
                bevel=0.01,
            )
        _chair_base(b, k["base"], z_board, sw, y0, y1, frame)
        if back:
            if k["back"] == "slats":
                for side, sx in (("left", -1), ("right", 1)):
                    b.box(f"back_post_{side}", (sx * (w / 2 - 0.02), -d / 2 + back_t / 2, (z_board + h) / 2),
                          (0.04, back_t, h - z_board), frame)  # fmt: skip
                rail = min(0.1, (h - seat_top) * 0.3)
                b.box("back_rail", (0, -d / 2 + back_t / 2, h - rail / 2), (w - 0.08, back_t, rail), frame)
                for i in range(3):
                    x = (i - 1) * (w - 0.08) / 4
                    b.box(f"back_slat_{i}", (x, -d / 2 + back_t / 2, (seat_top + h - rail) / 2),
                          (0.03, back_t * 0.6, h - rail - seat_top), frame)  # fmt: skip
            else:
                mat = "black fabric" if k["back"] == "padded" else None
                b.box(
                    "backrest",
                    (0, -d / 2 + back_t / 2, (z_board + h) / 2),
                    (w, back_t, h - z_board),
                    mat,
                    bevel=0.01,
                )
        if k["arms"]:
            arm_z = min(h, seat_top + 0.22)
            for side, sx in (("left", -1), ("right", 1)):
                x = sx * (w / 2 - 0.025)
                b.box(
                    f"armrest_{side}", (x, (y0 + d / 2) / 2, arm_z - 0.015), (0.05, d / 2 - y0, 0.03), frame
                )
                b.box(f"arm_post_{side}", (x, y1 - 0.03, (z_board + arm_z - 0.03) / 2), (0.03, 0.03, arm_z - 0.03 - z_board),
                      frame)  # fmt: skip
        if k["tray"]:
            tz = min(h - 0.02, seat_top + 0.2)
            b.box(
                "tray",
                (0, d / 2 - tray_d / 2 - 0.01, tz + 0.01),
                (w - 0.12, tray_d + 0.02, 0.02),
                "white plastic",
            )
            b.surface("tray", (0, d / 2 - tray_d / 2 - 0.01, tz + 0.02), (w - 0.16, tray_d - 0.02))
        if k["foot_ring"]:
            zr = min(0.3 * h, z_board - 0.1)
            ring = ellipse(0.8 * sw, 0.8 * sd, 8)
            for i, p in enumerate(ring):
                q = ring[(i + 1) % len(ring)]
                b.rod(f"foot_ring_{i}", (p[0], p[1] + syc, zr), (q[0], q[1] + syc, zr), 0.01, "chrome")
        sx = sw / math.sqrt(2) if k["round_seat"] else sw - 0.04
        sy = sd / math.sqrt(2) if k["round_seat"] else sd - 0.04
        b.surface("seat", (0, syc, seat_top), (sx - 0.02, sy - 0.02), clearance=2.0)


def _chair_base(b, style: str, z: float, sw: float, y0: float, y1: float, frame) -> None:
    """Legs (or rockers, sled runners, a pedestal or a five-star base) from the floor to height ``z`` (m)."""
    w, d = b.w, b.d
    yc = (y0 + y1) / 2
    if style in ("legs", "rockers"):
        z0 = 0.04 if style == "rockers" else 0.0
        for i, (sx, sy) in enumerate(CORNERS):
            y = y0 + 0.02 if sy < 0 else y1 - 0.02
            b.box(f"leg_{i}", (sx * (sw / 2 - 0.02), y, (z0 + z) / 2), (0.035, 0.035, z - z0), frame)
        if style == "rockers":  # curved runners under each pair of legs, spanning the full depth
            ys = np.linspace(-d / 2, d / 2, 13)
            zs = 0.04 * (ys / (d / 2)) ** 2
            for side, sx in (("left", -1), ("right", 1)):
                x = sx * (sw / 2 - 0.02)
                v, f = tube_mesh(np.column_stack([np.full(13, x), ys, zs + 0.02]), 0.02)
                place_mesh(b, f"rocker_{side}", v, f, frame)
        return
    if style == "three_legs":
        for i in range(3):
            a = math.pi / 2 + 2 * math.pi * i / 3
            x, y = 0.32 * w * math.cos(a), yc + 0.32 * (y1 - y0) * math.sin(a)
            b.cylinder(f"leg_{i}", (x, y, z / 2), 0.018, z, frame)
        return
    if style == "sled":
        for side, sx in (("left", -1), ("right", 1)):
            x = sx * (sw / 2 - 0.015)
            b.rod(f"runner_{side}", (x, y0 + 0.015, 0.012), (x, y1 - 0.015, 0.012), 0.012, frame or "chrome")
            for end, y in (("back", y0 + 0.015), ("front", y1 - 0.015)):
                b.rod(f"upright_{side}_{end}", (x, y, 0.024), (x, y, z), 0.012, frame or "chrome")
        return
    if style == "pedestal":
        b.extrusion("base", (0, yc, 0), ellipse(min(w, d) * 0.9, min(w, d) * 0.9), 0.02, frame or "chrome")
        b.cylinder("column", (0, yc, (0.02 + z) / 2), 0.025, z - 0.02, frame or "chrome")
        return
    # star: five spokes on casters around a gas column
    caster = 0.025
    radius = min(w, d) / 2 - caster - 0.005
    hub_z = 2 * caster + 0.02
    b.cylinder("hub", (0, 0, hub_z + 0.03), 0.04, 0.06, "black plastic")
    for i in range(5):
        a = math.pi / 2 + 2 * math.pi * i / 5
        cx, cy = radius * math.cos(a), radius * math.sin(a)
        b.rod(f"spoke_{i}", (0, 0, hub_z + 0.03), (cx, cy, 2 * caster + 0.008), 0.014, "black plastic")
        b.sphere(f"caster_{i}", (cx, cy, caster), caster, "black plastic")
    b.cylinder("gas_column", (0, 0, (hub_z + 0.06 + z) / 2), 0.025, z - hub_z - 0.06, "chrome")


def _steps(b, frame) -> None:
    """A two-step stool: a low front step and the top step at full height, on side panels."""
    w, d, h = b.w, b.d, b.h
    t = 0.025
    for side, sx in (("left", -1), ("right", 1)):
        b.box(f"side_{side}_rear", (sx * (w / 2 - 0.01), -d / 4, (h - t) / 2), (0.02, d / 2, h - t), frame)
        b.box(
            f"side_{side}_front",
            (sx * (w / 2 - 0.01), d / 4, (h / 2 - t) / 2),
            (0.02, d / 2, h / 2 - t),
            frame,
        )
    b.box("top_step", (0, -d / 4, h - t / 2), (w, d / 2, t))
    b.box("low_step", (0, d / 4, h / 2 - t / 2), (w, d / 2, t))
    b.surface("top_step", (0, -d / 4, h), (w - 0.04, d / 2 - 0.04), clearance=2.0)
    b.surface("low_step", (0, d / 4, h / 2), (w - 0.04, d / 2 - 0.04), clearance=2.0)


class LoungeFamily(Family):
    """An upholstered (or wooden) seat body: legs, a base, a backrest over part or all of the width, arms and
    seat cushions; size (w, d, h) metres.

    Knobs: leg_h (m), seat_h (m, capped at 60% of the height), back_span (share of the width, from the left,
    covered by the backrest; 0: none), arms (``"none"``, ``"left"``, ``"both"``), cushions (seat cushions
    across; 0: a bare board), frame (material of legs; None: the object's), back_t (backrest thickness, m).
    """

    knobs = MappingProxyType({"leg_h": 0.1, "seat_h": 0.42, "back_span": 1.0, "arms": "both", "cushions": 1,
                              "frame": "walnut wood", "back_t": 0.16})  # fmt: skip

    def build(self, b, params):
        """Legs, base, back, arms and cushions (metres, front +Y)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        seat_h = min(k["seat_h"], 0.6 * h)
        leg_h = min(k["leg_h"], 0.4 * seat_h)
        back_t = min(k["back_t"], 0.25 * d) if k["back_span"] > 0 else 0.0
        arm_w = min(0.15, 0.1 * w) if k["arms"] != "none" else 0.0
        ct = min(0.12, (seat_h - leg_h) * 0.45) if k["cushions"] else 0.0
        base_top = seat_h - ct
        for i, (sx, sy) in enumerate(CORNERS if leg_h > 0 else ()):
            b.box(
                f"leg_{i}",
                (sx * (w / 2 - 0.04), sy * (d / 2 - 0.04), leg_h / 2),
                (0.045, 0.045, leg_h),
                k["frame"],
            )
        x_lo = -w / 2 + arm_w
        x_hi = w / 2 - (arm_w if k["arms"] == "both" else 0.0)
        b.box("base", ((x_lo + x_hi) / 2, back_t / 2, (leg_h + base_top) / 2), (x_hi - x_lo, d - back_t, base_top - leg_h),
              bevel=0.01)  # fmt: skip
        if back_t:
            bw = w * k["back_span"]
            b.box(
                "backrest",
                (-w / 2 + bw / 2, -d / 2 + back_t / 2, (leg_h + h) / 2),
                (bw, back_t, h - leg_h),
                bevel=0.02,
            )
            if k["back_span"] < 1:  # the base continues behind the seat where there is no backrest
                xb = -w / 2 + bw
                b.box("base_back", ((xb + x_hi) / 2, -d / 2 + back_t / 2, (leg_h + base_top) / 2),
                      (x_hi - xb, back_t, base_top - leg_h), bevel=0.01)  # fmt: skip
        arm_h = min(h, seat_h + 0.2) if k["back_span"] > 0 else seat_h + 0.15
        arm_h = min(arm_h, h)
        sides = {"none": (), "left": (("left", -1),), "both": (("left", -1), ("right", 1))}[k["arms"]]
        for side, sx in sides:
            b.box(f"arm_{side}", (sx * (w / 2 - arm_w / 2), back_t / 2, (leg_h + arm_h) / 2), (arm_w, d - back_t, arm_h - leg_h),
                  bevel=0.02)  # fmt: skip
        n = k["cushions"]
        sy0 = -d / 2 + back_t
        cw = (x_hi - x_lo) / max(n, 1)
        for i in range(n):
            xc = x_lo + cw * (i + 0.5)
            b.box(f"seat_cushion_{i}", (xc, (sy0 + d / 2) / 2, base_top + ct / 2), (cw - 0.01, d / 2 - sy0 - 0.01, ct),
                  bevel=0.02)  # fmt: skip
            b.surface(
                f"seat_{i}", (xc, (sy0 + d / 2) / 2, seat_h), (cw - 0.08, d / 2 - sy0 - 0.08), clearance=2.0
            )
        if n == 0:
            b.surface("seat", ((x_lo + x_hi) / 2, (sy0 + d / 2) / 2, seat_h), (x_hi - x_lo - 0.06, d / 2 - sy0 - 0.06),
                      clearance=2.0)  # fmt: skip


class SoftSeatFamily(Family):
    """A frameless soft seat; size (w, d, h) metres.

    Knobs: shape (``"blob"``: a bean bag, ``"slab"``: a floor cushion or mattress, ``"nest"``: a cushion inside a
    bolster rim, a pet bed), squareness (0..1, 1 an ellipsoid).
    """

    knobs = MappingProxyType({"shape": "blob", "squareness": 0.6})

    def build(self, b, params):
        """The soft body and its top as a support surface (metres)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        shape = k["shape"]
        if shape == "blob":
            cushion(b, "body", (0, 0, h * 0.4), (w, d, h * 0.8), squareness=k["squareness"])
            cushion(
                b, "back_hump", (0, -d / 4, h * 0.55), (w * 0.8, d / 2, h * 0.9), squareness=k["squareness"]
            )
            b.surface("seat", (0, d / 8, h * 0.8), (w * 0.2, d * 0.15), clearance=2.0)
        elif shape == "slab":
            cushion(b, "body", (0, 0, h / 2), (w, d, h), squareness=k["squareness"])
            b.surface("top", (0, 0, h), (w * 0.3, d * 0.3), clearance=2.0)
        elif shape == "nest":
            rim = min(0.12, 0.2 * min(w, d))
            cushion(b, "base", (0, 0, 0.35 * h / 2), (w, d, 0.35 * h), squareness=0.3)
            for name, c, s in (("back", (0, -d / 2 + rim / 2, 0.5 * h), (w, rim, h)),
                               ("front", (0, d / 2 - rim / 2, 0.35 * h), (w - 2 * rim, rim, 0.7 * h)),
                               ("left", (-w / 2 + rim / 2, 0, 0.5 * h), (rim, d - 2 * rim, h)),
                               ("right", (w / 2 - rim / 2, 0, 0.5 * h), (rim, d - 2 * rim, h))):  # fmt: skip
                cushion(b, f"bolster_{name}", c, s, squareness=0.5)
            b.surface("bed", (0, 0, 0.35 * h), ((w - 2 * rim) * 0.5, (d - 2 * rim) * 0.5), clearance=2.0)
        else:
            raise ValueError(f"unknown soft seat shape {shape!r}")


_HOME = ("living room", "bedroom", "studio apartment")
_CHAIR = {"size_range": ((0.4, 0.42, 0.75), (0.65, 0.7, 1.1)), "default_size": (0.48, 0.54, 0.9)}

declare(
    ChairFamily,
    "rocking_chair",
    synonyms=("rocker", "nursing chair", "porch rocker", "glider chair"),
    description="A wooden armchair on two curved rockers.",
    **_CHAIR,
    default_material="oak wood",
    rooms=_HOME + ("nursery",),
    knobs={"base": "rockers", "arms": True, "pad": True, "seat_h": 0.42},
)
declare(
    ChairFamily,
    "folding_chair",
    synonyms=("fold-up chair", "foldable chair", "camping chair", "event chair"),
    description="A light chair on tubular steel sled runners with a plain seat and back panel.",
    **_CHAIR,
    default_material="black plastic",
    rooms=("classroom", "meeting room", "garage", "waiting room", "game room"),
    knobs={"base": "sled", "back": "solid", "frame": "aluminium"},
)
declare(
    ChairFamily,
    "stacking_chair",
    synonyms=("stackable chair", "conference chair", "banquet chair", "cafe chair"),
    description="A stackable chair: a padded seat on four steel legs and a slatted back.",
    **_CHAIR,
    default_material="grey plastic",
    rooms=("meeting room", "restaurant", "classroom", "waiting room", "office"),
    knobs={"pad": True, "frame": "black metal"},
)
declare(
    ChairFamily,
    "school_chair",
    synonyms=("classroom chair", "student chair", "pupil chair"),
    description="A moulded plastic classroom chair on a tubular steel sled frame.",
    size_range=((0.36, 0.38, 0.6), (0.5, 0.55, 0.9)),
    default_size=(0.42, 0.46, 0.8),
    default_material="blue plastic",
    rooms=("classroom", "children room", "waiting room"),
    knobs={"base": "sled", "back": "solid", "seat_h": 0.43, "frame": "chrome"},
)
declare(
    ChairFamily,
    "high_chair",
    synonyms=("baby high chair", "feeding chair", "toddler high chair", "highchair"),
    description="A tall child's feeding chair with arms and a tray in front of the seat.",
    size_range=((0.45, 0.55, 0.85), (0.65, 0.8, 1.1)),
    default_size=(0.55, 0.65, 1.0),
    default_material="white plastic",
    rooms=("kitchen", "dining room", "nursery", "restaurant"),
    knobs={"back": "solid", "arms": True, "tray": True, "seat_h": 0.55, "frame": "birch wood"},
)
declare(
    ChairFamily,
    "directors_chair",
    synonyms=("director's chair", "director chair", "canvas chair"),
    description="A tall canvas chair with arms on a wooden frame.",
    size_range=((0.5, 0.45, 0.85), (0.65, 0.6, 1.25)),
    default_size=(0.58, 0.5, 1.1),
    default_material="black fabric",
    rooms=("living room", "studio apartment", "game room", "office"),
    knobs={"back": "solid", "arms": True, "seat_h": 0.62, "frame": "oak wood"},
)
declare(
    ChairFamily,
    "gaming_chair",
    synonyms=("racing chair", "gamer chair", "e-sports chair"),
    description="A swivel chair with a tall padded racing-style back on a five-star caster base.",
    size_range=((0.6, 0.6, 1.15), (0.75, 0.75, 1.45)),
    default_size=(0.68, 0.68, 1.3),
    default_material="black leather",
    rooms=("game room", "bedroom", "office", "children room", "studio apartment"),
    knobs={"base": "star", "back": "padded", "arms": True, "pad": True, "seat_h": 0.5},
)
declare(
    ChairFamily,
    "barber_chair",
    synonyms=("salon chair", "hairdresser chair", "styling chair"),
    description="A padded salon chair with arms on a chrome pedestal.",
    size_range=((0.55, 0.6, 0.95), (0.75, 0.8, 1.2)),
    default_size=(0.65, 0.7, 1.05),
    default_material="black leather",
    rooms=("bathroom", "waiting room", "medical examination room"),
    knobs={"base": "pedestal", "back": "padded", "arms": True, "pad": True, "seat_h": 0.55},
)
declare(
    ChairFamily,
    "patio_chair",
    synonyms=("garden chair", "outdoor chair", "deck chair", "lawn chair"),
    description="A slatted outdoor armchair on four legs.",
    **_CHAIR,
    default_material="teak wood",
    rooms=("living room", "garage", "restaurant"),
    knobs={"arms": True},
)
declare(
    ChairFamily,
    "drafting_stool",
    synonyms=("drafting chair", "tall stool", "lab stool"),
    description="A tall round stool with a foot ring on a chrome pedestal base.",
    size_range=((0.35, 0.35, 0.6), (0.5, 0.5, 0.85)),
    default_size=(0.42, 0.42, 0.72),
    default_material="black fabric",
    rooms=("office", "classroom", "medical examination room", "studio apartment"),
    knobs={"base": "pedestal", "back": "none", "round_seat": True, "foot_ring": True},
)
declare(
    ChairFamily,
    "milking_stool",
    synonyms=("three-legged stool", "tripod stool", "round stool"),
    description="A low round wooden stool on three legs.",
    size_range=((0.25, 0.25, 0.2), (0.45, 0.45, 0.5)),
    default_size=(0.32, 0.32, 0.3),
    default_material="pine wood",
    rooms=_HOME + ("garage", "kitchen", "children room"),
    knobs={"base": "three_legs", "back": "none", "round_seat": True},
)
declare(
    ChairFamily,
    "piano_stool",
    synonyms=("piano chair", "adjustable stool", "round piano stool"),
    description="A round padded stool on a central column, as at a piano or a vanity.",
    size_range=((0.32, 0.32, 0.45), (0.45, 0.45, 0.6)),
    default_size=(0.38, 0.38, 0.5),
    default_material="black leather",
    rooms=("living room", "studio apartment", "bedroom", "classroom"),
    knobs={"base": "pedestal", "back": "none", "round_seat": True, "pad": True},
)
declare(
    ChairFamily,
    "step_stool",
    synonyms=("kitchen step", "two-step stool", "step ladder stool", "kids step stool"),
    description="A two-step stool: a low step in front of a higher top step.",
    size_range=((0.3, 0.3, 0.3), (0.5, 0.55, 0.6)),
    default_size=(0.4, 0.42, 0.45),
    default_material="white plastic",
    rooms=("kitchen", "bathroom", "children room", "laundry room", "garage"),
    knobs={"base": "steps", "back": "none"},
)
