"""Layout: a declarative relation language and a solver that places objects to satisfy it.

- :mod:`~scene_gym.layout.relations`: the relations (frozen dataclasses) and their vocabulary; frames and units
  are documented there ("A left_of B" is B's own left).
- :func:`satisfaction` / :func:`explain`: score a relation on a scene, in [0, 1].
- :func:`solve`: place objects (:class:`PlacementRequest` or existing ids) under hard constraints while
  maximising the relations' satisfaction; returns a :class:`SolveResult` with a copy of the scene.

Example::

    from scene_gym.layout import PlacementRequest, Relation, solve

    result = solve(scene, [PlacementRequest("desk"), PlacementRequest("bookshelf")],
                   [Relation.from_dict({"relation": "against_wall", "subject": "desk_1", "wall": "north"}),
                    Relation.from_dict({"relation": "right_of", "subject": "bookshelf_1", "target": "desk_1"})],
                   seed=0)
"""

from scene_gym.layout.evaluate import SATISFIED, Evaluation, Term, evaluate, explain, satisfaction
from scene_gym.layout.relations import (
    ALIASES,
    RELATIONS,
    AcrossFrom,
    AgainstWall,
    AlignedWith,
    Around,
    BackToBack,
    Behind,
    Facing,
    Far,
    InCorner,
    InFrontOf,
    LeftOf,
    Middle,
    Near,
    NextTo,
    OnCeiling,
    OnTopOf,
    OnWall,
    Relation,
    RightOf,
    SideBySide,
    Under,
)
from scene_gym.layout.requests import PlacementRequest
from scene_gym.layout.result import Failure, SolveResult, Unsatisfied
from scene_gym.layout.scene_view import Layout
from scene_gym.layout.solver import solve

__all__ = ["ALIASES", "AcrossFrom", "AgainstWall", "AlignedWith", "Around", "BackToBack", "Behind", "Evaluation",
           "Facing", "Failure", "Far", "InCorner", "InFrontOf", "Layout", "LeftOf", "Middle", "Near", "NextTo",
           "OnCeiling", "OnTopOf", "OnWall", "PlacementRequest", "RELATIONS", "Relation", "RightOf", "SATISFIED",
           "SideBySide", "SolveResult", "Term", "Under", "Unsatisfied", "evaluate", "explain", "satisfaction",
           "solve"]  # fmt: skip
