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

Each entry point reads at most the cap of the env action it produces (:mod:`scene_gym.actions.limits`), refuses
longer text before any scanning, and scans in time linear in the text: :func:`extract_dsl`
:data:`MAX_DSL_CHARS`, :func:`parse_points` :data:`MAX_POINT_CHARS`, :func:`parse_tool_calls`
:data:`MAX_CALLS_CHARS`; :func:`extract_json`, a helper under them, reads at most :data:`MAX_OUTPUT_CHARS`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from scene_gym.actions.limits import CALLS_MAX_CHARS, DSL_MAX_CHARS, MAX_NESTING, MAX_TOOL_CALLS
from scene_gym.actions.points import (  # noqa: F401  (re-exported)
    MAX_POINT_CHARS,
    Point,
    check_point_text,
    parse_point,
    parse_points,
)
from scene_gym.actions.textscan import (  # noqa: F401  (re-exported: the parsers' public API)
    MAX_OUTPUT_CHARS,
    check_text,
    extract_json,
    fenced_blocks,
    shown,
)
from scene_gym.errors import ParseError, SceneGymError

MAX_DSL_CHARS = DSL_MAX_CHARS
"""Longest output :func:`extract_dsl` reads (characters): ``SceneSynth-v1``'s ``ACTION_MAX``."""
MAX_CALLS_CHARS = CALLS_MAX_CHARS
"""Longest output :func:`parse_tool_calls` reads, and longest action it writes (characters): the tool envs'
``CALLS_MAX``."""
MAX_CALLS = MAX_TOOL_CALLS
"""Most calls in one answer (the trajectory env's limit)."""

# --- tool calls ---------------------------------------------------------------------------------------------
_OPEN_TAG, _CLOSE_TAG = "<tool_call>", "</tool_call>"


def _capped(text: Any, limit: int, what: str) -> str:
    """``text`` if it is a str of at most ``limit`` characters, else a :class:`ParseError` naming both."""
    if not isinstance(text, str):
        raise ParseError(f"expected {what} as text (str), got {type(text).__name__}")
    if len(text) > limit:
        raise ParseError(f"expected at most {limit} characters of {what}, got {len(text)}")
    return text


