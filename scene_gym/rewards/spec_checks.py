"""How well a scene meets a :class:`~scene_gym.spec.TaskSpec`: counts, attributes and relations, each in [0, 1].

- **Count** (per :class:`~scene_gym.spec.ObjectCount`, ``n = len(objects_for_request(scene, request))``): 1
  when satisfied; ``n / minimum`` when short; ``(maximum + 1) / (n + 1)`` when over. An unresolved request
  (``category`` None, a name the catalog does not have) counts only objects made for that name, so it is
  missing until the scene holds one (see :func:`objects_for_request`).
- **Attribute** (per :class:`~scene_gym.spec.Attribute`): the mean over the category's objects of a yes/no
  check, 0 with no such object. Colour: the colour word is in the object's material text, or the resolved
  colour is within 0.15 (RGB distance) of it. Material: the resolved base material is the one asked (1) or
  of the same family (wood, metal, stone, textile: 0.5). Size: ``large``/``small`` compare the volume with
  the category's default (>= 1.1x / <= 0.9x); ``tall``/``short``/``low`` the height (>= 1.05x / <= 0.95x);
  ``wide``/``narrow`` the width; ``long`` the longer side.
- **Relation** (per :class:`~scene_gym.spec.RelationSpec`, scored with
  :func:`scene_gym.layout.satisfaction`): architecture relations average over the subject's objects;
  object relations average over the subject's objects the best score against any target object (for
  ``around``: the best target with all subject objects as its ``subjects``); 0 when a side is missing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from scene_gym.scene.definitions import recall
from scene_gym.spec import Attribute, ObjectCount, RelationSpec

_PROGRAM_SUFFIX = re.compile(r"_[0-9a-f]{8}$")

_FAMILIES = {
    "wood": {"oak wood", "walnut wood", "pine wood", "birch wood", "cherry wood", "bamboo", "plywood", "mdf"},
    "metal": {"steel", "brushed steel", "stainless steel", "black metal", "aluminium", "chrome", "brass", "gold",
              "copper"},
    "stone": {"white marble", "marble", "granite", "stone", "concrete", "ceramic", "porcelain", "tile"},
    "textile": {"fabric", "velvet", "linen", "cotton", "wool", "leather", "carpet", "foam"},
}  # fmt: skip


def slug(text: str) -> str:
    """A name or category as lowercase words joined by ``_`` with the program suffix ``_<8 hex>`` dropped:
    ``"Floor Cushion"`` -> ``floor_cushion``, ``"kiln_1a2b3c4d"`` -> ``kiln``, ``"potter's wheel"`` ->
    ``potters_wheel``."""
    words = re.findall(r"[a-z0-9]+", str(text).lower().replace("'", "").replace("\u2019", ""))
    return _PROGRAM_SUFFIX.sub("", "_".join(words))


def objects_for_request(scene_or_objects, request: ObjectCount) -> list:
    """The objects of a scene (or any iterable of objects with a ``category``) that answer ``request``: those of
    its category; for an unresolved request (``category`` None), those made for its name: an object-program
    category whose program's ``name`` (the scene's ``definitions``, else the program this process stored for that
    category) has the same :func:`slug` as ``request.name`` ("potter's wheel" answers "potters wheel"), or a
    category whose own slug equals it (a catalog category named ``floor_cushion`` answers "floor cushion")."""
    objects: Iterable = getattr(scene_or_objects, "objects", scene_or_objects)
    if request.category is not None:
        return [o for o in objects if o.category == request.category]
    want = slug(request.name or "")
    if not want:
        return []
    definitions = getattr(scene_or_objects, "definitions", {})
    names: dict[str, str] = {}

    def made_for(category: str) -> str:
        if category not in names:
            program = definitions.get(category) or recall(category)
            names[category] = slug(program.get("name", "")) if program else slug(category)
        return names[category]

    return [o for o in objects if made_for(o.category) == want]


def request_report(scene, spec) -> list[dict]:
    """What the prompt asked for against what was built, one row per object request of ``spec``:
    ``{"asked": the prompt's words, "category": the resolved category or None, "quantifier", "count", "built": the
    number of objects answering it (:func:`objects_for_request`), "ok": whether the count is met, "as": the
    categories that answer it}``."""
    rows = []
    for req in spec.objects:
        found = objects_for_request(scene, req)
        rows.append({"asked": req.name or req.label, "category": req.category, "quantifier": req.quantifier,
                     "count": req.count, "built": len(found), "ok": req.satisfied(len(found)),
                     "as": sorted({o.category for o in found})})  # fmt: skip
    return rows


def count_score(req: ObjectCount, n: int) -> float:
    """Score in [0, 1] of ``n`` objects against ``req`` (module docstring)."""
    if req.satisfied(n):
        return 1.0
    if n < req.minimum:
        return n / req.minimum
    mx = req.maximum if req.maximum is not None else n
    return (max(mx, 0) + 1) / (n + 1)


def _family(material: str) -> str | None:
    return next((f for f, names in _FAMILIES.items() if material in names), None)


def attribute_ok(attr: Attribute, obj, default_size) -> float:
    """1, 0.5 or 0: how well one object shows ``attr`` (module docstring)."""
    from scene_gym.assets.materials import COLOURS, resolve_material

    text = (obj.material or "").lower()
    if attr.kind == "colour":
        if attr.value in text or (attr.value == "grey" and "gray" in text):
            return 1.0
        target = COLOURS.get(attr.value)
        if target is None:
            return 0.0
        rgb = resolve_material(text).rgb
        return 1.0 if math.dist(rgb, target) <= 0.15 else 0.0
    if attr.kind == "material":
        base = resolve_material(text).name
        if base == attr.value or attr.value in text:
            return 1.0
        fam = _family(attr.value)
        return 0.5 if fam is not None and fam == _family(base) else 0.0
    w, d, h = obj.size
    dw, dd, dh = default_size
    ratio = {
        "large": (w * d * h) / (dw * dd * dh), "small": (w * d * h) / (dw * dd * dh), "tall": h / dh,
        "short": h / dh, "low": h / dh, "wide": w / dw, "narrow": w / dw, "long": max(w, d) / max(dw, dd),
    }[attr.value]  # fmt: skip
    if attr.value == "large":
        return float(ratio >= 1.1)
    if attr.value == "small":
        return float(ratio <= 0.9)
    if attr.value in ("short", "low", "narrow"):
        return float(ratio <= 0.95)
    return float(ratio >= 1.05)


def attribute_score(attr: Attribute, objects: Sequence) -> float:
    """Mean of :func:`attribute_ok` over ``objects`` (the category's objects); 0 when there are none."""
    from scene_gym.assets import factories

    if not objects:
        return 0.0
    f = factories().get(attr.category)
    default = f.default_size if f is not None else objects[0].size
    return sum(attribute_ok(attr, o, default) for o in objects) / len(objects)


def _relation(spec: RelationSpec, subject: str, target: str | None = None, subjects: tuple[str, ...] = ()):
    from scene_gym.layout import relations as R

    cls = R.RELATIONS[spec.relation]
    if spec.relation == "around":
        return cls(target=target, subjects=subjects)
    if spec.relation in ("against_wall", "on_wall"):
        return cls(subject=subject, wall=spec.wall)
    if spec.architectural:
        return cls(subject=subject)
    return cls(subject=subject, target=target)


def relation_score(spec: RelationSpec, by_category: dict[str, list], layout) -> float:
    """Score in [0, 1] of ``spec`` on a :class:`~scene_gym.layout.Layout` (module docstring)."""
    from scene_gym.layout import satisfaction

    subjects = [o.id for o in by_category.get(spec.subject, [])]
    if not subjects:
        return 0.0
    if spec.architectural:
        return sum(satisfaction(_relation(spec, s), layout) for s in subjects) / len(subjects)
    targets = [o.id for o in by_category.get(spec.target, [])]
    if spec.relation == "around":
        scores = [satisfaction(_relation(spec, "", t, tuple(s for s in subjects if s != t)), layout)
                  for t in targets if any(s != t for s in subjects)]  # fmt: skip
        return max(scores, default=0.0)
    total = 0.0
    for s in subjects:
        scores = [satisfaction(_relation(spec, s, t), layout) for t in targets if t != s]
        total += max(scores, default=0.0)
    return total / len(subjects)
