"""The static HTML leaderboard report: ``index.html`` with a sortable table per suite (plain JavaScript, no
network; the default columns followed by the published protocols' CF, IB, Pos, Rot and PSA, see
:data:`scene_gym.benchmarks.views.ALL_COLUMNS`), per-room-type bar charts (matplotlib, Agg backend, PNG in
``charts/``), per-entry room-type tables and scene thumbnails (copied into ``thumbs/``), so the folder can be
opened from disk or served as is.

Thumbnails are copied only from the run's artifact folder (``<db stem>_artifacts`` next to the database, or
the ``artifacts`` folder given): a row's ``render_path`` is resolved, links included, and skipped when it
leaves that folder, is not a regular file, is larger than :data:`MAX_THUMB_BYTES` or is not a PNG, so a
report made from an untrusted database cannot copy local files (``/etc/passwd``, a link out of the folder).

The page's script sorts each table by rank on load and then sets ``data-sort-ready="true"`` on ``<body>``
(``data-sorted-by`` on each table names its sort column), which is what the headless-browser test checks.
Without matplotlib the charts are left out and the page says so.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import stat
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.views import ALL_COLUMNS, ROOM_COLUMNS, Standing, room_table, standings
from scene_gym.scene.io import atomic_write

MAX_THUMBS_PER_ENTRY = 24
MAX_THUMB_BYTES = 16 * 2**20
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#f0f3f7;cursor:pointer;user-select:none}td.name,th.name{text-align:left}
th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}tr:nth-child(even) td{background:#fafafa}
.thumbs{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0;width:160px;font-size:11px}
figure img{width:160px;height:160px;border:1px solid #ccc;background:#eee}.note{color:#666;font-size:12px}
img.chart{max-width:100%;border:1px solid #eee}
"""

