"""Parse scene-DSL text into validated :class:`Statement` records, under a whitelist, without executing it.

Text over :data:`MAX_SOURCE_CHARS` is refused first; then one linear pass (:func:`check_shape`) refuses
expressions nested deeper than :data:`MAX_NESTING` levels and numbers longer than :data:`MAX_NUMBER_CHARS`
characters, so that neither :func:`ast.parse` nor the checks below ever recurse deeply or convert huge numbers.
The text is then parsed with :func:`ast.parse` and every node is checked: a statement must be a bare call of a
command from :data:`~scene_gym.actions.dsl.grammar.COMMANDS` whose arguments are literals (strings, finite
numbers, booleans, tuples/lists of numbers, unary minus). Names, attributes, subscripts, lambdas, comprehensions,
imports, assignments or nested calls are rejected with a :class:`DSLSyntaxError` naming the line, the column and
what was found. Nothing is evaluated: ``ast.literal_eval`` is not used either, so no object is ever constructed
from model output except plain numbers and strings.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from scene_gym.actions.dsl.grammar import COMMANDS, COMPASS, Command, Param
from scene_gym.actions.limits import DSL_MAX_CHARS, MAX_NESTING
from scene_gym.errors import SceneGymError

#: Longest program accepted, characters (:data:`scene_gym.actions.limits.DSL_MAX_CHARS`, ``SceneSynth-v1``'s
#: ``ACTION_MAX``). Longer text is rejected before parsing.
MAX_SOURCE_CHARS = DSL_MAX_CHARS
#: Longest number literal, characters (a float's ``repr`` takes at most 24).
MAX_NUMBER_CHARS = 64
#: Most statements in one program.
MAX_STATEMENTS = 64
_MAX_STRING = 256


class DSLSyntaxError(SceneGymError):
    """DSL text that is not a valid program; ``line`` and ``col`` locate the problem (1-based; 0 if unknown)."""

    def __init__(self, message: str, line: int = 0, col: int = 0):
        self.line, self.col = line, col
        where = f"line {line}, column {col}: " if line else ""
        super().__init__(where + message)


@dataclass(frozen=True)
class Statement:
    """One parsed, type-checked command: ``op`` and its arguments by parameter name; ``line`` is 1-based."""

    op: str
    args: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    source: str = ""

    def __str__(self) -> str:
        return self.source or f"{self.op}(...)"


def _shorten(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


# --- the shape check: one linear pass before ast.parse ------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<s>\'\'\'.*?(?:\'\'\'|\Z)|\"\"\".*?(?:\"\"\"|\Z)|'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?)
  | (?P<c>\#[^\n]*)
  | (?P<n>\.?[0-9](?:[eE][+-]|[\w.])*)
  | (?P<w>[^\W\d]\w*)
  | (?P<o>[(\[{])
  | (?P<x>[)\]}])
  | (?P<p>[-+~*/%@&|^<>!.])
  | (?P<e>[,;\n\r])
  | (?P<q>[=:])
""", re.S | re.X)  # every alternative is linear; finditer never goes back
_KEYWORD_OPERATORS = frozenset({"not", "and", "or", "if", "else", "lambda", "await", "in", "is", "for", "yield"})


