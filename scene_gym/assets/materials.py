"""Natural-language material descriptions resolved to physically based parameters.

``resolve_material("grey fabric")`` finds the base material named in the text (fabric) and applies any colour
word (grey) to it. Every backend (MuJoCo, pybullet, trimesh/GLB, Blender) and the mass computation read the
same :class:`Material`, so an object looks and weighs the same everywhere.

Density is in kg/m³ and applies to the *solid volume* of a part. Upholstery, foam and the like are given
effective densities for the stuffed volume, so that a sofa built from solid boxes weighs what a sofa weighs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scene_gym.errors import SceneGymError


@dataclass(frozen=True)
class Material:
    """Physically based material parameters.

    Attributes:
        name: canonical base-material name, e.g. ``"oak wood"``.
        rgba: linear base colour and alpha, each in [0, 1].
        roughness, metalness: PBR parameters in [0, 1].
        density: kg/m³ of solid part volume.
        friction: Coulomb friction coefficient used by the physics exports.
    """

    name: str
    rgba: tuple[float, float, float, float]
    roughness: float
    metalness: float
    density: float
    friction: float = 0.8

    @property
    def rgb(self) -> tuple[float, float, float]:
        """Base colour without alpha."""
        return self.rgba[:3]

    @property
    def rgb8(self) -> tuple[int, int, int]:
        """Base colour as 0-255 integers (sRGB-agnostic; used for previews)."""
        return tuple(int(round(255 * c)) for c in self.rgba[:3])


def _m(name, rgb, roughness, metalness, density, alpha=1.0, friction=0.8):
    return Material(name, (*rgb, alpha), roughness, metalness, density, friction)


#: Base materials keyed by canonical name. Synonyms map onto these in :data:`MATERIAL_SYNONYMS`.
BASE_MATERIALS: dict[str, Material] = {m.name: m for m in [
    _m("oak wood", (0.64, 0.47, 0.29), 0.55, 0.0, 700),
    _m("walnut wood", (0.36, 0.23, 0.14), 0.5, 0.0, 650),
    _m("pine wood", (0.80, 0.66, 0.45), 0.6, 0.0, 500),
    _m("birch wood", (0.85, 0.75, 0.60), 0.55, 0.0, 650),
    _m("cherry wood", (0.55, 0.27, 0.17), 0.5, 0.0, 600),
    _m("bamboo", (0.78, 0.68, 0.45), 0.55, 0.0, 700),
    _m("plywood", (0.75, 0.62, 0.44), 0.65, 0.0, 600),
    _m("mdf", (0.70, 0.65, 0.58), 0.7, 0.0, 750),
    _m("fabric", (0.55, 0.55, 0.55), 0.95, 0.0, 250, friction=1.0),
    _m("velvet", (0.45, 0.12, 0.18), 0.9, 0.0, 250, friction=1.0),
    _m("linen", (0.85, 0.82, 0.75), 0.95, 0.0, 250, friction=1.0),
    _m("cotton", (0.92, 0.92, 0.90), 0.95, 0.0, 200, friction=1.0),
    _m("wool", (0.80, 0.76, 0.70), 0.98, 0.0, 200, friction=1.0),
    _m("leather", (0.35, 0.20, 0.12), 0.6, 0.0, 400, friction=0.9),
    _m("foam", (0.90, 0.90, 0.88), 0.95, 0.0, 60, friction=1.0),
    _m("steel", (0.62, 0.63, 0.65), 0.35, 1.0, 7850, friction=0.6),
    _m("brushed steel", (0.66, 0.67, 0.69), 0.45, 1.0, 7850, friction=0.6),
    _m("stainless steel", (0.72, 0.73, 0.75), 0.3, 1.0, 7900, friction=0.6),
    _m("black metal", (0.08, 0.08, 0.09), 0.45, 1.0, 7850, friction=0.6),
    _m("aluminium", (0.80, 0.81, 0.83), 0.35, 1.0, 2700, friction=0.6),
    # Appliance and metal-furniture panels are ~1 mm steel sheet, modelled as 1-2 cm thick boxes: an effective
    # density of about a tenth of steel's keeps a filing cabinet near 40 kg instead of 400 kg.
    _m("sheet steel", (0.72, 0.73, 0.75), 0.35, 1.0, 800, friction=0.6),
    _m("chrome", (0.90, 0.90, 0.92), 0.1, 1.0, 7200, friction=0.5),
    _m("brass", (0.78, 0.60, 0.30), 0.3, 1.0, 8500, friction=0.6),
    _m("gold", (0.95, 0.76, 0.34), 0.25, 1.0, 19300, friction=0.6),
    _m("copper", (0.85, 0.50, 0.35), 0.3, 1.0, 8960, friction=0.6),
    _m("white marble", (0.93, 0.92, 0.90), 0.2, 0.0, 2700, friction=0.6),
    _m("marble", (0.88, 0.87, 0.85), 0.2, 0.0, 2700, friction=0.6),
    _m("granite", (0.35, 0.34, 0.34), 0.3, 0.0, 2750, friction=0.7),
    _m("stone", (0.55, 0.53, 0.50), 0.8, 0.0, 2400),
    _m("concrete", (0.60, 0.60, 0.58), 0.9, 0.0, 2300),
    _m("ceramic", (0.95, 0.95, 0.93), 0.15, 0.0, 2300, friction=0.6),
    _m("porcelain", (0.97, 0.97, 0.96), 0.1, 0.0, 2400, friction=0.6),
    _m("tile", (0.90, 0.90, 0.88), 0.2, 0.0, 2300, friction=0.6),
    _m("glass", (0.85, 0.92, 0.95), 0.05, 0.0, 2500, alpha=0.35, friction=0.5),
    _m("plastic", (0.85, 0.85, 0.85), 0.45, 0.0, 950, friction=0.7),
    _m("rubber", (0.12, 0.12, 0.12), 0.9, 0.0, 1100, friction=1.2),
    _m("paper", (0.95, 0.94, 0.90), 0.9, 0.0, 800),
    _m("cardboard", (0.70, 0.55, 0.38), 0.9, 0.0, 500),
    _m("rattan", (0.76, 0.60, 0.38), 0.75, 0.0, 450),
    _m("wicker", (0.72, 0.56, 0.34), 0.8, 0.0, 450),
    _m("white paint", (0.92, 0.92, 0.90), 0.8, 0.0, 700),
    _m("lacquer", (0.90, 0.90, 0.90), 0.25, 0.0, 750),
    _m("carpet", (0.55, 0.50, 0.45), 1.0, 0.0, 300, friction=1.1),
    _m("soil", (0.30, 0.22, 0.15), 1.0, 0.0, 1300),
    _m("leaves", (0.22, 0.50, 0.20), 0.7, 0.0, 300),
    _m("screen", (0.03, 0.03, 0.05), 0.1, 0.0, 2500, friction=0.5),
    _m("light emitter", (1.0, 0.97, 0.88), 0.3, 0.0, 800),
    _m("water", (0.55, 0.75, 0.85), 0.05, 0.0, 1000, alpha=0.6),
]}  # fmt: skip

#: Words (or two-word phrases) that name a base material.
MATERIAL_SYNONYMS: dict[str, str] = {
    "oak": "oak wood", "wood": "oak wood", "wooden": "oak wood", "timber": "oak wood", "hardwood": "oak wood",
    "walnut": "walnut wood", "pine": "pine wood", "birch": "birch wood", "cherry": "cherry wood",
    "maple": "birch wood", "teak": "walnut wood", "mahogany": "cherry wood", "ash": "oak wood",
    "fabric": "fabric", "cloth": "fabric", "upholstery": "fabric", "upholstered": "fabric", "textile": "fabric",
    "velvet": "velvet", "linen": "linen", "cotton": "cotton", "wool": "wool", "woolen": "wool", "felt": "wool",
    "leather": "leather", "suede": "leather", "foam": "foam", "metal": "steel", "metallic": "steel",
    "iron": "black metal", "steel": "steel", "stainless": "stainless steel", "brushed": "brushed steel",
    "aluminium": "aluminium", "aluminum": "aluminium", "sheet": "sheet steel", "chrome": "chrome", "brass": "brass", "gold": "gold",
    "golden": "gold", "copper": "copper", "marble": "marble", "granite": "granite", "stone": "stone",
    "concrete": "concrete", "cement": "concrete", "ceramic": "ceramic", "porcelain": "porcelain", "tile": "tile",
    "tiles": "tile", "glass": "glass", "plastic": "plastic", "acrylic": "plastic", "vinyl": "plastic",
    "rubber": "rubber", "paper": "paper", "cardboard": "cardboard", "rattan": "rattan", "wicker": "wicker",
    "paint": "white paint", "painted": "white paint", "lacquer": "lacquer", "lacquered": "lacquer",
    "laminate": "mdf", "mdf": "mdf", "plywood": "plywood", "bamboo": "bamboo", "carpet": "carpet",
    "soil": "soil", "leaves": "leaves", "leaf": "leaves", "screen": "screen", "water": "water",
}  # fmt: skip

#: Colour words -> linear RGB. Applied on top of the base material's colour.
COLOURS: dict[str, tuple[float, float, float]] = {
    "white": (0.92, 0.92, 0.90), "black": (0.05, 0.05, 0.05), "grey": (0.5, 0.5, 0.5), "gray": (0.5, 0.5, 0.5),
    "charcoal": (0.18, 0.18, 0.19), "silver": (0.75, 0.75, 0.77), "red": (0.70, 0.10, 0.10),
    "burgundy": (0.40, 0.05, 0.10), "pink": (0.95, 0.60, 0.70), "orange": (0.95, 0.50, 0.12),
    "yellow": (0.95, 0.85, 0.20), "mustard": (0.80, 0.65, 0.15), "beige": (0.85, 0.78, 0.65),
    "cream": (0.95, 0.92, 0.82), "ivory": (0.97, 0.95, 0.88), "tan": (0.76, 0.62, 0.45),
    "brown": (0.40, 0.26, 0.15), "green": (0.20, 0.55, 0.25), "olive": (0.45, 0.45, 0.20),
    "sage": (0.60, 0.68, 0.55), "teal": (0.10, 0.50, 0.50), "turquoise": (0.25, 0.75, 0.75),
    "blue": (0.15, 0.30, 0.75), "navy": (0.06, 0.10, 0.30), "light blue": (0.60, 0.78, 0.92),
    "purple": (0.45, 0.20, 0.55), "lavender": (0.72, 0.65, 0.85), "dark": (0.15, 0.15, 0.15),
}  # fmt: skip

DEFAULT_MATERIAL = "plastic"
_WORD = re.compile(r"[a-z]+")


class UnknownMaterialError(SceneGymError):
    """No base material or colour word was recognised in a material description."""


@lru_cache(maxsize=4096)
def resolve_material(description: str, *, strict: bool = False) -> Material:
    """Map a description such as ``"grey fabric"`` or ``"brushed steel"`` to a :class:`Material`.

    The longest known base-material phrase wins (``"white marble"`` before ``"marble"``); a colour word, if
    present, replaces the colour. Unknown text gives the default material (plastic), or with ``strict`` raises
    :class:`UnknownMaterialError` naming the description.
    """
    text = " ".join(_WORD.findall(str(description).lower()))
    base: Material | None = None
    for name in sorted(BASE_MATERIALS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", text):
            base = BASE_MATERIALS[name]
            break
    if base is None:
        for word in text.split():
            if word in MATERIAL_SYNONYMS:
                base = BASE_MATERIALS[MATERIAL_SYNONYMS[word]]
                break
    colour = None
    for name in sorted(COLOURS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", text):
            colour = COLOURS[name]
            break
    if base is None and colour is None and strict:
        raise UnknownMaterialError(
            f"expected a material description such as 'oak wood' or 'grey fabric', got {description!r}"
        )
    base = base or BASE_MATERIALS[DEFAULT_MATERIAL]
    if colour is None:
        return base
    name = f"{text}" if text else base.name
    return Material(name, (*colour, base.rgba[3]), base.roughness, base.metalness, base.density, base.friction)
