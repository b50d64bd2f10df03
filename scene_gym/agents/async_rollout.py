"""Many episodes at once against one model server: the policy's requests overlap on an event loop, the envs step in
worker threads or processes.

:func:`run_episodes_async` (and its blocking wrapper :func:`run_episodes`) runs one episode per task, all at once:

- **Policies**: ``make_policy()`` builds each episode's own policy object (its generator, counters and episode state
  are its own), typically an :class:`~scene_gym.agents.api.APIPolicy` sharing one
  :class:`~scene_gym.llm.async_chat.AsyncChatClient`, whose semaphore bounds the requests in flight over every
  episode. Its coroutine ``aact`` builds the same prompts and parses the same replies as ``act`` (one
  validate-and-regenerate path in :mod:`scene_gym.agents.text_policy`). A policy without ``aact`` (the heuristic)
  acts in a worker thread.
- **Envs**: each episode has its own env, made by ``gymnasium.make(env_id, **env_kwargs)`` inside an
  :class:`EnvPool`: ``processes=True`` (default) keeps envs in ``workers`` single-process executors (episode ``i``
  lives in worker ``i % workers``; env steps run in parallel, outside the interpreter lock of the event loop);
  ``processes=False`` keeps them in this process and steps them in ``workers`` threads (no start-up cost, but steps
  share one interpreter lock with the event loop). ``benchmarks/bench_api_rollouts.py`` measures both.
- **Records**: the same :class:`~scene_gym.agents.rollout.Rollout` as
  :func:`~scene_gym.agents.rollout.run_episode` (both drive :func:`~scene_gym.agents.rollout.episode_steps`),
  returned in task order. An episode whose policy or env raises a scene-gym error (a server that still fails
  after the client's retries: :class:`~scene_gym.llm.ChatError` naming the URL) ends there, recorded with its steps
  so far and :attr:`~scene_gym.agents.rollout.Rollout.error`; the other episodes finish. Any other exception is a
  bug: it cancels the run and propagates.

Example::

    client = AsyncChatClient("http://localhost:8000/v1", api_key_env=None, timeout=30, max_concurrency=32)
    make = lambda: APIPolicy("Qwen/Qwen2.5-7B-Instruct", client=client, send_images=False)
    with EnvPool("SceneSynthToolStep-v1", {"image_size": None}, workers=2) as pool:
        rollouts = run_episodes(pool, range(32), make)
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.agents.rollout import Rollout, answer_env_request, episode_steps
from scene_gym.errors import PolicyError, SceneGymError

_ENVS: dict[str, Any] = {}
"""The envs of this process (a worker's, or the main process's with threads), by episode key."""
_KEYS = itertools.count()


def _open(key: str, env_id: str, env_kwargs: dict) -> None:
    import gymnasium as gym

    import scene_gym.envs  # noqa: F401  (registers the env ids in a fresh worker)

    _ENVS[key] = gym.make(env_id, **env_kwargs)


def _serve(key: str, request: tuple) -> Any:
    """Answer one env request of :func:`~scene_gym.agents.rollout.episode_steps` (all but ``act``)."""
    answer = answer_env_request(_ENVS[key], request)
    return answer.name if request[0] == "kind" else answer  # a name crosses process boundaries; as_kind reads it


def _close(key: str) -> None:
    env = _ENVS.pop(key, None)
    if env is not None:
        env.close()


def _cpu_s() -> float:
    import time

    return time.process_time()


def _warm(env_id: str, env_kwargs: dict) -> int:
    """Import the env's modules and run one reset in this worker (asset caches warm); returns the worker's pid."""
    import os

    key = f"warm-{os.getpid()}"
    _open(key, env_id, env_kwargs)
    _serve(key, ("reset", 0, None))
    _close(key)
    return os.getpid()


@dataclass(frozen=True)
class EpisodeTask:
    """One episode to run: ``reset(seed=seed, options=options)``."""

    seed: int | None = None
    options: dict | None = field(default=None, hash=False)


def as_task(task: Any) -> EpisodeTask:
    """An :class:`EpisodeTask` from a task, a seed (int) or None; anything else raises
    :class:`~scene_gym.errors.PolicyError` naming it."""
    if isinstance(task, EpisodeTask):
        return task
    if task is None or (isinstance(task, int) and not isinstance(task, bool)):
        return EpisodeTask(task)
    raise PolicyError(f"tasks: expected an EpisodeTask, a seed (int) or None, got {task!r}")


class EnvPool:
    """Where the episodes' envs live and step (module docstring).

    Args:
        env_id: a registered env id (``"SceneSynthToolStep-v1"``).
        env_kwargs: keyword arguments of ``gymnasium.make`` (``{"image_size": None}``); picklable with processes.
        workers: worker processes (``processes=True``) or threads (>= 1).
        processes: envs in worker processes (True) or in this process, stepped by threads (False).
        start_method: how worker processes start: ``"forkserver"`` (default where available: one clean process
            imports the envs once and workers fork from it, safe beside this process's threads) or ``"spawn"``.

    Use as a context manager (or call :meth:`close`); :meth:`warm` starts the workers ahead of a timed run.
    """

    def __init__(self, env_id: str, env_kwargs: Mapping[str, Any] | None = None, *, workers: int = 2,
                 processes: bool = True, start_method: str | None = None):  # fmt: skip
        if not isinstance(env_id, str) or not env_id:
            raise PolicyError(f"env_id: expected a registered env id, got {env_id!r}")
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise PolicyError(f"workers: expected an integer >= 1, got {workers!r}")
        self.env_id, self.env_kwargs = env_id, dict(env_kwargs or {})
        self.workers, self.processes = workers, bool(processes)
        if self.processes:
            import multiprocessing

            if start_method is None:
                start_method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(start_method)
            if start_method == "forkserver":  # the fork server imports these once; workers fork from it ready
                context.set_forkserver_preload(["scene_gym.envs", __name__])
            self._executors: list[Executor] = [ProcessPoolExecutor(1, mp_context=context) for _ in range(workers)]
        else:
            self._executors = [ThreadPoolExecutor(workers, thread_name_prefix="scene-gym-env")]

    def __enter__(self) -> EnvPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Shut the workers down (envs still open in them go with them)."""
        for ex in self._executors:
            ex.shutdown(wait=True, cancel_futures=True)

    def warm(self) -> list[int]:
        """Start every worker and run one reset in it (imports, caches); returns the workers' process ids."""
        return [ex.submit(_warm, self.env_id, self.env_kwargs).result() for ex in self._executors]

    def worker_cpu_s(self) -> float:
        """CPU seconds the worker processes have used so far (summed); 0.0 with threads (their time is this
        process's ``time.process_time()``)."""
        if not self.processes:
            return 0.0
        return sum(ex.submit(_cpu_s).result() for ex in self._executors)

    async def call(self, slot: int, fn: Callable, *args: Any) -> Any:
        """``fn(*args)`` in the worker of episode slot ``slot`` (a module-level function, for processes)."""
        executor = self._executors[slot % len(self._executors)]
        return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)


