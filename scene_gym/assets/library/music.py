"""Music and art studio: the keyboard family (:class:`KeyboardFamily`: upright, grand and digital pianos and a
keyboard on an X stand), drum kits, guitars on a stand, amplifiers and
pottery wheels. Kilns are box appliances (``appliances``); easels and music stands are stands (``stands``).

Front is +Y: the side the player sits at.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import LID_TAB_REACH, lid
from scene_gym.assets.library.family import Family, declare, disc
from scene_gym.assets.library.shapes import ellipsoid

ALONG_Y = (math.pi / 2, 0.0, 0.0)
KEY_Z = 0.72  # m: top of the keys of a full-size keyboard


class KeyboardFamily(Family):
    """A keyboard instrument; size (w, d, h) metres.

    Knobs: case (``"upright"``: a tall case behind the keys, ``"grand"``: a long body on three legs with the keys
    in front, ``"stand"``: a slim keyboard on an X stand), key_lid (a hinged fallboard over the keys).
    """

    knobs = MappingProxyType({"case": "upright", "key_lid": True})

    def build(self, b, params):
        """Case, keys and (with ``key_lid``) the fallboard that lifts off the keys (metres)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        kz = min(KEY_Z, 0.75 * h)
        key_d = min(0.2, 0.35 * d)
        yf = d / 2 - (LID_TAB_REACH if k["key_lid"] else 0.0)
        y_keys = yf - key_d  # back edge of the key bed
        cheek = 0.04 if k["case"] == "upright" else 0.0
        if k["case"] == "stand":
            for side, sx in (("left", -1), ("right", 1)):
                x = sx * (w / 2 - 0.15)
                b.rod(
                    f"x_leg_{side}_a", (x, -d / 2 + 0.02, 0.0), (x, yf - 0.02, kz - 0.1), 0.015, "black metal"
                )
                b.rod(
                    f"x_leg_{side}_b", (x, yf - 0.02, 0.0), (x, -d / 2 + 0.02, kz - 0.1), 0.015, "black metal"
                )
            b.box("keyboard_body", (0, (-d / 2 + yf) / 2, kz - 0.07), (w, yf + d / 2, 0.06), "black plastic")
            b.box("panel", (0, -d / 2 + 0.06, (kz - 0.04 + h) / 2), (w, 0.12, h - kz + 0.04), "black plastic")
        elif k["case"] == "upright":
            b.box("case", (0, (-d / 2 + y_keys) / 2, (0.06 + h) / 2), (w, y_keys + d / 2, h - 0.06))
            b.box("plinth", (0, (-d / 2 + y_keys) / 2, 0.03), (w - 0.02, y_keys + d / 2, 0.06))
            for side, sx in (("left", -1), ("right", 1)):
                b.box(f"cheek_{side}", (sx * (w / 2 - cheek / 2), (y_keys + yf) / 2, (kz + 0.06) / 2),
                      (cheek, yf - y_keys, kz + 0.06))  # fmt: skip
            b.box("key_bed", (0, (y_keys + yf) / 2, kz - 0.07), (w - 2 * cheek, yf - y_keys, 0.06))
            b.surface("top", (0, (-d / 2 + y_keys) / 2, h), (w - 0.04, y_keys + d / 2 - 0.04))
        else:  # grand: a curved-tail body behind the keys on three legs
            body0 = kz - 0.2
            yb = (y_keys - d / 2) / 2
            poly = [(-w / 2, y_keys), (w / 2, y_keys), (w / 2, yb), (w / 4, -d / 2), (-w / 2, -d / 2)]
            b.extrusion("body", (0, yb, body0), poly, h - body0)
            for i, (x, y) in enumerate(
                ((-w / 2 + 0.1, y_keys - 0.1), (w / 2 - 0.1, y_keys - 0.1), (-w / 4, -d / 2 + 0.15))
            ):
                b.cylinder(f"leg_{i}", (x, y, body0 / 2), 0.05, body0)
            b.box("key_bed", (0, (y_keys + yf) / 2, kz - 0.07), (w, yf - y_keys, 0.06))
            b.surface("lid", (-w / 8, yb, h), (0.4 * w, 0.4 * (y_keys + d / 2)))
        inner = w - 2 * cheek
        b.box(
            "white_keys",
            (0, (y_keys + yf) / 2, kz - 0.02),
            (inner - 0.01, yf - y_keys - 0.01, 0.04),
            "ivory plastic",
        )
        b.box("black_keys", (0, y_keys + 0.045, kz + 0.005), (inner - 0.04, 0.08, 0.01), "black plastic")
        if k["key_lid"]:
            lid(b, "fallboard", -inner / 2 + 0.003, inner / 2 - 0.003, y_keys + 0.002, yf, kz + 0.012, 0.015,
                max_angle=math.radians(85))  # fmt: skip


