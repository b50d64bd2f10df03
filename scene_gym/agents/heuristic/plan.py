"""From a task spec to a plan: the room, the objects (with counts, relations, materials, sizes) and the small
objects to put on receptacles. Writers turn a plan into actions for each environment.

How a :class:`~scene_gym.spec.TaskSpec` becomes a :class:`Plan` (:func:`make_plan`):

1. **Room type**: the spec's, else the room type whose catalog fits most of the spec's categories
   (default ``"living room"``). **Size**: the spec's width/depth (or area), else the type's typical size
   (:data:`~scene_gym.assets.room_priors.DEFAULT_SIZE`) scaled by the spec's scale word and a seeded
   jitter of 0-10 %, grown until the floor furniture covers at most 40 % of the floor.
2. **Items**, in priority order: every category the spec names (its count, relations, colour/material and size
   words), then every object it asks for that the catalog lacks, as an object program (:mod:`.open_vocab`), then the room prior's furniture (all of it when the prompt names the room type, only the essential
   items when the type was inferred), then the decoration of :data:`~scene_gym.assets.room_priors.EXTRAS`. Prior and extra items
   never add to a category the spec counts; their relation templates are kept. Items are then ordered so that
   every relation's target comes before its subject.
3. **Crowds**: every receptacle instance (:data:`~scene_gym.assets.room_priors.CROWDS`) gets small objects of its room's kind,
   leaving out categories the spec bounds from above.

Every random choice draws from the ``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from scene_gym.agents.heuristic.open_vocab import unresolved_items
from scene_gym.assets.room_priors import DEFAULT_SIZE, RECEPTACLES, crowd_for, room_items
from scene_gym.errors import SceneGymError

#: Share of the floor the planned floor furniture may cover before the room is made larger.
MAX_OCCUPANCY = 0.4
MIN_SIDE, MAX_SIDE = 2.0, 30.0
_SIZE_SCALE = {"large": (1.1, 1.1, 1.1), "small": (0.85, 0.85, 0.85), "tall": (1.0, 1.0, 1.15),
               "short": (1.0, 1.0, 0.85), "low": (1.0, 1.0, 0.85), "wide": (1.15, 1.0, 1.0),
               "narrow": (0.85, 1.0, 1.0)}  # fmt: skip


@dataclass(frozen=True)
class PlanItem:
    """``count`` new objects of ``category``.

    Attributes:
        category: catalog category.
        count: how many to add (>= 1).
        relations: relation templates in the tools' format without ``subject``; ``target`` names a category
            (its first instance, or instance ``target_instance``); ``instance`` restricts a template to one new
            object (0-based).
        material: material description, or None for the category's default.
        size: (width, depth, height) metres, or None for the default.
        parent: category of the receptacle the objects stand on (small objects), or None.
        source: ``"spec"``, ``"prior"`` or ``"extra"``.
        essential: True for the spec's items and the prior's essential ones.
        program: for an object the catalog lacks, the object-program data whose category is ``category``
            (:mod:`.open_vocab`); writers define it before placing it. None for catalog categories.
    """

    category: str
    count: int
    relations: tuple[dict[str, Any], ...] = ()
    material: str | None = None
    size: tuple[float, float, float] | None = None
    parent: str | None = None
    source: str = "prior"
    essential: bool = True
    program: dict[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CrowdItem:
    """Small objects for one receptacle instance: ``count`` objects drawn from ``categories`` onto the
    ``instance``-th (0-based) *new* object of category ``receptacle`` in the plan."""

    receptacle: str
    instance: int
    categories: tuple[str, ...]
    count: int


@dataclass
class Plan:
    """What to build. ``width``/``depth`` in metres; ``items`` in placement order; ``prior_only`` is True when
    the items are exactly the room prior plus extras (the tool writer then uses ``init_layout``)."""

    room_type: str
    width: float
    depth: float
    items: list[PlanItem] = field(default_factory=list)
    crowds: list[CrowdItem] = field(default_factory=list)
    spec: Any = None
    prior_only: bool = False

    def counts(self) -> dict[str, int]:
        """Planned number of new objects per category (crowds excluded)."""
        out: dict[str, int] = {}
        for it in self.items:
            out[it.category] = out.get(it.category, 0) + it.count
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (for logs and ``describe``)."""
        return {"room_type": self.room_type, "width": self.width, "depth": self.depth, "prior_only": self.prior_only,
                "items": [{"category": i.category, "count": i.count, "relations": list(i.relations),
                           "material": i.material, "size": i.size, "parent": i.parent, "source": i.source,
                           **({"name": i.program["name"]} if i.program else {})} for i in self.items],
                "crowds": [{"receptacle": c.receptacle, "instance": c.instance, "categories": list(c.categories),
                            "count": c.count} for c in self.crowds]}  # fmt: skip


