"""The SQLite leaderboard store: entries, one row per scene, resume sets, concurrent writers, bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from scene_gym.benchmarks import StoreError
from scene_gym.benchmarks.store import EntryMeta, Store


def _row(prompt: str, seed: int = 0, status: str = "ok", q: float = 5.0) -> dict:
    return {"suite": "template", "suite_version": 1, "prompt_id": prompt, "label": prompt, "seed": seed,
            "status": status, "q": q, "n_obj": 3, "details": {"why": "test"}}


def test_entry_is_found_again_by_key_and_rows_are_unique(tmp_path):
    path = tmp_path / "lb.db"
    with Store(path) as s:
        e1 = s.entry(EntryMeta(key="k1", name="a", policy="test:fast", config={"max_steps": 3}))
        assert s.entry(EntryMeta(key="k1", name="renamed", policy="x")) == e1
        e2 = s.entry(EntryMeta(key="k2", name="b", policy="test:fast"))
        assert e2 != e1
        assert s.record(e1, _row("bedroom", 0, q=4.0)) is True
        assert s.record(e1, _row("bedroom", 0, q=9.0)) is False  # first writer wins
        assert s.record(e1, _row("bedroom", 1, status="failed", q=None)) is True
        assert s.record(e2, _row("bedroom", 0)) is True
        assert s.done(e1, "template") == {("bedroom", 0), ("bedroom", 1)}
        assert s.done(e1, "template", ("ok",)) == {("bedroom", 0)}
        assert s.record(e1, _row("bedroom", 1, q=7.0), replace=True) is True
        rows = s.results("template", e1)
        assert [(r["seed"], r["status"], r["q"]) for r in rows] == [(0, "ok", 4.0), (1, "ok", 7.0)]
        assert rows[0]["details"] == {"why": "test"}
        assert s.entries()[0]["config"] == {"max_steps": 3} and s.entries()[0]["name"] == "a"
        assert s.suites() == ["template"] and s.count() == 3
    # WAL mode persists in the file
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_bad_rows_are_rejected_before_writing(tmp_path):
    with Store(tmp_path / "lb.db") as s:
        e = s.entry(EntryMeta(key="k", name="a", policy="p"))
        with pytest.raises(StoreError, match="expected status among"):
            s.record(e, _row("x", status="great"))
        with pytest.raises(StoreError, match="'seed'"):
            s.record(e, {"suite": "s", "prompt_id": "p", "status": "ok"})
        assert s.count() == 0


def test_not_a_database_file_is_a_clear_error(tmp_path):
    path = tmp_path / "lb.db"
    path.write_bytes(b"this is a text file, not a database\n" * 10)
    with pytest.raises(StoreError, match=r"lb\.db.* is not a SQLite database"):
        Store(path)
    with pytest.raises(StoreError, match="folder"):
        Store(tmp_path)


def test_corrupt_database_is_a_clear_error(tmp_path):
    path = tmp_path / "lb.db"
    with Store(path) as s:
        e = s.entry(EntryMeta(key="k", name="a", policy="p"))
        for i in range(50):
            s.record(e, _row(f"p{i}"))
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # keep the header, destroy every page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="corrupt"):
        s = Store(path)
        s.results()


def test_locked_database_is_a_clear_error(tmp_path):
    path = tmp_path / "lb.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match=r"locked by another process \(waited 0.2 s"):
            s = Store(path, timeout_s=0.2)
            s.entry(EntryMeta(key="k", name="a", policy="p"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(path, timeout_s=0.2) as s:  # usable again once the lock is gone
        assert s.entry(EntryMeta(key="k", name="a", policy="p")) == 1


_WRITER = textwrap.dedent("""
    import sys
    from scene_gym.benchmarks.store import EntryMeta, Store
    path, who = sys.argv[1], int(sys.argv[2])
    with Store(path, timeout_s=60) as s:
        e = s.entry(EntryMeta(key="shared", name="shared", policy="p"))
        for i in range(60):
            s.record(e, {"suite": "t", "prompt_id": f"w{who}_{i}", "seed": 0, "status": "ok", "q": float(i)})
            s.record(e, {"suite": "t", "prompt_id": f"common_{i % 10}", "seed": 0, "status": "ok", "q": float(who)})
    print("done", who)
