"""``add_crowd``: fill one receptacle's fixed support surfaces with small objects (SceneWeaver's "add crowd").

Surfaces are those of the receptacle's asset on its base link (table tops, fixed shelf boards; drawers and
doors are left alone). Each new object:

- is a small category (``AssetFactory.small``) of the room's type, or one of the categories asked for;
- has its category's default size, turned by a multiple of 90 degrees relative to the receptacle;
- lies fully on one surface (its footprint inside the surface rectangle, 1 cm from the edges), fits under the
  surface's clearance and under the ceiling;
- keeps 1 cm from every other object on that surface, and does not overlap any other object's bounding box
  (a lamp leaning over the table, a shelf above).

Sampling is rejection sampling with every draw from the call's ``rng``.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field

from scene_gym.actions import edit
from scene_gym.actions.tools.base import Args, Context, Int, Num, ObjectId, Outcome, Text, ToolError, fmt_ids
from scene_gym.errors import EditError
from scene_gym.scene import SceneObject

EDGE = 0.01  # metres kept from a surface's edges
GAP = 0.01  # metres kept between objects on a surface
MAX_NEW = 64
DEFAULT_DENSITY = 0.3
TRIES_PER_OBJECT = 40


class AddCrowdArgs(Args):
    receptacle: ObjectId = Field(description="id of the object whose surfaces to fill (a table, shelf, desk...)")
    categories: list[Text] | None = Field(None, min_length=1, max_length=16, description=(
        "small-object categories to choose from (e.g. ['book', 'vase']); default: small objects typical of the "
        "room type"))  # fmt: skip
    count: Int | None = Field(None, ge=1, le=MAX_NEW, description="how many objects; give count or density")
    density: Num | None = Field(None, gt=0.0, le=0.9, description=(
        f"fraction of the surface area to cover with object footprints; default {DEFAULT_DENSITY} when count is "
        "not given"))  # fmt: skip

    def finish(self) -> AddCrowdArgs:
        from scene_gym.assets import get_factory

        if self.count is not None and self.density is not None:
            raise ToolError(f"expected count or density, not both; got count={self.count} and density={self.density}",
                            field="args.density")  # fmt: skip
        if self.categories is None:
            return self
        resolved = []
        for k, name in enumerate(self.categories):
            try:
                cat = edit.resolve_category(name)
            except EditError as err:
                raise ToolError(err.reason, field=f"args.categories[{k}]") from None
            if not get_factory(cat).small:
                raise ToolError(f"expected a small object category (books, cups, vases...), got {cat!r}; use "
                                f"add_objects for furniture", field=f"args.categories[{k}]")  # fmt: skip
            resolved.append(cat)
        resolved = list(dict.fromkeys(resolved))
        return self if resolved == self.categories else self.model_copy(update={"categories": resolved})


def _default_categories(room_type: str) -> list[str]:
    from scene_gym.assets import factories

    small = {c: f for c, f in factories().items() if f.small}
    fitting = [c for c, f in small.items() if room_type in f.rooms]
    return fitting or list(small)


def _local_rect(obj: SceneObject, parent: SceneObject) -> tuple[float, float, float, float]:
    """Axis-aligned (xmin, ymin, xmax, ymax) in the parent's frame of an object's footprint."""
    pts = obj.footprint() - np.asarray(parent.position[:2])
    c, s = math.cos(parent.yaw), math.sin(parent.yaw)
    lx = c * pts[:, 0] + s * pts[:, 1]
    ly = -s * pts[:, 0] + c * pts[:, 1]
    return float(lx.min()), float(ly.min()), float(lx.max()), float(ly.max())


def _world_box(obj: SceneObject) -> tuple[np.ndarray, np.ndarray]:
    fp = obj.footprint()
    lo = np.array([fp[:, 0].min(), fp[:, 1].min(), obj.position[2]])
    hi = np.array([fp[:, 0].max(), fp[:, 1].max(), obj.top])
    return lo, hi


class _Surfaces:
    """The receptacle's usable surfaces for the asked categories, and what already stands on and around them."""

    def __init__(self, scene, parent: SceneObject, args: AddCrowdArgs):
        from scene_gym.assets import get_factory
        from scene_gym.assets.parts import BASE_LINK

        self.parent, self.pz = parent, parent.position[2]
        self.names = args.categories or _default_categories(scene.room.type)
        self.sizes = {c: get_factory(c).default_size for c in self.names}
        self.ceiling = scene.room.wall_height - 0.01
        surfaces = [s for s in edit.asset_of(parent).surfaces if s.link == BASE_LINK]
        if not surfaces:
            hosts = [o.id for o in scene.objects if o.parent == "floor" and any(
                s.link == BASE_LINK for s in edit.asset_of(o).surfaces)]  # fmt: skip
            raise ToolError(f"{parent.id} ({parent.category}) has no fixed support surface; objects with one: "
                            f"{fmt_ids(hosts)}", field="args.receptacle")  # fmt: skip
        self.usable = [s for s in surfaces if any(self.fits(c, s) for c in self.names)]
        if not self.usable:
            biggest = max(surfaces, key=lambda s: s.size[0] * s.size[1])
            what = "categories" if args.categories else "small objects of this room type"
            raise ToolError(f"none of the {what} fits on {parent.id}'s surfaces (largest {biggest.size[0]:.2f} x "
                            f"{biggest.size[1]:.2f} m, clearance {biggest.clearance:.2f} m)",
                            field="args.categories" if args.categories else "args.receptacle")  # fmt: skip
        self.area = np.array([s.size[0] * s.size[1] for s in self.usable])
        self._occupancy(scene)

    def fits(self, cat: str, s) -> bool:
        w, d, h = self.sizes[cat]
        sw, sd = s.size[0] - 2 * EDGE, s.size[1] - 2 * EDGE
        flat = (w <= sw and d <= sd) or (d <= sw and w <= sd)
        return flat and h <= s.clearance and self.pz + s.center[2] + h <= self.ceiling

    def _occupancy(self, scene) -> None:
        """Per surface, rectangles (xmin, ymin, xmax, ymax) in the parent's frame of what stands on it; and the
        world boxes of the objects around (neither the receptacle's load nor what carries it)."""
        parent = self.parent
        self.occupied: list[list[tuple]] = [[] for _ in self.usable]
        group = {parent.id, *(o.id for o in scene.descendants(parent.id))}
        ancestors, node = set(), parent.parent
        while node in scene:
            ancestors.add(node)
            node = scene.get(node).parent
        self.others = []
        for o in scene.objects:
            if o.parent == parent.id:
                for k, s in enumerate(self.usable):
                    if abs(o.position[2] - (self.pz + s.center[2])) <= 0.02:
                        self.occupied[k].append(_local_rect(o, parent))
            elif o.id not in group and o.id not in ancestors:
                self.others.append(_world_box(o))

    def draw(self, rng: np.random.Generator, cat: str):
        """One random spot for ``cat``: (surface index, rect in the parent's frame, world (x, y, z), turns of 90
        degrees), or None when the draw collides or nothing fits."""
        ok_s = [k for k, s in enumerate(self.usable) if self.fits(cat, s)]
        if not ok_s:
            return None
        p = self.area[ok_s] / self.area[ok_s].sum()
        k = ok_s[int(rng.choice(len(ok_s), p=p))]
        s = self.usable[k]
        w, d, h = self.sizes[cat]
        turn = int(rng.integers(4))
        ex, ey = (w / 2, d / 2) if turn % 2 == 0 else (d / 2, w / 2)
        rx, ry = s.size[0] / 2 - EDGE - ex, s.size[1] / 2 - EDGE - ey
        if rx < 0 or ry < 0:
            return None
        lx = s.center[0] + rng.uniform(-rx, rx)
        ly = s.center[1] + rng.uniform(-ry, ry)
        rect = (lx - ex, ly - ey, lx + ex, ly + ey)
        if any(rect[0] < b[2] + GAP and b[0] < rect[2] + GAP and rect[1] < b[3] + GAP and b[1] < rect[3] + GAP
               for b in self.occupied[k]):  # fmt: skip
            return None
        c, sn = math.cos(self.parent.yaw), math.sin(self.parent.yaw)
        px, py = self.parent.position[0], self.parent.position[1]
        x, y, z = px + c * lx - sn * ly, py + sn * lx + c * ly, self.pz + s.center[2]
        wx, wy = abs(c) * ex + abs(sn) * ey, abs(sn) * ex + abs(c) * ey
        lo, hi = np.array([x - wx, y - wy, z]), np.array([x + wx, y + wy, z + h])
        if any((lo < bhi).all() and (blo < hi).all() for blo, bhi in self.others):
            return None
        return k, rect, (x, y, z), turn