def as_spec(prompt_or_spec: Any):
    """A :class:`~scene_gym.spec.TaskSpec` from prompt text, a spec, or a spec dict."""
    from scene_gym.spec import TaskSpec, parse_prompt

    if isinstance(prompt_or_spec, TaskSpec):
        return prompt_or_spec
    if isinstance(prompt_or_spec, dict):
        return TaskSpec.from_dict(prompt_or_spec)
    if isinstance(prompt_or_spec, str):
        return parse_prompt(prompt_or_spec)
    raise SceneGymError(f"expected a prompt (str), a TaskSpec or its dict, got {type(prompt_or_spec).__name__}")


def infer_room_type(spec) -> str:
    """The spec's room type, else the prior room type in whose catalog rooms most spec categories belong."""
    from scene_gym.assets import factories

    if spec.room_type:
        return spec.room_type
    cats = [c for c in spec.categories if c in factories()]
    if not cats:
        return "living room"
    best, best_score = "living room", -1.0
    for rt in DEFAULT_SIZE:
        prior, _ = room_items(rt)
        prior_cats = {p.category for p in prior}
        score = sum(rt in factories()[c].rooms for c in cats) + 0.5 * sum(c in prior_cats for c in cats)
        score += 0.25 if rt == "living room" else 0.0
        if score > best_score:
            best, best_score = rt, score
    return best


def _chosen_count(req, prior_count: int | None) -> int:
    base = prior_count if prior_count is not None else req.minimum
    if req.quantifier == "eq":
        return req.count
    if req.quantifier in ("ge", "gt"):
        return max(base, req.minimum)
    return min(base, req.maximum if req.maximum is not None else base)


def _material(category: str, attrs) -> str | None:
    from scene_gym.assets import get_factory, resolve_material

    colour = next((a.value for a in attrs if a.kind == "colour"), None)
    material = next((a.value for a in attrs if a.kind == "material"), None)
    if colour is None and material is None:
        return None
    base = material or resolve_material(get_factory(category).default_material).name
    return f"{colour} {base}" if colour else base


def _size(category: str, attrs) -> tuple[float, float, float] | None:
    from scene_gym.assets import get_factory

    words = [a.value for a in attrs if a.kind == "size"]
    if not words:
        return None
    f = get_factory(category)
    size = np.array(f.default_size, dtype=float)
    for w in words:
        if w == "long":
            axis = 0 if size[0] >= size[1] else 1
            size[axis] *= 1.15
        else:
            size *= np.array(_SIZE_SCALE[w])
    lo, hi = (np.asarray(v, dtype=float) for v in f.size_range)
    return tuple(round(float(v), 3) for v in np.clip(size, lo, hi))


def _is_surface_object(category: str) -> bool:
    from scene_gym.assets import get_factory

    f = get_factory(category)
    return bool(f.small or f.placement == "surface")


def _spec_templates(spec, category: str) -> tuple[list[dict], str | None]:
    """Relation templates for ``category`` from the spec, and the parent category (an ``on_top_of`` target)."""
    out, parent = [], None
    for r in spec.relations:
        if r.subject != category:
            continue
        if r.relation == "on_top_of":
            if _is_surface_object(category):
                parent = parent or r.target
                continue
        tpl: dict[str, Any] = {"relation": r.relation}
        if r.target is not None:
            tpl["target"] = r.target
        if r.wall is not None:
            tpl["wall"] = r.wall
        out.append(tpl)
    return out, parent


def _merge(templates: list[dict], more) -> list[dict]:
    keys = {(t["relation"], t.get("target")) for t in templates}
    return templates + [dict(t) for t in more if (t["relation"], t.get("target")) not in keys]