declare(
    KeyboardFamily,
    "upright_piano",
    synonyms=("piano", "upright", "vertical piano", "spinet piano", "acoustic piano"),
    description="An upright piano: a tall case behind the keyboard with a fallboard that lifts off the keys.",
    size_range=((1.3, 0.5, 1.0), (1.6, 0.75, 1.4)),
    default_size=(1.5, 0.62, 1.25),
    default_material="black lacquer",
    rooms=("living room", "classroom", "studio apartment", "restaurant"),
    articulated=True,
)
declare(
    KeyboardFamily,
    "grand_piano",
    synonyms=("baby grand", "baby grand piano", "concert grand", "grand"),
    description="A grand piano: a long curved body on three legs with the keyboard and fallboard in front.",
    size_range=((1.4, 1.4, 0.95), (1.6, 2.8, 1.05)),
    default_size=(1.5, 1.9, 1.0),
    default_material="black lacquer",
    rooms=("living room", "restaurant", "classroom", "waiting room"),
    articulated=True,
    knobs={"case": "grand"},
)
declare(
    KeyboardFamily,
    "digital_piano",
    synonyms=("electric piano", "e-piano", "console piano", "home piano"),
    description="A console digital piano: a slim low case behind the keys with a key cover.",
    size_range=((1.3, 0.35, 0.78), (1.45, 0.5, 1.0)),
    default_size=(1.38, 0.42, 0.88),
    default_material="black mdf",
    rooms=("living room", "bedroom", "classroom", "studio apartment", "children room"),
    articulated=True,
)
declare(
    KeyboardFamily,
    "keyboard_stand",
    synonyms=("electronic keyboard", "synthesizer", "synth", "keyboard on a stand", "music keyboard"),
    description="An electronic keyboard on a folding X stand with a control panel behind the keys.",
    size_range=((0.9, 0.3, 0.75), (1.45, 0.45, 1.0)),
    default_size=(1.1, 0.36, 0.88),
    default_material="black plastic",
    rooms=("bedroom", "classroom", "living room", "studio apartment", "children room"),
    knobs={"case": "stand", "key_lid": False},
)


@register
class DrumKit(AssetFactory):
    """A drum kit: bass drum, snare, toms, two cymbals on stands and a throne (size metres)."""

    category = "drum_kit"
    synonyms = ("drum set", "drums", "drumkit", "drum kit set")
    description = "A drum kit: bass drum, snare, toms, two cymbals on stands and a drum throne."
    size_range = ((1.2, 1.0, 1.0), (2.0, 1.8, 1.6))
    default_size = (1.6, 1.4, 1.3)
    default_material = "red lacquer"
    rooms = ("game room", "classroom", "living room", "garage", "studio apartment")

    def build(self, b, params):
        """Drums as cylinders, cymbals as thin discs on rods, the throne's seat as a surface."""
        w, d, h = b.w, b.d, b.h
        r = min(0.28, 0.25 * h)
        disc(b, "bass_drum", (0, -0.05 * d, r), r, 0.4, rpy=ALONG_Y)
        b.cylinder("tom_left", (-0.12, -0.05 * d, 2 * r + 0.12), 0.12, 0.16)
        b.cylinder("tom_right", (0.14, -0.05 * d, 2 * r + 0.12), 0.13, 0.18)
        disc(b, "floor_tom", (0.3 * w, 0.15 * d, 0.25), 0.19, 0.5)
        disc(b, "snare", (-0.25 * w, 0.15 * d, 0.6), 0.18, 0.15)
        b.rod("snare_stand", (-0.25 * w, 0.15 * d, 0.0), (-0.25 * w, 0.15 * d, 0.525), 0.012, "chrome")
        for name, x, y, z, cr in (
            ("hi_hat", -w / 2 + 0.18, 0.0, 0.85 * h, 0.18),
            ("crash", w / 2 - 0.2, -d / 2 + 0.2, h, 0.2),
        ):
            b.rod(f"{name}_stand", (x, y, 0.0), (x, y, z - 0.006), 0.012, "chrome")
            disc(b, f"{name}_cymbal", (x, y, z - 0.003), cr, 0.006, "brass")
        disc(b, "throne_seat", (0, d / 2 - 0.17, 0.5 - 0.04), 0.17, 0.08, "black leather")
        b.rod("throne_post", (0, d / 2 - 0.17, 0.0), (0, d / 2 - 0.17, 0.42), 0.02, "chrome")
        b.surface("throne", (0, d / 2 - 0.17, 0.5), (0.2, 0.2), clearance=2.0)


