"""The relation language: declarative, immutable statements about where objects stand.

Each relation is a frozen dataclass naming the objects it talks about by id, plus parameters in metres and
radians. Relations only *describe*; :mod:`scene_gym.layout.evaluate` scores them on a scene (1 when satisfied,
decaying smoothly with the violation) and :mod:`scene_gym.layout.solver` places objects to satisfy them.

Frames and words (shared with :mod:`scene_gym.scene`):

- An object's **front** is the direction it faces: +Y at yaw 0, i.e. ``(-sin yaw, cos yaw)``.
- **Left and right are the reference object's own**: "A left_of B" means A is on the left-hand side of someone
  standing at B and facing the way B faces (B's local -X side). Seen from in front of B (looking at its front),
  A therefore appears on the viewer's right. The same holds for ``right_of`` (B's local +X side).
- ``in_front_of`` / ``behind`` use B's front direction: "A in_front_of B" means A is beyond B's front face.
- **Distances are gaps between footprints** (the shortest distance between the two rotated rectangles seen from
  above, 0 when they touch) except for ``across_from`` (distance between centres) and ``middle`` (centre to the
  room's centroid).
- Walls are the floor polygon's edges, by index (``Room.wall``) or compass side of the room: ``"north"`` (the
  wall along the room's +Y side), ``"south"``, ``"east"``, ``"west"``; ``"back"``/``"front"``/``"left"``/
  ``"right"`` are the same as north/south/west/east (the room seen from its south side, looking north).
- Angles are radians.

Every relation has ``name`` (its vocabulary word), :meth:`Relation.ids`, :meth:`Relation.to_dict` and
:meth:`Relation.from_dict` (JSON arguments of tools and prompt specs). Construction validates every field and
raises :class:`~scene_gym.errors.LayoutError` naming the field and the value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from scene_gym.layout.validate import check_fields

COMPASS_WALLS = ("north", "south", "east", "west", "back", "front", "left", "right")
"""Words accepted for a wall side; back/front/left/right mean north/south/west/east."""

WallRef = int | str | None
DEG = math.pi / 180


@dataclass(frozen=True)
class Relation:
    """Base class of all relations. Subclasses are frozen dataclasses whose fields are:

    - ``subject`` (str): the object the statement is about ("A" in "A left_of B");
    - ``target`` (str): the reference object ("B"), for binary relations;
    - parameters: distances in metres, angles in radians, a wall reference.
    """

    name: ClassVar[str] = ""
    #: The relation describes the object's support (parent), not only its pose.
    support: ClassVar[str | None] = None

    def __post_init__(self):
        check_fields(self)

    def ids(self) -> tuple[str, ...]:
        """The object ids this relation names, subject first."""
        out = [getattr(self, "subject", None), getattr(self, "target", None), *getattr(self, "subjects", ())]
        return tuple(i for i in out if i is not None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict ``{"relation": name, field: value, ...}`` that :meth:`from_dict` reads back."""
        from dataclasses import fields

        out: dict[str, Any] = {"relation": self.name}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Relation:
        """Build a relation from a dict such as ``{"relation": "left_of", "subject": "chair_1",
        "target": "desk_1"}``; unknown relation names raise with suggestions, bad fields name the field."""
        from scene_gym.layout.validate import relation_from_dict

        rel = relation_from_dict(data)
        if cls is not Relation and not isinstance(rel, cls):
            from scene_gym.errors import LayoutError

            raise LayoutError(f"relation: expected {cls.name!r}, got {rel.name!r}")
        return rel

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items() if k != "relation")
        return f"{self.name}({args})"


# --- about one object and the room ----------------------------------------------------------------------
@dataclass(frozen=True)
class AgainstWall(Relation):
    """The subject's back is flush against a wall (within ``max_gap`` metres), facing into the room.

    ``wall``: a wall index, a compass side (see module docstring) or None for any wall.
    """

    name: ClassVar[str] = "against_wall"
    subject: str
    wall: WallRef = None
    max_gap: float = 0.05


@dataclass(frozen=True)
class InCorner(Relation):
    """The subject stands in a corner of the room: one of its footprint corners within ``max_gap`` metres of a
    convex room corner, back against one of the two walls."""

    name: ClassVar[str] = "in_corner"
    subject: str
    max_gap: float = 0.1