def make_plan(prompt_or_spec: Any, rng: np.random.Generator | None = None, *, size: tuple[float, float] | None = None,
              existing: Mapping[str, int] | None = None, crowd_scale: float = 1.0, extras: bool = True) -> Plan:  # fmt: skip
    """A :class:`Plan` for a prompt (text), a :class:`~scene_gym.spec.TaskSpec` or its dict (module docstring).

    Args:
        prompt_or_spec: what to build.
        rng: draws the size jitter and crowd counts (default: ``numpy.random.default_rng(0)``).
        size: (width, depth) metres of a given room (the DSL environment's); None lets the plan choose.
        existing: objects already in the scene per category; planned counts are reduced by them.
        crowd_scale: multiplies the small objects per receptacle (0 for none).
        extras: add the decoration of :data:`~scene_gym.assets.room_priors.EXTRAS`.
    """
    from scene_gym.assets import factories

    rng = rng if rng is not None else np.random.default_rng(0)
    if not isinstance(rng, np.random.Generator):
        raise SceneGymError(f"expected a numpy.random.Generator for rng, got {type(rng).__name__}")
    if not (isinstance(crowd_scale, int | float) and math.isfinite(crowd_scale) and crowd_scale >= 0):
        raise SceneGymError(f"expected crowd_scale as a number >= 0, got {crowd_scale!r}")
    spec = as_spec(prompt_or_spec)
    room_type = infer_room_type(spec)
    named = spec.room_type is not None
    reqs = {o.category: o for o in spec.objects if o.category in factories()}
    spec_items = _spec_items(spec, room_type, reqs)
    others = _prior_items(room_type, named, reqs, extras, spec)
    receptacles = [it.category for it in spec_items + others if it.category in RECEPTACLES]
    items = [_with_parent(it) for it in spec_items + unresolved_items(spec, room_type, receptacles, _chosen_count)
             + others]
    have_any = {c for c, n in (existing or {}).items() if n}
    reduced = _minus_existing(items, dict(existing or {}))
    present = {it.category for it in reduced} | have_any
    items = [_clean(it) for it in _order([_drop_missing(it, present) for it in reduced])]
    prior_only = named and not spec.objects and not spec.relations and not spec.attributes and not have_any
    width, depth = _room_size(spec, room_type, rng, size, items)
    bounded = {c for c, r in reqs.items() if r.maximum is not None}
    crowds = _crowds(items, room_type, bounded, crowd_scale, rng)
    return Plan(room_type, width, depth, items, crowds, spec, prior_only)


def _spec_items(spec, room_type: str, reqs: Mapping[str, Any]) -> list[PlanItem]:
    """One item per category the spec names (its count, relations, material and size words)."""
    from scene_gym.assets import factories

    prior, _ = room_items(room_type)
    prior_by_cat = {p.category: p for p in prior}
    attrs: dict[str, list] = {}
    for a in spec.attributes:
        attrs.setdefault(a.category, []).append(a)
    items = []
    for cat in [c for c in spec.categories if c in factories()]:
        req = reqs.get(cat)
        p = prior_by_cat.get(cat)
        count = _chosen_count(req, p.count if p else None) if req else (p.count if p else 1)
        templates, parent = _spec_templates(spec, cat)
        if p is not None and not templates:
            # The prior's relations only where the spec says nothing about this category's placement; marked so
            # that a cycle with the spec's relations drops them (a TV stand facing the sofa that must face it).
            templates = [{**t, "_prior": True} for t in p.relations]
        items.append(PlanItem(cat, count, tuple(templates), _material(cat, attrs.get(cat, [])),
                              _size(cat, attrs.get(cat, [])), parent, "spec", True))  # fmt: skip
    return items


def _prior_items(room_type: str, named: bool, reqs: Mapping[str, Any], extras: bool, spec) -> list[PlanItem]:
    """The room prior's furniture the spec does not name (all of it when the room type was named, else the
    essential items), then the decoration (when ``extras``) of categories the spec does not count."""
    from scene_gym.assets import factories

    prior, extra = room_items(room_type)
    taken = {c for c in spec.categories if c in factories()}
    items = []
    for p in prior:
        if p.category in taken or (not named and not p.essential):
            continue
        items.append(PlanItem(p.category, p.count, tuple(dict(t) for t in p.relations), source="prior",
                              essential=p.essential))  # fmt: skip
        taken.add(p.category)
    if extras:
        items += [PlanItem(p.category, p.count, tuple(dict(t) for t in p.relations), source="extra", essential=False)
                  for p in extra if p.category not in reqs]  # fmt: skip
    return items


def _with_parent(it: PlanItem) -> PlanItem:
    """Objects that stand on furniture: an ``on_top_of`` template becomes the parent."""
    rels, parent = [], it.parent
    for t in it.relations:
        if t["relation"] == "on_top_of" and _is_surface_object(it.category) and parent is None:
            parent = t["target"]
        else:
            rels.append(t)
    return replace(it, relations=tuple(rels), parent=parent)