_JS = r"""
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-value');
    if (v === null) { return cell.textContent.trim().toLowerCase(); }
    return v === '' ? -Infinity : parseFloat(v);
  }
  function sortTable(table, col, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      var c = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y));
      return dir === 'asc' ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.classList.remove('asc', 'desc');
      if (i === col) { th.classList.add(dir); }
    });
    table.setAttribute('data-sorted-by', table.tHead.rows[0].cells[col].textContent.trim());
    table.setAttribute('data-sort-dir', dir);
  }
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener('click', function () {
        var dir = th.classList.contains('desc') ? 'asc' : 'desc';
        sortTable(table, i, dir);
      });
    });
    sortTable(table, 0, 'asc');
  });
  document.body.setAttribute('data-sort-ready', 'true');
  document.body.setAttribute('data-tables', String(tables.length));
})();
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _table(lines: Sequence[Standing]) -> str:
    head = ["Rank", "Entry", "Policy", "Env", "Scenes"] + [c[1] for c in ALL_COLUMNS]
    out = ['<table class="sortable"><thead><tr>']
    out += [f'<th class="{"name" if h in ("Entry", "Policy", "Env") else ""}">{_e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for st in lines:
        e = st.entry
        cells = [f'<td data-value="{st.rank}">{st.rank}</td>',
                 f'<td class="name" title="{_e(e.get("reproduce", ""))}">{_e(e.get("name", ""))}</td>',
                 f'<td class="name">{_e(e.get("policy", ""))}</td>', f'<td class="name">{_e(e.get("env", ""))}</td>',
                 f'<td data-value="{st.n_ok / max(st.n, 1):.6g}">{st.n_ok}/{st.n}</td>']  # fmt: skip
        for k, _, d, se in ALL_COLUMNS:
            s = st.stats[k]
            cells.append(f'<td data-value="{_num(s.mean)}">{_e(s.text(d, se))}</td>')
        out.append('<tr class="entry">' + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _room_html(table) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in ["Room type", "n"] + [c[1] for c in ROOM_COLUMNS])
    rows = []
    for label, n, stats in table:
        cells = "".join(f"<td>{_e(stats[k].text(d))}</td>" for k, _, d in ROOM_COLUMNS)
        rows.append(f'<tr><td class="name">{_e(label)}</td><td>{n}</td>{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _chart(path: Path, suite: str, lines: Sequence[Standing], results: Sequence[dict], key: str, title: str) -> bool:
    """A grouped bar chart: one group per room type, one bar per entry (mean with standard-error bars)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    import numpy as np

    tables = {st.entry["id"]: room_table(results, st.entry["id"], suite)[:-1] for st in lines}
    labels: list[str] = []
    for t in tables.values():
        labels += [lab for lab, _, _ in t if lab not in labels]
    if not labels:
        return False
    x = np.arange(len(labels))
    width = 0.8 / max(len(lines), 1)
    horizontal = len(labels) > 16  # many room types: one row each, names readable
    if horizontal:
        fig, ax = plt.subplots(figsize=(10.0, 1.5 + 0.12 * len(labels) * max(2, len(lines))), dpi=100)
    else:
        fig, ax = plt.subplots(figsize=(min(12.0, 3.0 + 0.45 * len(labels) * max(1, len(lines)) ** 0.5), 3.8), dpi=100)
    for i, st in enumerate(lines):
        by = {lab: stats[key] for lab, _, stats in tables[st.entry["id"]]}
        means = [by[lab].mean if lab in by and by[lab].mean is not None else 0.0 for lab in labels]
        errs = [by[lab].se if lab in by and by[lab].se is not None else 0.0 for lab in labels]
        pos = x - 0.4 + width * (i + 0.5)
        if horizontal:
            ax.barh(pos, means, width, xerr=errs, capsize=2, label=st.entry.get("name", "?"))
        else:
            ax.bar(pos, means, width, yerr=errs, capsize=2, label=st.entry.get("name", "?"))
    if horizontal:
        ax.set_yticks(x, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(title)
        ax.grid(axis="x", alpha=0.3)
    else:
        rotate = len(labels) > 6
        ax.set_xticks(x, labels, rotation=45 if rotate else 0, ha="right" if rotate else "center", fontsize=8)
        ax.set_ylabel(title)
        ax.grid(axis="y", alpha=0.3)
    ax.set_title(f"{suite}: {title} per room type")
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    atomic_write(path, buf.getvalue())
    return True


def read_thumbnail(render_path: object, root: Path, artifacts: Path) -> tuple[Path, bytes] | None:
    """(real path, bytes) of the PNG a row names (relative paths against the database folder ``root``) when,
    every link resolved, it is a regular file inside ``artifacts`` of at most :data:`MAX_THUMB_BYTES` that starts
    with the PNG signature; else None."""
    if not isinstance(render_path, str) or not render_path or "\0" in render_path:
        return None
    src = Path(render_path)
    try:
        real = (src if src.is_absolute() else root / src).resolve(strict=True)
        if not real.is_relative_to(artifacts.resolve()):
            return None
        # O_NOFOLLOW: a link swapped in after resolving is not followed; O_NONBLOCK: a FIFO does not block.
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except (OSError, RuntimeError):
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        data = f.read(MAX_THUMB_BYTES + 1)
    if len(data) > MAX_THUMB_BYTES or not data.startswith(_PNG_MAGIC):
        return None
    return real, data


def _thumbs(out: Path, root: Path, artifacts: Path, results: Sequence[dict], entry_id: int, suite: str) -> str:
    seen, figs = set(), []
    for r in results:
        if r["entry_id"] != entry_id or r["suite"] != suite or r["status"] != "ok" or not r.get("render_path"):
            continue
        label = r.get("label") or r["prompt_id"]
        if label in seen or len(figs) >= MAX_THUMBS_PER_ENTRY:
            continue
        found = read_thumbnail(r["render_path"], root, artifacts)
        if found is None:
            continue
        seen.add(label)
        name = hashlib.sha1(str(found[0]).encode()).hexdigest()[:16] + ".png"
        atomic_write(out / "thumbs" / name, found[1])
        q = "" if r.get("q") is None else f" Q {r['q']:.2f}"
        figs.append(f'<figure><img src="thumbs/{name}" alt="{_e(label)}" loading="lazy">'
                    f"<figcaption>{_e(label)} (seed {r['seed']}){_e(q)}</figcaption></figure>")  # fmt: skip
    return f'<div class="thumbs">{"".join(figs)}</div>' if figs else '<p class="note">no renders recorded</p>'


def write_report(store, out_dir: str | Path, suite: str | None = None, metric: str = "q",
                 artifacts: str | Path | None = None) -> Path:
    """Write the report for ``store`` (a :class:`~scene_gym.benchmarks.store.Store`) into ``out_dir``;
    returns the path of ``index.html``. Artifact paths are resolved against the database's folder; thumbnails
    are copied only from ``artifacts`` (default: the run's artifact folder, ``<db stem>_artifacts`` next to the
    database), see the module docstring."""
    from scene_gym import __version__

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    thumbs = out / "thumbs"
    if thumbs.is_symlink():  # replace a link rather than empty or write into the folder it points at
        thumbs.unlink()
    shutil.rmtree(thumbs, ignore_errors=True)
    root = store.path.resolve().parent
    artifacts = Path(artifacts) if artifacts is not None else root / f"{store.path.stem}_artifacts"
    results, entries = store.results(suite), store.entries()
    lines = standings(results, entries, suite, metric)
    parts = [f"<h1>scene-gym leaderboard</h1><p class='note'>{_e(store.path.name)} &middot; scene-gym "
             f"{_e(__version__)} &middot; generated {_e(time.strftime('%Y-%m-%d %H:%M:%S'))} &middot; ranked by "
             f"mean {_e(metric)} (failed scenes count 0) &plusmn; standard error</p>"]  # fmt: skip
    if not lines:
        parts.append("<p>No results yet: run <code>scene-gym benchmark</code> first.</p>")
    no_mpl = False
    for s in sorted({st.suite for st in lines}):
        sl = [st for st in lines if st.suite == s]
        parts.append(f'<h2 id="suite-{_e(s)}">Suite {_e(s)}</h2>{_table(sl)}')
        for key, title in (("q", "Q"), ("n_obj", "#Obj")):
            name = f"charts/{s}_{key}.png"
            if _chart(out / name, s, sl, results, key, title):
                parts.append(f'<p><img class="chart" src="{_e(name)}" alt="{_e(s)} {_e(title)} per room type"></p>')
            else:
                no_mpl = True
        for st in sl:
            parts.append(f"<details><summary>{_e(st.entry.get('name'))}: per room type, thumbnails</summary>"
                         f"<p class='note'>reproduce: <code>{_e(st.entry.get('reproduce', ''))} --suite {_e(s)}</code>"
                         f"</p>{_room_html(room_table(results, st.entry['id'], s))}"
                         f"{_thumbs(out, root, artifacts, results, st.entry['id'], s)}</details>")  # fmt: skip
    if no_mpl:
        parts.append("<p class='note'>Bar charts need matplotlib (<code>pip install matplotlib</code>).</p>")
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>scene-gym leaderboard</title>"
            f"<style>{_CSS}</style></head><body>{''.join(parts)}<script>{_JS}</script></body></html>\n")  # fmt: skip
    return atomic_write(out / "index.html", page)
