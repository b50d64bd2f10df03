"""A report made from an untrusted database copies only PNGs from the run's artifact folder; a read-only
leaderboard database can be read, and writing to it is a StoreError naming the path."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import traceback
from pathlib import Path

import pytest
from PIL import Image

from scene_gym.benchmarks import StoreError
from scene_gym.benchmarks.report import read_thumbnail, write_report
from scene_gym.benchmarks.store import EntryMeta, Store


def _png(colour=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buf, format="PNG")
    return buf.getvalue()


def _row(prompt: str, render_path: str | None) -> dict:
    return {"suite": "template", "suite_version": 1, "prompt_id": prompt, "label": prompt, "seed": 0,
            "status": "ok", "q": 5.0, "n_obj": 3, "render_path": render_path}  # fmt: skip


@pytest.fixture
def hostile_db(tmp_path):
    """lb.db whose rows point at one good render and at files outside the artifact folder or not PNGs."""
    art = tmp_path / "lb_artifacts" / "k" / "template"
    art.mkdir(parents=True)
    good = _png()
    (art / "render.png").write_bytes(good)
    secret = tmp_path / "secret.png"  # a PNG next to the database but outside its artifact folder
    secret.write_bytes(_png((0, 0, 255)))
    (art / "escape.png").symlink_to(secret)
    (art / "passwd.png").symlink_to("/etc/passwd")
    (art / "notes.png").write_text("not a png at all\n")
    os.mkfifo(art / "fifo.png")
    rows = {"good": "lb_artifacts/k/template/render.png", "passwd": "/etc/passwd",
            "escape": str(art / "escape.png"), "passwd_link": "lb_artifacts/k/template/passwd.png",
            "dotdot": "lb_artifacts/k/../../secret.png", "absolute_secret": str(secret),
            "not_png": "lb_artifacts/k/template/notes.png", "fifo": "lb_artifacts/k/template/fifo.png",
            "missing": "lb_artifacts/nope.png", "nul": "lb_artifacts/a\0b.png"}  # fmt: skip
    with Store(tmp_path / "lb.db") as s:
        e = s.entry(EntryMeta(key="k", name="hostile", policy="p"))
        for prompt, path in rows.items():
            s.record(e, _row(prompt, path))
    return tmp_path / "lb.db", good


def test_report_copies_only_pngs_inside_the_artifact_folder(hostile_db, tmp_path):
    db, good = hostile_db
    out = tmp_path / "site"
    with Store(db) as s:
        write_report(s, out)
    copied = sorted((out / "thumbs").iterdir())
    assert len(copied) == 1 and copied[0].read_bytes() == good
    html = (out / "index.html").read_text()
    assert html.count("<figure>") == 1 and 'alt="good"' in html
    for path in out.rglob("*"):
        assert path.is_dir() or b"root:" not in path.read_bytes()


def test_read_thumbnail_refuses_each_escape(hostile_db, tmp_path):
    root, art = tmp_path, tmp_path / "lb_artifacts"
    assert read_thumbnail("lb_artifacts/k/template/render.png", root, art) is not None
    for bad in ("/etc/passwd", str(art / "k/template/escape.png"), "lb_artifacts/k/../../secret.png",
                "lb_artifacts/k/template/passwd.png", "lb_artifacts/k/template/notes.png",
                "lb_artifacts/k/template/fifo.png", "", None, 42, "a\0b"):  # fmt: skip
        assert read_thumbnail(bad, root, art) is None, bad
    # Widening the folder on purpose lets the secret in, through the link too: the check is the folder.
    assert read_thumbnail(str(art / "k/template/escape.png"), root, tmp_path) is not None


def test_report_replaces_a_thumbs_link_instead_of_writing_through_it(hostile_db, tmp_path):
    db, _ = hostile_db
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    (out / "thumbs").symlink_to(elsewhere, target_is_directory=True)
    with Store(db) as s:
        write_report(s, out)
    assert not (out / "thumbs").is_symlink() and len(list((out / "thumbs").iterdir())) == 1
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"]


# --- read-only databases ----------------------------------------------------------------------------------
def _filled_db(folder: Path) -> Path:
    path = folder / "lb.db"
    with Store(path) as s:
        e = s.entry(EntryMeta(key="k", name="frozen", policy="p"))
        for i in range(3):
            s.record(e, _row(f"p{i}", None))
    return path


def _as_unprivileged(fn):
    """Run ``fn()`` where file permissions apply: directly for an ordinary user; as root (the tests' usual
    user, for whom chmod stops no write) in a forked child that drops to uid/gid 65534 first. Returns fn's
    JSON-able result; an exception in the child is re-raised here as AssertionError with its traceback."""
    if os.geteuid() != 0:
        return fn()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            out = {"ok": fn()}
        except BaseException:  # noqa: BLE001 - reported to the parent
            out = {"error": traceback.format_exc()}
        with os.fdopen(write, "w") as f:
            json.dump(out, f)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        out = json.loads(f.read() or '{"error": "child died"}')
    os.waitpid(pid, 0)
    if "error" in out:
        raise AssertionError(out["error"])
    return out["ok"]


@pytest.fixture
def frozen_folder():
    """A world-readable folder (not under pytest's owner-only tmp) holding a database; both made read-only."""
    folder = Path(tempfile.mkdtemp(prefix="scene-gym-ro-"))
    try:
        folder.chmod(0o755)
        path = _filled_db(folder)
        path.chmod(0o444)
        folder.chmod(0o555)
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def _read_then_try_to_write(path: str) -> dict:
    with Store(path) as s:
        got = {"read_only": s.read_only, "rows": len(s.results()), "entries": [e["name"] for e in s.entries()]}
        try:
            s.entry(EntryMeta(key="k2", name="new", policy="p"))
            got["write"] = "written"
        except StoreError as err:
            got["write"] = str(err)
    return got


def test_a_chmod_read_only_database_and_folder_open_for_reading(frozen_folder):
    path = str(frozen_folder / "lb.db")
    got = _as_unprivileged(lambda: _read_then_try_to_write(path))
    assert got["read_only"] is True and got["rows"] == 3 and got["entries"] == ["frozen"]
    assert got["write"].startswith(f"cannot create an entry in leaderboard database {path!r}: it is open read-only")
    assert sorted(p.name for p in frozen_folder.iterdir()) == ["lb.db"]  # nothing created beside it


def test_a_read_only_file_in_a_writable_folder_opens_for_reading(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="scene-gym-ro-"))
    try:
        folder.chmod(0o777 | stat.S_ISVTX)
        path = _filled_db(folder)
        path.chmod(0o444)
        got = _as_unprivileged(lambda: _read_then_try_to_write(str(path)))
        assert got["read_only"] is True and got["rows"] == 3 and "it is open read-only" in got["write"]
    finally:
        shutil.rmtree(folder)


