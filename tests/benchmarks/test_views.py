"""Leaderboard views: mean +- standard error, ranking with failures counted 0, text formats."""

from __future__ import annotations

import csv
import io
import math

import pytest

from scene_gym.benchmarks import BenchmarkError
from scene_gym.benchmarks.views import (
    ALL_COLUMNS,
    COLUMNS,
    PROTOCOL_COLUMNS,
    format_rooms,
    format_standings,
    mean_se,
    room_table,
    standings,
)


def test_mean_and_standard_error():
    s = mean_se([1.0, 2.0, 3.0, None, float("nan")])
    assert (s.mean, s.n) == (2.0, 3)
    assert s.se == pytest.approx(1.0 / math.sqrt(3))
    assert mean_se([4.0]).se == 0.0 and mean_se([]).mean is None
    assert mean_se([1.0, 3.0]).text(1, True) == "2.0 ± 1.0" and mean_se([]).text() == "-"


def _rows():
    rows = []
    for eid, qs in ((1, [6.0, 8.0, None]), (2, [5.0, 5.0, 5.0])):
        for seed, q in enumerate(qs):
            rows.append({"entry_id": eid, "suite": "template", "prompt_id": "bedroom" if seed < 2 else "gym",
                         "label": "bedroom" if seed < 2 else "gym", "seed": seed,
                         "status": "ok" if q is not None else "failed", "q": q, "c": q, "n_obj": 3 if q else None,
                         "wall_s": 1.0})
    return rows


ENTRIES = [{"id": 1, "name": "flaky", "policy": "a"}, {"id": 2, "name": "steady", "policy": "b"}]


def test_ranking_counts_failures_as_zero_q():
    lines = standings(_rows(), ENTRIES)
    assert [(st.rank, st.entry["name"]) for st in lines] == [(1, "steady"), (2, "flaky")]
    flaky = lines[1]
    assert flaky.stats["q"].mean == pytest.approx(14 / 3) and flaky.stats["q"].n == 3
    assert flaky.stats["n_obj"].mean == 3 and flaky.stats["n_obj"].n == 2  # other columns: finished scenes only
    assert (flaky.n, flaky.n_ok, flaky.n_failed, flaky.n_timeout) == (3, 2, 1, 0)
    with pytest.raises(BenchmarkError, match="ranking metric"):
        standings(_rows(), ENTRIES, metric="vibes")


def test_formats():
    lines = standings(_rows(), ENTRIES)
    table = format_standings(lines, "table")
    assert table.splitlines()[0].split()[:4] == ["Rank", "Entry", "Suite", "Scenes"]
    assert "5.00 ± 0.00" in table and "2/3 (1F 0T)" in table
    md = format_standings(lines, "md").splitlines()
    assert md[1].startswith("|---|") and md[2].startswith("| 1 | steady |")
    rows = list(csv.DictReader(io.StringIO(format_standings(lines, "csv"))))
    assert rows[1]["entry"] == "flaky" and float(rows[1]["q_mean"]) == pytest.approx(14 / 3)
    with pytest.raises(BenchmarkError, match="format"):
        format_standings(lines, "pdf")
    rooms = room_table(_rows(), 1, "template")
    assert [(label, n) for label, n, _ in rooms] == [("bedroom", 2), ("gym", 1), ("average", 3)]
    assert rooms[0][2]["q"].mean == 7.0 and rooms[1][2]["q"].mean == 0.0
    assert "| bedroom | 2 |" in format_rooms(rooms, "md")


def _protocol_rows():
    """Entry 1: two new rows with the protocol columns and one from an @1 database (None there); entry 2: only
    @1 rows."""
    new = {"collision_free_pct": 100.0, "in_boundary_pct": 100.0, "pos_coherence": 1.0, "rot_coherence": 0.5,
           "psa": 8.0}  # fmt: skip
    rows = []
    for eid, seed, extra in ((1, 0, new), (1, 1, {**new, "collision_free_pct": 50.0, "psa": 4.0}), (1, 2, {}),
                             (2, 0, {})):  # fmt: skip
        row = {"entry_id": eid, "suite": "template", "prompt_id": "bedroom", "label": "bedroom", "seed": seed,
               "status": "ok", "q": 7.0 - eid, "c": 7.0 - eid, "rel_rate": 0.5}
        rows.append({**row, **{k: None for k in new}, **extra})
    return rows


def test_protocol_view_shows_old_rows_as_dashes_and_csv_carries_every_column():
    lines = standings(_protocol_rows(), ENTRIES)
    first, second = lines
    assert first.stats["collision_free_pct"].mean == 75.0 and first.stats["collision_free_pct"].n == 2
    assert first.stats["psa"].mean == 6.0 and second.stats["psa"].mean is None
    table = format_standings(lines, "table", PROTOCOL_COLUMNS)
    head, _, row1, row2 = table.splitlines()
    assert head.split()[4:] == ["Q", "CF", "%", "IB", "%", "Rel", "Pos", "Rot", "PSA", "Q_vis"]
    assert "75.0 ± 25.0" in row1 and "6.00 ± 2.00" in row1 and "1.00 ± 0.00" in row1
    assert row2.split()[4:] == ["5.00", "±", "0.00", "-", "-", "0.50", "±", "0.00", "-", "-", "-", "-"]
    default = format_standings(lines, "table")
    assert "PSA" not in default and "CF" not in default  # the default view keeps its columns
    md = format_standings(lines, "md", PROTOCOL_COLUMNS)
    assert "| CF % | IB % | Rel | Pos | Rot | PSA |" in md
    rows = list(csv.DictReader(io.StringIO(format_standings(lines, "csv"))))
    assert set(rows[0]) >= {f"{k}_mean" for k, *_ in ALL_COLUMNS} | {f"{k}_se" for k, *_ in ALL_COLUMNS}
    assert float(rows[0]["psa_mean"]) == 6.0 and rows[1]["psa_mean"] == "" and rows[1]["q_mean"] == "5"
    assert [k for k, *_ in ALL_COLUMNS][: len(COLUMNS)] == [k for k, *_ in COLUMNS]
    assert [st.entry["name"] for st in standings(_protocol_rows(), ENTRIES, metric="psa")] == ["flaky", "steady"]
