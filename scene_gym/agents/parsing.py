"""Reading actions out of what a language model wrote: Molmo points, JSON and tool calls, DSL programs.

Model output is data, never code: nothing here evaluates or executes text. Every failure is a
:class:`ParseError` naming what was wrong and quoting the start of the offending text, so it can be fed back to
the model (validate-and-regenerate).

========================  ==========================================================================================
function                  reads
========================  ==========================================================================================
:func:`parse_points`      Molmo points ``<point x="61.5" y="40.2" alt="...">label</point>`` and
                          ``<points x1=".." y1=".." x2=".." y2=".." alt="...">label</points>``; coordinates are
                          percent (0-100) of the image width and height and come back in [0, 1]
:func:`extract_json`      the first JSON value in chatty text: inside a code fence, after leading prose, with
                          trailing commas, Python ``True``/``False``/``None`` or single-quoted strings where safe
:func:`parse_tool_calls`  tool calls: a JSON list, ``{"tool_calls": [...]}``, one call, ``<tool_call>`` tags
                          (Qwen/Hermes), or an OpenAI assistant message dict with ``tool_calls``; validated
:func:`extract_dsl`       a scene-DSL program in a ```` ```python ````/```` ```dsl ```` fence or bare, prose dropped
:func:`parse_action`      the action for one env kind, by its action format (``dsl``/``point``/``trajectory``/
                          ``toolcall``)
========================  ==========================================================================================
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from scene_gym.actions.points import Point, parse_point, parse_points  # noqa: F401  (re-exported)
from scene_gym.actions.textscan import (  # noqa: F401  (re-exported: the parsers' public API)
    MAX_OUTPUT_CHARS,
    check_text,
    extract_json,
    fenced_blocks,
    shown,
)
from scene_gym.errors import ParseError

# --- tool calls -----------------------------------------------------------------------------------------------
_TOOL_TAG = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|\Z)", re.S)


def _normalise_call(call: Any, index: int) -> dict:
    """One call in any accepted shape as ``{"tool": name, "args": {...}}`` (``arguments`` text decoded)."""
    if not isinstance(call, dict):
        raise ParseError(f"call {index}: expected a tool call object such as {{\"tool\": \"init_room\", \"args\": "
                         f"{{...}}}}, got {shown(json.dumps(call))}")  # fmt: skip
    fn = call.get("function") if isinstance(call.get("function"), dict) else None
    if fn is not None or ("name" in call and "tool" not in call):
        src = fn if fn is not None else call
        name, args = src.get("name"), src.get("arguments", src.get("parameters", {}))
    else:
        name, args = call.get("tool"), call.get("args", call.get("arguments", {}))
    if not isinstance(name, str) or not name.strip():
        raise ParseError(f"call {index}: expected a tool name, got {shown(json.dumps(call))}")
    if isinstance(args, str):
        args = extract_json(args, (dict,)) if args.strip() else {}
    if args is None:
        args = {}
    return {"tool": name.strip(), "args": args}


def parse_tool_calls(output: Any, validate: bool = True) -> list[dict]:
    """Tool calls from model output, as ``[{"tool": name, "args": {...}}, ...]``.

    ``output`` is text (a JSON list of calls, an object with ``tool_calls``, one call, or ``<tool_call>{...}
    </tool_call>`` tags, anywhere in chatty text) or an OpenAI assistant message dict (its ``tool_calls``, else
    its ``content``). With ``validate`` every call is checked by
    :func:`scene_gym.actions.tools.validate_call` (tool names, argument types and ranges).

    Raises :class:`ParseError` naming the call index, tool and field at fault.
    """
    if isinstance(output, dict) and ("tool_calls" in output or "content" in output) and "tool" not in output:
        raw = output.get("tool_calls") or []
        if not raw:
            content = output.get("content")
            if isinstance(content, list):
                content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
            if not isinstance(content, str) or not content.strip():
                raise ParseError(f"expected tool calls or text in the reply, got {shown(json.dumps(output))}")
            return parse_tool_calls(content, validate)
    else:
        text = check_text(output, "model output")
        tagged = _TOOL_TAG.findall(text)
        if tagged:
            raw = [extract_json(t, (dict,)) for t in tagged]
        else:
            value = extract_json(text)
            if isinstance(value, dict) and "tool_calls" in value:
                value = value["tool_calls"] or []
            raw = value if isinstance(value, list) else [value]
    calls = [_normalise_call(c, i) for i, c in enumerate(raw)]
    if validate:
        from scene_gym.actions.tools import ToolError, validate_call

        for i, c in enumerate(calls):
            try:
                validate_call(c, i)
            except ToolError as err:
                raise ParseError(str(err)) from None
    return calls


# --- DSL ------------------------------------------------------------------------------------------------------
def _statement_lines(text: str) -> str:
    """Lines that start a DSL statement (a known command followed by ``(``), with their continuation lines while
    brackets stay open; prose lines are dropped."""
    from scene_gym.actions.dsl import COMMANDS

    start = re.compile(r"^\s*(" + "|".join(map(re.escape, COMMANDS)) + r")\s*\(")
    keep, depth = [], 0
    for line in text.splitlines():
        if depth > 0 or start.match(line):
            keep.append(line)
            depth = max(0, depth + line.count("(") + line.count("[") - line.count(")") - line.count("]"))
    return "\n".join(keep)


def extract_dsl(text: str) -> str:
    """The scene-DSL program in ``text``, checked with :func:`scene_gym.actions.dsl.parse_program`.

    Tried in order: code fences tagged ``python``/``py``/``dsl``/none (first that parses), the whole text, then
    the statement lines of the text with prose dropped. Raises :class:`ParseError` with the parser's message for
    the most likely program (the first fence, else the statement lines).
    """
    from scene_gym.actions.dsl import DSLSyntaxError, parse_program

    text = check_text(text, "model output")
    fences = [body for lang, body in fenced_blocks(text) if lang in ("", "python", "py", "dsl", "scene", "text")]
    candidates = [*fences, text, _statement_lines(text)]
    errors = []
    for cand in candidates:
        cand = cand.strip()
        if not cand:
            continue
        try:
            statements = parse_program(cand)
        except DSLSyntaxError as err:
            errors.append(str(err))
            continue
        if statements:
            return cand
    if not fences and not candidates[-1].strip():
        raise ParseError(f"expected a DSL program such as add(\"sofa\", at=(2.0, 0.6), facing=\"north\") (one "
                         f"call per line), got {shown(text)}")  # fmt: skip
    best = errors[0] if fences or not errors else errors[-1]
    raise ParseError(f"expected a valid DSL program, got a syntax error: {best}")


# --- actions per action format ----------------------------------------------------------------------------------
#: Each action format's fallback no-op: a step that changes nothing (the env may still count it as invalid).
NOOP_ACTIONS: dict[str, Any] = {"dsl": "", "trajectory": "[]", "toolcall": "[]", "point": None}


def noop_action(kind: Any) -> Any:
    """The no-op action of an env kind (an :class:`~scene_gym.envs.kinds.EnvKind`, its name, or an action format):
    an empty program (``dsl``), an empty trajectory (``trajectory``), an empty call list that the tool-step env
    rejects without changing anything (``toolcall``), and a point with an empty description that the asset env
    rejects (``point``)."""
    from scene_gym.agents.prompts import prompt_format

    fmt = prompt_format(kind)
    if fmt == "point":
        return {"point": np.array([0.5, 0.5], dtype=np.float32), "asset": ""}
    return NOOP_ACTIONS[fmt]


def parse_action(kind: Any, output: Any) -> Any:
    """The environment action held by model ``output`` for an env ``kind`` (an
    :class:`~scene_gym.envs.kinds.EnvKind`, its name, or an action format), by the kind's action format:

    - ``dsl``: the DSL program text (:func:`extract_dsl`).
    - ``trajectory``: JSON text of the validated call list (:func:`parse_tool_calls`); an empty list is refused.
    - ``toolcall``: JSON text of exactly one validated call.
    - ``point``: ``{"point": (2,) float32 in [0, 1], "asset": description}`` from the first Molmo point, or
      ``{"point": [0.5, 0.5], "asset": "done"}`` when the answer is just "done".

    ``output`` is text, or for the tool formats an OpenAI assistant message dict. Raises :class:`ParseError`.
    """
    from scene_gym.agents.prompts import prompt_format

    fmt = prompt_format(kind)
    if fmt in ("trajectory", "toolcall"):
        calls = parse_tool_calls(output)
        if not calls:
            raise ParseError("expected at least one tool call, got an empty list")
        if fmt == "toolcall":
            if len(calls) != 1:
                raise ParseError(f"expected exactly one tool call per step, got {len(calls)}")
            return json.dumps(calls[0])
        return json.dumps(calls)
    if isinstance(output, dict):
        content = output.get("content")
        output = content if isinstance(content, str) else ""
    if fmt == "dsl":
        return extract_dsl(output)
    text = check_text(output, "model output")
    bare = text.strip().strip("`.!\"' ").lower()
    if bare in ("done", "stop", "finish", "finished"):
        return {"point": np.array([0.5, 0.5], dtype=np.float32), "asset": "done"}
    point, label = parse_point(text)
    return {"point": point, "asset": label}