def test_read_only_flag_reads_and_refuses_writes_naming_the_path(tmp_path):
    path = _filled_db(tmp_path)
    with Store(path, read_only=True) as s:
        assert s.read_only and len(s.results()) == 3 and s.suites() == ["template"]
        for write in (lambda: s.entry(EntryMeta(key="k3", name="x", policy="p")),
                      lambda: s.record(1, _row("p9", None))):  # fmt: skip
            with pytest.raises(StoreError, match=rf"^cannot .* leaderboard database '{path}': it is open read-only"):
                write()
    with Store(path) as s:
        assert not s.read_only and s.count() == 3  # nothing was written
    with pytest.raises(StoreError, match="no leaderboard database at .*missing.db' to open read-only"):
        Store(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


def test_read_only_open_of_a_file_without_tables_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.close()
    with pytest.raises(StoreError, match=r"expected a scene-gym/leaderboard@2 database in .*empty\.db'.*read-only"):
        Store(path, read_only=True)


def test_sqlite_read_only_errors_name_the_path_without_cannot_open_in(tmp_path):
    path = _filled_db(tmp_path)
    s = Store(path)
    try:
        s._db.execute("PRAGMA query_only = ON")  # SQLite now refuses writes as a read-only database would
        with pytest.raises(StoreError) as err:
            s.record(1, _row("p9", None))
        text = str(err.value)
        assert text.startswith(f"cannot record a result in leaderboard database {str(path)!r}:")
        assert "cannot open in" not in text
    finally:
        s.close()
