"""Small tableware on surfaces: bowls, cups, plates (lathed profiles)."""

from __future__ import annotations

from scene_gym.assets.registry import AssetFactory, register


@register
class Bowl(AssetFactory):
    category = "bowl"
    synonyms = ("soup bowl", "salad bowl", "fruit bowl")
    description = "A round bowl for food, turned from a curved profile."
    size_range = ((0.08, 0.08, 0.04), (0.35, 0.35, 0.15))
    default_size = (0.16, 0.16, 0.07)
    default_material = "white ceramic"
    placement = "surface"
    small = True
    rooms = ("kitchen", "dining room", "restaurant", "studio apartment")

    def build(self, b, params):
        r, h, t = min(b.w, b.d) / 2, b.h, max(0.004, min(b.w, b.d) * 0.03)
        foot = r * 0.45
        profile = [(0.0, 0.0), (foot, 0.0), (foot, 0.006), (r * 0.8, h * 0.45), (r, h), (r - t, h),
                   (r * 0.8 - t, h * 0.45), (foot - t, 0.006 + t), (0.0, 0.006 + t)]  # fmt: skip
        b.lathe("body", (0, 0, 0), profile)
        b.surface("inside", (0, 0, 0.006 + t), (foot * 1.2, foot * 1.2), clearance=h)
