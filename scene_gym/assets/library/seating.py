"""Seating: sofas, armchairs, recliners, chairs, stools, benches, ottomans and rows of waiting-room seats.

Front is +Y, the side a person sits down from; backrests stand at -Y. Every seat top is a support surface.
"""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import DRAWER_HANDLE_REACH, HANDLE_MATERIAL, ellipse
from scene_gym.assets.params import bool_param, int_param

CORNERS = ((-1, -1), (1, -1), (1, 1), (-1, 1))


def _seat_height(h: float, typical: float = 0.45, share: float = 0.55) -> float:
    """A typical seat height, lowered for short seats so the backrest keeps some height."""
    return min(typical, share * h)


def upholstered(b, n_seats: int, *, leg_h: float = 0.1, arm_w: float | None = None, back_cushions: bool = True,
                front_gap: float = 0.0) -> dict[str, float]:
    """A sofa-like body: short legs, a base between two arms, a backrest and ``n_seats`` seat cushions.

    ``front_gap`` recesses the base that far behind the front (room for a recliner's footrest). Returns the
    key heights and extents: seat_h, base_top, inner (width between the arms), seat_y0 (back of the seat).
    """
    if not 1 <= n_seats <= 6:
        raise ValueError(f"expected n_seats in 1..6, got {n_seats}")
    w, d, h = b.w, b.d, b.h
    arm_w = arm_w if arm_w is not None else min(0.2, max(0.1, 0.09 * w))
    back_t = min(0.2, 0.2 * d)
    seat_h = _seat_height(h)
    arm_h = min(h, seat_h + 0.2)
    cushion_t = min(0.14, (seat_h - leg_h) * 0.5)
    base_top = seat_h - cushion_t
    inner = w - 2 * arm_w
    leg = 0.045
    for i, (sx, sy) in enumerate(CORNERS):
        b.box(f"leg_{i}", (sx * (w / 2 - 0.04 - leg / 2), sy * (d / 2 - 0.04 - leg / 2), leg_h / 2), (leg, leg, leg_h),
              "walnut wood")  # fmt: skip
    base_d = d - front_gap
    b.box("base", (0, -d / 2 + base_d / 2, (leg_h + base_top) / 2), (inner, base_d, base_top - leg_h))
    for side, sx in (("left", -1), ("right", 1)):
        b.box(f"arm_{side}", (sx * (w / 2 - arm_w / 2), 0, (leg_h + arm_h) / 2), (arm_w, d, arm_h - leg_h), bevel=0.02)
    b.box("back", (0, -d / 2 + back_t / 2, (leg_h + h) / 2), (inner, back_t, h - leg_h), bevel=0.02)
    gap = 0.01
    cw = (inner - gap * (n_seats - 1)) / n_seats
    bt = min(0.14, 0.15 * d) if back_cushions and h - seat_h > 0.12 else 0.0
    seat_d = d - back_t
    seat_y0 = -d / 2 + back_t + bt
    for i in range(n_seats):
        x = -inner / 2 + cw / 2 + i * (cw + gap)
        b.box(f"seat_cushion_{i}", (x, d / 2 - seat_d / 2, base_top + cushion_t / 2), (cw, seat_d, cushion_t),
              bevel=0.015)  # fmt: skip
        if bt:
            top = h - min(0.04, (h - seat_h) * 0.2)
            b.box(f"back_cushion_{i}", (x, -d / 2 + back_t + bt / 2, (seat_h + top) / 2), (cw, bt, top - seat_h),
                  bevel=0.03)  # fmt: skip
        b.surface(f"seat_{i}", (x, (seat_y0 + d / 2) / 2, seat_h), (cw - 0.04, d / 2 - seat_y0 - 0.04),
                  clearance=2.0)  # fmt: skip
    return {"seat_h": seat_h, "base_top": base_top, "inner": inner, "seat_y0": seat_y0, "leg_h": leg_h}


