"""What the site shows, gathered from its sources: a leaderboard database and submission folders.

A :class:`Source` is one set of entries and rows with the folder their artifact paths are relative to
(``root``) and the only folder artifacts may be read from (``base``, see :mod:`scene_gym.site.files`). Entries
get site-wide ids (1, 2, ...) in source order, and each carries its provenance:

- ``local``: run by whoever builds the site (rows of the ``--db`` database);
- ``self-reported``: a submission folder that ``scene-gym verify`` has not verified;
- ``verified``: a submission whose ``verification.json`` (written by ``scene-gym verify``) matches its rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.views import ZERO_ON_FAILURE, mean_se


@dataclass
class Source:
    """Entries and rows from one place.

    Attributes:
        entries: entry dicts (the store's ``entries`` columns; ``config`` a dict).
        rows: result dicts (the store's ``results`` columns; ``details`` a dict), ``entry_id`` naming an entry.
        root: the folder relative artifact paths are joined to.
        base: the folder every artifact must lie in.
        provenance: ``"local"``, ``"self-reported"`` or ``"verified"``.
        metadata: a submission's metadata (name, model, links...), {} for a database.
        label: where it came from, for messages (a path).
    """

    entries: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    root: Path
    base: Path
    provenance: str = "local"
    metadata: dict[str, Any] = field(default_factory=dict)
    label: str = ""


@dataclass
class SiteEntry:
    """One entry as the site shows it: ``entry`` (with its site id in ``entry["id"]``), its source and its
    rows (``entry_id`` rewritten to the site id)."""

    entry: dict[str, Any]
    source: Source
    rows: list[dict[str, Any]]


def merge(sources: Sequence[Source]) -> list[SiteEntry]:
    """Every source's entries with site-wide ids 1, 2, ... (rows re-pointed); an entry without rows is kept."""
    out: list[SiteEntry] = []
    for src in sources:
        for e in src.entries:
            sid = len(out) + 1
            rows = [{**r, "entry_id": sid} for r in src.rows if r.get("entry_id") == e.get("id")]
            out.append(SiteEntry({**e, "id": sid}, src, rows))
    return out


def column_stats(rows: Sequence[dict], keys: Iterable[str]) -> dict[str, list[float | None]]:
    """Per key, ``[mean, standard error]`` (both None without a value): ``q`` and ``c`` over every row (a failed
    row counting 0, as in :mod:`scene_gym.benchmarks.views`), the others over the ``ok`` rows."""
    out = {}
    for k in keys:
        if k in ZERO_ON_FAILURE:
            s = mean_se(r.get(k) if r.get("status") == "ok" else 0.0 for r in rows)
        else:
            s = mean_se(r.get(k) for r in rows if r.get("status") == "ok")
        out[k] = [s.mean, s.se]
    return out


def finite(value: Any) -> float | None:
    """``value`` as a float when it is a finite number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
