"""Fixtures for the physics tests."""

from __future__ import annotations

import pytest

from scene_gym.physics import PhysicsWorld


@pytest.fixture
def world():
    """A PhysicsWorld that is closed after the test."""
    w = PhysicsWorld()
    yield w
    w.close()
