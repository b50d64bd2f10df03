"""Parse and validate tool calls as data, before anything touches a scene.

Accepted shapes of one call (all decoded JSON values, never code):

- ``{"tool": "add_objects", "args": {...}}`` (``args`` may be left out when the tool needs none);
- an OpenAI tool call ``{"id": "...", "type": "function", "function": {"name": ..., "arguments": "<JSON text>"}}``
  (``arguments`` may also be an object);
- ``{"name": ..., "arguments": ...}`` (the ``function`` part alone).

A trajectory (:func:`parse_trajectory`) is JSON text holding a list of calls, an object with a ``tool_calls``
list (an assistant message), or one call. Every error is a :class:`~scene_gym.actions.tools.ToolError` naming
the call index, the tool and the argument path.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from typing import Any

import pydantic

from scene_gym.actions.limits import CALLS_MAX_CHARS, MAX_NESTING, MAX_TOOL_CALLS
from scene_gym.actions.tools.base import ToolCall, ToolError

MAX_CALLS = MAX_TOOL_CALLS
"""Most calls in one trajectory."""
MAX_TEXT_CHARS = CALLS_MAX_CHARS
"""Longest trajectory text accepted (characters; :data:`scene_gym.actions.limits.CALLS_MAX_CHARS`, the tool envs'
``CALLS_MAX``); longer text is rejected before decoding."""
MAX_ARGUMENTS_CHARS = CALLS_MAX_CHARS
"""Longest ``arguments`` JSON string of one OpenAI tool call (characters)."""
_MAX_DEPTH = MAX_NESTING  # nesting depth of decoded JSON; deeper values are refused before validation

_CALL_KEYS = {"tool", "args", "id"}
_OPENAI_KEYS = {"id", "type", "function", "index"}
_FUNCTION_KEYS = {"name", "arguments"}
_MESSAGE_KEYS = {"tool_calls", "role", "content", "id", "name", "refusal"}


def _short(value: Any, n: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= n else text[: n - 3] + "..."


def _keys(keys: Any) -> list[str]:
    """Up to 8 of ``keys`` (sorted), each cut to 40 characters, for an error message."""
    return [k if len(k) <= 40 else k[:37] + "..." for k in sorted(map(str, keys))[:8]]


def _reject_constant(name: str):
    raise ValueError(f"expected a finite number, got {name}")


def _depth(value: Any, limit: int = _MAX_DEPTH) -> int:
    """Nesting depth of a decoded JSON value, stopping at ``limit + 1`` (iterative: never recurses)."""
    stack, deepest = [(value, 1)], 0
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list | tuple):
            stack.extend((v, d + 1) for v in node)
    return deepest


def loads(text: str, what: str, index: int | None = None, tool: str | None = None) -> Any:
    """Decode JSON text strictly (no NaN/Infinity); errors name ``what`` as the field, and the line and column."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ToolError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}", index=index, tool=tool,
                        field=what) from None  # fmt: skip
    except ValueError as err:  # the NaN / Infinity rejection, or an integer too long to convert
        raise ToolError(str(err), index=index, tool=tool, field=what) from None
    except RecursionError:
        raise ToolError(f"JSON nested deeper than {_MAX_DEPTH} levels", index=index, tool=tool, field=what) from None
    if _depth(value) > _MAX_DEPTH:
        raise ToolError(f"JSON nested deeper than {_MAX_DEPTH} levels", index=index, tool=tool, field=what)
    return value


def _snake(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.strip())
    return re.sub(r"[\s\-]+", "_", name).lower()


def suggest_tool(name: str) -> list[str]:
    """Closest tool names to ``name`` (camelCase and dashes normalised first)."""
    from scene_gym.actions.tools import TOOLS

    key = _snake(name)
    if key in TOOLS:
        return [key]
    return difflib.get_close_matches(key, list(TOOLS), n=3, cutoff=0.5)


