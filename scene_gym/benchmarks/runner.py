"""The benchmark runner: a suite x seeds through a policy in an env, in parallel worker processes, into the
leaderboard store.

- **Workers** are ``spawn``-ed processes, each holding one env, policy, judge and physics world
  (:class:`~scene_gym.benchmarks.episode.EpisodeRunner`); the parent hands out one scene at a time.
- **Per-scene timeout**: a scene not back within ``timeout_s`` seconds is recorded as ``timeout``, its worker
  is killed and replaced, and the run goes on. A policy that raises is recorded as ``failed``.
- **Resumable**: the entry is found by the hash of its configuration
  (:func:`~scene_gym.benchmarks.identity.entry_meta`); scenes already
  recorded for it are skipped (``retry_failed`` re-runs the failed and timed-out ones).
- **Consistent on interruption**: only the parent writes, one transaction per scene, so Ctrl-C (or SIGTERM,
  or SIGKILL) leaves every recorded row whole; workers ignore SIGINT and die with the parent (Linux
  ``PR_SET_PDEATHSIG``, else on their next message).
- A tqdm progress bar counts scenes with ok/failed/timeout tallies.

Artifacts go to ``out_dir/<entry key[:12]>/<suite>/<prompt id>/seed_<k>/{scene.json,render.png,steps.jsonl}``, written
atomically; paths inside the database's folder are stored relative to it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from multiprocessing import connection
from pathlib import Path

from scene_gym.benchmarks.episode import WorkerConfig, kind_fields
from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.benchmarks.identity import entry_meta, reproduce_command  # noqa: F401 - re-exported
from scene_gym.benchmarks.store import Store

STARTUP_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class RunConfig:
    """A benchmark run.

    Attributes:
        suite: suite name or path (:func:`~scene_gym.benchmarks.suites.load_suite`).
        policy: policy spec (:func:`scene_gym.agents.registry.make_policy`).
        env: the name of a registered env kind (:mod:`scene_gym.envs.kinds`) that starts from the suite's
            starting state (room or receptacle); None: the suite's first kind.
        seeds: seeds 0..seeds-1 per prompt (None: the suite's ``default_seeds``); ``seed_list`` overrides it.
        seed_list: explicit seeds.
        prompts: prompt ids to run (None: all).
        workers: worker processes (>= 1).
        db: leaderboard database path.
        out_dir: artifacts folder (None: ``<db stem>_artifacts`` next to the database).
        timeout_s: per-scene limit, seconds (the worker is killed past it).
        reward: env reward spec (None: the env's default).
        judge: ``"offline"`` or ``"openai[:MODEL]"``.
        max_steps: env step limit (None: the env's default).
        image_size: observation image side in pixels, 0 for none; None: 256 for ``vlm:``/``api:`` policies,
            else 0.
        render_size: artifact render side, pixels.
        retry_failed: re-run rows recorded as failed or timeout.
        progress: show a progress bar.
    """

    suite: str
    policy: str
    env: str | None = None
    seeds: int | None = None
    seed_list: tuple[int, ...] | None = None
    prompts: tuple[str, ...] | None = None
    workers: int = 1
    db: str = "leaderboard.db"
    out_dir: str | None = None
    timeout_s: float = 300.0
    reward: str | None = None
    judge: str = "offline"
    max_steps: int | None = None
    image_size: int | None = None
    render_size: int = 256
    retry_failed: bool = False
    progress: bool = True


@dataclass
class RunSummary:
    """What a run did: its entry, scenes skipped (already recorded) and recorded by status, wall seconds."""

    entry_id: int
    entry_name: str
    suite: str
    total: int
    skipped: int
    counts: Counter
    wall_s: float

    def __str__(self) -> str:
        c = self.counts
        return (f"{self.entry_name} on {self.suite}: {self.total} scenes, {self.skipped} already recorded, "
                f"{c['ok']} ok, {c['failed']} failed, {c['timeout']} timeout in {self.wall_s:.1f} s")  # fmt: skip


# --- workers -------------------------------------------------------------------------------------------------
def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_main(conn, config: WorkerConfig) -> None:
    """Worker loop: build the runner, say ready (with the policy's describe()), then answer tasks until told
    to stop or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    try:
        from scene_gym.benchmarks.episode import EpisodeRunner

        runner = EpisodeRunner(config)
        conn.send(("ready", runner.describe()))
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which aborts the run
        with contextlib.suppress(OSError):
            conn.send(("init_error", f"{type(err).__name__}: {err}"))
        return
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                break
            if task is None:
                break
            row = runner.run(task)
            try:
                conn.send(("row", row))
            except (BrokenPipeError, OSError):
                break
    finally:
        runner.close()


class _Worker:
    def __init__(self, ctx, config: WorkerConfig):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, config), daemon=True)
        self.proc.start()
        child.close()
        self.started = time.monotonic()
        self.ready = False
        self.task: dict | None = None
        self.since = 0.0

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


# --- the run -------------------------------------------------------------------------------------------------
def _validate(config: RunConfig):
    from scene_gym.benchmarks.suites import load_suite
    from scene_gym.errors import SceneGymError

    suite = load_suite(config.suite)
    kind = _kind(config.env or suite.env_kinds[0], suite)
    if isinstance(config.workers, bool) or not isinstance(config.workers, int) or config.workers < 1:
        raise BenchmarkError(f"expected workers >= 1, got {config.workers!r}")
    if not config.timeout_s > 0:
        raise BenchmarkError(f"expected a per-scene timeout > 0 seconds, got {config.timeout_s!r}")
    try:
        from scene_gym.rewards import make_judge

        make_judge(None if config.judge == "offline" else config.judge).close()
        if config.reward:
            from scene_gym.rewards import REWARDS, parse_spec

            for _, atom in parse_spec(config.reward):
                name = atom.partition(":")[0]
                if name not in REWARDS and name not in ("physical", "q_phy"):
                    raise BenchmarkError(f"unknown reward {name!r} in {config.reward!r}; known: {', '.join(sorted(REWARDS))}")
    except BenchmarkError:
        raise
    except SceneGymError as err:
        raise BenchmarkError(f"judge {config.judge!r} / reward {config.reward!r}: {err}") from None
    seeds = tuple(config.seed_list) if config.seed_list else tuple(range(config.seeds or suite.default_seeds))
    if not seeds or any(isinstance(s, bool) or not isinstance(s, int) or s < 0 for s in seeds):
        raise BenchmarkError(f"expected seeds as integers >= 0, got {seeds!r}")
    entries = suite.select(list(config.prompts) if config.prompts else None)
    image = config.image_size
    if image is None:
        image = 256 if config.policy.startswith(("vlm:", "api:")) else 0
    worker = WorkerConfig(policy=config.policy, env=kind.name, reward=config.reward, judge=config.judge,
                          max_steps=config.max_steps, image_size=int(image), render_size=int(config.render_size),
                          kind=kind_fields(kind))  # fmt: skip
    return suite, entries, seeds, worker


def _kind(name: str, suite):
    """The registered scene kind ``name``, checked to start from the suite's starting state."""
    from scene_gym.envs.kinds import get_kind, scene_kinds
    from scene_gym.errors import SceneGymError

    fitting = [k.name for k in scene_kinds(suite.starts_from)]
    try:
        kind = get_kind(name)
    except SceneGymError:
        raise BenchmarkError(f"expected env among the registered scene kinds {[k.name for k in scene_kinds()]}, "
                             f"got {name!r}") from None  # fmt: skip
    if kind.name not in fitting:
        raise BenchmarkError(f"expected an env kind of suite {suite.name!r} (one starting from a {suite.starts_from}: "
                             f"{', '.join(fitting)}), got {name!r}")  # fmt: skip
    return kind


def _relative(path: str | None, root: Path) -> str | None:
    if not path:
        return path
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return path


def run_benchmark(config: RunConfig) -> RunSummary:
    """Run (or resume) a benchmark; returns its :class:`RunSummary`. Raises :class:`BenchmarkError` for an
    unknown suite, env, judge or policy (the policy is built in a worker first), ``KeyboardInterrupt`` after
    cleaning up when interrupted."""
    import multiprocessing as mp

    from tqdm.auto import tqdm

    suite, entries, seeds, wconf = _validate(config)
    t0 = time.perf_counter()
    db_path = Path(config.db).resolve()
    root = db_path.parent
    out_dir = Path(config.out_dir).resolve() if config.out_dir else root / f"{db_path.stem}_artifacts"
    ctx = mp.get_context("spawn")
    workers: list[_Worker] = []
    store = Store(db_path)
    restore = None
    if threading.current_thread() is threading.main_thread():
        def _term(signum, frame):
            raise KeyboardInterrupt

        restore = signal.signal(signal.SIGTERM, _term)
    try:
        first = _Worker(ctx, wconf)
        workers.append(first)
        description = _await_ready(first, config.policy)
        meta = entry_meta(wconf, description)
        entry_id = store.entry(meta)
        skip = store.done(entry_id, suite.name, ("ok",) if config.retry_failed else ("ok", "failed", "timeout"))
        tasks = deque()
        for e in entries:
            for seed in seeds:
                if (e.id, seed) not in skip:
                    tasks.append({"suite": suite.name, "suite_version": suite.version, "seed": seed,
                                  "entry": dataclasses.asdict(e),
                                  "artifact_dir": str(out_dir / meta.key[:12] / suite.name / e.id / f"seed_{seed}")})  # fmt: skip
        total = len(entries) * len(seeds)
        skipped = total - len(tasks)
        counts: Counter = Counter()
        bar = tqdm(total=total, initial=total - len(tasks), desc=f"{suite.name} {meta.name}", unit="scene",
                   disable=not config.progress, dynamic_ncols=True)  # fmt: skip
        try:
            for _ in range(min(config.workers, len(tasks)) - 1):
                workers.append(_Worker(ctx, wconf))
            _loop(ctx, wconf, workers, tasks, config.timeout_s, lambda row: _store_row(store, entry_id, row,
                  root, config.retry_failed, counts, bar), config.policy)  # fmt: skip
        finally:
            bar.close()
        return RunSummary(entry_id, meta.name, suite.name, total, skipped, counts, time.perf_counter() - t0)
    finally:
        for w in workers:
            w.kill() if w.task is not None else w.stop()
        store.close()
        if restore is not None:
            signal.signal(signal.SIGTERM, restore)


def _store_row(store: Store, entry_id: int, row: dict, root: Path, replace: bool, counts: Counter, bar) -> None:
    for key in ("scene_path", "render_path"):
        row[key] = _relative(row.get(key), root)
    store.record(entry_id, row, replace=replace)
    counts[row["status"]] += 1
    bar.update(1)
    bar.set_postfix(ok=counts["ok"], failed=counts["failed"], timeout=counts["timeout"], refresh=False)


def _await_ready(worker: _Worker, policy: str) -> dict:
    if not worker.conn.poll(STARTUP_TIMEOUT_S):
        raise BenchmarkError(f"policy {policy!r}: a worker did not start within {STARTUP_TIMEOUT_S:g} s")
    try:
        kind, payload = worker.conn.recv()
    except (EOFError, OSError):
        raise BenchmarkError(f"policy {policy!r}: a worker died while starting (exit code "
                             f"{worker.proc.exitcode})") from None  # fmt: skip
    if kind != "ready":
        raise BenchmarkError(f"policy {policy!r} could not start: {payload}")
    worker.ready = True
    return payload


def _loop(ctx, wconf: WorkerConfig, workers: list[_Worker], tasks: deque, timeout_s: float, record, policy: str):
    """Hand tasks to ready workers, collect rows, kill and replace workers past the timeout or dead."""

    def failed(task: dict, status: str, error: str, wall: float) -> dict:
        e = task["entry"]
        return {"suite": task["suite"], "suite_version": task["suite_version"], "prompt_id": e["id"],
                "label": e["label"], "seed": task["seed"], "status": status, "error": error, "wall_s": wall}  # fmt: skip

    def replace(i: int) -> None:
        workers[i].kill()
        workers[i] = _Worker(ctx, wconf) if tasks else None

    while tasks or any(w.task is not None for w in workers):
        now = time.monotonic()
        for w in workers:
            if w.ready and w.task is None and tasks:
                w.task, w.since = tasks.popleft(), now
                w.conn.send(w.task)
        waiting = [w for w in workers if w.task is not None or not w.ready]
        deadlines = [w.since + timeout_s for w in waiting if w.task is not None]
        wait = min(1.0, max(0.0, min(deadlines) - now)) if deadlines else 1.0
        ready = connection.wait([w.conn for w in waiting], timeout=wait + 0.01) if waiting else []
        for i, w in enumerate(workers):
            if w not in waiting or w.conn not in ready:
                continue
            try:
                kind, payload = w.conn.recv()
            except (EOFError, OSError):
                task, code = w.task, w.proc.exitcode
                if task is None and not w.ready:
                    raise BenchmarkError(f"policy {policy!r}: a worker died while starting (exit code {code})") from None
                replace(i)
                if task is not None:
                    record(failed(task, "failed", f"worker process died (exit code {code})", time.monotonic() - w.since))
                continue
            if kind == "ready":
                w.ready = True
            elif kind == "init_error":
                raise BenchmarkError(f"policy {policy!r} could not start: {payload}")
            elif kind == "row" and w.task is not None:
                w.task = None
                record(payload)
        now = time.monotonic()
        for i, w in enumerate(workers):
            if w is not None and not w.ready and now - w.started > STARTUP_TIMEOUT_S:
                raise BenchmarkError(f"policy {policy!r}: a worker did not start within {STARTUP_TIMEOUT_S:g} s")
            if w is not None and w.task is not None and now - w.since > timeout_s:
                task, since = w.task, w.since
                replace(i)
                record(failed(task, "timeout", f"no result within the per-scene timeout of {timeout_s:g} s "
                                               "(worker killed)", now - since))  # fmt: skip
        workers[:] = [w for w in workers if w is not None]