def _where(text: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of character ``pos``; lines end with \\n, \\r\\n or \\r, as Python counts them."""
    line = text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos) + 1
    return line, pos - max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos))


def check_shape(text: str) -> None:
    """Refuse what no DSL program holds and what would make parsing deep or slow, in one left-to-right pass
    (strings and comments skipped): an expression nested deeper than :data:`MAX_NESTING` levels, where an open
    bracket and an operator (unary or binary, a call or a subscript, ``not``, ``lambda``...) each count one
    level, a number literal longer than :data:`MAX_NUMBER_CHARS` characters, and f-strings. The error names the
    line and column where the argument (or statement) at fault starts."""
    ops, stack, start, operand = 0, [], -1, False  # stack: (operators of the enclosing part, where it started)
    base, word, word_end = 0, "", -1  # base: levels of the open brackets, each 1 + the operators before it
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if start < 0 and kind not in ("c", "e"):
            start = m.start()
        if kind == "n" and len(m.group()) > MAX_NUMBER_CHARS:
            raise DSLSyntaxError(f"expected a number of at most {MAX_NUMBER_CHARS} characters, got "
                                 f"{len(m.group())}", *_where(text, m.start()))  # fmt: skip
        if kind == "s" and m.start() == word_end and "f" in word.lower():  # a prefix: rf"...", f'...'
            raise DSLSyntaxError("expected a plain string, got an f-string", *_where(text, m.start() - len(word)))
        if kind in ("s", "n") or (kind == "w" and m.group() not in _KEYWORD_OPERATORS):
            word, word_end = (m.group(), m.end()) if kind == "w" and m.end() - m.start() <= 2 else ("", -1)
            operand = True
            continue
        if kind == "o":
            ops += operand  # a call or a subscript
            stack.append((ops, start))
            base, ops, start = base + 1 + ops, 0, -1
        elif kind == "x":
            if stack:
                ops, start = stack.pop()
                base -= 1 + ops
            operand = True
            continue
        elif kind in ("p", "w"):
            ops += 1
        elif kind == "e" and (m.group() == "," or not stack):
            ops, start = 0, -1
        operand = False
        if base + ops > MAX_NESTING:
            pos = stack[1][1] if len(stack) > 1 else start
            raise DSLSyntaxError(f"expression nested deeper than {MAX_NESTING} levels",
                                 *_where(text, pos if pos >= 0 else m.start()))  # fmt: skip


def _literal(node: ast.AST) -> Any:
    """Turn a whitelisted literal node into a Python value (numbers, strings, bools, tuples of those)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, bool | int | float | str) or (
        isinstance(node, ast.Constant) and node.value is None
    ):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _literal(node.operand)
        if isinstance(inner, bool) or not isinstance(inner, int | float):
            raise DSLSyntaxError("unary minus applies to numbers only", node.lineno, node.col_offset + 1)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Tuple | ast.List):
        if len(node.elts) > 8:
            raise DSLSyntaxError(f"expected at most 8 values in a tuple, got {len(node.elts)}", node.lineno,
                                 node.col_offset + 1)  # fmt: skip
        return tuple(_literal(e) for e in node.elts)
    what = type(node).__name__
    if isinstance(node, ast.Name):
        what = f"the name {node.id!r} (strings need quotes)"
    elif isinstance(node, ast.Call):
        what = "a nested call"
    raise DSLSyntaxError(f"expected a literal (string, number, tuple), got {what}", getattr(node, "lineno", 0),
                         getattr(node, "col_offset", -1) + 1)  # fmt: skip


#: Most values in one list of an object program (parts, profile points...); the program schema's own caps are lower.
MAX_PROGRAM_LIST = 256
_JSON_NAMES = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}


def _program_literal(node: ast.AST) -> Any:
    """Turn an object program written as a dict literal into plain data: dicts with string keys, lists, strings,
    finite numbers, booleans and null (``true``/``false``/``null`` as JSON spells them). Nothing is evaluated; the
    nesting depth is bounded by :func:`check_shape` before :func:`ast.parse` runs."""
    line, col = getattr(node, "lineno", 0), getattr(node, "col_offset", -1) + 1
    if isinstance(node, ast.Dict):
        out = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                raise DSLSyntaxError("expected a program's keys to be quoted strings", line, col)
            out[key.value] = _program_literal(value)
        return out
    if isinstance(node, ast.List | ast.Tuple):
        if len(node.elts) > MAX_PROGRAM_LIST:
            raise DSLSyntaxError(f"expected at most {MAX_PROGRAM_LIST} values in a program list, got "
                                 f"{len(node.elts)}", line, col)  # fmt: skip
        return [_program_literal(e) for e in node.elts]
    if isinstance(node, ast.Name) and node.id in _JSON_NAMES:
        return _JSON_NAMES[node.id]
    return _literal(node)


