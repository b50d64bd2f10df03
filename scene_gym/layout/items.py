"""Turning solver requests into work items: ids, sizes, where each object goes (floor, wall, ceiling or a
support surface) and the order of placement."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from scene_gym.assets import AssetFactory, get_factory
from scene_gym.assets.factory import DOOR_CATEGORIES
from scene_gym.errors import LayoutError
from scene_gym.layout import relations as R
from scene_gym.layout.geometry import Box
from scene_gym.layout.requests import DEFAULT_FRONT_CLEARANCE, NO_FRONT_CATEGORIES, PlacementRequest
from scene_gym.layout.scene_view import DOOR_ZONE_MIN_DEPTH
from scene_gym.scene import Scene

Size3 = tuple[float, float, float]
RANK = {"floor": 0, "wall": 1, "ceiling": 2, "surface": 3}
_NO_WALL_PREFERENCE = ("chair", "stool", "table", "bench", "ottoman", "rug", "plant", "lamp")


class Item:
    """One object to place, with everything the solver needs about it."""

    def __init__(self, id: str, factory: type[AssetFactory], size: Size3, explicit: bool, material: str,
                 params: dict, seed: int, placement: str, support: str | None, front_clearance: float,
                 existing: Box | None = None):  # fmt: skip
        self.id, self.factory, self.category = id, factory, factory.category
        self.requested, self.size, self.explicit = size, size, explicit
        self.material, self.params, self.seed = material, dict(params), int(seed)
        self.placement, self.support = placement, support
        self.front_clearance = front_clearance if placement == "floor" else 0.0
        self.thin = bool(factory.thin_covering)
        self.is_door = factory.category in DOOR_CATEGORIES and placement == "floor"
        self.existing = existing  # the original box of an existing object being re-placed
        self.carried: list[Box] = []  # existing objects resting on it, moved along rigidly
        self.relations: list[int] = []
        self.box: Box | None = None
        self.prefers_wall = (placement == "floor" and not self.thin and self.front_clearance > 0 and not self.is_door
                             and not any(w in self.category for w in _NO_WALL_PREFERENCE))  # fmt: skip

    @property
    def area(self) -> float:
        return self.size[0] * self.size[1]

    def asset_key(self, size: Size3) -> tuple:
        return (self.category, tuple(size), tuple(sorted(self.params.items())), self.seed, self.material)

    def sizes_to_try(self) -> list[Size3]:
        """The asked size, then sizes shrinking towards the category's minimum (the resize fallback)."""
        lo = tuple(min(a, b) for a, b in zip(self.factory.size_range[0], self.requested, strict=True))
        out = [self.requested]
        for t in (0.7, 0.4, 0.0):
            s = tuple(round(a + t * (b - a), 6) for a, b in zip(lo, self.requested, strict=True))
            if s != out[-1]:
                out.append(s)
        return out


def build_items(scene: Scene, requests: Sequence, relations: Sequence[R.Relation]) -> tuple[list[Item], list]:
    """Validate ``requests`` (PlacementRequest, dict or existing id) and return the items plus notes
    ``(constraint, ids, reason)`` about sizes clamped into their category's range."""
    if isinstance(requests, str | bytes | dict) or not hasattr(requests, "__iter__"):
        raise LayoutError(f"requests: expected a list of requests or object ids, got {type(requests).__name__}")
    taken = {o.id for o in scene.objects}
    subject_support = _support_from_relations(relations)
    items, notes, seen, counters = [], [], set(), {}
    for k, req in enumerate(requests):
        if isinstance(req, dict):
            req = PlacementRequest.from_dict(req)
        if isinstance(req, str):
            if req not in scene:
                raise LayoutError(f"requests[{k}]: unknown object id {req!r} to re-place")
            if req in seen:
                raise LayoutError(f"requests[{k}]: object {req!r} requested twice")
            obj = scene.get(req)
            factory = get_factory(obj.category)
            kind, support = _placement(obj.id, factory, subject_support, None, obj.parent)
            fc = front_clearance(factory, None)
            from scene_gym.layout.scene_view import box_of

            item = Item(obj.id, factory, tuple(obj.size), True, obj.material or factory.default_material,
                        obj.params, obj.seed, kind, support, fc, existing=box_of(obj))  # fmt: skip
        elif isinstance(req, PlacementRequest):
            factory = get_factory(req.category)
            oid = req.id or _next_id(req.category, taken, counters)
            if oid in taken or oid in seen:
                raise LayoutError(f"requests[{k}].id: {oid!r} is already used in the scene or by another request")
            size = factory.default_size if req.size is None else req.size
            clamped = factory.clamp_size(size)
            if any(abs(a - b) > 1e-9 for a, b in zip(clamped, size, strict=True)):
                notes.append(("size", (oid,), f"asked size {tuple(size)} outside the {req.category} range "
                                             f"{factory.size_range}; clamped to {clamped}"))  # fmt: skip
            kind, support = _placement(oid, factory, subject_support, req.parent, None)
            item = Item(oid, factory, tuple(clamped), req.size is not None, req.material or factory.default_material,
                        req.params, req.seed, kind, support, front_clearance(factory, req.front_clearance))  # fmt: skip
        else:
            raise LayoutError(f"requests[{k}]: expected a PlacementRequest, a dict or an object id, got {req!r}")
        seen.add(item.id)
        taken.add(item.id)
        items.append(item)
    return items, notes


