"""A :class:`~.plan.Plan` as tool calls for ``SceneSynthTrajectory-v1`` and ``SceneSynthToolStep-v1``.

The trajectory is SceneOrchestra-shaped: ``init_room``; ``init_layout`` when the plan is exactly the room
prior (a bare "Design me a bedroom"), else one ``add_objects`` per plan item (relations naming earlier
objects by their predicted ids, ``parent`` for objects standing on furniture, split per parent instance;
``define_object`` with the program for an object the catalog lacks);
``add_objects`` for the decoration; one ``add_crowd``
per receptacle instance; ``optimize_physics``; ``terminate``.

Ids are predicted the way the tools assign them (``<category>_<n>``, one more than the highest in use), so a
one-shot trajectory can name objects it has not seen; a call naming an object that failed to place fails
alone, changing nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from scene_gym.agents.heuristic.plan import Plan, PlanItem
from scene_gym.errors import SceneGymError

MAX_PER_CALL = 20
_SUFFIX = re.compile(r"_(\d+)$")


class IdBook:
    """Predicted ids per category: existing ids first, then ``<category>_<n>`` continuing the numbering."""

    def __init__(self, existing: Iterable[str] = ()):
        self.ids: dict[str, list[str]] = {}
        self.high: dict[str, int] = {}
        self.new: dict[str, list[str]] = {}
        for oid in existing:
            m = _SUFFIX.search(oid)
            if not m:
                continue
            cat = oid[: m.start()]
            self.ids.setdefault(cat, []).append(oid)
            self.high[cat] = max(self.high.get(cat, 0), int(m.group(1)))

    def take(self, category: str, n: int) -> list[str]:
        """Reserve ``n`` new ids of ``category``."""
        start = self.high.get(category, 0)
        out = [f"{category}_{start + k + 1}" for k in range(n)]
        self.high[category] = start + n
        self.ids.setdefault(category, []).extend(out)
        self.new.setdefault(category, []).extend(out)
        return out

    def first(self, category: str, instance: int = 0) -> str | None:
        """The ``instance``-th id of ``category`` (existing before new), or None."""
        ids = self.ids.get(category, [])
        return ids[instance] if 0 <= instance < len(ids) else (ids[0] if ids else None)


def _relation(tpl: Mapping[str, Any], book: IdBook, new_ids: list[str]) -> dict | None:
    """A tool relation dict from a template; None when its target is unknown or is one of the new objects."""
    t = dict(tpl)
    inst = t.pop("instance", None)
    ti = int(t.pop("target_instance", 0))
    if "target" in t:
        target = book.first(t["target"], ti)
        if target is None or target in new_ids:
            return None
        t["target"] = target
    if inst is not None:
        if inst >= len(new_ids):
            return None
        if t["relation"] != "around":
            t["subject"] = new_ids[inst]
    return t


def item_calls(it: PlanItem, book: IdBook) -> list[dict]:
    """The ``add_objects`` calls for one plan item (ids reserved in ``book``); for an object program
    (``it.program``) the first call is ``define_object``, which defines it and places the first batch."""
    calls = _item_calls(it, book)
    if it.program is not None and calls:
        first = calls[0]["args"]
        body = {k: v for k, v in it.program.items() if k != "name"}
        calls[0] = {"tool": "define_object", "args": {"name": it.program["name"], "program": body,
                                                      **{k: v for k, v in first.items() if k != "category"}}}  # fmt: skip
    return calls


def _item_calls(it: PlanItem, book: IdBook) -> list[dict]:
    base: dict[str, Any] = {"category": it.category}
    if it.material:
        base["material"] = it.material
    if it.size:
        base["size"] = list(it.size)
    calls: list[dict] = []
    if it.parent is not None:
        parents = book.ids.get(it.parent, [])
        if not parents:
            return []
        # Spread over the parent's instances: two lamps on two nightstands.
        for k, pid in enumerate(parents):
            n = it.count // len(parents) + (k < it.count % len(parents))
            if n:
                book.take(it.category, n)
                calls.append({"tool": "add_objects", "args": {**base, "count": n, "parent": pid}})
        return calls
    self_related = any(t.get("target") == it.category for t in it.relations)
    remaining = it.count
    while remaining > 0:
        # Objects related to their own category (two armchairs facing each other): the first one alone, the
        # others then relate to it.
        n = 1 if self_related and book.first(it.category) is None else min(remaining, MAX_PER_CALL)
        new_ids = book.take(it.category, n)
        rels = [r for r in (_relation(t, book, new_ids) for t in it.relations) if r is not None]
        args: dict[str, Any] = {**base, "count": n}
        if rels:
            args["relations"] = rels
        calls.append({"tool": "add_objects", "args": args})
        remaining -= n
    return calls


def plan_calls(plan: Plan, *, existing: Iterable[str] = (), room: bool = True, furniture: bool = True,
               crowds: bool = True, finish: bool = True, max_calls: int | None = None) -> list[dict]:  # fmt: skip
    """The plan as a list of ``{"tool", "args"}`` dicts (module docstring).

    Args:
        plan: from :func:`~.plan.make_plan`.
        existing: ids already in the scene (kept when ``room`` is False).
        room: start with ``init_room`` (which removes every object).
        furniture: include the item calls; crowds: include the ``add_crowd`` calls; finish: end with
            ``optimize_physics`` and ``terminate``.
        max_calls: keep at most this many calls, dropping crowds (last first), then decoration items, then the
            others from the end; ``init_room``/``init_layout`` and the closing calls are always kept.
    """
    if max_calls is not None and max_calls < 3:
        raise SceneGymError(f"expected max_calls >= 3 (room, finish), got {max_calls!r}")
    book = IdBook([] if room else existing)
    head: list[dict] = []
    if room:
        head.append({"tool": "init_room", "args": {"room_type": plan.room_type, "width": round(plan.width, 2),
                                                   "depth": round(plan.depth, 2)}})  # fmt: skip
    items = list(plan.items)
    body: list[tuple[int, dict]] = []  # (priority: 0 spec/prior, 1 extra, 2 crowd), call
    if furniture:
        if plan.prior_only and room:
            from scene_gym.assets.room_priors import PRIORS

            head.append({"tool": "init_layout", "args": {}})
            prior = PRIORS.get(plan.room_type, ())
            for p in [p for p in prior if p.essential] + [p for p in prior if not p.essential]:
                book.take(p.category, p.count)
            n_prior = {p.category for p in prior}
            items = [it for it in items if not (it.source == "prior" and it.category in n_prior)]
        for it in items:
            body += [(1 if it.source == "extra" else 0, c) for c in item_calls(it, book)]
    if crowds:
        for c in plan.crowds:
            new = book.new.get(c.receptacle, [])
            if c.instance >= len(new):
                continue
            body.append((2, {"tool": "add_crowd", "args": {"receptacle": new[c.instance],
                                                            "categories": list(c.categories), "count": c.count}}))  # fmt: skip
    tail = [{"tool": "optimize_physics", "args": {}},
            {"tool": "terminate", "args": {"reason": f"{plan.room_type} furnished by the heuristic planner"}}] if finish else []  # fmt: skip
    if max_calls is not None:
        room_left = max_calls - len(head) - len(tail)
        while len(body) > max(room_left, 0):
            worst = max(range(len(body)), key=lambda k: (body[k][0], k))
            body.pop(worst)
    return head + [c for _, c in body] + tail
