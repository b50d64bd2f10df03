"""The static leaderboard site (``scene-gym site``) and submissions (``scene-gym submit``, ``scene-gym verify``).

- :func:`~scene_gym.site.build.build_site`: index, entry and scene pages with a 3D viewer, from
  :class:`~scene_gym.site.data.Source` s (:func:`db_source` for a leaderboard database);
- :mod:`scene_gym.site.submission`: the submission folder format, its checks and its verification.

Layer: above :mod:`scene_gym.benchmarks` (it reads the store and reruns scenes with the runner), below the CLI.
"""

from __future__ import annotations

from pathlib import Path

from scene_gym.site.data import Source


def db_source(db: str | Path, artifacts: str | Path | None = None) -> Source:
    """A :class:`Source` of every entry and row of the leaderboard database ``db`` (opened read-only); artifacts
    are read only inside ``artifacts`` (default: ``<db stem>_artifacts`` next to the database, the runner's
    default)."""
    from scene_gym.benchmarks.errors import StoreError
    from scene_gym.benchmarks.store import Store

    path = Path(db)
    if not path.is_file():
        raise StoreError(
            f"no leaderboard database at {str(path)!r}; run `scene-gym benchmark` first or pass --db"
        )
    with Store(path, read_only=True) as store:
        entries, rows = store.entries(), store.results()
    root = path.resolve().parent
    base = Path(artifacts) if artifacts is not None else root / f"{path.stem}_artifacts"
    return Source(entries, rows, root, base, "local", {}, str(path))


__all__ = ["Source", "db_source"]