@dataclass(frozen=True)
class Middle(Relation):
    """The subject's centre is within ``tolerance`` metres of the room's centroid (area centre of the floor)."""

    name: ClassVar[str] = "middle"
    subject: str
    tolerance: float = 0.5


@dataclass(frozen=True)
class OnWall(Relation):
    """The subject hangs on a wall (parent ``"wall"``), back within 5 cm of it; with ``height``, its centre is
    ``height`` metres above the floor (within 5 cm)."""

    name: ClassVar[str] = "on_wall"
    support: ClassVar[str | None] = "wall"
    subject: str
    wall: WallRef = None
    height: float | None = None


@dataclass(frozen=True)
class OnCeiling(Relation):
    """The subject hangs from the ceiling (parent ``"ceiling"``): its top at the wall height, inside the room."""

    name: ClassVar[str] = "on_ceiling"
    support: ClassVar[str | None] = "ceiling"
    subject: str


# --- distances ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Near(Relation):
    """The footprint gap between subject and target is in [``min_distance``, ``max_distance``] (default
    0.5-1.5 m: near but not touching; use ``next_to`` for touching or almost)."""

    name: ClassVar[str] = "near"
    subject: str
    target: str
    min_distance: float = 0.5
    max_distance: float = 1.5


@dataclass(frozen=True)
class NextTo(Relation):
    """The footprint gap between subject and target is at most ``max_gap`` metres (default 0.5 m)."""

    name: ClassVar[str] = "next_to"
    subject: str
    target: str
    max_gap: float = 0.5


@dataclass(frozen=True)
class Far(Relation):
    """The footprint gap between subject and target is at least ``min_distance`` metres (default 2 m)."""

    name: ClassVar[str] = "far"
    subject: str
    target: str
    min_distance: float = 2.0


# --- directions relative to the target's own frame -----------------------------------------------------
@dataclass(frozen=True)
class InFrontOf(Relation):
    """The subject's centre lies beyond the target's front face, within the target's width (laterally), at a
    footprint gap of at most ``max_distance`` metres."""

    name: ClassVar[str] = "in_front_of"
    subject: str
    target: str
    max_distance: float = 1.5


@dataclass(frozen=True)
class Behind(Relation):
    """The subject's centre lies beyond the target's back face, within its width, gap <= ``max_distance``."""

    name: ClassVar[str] = "behind"
    subject: str
    target: str
    max_distance: float = 1.5


@dataclass(frozen=True)
class LeftOf(Relation):
    """The subject's centre lies beyond the target's own left side (its local -X face; see module docstring),
    within its depth (front to back), footprint gap <= ``max_distance`` metres."""

    name: ClassVar[str] = "left_of"
    subject: str
    target: str
    max_distance: float = 1.5


@dataclass(frozen=True)
class RightOf(Relation):
    """The subject's centre lies beyond the target's own right side (local +X), within its depth, gap <=
    ``max_distance`` metres."""

    name: ClassVar[str] = "right_of"
    subject: str
    target: str
    max_distance: float = 1.5


# --- orientation ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Facing(Relation):
    """The subject's front points at the target: the angle between its front and the direction from its
    centre to the target's centre is at most ``max_angle`` radians (default 30 degrees)."""

    name: ClassVar[str] = "facing"
    subject: str
    target: str
    max_angle: float = 30 * DEG


@dataclass(frozen=True)
class Around(Relation):
    """The ``subjects`` (e.g. chairs) surround the ``target`` (e.g. a table): each within ``max_gap`` metres of
    it and facing it (its front ray, turned by at most 30 degrees, hits the target's footprint: a chair at the
    end of a long table side faces the table without pointing at its centre), and together spread around it
    rather than bunched on one side (the mean of the unit vectors from the target's centre to theirs is shorter
    than 0.5)."""

    name: ClassVar[str] = "around"
    target: str
    subjects: tuple[str, ...]
    max_gap: float = 0.5


@dataclass(frozen=True)
class SideBySide(Relation):
    """Subject and target stand next to each other along the target's width, facing the same way (within 10
    degrees), fronts aligned (within 10 cm), footprint gap at most ``max_gap`` metres."""

    name: ClassVar[str] = "side_by_side"
    subject: str
    target: str
    max_gap: float = 0.3


