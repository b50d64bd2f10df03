"""Molmo-style pointing: ``<point x="61.5" y="40.2" alt="...">label</point>`` and ``<points x1= y1= ...>`` tags
read into normalised image coordinates. Shared by the asset-level environment's text wrapper and the policies.

Coordinates in the tags are percent (0-100) of the image width and height; they come back in [0, 1], x to the
right and y down. Failures raise :class:`~scene_gym.errors.ParseError` quoting the offending tag.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

import numpy as np

from scene_gym.actions.textscan import check_text, shown
from scene_gym.errors import ParseError


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
_ATTR = re.compile(r"([A-Za-z_][\w-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")


def _coordinate(key: str, raw: str, tag: str) -> float:
    try:
        v = float(raw)
    except ValueError:
        raise ParseError(f"expected {key} as a number in [0, 100] (percent of the image), got {raw[:30]!r} in "
                         f"{shown(tag)}") from None  # fmt: skip
    if not math.isfinite(v) or not 0.0 <= v <= 100.0:
        raise ParseError(f"expected {key} in [0, 100] (percent of the image), got {raw[:30]!r} in {shown(tag)}")
    return v / 100.0


def parse_points(text: str) -> list[Point]:
    """Every point of every Molmo tag in ``text``, in order (a ``<points>`` tag gives x1/y1, x2/y2, ...).

    Raises :class:`ParseError` when there is no tag, a coordinate is missing, not a number or outside [0, 100],
    or a tag has neither a label nor ``alt``.
    """
    text = check_text(text, "model output")
    out: list[Point] = []
    closes = [(c.start(), c.end()) for c in _POINT_CLOSE.finditer(text)]
    starts = [c[0] for c in closes]
    for m in _POINT_OPEN.finditer(text):
        k = bisect.bisect_left(starts, m.end())
        if k == len(closes):
            break  # no closing tag after this one (nor after any later one)
        tag = text[m.start() : closes[k][1]]
        label_text = text[m.end() : closes[k][0]]
        attrs = {a.group(1).lower(): next(v for v in a.groups()[1:] + ("",) if v is not None)
                 for a in _ATTR.finditer(m.group(2))}  # fmt: skip
        alt = attrs.get("alt", "").strip()
        label = " ".join(label_text.split()) or alt
        if not label:
            raise ParseError(f"expected a description of the object inside the tag or in alt=\"...\", got none in "
                             f"{shown(tag)}")  # fmt: skip
        if m.group(1).lower() == "point" and "x" in attrs:
            keys = [("x", "y")]
        else:
            numbered = sorted(int(k[1:]) for k in attrs if re.fullmatch(r"x\d+", k))
            keys = [(f"x{i}", f"y{i}") for i in numbered] or [("x", "y")]
        for kx, ky in keys:
            for k in (kx, ky):
                if k not in attrs:
                    raise ParseError(f"expected a {k}=\"...\" attribute in the point tag, got {shown(tag)}")
            out.append(Point(_coordinate(kx, attrs[kx], tag), _coordinate(ky, attrs[ky], tag), label[:256], alt))
    if not out:
        raise ParseError(f"expected a tag like <point x=\"61.5\" y=\"40.2\" alt=\"a mug\">a mug</point>, got "
                         f"{shown(text)}")  # fmt: skip
    return out


def parse_point(text: str) -> tuple[np.ndarray, str]:
    """The first Molmo point of ``text``: ((2,) float32 in [0, 1], description). See :func:`parse_points`."""
    p = parse_points(text)[0]
    return p.xy, p.label
