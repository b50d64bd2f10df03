"""Cross-check: PhysicsWorld's colliding pairs equal an independent all-pairs trimesh + python-fcl check
(:mod:`scene_gym.physics.reference`: fcl decides which parts intersect, separating axes give exact depths).

Both sides see the same convex collision meshes (one per colliding part, joint states applied). pybullet uses
exact cylinders and spheres where the reference gets their triangle meshes (24-sided), so the two depths of
one pair differ by a fraction of a millimetre. Pairs whose fcl depth falls in the ambiguous band (0.5 mm, 5 mm)
around the 1 mm threshold are removed from the random scenes by re-drawing one of the two objects' position,
so every remaining pair is clearly colliding (> 5 mm) or clearly not (< 0.5 mm), and the sets must be equal.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scene_fixtures import with_changes, with_object

from scene_gym.assets import build_asset, factories
from scene_gym.scene import Room, Scene

pytest.importorskip("fcl")

from scene_gym.physics import PhysicsWorld  # noqa: E402
from scene_gym.physics.reference import colliding_pairs, pair_depths  # noqa: E402

AMBIGUOUS = (0.0005, 0.005)
PARENT = {"floor": "floor", "surface": "floor", "wall": "wall", "ceiling": "ceiling"}


def _draw_position(rng, placement: str, side: float) -> tuple[float, float, float]:
    x, y = rng.uniform(0.3, side - 0.3, 2)
    z = 0.0 if placement == "floor" else float(rng.uniform(0.0, 2.0))
    return float(x), float(y), z


def random_scene(seed: int, n: int) -> Scene:
    """``n`` random non-covering objects crowded on a floor of 1 m² per object: many overlaps, random yaws,
    sizes, seeds and joint positions."""
    rng = np.random.default_rng(seed)
    all_f = factories()
    cats = sorted(c for c, f in all_f.items() if not f.thin_covering)
    side = max(2.5, math.sqrt(n))
    scene = Scene(Room.rectangle(side, side))
    for _ in range(n):
        cat = cats[int(rng.integers(len(cats)))]
        f = all_f[cat]
        size = f.sample_size(rng)
        seed_obj = int(rng.integers(1000))
        asset = build_asset(cat, size, {}, seed_obj)
        joints = {j.name: float(rng.uniform(*j.limits)) for j in asset.joints if rng.random() < 0.5}
        x, y, z = _draw_position(rng, f.placement, side)
        scene = with_object(scene, cat, x, y, z, yaw=float(rng.uniform(-math.pi, math.pi)), size=size, seed=seed_obj,
                            joints=joints, parent=PARENT[f.placement])  # fmt: skip
    # Re-draw objects in ambiguous pairs until none is left.
    for _ in range(200):
        depths = pair_depths(scene)
        unclear = [pair for pair, d in depths.items() if AMBIGUOUS[0] < d < AMBIGUOUS[1]]
        if not unclear:
            return scene
        for _, b in unclear:
            if b in scene:
                scene = with_changes(scene, b, position=_draw_position(rng, all_f[scene.get(b).category].placement, side))
    raise AssertionError(f"seed {seed}: could not clear ambiguous pairs {unclear}")


@pytest.mark.parametrize(("seed", "n"), [(0, 10), (1, 15), (2, 20), (3, 25), (4, 30), (5, 30)])
def test_pair_sets_match_fcl(seed, n):
    scene = random_scene(seed, n)
    reference = colliding_pairs(scene)
    with PhysicsWorld(scene) as world:
        ours = {(c.a, c.b): c.depth for c in world.collisions()}
    assert reference, "the random scenes are meant to be crowded"
    assert set(ours) == set(reference)
    for pair, depth in ours.items():
        assert depth == pytest.approx(reference[pair], abs=1e-3), pair


def test_sync_after_moves_still_matches_fcl():
    scene = random_scene(7, 20)
    rng = np.random.default_rng(7)
    with PhysicsWorld(scene) as world:
        world.collisions()
        for _ in range(3):
            for oid in [o.id for o in scene.objects][::4]:
                obj = scene.get(oid)
                x, y, _ = _draw_position(rng, "floor", math.sqrt(20))
                scene = with_changes(scene, oid, position=(x, y, obj.position[2]),
                                     yaw=float(rng.uniform(-math.pi, math.pi)))  # fmt: skip
            world.sync(scene)
            depths = pair_depths(scene)
            clear = {p for p, d in depths.items() if not AMBIGUOUS[0] < d < AMBIGUOUS[1]}
            ours = {(c.a, c.b) for c in world.collisions()}
            reference = {p for p in clear if depths[p] > 0.001}
            assert ours & clear == reference


def test_reference_measures_box_overlaps():
    scene = Scene(Room.rectangle(8.0, 6.0))
    for x in (2.0, 3.596):  # tables 1.6 m wide overlapping by 4 mm
        scene = with_object(scene, "dining_table", x, 3.0, 0.0, size=(1.6, 0.9, 0.75))
    ((pair, depth),) = colliding_pairs(scene).items()
    assert pair == ("dining_table_1", "dining_table_2")
    assert depth == pytest.approx(0.004, abs=1e-6)