@dataclass(frozen=True)
class BackToBack(Relation):
    """Subject and target face opposite ways (within 10 degrees) with their backs facing each other, centred on
    each other, backs at most ``max_gap`` metres apart."""

    name: ClassVar[str] = "back_to_back"
    subject: str
    target: str
    max_gap: float = 0.3


@dataclass(frozen=True)
class AlignedWith(Relation):
    """Subject and target face the same way (within 10 degrees) and their centres lie on one line, within
    ``tolerance`` metres, along the target's width (``axis="row"``), along its depth (``"column"``), or either
    (``"any"``)."""

    name: ClassVar[str] = "aligned_with"
    subject: str
    target: str
    axis: str = "any"
    tolerance: float = 0.05


@dataclass(frozen=True)
class AcrossFrom(Relation):
    """Subject and target face each other (each one's front within 30 degrees of the direction to the other's
    centre) with their centres ``min_distance`` to
    ``max_distance`` metres apart (default 1.5-4 m), e.g. a sofa across from a TV stand."""

    name: ClassVar[str] = "across_from"
    subject: str
    target: str
    min_distance: float = 1.5
    max_distance: float = 4.0


# --- support --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OnTopOf(Relation):
    """The subject rests on the target: its parent is the target, its bottom at the height of one of the
    target's support surfaces (within 1 cm) and its centre over that surface."""

    name: ClassVar[str] = "on_top_of"
    support: ClassVar[str | None] = "target"
    subject: str
    target: str


@dataclass(frozen=True)
class Under(Relation):
    """The subject is below the target: its top no higher than the target's top and its footprint inside the
    target's footprint (a mat under a desk, a stool under a table). The solver treats objects as solid boxes,
    so it can satisfy this only for thin coverings (rugs, mats), which never collide."""

    name: ClassVar[str] = "under"
    subject: str
    target: str


RELATIONS: dict[str, type[Relation]] = {
    cls.name: cls
    for cls in (AgainstWall, InCorner, Middle, OnWall, OnCeiling, Near, NextTo, Far, InFrontOf, Behind, LeftOf,
                RightOf, Facing, Around, SideBySide, BackToBack, AlignedWith, AcrossFrom, OnTopOf, Under)
}  # fmt: skip
"""Every relation class by vocabulary name."""

ALIASES: dict[str, str] = {
    "against": "against_wall", "against_the_wall": "against_wall", "by_wall": "against_wall",
    "edge": "against_wall", "corner": "in_corner", "in_the_corner": "in_corner", "center": "middle",
    "centre": "middle", "in_middle": "middle", "in_the_middle": "middle", "middle_of_room": "middle",
    "on_the_wall": "on_wall", "wall_mounted": "on_wall", "hanging_on_wall": "on_wall",
    "on_the_ceiling": "on_ceiling", "hanging_from_ceiling": "on_ceiling", "close_to": "near", "nearby": "near",
    "near_to": "near", "adjacent": "next_to", "adjacent_to": "next_to", "beside": "next_to", "next": "next_to",
    "far_from": "far", "away_from": "far", "in_front": "in_front_of", "front_of": "in_front_of",
    "behind_of": "behind", "back_of": "behind", "left": "left_of", "to_the_left_of": "left_of", "right": "right_of",
    "to_the_right_of": "right_of", "face": "facing", "faces": "facing", "face_to": "facing", "facing_to": "facing",
    "surround": "around", "surrounding": "around", "around_of": "around", "beside_each_other": "side_by_side",
    "back_to_back_with": "back_to_back", "align": "aligned_with", "aligned": "aligned_with",
    "align_with": "aligned_with", "opposite": "across_from", "opposite_to": "across_from", "across": "across_from",
    "facing_each_other": "across_from", "on": "on_top_of", "on_top": "on_top_of", "resting_on": "on_top_of",
    "below": "under", "underneath": "under", "beneath": "under",
}  # fmt: skip
"""Other words for the same relations (SceneWeaver, Holodeck, LayoutVLM, SceneEval wording), normalised to
lowercase with underscores."""