@register
class Sofa(AssetFactory):
    category = "sofa"
    synonyms = ("couch", "settee", "three-seater sofa", "three seater", "davenport")
    description = "An upholstered sofa with arms, a backrest and seat cushions for two to four people."
    size_range = ((1.2, 0.7, 0.6), (3.2, 1.1, 1.0))
    default_size = (2.0, 0.9, 0.85)
    default_material = "grey fabric"
    rooms = ("living room", "studio apartment", "waiting room", "game room", "office")
    params = {"n_seats": int_param(3, 1, 6, "seat cushions")}

    def build(self, b, params):
        upholstered(b, params["n_seats"])


@register
class Armchair(AssetFactory):
    category = "armchair"
    synonyms = ("lounge chair", "easy chair", "club chair", "accent chair", "wing chair")
    description = "An upholstered single-seat chair with padded arms and backrest."
    size_range = ((0.6, 0.65, 0.65), (1.1, 1.0, 1.1))
    default_size = (0.85, 0.85, 0.9)
    default_material = "beige fabric"
    rooms = ("living room", "bedroom", "studio apartment", "waiting room", "office", "bookstore", "nursery")

    def build(self, b, params):
        upholstered(b, 1, arm_w=min(0.18, max(0.1, 0.16 * b.w)))


@register
class Recliner(AssetFactory):
    category = "recliner"
    synonyms = ("reclining chair", "lazy boy", "lounger", "la-z-boy")
    description = "A bulky padded armchair whose footrest flips up from under the seat."
    size_range = ((0.75, 0.85, 0.95), (1.05, 1.05, 1.15))
    default_size = (0.9, 0.95, 1.05)
    default_material = "brown leather"
    rooms = ("living room", "studio apartment", "game room")
    articulated = True

    def build(self, b, params):
        ft = 0.05
        reach = DRAWER_HANDLE_REACH  # the pull bar stands this far out of the footrest, flush with the arms
        k = upholstered(b, 1, arm_w=min(0.2, 0.2 * b.w), front_gap=ft + 0.003 + reach)
        z1 = k["base_top"] - 0.003
        z0 = k["leg_h"] + 0.02
        yf = b.d / 2 - reach  # the footrest's front face
        b.box("footrest", (0, yf - ft / 2, (z0 + z1) / 2), (k["inner"] - 0.01, ft, z1 - z0), link="footrest", bevel=0.01)
        b.joint("footrest_hinge", "revolute", "footrest", (1, 0, 0), (0, yf, z1), (0.0, math.radians(80)))
        # A horizontal pull bar on two posts low on the footrest's front (a long lever arm about the hinge).
        hw, hz = min(0.16, 0.4 * k["inner"]), z0 + 0.05
        b.box("footrest_handle", (0, yf + reach - 0.006, hz), (hw, 0.012, 0.012), HANDLE_MATERIAL, link="footrest")
        for side, sx in (("l", -1), ("r", 1)):
            b.box(f"footrest_handle_post_{side}", (sx * (hw / 2 - 0.006), yf + (reach - 0.012) / 2, hz),
                  (0.01, reach - 0.012, 0.01), HANDLE_MATERIAL, link="footrest")  # fmt: skip
        b.handle("footrest_handle", (0, yf + reach - 0.006, hz), link="footrest", joint="footrest_hinge")
        # The release lever on the right arm: decorative, the footrest handle is what a robot pulls.
        b.box("lever", (b.w / 2 - 0.005, 0.1, k["seat_h"] - 0.05), (0.01, 0.03, 0.1), "black plastic")


