"""Electronics: laptop (hinged lid), monitor, keyboard, television, speaker, alarm clock."""

from __future__ import annotations

import math

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.shapes import hollow_box

#: How far the lid's front tab stands out in front of the base, and how far behind the tab's front edge its grasp
#: anchor lies, m: fingertips pinching the tab from above (22 mm wide, centred on the anchor) still clear the lid
#: behind the tab, and rays cast across the anchor find the tab's sides (not its front face edge-on).
TAB_OVERHANG, TAB_GRASP_INSET = 0.02, 0.004
_DESK_ROOMS = ("office", "bedroom", "living room", "studio apartment", "classroom", "meeting room", "children room")


@register
class Laptop(AssetFactory):
    """Closed at joint position 0 (the lid lies flat on the base); ``lid_hinge`` opens it upwards about the
    x axis at the back edge of the base. The lid's front tab (part ``lid_tab``, handle ``lid_tab``) overhangs
    the base by :data:`TAB_OVERHANG`: the base is that much shallower than the requested depth."""

    category = "laptop"
    synonyms = ("laptop computer", "portable computer", "macbook", "computer")
    description = "A laptop computer with a keyboard base and a screen lid hinged at the back edge."
    size_range = ((0.25, 0.17, 0.012), (0.42, 0.3, 0.04))
    default_size = (0.33, 0.23, 0.02)
    default_material = "silver aluminium"
    placement = "surface"
    small = True
    articulated = True
    rooms = _DESK_ROOMS + ("waiting room", "bookstore")

    def build(self, b, params):
        # The lid overhangs the base's front edge with a tab as wide as two fingertips: a gripper (or a thumb)
        # pinches the tab's sides from above, in the space in front of the shorter base, and lifts the lid.
        overhang = TAB_OVERHANG
        tab_w = min(0.03, 0.12 * b.w)
        base_h = 0.55 * b.h
        gap = 0.001  # the closed lid rests just above the keys
        lid_z0 = base_h + gap
        lid_t = b.h - lid_z0
        screen_t = min(0.0008, lid_t / 4)
        bevel = min(0.003, base_h / 3)
        bd, yc = b.d - overhang, -overhang / 2  # base and lid depth and centre: the tab fills the front strip
        hollow_box(b, "base", (0, yc, base_h / 2), (b.w, bd, base_h), 0.0015, bevel=bevel)
        b.box("keyboard", (0, yc - 0.08 * bd, base_h - 0.0003), (0.86 * b.w, 0.42 * bd, 0.001), "black plastic")
        b.box("touchpad", (0, yc + 0.3 * bd, base_h - 0.0003), (0.32 * b.w, 0.24 * bd, 0.001), "grey plastic")
        b.box("screen", (0, yc + 0.01 * bd, lid_z0 + screen_t / 2), (0.92 * b.w, 0.86 * bd, screen_t), "screen",
              link="lid")  # fmt: skip
        hollow_box(b, "lid", (0, yc, lid_z0 + screen_t + (lid_t - screen_t) / 2), (b.w, bd, lid_t - screen_t),
                   0.0012, link="lid", bevel=min(0.002, (lid_t - screen_t) / 3))  # fmt: skip
        # The tab: flush with the lid's top, its lip hanging down in front of the base to 30% of its height.
        tab_z0 = 0.3 * base_h
        b.box("lid_tab", (0, b.d / 2 - overhang / 2, (tab_z0 + b.h) / 2), (tab_w, overhang, b.h - tab_z0),
              link="lid", bevel=min(0.002, tab_w / 8))  # fmt: skip
        b.joint("lid_hinge", "revolute", "lid", (1, 0, 0), (0, -b.d / 2, lid_z0), (0.0, 2.0))
        # The anchor: just behind the tab's front edge, at the lid's underside (fingers reaching 8 mm past it
        # pinch the tab over most of its height); the fingers close across the tab (along x).
        b.handle("lid_tab", (0, b.d / 2 - TAB_GRASP_INSET, lid_z0 + 0.001), link="lid", joint="lid_hinge",
                 axis=(0, 0, 1))  # fmt: skip


@register
class Monitor(AssetFactory):
    category = "monitor"
    synonyms = ("computer monitor", "computer screen", "display")
    description = "A flat computer monitor on a stand with a square foot."
    size_range = ((0.35, 0.12, 0.25), (0.9, 0.3, 0.65))
    default_size = (0.5, 0.2, 0.42)
    default_material = "black plastic"
    placement = "surface"
    small = True
    rooms = ("office", "bedroom", "studio apartment", "classroom", "meeting room", "game room", "bookstore")

    def build(self, b, params):
        foot_h = min(0.015, 0.05 * b.h)
        panel_d = min(0.03, 0.3 * b.d)
        panel_h = 0.74 * b.h
        b.box("foot", (0, 0, foot_h / 2), (0.4 * b.w, b.d, foot_h), bevel=0.003)
        neck_d = min(0.03, (b.d - panel_d) / 2)
        b.box("neck", (0, -panel_d / 2 - neck_d / 2, (0.6 * b.h + foot_h) / 2), (0.08 * b.w, neck_d, 0.6 * b.h - foot_h))
        b.box("panel", (0, 0, b.h - panel_h / 2), (b.w, panel_d, panel_h), bevel=0.003)
        b.box("display", (0, panel_d / 2 + 0.001, b.h - panel_h / 2 + 0.01 * panel_h),
              (0.96 * b.w, 0.002, 0.9 * panel_h), "screen")  # fmt: skip