def _dump(value: Any) -> str:
    """``value`` as JSON for a message, or its type's name when it is not JSON (a set, a cycle, too deep)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return type(value).__name__


def _too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether ``value`` nests lists/dicts deeper than ``limit`` levels (iterative: never recurses)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list | tuple):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (node.values() if isinstance(node, dict) else node))
    return False


def content_text(message: dict) -> str:
    """The text of an assistant message's ``content``: a string, or the string ``text`` of each content part
    (other parts, null texts included, are skipped); "" when there is none."""
    content = message.get("content")
    if isinstance(content, list):
        content = "".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return content if isinstance(content, str) else ""


def _tagged(text: str) -> list[str]:
    """The stripped bodies of ``<tool_call>...</tool_call>`` tags in order (an unclosed last tag runs to the end
    of the text). One pass: each search starts where the last one ended."""
    out, pos = [], 0
    while (start := text.find(_OPEN_TAG, pos)) >= 0:
        start += len(_OPEN_TAG)
        end = text.find(_CLOSE_TAG, start)
        out.append(text[start : end if end >= 0 else len(text)].strip())
        if end < 0:
            break
        pos = end + len(_CLOSE_TAG)
    return out


def _normalise_call(call: Any, index: int) -> dict:
    """One call in any accepted shape as ``{"tool": name, "args": {...}}`` (``arguments`` text decoded)."""
    if not isinstance(call, dict):
        raise ParseError(f"call {index}: expected a tool call object such as {{\"tool\": \"init_room\", \"args\": "
                         f"{{...}}}}, got {shown(_dump(call))}")  # fmt: skip
    if _too_deep(call):
        raise ParseError(f"call {index}: expected a tool call nested at most {MAX_NESTING} levels deep")
    fn = call.get("function") if isinstance(call.get("function"), dict) else None
    if fn is not None or ("name" in call and "tool" not in call):
        src = fn if fn is not None else call
        name, args = src.get("name"), src.get("arguments", src.get("parameters", {}))
    else:
        name, args = call.get("tool"), call.get("args", call.get("arguments", {}))
    if not isinstance(name, str) or not name.strip():
        raise ParseError(f"call {index}: expected a tool name, got {shown(_dump(call))}")
    if isinstance(args, str):
        args = _capped(args, MAX_CALLS_CHARS, f"call {index}'s arguments")
        args = extract_json(args, (dict,)) if args.strip() else {}
    if args is None:
        args = {}
    return {"tool": name.strip(), "args": args}


def _raw_calls(output: Any) -> list:
    """The calls of model output, not yet normalised: a message dict's ``tool_calls`` (or its text), else the
    ``<tool_call>`` tags of the text, else its first JSON value."""
    if isinstance(output, dict) and ("tool_calls" in output or "content" in output) and "tool" not in output:
        raw = output.get("tool_calls")
        if raw:
            if not isinstance(raw, list | tuple):
                raise ParseError(f"expected the reply's tool_calls as a list, got {shown(_dump(raw))}")
            if len(raw) > MAX_CALLS:
                raise ParseError(f"expected at most {MAX_CALLS} tool calls, got {len(raw)}")
            return list(raw)
        content = content_text(output)
        if not content.strip():
            raise ParseError(f"expected tool calls or text in the reply, got {shown(_dump(output))}")
        output = content
    text = _capped(output, MAX_CALLS_CHARS, "model output")
    tagged = _tagged(text)
    if tagged:
        return [extract_json(t, (dict,)) for t in tagged]
    value = extract_json(text)
    if isinstance(value, dict) and "tool_calls" in value:
        value = value["tool_calls"] or []
    return value if isinstance(value, list) else [value]


def parse_tool_calls(output: Any, validate: bool = True) -> list[dict]:
    """Tool calls from model output, as ``[{"tool": name, "args": {...}}, ...]``.

    ``output`` is text (a JSON list of calls, an object with ``tool_calls``, one call, or ``<tool_call>{...}
    </tool_call>`` tags, anywhere in chatty text) of at most :data:`MAX_CALLS_CHARS` characters, or an OpenAI
    assistant message dict (its ``tool_calls``, else its ``content``). With ``validate`` every call is checked
    by :func:`scene_gym.actions.tools.validate_call` (tool names, argument types and ranges).

    Raises :class:`ParseError` naming the call index, tool and field at fault.
    """
    raw = _raw_calls(output)
    if len(raw) > MAX_CALLS:
        raise ParseError(f"expected at most {MAX_CALLS} tool calls, got {len(raw)}")
    calls = [_normalise_call(c, i) for i, c in enumerate(raw)]
    if validate:
        from scene_gym.actions.tools import validate_call

        for i, c in enumerate(calls):
            try:
                validate_call(c, i)
            except SceneGymError as err:  # ToolError, or a catalog error raised while checking a name
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
    the statement lines of the text with prose dropped. Text over :data:`MAX_DSL_CHARS` characters is refused
    before any scanning. Raises :class:`ParseError` with the parser's message for
    the most likely program (the first fence, else the statement lines).
    """
    from scene_gym.actions.dsl import DSLSyntaxError, parse_program

    text = _capped(text, MAX_DSL_CHARS, "model output")
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
    :class:`~scene_gym.envs.kinds.EnvKind`, its name, or an action format), by the kind's action format, each
    read under the cap of the env's action space:

    - ``dsl``: the DSL program text (:func:`extract_dsl`; at most :data:`MAX_DSL_CHARS` characters).
    - ``trajectory``: JSON text of the validated call list (:func:`parse_tool_calls`); an empty list is refused.
    - ``toolcall``: JSON text of exactly one validated call. Both read and write at most
      :data:`MAX_CALLS_CHARS` characters.
    - ``point``: ``{"point": (2,) float32 in [0, 1], "asset": description}`` from the first Molmo point, or
      ``{"point": [0.5, 0.5], "asset": "done"}`` when the answer is just "done" (at most
      :data:`MAX_POINT_CHARS` characters).

    ``output`` is text, or an OpenAI assistant message dict (its ``tool_calls`` for the tool formats, else its
    text content). Raises :class:`ParseError`.
    """
    from scene_gym.agents.prompts import prompt_format

    fmt = prompt_format(kind)
    if fmt in ("trajectory", "toolcall"):
        calls = parse_tool_calls(output)
        if not calls:
            raise ParseError("expected at least one tool call, got an empty list")
        if fmt == "toolcall" and len(calls) != 1:
            raise ParseError(f"expected exactly one tool call per step, got {len(calls)}")
        action = json.dumps(calls[0] if fmt == "toolcall" else calls)
        if len(action) > MAX_CALLS_CHARS:
            raise ParseError(f"expected tool calls of at most {MAX_CALLS_CHARS} characters as JSON, got {len(action)}")
        return action
    if isinstance(output, dict):
        output = content_text(output)
    if fmt == "dsl":
        return extract_dsl(output)
    text = check_point_text(output)
    bare = text.strip().strip("`.!\"' ").lower()
    if bare in ("done", "stop", "finish", "finished"):
        return {"point": np.array([0.5, 0.5], dtype=np.float32), "asset": "done"}
    point, label = parse_point(text)
    return {"point": point, "asset": label}