def chair(b, *, seat_h: float, leg: float, slats: int, cushion: bool, frame: str | None = None) -> None:
    """A four-legged chair: front legs, back legs running up as posts, a seat board, aprons and a slatted back."""
    w, d, h = b.w, b.d, b.h
    seat_t = 0.03
    pad = 0.04 if cushion else 0.0
    board_top = seat_h - pad
    for side, sx in (("left", -1), ("right", 1)):
        x = sx * (w / 2 - leg / 2)
        b.box(f"leg_front_{side}", (x, d / 2 - leg / 2, (board_top - seat_t) / 2), (leg, leg, board_top - seat_t), frame)
        b.box(f"post_{side}", (x, -d / 2 + leg / 2, h / 2), (leg, leg, h), frame)
    b.box("seat", (0, 0, board_top - seat_t / 2), (w, d, seat_t), frame, bevel=0.004)
    apron = min(0.07, (board_top - seat_t) * 0.25)
    za = board_top - seat_t - apron / 2
    b.box("apron_front", (0, d / 2 - leg / 2, za), (w - 2 * leg, leg * 0.6, apron), frame)
    b.box("apron_back", (0, -d / 2 + leg / 2, za), (w - 2 * leg, leg * 0.6, apron), frame)
    for side, sx in (("left", -1), ("right", 1)):
        b.box(f"apron_{side}", (sx * (w / 2 - leg / 2), 0, za), (leg * 0.6, d - 2 * leg, apron), frame)
    rail = min(0.08, (h - seat_h) * 0.25)
    yb = -d / 2 + leg / 2
    b.box("back_rail", (0, yb, h - rail / 2), (w - 2 * leg, leg * 0.7, rail), frame)
    if slats > 0:
        sw = min(0.04, (w - 2 * leg) / (2 * slats + 1))
        span = h - rail - board_top
        for i in range(slats):
            x = -(w - 2 * leg) / 2 + (w - 2 * leg) * (i + 1) / (slats + 1)
            b.box(f"back_slat_{i}", (x, yb, board_top + span / 2), (sw, leg * 0.5, span), frame)
    if cushion:
        b.box("seat_pad", (0, leg / 2, board_top + pad / 2), (w - 2 * leg, d - leg - 0.01, pad), "beige fabric",
              bevel=0.01)  # fmt: skip
    b.surface("seat", (0, leg / 2, seat_h), (w - 2 * leg - 0.02, d - leg - 0.03), clearance=2.0)


@register
class DiningChair(AssetFactory):
    category = "dining_chair"
    synonyms = ("chair", "kitchen chair", "side chair", "wooden chair", "restaurant chair")
    description = "A wooden four-legged chair with a slatted backrest, used at dining tables."
    size_range = ((0.4, 0.42, 0.75), (0.6, 0.65, 1.05))
    default_size = (0.45, 0.52, 0.9)
    default_material = "oak wood"
    rooms = ("dining room", "kitchen", "restaurant", "studio apartment", "meeting room", "classroom", "office")
    params = {"slats": int_param(3, 0, 8, "vertical back slats"), "cushion": bool_param(False, "a seat pad")}

    def build(self, b, params):
        chair(b, seat_h=_seat_height(b.h, 0.46, 0.52), leg=0.04, slats=params["slats"],
              cushion=params["cushion"])  # fmt: skip


@register
class KidsChair(AssetFactory):
    category = "kids_chair"
    synonyms = ("child chair", "children's chair", "small chair", "toddler chair", "preschool chair")
    description = "A small, brightly coloured plastic chair sized for children."
    size_range = ((0.28, 0.28, 0.5), (0.42, 0.42, 0.72))
    default_size = (0.34, 0.34, 0.58)
    default_material = "yellow plastic"
    rooms = ("children room", "nursery", "classroom", "waiting room")
    params = {"slats": int_param(2, 0, 6, "vertical back slats")}

    def build(self, b, params):
        chair(b, seat_h=_seat_height(b.h, 0.35, 0.52), leg=0.03, slats=params["slats"], cushion=False)


@register
class Stool(AssetFactory):
    category = "stool"
    synonyms = ("footstool", "wooden stool", "backless chair", "square stool")
    description = "A low backless seat: a square top on four legs joined by stretchers."
    size_range = ((0.28, 0.28, 0.35), (0.5, 0.5, 0.65))
    default_size = (0.36, 0.36, 0.46)
    default_material = "pine wood"
    rooms = ("kitchen", "living room", "bedroom", "bathroom", "children room", "classroom", "studio apartment",
             "garage", "game room")  # fmt: skip

    def build(self, b, params):
        top, leg, inset = 0.035, 0.032, 0.025
        b.box("top", (0, 0, b.h - top / 2), (b.w, b.d, top), bevel=0.006)
        legs = b.h - top
        for i, (sx, sy) in enumerate(CORNERS):
            b.box(f"leg_{i}", (sx * (b.w / 2 - inset - leg / 2), sy * (b.d / 2 - inset - leg / 2), legs / 2),
                  (leg, leg, legs))  # fmt: skip
        zs = legs * 0.3
        xi, yi = b.w / 2 - inset - leg / 2, b.d / 2 - inset - leg / 2
        b.box("stretcher_front", (0, yi, zs), (2 * xi - leg, 0.018, 0.025))
        b.box("stretcher_back", (0, -yi, zs), (2 * xi - leg, 0.018, 0.025))
        b.box("stretcher_left", (-xi, 0, zs + 0.03), (0.018, 2 * yi - leg, 0.025))
        b.box("stretcher_right", (xi, 0, zs + 0.03), (0.018, 2 * yi - leg, 0.025))
        b.surface("seat", (0, 0, b.h), (b.w - 0.03, b.d - 0.03), clearance=2.0)


