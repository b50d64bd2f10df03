"""The leaderboard store: one SQLite file (WAL mode), safe for several writer processes at once.

Tables (``"schema": "scene-gym/leaderboard@2"`` in ``meta``):

- ``entries``: one row per benchmark configuration (policy spec, name and version, model path and hash, env,
  reward and judge, the run's options, package version, git commit, a reproduce command). ``key`` is a hash
  of everything that changes results (not the git commit), so re-running the same configuration finds its
  entry and skips the scenes already recorded.
- ``results``: one row per (entry, suite, prompt, seed), unique; the per-scene columns of :data:`METRICS`
  plus status (``ok``, ``failed``, ``timeout``), error, suite version, room label, artifact paths, details
  (JSON), the git commit that produced it and a timestamp.

Schema history: ``@1`` had no ``collision_free_pct``, ``in_boundary_pct``, ``pos_coherence``, ``rot_coherence``
or ``psa`` columns. Opening an older database for writing adds every missing :data:`METRICS` column with
``ALTER TABLE ... ADD COLUMN`` (old rows hold NULL there, shown as ``-``) and records the new schema, in one
transaction; opened read-only it is read as it is, rows getting None for the columns it lacks.

Every write is one ``BEGIN IMMEDIATE`` transaction, so a killed process leaves either the whole row or
nothing; concurrent writers wait up to ``timeout_s`` (SQLite's busy timeout) instead of failing. A file that
is not a SQLite database, a corrupt one, one locked for longer than the wait, or a full disk raise
:class:`~scene_gym.benchmarks.errors.StoreError` naming the file.

A database whose file or folder is not writable (a shared, archived or read-only mounted leaderboard) opens
for reading only (``read_only=None`` finds out; ``True`` forces it): SQLite's ``mode=ro``, and, for a WAL
database whose ``-shm`` file cannot be created, ``immutable=1`` (rows still only in an uncheckpointed ``-wal``
file are then not seen; a store closed normally leaves none). Writing to such a store raises
:class:`~scene_gym.benchmarks.errors.StoreError` naming the path.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.errors import StoreError

STORE_SCHEMA = "scene-gym/leaderboard@2"
#: Older schemas this code opens (migrated when opened for writing; read as they are when read-only).
OLD_SCHEMAS = ("scene-gym/leaderboard@1",)
_MAGIC = b"SQLite format 3\x00"
STATUSES = ("ok", "failed", "timeout")

#: Per-scene metric columns: name -> (SQL type, meaning). Counts are integers; grades 0-10; rates 0-1.
METRICS: dict[str, tuple[str, str]] = {
    "n_obj": ("INTEGER", "#Obj: counted objects"),
    "n_oob": ("INTEGER", "#OB: objects out of the room"),
    "n_cn": ("INTEGER", "#CN: colliding pairs"),
    "realism": ("REAL", "judge grade 0-10"),
    "functionality": ("REAL", "judge grade 0-10"),
    "layout": ("REAL", "judge grade 0-10"),
    "completeness": ("REAL", "judge grade 0-10"),
    "q_vis": ("REAL", "mean grade 0-10"),
    "q_phy": ("REAL", "n_obj - 4 (n_oob + n_cn)"),
    "q": ("REAL", "SceneOrchestra Q = 0.1 Q_phy + Q_vis"),
    "c": ("REAL", "C = Q - 0.05 T (T: wall minutes)"),
    "count_rate": ("REAL", "spec counts satisfied, 0-1 (null: none asked)"),
    "attr_rate": ("REAL", "spec attributes satisfied, 0-1 (null: none asked)"),
    "rel_rate": ("REAL", "spec relations satisfied, 0-1 (null: none asked)"),
    "collision_free_pct": ("REAL", "CF: % of counted objects in no collision (LayoutVLM)"),
    "in_boundary_pct": ("REAL", "IB: % of counted objects inside the room (LayoutVLM)"),
    "pos_coherence": ("REAL", "positional coherence 0-1 (null: nothing to score)"),
    "rot_coherence": ("REAL", "rotational coherence 0-1 (null: nothing to score)"),
    "psa": ("REAL", "physically weighted judge score 0-10: q_vis x valid share"),
    "nav": ("REAL", "navigability 0-1"),
    "acc": ("REAL", "accessibility 0-1"),
    "reward": ("REAL", "episode return in the env"),
    "steps": ("INTEGER", "env steps"),
    "wall_s": ("REAL", "seconds for the episode, evaluation and artifacts"),
}

_ENTRY_COLUMNS = ("key", "name", "policy", "policy_name", "policy_version", "model_path", "model_hash", "env",
                  "reward", "judge", "config", "package_version", "git_commit", "reproduce", "created_at")  # fmt: skip
_ROW_COLUMNS = ("entry_id", "suite", "suite_version", "prompt_id", "label", "seed", "status", "error",
                *METRICS, "scene_path", "render_path", "details", "git_commit", "created_at")  # fmt: skip

_DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS entries (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, policy TEXT NOT NULL,
        policy_name TEXT, policy_version TEXT, model_path TEXT, model_hash TEXT, env TEXT NOT NULL,
        reward TEXT, judge TEXT, config TEXT, package_version TEXT, git_commit TEXT, reproduce TEXT,
        created_at REAL)""",
    f"""CREATE TABLE IF NOT EXISTS results (
        id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entries(id), suite TEXT NOT NULL,
        suite_version INTEGER, prompt_id TEXT NOT NULL, label TEXT, seed INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'timeout')), error TEXT,
        {", ".join(f"{k} {t}" for k, (t, _) in METRICS.items())},
        scene_path TEXT, render_path TEXT, details TEXT, git_commit TEXT, created_at REAL,
        UNIQUE (entry_id, suite, prompt_id, seed))""",
    "CREATE INDEX IF NOT EXISTS results_suite ON results (suite, entry_id)",
]


