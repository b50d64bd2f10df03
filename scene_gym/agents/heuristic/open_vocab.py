"""Plan items for what a prompt names that the catalog does not have: never dropped, never swapped.

A task spec keeps every request the resolver could not match to a category as an *unresolved* request (its
``name`` is the prompt's words, :mod:`scene_gym.spec.model`). For each one the planner builds an object program
from a coarse template (:func:`scene_gym.assets.programs.templates.template_program`): the noun's coarse class,
typical size, placement and rooms come from the size prior (:mod:`scene_gym.assets.size_prior`); a noun the prior
does not know either gets :data:`UNKNOWN_CLASS` at :data:`UNKNOWN_SIZE` on the floor. The program keeps the
user's name, lists the room being planned among its rooms (the prompt asked for it there), and is registered by
content (:func:`scene_gym.assets.programs.define_program`), so the same noun always becomes the same category
(``loom_1a2b3c4d``) and the writers can predict its ids. Objects that stand on furniture ("surface" placement) go
on the first planned receptacle, or on the floor when the plan has none.
"""

from __future__ import annotations

from typing import Any

UNKNOWN_CLASS = "box_furniture"
"""Coarse class of a noun the size prior does not know."""
UNKNOWN_SIZE = (0.6, 0.5, 0.8)
"""(width, depth, height) metres of a noun the size prior does not know: a generic piece of furniture."""


def program_for(name: str, room_type: str, *, surface_ok: bool = True) -> dict[str, Any]:
    """Object-program data for an object called ``name`` (module docstring); ``surface_ok`` False turns a
    surface object into a floor object (no receptacle to stand on)."""
    from scene_gym.assets.programs.templates import template_program
    from scene_gym.assets.size_prior import size_prior

    entry = size_prior(name)
    if entry is None:
        cls, size, placement, rooms = UNKNOWN_CLASS, UNKNOWN_SIZE, "floor", ()
    else:
        cls, size, placement, rooms = entry.cls, entry.size, entry.placement, tuple(entry.rooms)
    if placement == "surface" and not surface_ok:
        placement = "floor"
    rooms = tuple(dict.fromkeys((*rooms, room_type)))
    return template_program(name, cls, size, placement, rooms=rooms)


def unresolved_items(spec, room_type: str, receptacles: list[str], chosen_count) -> list:
    """One :class:`~.plan.PlanItem` per unresolved request of ``spec`` (module docstring): the program's category,
    the request's count (``chosen_count(request, None)``), the program data to define, and the first of
    ``receptacles`` (categories planned before) as the parent of surface objects."""
    from scene_gym.agents.heuristic.plan import PlanItem
    from scene_gym.assets.programs import define_program

    items = []
    for req in spec.objects:
        if req.category is not None or not req.name:
            continue
        count = chosen_count(req, None)
        if count < 1:
            continue
        program = program_for(req.name, room_type, surface_ok=bool(receptacles))
        parent = receptacles[0] if program["placement"] == "surface" else None
        items.append(PlanItem(define_program(program), count, (), None, None, parent, "spec", True, program=program))
    return items


__all__ = ["UNKNOWN_CLASS", "UNKNOWN_SIZE", "program_for", "unresolved_items"]