@register
class BarStool(AssetFactory):
    category = "bar_stool"
    synonyms = ("counter stool", "high stool", "bar chair", "kitchen stool")
    description = "A tall stool with a round padded seat on a central column, a base disc and a footrest ring."
    size_range = ((0.35, 0.35, 0.6), (0.5, 0.5, 1.1))
    default_size = (0.42, 0.42, 0.78)
    default_material = "black leather"
    rooms = ("kitchen", "restaurant", "game room", "studio apartment", "dining room")

    def build(self, b, params):
        seat_t, base_t = 0.06, 0.02
        b.extrusion("seat", (0, 0, b.h - seat_t), ellipse(b.w, b.d), seat_t)
        b.extrusion("base", (0, 0, 0), ellipse(0.8 * b.w, 0.8 * b.d), base_t, "chrome")
        b.cylinder("column", (0, 0, (base_t + b.h - seat_t) / 2), 0.025, b.h - seat_t - base_t, "chrome")
        zr = min(0.3 * b.h, b.h - seat_t - 0.15)
        ring = ellipse(0.72 * b.w, 0.72 * b.d, 8)
        for i, p in enumerate(ring):
            q = ring[(i + 1) % len(ring)]
            b.rod(f"footrest_{i}", (p[0], p[1], zr), (q[0], q[1], zr), 0.01, "chrome")
        b.rod("footrest_spoke_0", (-0.36 * b.w, 0, zr), (0.36 * b.w, 0, zr), 0.008, "chrome")
        b.surface("seat", (0, 0, b.h), (b.w / math.sqrt(2), b.d / math.sqrt(2)), clearance=2.0)