def run_add_crowd(ctx: Context, args: AddCrowdArgs) -> Outcome:
    scene, rng = ctx.scene, ctx.rng
    parent = edit.get_object(scene, args.receptacle, field="receptacle")
    spots = _Surfaces(scene, parent, args)
    total_area = float(spots.area.sum())
    target = args.count if args.count is not None else MAX_NEW
    want_area = None if args.count is not None else (args.density or DEFAULT_DENSITY) * total_area
    covered = 0.0
    new: list[SceneObject] = []
    tries = 0
    while len(new) < target and tries < TRIES_PER_OBJECT * min(target, MAX_NEW):
        if want_area is not None and covered >= want_area:
            break
        tries += 1
        cat = spots.names[int(rng.integers(len(spots.names)))]
        spot = spots.draw(rng, cat)
        if spot is None:
            continue
        k, rect, position, turn = spot
        new.append(edit.add_object(scene, cat, position=position, yaw=parent.yaw + turn * math.pi / 2,
                                   size=spots.sizes[cat], parent=parent.id))  # fmt: skip
        spots.occupied[k].append(rect)
        covered += (rect[2] - rect[0]) * (rect[3] - rect[1])
    ids = [o.id for o in new]
    details = {"placed": ids, "surfaces": [s.name for s in spots.usable], "covered_area": round(covered, 4),
               "surface_area": round(total_area, 4)}  # fmt: skip
    if args.count is not None:
        ok = len(new) == args.count
        tail = "" if ok else f" (asked for {args.count}; the surfaces are full)"
    else:
        ok = bool(new)
        tail = f" covering {covered / total_area:.0%} of {total_area:.2f} m2"
    return Outcome(ok, f"put {len(new)} object(s) on {parent.id}: {fmt_ids(ids)}{tail}", details)
