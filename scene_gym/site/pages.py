"""HTML of the site's pages. Every text from a database, a submission or a model goes through :func:`esc`
(HTML-escaped, quotes included) or into the page's JSON data block through :func:`json_block` (``<``, ``>``
and ``&`` written as ``\\u003c``-style escapes, so no text can close the block), where the page script reads it
with ``textContent`` only (:mod:`scene_gym.site.static`). Links the site writes point inside the site folder.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

#: Index columns: key, header, decimals, shown with a 95 % confidence interval.
INDEX_COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("q", "Q", 2, True), ("c", "C", 2, True), ("collision_free_pct", "CF %", 1, True),
    ("in_boundary_pct", "IB %", 1, True), ("rel_rate", "Rel", 2, False), ("psa", "PSA", 2, False),
    ("n_obj", "#Obj", 1, False), ("n_oob", "#OB", 2, False), ("n_cn", "#CN", 2, False), ("wall_s", "Time s", 1, False),
)  # fmt: skip
GRADES = ("realism", "functionality", "layout", "completeness")
BADGES = {"local": ("local", "local run"), "self-reported": ("self", "self-reported"),
          "verified": ("verified", "verified")}  # fmt: skip


def esc(text: Any) -> str:
    """``text`` as HTML-escaped text (``&<>"'`` escaped); None becomes ``-``."""
    return "-" if text is None else html.escape(str(text), quote=True)


def json_block(data: Any) -> str:
    """A ``<script type="application/json" id="site-data">`` block holding ``data``."""
    text = json.dumps(data, allow_nan=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="site-data">{text}</script>'


def num(value: float | None, decimals: int = 2) -> str:
    """A number with ``decimals`` decimals, ``-`` for None."""
    return "-" if value is None else f"{value:.{decimals}f}"


def with_ci(stat: Sequence[float | None], decimals: int = 2) -> str:
    """``"mean ± 1.96 se"`` of a ``[mean, se]`` pair (``-`` without a mean)."""
    mean, se = stat
    return "-" if mean is None else f"{mean:.{decimals}f} ± {1.96 * (se or 0.0):.{decimals}f}"


def page(title: str, body: str, depth: int, data: dict | None = None, scripts: Sequence[str] = ()) -> str:
    """A whole page: ``depth`` is how many folders below the site root it lies (0 or 1), for relative links;
    ``scripts`` are site-relative paths of extra classic scripts loaded before the page script."""
    up = "../" * depth
    tags = "".join(f'<script src="{up}{esc(s)}"></script>' for s in scripts)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{esc(title)}</title>"
            f"<link rel='stylesheet' href='{up}assets/site.css'></head><body>"
            f"<header class='top'><h1><a href='{up}index.html'>scene-gym leaderboard</a></h1>"
            f"<p>{esc(title)}</p></header><main>{body}</main>{json_block(data or {})}{tags}"
            f"<script src='{up}assets/site.js'></script></body></html>\n")  # fmt: skip


def badge(provenance: str) -> str:
    """The provenance badge (``local run``, ``self-reported``, ``verified``)."""
    cls, text = BADGES.get(provenance, BADGES["self-reported"])
    return f'<span class="badge {cls}">{esc(text)}</span>'


def kv_table(pairs: Sequence[tuple[str, Any]], code: Sequence[str] = ()) -> str:
    """A two-column table of (name, value); names in ``code`` are shown as code."""
    rows = []
    for k, v in pairs:
        cell = f"<code>{esc(v)}</code>" if k in code else esc(v)
        rows.append(f'<tr><th class="l">{esc(k)}</th><td class="l">{cell}</td></tr>')
    return f"<table>{''.join(rows)}</table>"


def bar_chart(
    labels: Sequence[str], stats: Sequence[Sequence[float | None]], title: str, width: int = 640
) -> str:
    """An inline SVG bar chart: one horizontal bar per label (mean) with a 95 % interval whisker."""
    if not labels:
        return ""
    vals = [(s[0] or 0.0, 1.96 * (s[1] or 0.0)) for s in stats]
    hi = max([m + c for m, c in vals] + [1e-9])
    lo = min([m - c for m, c in vals] + [0.0])
    left, bar_h, top = 150, 16, 22
    scale = (width - left - 60) / (hi - lo)
    x0 = left + (0 - lo) * scale
    parts = [f'<svg class="chart" width="{width}" height="{top + len(labels) * (bar_h + 6) + 10}" '
             f'role="img" aria-label="{esc(title)}"><text x="4" y="14" font-weight="bold">{esc(title)}</text>']  # fmt: skip
    for i, (label, (m, c)) in enumerate(zip(labels, vals, strict=True)):
        y = top + i * (bar_h + 6)
        x, w = (x0, m * scale) if m >= 0 else (x0 + m * scale, -m * scale)
        parts.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{esc(str(label)[:24])}</text>'
                     f'<rect x="{x:.1f}" y="{y}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="#4e79a7"/>'
                     f'<line x1="{x0 + (m - c) * scale:.1f}" x2="{x0 + (m + c) * scale:.1f}" y1="{y + 8}" '
                     f'y2="{y + 8}" stroke="#222"/><text x="{x0 + (m + c) * scale + 4:.1f}" y="{y + 12}">'
                     f"{m:.2f}</text>")  # fmt: skip
    parts.append(
        f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="{top - 4}" y2="{top + len(labels) * (bar_h + 6)}" '
        'stroke="#888"/></svg>'
    )
    return "".join(parts)


def index_body(note: str) -> str:
    """The index page's static part: filters and the host the script fills with one ranked table per suite."""
    selects = "".join(f'<label>{esc(label)}<select id="f-{key}"><option value="">all</option></select></label>'
                      for key, label in (("env", "env"), ("policy", "policy"), ("suite", "suite"),
                                         ("room", "room type")))  # fmt: skip
    return (f"<p class='note'>{note}</p><div class='filters'>{selects}</div><div id='boards'></div>"
            "<p class='note'>Entries are ranked per suite by mean Q (a failed scene counts 0); cells show the mean "
            "&plusmn; a 95 % confidence interval (1.96 standard errors). Click a column to sort; pick a room type to "
            "rank on its scenes only. Badges: <em>local run</em> (run by whoever built this site), "
            "<em>self-reported</em> (a submission not rerun), <em>verified</em> (a submission whose sampled "
            "scenes <code>scene-gym verify</code> reran within tolerance).</p>")  # fmt: skip
