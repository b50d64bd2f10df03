"""The records of the tool set: :class:`Tool`, :class:`ToolCall`, :class:`ToolResult`, :class:`ToolError`, the
argument base model and the typed fields the tools' argument models share.

Argument models are pydantic models with ``extra="forbid"`` and finite floats only. Numbers are strict (a JSON
string ``"3"`` or a boolean is not a number), strings are strict (no number-to-text coercion), lists arrive as
JSON arrays. Every tool's arguments therefore have one JSON Schema (:meth:`Tool.json_schema`) that is exactly
what the validator accepts.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from scene_gym.errors import EditError, SceneGymError

if TYPE_CHECKING:
    from scene_gym.physics import PhysicsWorld
    from scene_gym.scene import Scene

CATEGORIES = ("initializer", "implementer", "modifier", "finisher")
"""Tool categories, as in SceneWeaver: initializers start a scene, implementers add content, modifiers change
what is there, finishers end the episode."""

# --- shared argument types --------------------------------------------------------------------------------
Num = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""A finite JSON number (integers accepted; strings, booleans, NaN and infinities rejected)."""
Int = Annotated[int, Field(strict=True)]
"""A JSON integer (booleans and numeric strings rejected)."""
Bool = StrictBool
Text = StrictStr
ObjectId = Annotated[StrictStr, Field(min_length=3, max_length=96, pattern=r"^[a-z][a-z0-9_]*_[0-9]+$",
                                      description="an object id such as 'bed_1'")]  # fmt: skip
Compass = Literal["north", "south", "east", "west"]


def size3(description: str, default: Any = None):
    """A (width, depth, height) field in metres: a JSON array of three positive finite numbers, or null."""
    return Field(default=default, min_length=3, max_length=3, description=description)


Size3 = list[Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0.0, le=50.0)]]


class Args(BaseModel):
    """Base of every tool's arguments: unknown fields are errors, floats are finite, records are frozen."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True, validate_default=True,
                              hide_input_in_errors=False)  # fmt: skip

    def finish(self) -> Args:
        """Checks that need more than one field or the asset catalog (categories, size ranges, relation dicts);
        returns the arguments with names resolved (a synonym turned into its category). Raises
        :class:`ToolError` with ``field`` set (``"args.size"``). Called by ``validate_call`` and ``apply_tool``;
        the base implementation returns ``self``."""
        return self


# --- errors -----------------------------------------------------------------------------------------------
class ToolError(SceneGymError):
    """A tool call that cannot be validated or applied. The scene is unchanged when it is raised.

    Attributes:
        index: position of the call in its trajectory (0 for a single call), or None for errors about a
            whole trajectory text (malformed JSON, too many calls).
        tool: the tool's name, or None when the call did not name a known tool.
        field: the argument path at fault (``"args.count"``, ``"args.relations[1].target"``), or None.
        reason: the message without the ``call N (tool): field:`` prefix.
    """

    def __init__(self, reason: str, *, index: int | None = None, tool: str | None = None, field: str | None = None):
        self.index, self.tool, self.field, self.reason = index, tool, field, reason
        where = []
        if index is not None:
            where.append(f"call {index}" + (f" ({tool})" if tool else ""))
        elif tool:
            where.append(tool)
        if field:
            where.append(field)
        super().__init__(": ".join([*where, reason]))

    def at(self, index: int | None = None, tool: str | None = None) -> ToolError:
        """A copy located at another call index / tool (fields already set are kept unless given)."""
        return ToolError(self.reason, index=self.index if index is None else index,
                         tool=tool or self.tool, field=self.field)  # fmt: skip


def tool_field(err: EditError, fields: Mapping[str, str] | None = None) -> str | None:
    """The tool argument path for an edit-core error: ``fields`` maps the edit core's argument names onto the
    tool's (``{"to": "args.objects[2].position"}``); other names are the tool's own under ``args.``."""
    if err.field is None:
        return None
    if fields and err.field in fields:
        return fields[err.field]
    return "args." + err.field


@contextlib.contextmanager
def edit_errors(fields: Mapping[str, str]) -> Iterator[None]:
    """Raise an :class:`~scene_gym.errors.EditError` from inside as a :class:`ToolError` on the tool argument
    that :func:`tool_field` maps it to."""
    try:
        yield
    except EditError as err:
        raise ToolError(err.reason, field=tool_field(err, fields)) from None


def fmt_ids(ids, n: int = 12) -> str:
    """``a, b, c`` (at most ``n``, then ``... (+k)``); ``none`` when empty."""
    ids = list(ids)
    head = ", ".join(ids[:n])
    return head + (f" ... (+{len(ids) - n})" if len(ids) > n else "") if ids else "none"


# --- records ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ToolCall:
    """A validated call: the tool's name, its parsed arguments and its position in the trajectory.

    Attributes:
        tool: tool name (a key of :data:`~scene_gym.actions.tools.TOOLS`).
        args: the tool's argument model instance (pydantic, frozen).
        index: position in the trajectory (0 for a single call); error messages name it.
        call_id: the ``id`` of an OpenAI tool call, when there was one.
    """

    tool: str
    args: Args
    index: int = 0
    call_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"tool": name, "args": {...}}`` with the defaults left out; :func:`validate_call` reads it back."""
        return {"tool": self.tool, "args": self.args.model_dump(mode="json", exclude_defaults=True)}


