"""scene-gym: 3D indoor scene synthesis as Gymnasium environments.

Importing this package is cheap (no torch, bpy, open_clip or transformers). The heavy layers import lazily.
"""

import os as _os

# MuJoCo fixes its GL platform when it is first imported, by whichever module comes first; without a display
# the only platform that works is EGL (software or GPU), so default to it before any submodule imports mujoco.
if not (_os.environ.get("DISPLAY") or _os.environ.get("WAYLAND_DISPLAY")):
    _os.environ.setdefault("MUJOCO_GL", "egl")

from scene_gym.errors import (
    AssetError,
    ExportError,
    LayoutError,
    MissingDependencyError,
    ParseError,
    RenderError,
    RewardError,
    SceneGymError,
    SceneValidationError,
    SpecError,
    UnknownCategoryError,
)
from scene_gym.scene import Light, Opening, Room, Scene, SceneObject

__version__ = "0.1.0"

__all__ = ["AssetError", "ExportError", "LayoutError", "Light", "MissingDependencyError", "Opening", "ParseError",
           "RenderError",
           "RewardError", "Room", "Scene", "SceneGymError", "SceneObject", "SceneValidationError", "SpecError",
           "UnknownCategoryError", "__version__"]  # fmt: skip

# Gymnasium ids (SceneSynth-v0 ...): registered without importing any environment module.
from scene_gym.envs import register_envs as _register_envs  # noqa: E402

_register_envs()
