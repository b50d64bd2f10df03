"""scene-gym: 3D indoor scene synthesis as Gymnasium environments.

Importing this package is cheap (no torch, bpy, open_clip or transformers). The heavy layers import lazily.
"""

from scene_gym.errors import (
    AssetError,
    ExportError,
    MissingDependencyError,
    SceneGymError,
    SceneValidationError,
    UnknownCategoryError,
)
from scene_gym.scene import Light, Opening, Room, Scene, SceneObject

__version__ = "0.1.0"

__all__ = ["AssetError", "ExportError", "Light", "MissingDependencyError", "Opening", "Room", "Scene",
           "SceneGymError", "SceneObject", "SceneValidationError", "UnknownCategoryError", "__version__"]  # fmt: skip
