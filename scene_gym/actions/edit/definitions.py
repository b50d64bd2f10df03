"""Object definitions: add an object program to a scene, so that its category can be placed like a catalog one.

:func:`define_object` validates and compiles a program (:mod:`scene_gym.assets.programs`), stores it in the
scene's ``definitions`` under its content-addressed category (``kiln_1a2b3c4d``) and returns that category;
:func:`~scene_gym.actions.edit.add_object` and :func:`~scene_gym.actions.edit.place_on` then place instances
(ids ``kiln_1a2b3c4d_1``...) with sizes in the compiled range (the program's bounding box scaled by [0.5, 2]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scene_gym.actions.edit.lookup import as_edit_error, atomic
from scene_gym.errors import EditError, ProgramError
from scene_gym.scene import Scene, mutation


@atomic
def define_object(scene: Scene, program: Mapping[str, Any]) -> str:
    """Define an object from a program (JSON data, see :mod:`scene_gym.assets.programs.schema` for every field,
    unit and limit) and return its category. Defining the same program twice returns the same category and
    changes nothing.

    Raises :class:`~scene_gym.errors.EditError` whose ``field`` is the program's field path
    (``"parts[3].size[1]"``, ``"joints[0].limits"``) and whose message starts with it; the scene is then
    unchanged (``scene.to_json()`` byte-identical). A scene holds at most 32 definitions.
    """
    from scene_gym.assets.programs import define_program, program_of

    if not isinstance(program, Mapping):
        raise EditError(f"expected an object program (a mapping of fields), got {type(program).__name__}",
                        field="program")  # fmt: skip
    try:
        category = define_program(program)
    except ProgramError as err:
        raise EditError(str(err), field=err.field or "program") from None
    with as_edit_error("program"):
        mutation.add_definition(scene, category, program_of(category).to_data())
    return category


__all__ = ["define_object"]