def _next_id(category: str, taken: set[str], counters: dict[str, int]) -> str:
    """``<category>_<n>`` with n one more than the highest in use (scanning ``taken`` once per category)."""
    if category not in counters:
        prefix = category + "_"
        counters[category] = max([int(o[len(prefix):]) for o in taken
                                  if o.startswith(prefix) and o[len(prefix):].isdigit()], default=0)  # fmt: skip
    n = counters[category] + 1
    while f"{category}_{n}" in taken:
        n += 1
    counters[category] = n
    return f"{category}_{n}"


def _support_from_relations(relations) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for rel in relations:
        if rel.support and rel.subject not in out:
            out[rel.subject] = ("surface", rel.target) if rel.support == "target" else (rel.support, None)
    return out


def _placement(oid: str, factory, from_relations, parent: str | None, current_parent: str | None):
    if parent is not None:
        if oid in from_relations and from_relations[oid] != ("surface", parent):
            raise LayoutError(f"{oid}: request parent {parent!r} contradicts its relations {from_relations[oid]}")
        return "surface", parent
    if oid in from_relations:
        return from_relations[oid]
    if current_parent is not None:
        if current_parent in ("floor", "wall", "ceiling"):
            return current_parent, None
        return "surface", current_parent
    return (factory.placement, None)


def front_clearance(factory, asked: float | None) -> float:
    if asked is not None:
        return float(asked)
    if factory.thin_covering or factory.small or factory.category in NO_FRONT_CATEGORIES:
        return 0.0
    if factory.category in DOOR_CATEGORIES:
        return DOOR_ZONE_MIN_DEPTH
    return DEFAULT_FRONT_CLEARANCE


def placement_order(items: list[Item], relations: Sequence[R.Relation]) -> list[Item]:
    """Floor objects, then wall, ceiling and surface objects; within each, references before the objects that
    relate to them (a table before the chairs around it), door objects, then objects with relations, before
    free ones, larger and more constrained objects first."""
    by_id = {it.id: it for it in items}
    deps: dict[str, set[str]] = {it.id: set() for it in items}
    for rel in relations:
        targets = [rel.target] if getattr(rel, "target", None) else []
        for subject in (*(getattr(rel, "subjects", ()) or ()), getattr(rel, "subject", None)):
            if subject in deps:
                deps[subject].update(t for t in targets if t in by_id and t != subject)
    for it in items:
        if it.support in by_id:
            deps[it.id].add(it.support)

    # Door objects first (they need free wall and a clear swing zone), then constrained objects (fewer good
    # places), then by size; ties by request order.
    keys = {it.id: (RANK[it.placement], not it.is_door, not it.relations, -it.area * (1 + 0.25 * len(it.relations)), k)
            for k, it in enumerate(items)}  # fmt: skip
    waiting = {oid: len(d) for oid, d in deps.items()}
    dependents: dict[str, list[str]] = {oid: [] for oid in deps}
    for oid, d in deps.items():
        for t in d:
            dependents[t].append(oid)
    ready = [(keys[oid], oid) for oid, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order, done = [], set()
    while len(order) < len(items):
        if ready:
            _, oid = heapq.heappop(ready)
        else:  # a dependency cycle: take its most important object
            oid = min((o for o in deps if o not in done), key=keys.__getitem__)
        if oid in done:
            continue
        done.add(oid)
        order.append(by_id[oid])
        for other in dependents[oid]:
            waiting[other] -= 1
            if waiting[other] == 0 and other not in done:
                heapq.heappush(ready, (keys[other], other))
    return order
