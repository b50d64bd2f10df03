"""The asset contract, checked for every registered category (furniture, appliances and small objects alike).

Each program is built at its default size and at both corners of its size range. The asset must fill exactly
the requested box, use materials the material table knows, put its support surfaces on real geometry, build
deterministically, and articulate cleanly: joints open from 0, each moving link carries a handle, opening moves
only that link (and what hangs from it) outwards, and closed links do not cut into each other (which keeps the
MuJoCo exports stable).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from scene_gym.assets import build_asset, factories, resolve_material
from scene_gym.assets.factory import clear_cache
from scene_gym.assets.meshes import part_mesh

FACTORIES = factories()
CATEGORIES = sorted(FACTORIES)
ARTICULATED = sorted(c for c, f in FACTORIES.items() if f.articulated)
CORNERS = ("default", "min", "max")
SIZE_CASES = [(c, corner) for c in CATEGORIES for corner in CORNERS]

FILL_TOL = 0.01  # m: the parts' union must match the requested box this closely
SURFACE_TOL = 0.005  # m: a support surface lies this close to the top face under it
OVERLAP_TOL = 0.002  # m: closed links may touch but not interpenetrate deeper than this


def _size(category: str, corner: str) -> tuple[float, float, float]:
    f = FACTORIES[category]
    return {"default": f.default_size, "min": f.size_range[0], "max": f.size_range[1]}[corner]


@cache
def _asset(category: str, corner: str):
    return build_asset(category, _size(category, corner))


@cache
def _part_bounds(category: str, corner: str) -> np.ndarray:
    """(n_parts, 2, 3) world-axis bounds of each part's mesh in the asset frame at joint positions 0."""
    asset = _asset(category, corner)
    out = []
    for part, transform in zip(asset.parts, asset.part_transforms(), strict=True):
        m = part_mesh(part)
        m.apply_transform(transform)
        out.append(m.bounds)
    return np.asarray(out)


@cache
def _triangles(category: str, corner: str) -> np.ndarray:
    """(n, 3, 3) every triangle of the asset at joint positions 0."""
    asset = _asset(category, corner)
    tris = []
    for part, transform in zip(asset.parts, asset.part_transforms(), strict=True):
        m = part_mesh(part)
        m.apply_transform(transform)
        tris.append(m.triangles)
    return np.concatenate(tris)


def _first_hit_below(tris: np.ndarray, x: float, y: float, z0: float) -> float | None:
    """Height of the first triangle a ray cast straight down from (x, y, z0) meets, or None."""
    a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
    e0, e1, p = b[:, :2] - a[:, :2], c[:, :2] - a[:, :2], np.array([x, y]) - a[:, :2]
    den = e0[:, 0] * e1[:, 1] - e1[:, 0] * e0[:, 1]
    flat = np.abs(den) > 1e-12  # vertical faces cannot stop a vertical ray
    den = np.where(flat, den, 1.0)
    u = (p[:, 0] * e1[:, 1] - e1[:, 0] * p[:, 1]) / den
    v = (e0[:, 0] * p[:, 1] - p[:, 0] * e0[:, 1]) / den
    inside = flat & (u >= -1e-9) & (v >= -1e-9) & (u + v <= 1 + 1e-9)
    z = a[:, 2] + u * (b[:, 2] - a[:, 2]) + v * (c[:, 2] - a[:, 2])
    z = z[inside & (z <= z0)]
    return float(z.max()) if z.size else None


def _descendants(asset, link: str) -> set[str]:
    out, grew = {link}, True
    while grew:
        grew = False
        for j in asset.joints:
            if j.parent in out and j.child not in out:
                out.add(j.child)
                grew = True
    return out