@register
class OfficeChair(AssetFactory):
    category = "office_chair"
    synonyms = ("desk chair", "swivel chair", "computer chair", "task chair", "ergonomic chair")
    description = "A swivel chair on a five-star base with casters, a padded seat, armrests and a backrest."
    size_range = ((0.55, 0.55, 0.85), (0.75, 0.75, 1.3))
    default_size = (0.64, 0.62, 1.05)
    default_material = "black fabric"
    rooms = ("office", "meeting room", "bedroom", "children room", "studio apartment", "classroom", "bookstore")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        caster = 0.025
        radius = min(w, d) / 2 - 0.02
        hub_z = 2 * caster + 0.02
        b.cylinder("hub", (0, 0, hub_z + 0.03), 0.04, 0.06, "black plastic")
        for k in range(5):
            a = math.pi / 2 + 2 * math.pi * k / 5
            cx, cy = (radius - caster) * math.cos(a), (radius - caster) * math.sin(a)
            b.rod(f"spoke_{k}", (0, 0, hub_z + 0.03), (cx, cy, 2 * caster + 0.008), 0.014, "black plastic")
            b.sphere(f"caster_{k}", (cx, cy, caster), caster, "black plastic")
        seat_h = min(0.5, 0.45 * h)
        seat_t = 0.08
        b.box("mechanism", (0, 0, seat_h - seat_t - 0.025), (0.2, 0.2, 0.05), "black metal")
        col0, col1 = hub_z + 0.06, seat_h - seat_t - 0.05
        b.cylinder("gas_column", (0, 0, (col0 + col1) / 2), 0.025, col1 - col0, "chrome")
        arm_w, back_t = 0.06, 0.06
        inner = w - 2 * arm_w - 0.02
        seat_d = d - back_t - 0.02
        b.box("seat", (0, d / 2 - seat_d / 2, seat_h - seat_t / 2), (inner, seat_d, seat_t), bevel=0.02)
        back0 = seat_h + 0.06
        b.box("backrest", (0, -d / 2 + back_t / 2, (back0 + h) / 2), (0.85 * inner, back_t, h - back0), bevel=0.02)
        spine_y, z0, z1 = -d / 2 + back_t / 2, seat_h - seat_t - 0.05, back0 + 0.05
        b.box("spine", (0, spine_y, (z0 + z1) / 2), (0.06, 0.03, z1 - z0), "black metal")
        y0, y1 = spine_y + 0.015, -0.1  # from the spine forward to the mechanism under the seat
        b.box("spine_arm", (0, (y0 + y1) / 2, z0 + 0.015), (0.06, y1 - y0, 0.03), "black metal")
        arm_z = min(h - 0.02, seat_h + 0.22)
        for side, sx in (("left", -1), ("right", 1)):
            x = sx * (w / 2 - arm_w / 2)
            b.box(f"armrest_{side}", (x, 0.02, arm_z - 0.015), (arm_w, 0.26, 0.03), "black plastic", bevel=0.008)
            b.box(f"arm_post_{side}", (x, 0.0, (seat_h - seat_t / 2 + arm_z - 0.03) / 2),
                  (0.03, 0.04, arm_z - 0.03 - seat_h + seat_t / 2), "black plastic")  # fmt: skip
            x0, x1 = inner / 2 - 0.02, w / 2 - arm_w / 2  # from under the seat's edge to the arm post
            b.box(f"arm_bracket_{side}", (sx * (x0 + x1) / 2, 0.0, seat_h - seat_t * 0.75), (x1 - x0, 0.04, 0.015),
                  "black metal")  # fmt: skip
        b.surface("seat", (0, d / 2 - seat_d / 2 + 0.01, seat_h), (inner - 0.06, seat_d - 0.08), clearance=2.0)


@register
class Bench(AssetFactory):
    category = "bench"
    synonyms = ("wooden bench", "seating bench", "entryway bench", "slatted bench", "long seat")
    description = "A long backless bench: wooden slats on two panel legs joined by a stretcher."
    size_range = ((0.8, 0.3, 0.4), (2.0, 0.5, 0.5))
    default_size = (1.2, 0.38, 0.45)
    default_material = "oak wood"
    rooms = ("living room", "bedroom", "dining room", "gym", "waiting room", "restaurant", "classroom",
             "game room", "garage")  # fmt: skip
    params = {"n_slats": int_param(5, 1, 9, "seat slats")}

    def build(self, b, params):
        n = params["n_slats"]
        slat_t, gap, panel = 0.03, 0.01, 0.04
        sd = (b.d - gap * (n - 1)) / n
        for i in range(n):
            y = -b.d / 2 + sd / 2 + i * (sd + gap)
            b.box(f"slat_{i}", (0, y, b.h - slat_t / 2), (b.w, sd, slat_t), bevel=0.003)
        legs = b.h - slat_t
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"leg_{side}", (sx * (b.w / 2 - 0.06 - panel / 2), 0, legs / 2), (panel, b.d - 0.04, legs))
        b.box("stretcher", (0, 0, legs * 0.35), (b.w - 0.12 - 2 * panel, 0.03, 0.05))
        mid = sd if n % 2 else 2 * sd + gap  # the centre of the seat lies on a slat
        b.surface("seat", (0, 0, b.h), (b.w - 0.04, min(b.d - 0.02, mid)), clearance=2.0)