@register
class Guitar(AssetFactory):
    """An acoustic guitar standing upright in a floor stand (size metres)."""

    category = "guitar"
    synonyms = ("guitar on a stand", "acoustic guitar", "electric guitar", "guitar stand", "bass guitar")
    description = "An acoustic guitar standing upright in a small floor stand."
    size_range = ((0.3, 0.3, 0.9), (0.5, 0.5, 1.2))
    default_size = (0.4, 0.38, 1.05)
    default_material = "cherry wood"
    rooms = ("bedroom", "living room", "classroom", "studio apartment", "game room", "children room")

    def build(self, b, params):
        """Stand feet, body, neck and headstock."""
        w, d, h = b.w, b.d, b.h
        b.box("stand_foot_x", (0, 0, 0.01), (w, 0.04, 0.02), "black metal")
        b.box("stand_foot_y", (0, 0, 0.01), (0.04, d, 0.02), "black metal")
        b.rod("stand_post", (0, -0.08, 0.02), (0, -0.08, 0.62 * h), 0.01, "black metal")
        body_h = 0.45 * h
        ellipsoid(b, "body", (0, 0, 0.04 + body_h / 2), (0.45 * w, 0.05, body_h / 2))
        b.box(
            "neck",
            (0, 0, (0.04 + body_h + h - 0.12) / 2),
            (0.05, 0.025, h - 0.12 - 0.04 - body_h + 0.04),
            "walnut wood",
        )
        b.box("headstock", (0, 0, h - 0.06), (0.08, 0.03, 0.12), "walnut wood")


@register
class PotteryWheel(AssetFactory):
    """A potter's wheel: a low motor body with a splash pan, a wheel head and a foot pedal (size metres)."""

    category = "pottery_wheel"
    synonyms = ("potter's wheel", "potters wheel", "throwing wheel", "ceramic wheel", "clay wheel")
    description = (
        "A potter's wheel: a low motor body with a round splash pan, a turning wheel head and a foot pedal."
    )
    size_range = ((0.5, 0.6, 0.4), (0.8, 1.0, 0.7))
    default_size = (0.62, 0.8, 0.55)
    default_material = "grey sheet steel"
    rooms = ("studio apartment", "classroom", "garage")

    def build(self, b, params):
        """Body, splash pan, wheel head and pedal."""
        w, d, h = b.w, b.d, b.h
        body_d = d - 0.22
        yb = -d / 2 + body_d / 2
        b.box("body", (0, yb, (h - 0.1) / 2), (w, body_d, h - 0.1), bevel=0.01)
        r = min(w, body_d) / 2 - 0.01
        disc(b, "splash_pan", (0, yb, h - 0.05), r, 0.1, "white plastic")
        disc(b, "wheel_head", (0, yb, h - 0.015), 0.75 * r, 0.03, "aluminium")
        b.box("pedal", (0.15, d / 2 - 0.1, 0.04), (0.14, 0.2, 0.08), "black plastic")
        b.surface("wheel_head", (0, yb, h), (1.0 * r, 1.0 * r))