def _axis_aligned_boxes(asset, transforms) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(index, lo, hi) of colliding box parts whose pose has no rotation (others are not compared)."""
    out = []
    for i, (part, t) in enumerate(zip(asset.parts, transforms, strict=True)):
        if part.shape == "box" and part.collide and np.allclose(t[:3, :3], np.eye(3), atol=1e-9):
            half = np.asarray(part.size) / 2
            out.append((i, t[:3, 3] - half, t[:3, 3] + half))
    return out


def _link_overlaps(asset, q=None, only_link: set[str] | None = None) -> list[str]:
    """Names of box pairs on different links that interpenetrate by more than OVERLAP_TOL."""
    boxes = _axis_aligned_boxes(asset, asset.part_transforms(q))
    bad = []
    for n, (i, lo_i, hi_i) in enumerate(boxes):
        pi = asset.parts[i]
        for j, lo_j, hi_j in boxes[n + 1 :]:
            pj = asset.parts[j]
            if pi.link == pj.link:
                continue
            if only_link is not None and (pi.link in only_link) == (pj.link in only_link):
                continue
            depth = np.minimum(hi_i, hi_j) - np.maximum(lo_i, lo_j)
            if (depth > OVERLAP_TOL).all():
                bad.append(f"{pi.name}/{pj.name} by {np.round(depth, 4).tolist()}")
    return bad


def test_library_has_the_required_furniture():
    required = {
        "sofa", "armchair", "dining_chair", "office_chair", "stool", "bar_stool", "bench", "ottoman", "kids_chair",
        "waiting_chair", "recliner", "bed", "bunk_bed", "crib", "changing_table", "coffee_table", "side_table",
        "kids_table", "meeting_table", "reception_desk", "student_desk", "teacher_desk", "examination_table",
        "workbench", "pool_table", "nightstand", "kitchen_cabinet", "filing_cabinet", "tv_stand", "shoe_rack",
        "storage_shelf", "toy_chest", "locker", "display_shelf", "medicine_cabinet", "tool_cabinet", "fridge",
        "oven", "microwave", "dishwasher", "kitchen_counter", "sink_cabinet", "stove", "toilet", "bathtub",
        "shower", "bathroom_sink", "towel_rack", "washing_machine", "dryer", "ironing_board", "treadmill",
        "exercise_bike", "weight_bench", "dumbbell_rack", "interior_door", "whiteboard", "arcade_machine",
        "foosball_table", "car", "dining_table", "desk", "dresser", "wardrobe", "bookshelf",
    }  # fmt: skip
    assert required <= set(CATEGORIES), sorted(required - set(CATEGORIES))
    kinds = {c: {j.kind for j in build_asset(c).joints} for c in required}
    for c in ("kitchen_cabinet", "fridge", "oven", "microwave", "dishwasher", "toilet", "washing_machine",
              "medicine_cabinet", "locker", "interior_door", "toy_chest"):  # fmt: skip
        assert "revolute" in kinds[c], c
    for c in ("nightstand", "filing_cabinet", "tool_cabinet", "tv_stand", "dresser"):
        assert "prismatic" in kinds[c], c
    assert sum(bool(k) for k in kinds.values()) >= 15


@pytest.mark.parametrize("category", CATEGORIES)
def test_declared_attributes_are_plausible(category):
    from scene_gym.scene import ROOM_TYPES

    f = FACTORIES[category]
    lo, hi = f.size_range
    assert all(0.001 <= a <= b <= 6.0 for a, b in zip(lo, hi, strict=True)), f.size_range
    assert f.description.strip().endswith("."), f.description
    assert set(f.rooms) <= set(ROOM_TYPES), sorted(set(f.rooms) - set(ROOM_TYPES))
    assert resolve_material(f.default_material, strict=True)


@pytest.mark.parametrize(("category", "corner"), SIZE_CASES)
def test_fills_the_requested_size(category, corner):
    asset = _asset(category, corner)
    w, d, h = _size(category, corner)
    assert asset.parts and asset.volume > 0
    bounds = _part_bounds(category, corner)
    lo, hi = bounds[:, 0].min(axis=0), bounds[:, 1].max(axis=0)
    expected_lo, expected_hi = np.array([-w / 2, -d / 2, 0.0]), np.array([w / 2, d / 2, h])
    np.testing.assert_allclose(lo, expected_lo, atol=FILL_TOL, err_msg=f"{category} {corner}: lower bounds")
    np.testing.assert_allclose(hi, expected_hi, atol=FILL_TOL, err_msg=f"{category} {corner}: upper bounds")


@pytest.mark.parametrize("category", CATEGORIES)
def test_parts_use_known_materials(category):
    for part in _asset(category, "default").parts:
        assert part.material.strip(), part.name
        resolve_material(part.material, strict=True)


@pytest.mark.parametrize(("category", "corner"), SIZE_CASES)
def test_support_surfaces_lie_on_geometry_inside_the_footprint(category, corner):
    asset = _asset(category, corner)
    w, d, h = asset.size
    tris = _triangles(category, corner)
    names = [s.name for s in asset.surfaces]
    assert len(names) == len(set(names)), names
    for s in asset.surfaces:
        (cx, cy, cz), (sx, sy) = s.center, s.size
        assert s.link in asset.links, s
        assert sx > 0 and sy > 0 and s.clearance > 0, s
        assert abs(cx) + sx / 2 <= w / 2 + 1e-3 and abs(cy) + sy / 2 <= d / 2 + 1e-3, f"{s.name} leaves the footprint"
        assert 0 <= cz <= h + 1e-3, s
        hit = _first_hit_below(tris, cx, cy, cz + 0.003)
        assert hit is not None and abs(hit - cz) <= SURFACE_TOL, f"{s.name} at z={cz:.3f}: first part below at {hit}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_same_seed_same_asset(category):
    clear_cache()
    a = build_asset(category, seed=3)
    clear_cache()
    b = build_asset(category, seed=3)
    assert a.parts == b.parts and a.joints == b.joints and a.surfaces == b.surfaces and a.handles == b.handles
    for pa, pb in zip(a.parts, b.parts, strict=True):
        if pa.mesh is not None:
            np.testing.assert_array_equal(pa.mesh.vertices, pb.mesh.vertices)
    build_asset(category, seed=4)  # another seed may differ, but must build


@pytest.mark.parametrize("category", CATEGORIES)
def test_articulated_flag_matches_joints(category):
    for corner in CORNERS:
        assert FACTORIES[category].articulated == bool(_asset(category, corner).joints), corner


@pytest.mark.parametrize(("category", "corner"), SIZE_CASES)
def test_closed_links_do_not_interpenetrate(category, corner):
    assert _link_overlaps(_asset(category, corner)) == []


@pytest.mark.parametrize(("category", "corner"), [(c, k) for c in ARTICULATED for k in CORNERS])
def test_each_joint_opens_only_its_link_outwards(category, corner):
    asset = _asset(category, corner)
    closed = asset.part_transforms()
    for joint in asset.joints:
        lo, hi = joint.limits
        assert lo <= 0.0 <= hi and hi > 0, joint
        moving = _descendants(asset, joint.child)
        assert asset.parts_of(joint.child), f"{joint.name}: child link {joint.child!r} has no parts"
        handles = [hd for hd in asset.handles if hd.joint == joint.name]
        assert handles and all(hd.link == joint.child for hd in handles), f"{joint.name}: no handle on its link"
        opened = asset.part_transforms({joint.name: hi})
        shift = []
        for part, t0, t1 in zip(asset.parts, closed, opened, strict=True):
            if part.link in moving:
                shift.append(t1[:3, 3] - t0[:3, 3])
            else:
                np.testing.assert_allclose(t1, t0, atol=1e-9, err_msg=f"{joint.name} moved {part.name}")
        shift = np.asarray(shift)
        assert np.linalg.norm(shift, axis=1).max() > 0.01, f"{joint.name} barely moves its link"
        mean = shift.mean(axis=0)
        # Doors and drawers come towards the front (+Y); lids and flaps lift (+Z). Nothing swings inwards.
        assert mean[1] > 0.005 or mean[2] > 0.005, f"{joint.name} opens inwards: mean shift {mean.round(3)}"
        assert _link_overlaps(asset, {joint.name: hi}, only_link=moving) == [], f"{joint.name} opened"


@pytest.mark.parametrize("category", ARTICULATED)
def test_handles_sit_on_their_links(category):
    asset = _asset(category, "default")
    joint_names = {j.name for j in asset.joints}
    w, d, h = asset.size
    for hd in asset.handles:
        assert hd.joint is None or hd.joint in joint_names, hd
        x, y, z = hd.position
        assert abs(x) <= w / 2 + 1e-3 and abs(y) <= d / 2 + 1e-3 and -1e-3 <= z <= h + 1e-3, hd


def _fcl_objects(fcl, asset, q=None) -> list:
    """One fcl convex object per colliding part at joint positions ``q`` (None for decorative parts), with the
    part's lowest point."""
    from scene_gym.assets.meshes import collision_mesh

    out = []
    for part, t in zip(asset.parts, asset.part_transforms(q), strict=True):
        if not part.collide:
            out.append((None, 0.0))
            continue
        m = collision_mesh(part)
        faces = np.hstack([np.full((len(m.faces), 1), 3), m.faces]).ravel()
        shape = fcl.Convex(np.asarray(m.vertices), len(m.faces), faces)
        low = float((m.vertices @ t[:3, :3].T + t[:3, 3])[:, 2].min())
        out.append((fcl.CollisionObject(shape, fcl.Transform(t[:3, :3], t[:3, 3])), low))
    return out


