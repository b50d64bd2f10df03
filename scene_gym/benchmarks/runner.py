"""The benchmark runner: a suite x seeds through a policy in an env, on an executor's workers, into the
leaderboard store.

- **Executors** (:mod:`scene_gym.benchmarks.executors`): ``local`` (``spawn``-ed processes on this machine, the
  default) or ``ray`` / ``ray:HOST:PORT`` (Ray actors on a cluster). Each worker holds one env, policy, judge and
  physics world (:class:`~scene_gym.benchmarks.episode.EpisodeRunner`) and gets one scene at a time; the same
  seeds give the same rows on either, but for wall-clock fields (``wall_s``, ``c``, timings in ``details``).
- **Per-scene timeout**: a scene not back within ``timeout_s`` seconds is recorded as ``timeout``, its worker
  is killed and replaced, and the run goes on. A policy that raises is recorded as ``failed``. On Ray, a scene
  whose worker or node is lost is handed to another worker (``RayExecutor.retries`` times).
- **Resumable**: the entry is found by the hash of its configuration
  (:func:`~scene_gym.benchmarks.identity.entry_meta`); scenes already
  recorded for it are skipped (``retry_failed`` re-runs the failed and timed-out ones).
- **Consistent on interruption**: only this process writes, one transaction per scene, with the row's unique
  key (entry, suite, prompt, seed), so Ctrl-C (or SIGTERM, or SIGKILL) leaves every recorded row whole and a
  retried scene is never written twice; local workers ignore SIGINT and die with the parent.
- A tqdm progress bar counts scenes with ok/failed/timeout tallies.

Artifacts go to ``out_dir/<entry key[:12]>/<suite>/<prompt id>/seed_<k>/{scene.json,render.png,steps.jsonl,
rollout.jsonl}``, written atomically (by a local worker, or by this process from the files a Ray worker returns);
paths inside the database's folder are stored relative to it (``details["steps_path"]`` and
``details["rollout_path"]`` too).
"""

from __future__ import annotations

import dataclasses
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scene_gym.benchmarks.episode import WorkerConfig, kind_fields, write_artifacts
from scene_gym.benchmarks.errors import BenchmarkError
from scene_gym.benchmarks.executors import STARTUP_TIMEOUT_S, Executor, Outcome, WorkerSpec, make_executor  # noqa: F401
from scene_gym.benchmarks.identity import entry_meta, reproduce_command  # noqa: F401 - re-exported
from scene_gym.benchmarks.store import Store


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
        workers: workers (>= 1); None: the executor's default (local: the usable CPUs up to 8; Ray: the
            cluster's CPUs).
        executor: ``"local"``, ``"ray"``, ``"ray:HOST:PORT"`` (:func:`~scene_gym.benchmarks.executors.make_executor`)
            or an :class:`~scene_gym.benchmarks.executors.Executor` (started and closed by the run).
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
    workers: int | None = 1
    executor: str | Executor = "local"
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
    """What a run did: its entry, scenes skipped (already recorded) and recorded by status, wall seconds (and
    of them, ``startup_s`` to connect and build the first worker), the executor's name."""

    entry_id: int
    entry_name: str
    suite: str
    total: int
    skipped: int
    counts: Counter
    wall_s: float
    startup_s: float = 0.0
    executor: str = "local"

    def __str__(self) -> str:
        c = self.counts
        return (f"{self.entry_name} on {self.suite}: {self.total} scenes, {self.skipped} already recorded, "
                f"{c['ok']} ok, {c['failed']} failed, {c['timeout']} timeout in {self.wall_s:.1f} s")  # fmt: skip


