"""Scanning chatty model output for structured text: code fences, JSON values (repaired where it is safe), and
the helpers every model-output parser shares (:mod:`scene_gym.actions.points`, :mod:`scene_gym.agents.parsing`).
Every scan is linear in the text length, and text over :data:`MAX_OUTPUT_CHARS` is refused before any
scanning. Failures raise :class:`~scene_gym.errors.ParseError`."""

from __future__ import annotations

import json
import re
from typing import Any

from scene_gym.errors import ParseError

MAX_OUTPUT_CHARS = 200_000
"""Longest model output read (characters); longer text is rejected before any scanning."""


def shown(text: str, n: int = 80) -> str:
    """``text`` with whitespace runs collapsed, cut to ``n`` characters, quoted (for error messages)."""
    flat = " ".join(str(text).split())
    return repr(flat if len(flat) <= n else flat[: n - 3] + "...")


def check_text(text: Any, what: str) -> str:
    """``text`` if it is a str of at most :data:`MAX_OUTPUT_CHARS` characters, else a :class:`ParseError`."""
    if not isinstance(text, str):
        raise ParseError(f"expected {what} as text, got {type(text).__name__}")
    if len(text) > MAX_OUTPUT_CHARS:
        raise ParseError(f"expected at most {MAX_OUTPUT_CHARS} characters of {what}, got {len(text)}")
    return text


# --- JSON in chatty text --------------------------------------------------------------------------------------
_BARE = {"True": "true", "False": "false", "None": "null"}
_WORD = re.compile(r"\w+")


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language tag in lower case, body) of each Markdown code fence in ``text``.

    Three backticks and an optional tag open a fence (after prose on the same line too); the next line starting
    with them, or three backticks ending a line, close it; an unclosed last fence runs to the end of the text."""
    out: list[tuple[str, str]] = []
    lang, body = None, []
    for line in text.split("\n"):
        stripped = line.strip()
        if lang is None:
            at = stripped.find("```")
            if at >= 0:
                tag = stripped[at + 3 :].strip()
                lang = tag.split()[0].lower() if tag and tag[0].isalnum() else ""
                body = []
                if "```" in tag:  # a one-line fence: ```json {...}```
                    inner = tag.split("```", 1)[0]
                    out.append((lang, inner[len(lang):].strip() if inner.lower().startswith(lang) else inner))
                    lang = None
            continue
        if stripped.startswith("```"):
            out.append((lang, "\n".join(body)))
            lang = None
        elif stripped.endswith("```"):
            body.append(line.rstrip()[:-3])
            out.append((lang, "\n".join(body)))
            lang = None
        else:
            body.append(line)
    if lang is not None:
        out.append((lang, "\n".join(body)))
    return out


def _spans(text: str) -> list[str]:
    """Balanced ``{...}`` / ``[...]`` spans of ``text`` at top level, in order (double-quoted strings skipped)."""
    out, stack, start, in_str, esc = [], [], 0, False, False
    pairs = {"{": "}", "[": "]"}
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"' and stack:
            in_str = True
        elif ch in pairs:
            if not stack:
                start = i
            stack.append(pairs[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                out.append(text[start : i + 1])
        elif stack and ch in "]}":
            stack = []  # mismatched bracket: drop this span
    return out


def _repair(src: str) -> str:
    """JSON-ish text made JSON: single-quoted strings (where they are whole tokens) to double-quoted, bare
    Python constants to JSON ones, trailing commas dropped. Double-quoted strings are left as they are."""
    out: list[str] = []
    i, n = 0, len(src)
    while i < n:
        ch = src[i]
        if ch == '"':
            j, esc = i + 1, False
            while j < n and (esc or src[j] != '"'):
                esc = not esc and src[j] == "\\"
                j += 1
            out.append(src[i : j + 1])
            i = j + 1
        elif ch == "'":
            j, esc = i + 1, False
            while j < n and (esc or src[j] != "'"):
                esc = not esc and src[j] == "\\"
                j += 1
            after = src[j + 1 : j + 2].strip() if j + 1 < n else ""
            before = next((c for part in reversed(out) for c in reversed(part) if not c.isspace()), "")
            if j < n and before in ("", "{", "[", ",", ":") and after in ("", ",", "}", "]", ":"):
                body = src[i + 1 : j].replace("\\'", "'")
                out.append(json.dumps(body))
                i = j + 1
            else:
                out.append(ch)
                i += 1
        elif ch == ",":
            k = i + 1
            while k < n and src[k].isspace():
                k += 1
            if k < n and src[k] in "}]":
                i += 1  # trailing comma
            else:
                out.append(ch)
                i += 1
        elif ch.isalpha():
            m = _WORD.match(src, i)
            word = m.group(0)
            out.append(_BARE.get(word, word))
            i += len(word)
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _reject_constant(name: str):
    raise ValueError(f"expected finite numbers, got {name}")


def _decode(candidate: str) -> tuple[Any, str]:
    """(value, "") or (None, why) for one candidate: strict JSON first, then the repaired text."""
    why = ""
    for attempt in (candidate, _repair(candidate)):
        try:
            return json.loads(attempt, parse_constant=_reject_constant), ""
        except json.JSONDecodeError as err:
            why = why or f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        except (ValueError, RecursionError) as err:
            why = why or str(err)
    return None, why


def extract_json(text: str, types: tuple[type, ...] = (dict, list)) -> Any:
    """The first JSON value of one of ``types`` in ``text``: the whole text, each code fence's body, then each
    balanced ``{...}``/``[...]`` span (outermost), each tried strictly and then repaired (trailing commas,
    single-quoted strings where safe, ``True``/``False``/``None``). NaN and infinities are refused.

    Raises :class:`ParseError` saying why the most promising candidate failed to decode.
    """
    text = check_text(text, "model output")
    candidates = [text.strip()]
    for _, body in fenced_blocks(text):
        candidates += [body.strip(), *_spans(body)]
    candidates += _spans(text)
    first_error = ""
    seen = set()
    for cand in candidates:
        if not cand or cand in seen or cand[0] not in "{[":
            continue
        seen.add(cand)
        value, why = _decode(cand)
        if why:
            first_error = first_error or why
        elif isinstance(value, types):
            return value
    names = " or ".join({dict: "object", list: "list"}.get(t, t.__name__) for t in types)
    if first_error:
        raise ParseError(f"expected a JSON {names}, got {first_error} in {shown(text)}")
    raise ParseError(f"expected a JSON {names} in the answer, got {shown(text)}")
