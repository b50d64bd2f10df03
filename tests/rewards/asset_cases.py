"""Good asset-level arrangements and their perturbations, for the asset reward's tests.

``python tests/rewards/asset_cases.py`` prints the perturbation table (pass/total per perturbation).

A good arrangement: 3-6 items the reward's table rates highly for the receptacle (affinity >= 0.7), packed in
rows from the back edge of its main surface (along the centre line for a dining table), 2 cm apart, square to
it. The perturbations, each applied to a copy:

- ``swap``: every item replaced, at the same spot, by an item of affinity <= 0.2 for that receptacle;
- ``pile``: every item stacked into one tower at the surface's centre (an item that cannot go on top goes on
  the surface at the centre);
- ``crowd``: every item put on the surface within 4 cm of its centre;
- ``overhang``: every item pushed toward its nearest edge until 30% of its extent hangs over it.
"""

from __future__ import annotations

import math

import numpy as np

from scene_gym.actions import edit
from scene_gym.actions.edit.surfaces import asset_of
from scene_gym.assets import get_factory
from scene_gym.errors import EditError
from scene_gym.rewards import asset_affinity as table
from scene_gym.scene import COMPASS_YAW, Room, Scene, SceneObject

RECEPTACLES = ("desk", "dining_table", "nightstand", "coffee_table", "side_table", "kitchen_counter", "bookshelf",
               "dresser")  # fmt: skip
PROMPTS = {"desk": "a writer's desk", "dining_table": "a breakfast table", "nightstand": "a nightstand by the bed",
           "coffee_table": "a living room coffee table", "side_table": "a reading corner side table",
           "kitchen_counter": "a busy kitchen counter", "bookshelf": "the top of a bookshelf",
           "dresser": "a dresser with keepsakes"}  # fmt: skip
PERTURBATIONS = ("swap", "pile", "crowd", "overhang")
GAP, MARGIN = 0.02, 0.005


def empty(category: str, yaw: float = 0.0, prompt: str | None = None) -> Scene:
    """A 4 x 4 m room with the receptacle at its centre (as ``SceneSynthAsset-v2`` starts)."""
    f = get_factory(category)
    rec = SceneObject(id=f"{category}_1", category=category, position=(2.0, 2.0, 0.0), yaw=yaw,
                      size=f.default_size, material=f.default_material)  # fmt: skip
    return Scene(
        Room.rectangle(4.0, 4.0, type="living room"), [rec], prompt=prompt or PROMPTS.get(category, "")
    )


def main_surface(rec):
    base = [s for s in asset_of(rec).surfaces if s.link == "base"]
    return max(base, key=lambda s: s.area)


def _room_point(rec, lx: float, ly: float) -> tuple[float, float, float]:
    s = main_surface(rec)
    p = rec.transform() @ np.array([lx, ly, s.center[2], 1.0])
    return float(p[0]), float(p[1]), float(p[2])


def _pack(rec, cats, centre: bool) -> list[tuple[str, float, float]]:
    """(category, x, y) in the receptacle's frame for the items that fit, rows from the back (or one centred
    row)."""
    s = main_surface(rec)
    x0, x1 = s.center[0] - s.size[0] / 2 + MARGIN, s.center[0] + s.size[0] / 2 - MARGIN
    y0, y1 = s.center[1] - s.size[1] / 2 + MARGIN, s.center[1] + s.size[1] / 2 - MARGIN
    out, x, row_y, row_d = [], x0, y0, 0.0
    for cat in cats:
        w, d, _ = get_factory(cat).default_size
        if centre:
            if x + w > x1:
                continue
            out.append((cat, x + w / 2, s.center[1]))
            x += w + GAP
            continue
        if x + w > x1:
            x, row_y, row_d = x0, row_y + row_d + GAP, 0.0
        if x + w > x1 or row_y + d > y1:
            continue
        out.append((cat, x + w / 2, row_y + d / 2))
        x, row_d = x + w + GAP, max(row_d, d)
    if centre and out:  # centre the row along x
        shift = (x0 + x1) / 2 - (out[0][1] - get_factory(out[0][0]).default_size[0] / 2 + x - GAP) / 2
        out = [(c, px + shift, py) for c, px, py in out]
    return out


def good_arrangement(category: str, seed: int) -> Scene:
    """3-6 high-affinity items on ``category`` (module docstring); the yaw and the items come from ``seed``."""
    rng = np.random.default_rng(seed)
    yaw = list(COMPASS_YAW.values())[seed % 4]
    row = table.AFFINITY[category]
    pool = sorted(c for c, a in row.items() if a >= 0.7)
    want = int(rng.integers(3, 7))
    best: list = []
    for _ in range(30):
        cats = [pool[i] for i in rng.permutation(len(pool))][:want]
        placed = _pack(empty(category, yaw).objects[0], cats, centre=category == "dining_table")
        if len(placed) > len(best):
            best = placed
        if len(best) >= min(want, 3):
            break
    scene = empty(category, yaw)
    rec = scene.objects[0]
    for cat, lx, ly in best:
        edit.add_object(scene, cat, position=_room_point(rec, lx, ly), yaw=rec.yaw, parent=rec.id)
    return scene


