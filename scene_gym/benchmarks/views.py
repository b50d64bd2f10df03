"""Leaderboard views: rankings with mean +- standard error, SceneOrchestra-style per-room-type tables, and
their text formats (``table``, ``md``, ``csv``; ``html`` is :mod:`scene_gym.benchmarks.report`).

Ranking: entries are ranked within each suite by the mean of ``metric`` (default ``q``, SceneOrchestra's
Q; ``reward`` ranks by the episode return, which on the asset suite is the asset-level reward of the final
scene, since the asset env's default reward starts at 0 on an empty receptacle) over **all** their scenes, a failed or timed-out scene counting 0 for ``q`` and ``c`` (an empty room
scores about 4, so failing is never better than doing nothing). Every other column is the mean over the
scenes that finished (``ok``). The standard error is ``std(ddof=1) / sqrt(n)`` (0 for one scene).

Column sets: :data:`COLUMNS` is the default view; :data:`PROTOCOL_COLUMNS` (``scene-gym leaderboard --protocol``)
shows the published protocols' metrics beside Q: CF and IB (LayoutVLM, percent), ``Rel`` (``rel_rate``,
SceneCraft's constraint passing score), positional and rotational coherence and the physically weighted judge
score (:mod:`scene_gym.rewards.protocol_metrics`). The CSV format carries every column of both sets. Rows of a
database made before a column existed hold None there, shown as ``-`` (empty in CSV).
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scene_gym.benchmarks.errors import BenchmarkError

#: Leaderboard columns: key, header, decimals, shown with +- standard error.
COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("q", "Q", 2, True), ("c", "C", 2, True), ("reward", "Return", 2, True), ("q_vis", "Q_vis", 2, False),
    ("n_obj", "#Obj", 1, False),
    ("n_oob", "#OB", 2, False), ("n_cn", "#CN", 2, False), ("count_rate", "Count", 2, False),
    ("attr_rate", "Attr", 2, False), ("rel_rate", "Rel", 2, False), ("nav", "NAV", 2, False),
    ("acc", "ACC", 2, False), ("wall_s", "Time s", 2, False),
)  # fmt: skip
#: The published protocols' view: key, header, decimals, shown with +- standard error.
PROTOCOL_COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("q", "Q", 2, True), ("collision_free_pct", "CF %", 1, True), ("in_boundary_pct", "IB %", 1, True),
    ("rel_rate", "Rel", 2, True), ("pos_coherence", "Pos", 2, True), ("rot_coherence", "Rot", 2, True),
    ("psa", "PSA", 2, True), ("q_vis", "Q_vis", 2, False),
)  # fmt: skip
#: Every column a standing carries (the default view's, then the protocol view's others), in CSV order.
ALL_COLUMNS: tuple[tuple[str, str, int, bool], ...] = COLUMNS + tuple(
    c for c in PROTOCOL_COLUMNS if c[0] not in {k for k, *_ in COLUMNS})
#: Per-room-type columns (SceneOrchestra's tables): key, header, decimals.
ROOM_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("n_obj", "#Obj", 1), ("n_oob", "#OB", 2), ("n_cn", "#CN", 2), ("realism", "Real.", 2),
    ("functionality", "Func.", 2), ("layout", "Layout", 2), ("completeness", "Compl.", 2), ("q", "Q", 2),
    ("wall_s", "Time s", 2),
)  # fmt: skip
ZERO_ON_FAILURE = ("q", "c")
FORMATS = ("table", "md", "csv", "html")


@dataclass(frozen=True)
class Stat:
    """Mean, standard error and count of a metric (mean and se None when no value)."""

    mean: float | None
    se: float | None
    n: int

    def text(self, decimals: int = 2, with_se: bool = False) -> str:
        """``"5.12 ± 0.30"`` (or ``"-"`` with no value)."""
        if self.mean is None:
            return "-"
        return f"{self.mean:.{decimals}f}" + (f" ± {self.se:.{decimals}f}" if with_se else "")


def mean_se(values: Iterable[float | None]) -> Stat:
    """:class:`Stat` of the non-None, finite values."""
    xs = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if not xs:
        return Stat(None, None, 0)
    m = sum(xs) / len(xs)
    if len(xs) < 2:
        return Stat(m, 0.0, len(xs))
    var = sum((x - m) ** 2 for x in xs) / (len(xs) - 1)
    return Stat(m, math.sqrt(var / len(xs)), len(xs))


def _stats(rows: Sequence[dict], keys: Iterable[str]) -> dict[str, Stat]:
    ok = [r for r in rows if r["status"] == "ok"]
    out = {}
    for k in keys:
        if k in ZERO_ON_FAILURE:
            out[k] = mean_se(r.get(k) if r["status"] == "ok" else 0.0 for r in rows)
        else:
            out[k] = mean_se(r.get(k) for r in ok)
    return out


@dataclass
class Standing:
    """One (entry, suite) line of the leaderboard."""

    rank: int
    entry: dict[str, Any]
    suite: str
    n: int
    n_ok: int
    n_failed: int
    n_timeout: int
    stats: dict[str, Stat] = field(default_factory=dict)


def standings(results: Sequence[dict], entries: Sequence[dict], suite: str | None = None,
              metric: str = "q") -> list[Standing]:  # fmt: skip
    """Ranked :class:`Standing` lines (module docstring), grouped by suite (sorted by name), best first; each
    carries the stats of every column of :data:`ALL_COLUMNS`, and ``metric`` may be any of them."""
    keys = [c[0] for c in ALL_COLUMNS]
    if metric not in keys:
        raise BenchmarkError(f"expected a ranking metric among {keys}, got {metric!r}")
    by_id = {e["id"]: e for e in entries}
    groups: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for r in results:
        if suite is None or r["suite"] == suite:
            groups[(r["suite"], r["entry_id"])].append(r)
    out: list[Standing] = []
    for s in sorted({k[0] for k in groups}):
        lines = []
        for (gs, eid), rows in groups.items():
            if gs != s:
                continue
            status = [r["status"] for r in rows]
            lines.append(Standing(0, by_id.get(eid, {"id": eid, "name": f"entry {eid}"}), s, len(rows),
                                  status.count("ok"), status.count("failed"), status.count("timeout"),
                                  _stats(rows, keys)))  # fmt: skip
        lines.sort(key=lambda st: (-(st.stats[metric].mean if st.stats[metric].mean is not None else -math.inf),
                                   st.entry.get("name", "")))  # fmt: skip
        for i, st in enumerate(lines, 1):
            st.rank = i
        out.extend(lines)
    return out


def room_table(results: Sequence[dict], entry_id: int, suite: str) -> list[tuple[str, int, dict[str, Stat]]]:
    """Per room type (``label``) of one entry on one suite: (label, scenes, stats of :data:`ROOM_COLUMNS`),
    in the suite's prompt order (a suite that cannot be loaded: by label), then an ``"average"`` line over
    every scene."""
    order = _prompt_order(suite)
    rows = sorted((r for r in results if r["entry_id"] == entry_id and r["suite"] == suite),
                  key=lambda r: (order.get(r["prompt_id"], len(order)), r.get("label") or "", r["seed"]))
    labels: dict[str, list[dict]] = {}
    for r in rows:
        labels.setdefault(r.get("label") or r["prompt_id"], []).append(r)
    keys = [c[0] for c in ROOM_COLUMNS]
    out = [(label, len(rs), _stats(rs, keys)) for label, rs in labels.items()]
    if rows:
        out.append(("average", len(rows), _stats(rows, keys)))
    return out


def _prompt_order(suite: str) -> dict[str, int]:
    from scene_gym.benchmarks.suites import load_suite

    try:
        return {e.id: i for i, e in enumerate(load_suite(suite).entries)}
    except BenchmarkError:
        return {}


# --- text formats ----------------------------------------------------------------------------------------------
def _header(columns) -> list[str]:
    return ["Rank", "Entry", "Suite", "Scenes"] + [c[1] for c in columns]


def _cells(st: Standing, columns) -> list[str]:
    scenes = f"{st.n_ok}/{st.n}" + (f" ({st.n_failed}F {st.n_timeout}T)" if st.n_failed or st.n_timeout else "")
    return [str(st.rank), st.entry.get("name", ""), st.suite, scenes] + [
        st.stats[k].text(d, se) for k, _, d, se in columns]


def _aligned(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    esc = lambda c: c.replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def format_standings(lines: Sequence[Standing], fmt: str = "table",
                     columns: Sequence[tuple[str, str, int, bool]] | None = None) -> str:  # fmt: skip
    """The leaderboard as text: ``table`` (aligned columns), ``md`` (a Markdown table) or ``csv`` (one
    column per mean and per standard error, full precision, plus entry identity columns). ``columns``: the
    column set of ``table`` and ``md`` (default :data:`COLUMNS`; :data:`PROTOCOL_COLUMNS` for the published
    protocols' view); ``csv`` always carries :data:`ALL_COLUMNS`."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        ids = ["policy", "policy_version", "env", "reward", "judge", "model_path", "model_hash", "git_commit"]
        w.writerow(["rank", "entry", "suite", "n", "n_ok", "n_failed", "n_timeout", *ids,
                    *(f"{k}{s}" for k, *_ in ALL_COLUMNS for s in ("_mean", "_se"))])  # fmt: skip
        for st in lines:
            vals = []
            for k, *_ in ALL_COLUMNS:
                s = st.stats[k]
                vals += ["" if s.mean is None else f"{s.mean:.6g}", "" if s.se is None else f"{s.se:.6g}"]
            w.writerow([st.rank, st.entry.get("name", ""), st.suite, st.n, st.n_ok, st.n_failed, st.n_timeout,
                        *(st.entry.get(i, "") for i in ids), *vals])  # fmt: skip
        return buf.getvalue()
    columns = COLUMNS if columns is None else tuple(columns)
    rows = [_cells(st, columns) for st in lines]
    if fmt == "table":
        return _aligned(_header(columns), rows)
    if fmt == "md":
        return _markdown(_header(columns), rows)
    raise BenchmarkError(f"expected a format among {list(FORMATS)}, got {fmt!r}")


def format_rooms(table: list[tuple[str, int, dict[str, Stat]]], fmt: str = "table") -> str:
    """A :func:`room_table` as text (``table`` or ``md``)."""
    header = ["Room type", "n"] + [c[1] for c in ROOM_COLUMNS]
    rows = [[label, str(n)] + [stats[k].text(d) for k, _, d in ROOM_COLUMNS] for label, n, stats in table]
    if fmt == "md":
        return _markdown(header, rows)
    if fmt == "table":
        return _aligned(header, rows)
    raise BenchmarkError(f"expected a format among ['table', 'md'], got {fmt!r}")
