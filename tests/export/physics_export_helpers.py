"""Scenes and a deliberately broken category shared by the MJCF, URDF and SDF export tests."""

from __future__ import annotations

import numpy as np

from scene_gym.assets import factories, factory
from scene_gym.assets.factory import AssetFactory
from scene_gym.assets.parts import MeshData
from scene_gym.scene import Room, Scene, SceneObject

ARTICULATED = sorted(c for c, f in factories().items() if f.articulated)
BROKEN = "broken_gadget"


def single_object_scene(category: str, joints: dict[str, float] | None = None, yaw: float = 0.5) -> Scene:
    """One object of ``category`` at its default size, standing (or hung) in the middle of a big enough room."""
    f = factories()[category]
    side = max(4.0, 2 * max(f.default_size) + 2.0)
    z = 1.2 if f.placement == "wall" else (2.8 - f.default_size[2] if f.placement == "ceiling" else 0.0)
    parent = {"wall": "wall", "ceiling": "ceiling"}.get(f.placement, "floor")
    obj = SceneObject(id=f"{category}_1", category=category, position=(side / 2, side / 2, z), yaw=yaw,
                      size=f.default_size, material=f.default_material, parent=parent, joints=joints or {})  # fmt: skip
    return Scene(Room.rectangle(side, side, type="living room"), [obj])


class BrokenGadget(AssetFactory):
    """A box with a hinged lid whose lid mesh indexes vertices that do not exist."""

    category = BROKEN
    size_range = ((0.1, 0.1, 0.1), (1.0, 1.0, 1.0))
    default_size = (0.3, 0.3, 0.3)
    articulated = True

    def build(self, b, params):
        b.box("body", (0, 0, 0.1), (b.w, b.d, 0.2))
        verts = np.array([[0, 0, 0], [0.1, 0, 0], [0, 0.1, 0], [0, 0, 0.05]], dtype=float)
        faces = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 7]], dtype=np.int64)
        b.mesh("lid", (0, 0, 0.25), MeshData(verts, faces), link="lid")
        b.joint("lid_hinge", "revolute", "lid", (1, 0, 0), (0, -b.d / 2, 0.2), (0.0, 1.5))


def register_broken(monkeypatch) -> None:
    """Register :class:`BrokenGadget` for one test; monkeypatch removes it again afterwards."""
    factories()  # load the library first, so that undoing the patch leaves the library registered
    monkeypatch.setitem(factory._REGISTRY, BROKEN, BrokenGadget)


def _one_box(category: str) -> Scene:
    """A 3 x 3 m room with one 30 cm object of ``category`` (built with the constructor: the edit core refuses
    categories missing from the catalog)."""
    obj = SceneObject(id=f"{category}_1", category=category, position=(1.5, 1.5, 0.0), size=(0.3, 0.3, 0.3))
    return Scene(Room.rectangle(3.0, 3.0), [obj])


def broken_scene() -> Scene:
    return _one_box(BROKEN)


def unknown_category_scene() -> Scene:
    return _one_box("flux_capacitor")