@register
class Keyboard(AssetFactory):
    category = "keyboard"
    synonyms = ("computer keyboard", "keypad")
    description = "A flat computer keyboard with rows of keys."
    size_range = ((0.28, 0.1, 0.015), (0.48, 0.2, 0.045))
    default_size = (0.44, 0.14, 0.03)
    default_material = "black plastic"
    placement = "surface"
    small = True
    rooms = ("office", "bedroom", "studio apartment", "classroom", "game room", "meeting room")

    def build(self, b, params):
        base_h = 0.6 * b.h
        b.box("case", (0, 0, base_h / 2), (b.w, b.d, base_h), bevel=min(0.004, base_h / 3))
        key_h = b.h - base_h + 0.002
        pitch = 0.88 * b.d / 5
        for i in range(4):
            y = -0.44 * b.d + pitch * (i + 0.5)
            b.box(f"key_row_{i}", (0, y, b.h - key_h / 2), (0.94 * b.w, 0.8 * pitch, key_h), "grey plastic")
        y = -0.44 * b.d + pitch * 4.5
        b.box("space_bar", (0, y, b.h - key_h / 2), (0.4 * b.w, 0.8 * pitch, key_h), "grey plastic")
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"key_row_4_{side}", (sx * 0.34 * b.w, y, b.h - key_h / 2), (0.26 * b.w, 0.8 * pitch, key_h),
                  "grey plastic")  # fmt: skip


@register
class Television(AssetFactory):
    category = "tv"
    synonyms = ("television", "tv set", "flat screen", "smart tv", "flat screen tv")
    description = "A flat-screen television standing on two feet, for a TV stand or sideboard."
    size_range = ((0.6, 0.15, 0.4), (1.9, 0.4, 1.2))
    default_size = (1.23, 0.26, 0.78)
    default_material = "black plastic"
    placement = "surface"
    rooms = ("living room", "bedroom", "game room", "waiting room", "studio apartment", "meeting room",
             "children room")  # fmt: skip

    def build(self, b, params):
        foot_h = 0.08 * b.h
        panel_d = min(0.025, 0.3 * b.d)
        panel_h = b.h - foot_h
        b.box("panel", (0, 0, foot_h + panel_h / 2), (b.w, panel_d, panel_h), bevel=0.004)
        b.box("display", (0, panel_d / 2 + 0.001, foot_h + panel_h / 2), (0.97 * b.w, 0.002, 0.94 * panel_h),
              "screen")  # fmt: skip
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"foot_{side}", (sx * 0.36 * b.w, 0, (foot_h + 0.01) / 2), (0.04 * b.w, b.d, foot_h + 0.01),
                  bevel=0.003)


@register
class Speaker(AssetFactory):
    category = "speaker"
    synonyms = ("loudspeaker", "bookshelf speaker", "speaker box", "bluetooth speaker")
    description = "A box loudspeaker with a woofer and a tweeter on its front."
    size_range = ((0.08, 0.08, 0.1), (0.35, 0.35, 0.5))
    default_size = (0.16, 0.2, 0.26)
    default_material = "walnut wood"
    placement = "surface"
    small = True
    rooms = ("living room", "bedroom", "office", "game room", "studio apartment", "meeting room", "gym")

    def build(self, b, params):
        grille = 0.006
        b.box("cabinet", (0, -grille / 2, b.h / 2), (b.w, b.d - grille, b.h), bevel=min(0.004, b.w / 10))
        facing = (-math.pi / 2, 0.0, 0.0)  # the cylinder axis turned from +Z to +Y
        r_woofer = 0.36 * min(b.w, 0.6 * b.h)
        b.cylinder("woofer", (0, b.d / 2 - grille / 2, 0.36 * b.h), r_woofer, grille, "black rubber", rpy=facing)
        r_tweeter = 0.35 * r_woofer
        b.cylinder("tweeter", (0, b.d / 2 - grille / 2, 0.78 * b.h), r_tweeter, grille, "black plastic", rpy=facing)
        b.surface("top", (0, -grille / 2, b.h), (b.w - 0.01, b.d - grille - 0.01))


@register
class AlarmClock(AssetFactory):
    category = "alarm_clock"
    synonyms = ("clock radio", "digital clock", "bedside clock", "desk clock")
    description = "A small digital alarm clock with a display on its front and buttons on top."
    size_range = ((0.08, 0.04, 0.05), (0.22, 0.12, 0.15))
    default_size = (0.14, 0.07, 0.08)
    default_material = "white plastic"
    placement = "surface"
    small = True
    rooms = ("bedroom", "children room", "studio apartment", "nursery", "office")

    def build(self, b, params):
        button_h, face = 0.004, 0.002
        body_h = b.h - button_h
        b.box("body", (0, -face / 2, body_h / 2), (b.w, b.d - face, body_h), bevel=min(0.008, b.d / 6))
        b.box("display", (0, b.d / 2 - face / 2, 0.55 * body_h), (0.7 * b.w, face, 0.45 * body_h), "screen")
        for i, x in enumerate((-0.2 * b.w, 0.2 * b.w)):
            b.box(f"button_{i}", (x, 0, body_h + button_h / 2 - 0.001), (0.15 * b.w, 0.3 * b.d, button_h + 0.002),
                  "grey plastic")  # fmt: skip
