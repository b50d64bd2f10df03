"""Reusable building blocks for asset programs: legs, carcasses, drawers, hinged doors, shelves.

All coordinates in the asset frame (origin bottom-centre, +Y front, Z up), metres.
"""

from __future__ import annotations

import math

from scene_gym.assets.builder import AssetBuilder

HANDLE_MATERIAL = "brushed steel"
#: How far the bar handles of :func:`drawer` and :func:`hinged_door` stand proud of the front they sit on, m.
#: Programs set their fronts this far behind y = d/2 so that the handles end exactly on the asset's front face.
DRAWER_HANDLE_REACH = 0.021
DOOR_HANDLE_REACH = 0.026


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
           *, panel: float = 0.015, travel: float | None = None, front_material: str | None = None,
           y_front: float | None = None, material: str | None = None) -> None:
    """A drawer whose front face lies at ``y_front`` (default: the asset's front, y = d/2), centred at (x, z).

    The handle bar stands :data:`DRAWER_HANDLE_REACH` in front of ``y_front``. ``material`` is the drawer box's
    (default: the object's), ``front_material`` the front panel's.

    Adds the box (front, bottom, sides, back) on link ``name``, a prismatic joint ``{name}_slide`` along +Y
    opening by ``travel`` (default 80% of ``depth``), a bar handle and a support surface on its bottom.
    """
    y_front = b.d / 2 if y_front is None else y_front
    link = name
    b.box(f"{name}_front", (x, y_front - panel / 2, z), (width - 0.004, panel, height - 0.004), front_material,
          link=link)  # fmt: skip
    inner_w, inner_h = width - 2 * panel - 0.01, height - 2 * panel
    yc = y_front - panel - depth / 2
    zb = z - height / 2 + panel
    b.box(f"{name}_bottom", (x, yc, zb), (inner_w, depth, panel / 2), material, link=link)
    b.box(f"{name}_side_l", (x - inner_w / 2 + panel / 4, yc, zb + inner_h / 2), (panel / 2, depth, inner_h), material, link=link)
    b.box(f"{name}_side_r", (x + inner_w / 2 - panel / 4, yc, zb + inner_h / 2), (panel / 2, depth, inner_h), material, link=link)
    b.box(f"{name}_back", (x, yc - depth / 2 + panel / 4, zb + inner_h / 2), (inner_w, panel / 2, inner_h), material, link=link)
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

    Opening swings the door outwards (towards +Y): the joint ``{name}_hinge`` turns about +Z for a left-edge
    hinge and -Z for a right-edge hinge, over [0, ``max_angle``], about the door's front hinge-side edge. The
    handle bar stands :data:`DOOR_HANDLE_REACH` in front of ``y_front``.
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
    axis = (0, 0, 1) if hinge == "left" else (0, 0, -1)
    b.joint(f"{name}_hinge", "revolute", link, axis, (hinge_x, y_front, (z0 + z1) / 2), (0.0, max_angle))
    b.handle(f"{name}_handle", (free_x, y_front + 0.02, hz), link=link, joint=f"{name}_hinge", axis=(0, 0, 1))


def shelves(b: AssetBuilder, z0: float, z1: float, count: int, panel: float, *, inset_x: float,
            depth: float | None = None, prefix: str = "shelf", material: str | None = None) -> list[float]:
    """``count`` evenly spaced horizontal boards strictly between z0 and z1, each a support surface.

    Returns the heights of the board tops. The space above the top-most board reaches z1.
    """
    depth = depth or b.d - 0.02
    gap = (z1 - z0) / (count + 1)
    tops = []
    for i in range(count):
        zc = z0 + gap * (i + 1)
        b.box(f"{prefix}_{i}", (0, 0, zc), (b.w - 2 * inset_x, depth, panel), material)
        top = zc + panel / 2
        tops.append(top)
        b.surface(f"{prefix}_{i}", (0, 0, top), (b.w - 2 * inset_x - 0.01, depth - 0.01), clearance=gap - panel)
    return tops