def _unpack(call: Any, index: int) -> tuple[str, Any, str | None]:
    """(name, raw args, call id) of one call in any accepted shape."""
    if not isinstance(call, dict):
        raise ToolError(f"expected a tool call object such as {{\"tool\": \"init_room\", \"args\": {{...}}}}, "
                        f"got {_short(call)}", index=index)  # fmt: skip
    call_id = call.get("id")
    if call_id is not None and (not isinstance(call_id, str) or len(call_id) > 256):
        raise ToolError(f"expected the call id to be a short string, got {_short(call_id)}", index=index, field="id")
    if "function" in call:
        extra = _keys(set(call) - _OPENAI_KEYS)
        if extra:
            raise ToolError(f"unexpected key(s) {extra} in an OpenAI tool call; expected {sorted(_OPENAI_KEYS)}",
                            index=index)  # fmt: skip
        if call.get("type", "function") != "function":
            raise ToolError(f"expected type 'function', got {_short(call.get('type'))}", index=index, field="type")
        fn = call["function"]
        if not isinstance(fn, dict):
            raise ToolError(f"expected an object with 'name' and 'arguments', got {_short(fn)}", index=index,
                            field="function")  # fmt: skip
        return (*_name_args(fn, index, "function."), call_id)
    if "tool" in call:
        extra = _keys(set(call) - _CALL_KEYS)
        if extra:
            raise ToolError(f"unexpected key(s) {extra}; expected 'tool' and 'args'", index=index)
        name = call["tool"]
        if not isinstance(name, str):
            raise ToolError(f"expected a tool name string, got {_short(name)}", index=index, field="tool")
        return name, call.get("args", {}), call_id
    if "name" in call:
        extra = _keys(set(call) - _FUNCTION_KEYS - {"id"})
        if extra:
            raise ToolError(f"unexpected key(s) {extra}; expected 'name' and 'arguments'", index=index)
        return (*_name_args(call, index, ""), call_id)
    raise ToolError(f"expected a tool call with a 'tool', 'name' or 'function' key, got keys "
                    f"{_keys(call)}", index=index)  # fmt: skip


def _name_args(fn: dict, index: int, prefix: str) -> tuple[str, Any]:
    extra = _keys(set(fn) - _FUNCTION_KEYS)
    if extra:
        raise ToolError(f"unexpected key(s) {extra}; expected 'name' and 'arguments'", index=index,
                        field=prefix.rstrip(".") or None)  # fmt: skip
    name = fn.get("name")
    if not isinstance(name, str):
        raise ToolError(f"expected a tool name string, got {_short(name)}", index=index, field=f"{prefix}name")
    args = fn.get("arguments", {})
    if isinstance(args, str):
        if len(args) > MAX_ARGUMENTS_CHARS:
            raise ToolError(f"expected arguments of at most {MAX_ARGUMENTS_CHARS} characters, got {len(args)}",
                            index=index, tool=name, field=f"{prefix}arguments")  # fmt: skip
        args = loads(args, f"{prefix}arguments", index, name) if args.strip() else {}
    return name, args


