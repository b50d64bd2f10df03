"""Writing export files: atomically, with failures reported as :class:`ExportError` naming the path."""

from __future__ import annotations

from pathlib import Path

from scene_gym.errors import ExportError
from scene_gym.scene.io import atomic_write


def write_file(path: Path, data: str | bytes) -> Path:
    """``atomic_write`` that reports failures as :class:`ExportError` naming the path."""
    try:
        return atomic_write(path, data)
    except OSError as err:
        raise ExportError(f"cannot write {str(path)!r}: {err.strerror or err}") from err