def _program_value(node: ast.AST) -> Any:
    """A ``program`` argument: a dict literal, or a JSON string decoded here (never evaluated)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return json.loads(node.value)
        except (ValueError, RecursionError) as err:
            raise DSLSyntaxError(f"expected the program as a JSON object, got text that is not JSON: "
                                 f"{_shorten(str(err))}", node.lineno, node.col_offset + 1) from None  # fmt: skip
    return _program_literal(node)


def _check_number(value: Any, param: Param, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DSLSyntaxError(f"{where}: expected a number, got {value!r}")
    try:
        v = float(value)
    except OverflowError:
        v = math.inf
    if not math.isfinite(v):
        raise DSLSyntaxError(f"{where}: expected a finite number, got {value!r}")
    if not param.low <= v <= param.high:
        raise DSLSyntaxError(f"{where}: expected a value in [{param.low:g}, {param.high:g}], got {value!r}")
    return v


def _check_value(value: Any, param: Param, cmd: str) -> Any:
    where = f"{cmd}({param.name}=...)"
    kind = param.kind
    if kind in ("str", "id"):
        if not isinstance(value, str):
            raise DSLSyntaxError(f"{where}: expected a quoted string, got {value!r}")
        if not value.strip() or len(value) > _MAX_STRING:
            raise DSLSyntaxError(f"{where}: expected a non-empty string of at most {_MAX_STRING} characters, "
                                 f"got {_shorten(repr(value))}")  # fmt: skip
        if not value.isprintable():
            raise DSLSyntaxError(f"{where}: expected printable text, got {_shorten(repr(value))}")
        return value.strip()
    if kind == "compass":
        if not isinstance(value, str) or value.lower() not in COMPASS:
            raise DSLSyntaxError(f"{where}: expected one of {', '.join(COMPASS)}, got {_shorten(repr(value))}")
        return value.lower()
    if kind == "number":
        return _check_number(value, param, where)
    if kind == "bool":
        if not isinstance(value, bool):
            raise DSLSyntaxError(f"{where}: expected True or False, got {_shorten(repr(value))}")
        return value
    if kind == "program":
        if not isinstance(value, dict):
            raise DSLSyntaxError(f"{where}: expected an object program as a dict such as {{\"placement\": "
                                 f"\"floor\", \"parts\": [...]}}, got {_shorten(repr(value))}")  # fmt: skip
        return value
    sizes = {"vec2": (2,), "vec3": (3,), "vec23": (2, 3), "rgb": (3,)}
    if kind in sizes:
        if not isinstance(value, tuple) or len(value) not in sizes[kind]:
            want = " or ".join(str(n) for n in sizes[kind])
            raise DSLSyntaxError(f"{where}: expected a tuple of {want} numbers, got {_shorten(repr(value))}")
        bounds = Param(param.name, "number", low=0.0, high=1.0) if kind == "rgb" else param
        return tuple(_check_number(v, bounds, where) for v in value)
    raise AssertionError(f"unhandled parameter kind {kind}")  # pragma: no cover - grammar bug


_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")  # splits after \n, \r\n and \r, as Python's tokenizer counts lines


def _segment(lines: list[str], node: ast.AST) -> str:
    """The source text of ``node``, as :func:`ast.get_source_segment` gives it, from the program's lines split once
    (``get_source_segment`` splits the whole text again for every node: quadratic over a program)."""
    first, last = node.lineno - 1, node.end_lineno - 1
    if not 0 <= first <= last < len(lines):
        return ""
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode(errors="replace")
    head = lines[first].encode()[node.col_offset :].decode(errors="replace")
    return head + "".join(lines[first + 1 : last]) + lines[last].encode()[: node.end_col_offset].decode(errors="replace")


def _argument(node: ast.AST, param: Param) -> Any:
    return _program_value(node) if param.kind == "program" else _literal(node)


def _bind(cmd: Command, call: ast.Call, source: str) -> Statement:
    try:
        return _bind_unlocated(cmd, call, source)
    except DSLSyntaxError as err:
        if err.line:
            raise
        message = str(err)
        raise DSLSyntaxError(message, call.lineno, call.col_offset + 1) from None


def _bind_unlocated(cmd: Command, call: ast.Call, source: str) -> Statement:
    line, col = call.lineno, call.col_offset + 1
    positional = [p for p in cmd.params if p.positional]
    if len(call.args) > len(positional):
        raise DSLSyntaxError(f"{cmd.name}() takes at most {len(positional)} positional argument(s), got "
                             f"{len(call.args)}", line, col)  # fmt: skip
    args: dict[str, Any] = {}
    for param, node in zip(positional, call.args, strict=False):
        if isinstance(node, ast.Starred):
            raise DSLSyntaxError("*args are not allowed", line, col)
        args[param.name] = _check_value(_argument(node, param), param, cmd.name)
    known = {p.name: p for p in cmd.params}
    for kw in call.keywords:
        if kw.arg is None:
            raise DSLSyntaxError("**kwargs are not allowed", line, col)
        if kw.arg not in known:
            close = difflib.get_close_matches(kw.arg, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise DSLSyntaxError(f"{cmd.name}() has no parameter {_shorten(repr(kw.arg))} (parameters: "
                                 f"{', '.join(known) or 'none'}){hint}", line, col)  # fmt: skip
        if kw.arg in args:
            raise DSLSyntaxError(f"{cmd.name}() got {kw.arg!r} twice", line, col)
        args[kw.arg] = _check_value(_argument(kw.value, known[kw.arg]), known[kw.arg], cmd.name)
    missing = [p.name for p in cmd.params if p.required and p.name not in args]
    if missing:
        raise DSLSyntaxError(f"{cmd.name}() is missing required argument(s) {', '.join(missing)}", line, col)
    for group in cmd.one_of:
        given = [g for g in group if g in args]
        if len(given) != 1:
            raise DSLSyntaxError(f"{cmd.name}() needs exactly one of {', '.join(group)}, got "
                                 f"{', '.join(given) or 'none'}", line, col)  # fmt: skip
    for group in cmd.exclusive:
        given = [g for g in group if g in args]
        if len(given) > 1:
            raise DSLSyntaxError(f"{cmd.name}() accepts only one of {', '.join(group)}", line, col)
    return Statement(cmd.name, args, line, source)


def parse_program(text: str) -> list[Statement]:
    """Parse DSL text into statements; raise :class:`DSLSyntaxError` on anything outside the grammar.

    Empty text (or only comments) is a valid empty program.
    """
    if not isinstance(text, str):
        raise DSLSyntaxError(f"expected DSL text (str), got {type(text).__name__}")
    if len(text) > MAX_SOURCE_CHARS:
        raise DSLSyntaxError(f"expected at most {MAX_SOURCE_CHARS} characters of DSL, got {len(text)}")
    if "\x00" in text:
        raise DSLSyntaxError("expected text without NUL characters")
    check_shape(text)
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as err:
        raise DSLSyntaxError(f"not a DSL program: {err.msg}", err.lineno or 0, err.offset or 0) from None
    except (ValueError, RecursionError, MemoryError) as err:  # surrogates; nesting inside an f-string
        raise DSLSyntaxError(f"not a DSL program: {_shorten(str(err)) or type(err).__name__}") from None
    if len(tree.body) > MAX_STATEMENTS:
        raise DSLSyntaxError(f"expected at most {MAX_STATEMENTS} statements, got {len(tree.body)}")
    lines = _LINE_END.split(text)
    statements = []
    for node in tree.body:
        line, col = getattr(node, "lineno", 0), getattr(node, "col_offset", -1) + 1
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
            found = (f"a {type(node.value).__name__.lower()} expression" if isinstance(node, ast.Expr)
                     else f"a {type(node).__name__.lower()} statement")  # fmt: skip
            raise DSLSyntaxError(f"expected a command call such as add(...), got {found}", line, col)
        call = node.value
        if not isinstance(call.func, ast.Name):
            raise DSLSyntaxError("expected a plain command name such as add(...), got an expression", line, col)
        name = call.func.id
        if name not in COMMANDS:
            close = difflib.get_close_matches(name, COMMANDS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise DSLSyntaxError(f"unknown command {_shorten(repr(name))} (commands: {', '.join(COMMANDS)}){hint}",
                                 line, col)  # fmt: skip
        source = _segment(lines, call) or (lines[line - 1].rstrip("\r\n") if 0 < line <= len(lines) else "")
        statements.append(_bind(COMMANDS[name], call, _shorten(source, 200)))
    return statements
