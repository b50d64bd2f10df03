"""A small leaderboard database shared by the site tests: two entries (heuristic in the DSL env, random in the
trajectory env) on two prompts of the template suite, one seed each, made with the real runner."""

from __future__ import annotations

import pytest

from scene_gym.benchmarks.runner import RunConfig, run_benchmark


@pytest.fixture(scope="session")
def site_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("sitedb")
    db = root / "lb.db"
    for policy, env in (("heuristic", "scene"), ("random", "trajectory")):
        run_benchmark(RunConfig(suite="template", policy=policy, env=env, prompts=("bedroom", "office"), seeds=1,
                                workers=2, db=str(db), progress=False))  # fmt: skip
    return db