@dataclass
class ToolResult:
    """What applying one call did.

    Attributes:
        tool: tool name.
        ok: True when the tool did everything asked (every requested object placed, the relation satisfied,
            every collision resolved...); False when it ran but only partly succeeded. The scene is valid
            either way; errors in the arguments raise :class:`ToolError` instead and change nothing.
        message: one or a few lines for the agent, naming what was changed and what was not.
        changed_ids: object ids added, moved, resized or removed, in scene order (removed ones last).
        wall_time_s: measured wall time of the call, seconds.
        cost_s: emulated cost, ``wall_time_s + tool.nominal_cost_s`` (seconds), for composition scores that
            model slow real generators.
        terminate: True for the finisher ``terminate``.
        details: JSON-ready facts for programs (ids placed, failed, unsatisfied relations...).
    """

    tool: str
    ok: bool
    message: str
    changed_ids: list[str] = field(default_factory=list)
    wall_time_s: float = 0.0
    cost_s: float = 0.0
    terminate: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {"tool": self.tool, "ok": self.ok, "message": self.message, "changed_ids": list(self.changed_ids),
                "wall_time_s": round(self.wall_time_s, 6), "cost_s": round(self.cost_s, 6),
                "terminate": self.terminate, "details": self.details}  # fmt: skip


@dataclass
class Outcome:
    """What a tool's ``run`` function returns; :func:`~scene_gym.actions.tools.apply_tool` adds the timings."""

    ok: bool
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    terminate: bool = False


@dataclass
class Context:
    """Everything a tool's ``run`` function may use besides its arguments.

    Attributes:
        scene: the scene, edited in place (inside a transaction opened by ``apply_tool``).
        rng: the only source of randomness; solver seeds are drawn from it.
        world: a physics world to sync to the scene (created on demand and closed by ``apply_tool`` if None).
        time_budget_s: soft wall-time budget handed to the layout solver per solve, seconds.
    """

    scene: Scene
    rng: np.random.Generator
    world: PhysicsWorld | None = None
    time_budget_s: float = 1.0
    _own_world: bool = False

    @property
    def solver(self) -> dict[str, Any]:
        """The keyword arguments the edit core's solver functions take from the context: ``rng`` and
        ``time_budget_s``."""
        return {"rng": self.rng, "time_budget_s": self.time_budget_s}

    def physics(self) -> PhysicsWorld:
        """The physics world synced to the scene (a temporary one is created if none was given)."""
        if self.world is None:
            from scene_gym.physics import PhysicsWorld

            self.world, self._own_world = PhysicsWorld(), True
        self.world.sync(self.scene)
        return self.world

    def close(self) -> None:
        if self._own_world and self.world is not None:
            self.world.close()
            self.world, self._own_world = None, False


@dataclass(frozen=True)
class Tool:
    """One tool of the set.

    Attributes:
        name: snake_case name the agent calls.
        description: what it does and when to use it, written for an LLM (ids, units, defaults).
        category: one of :data:`CATEGORIES`.
        args_model: pydantic model of the arguments (``extra="forbid"``, finite floats).
        nominal_cost_s: emulated generator cost added to the measured wall time, seconds (configurable:
            :meth:`with_cost` or ``apply_tool(..., nominal_cost_s=...)``).
        run: ``run(ctx: Context, args) -> Outcome``; edits ``ctx.scene`` in place through the edit core
            (:mod:`scene_gym.actions.edit`), raises on bad input.
    """

    name: str
    description: str
    category: str
    args_model: type[Args]
    nominal_cost_s: float
    run: Callable[[Context, Any], Outcome] = field(repr=False, compare=False)

    def __post_init__(self):
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.name}: expected a category in {CATEGORIES}, got {self.category!r}")
        if not math.isfinite(self.nominal_cost_s) or self.nominal_cost_s < 0:
            raise ValueError(f"{self.name}: expected a non-negative nominal cost in seconds, got {self.nominal_cost_s!r}")

    def json_schema(self) -> dict[str, Any]:
        """JSON Schema (draft 2020-12 subset, no ``$ref``) of the arguments: ``{"type": "object",
        "properties": {...}, "required": [...], "additionalProperties": false}``."""
        from scene_gym.actions.tools.schema import args_schema

        return args_schema(self.args_model)

    def with_cost(self, nominal_cost_s: float) -> Tool:
        """A copy with another nominal cost (seconds)."""
        return replace(self, nominal_cost_s=float(nominal_cost_s))