@dataclass(frozen=True)
class EntryMeta:
    """What identifies and reproduces a leaderboard entry.

    Attributes:
        key: hash of the result-changing configuration (see :func:`scene_gym.benchmarks.runner.entry_meta`).
        name: display name, e.g. ``"heuristic@1 scene"``.
        policy: the policy spec given (``"heuristic"``, ``"vlm:/models/x"``).
        policy_name, policy_version: from ``Policy.describe()``.
        model_path, model_hash: the model a policy loads ("" when none); the hash is sha256 of its files.
        env: env kind (``scene``, ``trajectory``, ``toolstep``, ``asset``).
        reward, judge: the env reward spec and the judge that grades final scenes.
        config: every other option that changes results (max steps, image size...).
        package_version, git_commit: code identity at entry creation.
        reproduce: a ``scene-gym benchmark`` command line re-creating the entry's rows.
    """

    key: str
    name: str
    policy: str
    policy_name: str = ""
    policy_version: str = ""
    model_path: str = ""
    model_hash: str = ""
    env: str = "scene"
    reward: str = ""
    judge: str = "offline"
    config: dict = field(default_factory=dict)
    package_version: str = ""
    git_commit: str = "unknown"
    reproduce: str = ""


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class Store:
    """A leaderboard database (module docstring).

    Args:
        path: the SQLite file; created with its folder when missing (unless read-only).
        timeout_s: how long a write waits for another writer's lock before :class:`StoreError`, seconds.
        read_only: open for reading only: no tables are created and writes raise :class:`StoreError`. None
            (default): read-only when the file exists and it or its folder is not writable, or when opening it
            for writing fails because it is read-only.

    Attributes:
        read_only: whether the store was opened for reading only.
    """

    def __init__(self, path: str | os.PathLike, timeout_s: float = 60.0, *, read_only: bool | None = None):
        self.path = Path(path)
        self.timeout_s = float(timeout_s)
        self._db = None
        self._check_header()
        exists = self.path.is_file()
        if read_only is None:
            read_only = exists and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        self.read_only = bool(read_only)
        if self.read_only:
            self._open_read_only()
            return
        try:
            self._open_for_writing()
        except StoreError as err:
            if not (exists and any(w in str(err).lower() for w in ("readonly", "read-only", "unable to open"))):
                raise
            self.close()  # the file or its folder is read-only after all (a read-only mount): read it as such
            self.read_only = True
            self._open_read_only()

    def _open_for_writing(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"cannot open leaderboard database {str(self.path)!r}: {err}") from None
        self._db.row_factory = sqlite3.Row
        with self._errors("open"):
            self._db.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"expected WAL journal mode for {str(self.path)!r}, got {mode!r}")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            with self._tx():
                for ddl in _DDL:
                    self._db.execute(ddl)
                got = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if got is None:
                    self._db.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (STORE_SCHEMA,))
                elif got[0] in OLD_SCHEMAS:
                    self._migrate()
                elif got[0] != STORE_SCHEMA:
                    raise StoreError(f"expected a {STORE_SCHEMA} database in {str(self.path)!r}, got schema {got[0]!r}")

    def _migrate(self) -> None:
        """Inside the open transaction: add the :data:`METRICS` columns an older ``results`` table lacks (NULL in
        old rows) and record :data:`STORE_SCHEMA`."""
        have = {r[1] for r in self._db.execute("PRAGMA table_info(results)")}
        for name, (sql_type, _) in METRICS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE results ADD COLUMN {name} {sql_type}")
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (STORE_SCHEMA,))

    def _open_read_only(self) -> None:
        """Connect with ``mode=ro``, or ``mode=ro&immutable=1`` where WAL's shared-memory file cannot be made,
        and check the schema; nothing is created or written."""
        where = repr(str(self.path))
        if not self.path.is_file():
            raise StoreError(f"no leaderboard database at {where} to open read-only")
        uri = "file:" + urllib.parse.quote(str(self.path.resolve()))
        last: Exception | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(uri + query, uri=True, timeout=self.timeout_s, isolation_level=None)
            except sqlite3.Error as err:
                last = err
                continue
            try:
                db.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
                got = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            except sqlite3.OperationalError as err:
                db.close()
                if "no such table" in str(err):
                    raise StoreError(f"expected a {STORE_SCHEMA} database in {where}, got one without its tables "
                                     "(opened read-only, so they cannot be created)") from None  # fmt: skip
                last = err  # e.g. "unable to open database file": WAL without a -shm file in a read-only folder
                continue
            except sqlite3.DatabaseError as err:
                db.close()
                raise StoreError(f"leaderboard database {where} is corrupt ({err}); move it away or pass another "
                                 "--db") from None  # fmt: skip
            if got is None or got[0] not in (STORE_SCHEMA, *OLD_SCHEMAS):
                db.close()
                raise StoreError(f"expected a {STORE_SCHEMA} database in {where}, got schema {got and got[0]!r}")
            db.row_factory = sqlite3.Row
            self._db = db
            return
        raise StoreError(f"cannot open leaderboard database {where} for reading: {last}")

    def _check_writable(self, what: str) -> None:
        if self.read_only:
            raise StoreError(f"cannot {what} leaderboard database {str(self.path)!r}: it is open read-only (the "
                             "file or its folder is not writable); copy it somewhere writable or pass another --db")  # fmt: skip

    # --- plumbing -------------------------------------------------------------------------------------------
    def _check_header(self) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        except OSError as err:
            raise StoreError(f"cannot read leaderboard database {str(self.path)!r}: {err}") from None
        if self.path.is_dir():
            raise StoreError(f"expected a leaderboard database file, got the folder {str(self.path)!r}")
        if size == 0:
            return
        with open(self.path, "rb") as f:
            head = f.read(len(_MAGIC))
        if head != _MAGIC:
            raise StoreError(f"{str(self.path)!r} is not a SQLite database (corrupt or another kind of file: "
                             f"header {head[:16]!r}); move it away or pass another --db")  # fmt: skip

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as err:
            text = str(err).lower()
            where = repr(str(self.path))
            if "locked" in text or "busy" in text:
                raise StoreError(f"leaderboard database {where} is locked by another process (waited "
                                 f"{self.timeout_s:g} s to {what} it): {err}") from None  # fmt: skip
            if "full" in text:
                raise StoreError(f"cannot {what} leaderboard database {where}: the disk is full ({err}); nothing was "
                                 "written") from None  # fmt: skip
            if "not a database" in text or "malformed" in text or "corrupt" in text:
                raise StoreError(f"leaderboard database {where} is corrupt ({err}); move it away or pass another "
                                 "--db") from None  # fmt: skip
            if "readonly" in text or "read-only" in text:
                raise StoreError(f"cannot {what} leaderboard database {where}: it is read-only ({err}); copy it "
                                 "somewhere writable or pass another --db") from None  # fmt: skip
            raise StoreError(f"cannot {what} leaderboard database {where}: {err}") from None

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        db, self._db = getattr(self, "_db", None), None
        if db is not None:
            db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writes ---------------------------------------------------------------------------------------------
    def entry(self, meta: EntryMeta) -> int:
        """The id of the entry with ``meta.key``, creating it from ``meta`` when new."""
        values = {**asdict(meta), "config": json.dumps(meta.config, sort_keys=True), "created_at": time.time()}
        self._check_writable("create an entry in")
        with self._errors("create an entry in"), self._tx() as db:
            db.execute(f"INSERT INTO entries ({', '.join(_ENTRY_COLUMNS)}) VALUES "
                       f"({', '.join('?' * len(_ENTRY_COLUMNS))}) ON CONFLICT (key) DO NOTHING",
                       [values[c] for c in _ENTRY_COLUMNS])  # fmt: skip
            return int(db.execute("SELECT id FROM entries WHERE key = ?", (meta.key,)).fetchone()[0])

    def record(self, entry_id: int, row: dict[str, Any], *, replace: bool = False) -> bool:
        """Store one scene's row (keys: ``suite``, ``prompt_id``, ``seed``, ``status`` and any of
        :data:`METRICS`, ``suite_version``, ``label``, ``error``, ``scene_path``, ``render_path``, ``details``
        (a dict), ``git_commit``). Returns False when the row already existed and ``replace`` is False (the
        stored row is kept: the first writer wins)."""
        for key in ("suite", "prompt_id", "seed", "status"):
            if key not in row:
                raise StoreError(f"expected a result row with {key!r}, got keys {sorted(row)}")
        if row["status"] not in STATUSES:
            raise StoreError(f"expected status among {list(STATUSES)}, got {row['status']!r}")
        values = {c: _clean(row.get(c)) for c in _ROW_COLUMNS}
        values.update(entry_id=int(entry_id), seed=int(row["seed"]), created_at=time.time(),
                      details=json.dumps(row.get("details") or {}, sort_keys=True, default=str))  # fmt: skip
        self._check_writable("record a result in")
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        tail = "" if replace else " ON CONFLICT (entry_id, suite, prompt_id, seed) DO NOTHING"
        with self._errors("record a result in"), self._tx() as db:
            cur = db.execute(f"{verb} INTO results ({', '.join(_ROW_COLUMNS)}) VALUES "
                             f"({', '.join('?' * len(_ROW_COLUMNS))}){tail}", [values[c] for c in _ROW_COLUMNS])  # fmt: skip
            return cur.rowcount > 0

    # --- reads ----------------------------------------------------------------------------------------------
    def done(self, entry_id: int, suite: str, statuses: tuple[str, ...] = STATUSES) -> set[tuple[str, int]]:
        """(prompt_id, seed) pairs already recorded for the entry on ``suite`` with one of ``statuses``."""
        marks = ", ".join("?" * len(statuses))
        with self._errors("read results from"):
            cur = self._db.execute(f"SELECT prompt_id, seed FROM results WHERE entry_id = ? AND suite = ? "
                                   f"AND status IN ({marks})", (entry_id, suite, *statuses))  # fmt: skip
            return {(r[0], int(r[1])) for r in cur}

    def entries(self) -> list[dict[str, Any]]:
        """Every entry as a dict (``config`` decoded), by id."""
        with self._errors("read entries from"):
            rows = [dict(r) for r in self._db.execute("SELECT * FROM entries ORDER BY id")]
        for r in rows:
            r["config"] = json.loads(r["config"] or "{}")
        return rows

    def results(self, suite: str | None = None, entry_id: int | None = None) -> list[dict[str, Any]]:
        """Result rows as dicts (``details`` decoded), optionally for one suite and/or entry, by id."""
        where, args = [], []
        if suite is not None:
            where.append("suite = ?")
            args.append(suite)
        if entry_id is not None:
            where.append("entry_id = ?")
            args.append(int(entry_id))
        sql = "SELECT * FROM results" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id"
        with self._errors("read results from"):
            rows = [dict(r) for r in self._db.execute(sql, args)]
        for r in rows:
            r["details"] = json.loads(r["details"] or "{}")
            for k in METRICS:  # an older database opened read-only lacks the newer columns
                r.setdefault(k, None)
        return rows

    def suites(self) -> list[str]:
        """Suite names with at least one row, sorted."""
        with self._errors("read results from"):
            return [r[0] for r in self._db.execute("SELECT DISTINCT suite FROM results ORDER BY suite")]

    def count(self, entry_id: int | None = None, suite: str | None = None) -> int:
        """Number of result rows (optionally of one entry and/or suite)."""
        where, args = [], []
        if suite is not None:
            where.append("suite = ?")
            args.append(suite)
        if entry_id is not None:
            where.append("entry_id = ?")
            args.append(int(entry_id))
        sql = "SELECT COUNT(*) FROM results" + (f" WHERE {' AND '.join(where)}" if where else "")
        with self._errors("read results from"):
            return int(self._db.execute(sql, args).fetchone()[0])