def _penetrations(fcl, asset, objs, moving: set[str] | None, tol: float) -> list[str]:
    bad = []
    parts = asset.parts
    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            a, b = parts[i], parts[j]
            if a.link == b.link or objs[i][0] is None or objs[j][0] is None:
                continue
            if moving is not None and (a.link in moving) == (b.link in moving):
                continue
            result = fcl.CollisionResult()
            if fcl.collide(objs[i][0], objs[j][0], fcl.CollisionRequest(num_max_contacts=1, enable_contact=True), result):
                depth = max((c.penetration_depth for c in result.contacts), default=0.0)
                if depth > tol:
                    bad.append(f"{a.name}/{b.name} by {depth:.4f} m")
    return bad


@pytest.mark.parametrize(("category", "corner"), [(c, k) for c in ARTICULATED for k in CORNERS])
def test_links_clear_each_other_and_the_floor_closed_and_open(category, corner):
    """Exact convex shapes (cylinders and meshes too, at any angle): closed links touch at most; half- and
    fully-opened links do not swing through the rest of the asset or below the floor."""
    fcl = pytest.importorskip("fcl")
    asset = _asset(category, corner)
    assert _penetrations(fcl, asset, _fcl_objects(fcl, asset), None, OVERLAP_TOL) == []
    for joint in asset.joints:
        moving = _descendants(asset, joint.child)
        for frac in (0.5, 1.0):
            objs = _fcl_objects(fcl, asset, {joint.name: frac * joint.limits[1]})
            bad = _penetrations(fcl, asset, objs, moving, 0.003)
            bad += [f"{p.name} below the floor" for p, (o, low) in zip(asset.parts, objs, strict=True)
                    if p.link in moving and o is not None and low < -1e-3]  # fmt: skip
            assert bad == [], f"{joint.name} at {frac:.0%} open: {bad[:5]}"