async def _act(policy: Any, observation: Any) -> Any:
    aact = getattr(policy, "aact", None)
    if aact is not None:
        return await aact(observation)
    return await asyncio.to_thread(policy.act, observation)


async def _episode(pool: EnvPool, slot: int, task: EpisodeTask, make_policy: Callable[[], Any], *,
                   max_steps: int, image_dir: Path | None, kind: Any) -> Rollout:  # fmt: skip
    """One episode, its env in ``pool``'s worker ``slot``; failures inside the episode are recorded (module
    docstring)."""
    policy = make_policy()
    key = f"episode-{next(_KEYS)}"
    steps = episode_steps(policy, seed=task.seed, options=task.options, max_steps=max_steps, kind=kind,
                          image_dir=None if image_dir is None else image_dir / f"episode_{slot}",
                          catch=(SceneGymError,))  # fmt: skip
    try:
        await pool.call(slot, _open, key, pool.env_id, pool.env_kwargs)
        request = next(steps)
        while True:
            try:
                if request[0] == "act":
                    result = await _act(policy, request[1])
                else:
                    result = await pool.call(slot, _serve, key, request)
            except SceneGymError as err:
                if request[0] not in ("act", "step"):
                    raise
                request = steps.throw(err)
                continue
            request = steps.send(result)
    except StopIteration as done:
        return done.value
    except SceneGymError as err:  # the env could not be made or reset
        return Rollout(pool.env_id, policy.describe(), task.seed, error=f"{type(err).__name__}: {err}")
    finally:
        await pool.call(slot, _close, key)


async def run_episodes_async(pool: EnvPool, tasks: Iterable[Any], make_policy: Callable[[], Any], *,
                             max_steps: int = 1000, max_episodes: int | None = None,
                             image_dir: str | Path | None = None, kind: Any = None) -> list[Rollout]:  # fmt: skip
    """Run one episode per task at once (module docstring); returns their rollouts in task order.

    Args:
        pool: the :class:`EnvPool` the envs live in.
        tasks: :class:`EpisodeTask`, seeds (int) or None, one per episode.
        make_policy: ``() -> policy``, called once per episode.
        max_steps: steps per episode at most.
        max_episodes: episodes running at once at most (None: all); the model requests in flight are bounded by
            the client's ``max_concurrency`` either way.
        image_dir: episode ``i``'s observation images go under ``image_dir/episode_<i>`` (None: dropped).
        kind: the env kind, as :func:`~scene_gym.agents.rollout.run_episode`.
    """
    todo = [as_task(t) for t in tasks]
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise PolicyError(f"max_steps: expected an integer >= 1, got {max_steps!r}")
    if max_episodes is not None and (isinstance(max_episodes, bool) or not isinstance(max_episodes, int)
                                     or max_episodes < 1):  # fmt: skip
        raise PolicyError(f"max_episodes: expected an integer >= 1 or None, got {max_episodes!r}")
    gate = asyncio.Semaphore(max_episodes or max(1, len(todo)))
    folder = None if image_dir is None else Path(image_dir)

    async def one(slot: int, task: EpisodeTask) -> Rollout:
        async with gate:
            return await _episode(pool, slot, task, make_policy, max_steps=max_steps, image_dir=folder, kind=kind)

    running = [asyncio.create_task(one(i, t)) for i, t in enumerate(todo)]
    try:
        return list(await asyncio.gather(*running))
    except BaseException:
        for t in running:
            t.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        raise


def run_episodes(pool: EnvPool, tasks: Iterable[Any], make_policy: Callable[[], Any], **kwargs: Any) -> list[Rollout]:
    """:func:`run_episodes_async` on a new event loop (``asyncio.run``; call the coroutine itself from inside a
    running loop). Returns the rollouts in task order."""
    return asyncio.run(run_episodes_async(pool, tasks, make_policy, **kwargs))

