"""Ready-made scenes: the hand-written bedroom of ``make demo`` and seeded N-object scenes for tests and
benchmarks. Both are built with the ``Scene`` constructor from public asset look-ups, so they double as usage
examples.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from scene_gym.assets import build_asset, factories, get_factory
from scene_gym.scene import COMPASS_YAW, Light, Opening, Room, Scene, SceneObject


def surface_world_center(parent: SceneObject, surface: str) -> tuple[np.ndarray, Any]:
    """World (3,) centre of a named support surface of a scene object, and the surface record."""
    asset = build_asset(parent.category, parent.size, parent.params, parent.seed, parent.material or None)
    for s in asset.surfaces:
        if s.name == surface:
            local = np.append(np.asarray(s.center), 1.0)
            return (parent.transform() @ local)[:3], s
    raise KeyError(f"{parent.id} ({parent.category}) has no surface {surface!r}; has {[s.name for s in asset.surfaces]}")


class _Objects:
    """Objects collected for a new scene, named ``<category>_<n>`` as :meth:`Scene.next_id` would name them."""

    def __init__(self, objects=()):
        self.by_id: dict[str, SceneObject] = {o.id: o for o in objects}

    def new(self, category: str, **fields: Any) -> SceneObject:
        n = 1 + max((int(i.rsplit("_", 1)[1]) for i in self.by_id if i.rsplit("_", 1)[0] == category), default=0)
        obj = SceneObject(id=f"{category}_{n}", category=category, **fields)
        self.by_id[obj.id] = obj
        return obj


def build_from_spec(scene: Scene, entries: Iterable[Mapping[str, Any]]) -> Scene:
    """A new scene: ``scene`` (room, objects, lights, prompt, metadata) plus the objects described by plain dicts.

    Each entry: ``category``; either ``at`` (x, y) on the floor or ``on`` (parent id, surface name) with an
    optional ``offset`` (dx, dy) in the parent's frame; optional ``facing`` (compass word) or ``yaw``
    (radians), ``size`` (default: the category's), ``material``, ``params``, ``seed``. ``scene`` is not changed.
    """
    objects = _Objects(scene.objects)
    for entry in entries:
        factory = get_factory(entry["category"])
        size = tuple(entry.get("size", factory.default_size))
        yaw = entry.get("yaw", COMPASS_YAW[entry.get("facing", "north")])
        fields = {"size": size, "yaw": yaw, "material": entry.get("material", factory.default_material),
                  "params": dict(entry.get("params", {})), "seed": int(entry.get("seed", 0))}  # fmt: skip
        if "on" in entry:
            parent_id, surface = entry["on"]
            parent = objects.by_id[parent_id]
            center, _ = surface_world_center(parent, surface)
            dx, dy = entry.get("offset", (0.0, 0.0))
            c, s = math.cos(parent.yaw), math.sin(parent.yaw)
            pos = (center[0] + c * dx - s * dy, center[1] + s * dx + c * dy, center[2])
            objects.new(entry["category"], position=pos, parent=parent_id, **fields)
        elif factory.placement == "ceiling":
            x, y = entry["at"]
            objects.new(entry["category"], position=(x, y, scene.room.wall_height - size[2]), parent="ceiling",
                        **fields)  # fmt: skip
        elif factory.placement == "wall":
            x, y = entry["at"]
            objects.new(entry["category"], position=(x, y, entry.get("z", 1.4)), parent="wall", **fields)
        else:
            x, y = entry["at"]
            objects.new(entry["category"], position=(x, y, 0.0), **fields)
    return Scene(scene.room, objects.by_id.values(), scene.lights, scene.prompt, scene.metadata, scene.definitions)


#: The hand-written bedroom that ``make demo`` builds (room 4.2 m x 4.8 m, door on the south wall).
BEDROOM_SPEC: list[dict[str, Any]] = [
    {"category": "bed", "at": (2.1, 3.75), "facing": "south", "size": (1.6, 2.1, 1.0), "material": "grey fabric"},
    {"category": "nightstand", "at": (0.95, 4.55), "facing": "south"},
    {"category": "nightstand", "at": (3.25, 4.55), "facing": "south"},
    {"category": "wardrobe", "at": (3.85, 1.3), "facing": "west", "size": (1.2, 0.6, 2.1)},
    {"category": "dresser", "at": (0.28, 1.6), "facing": "east", "size": (1.0, 0.5, 0.85)},
    {"category": "desk", "at": (2.6, 0.35), "facing": "north", "size": (1.2, 0.6, 0.75)},
    {"category": "office_chair", "at": (2.6, 0.95), "facing": "south"},
    {"category": "rug", "at": (2.1, 2.3), "size": (1.6, 1.2, 0.01), "material": "beige wool"},
    {"category": "table_lamp", "on": ("nightstand_1", "top")},
    {"category": "table_lamp", "on": ("nightstand_2", "top")},
    {"category": "book", "on": ("desk_1", "top"), "offset": (-0.35, 0.0)},
    {"category": "laptop", "on": ("desk_1", "top"), "offset": (0.1, 0.0)},
    {"category": "potted_plant", "on": ("dresser_1", "top"), "offset": (0.25, 0.0)},
    {"category": "vase", "on": ("dresser_1", "top"), "offset": (-0.25, 0.0)},
    {"category": "ceiling_light", "at": (2.1, 2.4)},
]


def bedroom_scene() -> Scene:
    """A furnished 4.2 m x 4.8 m bedroom built from :data:`BEDROOM_SPEC` with a door, a window and lights."""
    room = Room.rectangle(4.2, 4.8, type="bedroom", floor_material="oak wood", wall_material="white paint",
                          openings=(Opening(id="door_1", kind="door", wall=0, offset=0.9, width=0.9, height=2.05),
                                    Opening(id="window_1", kind="window", wall=3, offset=2.4, width=1.2,
                                            height=1.2, sill=0.9)))  # fmt: skip
    lights = (Light(id="light_1", kind="area", position=(2.1, 2.4, 2.7), intensity=300.0, size=1.0),
              Light(id="light_2", kind="sun", position=(2.1, 2.4, 5.0), direction=(0.3, -0.4, -1.0), intensity=2.0))
    scene = Scene(room, lights=lights, prompt="A cosy bedroom with a double bed, two nightstands with lamps, a "
                                              "wardrobe, a dresser and a small desk for a laptop.")  # fmt: skip
    return build_from_spec(scene, BEDROOM_SPEC)


def grid_scene(n_objects: int = 50, seed: int = 0, spacing: float = 0.4) -> Scene:
    """A collision-free scene of exactly ``n_objects`` for tests and benchmarks.

    Floor furniture of random categories stands on a grid (cells ``spacing`` apart beyond each object's
    footprint); then small objects are put on the base-link support surfaces of that furniture until the count
    is reached. Deterministic for ``seed``.
    """
    rng = np.random.default_rng(seed)
    all_f = factories()
    floor_cats = sorted(c for c, f in all_f.items() if f.placement == "floor" and not f.thin_covering
                        and not f.small and max(f.default_size[:2]) <= 2.2)  # fmt: skip
    small_cats = sorted(c for c, f in all_f.items() if f.small and f.placement == "surface")
    n_floor = max(1, int(math.ceil(n_objects * 0.6)))
    cols = int(math.ceil(math.sqrt(n_floor)))
    cell = 2.2 + spacing
    side = cols * cell
    objects = _Objects()
    receptacles = []
    for i in range(n_floor):
        cat = floor_cats[int(rng.integers(len(floor_cats)))]
        f = all_f[cat]
        r, c = divmod(i, cols)
        obj = objects.new(cat, position=(cell * (c + 0.5), cell * (r + 0.5), 0.0),
                          yaw=float(rng.choice([0.0, math.pi / 2, math.pi, -math.pi / 2])),
                          size=f.default_size, material=f.default_material, seed=int(rng.integers(1000)))  # fmt: skip
        asset = build_asset(cat, obj.size, obj.params, obj.seed, obj.material)
        for s in asset.surfaces:
            if s.link == "base" and min(s.size) >= 0.2 and s.clearance >= 0.25:
                receptacles.append((obj.id, s))
    while len(objects.by_id) < n_objects and receptacles and small_cats:
        parent_id, surf = receptacles.pop(0)
        cat = small_cats[int(rng.integers(len(small_cats)))]
        f = all_f[cat]
        size = f.clamp_size(f.default_size)
        if size[0] > surf.size[0] or size[1] > surf.size[1] or size[2] > surf.clearance:
            continue
        parent = objects.by_id[parent_id]
        center, _ = surface_world_center(parent, surf.name)
        # Same yaw as the parent, so the fit check above (in the parent's frame) holds in the world too.
        objects.new(cat, position=tuple(center), yaw=parent.yaw, size=size, material=f.default_material,
                    parent=parent_id)  # fmt: skip
    if len(objects.by_id) < n_objects:
        raise RuntimeError(f"grid_scene found surfaces for only {len(objects.by_id)} of {n_objects} objects")
    return Scene(Room.rectangle(side, side, type="living room"), objects.by_id.values(),
                 prompt=f"grid scene with {n_objects} objects", metadata={"generator": "grid_scene", "seed": seed})

