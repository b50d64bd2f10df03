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
