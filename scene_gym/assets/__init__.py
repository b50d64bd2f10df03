"""Procedural, part-wise assets (SceneCode style) and the catalog.

- :func:`build_asset` runs a category's program: (category, size, params, seed, material) -> :class:`Asset`.
- :func:`search` ranks categories for free text; :func:`resolve_name` says which category a name means (or that
  it is unresolved), with a score; :func:`resolve` returns that category or raises.
- :func:`size_prior` gives a typical size, class and placement for ~400 object nouns, most outside the catalog.
- :func:`resolve_material` turns "grey fabric" into colour, roughness, metalness and density.
- :func:`register_mesh_folder` adds a user's own GLB/OBJ meshes as categories.

The asset frame is the scene object frame: origin at the bottom-centre, +Y front, Z up (see ``parts``).
"""

from scene_gym.assets.catalog import Match, resolve, search
from scene_gym.assets.factory import AssetFactory, build_asset, factories, get_factory, register
from scene_gym.assets.materials import Material, resolve_material
from scene_gym.assets.mesh_assets import register_mesh_folder, unregister_mesh_assets
from scene_gym.assets.parts import Asset, Handle, Joint, Part, SupportSurface
from scene_gym.assets.resolver import RESOLVE_THRESHOLD, Resolution, resolve_name
from scene_gym.assets.size_prior import PriorEntry, prior_nouns, size_prior

__all__ = ["RESOLVE_THRESHOLD", "Asset", "AssetFactory", "Handle", "Joint", "Match", "Material", "Part", "PriorEntry",
           "Resolution", "SupportSurface", "build_asset", "factories", "get_factory", "prior_nouns", "register",
           "register_mesh_folder", "resolve", "resolve_material", "resolve_name", "search", "size_prior",
           "unregister_mesh_assets"]  # fmt: skip
