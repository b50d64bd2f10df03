"""Apply one validated tool call to a scene as a transaction."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pydantic

from scene_gym.actions.tools.base import Context, ToolCall, ToolError, ToolResult, tool_field
from scene_gym.errors import EditError, LayoutError, SceneGymError
from scene_gym.scene import Scene


def _field_of(err: SceneGymError) -> str | None:
    """The argument path of an edit-core error (its ``field`` under ``args.``), or a best-effort one from a lower
    layer's message (``relations[1] (near): ...``)."""
    if isinstance(err, EditError):
        return tool_field(err)
    text = str(err)
    head = text.split(":", 1)[0]
    if isinstance(err, LayoutError) and head.startswith("relations["):
        return "args." + head.split(" ", 1)[0]
    return None


def apply_tool(scene: Scene, call: ToolCall | dict, *, rng: np.random.Generator, world: Any = None,
               nominal_cost_s: float | None = None, time_budget_s: float = 1.0) -> ToolResult:  # fmt: skip
    """Apply ``call`` to ``scene`` in place; on any error the scene is exactly as before.

    Args:
        scene: the scene, modified in place on success.
        call: a :class:`ToolCall` (from :func:`validate_call`) or a raw call dict (validated here, index 0).
        rng: the only source of randomness (solver seeds, crowd sampling); same rng state and scene -> same
            result.
        world: a :class:`~scene_gym.physics.PhysicsWorld` that lives across calls (one per environment),
            synced to the scene only by tools that need physics (``optimize_physics``); None creates and closes a
            temporary one when needed.
        nominal_cost_s: overrides the tool's nominal cost for this call, seconds.
        time_budget_s: soft wall-time budget of each layout solve, seconds (the solver is deterministic for a
            seed as long as it stays within it).

    Returns a :class:`ToolResult`; ``cost_s = wall_time_s + nominal cost``.

    Raises :class:`ToolError` naming the call index, the tool and the argument when the call cannot be applied
    (unknown object id, size outside the category's range...). Lower layers' errors (layout, assets, scene
    validation) are turned into ``ToolError``; other exceptions are bugs and propagate, also after restoring
    the scene.
    """
    from scene_gym.actions.tools import TOOLS
    from scene_gym.actions.tools.validate import validate_call

    if not isinstance(scene, Scene):
        raise ToolError(f"expected a Scene, got {type(scene).__name__}", field="scene")
    if not isinstance(rng, np.random.Generator):
        raise ToolError(f"expected a numpy.random.Generator, got {type(rng).__name__}", field="rng")
    from scene_gym.actions.tools.definitions import defining, scene_names

    if not isinstance(call, ToolCall):
        call = validate_call(call, defined=scene_names(scene))
    tool = TOOLS.get(call.tool)
    if tool is None:
        raise ToolError(f"unknown tool {call.tool!r}", index=call.index, field="tool")
    cost = tool.nominal_cost_s if nominal_cost_s is None else float(nominal_cost_s)
    if not math.isfinite(cost) or cost < 0:
        raise ToolError(f"expected a non-negative nominal cost in seconds, got {nominal_cost_s!r}", index=call.index,
                        tool=call.tool, field="nominal_cost_s")  # fmt: skip
    if not isinstance(call.args, tool.args_model):
        raise ToolError(f"expected arguments of type {tool.args_model.__name__}, got {type(call.args).__name__}",
                        index=call.index, tool=call.tool, field="args")  # fmt: skip
    try:
        with defining(scene_names(scene)):
            args = call.args.finish()
    except ToolError as err:
        raise err.at(call.index, call.tool) from None
    ctx = Context(scene=scene, rng=rng, world=world, time_budget_s=time_budget_s)
    before = {o.id: o for o in scene.objects}
    t0 = time.perf_counter()
    try:
        with scene.transaction():
            try:
                outcome = tool.run(ctx, args)
            except ToolError as err:
                raise err.at(call.index, call.tool) from None
            except SceneGymError as err:
                raise ToolError(str(err), index=call.index, tool=call.tool, field=_field_of(err)) from None
            except pydantic.ValidationError as err:
                first = err.errors(include_url=False)[0]
                raise ToolError(f"the result would be invalid: {first['msg']} at {list(first['loc'])}",
                                index=call.index, tool=call.tool) from None  # fmt: skip
    finally:
        ctx.close()
    wall = time.perf_counter() - t0
    after = scene.objects
    changed = [o.id for o in after if before.get(o.id) != o]
    ids_after = {o.id for o in after}
    changed += [oid for oid in before if oid not in ids_after]
    return ToolResult(tool=call.tool, ok=outcome.ok, message=outcome.message, changed_ids=changed, wall_time_s=wall,
                      cost_s=wall + cost, terminate=outcome.terminate, details=outcome.details)  # fmt: skip