def _loc(loc: tuple) -> str:
    path = "args"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _pydantic_error(err: pydantic.ValidationError, index: int, tool: str) -> ToolError:
    first = err.errors(include_url=False)[0]
    msg = first["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if first["type"] == "extra_forbidden":
        from scene_gym.actions.tools import TOOLS

        known = sorted(TOOLS[tool].args_model.model_fields)
        msg = f"unknown argument; expected one of {known}"
    elif first["type"] == "missing":
        msg = "missing required argument"
    got = first.get("input")
    shown = f" (got {_short(got)})" if first["type"] not in ("missing", "extra_forbidden") and "got " not in msg else ""
    more = len(err.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
    return ToolError(f"{msg}{shown}{tail}", index=index, tool=tool, field=_loc(tuple(first["loc"])))


def validate_call(call: Any, index: int = 0, *, defined: Iterable[str] = ()) -> ToolCall:
    """Validate one call (any shape of the module docstring) into a :class:`ToolCall`.

    Checks the tool name (unknown names suggest the closest: ``addCrowd`` -> ``add_crowd``), every argument's
    type and range, categories (through the asset catalog, or among ``defined``: names of objects defined in the
    scene or by earlier calls, see :mod:`.definitions`) and relation dicts. Checks that need the scene (do the
    ids exist?) happen when the call is applied.

    Raises :class:`ToolError` naming ``index``, the tool and the field.
    """
    from scene_gym.actions.tools.definitions import defining

    with defining(defined):
        return _validate_call(call, index)


def _validate_call(call: Any, index: int) -> ToolCall:
    from scene_gym.actions.tools import TOOLS

    if isinstance(call, ToolCall):
        return call if call.index == index else ToolCall(call.tool, call.args, index, call.call_id)
    name, args, call_id = _unpack(call, index)
    tool = TOOLS.get(name)
    if tool is None:
        close = suggest_tool(name)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ToolError(f"unknown tool {_short(name)}{hint} Tools: {', '.join(TOOLS)}", index=index, field="tool")
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ToolError(f"expected the arguments as a JSON object, got {_short(args)}", index=index, tool=name,
                        field="args")  # fmt: skip
    if _depth(args) > _MAX_DEPTH:
        raise ToolError(f"arguments nested deeper than {_MAX_DEPTH} levels", index=index, tool=name, field="args")
    try:
        parsed = tool.args_model.model_validate(args).finish()
    except pydantic.ValidationError as err:
        raise _pydantic_error(err, index, name) from None
    except ToolError as err:
        raise err.at(index, name) from None
    return ToolCall(name, parsed, index, call_id)


def validate_trajectory(calls: Any, *, defined: Iterable[str] = ()) -> list[ToolCall]:
    """Validate every call of a trajectory (a list of calls in any accepted shape) before any runs; names defined
    by a ``define_object`` call count as categories in the calls after it (``defined``: names the scene already
    defines).

    Raises :class:`ToolError` for the first bad call, naming its index; at most :data:`MAX_CALLS` calls.
    """
    if isinstance(calls, dict) and "tool_calls" in calls:
        calls = calls["tool_calls"]
    if not isinstance(calls, list | tuple):
        raise ToolError(f"expected a list of tool calls, got {_short(calls)}", field="trajectory")
    if len(calls) > MAX_CALLS:
        raise ToolError(f"expected at most {MAX_CALLS} calls, got {len(calls)}", field="trajectory")
    names, out = list(defined), []
    for i, c in enumerate(calls):
        out.append(validate_call(c, i, defined=names))
        if out[-1].tool == "define_object":
            names.append(out[-1].args.name)
    return out


_FENCE = re.compile(r"^\s*```(?:json)?[ \t]*\n(.*)\n[ \t]*```\s*$", re.DOTALL)


def parse_trajectory(text: Any) -> list[dict]:
    """Decode a trajectory text into a list of call dicts (not yet validated: see :func:`validate_trajectory`).

    Accepts a JSON list of calls, an object with a ``tool_calls`` list (an OpenAI assistant message), or a
    single call object; the whole text may be wrapped in one Markdown code fence. Rejects malformed JSON (naming
    line and column), NaN/Infinity, other shapes, non-object calls, more than :data:`MAX_CALLS` calls and text
    over :data:`MAX_TEXT_CHARS` characters, each with a :class:`ToolError`.
    """
    if isinstance(text, bytes):
        if len(text) > 4 * MAX_TEXT_CHARS:
            raise ToolError(f"expected at most {MAX_TEXT_CHARS} characters, got {len(text)} bytes", field="trajectory")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ToolError(f"expected UTF-8 text, got an invalid byte at position {err.start}",
                            field="trajectory") from None  # fmt: skip
    if not isinstance(text, str):
        raise ToolError(f"expected the trajectory as text, got {type(text).__name__}", field="trajectory")
    if len(text) > MAX_TEXT_CHARS:
        raise ToolError(f"expected at most {MAX_TEXT_CHARS} characters, got {len(text)}", field="trajectory")
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    if not text.strip():
        raise ToolError("expected a JSON list of tool calls, got empty text", field="trajectory")
    value = loads(text, "trajectory")
    if isinstance(value, dict):
        if "tool_calls" in value:
            extra = _keys(set(value) - _MESSAGE_KEYS)
            if extra:
                raise ToolError(f"unexpected key(s) {extra} beside 'tool_calls'", field="trajectory")
            value = value["tool_calls"]
            if value is None:
                value = []
        elif {"tool", "name", "function"} & set(value):
            value = [value]
        else:
            raise ToolError(f"expected a list of tool calls, an object with 'tool_calls' or one call, got an object "
                            f"with keys {_keys(value)}", field="trajectory")  # fmt: skip
    if not isinstance(value, list):
        raise ToolError(f"expected a JSON list of tool calls, got {_short(value)}", field="trajectory")
    if len(value) > MAX_CALLS:
        raise ToolError(f"expected at most {MAX_CALLS} calls, got {len(value)}", field="trajectory")
    for i, call in enumerate(value):
        if not isinstance(call, dict):
            raise ToolError(f"expected a tool call object, got {_short(call)}", index=i)
    return value
