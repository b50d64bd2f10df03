"""Reusable building blocks for asset programs: legs, carcasses, drawers, hinged doors, shelves.

All coordinates in the asset frame (origin bottom-centre, +Y front, Z up), metres.
"""

from __future__ import annotations

import math

from scene_gym.assets.builder import AssetBuilder

HANDLE_MATERIAL = "brushed steel"


def four_legs(b: AssetBuilder, height: float, thickness: float, inset: float, material: str | None = None,
              round_legs: bool = False, prefix: str = "leg") -> None:
    """Four vertical legs under a w x d footprint, ``inset`` from its edges, from z = 0 to ``height``."""
    for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
        x = sx * (b.w / 2 - inset - thickness / 2)
        y = sy * (b.d / 2 - inset - thickness / 2)
        if round_legs:
            b.cylinder(f"{prefix}_{i}", (x, y, height / 2), thickness / 2, height, material)
        else:
            b.box(f"{prefix}_{i}", (x, y, height / 2), (thickness, thickness, height), material)


def carcass(b: AssetBuilder, z0: float, z1: float, panel: float, *, back: bool = True, prefix: str = "") -> None:
    """An open-front box from z0 to z1 over the full footprint: sides, top, bottom and back panels."""
    h = z1 - z0
    b.box(f"{prefix}side_left", (-b.w / 2 + panel / 2, 0, z0 + h / 2), (panel, b.d, h))
    b.box(f"{prefix}side_right", (b.w / 2 - panel / 2, 0, z0 + h / 2), (panel, b.d, h))
    b.box(f"{prefix}top", (0, 0, z1 - panel / 2), (b.w - 2 * panel, b.d, panel))
    b.box(f"{prefix}bottom", (0, 0, z0 + panel / 2), (b.w - 2 * panel, b.d, panel))
    if back:
        b.box(f"{prefix}back", (0, -b.d / 2 + panel / 4, z0 + h / 2), (b.w - 2 * panel, panel / 2, h - 2 * panel))


def drawer(b: AssetBuilder, name: str, x: float, z: float, width: float, height: float, depth: float,
           *, panel: float = 0.015, travel: float | None = None, front_material: str | None = None) -> None:
    """A drawer whose front sits flush with the asset's front (y = d/2), centred at (x, z).

    Adds the box (front, bottom, sides, back) on link ``name``, a prismatic joint ``{name}_slide`` along +Y
    opening by ``travel`` (default 80% of ``depth``), a bar handle and a support surface on its bottom.
    """
    y_front = b.d / 2
    link = name
    b.box(f"{name}_front", (x, y_front - panel / 2, z), (width - 0.004, panel, height - 0.004), front_material,
          link=link)  # fmt: skip
    inner_w, inner_h = width - 2 * panel - 0.01, height - 2 * panel
    yc = y_front - panel - depth / 2
    zb = z - height / 2 + panel
    b.box(f"{name}_bottom", (x, yc, zb), (inner_w, depth, panel / 2), link=link)
    b.box(f"{name}_side_l", (x - inner_w / 2 + panel / 4, yc, zb + inner_h / 2), (panel / 2, depth, inner_h), link=link)
    b.box(f"{name}_side_r", (x + inner_w / 2 - panel / 4, yc, zb + inner_h / 2), (panel / 2, depth, inner_h), link=link)
    b.box(f"{name}_back", (x, yc - depth / 2 + panel / 4, zb + inner_h / 2), (inner_w, panel / 2, inner_h), link=link)
    hw = min(0.12, width * 0.4)
    b.box(f"{name}_handle", (x, y_front + 0.015, z), (hw, 0.012, 0.012), HANDLE_MATERIAL, link=link)
    b.box(f"{name}_handle_post_l", (x - hw / 2 + 0.006, y_front + 0.0045, z), (0.01, 0.009, 0.01), HANDLE_MATERIAL, link=link)
    b.box(f"{name}_handle_post_r", (x + hw / 2 - 0.006, y_front + 0.0045, z), (0.01, 0.009, 0.01), HANDLE_MATERIAL, link=link)
    b.joint(f"{name}_slide", "prismatic", link, (0, 1, 0), (x, y_front, z), (0.0, travel or 0.8 * depth))
    b.handle(f"{name}_handle", (x, y_front + 0.015, z), link=link, joint=f"{name}_slide")
    b.surface(f"{name}_inside", (x, yc, zb + panel / 4), (inner_w - panel, depth - panel), link=link,
              clearance=inner_h - panel / 2)  # fmt: skip


def hinged_door(b: AssetBuilder, name: str, x0: float, x1: float, z0: float, z1: float, *, hinge: str = "left",
                thickness: float = 0.018, material: str | None = None, max_angle: float = math.radians(110),
                y_front: float | None = None, handle_z: float | None = None) -> None:
    """A door panel covering x0..x1, z0..z1 at the front, hinged on its left or right edge (seen from the front).

    Opening swings the door outwards (towards +Y): the joint ``{name}_hinge`` turns about +Z for a right-edge
    hinge and -Z for a left-edge hinge, over [0, ``max_angle``].
    """
    y_front = b.d / 2 if y_front is None else y_front
    width, height = x1 - x0, z1 - z0
    link = name
    b.box(f"{name}_panel", ((x0 + x1) / 2, y_front - thickness / 2, (z0 + z1) / 2), (width - 0.004, thickness, height - 0.004),
          material, link=link)  # fmt: skip
    hinge_x = x0 if hinge == "left" else x1
    free_x = x1 - 0.05 if hinge == "left" else x0 + 0.05
    hz = handle_z if handle_z is not None else (z0 + z1) / 2
    bar = min(0.15, height * 0.3)
    b.box(f"{name}_handle", (free_x, y_front + 0.02, hz), (0.012, 0.012, bar), HANDLE_MATERIAL, link=link)
    b.box(f"{name}_handle_post_b", (free_x, y_front + 0.007, hz - bar / 2 + 0.006), (0.01, 0.014, 0.01), HANDLE_MATERIAL, link=link)
    b.box(f"{name}_handle_post_t", (free_x, y_front + 0.007, hz + bar / 2 - 0.006), (0.01, 0.014, 0.01), HANDLE_MATERIAL, link=link)
    axis = (0, 0, -1) if hinge == "left" else (0, 0, 1)
    b.joint(f"{name}_hinge", "revolute", link, axis, (hinge_x, y_front, (z0 + z1) / 2), (0.0, max_angle))
    b.handle(f"{name}_handle", (free_x, y_front + 0.02, hz), link=link, joint=f"{name}_hinge", axis=(0, 0, 1))


def shelves(b: AssetBuilder, z0: float, z1: float, count: int, panel: float, *, inset_x: float,
            depth: float | None = None, prefix: str = "shelf") -> list[float]:
    """``count`` evenly spaced horizontal boards strictly between z0 and z1, each a support surface.

    Returns the heights of the board tops. The space above the top-most board reaches z1.
    """
    depth = depth or b.d - 0.02
    gap = (z1 - z0) / (count + 1)
    tops = []
    for i in range(count):
        zc = z0 + gap * (i + 1)
        b.box(f"{prefix}_{i}", (0, 0, zc), (b.w - 2 * inset_x, depth, panel))
        top = zc + panel / 2
        tops.append(top)
        b.surface(f"{prefix}_{i}", (0, 0, top), (b.w - 2 * inset_x - 0.01, depth - 0.01), clearance=gap - panel)
    return tops
