"""The layout solver is deterministic by construction: its effort is bounded by a count of candidate
evaluations (``max_evaluations``), so a seed gives the same scene on an idle or a busy machine. The wall clock
(``time_budget_s``) is only a safety limit; it changes a result only when it is reached, and then the result
says so.

Load is real: two processes spin a CPU loop for the whole solve (on a machine with few cores the solve runs
several times slower). Nothing here asserts on time; the time limit is reached by giving it a limit far below
what any solve of the problem takes.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from contextlib import contextmanager

import numpy as np
import pytest

from scene_gym.errors import LayoutError, SceneGymError
from scene_gym.layout import (
    AgainstWall,
    Around,
    Facing,
    InCorner,
    InFrontOf,
    Middle,
    NextTo,
    PlacementRequest,
    solve,
)
from scene_gym.layout.solver import MAX_EVALUATIONS
from scene_gym.scene import Opening, Room, Scene

SEED = 11
SPIN_LIMIT_S = 300.0  # a spinner stops by itself after this long, should the test process die


def living_room():
    """A crowded living and dining room: 40 floor objects and 24 relations in a 5 m x 6 m room."""
    room = Room.rectangle(5.0, 6.0, type="living room", openings=(
        Opening(id="door_1", kind="door", wall=0, offset=0.8, width=0.9, height=2.05),
        Opening(id="window_1", kind="window", wall=1, offset=3.0, width=1.4, height=1.2, sill=0.9)))  # fmt: skip
    cats = (["dining_table"] + ["dining_chair"] * 4 + ["sofa", "coffee_table", "tv_stand", "armchair", "armchair"]
            + ["bookshelf"] * 3 + ["side_table"] * 2 + ["floor_lamp"] * 2 + ["floor_plant"] * 3
            + ["dresser", "desk", "office_chair", "filing_cabinet", "ottoman", "storage_shelf", "shoe_rack"]
            + ["stool"] * 2 + ["nightstand"] * 2 + ["recliner", "display_shelf", "display_shelf", "bench"]
            + ["toy_chest", "kids_chair", "kids_chair", "ottoman", "bar_stool"])  # fmt: skip
    requests = [PlacementRequest(c, size=_small(c) if c not in ("dining_table", "sofa") else None) for c in cats]
    relations = [
        Middle("dining_table_1", tolerance=0.8),
        Around("dining_table_1", tuple(f"dining_chair_{i}" for i in range(1, 5))),
        AgainstWall("sofa_1"), InFrontOf("coffee_table_1", "sofa_1"), Facing("tv_stand_1", "sofa_1"),
        Facing("armchair_1", "coffee_table_1"), Facing("armchair_2", "coffee_table_1"),
        AgainstWall("bookshelf_1"), NextTo("bookshelf_2", "bookshelf_1"), NextTo("bookshelf_3", "bookshelf_2"),
        NextTo("side_table_1", "sofa_1"), NextTo("floor_lamp_1", "armchair_1"), InCorner("floor_plant_1"),
        InCorner("floor_plant_2"), AgainstWall("desk_1"), InFrontOf("office_chair_1", "desk_1"),
        NextTo("filing_cabinet_1", "desk_1"), AgainstWall("dresser_1"), Facing("recliner_1", "tv_stand_1"),
        NextTo("ottoman_2", "recliner_1"), AgainstWall("display_shelf_1"), NextTo("display_shelf_2", "display_shelf_1"),
        NextTo("kids_chair_2", "kids_chair_1"), AgainstWall("toy_chest_1"),
    ]  # fmt: skip
    return Scene(room, prompt="determinism test"), requests, relations


def _small(category: str) -> tuple[float, float, float]:
    """The category's default size scaled down to a footprint of at most 0.35 m² (within its size range)."""
    from scene_gym.assets import get_factory

    f = get_factory(category)
    w, d, h = f.default_size
    s = min(1.0, math.sqrt(0.35 / (w * d)))
    return f.clamp_size((w * s, d * s, h))


def _spin(started, stop) -> None:
    started.set()
    deadline = time.monotonic() + SPIN_LIMIT_S
    x = 0
    while not stop.is_set() and time.monotonic() < deadline:
        for i in range(20_000):
            x ^= i


@contextmanager
def busy_machine(n: int = 2):
    """``n`` processes spinning a CPU loop while the block runs; yields a function telling whether they all
    still spin."""
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    started = [ctx.Event() for _ in range(n)]
    procs = [ctx.Process(target=_spin, args=(ev, stop), daemon=True) for ev in started]
    for p in procs:
        p.start()
    try:
        assert all(ev.wait(60) for ev in started), "the load processes did not start"
        yield lambda: all(p.is_alive() for p in procs)
    finally:
        stop.set()
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join()


