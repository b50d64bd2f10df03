"""Checks that a scene's objects refer to buildable assets (the scene layer itself cannot know the catalog)."""

from __future__ import annotations

from scene_gym.assets.factory import build_asset, get_factory
from scene_gym.errors import AssetError, SceneValidationError, UnknownCategoryError


def check_scene_assets(scene) -> None:
    """Raise a scene-gym error naming the first object whose category, size, params or joints are invalid.

    Checks that every category is in the catalog, every size within its category's range, every parameter
    known, and every joint state names a joint of the asset and lies within its limits.
    """
    for obj in scene.objects:
        try:
            get_factory(obj.category)
            asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
        except UnknownCategoryError as err:
            raise UnknownCategoryError(err.name, err.suggestions) from None
        except AssetError as err:
            raise SceneValidationError(f"{obj.id}: {err}") from None
        joints = {j.name: j for j in asset.joints}
        for name, q in obj.joints.items():
            if name not in joints:
                raise SceneValidationError(f"{obj.id}: unknown joint {name!r}; {obj.category} has {sorted(joints)}")
            lo, hi = joints[name].limits
            if not lo - 1e-9 <= q <= hi + 1e-9:
                raise SceneValidationError(f"{obj.id}: expected joint {name!r} in [{lo}, {hi}], got {q!r}")
