"""``define_object``: an object the catalog lacks, defined from a part-wise object program and placed like
``add_objects`` places catalog objects; and the names defined earlier in a trajectory.

A program is JSON data (every field, unit and limit: :mod:`scene_gym.assets.programs.schema`), validated and
compiled by :func:`scene_gym.actions.edit.define_object`, stored in the scene (so the scene file stays
self-contained) under a content-addressed category (``kiln_1a2b3c4d``); new ids are ``kiln_1a2b3c4d_1``...
Later calls place more by the defined name (``add_objects`` with ``category: "kiln"``).

A trajectory is validated before any call runs, so ``add_objects`` cannot yet see the definition a
``define_object`` before it will make: :func:`defining` marks the names defined so far (by the scene or by
earlier calls) while calls are validated, and :func:`is_defined_name` lets ``add_objects`` defer resolving such a
name to when it runs against the scene.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from pydantic import Field

from scene_gym.actions import edit
from scene_gym.actions.tools.base import Args, Context, Int, ObjectId, Outcome, Size3, Text, ToolError, edit_errors
from scene_gym.actions.tools.implementers import MAX_RELATIONS, check_relations, place_new
from scene_gym.errors import EditError

_DEFINED: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("scene_gym_defined_names",
                                                                          default=frozenset())  # fmt: skip


def name_key(name: str) -> str:
    """The form defined names are compared in: lowercase, spaces, hyphens and underscores alike."""
    return "_".join(str(name).lower().replace("-", " ").replace("_", " ").split())


@contextlib.contextmanager
def defining(names: Iterable[str]) -> Iterator[None]:
    """Within the block, :func:`is_defined_name` is True for ``names`` (and names already marked)."""
    token = _DEFINED.set(_DEFINED.get() | {name_key(n) for n in names})
    try:
        yield
    finally:
        _DEFINED.reset(token)


def is_defined_name(name: Any) -> bool:
    """Whether ``name`` was marked by an enclosing :func:`defining` block."""
    return isinstance(name, str) and name_key(name) in _DEFINED.get()


def scene_names(scene) -> list[str]:
    """The names of the objects defined in ``scene`` (from its stored programs)."""
    return [str(p.get("name", "")) for p in scene.definitions.values()] if scene is not None else []


@lru_cache(maxsize=1)
def _program_schema() -> dict[str, Any]:
    from scene_gym.actions.tools.schema import inline_schema
    from scene_gym.assets.programs import ObjectProgram

    schema = _plain_arrays(inline_schema(ObjectProgram.model_json_schema()))
    schema["properties"].pop("name", None)  # given once, as the tool's `name`
    handle = schema["properties"]["joints"]["items"]["properties"]["handle"]
    handle.clear()
    handle.update({"description": "the part the gripper grasps, or a point [x, y, z] in the moving part's frame",
                   "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "number"}, "minItems": 3,
                                                   "maxItems": 3}]})  # fmt: skip
    schema["required"] = [r for r in schema.get("required", []) if r != "name"]
    return schema


def _plain_arrays(node: Any) -> Any:
    """Tuples as function-calling APIs take them: ``prefixItems`` of one type become ``items`` of that type."""
    if isinstance(node, list):
        return [_plain_arrays(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _plain_arrays(v) for k, v in node.items()}
    prefix = out.pop("prefixItems", None)
    if prefix is not None:
        out["items"] = prefix[0] if all(p == prefix[0] for p in prefix) else {"anyOf": prefix}
    return out


def _program_schema_extra(schema: dict[str, Any]) -> None:
    schema.update({k: v for k, v in _program_schema().items() if k != "description"})


class DefineObjectArgs(Args):
    name: Text = Field(min_length=1, max_length=48, description="what the object is called, e.g. 'pottery wheel'; "
                                                                "later add_objects calls may use it as category")  # fmt: skip
    program: dict[str, Any] = Field(json_schema_extra=_program_schema_extra, description=(
        "the object as parts (box, cylinder, cone, sphere, lathe, extrusion or a catalog asset) with transforms "
        "relative to their parent part, joints (revolute/prismatic, axis, limits, handle), support surfaces and a "
        "placement; metres and radians"))
    count: Int = Field(1, ge=0, le=20, description="how many to place (0: define only)")
    size: Size3 | None = Field(None, min_length=3, max_length=3, description=(
        "[width, depth, height] in metres, within half to twice the program's own size; default: its size"))
    material: Text | None = Field(None, max_length=128, description="e.g. 'walnut wood'; default: the program's")
    parent: ObjectId | None = Field(None, description="id of the object to put the new ones on (surface objects)")
    relations: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_RELATIONS, description=(
        "relations to satisfy; leave out 'subject' to mean each new object"))

    def finish(self) -> DefineObjectArgs:
        from scene_gym.assets.programs import parse_program
        from scene_gym.errors import ProgramError

        given = self.program.get("name", self.name)
        if given != self.name:
            raise ToolError(f"expected the program's name to match `name` ({self.name!r}), got {given!r}",
                            field="args.program.name")  # fmt: skip
        try:
            parse_program({**self.program, "name": self.name})
        except ProgramError as err:
            path = err.field if err.field and err.field != "name" else None
            raise ToolError(err.reason, field="args.program" + (f".{path}" if path else "")) from None
        check_relations(self.relations)
        return self


def run_define_object(ctx: Context, args: DefineObjectArgs) -> Outcome:
    """Define the program in the scene, then place ``count`` instances as ``add_objects`` does."""
    try:
        category = edit.define_object(ctx.scene, {**args.program, "name": args.name})
    except EditError as err:
        path = err.field if err.field not in (None, "", "program") else None
        raise ToolError(err.reason, field="args.program" + (f".{path}" if path else "")) from None
    with edit_errors({}):
        size = None if args.size is None else list(edit.check_size(category, args.size))
    if args.count == 0:
        return Outcome(True, f"defined {args.name!r} as {category}; nothing placed", {"category": category})
    out = place_new(ctx, category, args.count, size, args.material, args.parent, args.relations)
    return Outcome(out.ok, f"defined {args.name!r} as {category}; {out.message}", {**out.details,
                                                                                   "category": category})  # fmt: skip


__all__ = ["DefineObjectArgs", "defining", "is_defined_name", "name_key", "run_define_object", "scene_names"]
