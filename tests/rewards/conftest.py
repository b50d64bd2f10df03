"""Fixtures for the reward tests."""

from __future__ import annotations

import pytest

from scene_gym.samples import bedroom_scene


@pytest.fixture
def bedroom():
    return bedroom_scene()
