"""Small objects and decor: every size corner fills its box, the laptop lid hinges, placements and thin coverings
are declared as scenes expect, shells keep masses plausible, and parameters are validated.

(The contract shared by every category — materials, surfaces on geometry, determinism — is checked over the whole
library in ``test_furniture.py``.)
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from scene_gym.assets import build_asset, factories
from scene_gym.assets.meshes import part_mesh
from scene_gym.errors import AssetError

REQUIRED = [
    "book", "book_stack", "notebook", "plate", "cup", "mug", "drinking_glass", "bottle", "wine_bottle", "cooking_pot",
    "kettle", "cutting_board", "fruit_bowl", "vase", "potted_plant", "floor_plant", "table_lamp", "floor_lamp",
    "desk_lamp", "ceiling_light", "laptop", "monitor", "keyboard", "tv", "speaker", "towel", "toy_blocks",
    "teddy_bear", "ball", "board_game", "pillow", "rug", "bath_mat", "yoga_mat", "painting", "mirror", "wall_clock",
    "curtain", "basket", "candle", "picture_frame", "alarm_clock", "tissue_box", "dumbbell",
]  # fmt: skip
FACTORIES = factories()
FILL_TOL = 0.01  # m


def _bounds(asset, q=None) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper corners (3,) of the union of the parts' meshes in the asset frame at joint positions q."""
    lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
    for part, t in zip(asset.parts, asset.part_transforms(q), strict=True):
        v = part_mesh(part).vertices @ t[:3, :3].T + t[:3, 3]
        lo, hi = np.minimum(lo, v.min(axis=0)), np.maximum(hi, v.max(axis=0))
    return lo, hi


def _assert_fills(asset, size, label=""):
    w, d, h = size
    lo, hi = _bounds(asset)
    np.testing.assert_allclose(lo, [-w / 2, -d / 2, 0.0], atol=FILL_TOL, err_msg=f"{label}: lower corner")
    np.testing.assert_allclose(hi, [w / 2, d / 2, h], atol=FILL_TOL, err_msg=f"{label}: upper corner")


def test_every_required_category_is_registered():
    assert set(REQUIRED) <= set(FACTORIES), sorted(set(REQUIRED) - set(FACTORIES))


@pytest.mark.parametrize("category", REQUIRED)
def test_fills_default_size_and_all_eight_size_range_corners(category):
    f = FACTORIES[category]
    sizes = [f.default_size, *itertools.product(*zip(*f.size_range, strict=True))]
    assert len(sizes) == 9
    for size in sizes:
        for seed in (0, 7):
            asset = build_asset(category, size, seed=seed)
            assert asset.parts and all(p.material.strip() for p in asset.parts)
            _assert_fills(asset, size, f"{category} {size} seed {seed}")


@pytest.mark.parametrize(
    ("category", "params"),
    [("vase", {"shape": s}) for s in ("bulb", "cylinder", "amphora", "flared")]
    + [("fruit_bowl", {"n_fruit": n}) for n in range(7)]
    + [("book_stack", {"n_books": n}) for n in (1, 2, 7)]
    + [("towel", {"n_towels": n}) for n in (1, 5)]
    + [("curtain", {"open": 0.5}), ("basket", {"handle": False}), ("potted_plant", {"lobes": 0}),
       ("floor_plant", {"lobes": 12}), ("painting", {"n_patches": 0})],
)  # fmt: skip
def test_parameter_variants_still_fill_their_box(category, params):
    f = FACTORIES[category]
    for size in (f.default_size, f.size_range[0], f.size_range[1]):
        _assert_fills(build_asset(category, size, params), size, f"{category} {params} {size}")


@pytest.mark.parametrize(
    ("category", "params"),
    [("vase", {"shape": "cube"}), ("fruit_bowl", {"n_fruit": 7}), ("book_stack", {"n_books": 0}),
     ("curtain", {"open": 0.95}), ("towel", {"n_towels": 0}), ("potted_plant", {"lobes": -1})],
)  # fmt: skip
def test_bad_parameters_raise_asset_error_naming_them(category, params):
    name, value = next(iter(params.items()))
    with pytest.raises(AssetError, match=name) as err:
        build_asset(category, params=params)
    assert repr(value) in str(err.value) or str(value) in str(err.value)


