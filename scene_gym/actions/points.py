"""Molmo-style pointing: ``<point x="61.5" y="40.2" alt="...">label</point>`` and ``<points x1= y1= ...>`` tags
read into normalised image coordinates. Shared by the asset-level environment's text wrapper and the policies.

Coordinates in the tags are percent (0-100) of the image width and height; they come back in [0, 1], x to the
right and y down. Failures raise :class:`~scene_gym.errors.ParseError` quoting the offending tag. Text over
:data:`MAX_POINT_CHARS` characters is refused before any scanning, and every scan is linear in the text length.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from scene_gym.actions.limits import LABEL_MAX_CHARS, POINT_MAX_CHARS
from scene_gym.actions.textscan import shown
from scene_gym.errors import ParseError

MAX_POINT_CHARS = POINT_MAX_CHARS
"""Longest pointing text read (characters; ``MolmoPointAction``'s action space); longer text is refused."""
MAX_LABEL_CHARS = LABEL_MAX_CHARS
"""A point's description is cut to this many characters (the asset env's ``ASSET_TEXT_MAX``)."""


@dataclass(frozen=True)
class Point:
    """One pointed location.

    Attributes:
        x, y: normalised image coordinates in [0, 1] (x to the right, y down), i.e. Molmo's percent / 100.
        label: the tag's text (the object's description), or ``alt`` when the text is empty.
        alt: the tag's ``alt`` attribute ("" when absent).
    """

    x: float
    y: float
    label: str
    alt: str = ""

    @property
    def xy(self) -> np.ndarray:
        """(2,) float32 ``[x, y]`` in [0, 1]."""
        return np.asarray([self.x, self.y], dtype=np.float32)


_POINT_OPEN = re.compile(r"<(points?)\b([^<>]*)>", re.I)
_POINT_CLOSE = re.compile(r"</points?\s*>", re.I)
_NAME = re.compile(r"[A-Za-z_][\w-]*")
_SPACE = re.compile(r"\s*")
_BARE_VALUE = re.compile(r"[^\s\"'>]+")
_NUMBERED = re.compile(r"x[0-9]{1,3}")
_MAX_NUMBER_CHARS = 32


def _attributes(raw: str) -> dict[str, str]:
    """The attributes of one tag, ``name="v"``, ``name='v'`` or ``name=v``, names in lower case (the last of a
    repeated name wins). One left-to-right pass: every character is looked at a bounded number of times."""
    attrs, pos, n = {}, 0, len(raw)
    while (m := _NAME.search(raw, pos)) is not None:
        pos = _SPACE.match(raw, m.end()).end()
        if pos >= n or raw[pos] != "=":
            continue
        pos = _SPACE.match(raw, pos + 1).end()
        if pos < n and raw[pos] in "\"'":
            end = raw.find(raw[pos], pos + 1)
            if end < 0:  # an unclosed quote: no later quote of this kind either, so this happens once per kind
                pos += 1
                continue
            attrs[m.group().lower()], pos = raw[pos + 1 : end], end + 1
        elif (v := _BARE_VALUE.match(raw, pos)) is not None:
            attrs[m.group().lower()], pos = v.group(), v.end()
    return attrs


def _coordinate(key: str, raw: str, tag: str) -> float:
    try:
        if len(raw) > _MAX_NUMBER_CHARS:
            raise ValueError(raw)
        v = float(raw)
    except ValueError:
        raise ParseError(f"expected {key} as a number in [0, 100] (percent of the image), got {raw[:30]!r} in "
                         f"{shown(tag)}") from None  # fmt: skip
    if not math.isfinite(v) or not 0.0 <= v <= 100.0:
        raise ParseError(f"expected {key} in [0, 100] (percent of the image), got {raw[:30]!r} in {shown(tag)}")
    return v / 100.0


def check_point_text(text: Any) -> str:
    """``text`` if it is a str of at most :data:`MAX_POINT_CHARS` characters, else a :class:`ParseError`."""
    if not isinstance(text, str):
        raise ParseError(f"expected the pointing text as text (str), got {type(text).__name__}")
    if len(text) > MAX_POINT_CHARS:
        raise ParseError(f"expected at most {MAX_POINT_CHARS} characters of pointing text, got {len(text)}")
    return text


def _tag_points(kind: str, attrs: dict[str, str], label: str, tag: str) -> list[Point]:
    alt = attrs.get("alt", "").strip()
    label = label or alt
    if not label:
        raise ParseError(f"expected a description of the object inside the tag or in alt=\"...\", got none in "
                         f"{shown(tag)}")  # fmt: skip
    if kind == "point" and "x" in attrs:
        keys = [("x", "y")]
    else:
        numbered = sorted(int(k[1:]) for k in attrs if _NUMBERED.fullmatch(k))
        keys = [(f"x{i}", f"y{i}") for i in numbered] or [("x", "y")]
    out = []
    for kx, ky in keys:
        for k in (kx, ky):
            if k not in attrs:
                raise ParseError(f"expected a {k}=\"...\" attribute in the point tag, got {shown(tag)}")
        out.append(Point(_coordinate(kx, attrs[kx], tag), _coordinate(ky, attrs[ky], tag), label[:MAX_LABEL_CHARS],
                         alt))  # fmt: skip
    return out


def parse_points(text: str) -> list[Point]:
    """Every point of every Molmo tag in ``text``, in order (a ``<points>`` tag gives x1/y1, x2/y2, ...).

    A tag's description is the text up to its closing tag, or up to the next opening tag when that comes first;
    a tag after which no closing tag follows is ignored. Text over :data:`MAX_POINT_CHARS` characters is refused
    before any scanning; the scan is linear in the length of the text.

    Raises :class:`ParseError` when there is no tag, a coordinate is missing, not a number or outside [0, 100],
    or a tag has neither a label nor ``alt``.
    """
    text = check_point_text(text)
    out: list[Point] = []
    closes = [(c.start(), c.end()) for c in _POINT_CLOSE.finditer(text)]
    starts = [c[0] for c in closes]
    opens = list(_POINT_OPEN.finditer(text))
    for i, m in enumerate(opens):
        k = bisect.bisect_left(starts, m.end())
        if k == len(closes):
            break  # no closing tag after this one (nor after any later one)
        label_end = closes[k][0]
        if i + 1 < len(opens) and opens[i + 1].start() < label_end:
            label_end = opens[i + 1].start()  # the next tag opens first: this one's description ends there
        tag = text[m.start() : closes[k][1] if label_end == closes[k][0] else label_end]
        label = " ".join(text[m.end() : label_end].split())
        out += _tag_points(m.group(1).lower(), _attributes(m.group(2)), label, tag)
    if not out:
        raise ParseError(f"expected a tag like <point x=\"61.5\" y=\"40.2\" alt=\"a mug\">a mug</point>, got "
                         f"{shown(text)}")  # fmt: skip
    return out


def parse_point(text: str) -> tuple[np.ndarray, str]:
    """The first Molmo point of ``text``: ((2,) float32 in [0, 1], description). See :func:`parse_points`."""
    p = parse_points(text)[0]
    return p.xy, p.label
