"""Errors of the benchmark layer (subclasses of :class:`scene_gym.errors.SceneGymError`)."""

from __future__ import annotations

from scene_gym.errors import SceneGymError


class BenchmarkError(SceneGymError):
    """Bad benchmark input: unknown suite, policy, env kind or judge; an invalid suite file. The message names
    the value."""


class StoreError(BenchmarkError):
    """The leaderboard database cannot be used: not a SQLite file, corrupt, locked by another process past the
    wait, or the disk is full. The message names the file."""