@pytest.fixture(scope="module")
def problem():
    return living_room()


@pytest.fixture(scope="module")
def reference(problem):
    """The solve on an unloaded machine with the default budgets."""
    solve(*problem, seed=SEED, max_evaluations=500)  # build the assets first, as a warm machine would have
    return solve(*problem, seed=SEED)


def test_the_reference_is_a_full_effort_solve_within_both_budgets(reference, problem):
    assert not reference.time_limit_hit and not reference.timed_out and not reference.work_limit_hit
    assert len(reference.placed) == len(problem[1]) and reference.failed == []
    assert 0 < reference.evaluations <= MAX_EVALUATIONS / 2  # the default leaves room for larger problems
    assert "time_limit" not in {u.constraint for u in reference.unsatisfied}
    assert reference.satisfaction > 0.8


def test_same_seed_same_scene_on_a_busy_machine(reference, problem):
    with busy_machine() as still_spinning:
        loaded = solve(*problem, seed=SEED)
        spun = still_spinning()
    assert spun, "the load processes stopped before the solve finished"
    assert not loaded.time_limit_hit
    assert loaded.scene.to_json() == reference.scene.to_json()
    assert loaded.evaluations == reference.evaluations
    assert loaded.to_dict() | {"elapsed_s": 0} == reference.to_dict() | {"elapsed_s": 0}


def test_a_spent_work_budget_cuts_effort_the_same_way_on_a_busy_machine(reference, problem):
    budget = reference.evaluations // 3  # past 1.5 times this, the remaining objects are given up
    idle = solve(*problem, seed=SEED, max_evaluations=budget)
    with busy_machine() as still_spinning:
        loaded = solve(*problem, seed=SEED, max_evaluations=budget)
        spun = still_spinning()
    assert spun
    assert idle.work_limit_hit and not idle.time_limit_hit and not loaded.time_limit_hit
    assert idle.scene.to_json() != reference.scene.to_json()
    assert any(f"work budget of {budget} candidate evaluations" in f.reason for f in idle.failed)
    assert loaded.scene.to_json() == idle.scene.to_json()
    assert loaded.to_dict() | {"elapsed_s": 0} == idle.to_dict() | {"elapsed_s": 0}


def test_the_clock_changes_the_result_only_when_the_safety_limit_is_reached_and_says_so(reference, problem):
    roomy = solve(*problem, seed=SEED, time_budget_s=3600)
    assert roomy.scene.to_json() == reference.scene.to_json()  # below the limit the clock does not matter
    # What a slow machine did to the old, clock-bounded solver: the limit is reached, the scene changes.
    short = solve(*problem, seed=SEED, time_budget_s=0.001)
    assert short.time_limit_hit and short.timed_out and not short.work_limit_hit
    assert short.scene.to_json() != reference.scene.to_json()
    assert short.evaluations < reference.evaluations
    notes = [u for u in short.unsatisfied if u.constraint == "time_limit"]
    assert len(notes) == 1 and notes[0].ids == ()
    assert "time_budget_s=0.001 s" in notes[0].reason and "differ from run to run" in notes[0].reason
    assert short.failed and any("time budget of 0.001 s" in f.reason for f in short.failed)
    assert not short.ok
    summary = short.to_dict()
    assert summary["time_limit_hit"] is True and summary["timed_out"] is True
    assert summary["evaluations"] == short.evaluations


def test_the_work_budget_is_counted_in_candidate_evaluations(problem):
    small = solve(*problem, seed=SEED, max_evaluations=1)
    assert small.work_limit_hit and not small.time_limit_hit
    assert small.placed  # the first object is tried before anything has been counted
    assert small.evaluations > 1
    assert all("work budget of 1 candidate evaluations" in f.reason for f in small.failed)
    big = solve(*problem, seed=SEED, max_evaluations=np.int64(10 * MAX_EVALUATIONS))  # numpy integers work
    assert not big.work_limit_hit


@pytest.mark.parametrize("bad", [-3, 0, 2.5, 1e4, True, None, "100", math.nan])
def test_bad_work_budgets_raise_our_error(bad):
    with pytest.raises(LayoutError, match="max_evaluations: expected a positive integer") as err:
        solve(Scene(Room.rectangle(3.0, 3.0)), [PlacementRequest("desk")], seed=0, max_evaluations=bad)
    assert isinstance(err.value, SceneGymError)
    assert repr(bad) in str(err.value)