def test_laptop_lid_hinges_at_the_back_edge_and_moves_only_the_lid():
    asset = build_asset("laptop")
    w, d, h = asset.size
    assert FACTORIES["laptop"].articulated and FACTORIES["laptop"].small
    (joint,) = asset.joints
    assert joint.kind == "revolute" and joint.child == "lid" and joint.parent == "base"
    assert joint.axis == (1.0, 0.0, 0.0)
    assert joint.origin[1] == pytest.approx(-d / 2) and 0 < joint.origin[2] < h
    assert joint.limits[0] == 0.0 and 1.7 <= joint.limits[1] <= 2.2
    lid = {p.name for p in asset.parts_of("lid")}
    assert {"lid", "screen"} <= lid and "base" not in lid

    # Closed: the lid lies flat on the base, filling the top of the box.
    lid_parts = [i for i, p in enumerate(asset.parts) if p.link == "lid"]
    closed = asset.part_transforms()
    for q in (0.5, math.pi / 2, joint.limits[1]):
        opened = asset.part_transforms({"lid_hinge": q})
        for i, part in enumerate(asset.parts):
            if i not in lid_parts:
                np.testing.assert_allclose(opened[i], closed[i], atol=1e-12, err_msg=f"{part.name} moved at {q}")
        assert all(opened[i][2, 3] > closed[i][2, 3] + 0.01 for i in lid_parts), q

    # Upright (pi/2): the lid stands over the hinge line and rises a depth's worth above the base.
    lo, hi = _bounds(asset, {"lid_hinge": math.pi / 2})
    assert hi[2] == pytest.approx(joint.origin[2] + d, abs=0.005)
    assert lo[1] >= -d / 2 - (h - joint.origin[2]) - 1e-6
    # The screen faces the user (+Y) when the lid is upright.
    screen = next(i for i, p in enumerate(asset.parts) if p.name == "screen")
    normal = asset.part_transforms({"lid_hinge": math.pi / 2})[screen][:3, :3] @ np.array([0.0, 0.0, -1.0])
    np.testing.assert_allclose(normal, [0.0, 1.0, 0.0], atol=1e-9)

    (handle,) = asset.handles
    assert handle.link == "lid" and handle.joint == "lid_hinge"
    # On the lid's front tab, a few millimetres behind its front edge.
    assert handle.position[1] == pytest.approx(d / 2, abs=0.005) and joint.origin[2] < handle.position[2] <= h


def test_small_objects_go_on_surfaces_and_fit_on_half_a_metre():
    small = [c for c in REQUIRED if FACTORIES[c].small]
    assert len(small) >= 30, small
    for c in small:
        f = FACTORIES[c]
        assert f.placement == "surface", c
        assert f.default_size[0] <= 0.5 and f.default_size[1] <= 0.5, (c, f.default_size)
        assert f.size_range[0][0] <= 0.5 and f.size_range[0][1] <= 0.5, (c, f.size_range)


def test_placements_of_floor_wall_and_ceiling_pieces():
    expected = {"floor_plant": "floor", "floor_lamp": "floor", "ceiling_light": "ceiling", "painting": "wall",
                "mirror": "wall", "wall_clock": "wall", "curtain": "wall", "tv": "surface", "rug": "floor"}  # fmt: skip
    for c, placement in expected.items():
        assert FACTORIES[c].placement == placement, c
        assert not FACTORIES[c].small, c
    for c in ("painting", "mirror", "wall_clock"):
        assert FACTORIES[c].size_range[1][1] <= 0.1, f"{c} should be thin against its wall"
    assert FACTORIES["floor_plant"].default_size[2] >= 1.0


@pytest.mark.parametrize("category", ["rug", "bath_mat", "yoga_mat"])
def test_thin_coverings_are_thin(category):
    f = FACTORIES[category]
    assert f.thin_covering and f.placement == "floor" and not f.small
    assert f.size_range[1][2] < 0.03 and f.default_size[2] < 0.03
    for size in (f.default_size, f.size_range[1]):
        lo, hi = _bounds(build_asset(category, size))
        assert hi[2] - lo[2] < 0.03
    assert not any(FACTORIES[c].thin_covering for c in REQUIRED if c not in ("rug", "bath_mat", "yoga_mat"))


@pytest.mark.parametrize(
    ("category", "surface"),
    [("book", "top"), ("book_stack", "top"), ("notebook", "top"), ("plate", "top"), ("cutting_board", "top"),
     ("board_game", "top"), ("towel", "top"), ("speaker", "top"), ("basket", "inside"), ("bowl", "inside")],
)  # fmt: skip
def test_things_can_stand_on_flat_small_objects(category, surface):
    asset = build_asset(category)
    s = next(s for s in asset.surfaces if s.name == surface)
    assert s.link == "base" and min(s.size) > 0.02 and s.center[2] <= asset.size[2] + 1e-6


@pytest.mark.parametrize(
    ("category", "lo", "hi"),
    [("ball", 0.2, 1.0), ("bottle", 0.1, 0.6), ("wine_bottle", 0.3, 1.0), ("kettle", 0.6, 2.5),
     ("cooking_pot", 1.0, 4.0), ("pillow", 0.2, 1.5), ("laptop", 0.8, 2.5), ("mug", 0.2, 0.6),
     ("board_game", 0.2, 1.5), ("tissue_box", 0.05, 0.5), ("book", 0.3, 1.2), ("dumbbell", 5.0, 20.0)],
)  # fmt: skip
def test_masses_are_plausible(category, lo, hi):
    # Hollow things are modelled as shells; as solids a kettle would weigh ~30 kg and a ball ~6 kg.
    assert lo <= build_asset(category).mass() <= hi


def test_light_bulbs_do_not_collide():
    for c in ("table_lamp", "floor_lamp", "desk_lamp", "ceiling_light"):
        lights = [p for p in build_asset(c).parts if p.material == "light emitter"]
        assert lights and not any(p.collide for p in lights), c


def test_round_pieces_become_oval_for_unequal_footprints():
    plate = build_asset("plate", (0.3, 0.2, 0.02))
    v = plate.parts[0].mesh.vertices
    assert np.ptp(v[:, 0]) == pytest.approx(0.3) and np.ptp(v[:, 1]) == pytest.approx(0.2)