def _minus_existing(items: list[PlanItem], existing: dict[str, int]) -> list[PlanItem]:
    """Existing objects count towards the plan: counts reduced by them (in order), empty items dropped."""
    out = []
    for it in items:
        have = existing.get(it.category, 0)
        if have:
            take = min(have, it.count)
            existing[it.category] = have - take
            it = replace(it, count=it.count - take)
        if it.count > 0:
            out.append(it)
    return out


def _crowds(items: list[PlanItem], room_type: str, bounded: set[str], crowd_scale: float,
            rng: np.random.Generator) -> list[CrowdItem]:  # fmt: skip
    """A crowd of small objects per new receptacle instance, leaving out categories the spec bounds."""
    crowds: list[CrowdItem] = []
    if crowd_scale <= 0:
        return crowds
    offset: dict[str, int] = {}
    for it in items:
        first = offset.get(it.category, 0)
        offset[it.category] = first + it.count
        cats, per = crowd_for(room_type, it.category)
        cats = tuple(c for c in cats if c not in bounded)
        n = int(round(per * crowd_scale))
        if not cats or n < 1:
            continue
        for k in range(it.count):  # instance k of the item's new objects
            jitter = int(rng.integers(-1, 2)) if n > 2 else 0
            crowds.append(CrowdItem(it.category, first + k, cats, max(1, n + jitter)))
    return crowds


def _clean(it: PlanItem) -> PlanItem:
    rels = tuple({k: v for k, v in t.items() if k != "_prior"} for t in it.relations)
    return replace(it, relations=rels)


def _drop_missing(it: PlanItem, present: set[str]) -> PlanItem:
    rels = tuple(t for t in it.relations if "target" not in t or t["target"] in present)
    parent = it.parent if it.parent in present else None
    if rels == it.relations and parent == it.parent:
        return it
    return replace(it, relations=rels, parent=parent)


def _deps(it: PlanItem) -> set[str]:
    out = {t["target"] for t in it.relations if "target" in t and t["target"] != it.category}
    if it.parent:
        out.add(it.parent)
    return out


def _order(items: list[PlanItem]) -> list[PlanItem]:
    """Stable topological order: an item after the items its relations target (cycles keep the given order)."""
    from scene_gym.assets import get_factory

    def rank(it: PlanItem) -> tuple:
        f = get_factory(it.category)
        level = {"floor": 0, "wall": 1, "ceiling": 1}.get(f.placement, 2) if it.parent is None else 2
        return (level,)

    pending = sorted(items, key=rank)
    out: list[PlanItem] = []
    done: set[str] = set()
    cats = {it.category for it in items}
    while pending:
        ready = next((j for j, it in enumerate(pending) if all(d in done or d not in cats for d in _deps(it))), None)
        k = ready if ready is not None else 0
        if ready is None:
            # A cycle: place the first item whose unmet relations all come from priors, without those relations.
            k = 0
            for j, it in enumerate(pending):
                unmet = [t for t in it.relations if t.get("target") in cats - done and t.get("target") != it.category]
                if unmet and all(t.get("_prior") for t in unmet) and (it.parent is None or it.parent in done):
                    keep = tuple(t for t in it.relations if t not in unmet)
                    pending[j] = replace(it, relations=keep)
                    k = j
                    break
        it = pending.pop(k)
        out.append(it)
        # A category split over several items (a prior item and an extra) is done once all are placed.
        if not any(p.category == it.category for p in pending):
            done.add(it.category)
    return out


def _room_size(spec, room_type: str, rng: np.random.Generator, given, items) -> tuple[float, float]:
    from scene_gym.assets import get_factory
    from scene_gym.physics import is_thin_covering

    if given is not None:
        return float(given[0]), float(given[1])
    dw, dd = DEFAULT_SIZE.get(room_type, (4.5, 5.0))
    hint = spec.size
    if hint is not None and hint.width and hint.depth:
        return float(hint.width), float(hint.depth)
    if hint is not None and hint.area:
        k = math.sqrt(hint.area / (dw * dd))
        return round(dw * k, 2), round(dd * k, 2)
    scale = {"small": 0.85, "large": 1.2}.get(hint.scale if hint else None, 1.0)
    k = scale * float(rng.uniform(1.0, 1.1))
    need = 0.0
    for it in items:
        f = get_factory(it.category)
        if f.placement == "floor" and it.parent is None and not is_thin_covering(it.category):
            w, d, _ = it.size or f.default_size
            need += it.count * w * d
    k = max(k, math.sqrt(need / MAX_OCCUPANCY / (dw * dd)))
    w = min(MAX_SIDE, max(MIN_SIDE, round(dw * k, 1)))
    d = min(MAX_SIDE, max(MIN_SIDE, round(dd * k, 1)))
    return w, d
