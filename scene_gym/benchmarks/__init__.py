"""Benchmarks: prompt suites, a parallel resumable runner, a SQLite leaderboard and its views.

- :mod:`~scene_gym.benchmarks.suites`: ``template``, ``complex``, ``rooms-50``, ``asset`` (versioned JSON in
  ``suites/``) and :func:`load_suite`.
- :mod:`~scene_gym.benchmarks.runner`: :func:`run_benchmark` (workers, per-scene timeout, resume), on
  any registered env kind (:mod:`scene_gym.envs.kinds`) with the suite's starting state.
- :mod:`~scene_gym.benchmarks.executors`: where workers run: local processes or Ray actors (``--executor``).
- :mod:`~scene_gym.benchmarks.episode`: one scene in a worker: episode, scores, artifacts (scene, render, steps).
- :mod:`~scene_gym.benchmarks.store`: :class:`Store`, the leaderboard database (WAL, one row per scene);
  :mod:`~scene_gym.benchmarks.identity`: entry keys, model hashes, git commit, reproduce commands.
- :mod:`~scene_gym.benchmarks.views`: rankings with mean +- standard error, per-room-type tables, text formats.
- :mod:`~scene_gym.benchmarks.report`: the static HTML report (sortable table, bar charts, thumbnails).

Policies, including the harness-testing ``test:NAME`` ones, come from
:func:`scene_gym.agents.registry.make_policy` (:mod:`scene_gym.agents.testing`).

Command line: ``scene-gym benchmark`` and ``scene-gym leaderboard``.
"""

from scene_gym.benchmarks.errors import BenchmarkError, StoreError
from scene_gym.benchmarks.suites import Suite, SuiteEntry, builtin_suites, load_suite

__all__ = ["BenchmarkError", "StoreError", "Suite", "SuiteEntry", "builtin_suites", "load_suite"]