# --- the run -------------------------------------------------------------------------------------------------
def _validate(config: RunConfig):
    from scene_gym.benchmarks.suites import load_suite
    from scene_gym.errors import SceneGymError

    suite = load_suite(config.suite)
    kind = _kind(config.env or suite.env_kinds[0], suite)
    if not isinstance(config.executor, Executor):
        from scene_gym.benchmarks.executors import parse_executor

        parse_executor(config.executor)
    if config.workers is not None and (isinstance(config.workers, bool) or not isinstance(config.workers, int)
                                       or config.workers < 1):  # fmt: skip
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
    unknown suite, env, judge, executor or policy (the policy is built in a worker first), ``KeyboardInterrupt``
    after cleaning up when interrupted."""
    from tqdm.auto import tqdm

    suite, entries, seeds, wconf = _validate(config)
    executor = make_executor(config.executor)
    t0 = time.perf_counter()
    db_path = Path(config.db).resolve()
    root = db_path.parent
    out_dir = Path(config.out_dir).resolve() if config.out_dir else root / f"{db_path.stem}_artifacts"
    store = Store(db_path)
    restore = None
    if threading.current_thread() is threading.main_thread():
        def _term(signum, frame):
            raise KeyboardInterrupt

        restore = signal.signal(signal.SIGTERM, _term)
    try:
        description = executor.start(WorkerSpec("scene_gym.benchmarks.episode:EpisodeRunner", wconf,
                                                f"policy {config.policy!r}"))  # fmt: skip
        meta = entry_meta(wconf, description)
        entry_id = store.entry(meta)
        skip = store.done(entry_id, suite.name, ("ok",) if config.retry_failed else ("ok", "failed", "timeout"))
        tasks = []
        for e in entries:
            for seed in seeds:
                if (e.id, seed) not in skip:
                    folder = out_dir / meta.key[:12] / suite.name / e.id / f"seed_{seed}"
                    tasks.append({"suite": suite.name, "suite_version": suite.version, "seed": seed,
                                  "entry": dataclasses.asdict(e), "return_files": not executor.shared_filesystem,
                                  "artifact_dir": str(folder)})  # fmt: skip
        total = len(entries) * len(seeds)
        counts: Counter = Counter()
        bar = tqdm(total=total, initial=total - len(tasks), desc=f"{suite.name} {meta.name}", unit="scene",
                   disable=not config.progress, dynamic_ncols=True)  # fmt: skip
        try:
            workers = config.workers or executor.default_workers()
            for outcome in executor.run(tasks, workers=workers, timeout_s=config.timeout_s):
                _store_row(store, entry_id, _row(outcome), root, config.retry_failed, counts, bar)
        finally:
            bar.close()
        return RunSummary(entry_id, meta.name, suite.name, total, total - len(tasks), counts,
                          time.perf_counter() - t0, executor.startup_s, executor.name)  # fmt: skip
    finally:
        executor.close()
        store.close()
        if restore is not None:
            signal.signal(signal.SIGTERM, restore)


def _row(outcome: Outcome) -> dict:
    """The result row of an outcome: the worker's row (its returned files written here), or a failed/timeout
    row naming the task."""
    task = outcome.task
    if outcome.status == "ok":
        return write_artifacts(outcome.value, task) if "files" in outcome.value else outcome.value
    e = task["entry"]
    return {"suite": task["suite"], "suite_version": task["suite_version"], "prompt_id": e["id"],
            "label": e["label"], "seed": task["seed"], "status": outcome.status, "error": outcome.error,
            "wall_s": outcome.wall_s}  # fmt: skip


def _store_row(store: Store, entry_id: int, row: dict, root: Path, replace: bool, counts: Counter, bar) -> None:
    for key in ("scene_path", "render_path"):
        row[key] = _relative(row.get(key), root)
    details = row.get("details")
    for key in ("steps_path", "rollout_path"):
        if isinstance(details, dict) and details.get(key):
            details[key] = _relative(details[key], root)
    store.record(entry_id, row, replace=replace)
    counts[row["status"]] += 1
    bar.update(1)
    bar.set_postfix(ok=counts["ok"], failed=counts["failed"], timeout=counts["timeout"], refresh=False)