""")


def test_four_concurrent_writer_processes_lose_nothing(tmp_path):
    path = tmp_path / "lb.db"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(k)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [o[1][-800:] for o in outs]
    with Store(path) as s:
        rows = s.results("t")
        keys = [(r["prompt_id"], r["seed"]) for r in rows]
        assert len(s.entries()) == 1
    assert len(keys) == len(set(keys)) == 4 * 60 + 10
    for k in range(4):
        assert {p for p, _ in keys if p.startswith(f"w{k}_")} == {f"w{k}_{i}" for i in range(60)}


#: The leaderboard@1 DDL as this package wrote it before the protocol columns (CF, IB, Pos, Rot, PSA).
_V1_METRICS = ("n_obj INTEGER, n_oob INTEGER, n_cn INTEGER, realism REAL, functionality REAL, layout REAL, "
               "completeness REAL, q_vis REAL, q_phy REAL, q REAL, c REAL, count_rate REAL, attr_rate REAL, "
               "rel_rate REAL, nav REAL, acc REAL, reward REAL, steps INTEGER, wall_s REAL")  # fmt: skip
_V1_DDL = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE entries (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        policy TEXT NOT NULL, policy_name TEXT, policy_version TEXT, model_path TEXT, model_hash TEXT, env TEXT NOT NULL,
        reward TEXT, judge TEXT, config TEXT, package_version TEXT, git_commit TEXT, reproduce TEXT, created_at REAL)""",
    f"""CREATE TABLE results (id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entries(id),
        suite TEXT NOT NULL, suite_version INTEGER, prompt_id TEXT NOT NULL, label TEXT, seed INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'timeout')), error TEXT, {_V1_METRICS},
        scene_path TEXT, render_path TEXT, details TEXT, git_commit TEXT, created_at REAL,
        UNIQUE (entry_id, suite, prompt_id, seed))""",
    "CREATE INDEX results_suite ON results (suite, entry_id)",
    "INSERT INTO meta VALUES ('schema', 'scene-gym/leaderboard@1')",
    "INSERT INTO entries (key, name, policy, env, config) VALUES ('k1', 'old', 'heuristic', 'scene', '{}')",
    "INSERT INTO results (entry_id, suite, prompt_id, seed, status, q, rel_rate, details) "
    "VALUES (1, 'template', 'bedroom', 0, 'ok', 6.5, 0.5, '{}')",
]


def _v1_db(path):
    con = sqlite3.connect(path)
    for ddl in _V1_DDL:
        con.execute(ddl)
    con.commit()
    con.close()
    return path


def test_a_v1_database_opens_read_only_as_it_is_and_is_migrated_when_opened_for_writing(tmp_path):
    from scene_gym.benchmarks.store import METRICS, STORE_SCHEMA

    path = _v1_db(tmp_path / "v1.db")
    with Store(path, read_only=True) as s:  # read as it is: the new columns are None
        (row,) = s.results()
        assert row["q"] == 6.5 and row["rel_rate"] == 0.5 and row["psa"] is None and row["pos_coherence"] is None
    assert "psa" not in {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(results)")}
    with Store(path) as s:
        (old,) = s.results()
        assert old["q"] == 6.5 and all(old[k] is None for k in ("collision_free_pct", "in_boundary_pct",
                                                                "pos_coherence", "rot_coherence", "psa"))  # fmt: skip
        new = {**_row("office"), "collision_free_pct": 80.0, "in_boundary_pct": 100.0, "pos_coherence": 0.5,
               "rot_coherence": 1.0, "psa": 6.0}  # fmt: skip
        assert s.record(1, new) is True
        assert [(r["prompt_id"], r["psa"], r["collision_free_pct"]) for r in s.results()] == [
            ("bedroom", None, None), ("office", 6.0, 80.0)]
    con = sqlite3.connect(path)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == STORE_SCHEMA
    assert set(METRICS) <= {r[1] for r in con.execute("PRAGMA table_info(results)")}
    con.close()
    with Store(path) as s:  # opening a migrated database again changes nothing
        assert s.count() == 2


def test_a_newer_schema_is_refused(tmp_path):
    path = _v1_db(tmp_path / "v9.db")
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = 'scene-gym/leaderboard@9'")
    con.commit()
    con.close()
    for read_only in (None, True):
        with pytest.raises(StoreError, match="expected a scene-gym/leaderboard@2 database .*leaderboard@9"):
            Store(path, read_only=read_only)