def open_box(b: AssetBuilder, prefix: str, x0: float, x1: float, y0: float, y1: float, z0: float, z1: float,
             panel: float, *, top: bool = True, bottom: bool = True, back: bool = True,
             material: str | None = None) -> None:
    """Side, top, bottom and back panels of a box open at the front, filling x0..x1, y0..y1, z0..z1.

    Unlike :func:`carcass` the box need not span the whole footprint, so programs can leave room in front of
    it for doors and handles or stack several boxes.
    """
    xc, yc, zc = (x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2
    w, d, h = x1 - x0, y1 - y0, z1 - z0
    b.box(f"{prefix}side_left", (x0 + panel / 2, yc, zc), (panel, d, h), material)
    b.box(f"{prefix}side_right", (x1 - panel / 2, yc, zc), (panel, d, h), material)
    if top:
        b.box(f"{prefix}top", (xc, yc, z1 - panel / 2), (w - 2 * panel, d, panel), material)
    if bottom:
        b.box(f"{prefix}bottom", (xc, yc, z0 + panel / 2), (w - 2 * panel, d, panel), material)
    if back:
        zb, zt = z0 + (panel if bottom else 0.0), z1 - (panel if top else 0.0)
        b.box(f"{prefix}back", (xc, y0 + panel / 4, (zb + zt) / 2), (w - 2 * panel, panel / 2, zt - zb), material)


def door_row(b: AssetBuilder, prefix: str, x0: float, x1: float, z0: float, z1: float, *, y_front: float,
             thickness: float = 0.018, max_width: float = 0.6, material: str | None = None,
             handle_z: float | None = None, max_angle: float = math.radians(110)) -> int:
    """Hinged doors side by side covering the opening x0..x1, z0..z1 with fronts at ``y_front``.

    Uses ceil(width / ``max_width``) doors named ``{prefix}0``, ``{prefix}1``...; a single door hinges on its left
    edge, pairs hinge on their outer edges. Returns the number of doors.
    """
    n = max(1, math.ceil((x1 - x0) / max_width - 1e-9))
    dw = (x1 - x0) / n
    for i in range(n):
        hinge = "left" if i % 2 == 0 else "right"
        hinged_door(b, f"{prefix}{i}", x0 + i * dw, x0 + (i + 1) * dw, z0, z1, hinge=hinge, thickness=thickness,
                    material=material, y_front=y_front, handle_z=handle_z, max_angle=max_angle)  # fmt: skip
    return n


def flap_door(b: AssetBuilder, name: str, x0: float, x1: float, z0: float, z1: float, *, y_front: float,
              thickness: float = 0.02, material: str | None = None, max_angle: float = math.radians(90),
              handle_z: float | None = None) -> None:
    """A door hinged along its bottom edge (oven, dishwasher) covering x0..x1, z0..z1 at ``y_front``.

    The joint ``{name}_hinge`` turns about -X through the door's bottom front edge, so opening lowers the top of
    the door outwards (towards +Y). A horizontal bar handle near the top stands :data:`DOOR_HANDLE_REACH` proud.
    """
    link = name
    xc, width = (x0 + x1) / 2, x1 - x0
    b.box(f"{name}_panel", (xc, y_front - thickness / 2, (z0 + z1) / 2), (width - 0.004, thickness, z1 - z0 - 0.004),
          material, link=link)  # fmt: skip
    hz = handle_z if handle_z is not None else z1 - min(0.05, (z1 - z0) * 0.15)
    bar = min(0.5, width * 0.7)
    b.box(f"{name}_handle", (xc, y_front + 0.02, hz), (bar, 0.012, 0.012), HANDLE_MATERIAL, link=link)
    for side, sx in (("l", -1), ("r", 1)):
        b.box(f"{name}_handle_post_{side}", (xc + sx * (bar / 2 - 0.006), y_front + 0.007, hz), (0.01, 0.014, 0.01),
              HANDLE_MATERIAL, link=link)  # fmt: skip
    b.joint(f"{name}_hinge", "revolute", link, (-1, 0, 0), (xc, y_front, z0), (0.0, max_angle))
    b.handle(f"{name}_handle", (xc, y_front + 0.02, hz), link=link, joint=f"{name}_hinge")


#: How far the grip tab of :func:`lid` sticks out in front of the lid, m.
LID_TAB_REACH = 0.015


def lid(b: AssetBuilder, name: str, x0: float, x1: float, y0: float, y1: float, z0: float, thickness: float, *,
        material: str | None = None, max_angle: float = math.radians(100), tab: bool = True) -> None:
    """A flat lid resting on z0 over x0..x1, y0..y1, hinged along its top back edge (chest, toilet, piano).

    The joint ``{name}_hinge`` turns about +X, lifting the front edge. With ``tab`` a grip tab sticks out
    :data:`LID_TAB_REACH` in front of y1; the handle anchor sits on it (else on the lid's front edge).
    """
    link = name
    xc = (x0 + x1) / 2
    b.box(f"{name}_panel", (xc, (y0 + y1) / 2, z0 + thickness / 2), (x1 - x0, y1 - y0, thickness), material, link=link)
    anchor = (xc, y1 - 0.01, z0 + thickness)
    if tab:
        tw = min(0.12, (x1 - x0) * 0.4)
        b.box(f"{name}_tab", (xc, y1 + LID_TAB_REACH / 2, z0 + thickness / 2), (tw, LID_TAB_REACH, thickness * 0.6),
              material, link=link)  # fmt: skip
        anchor = (xc, y1 + LID_TAB_REACH / 2, z0 + thickness / 2)
    b.joint(f"{name}_hinge", "revolute", link, (1, 0, 0), (xc, y0, z0 + thickness), (0.0, max_angle))
    b.handle(f"{name}_handle", anchor, link=link, joint=f"{name}_hinge")


def drawer_stack(b: AssetBuilder, prefix: str, x: float, width: float, z0: float, z1: float, n: int, depth: float,
                 *, y_front: float, heights: list[float] | None = None, front_material: str | None = None,
                 material: str | None = None) -> None:
    """``n`` drawers stacked in the opening x +- width/2, z0..z1, fronts at ``y_front``, named ``{prefix}0``... from
    the bottom; ``heights`` gives relative drawer heights (default equal)."""
    weights = heights or [1.0] * n
    if len(weights) != n:
        raise ValueError(f"expected {n} drawer heights, got {len(weights)}")
    total, z = sum(weights), z0
    for i, wgt in enumerate(weights):
        dh = (z1 - z0) * wgt / total
        drawer(b, f"{prefix}{i}", x, z + dh / 2, width, dh, depth, y_front=y_front, front_material=front_material,
               material=material)
        z += dh


def ellipse(width: float, depth: float, segments: int = 24) -> list[tuple[float, float]]:
    """An x-y polygon approximating an ellipse of full extents ``width`` x ``depth`` (segments divisible by 4
    put vertices on the axes, so the polygon's bounding box is exactly width x depth)."""
    return [(width / 2 * math.cos(2 * math.pi * k / segments), depth / 2 * math.sin(2 * math.pi * k / segments))
            for k in range(segments)]  # fmt: skip


def feet(b: AssetBuilder, height: float, radius: float, inset: float, material: str = "black plastic",
         prefix: str = "foot") -> None:
    """Four short round feet (appliances, cabinets) at the corners, ``inset`` from the footprint edges."""
    for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
        b.cylinder(f"{prefix}_{i}", (sx * (b.w / 2 - inset - radius), sy * (b.d / 2 - inset - radius), height / 2),
                   radius, height, material)  # fmt: skip