@register
class Ottoman(AssetFactory):
    category = "ottoman"
    synonyms = ("pouf", "footrest", "hassock", "foot stool", "upholstered stool")
    description = "A padded, upholstered box on short legs used as a footrest or extra seat."
    size_range = ((0.4, 0.4, 0.3), (1.2, 0.8, 0.5))
    default_size = (0.7, 0.5, 0.42)
    default_material = "grey fabric"
    rooms = ("living room", "bedroom", "studio apartment", "waiting room", "nursery")

    def build(self, b, params):
        leg_h = min(0.08, b.h * 0.2)
        cushion = min(0.08, (b.h - leg_h) * 0.3)
        b.box("body", (0, 0, (leg_h + b.h - cushion) / 2), (b.w, b.d, b.h - cushion - leg_h), bevel=0.015)
        b.box("cushion", (0, 0, b.h - cushion / 2), (b.w - 0.01, b.d - 0.01, cushion), bevel=0.03)
        leg = 0.04
        for i, (sx, sy) in enumerate(CORNERS):
            b.box(f"leg_{i}", (sx * (b.w / 2 - 0.04 - leg / 2), sy * (b.d / 2 - 0.04 - leg / 2), leg_h / 2),
                  (leg, leg, leg_h), "walnut wood")  # fmt: skip
        b.surface("top", (0, 0, b.h), (b.w - 0.08, b.d - 0.08), clearance=2.0)


@register
class WaitingChair(AssetFactory):
    category = "waiting_chair"
    synonyms = ("beam seating", "waiting room chairs", "airport seating", "row of chairs", "tandem seating")
    description = "A row of joined seats with armrests on a common steel beam, as in waiting rooms."
    size_range = ((1.4, 0.55, 0.75), (2.1, 0.72, 0.9))
    default_size = (1.75, 0.62, 0.82)
    default_material = "blue fabric"
    rooms = ("waiting room", "medical examination room", "office", "classroom")
    params = {"n_seats": int_param(3, 2, 5, "seats on the beam")}

    def build(self, b, params):
        n = params["n_seats"]
        w, d, h = b.w, b.d, b.h
        arm_t, frame = 0.05, "black metal"
        seat_w = (w - (n + 1) * arm_t) / n
        seat_h = min(0.46, 0.55 * h)
        pan_t, back_t = 0.05, 0.04
        beam_z = seat_h - pan_t - 0.08
        b.box("beam", (0, -0.02, beam_z), (w - 0.02, 0.08, 0.06), frame)
        for side, sx in (("left", -1), ("right", 1)):
            x = sx * (w / 2 - 0.25)
            b.box(f"leg_{side}", (x, -0.02, (0.03 + beam_z - 0.03) / 2), (0.06, 0.06, beam_z - 0.06), frame)
            b.box(f"foot_{side}", (x, 0, 0.015), (0.06, d * 0.85, 0.03), frame)
        pan_d = d - 0.06
        for i in range(n):
            x = -w / 2 + arm_t + seat_w / 2 + i * (seat_w + arm_t)
            b.box(f"seat_{i}", (x, d / 2 - pan_d / 2, seat_h - pan_t / 2), (seat_w, pan_d, pan_t), bevel=0.01)
            b.box(f"back_{i}", (x, -d / 2 + back_t / 2, (seat_h + 0.03 + h) / 2), (seat_w, back_t, h - seat_h - 0.03),
                  bevel=0.01)  # fmt: skip
            b.box(f"bracket_{i}", (x, -0.02, beam_z + 0.03 + (seat_h - pan_t - beam_z - 0.03) / 2),
                  (0.05, 0.05, seat_h - pan_t - beam_z - 0.03), frame)  # fmt: skip
            b.box(f"back_bracket_{i}", (x, -d / 2 + back_t + 0.015, seat_h + 0.02), (0.05, 0.03, 0.1), frame)
            b.surface(f"seat_{i}", (x, d / 2 - pan_d / 2 + 0.02, seat_h), (seat_w - 0.04, pan_d - 0.08), clearance=2.0)
        arm_z = min(h - 0.02, seat_h + 0.2)
        for i in range(n + 1):
            x = -w / 2 + arm_t / 2 + i * (seat_w + arm_t)
            b.box(f"armrest_{i}", (x, 0.03, arm_z - 0.015), (arm_t, min(0.4, d * 0.6), 0.03), "black plastic")
            b.box(f"arm_post_{i}", (x, 0.03, (beam_z + arm_z - 0.03) / 2), (0.03, 0.04, arm_z - 0.03 - beam_z), frame)