def _items(scene):
    rec = scene.objects[0]
    return rec, [o for o in scene.descendants(rec.id)]


def swap(scene: Scene, rng) -> Scene:
    rec, items = _items(scene)
    low = sorted(c for c, a in table.AFFINITY[rec.category].items() if a <= 0.2)
    out = empty(rec.category, rec.yaw, scene.prompt)
    for o in items:
        cat = low[int(rng.integers(len(low)))]
        edit.add_object(out, cat, position=o.position, yaw=o.yaw, parent=rec.id)
    return out


def pile(scene: Scene, rng) -> Scene:
    rec, items = _items(scene)
    s = main_surface(rec)
    out = empty(rec.category, rec.yaw, scene.prompt)
    at = _room_point(rec, s.center[0], s.center[1])
    below = None
    for o in items:
        try:
            if below is None:
                raise EditError("first", field="parent")
            top = (below.position[0], below.position[1], below.position[2] + below.size[2])
            below = edit.add_object(out, o.category, position=top, yaw=rec.yaw, parent=below.id)
        except EditError:
            below = edit.add_object(out, o.category, position=at, yaw=rec.yaw, parent=rec.id)
    return out


def crowd(scene: Scene, rng) -> Scene:
    rec, items = _items(scene)
    s = main_surface(rec)
    out = empty(rec.category, rec.yaw, scene.prompt)
    for k, o in enumerate(items):
        a = 2 * math.pi * k / max(1, len(items))
        pos = _room_point(rec, s.center[0] + 0.04 * math.cos(a), s.center[1] + 0.04 * math.sin(a))
        edit.add_object(out, o.category, position=pos, yaw=rec.yaw, parent=rec.id)
    return out


def overhang(scene: Scene, rng) -> Scene:
    out = scene.copy()
    rec, items = _items(out)
    s = main_surface(rec)
    inv = np.linalg.inv(rec.transform())
    for o in items:
        if o.parent != rec.id:
            continue
        lx, ly = (inv @ np.array([*o.position, 1.0]))[:2]
        w, d = o.size[0], o.size[1]
        gaps = {(1, 0): s.center[0] + s.size[0] / 2 - lx, (-1, 0): lx - (s.center[0] - s.size[0] / 2),
                (0, 1): s.center[1] + s.size[1] / 2 - ly, (0, -1): ly - (s.center[1] - s.size[1] / 2)}  # fmt: skip
        (dx, dy), _ = min(gaps.items(), key=lambda kv: kv[1])
        if dx:
            lx = s.center[0] + dx * (s.size[0] / 2 - 0.2 * w)
        else:
            ly = s.center[1] + dy * (s.size[1] / 2 - 0.2 * d)
        p = rec.transform() @ np.array([lx, ly, 0.0, 1.0])
        edit.move_object(out, o.id, to=(float(p[0]), float(p[1])))
    return out


PERTURB = {"swap": swap, "pile": pile, "crowd": crowd, "overhang": overhang}


def arrangements(seeds_per_receptacle: int = 3) -> list[tuple[str, int, Scene]]:
    return [(c, k, good_arrangement(c, k)) for c in RECEPTACLES for k in range(seeds_per_receptacle)]


def perturbation_table(reward, cases=None) -> dict[str, tuple[int, int, list]]:
    """perturbation -> (lowered, total, failures as (receptacle, seed, good value, perturbed value))."""
    from scene_gym.rewards.base import RewardContext

    cases = cases if cases is not None else arrangements()
    out = {}
    for name in PERTURBATIONS:
        passed, fails = 0, []
        for cat, seed, scene in cases:
            good = reward(scene, RewardContext()).value
            bad = reward(PERTURB[name](scene, np.random.default_rng(1000 + seed)), RewardContext()).value
            if bad < good - 1e-9:
                passed += 1
            else:
                fails.append((cat, seed, round(good, 4), round(bad, 4)))
        out[name] = (passed, len(cases), fails)
    return out


def format_table(result) -> str:
    lines = ["perturbation  lowered/total"]
    lines += [
        f"{name:<12}  {p}/{t}" + (f"  failures: {f}" if f else "") for name, (p, t, f) in result.items()
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    from scene_gym.rewards.reward_spec import make_reward

    print(format_table(perturbation_table(make_reward("asset"))))
