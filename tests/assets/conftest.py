"""Asset tests keep the convex-decomposition cache (:mod:`scene_gym.assets.convex`) in a temporary folder, never
in the user's ``~/.cache``."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _convex_cache_in_tmp(tmp_path_factory, monkeypatch):
    """Point ``SCENE_GYM_CACHE_DIR`` at a session-wide temporary folder unless a test sets its own."""
    monkeypatch.setenv("SCENE_GYM_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "scene_gym_cache"))
