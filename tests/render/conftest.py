"""Fixtures for the render tests."""

from __future__ import annotations

import pytest
from render_helpers import table_scene


@pytest.fixture
def table():
    return table_scene()


@pytest.fixture(scope="module")
def grid12():
    from scene_gym.samples import grid_scene

    return grid_scene(12, seed=1)
