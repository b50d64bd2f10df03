"""Checks that a scene's objects refer to buildable assets (the scene layer itself cannot know the catalog).

- :func:`check_scene` is the catalog check every scene file or scene JSON passes where it enters the package
  (the CLI commands that read scene files, ``options["scene"]`` of the envs): each object's category must be
  in the catalog, its size within the category's range and its params declared by the category's program and
  within their declared ranges (:mod:`scene_gym.assets.params`). It builds nothing, so it takes time in
  proportion to the number of objects whatever the values, and its errors name the field:
  ``objects[3].params.n_drawers: expected an integer in [1, 8], got 10000000``. The scene's object programs
  (``scene.definitions``) are compiled first (:mod:`scene_gym.assets.programs`), so an object of a defined
  category is checked against its program's size range, and a bad program is named by its field:
  ``definitions.kiln_1a2b3c4d.parts[2].size[0]: expected a finite extent in [0.002, 5] m, got 0.0``.
- :func:`check_scene_assets` also builds every asset and checks the joint states against its joints (the
  exporters call it).
"""

from __future__ import annotations

from scene_gym.assets.factory import build_asset, get_factory
from scene_gym.errors import AssetError, SceneValidationError, UnknownCategoryError


class SceneCategoryError(UnknownCategoryError, SceneValidationError):
    """An object of a scene names a category the catalog does not have. It is both an
    :class:`UnknownCategoryError` (``name``, ``suggestions``) and a :class:`SceneValidationError`; the message
    starts with the object's field, ``objects[2].category: unknown category 'sofaa'; did you mean 'sofa'?``."""

    def __init__(self, field: str, name: str, suggestions: list[str] | None = None):
        super().__init__(name, suggestions)
        self.field = field
        self.args = (f"{field}: {self.args[0]}",)


def check_scene(scene):
    """Return ``scene`` when every object's category, size and params fit the catalog (module docstring);
    else raise :class:`SceneCategoryError` (unknown category) or :class:`SceneValidationError` naming
    ``objects[i].field`` (or ``definitions.<category>.<program field>``) and the value."""
    from scene_gym.assets.programs import program_factory
    from scene_gym.errors import ProgramError

    for category in scene.definitions:
        try:
            program_factory(category)
        except ProgramError as err:
            raise SceneValidationError(f"definitions.{category}.{err}" if err.field else
                                       f"definitions.{category}: {err}") from None  # fmt: skip
    for i, obj in enumerate(scene.objects):
        try:
            factory = get_factory(obj.category)
        except UnknownCategoryError as err:
            raise SceneCategoryError(f"objects[{i}].category", err.name, err.suggestions) from None
        try:
            factory.check_size(obj.size)
        except AssetError as err:
            raise SceneValidationError(f"objects[{i}].size: {err} for a {obj.category} ({obj.id})") from None
        try:
            factory.check_params(obj.params)
        except AssetError as err:  # the message starts with "params.<name>: "
            raise SceneValidationError(f"objects[{i}].{err} ({obj.id}, a {obj.category})") from None
    return scene


def check_scene_assets(scene) -> None:
    """Raise a scene-gym error naming the first object whose category, size, params or joints are invalid.

    Runs :func:`check_scene`, then builds every asset and checks that every joint state names a joint of the
    asset and lies within its limits.
    """
    check_scene(scene)
    for obj in scene.objects:
        try:
            asset = build_asset(obj.category, obj.size, obj.params, obj.seed, obj.material or None)
        except AssetError as err:
            raise SceneValidationError(f"{obj.id}: {err}") from None
        joints = {j.name: j for j in asset.joints}
        for name, q in obj.joints.items():
            if name not in joints:
                raise SceneValidationError(f"{obj.id}: unknown joint {name!r}; {obj.category} has {sorted(joints)}")
            lo, hi = joints[name].limits
            if not lo - 1e-9 <= q <= hi + 1e-9:
                raise SceneValidationError(f"{obj.id}: expected joint {name!r} in [{lo}, {hi}], got {q!r}")
