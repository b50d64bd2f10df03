"""Room priors: what each of the 19 room types (:data:`scene_gym.scene.ROOM_TYPES`) holds, as data about room
types and asset categories.

- :mod:`.furniture`: :data:`PRIORS`, the furniture each room type needs (:class:`PriorItem` lines with counts and
  relation templates), and :data:`DEFAULT_SIZE`, a typical floor size per room type. Used by the tools'
  ``init_room`` / ``init_layout`` and by the heuristic planner.
- :mod:`.decoration`: :data:`EXTRAS` (decoration and secondary furniture per room type), :data:`CROWDS` and
  :data:`ROOM_CROWDS` (which small objects go on which receptacle), and the look-ups :func:`room_items` and
  :func:`crowd_for`. Used by the heuristic planner.
- :mod:`.essentials`: :data:`ESSENTIALS` / :data:`DESIRABLES` (groups of alternative categories a room of each
  type must / should have), :data:`RECEPTACLES` and :data:`AGAINST_WALL`. Used by the offline judge.

They live under ``assets/`` because that is the lowest layer that knows the categories they name (every category
here is a catalog category; the tests check it): the tools, the layout code, the rewards and the agents can all
import them. They hold data only; relation templates are plain dicts in the layout format, not layout objects.
"""

from scene_gym.assets.room_priors.decoration import (
    CROWDS,
    EXTRAS,
    ROOM_CROWDS,
    crowd_for,
    room_items,
    room_types,
)
from scene_gym.assets.room_priors.essentials import (
    AGAINST_WALL,
    DESIRABLES,
    ESSENTIALS,
    RECEPTACLES,
    Group,
    groups_for,
)
from scene_gym.assets.room_priors.furniture import DEFAULT_SIZE, PRIORS, PriorItem

__all__ = ["AGAINST_WALL", "CROWDS", "DEFAULT_SIZE", "DESIRABLES", "ESSENTIALS", "EXTRAS", "Group", "PRIORS",
           "PriorItem", "RECEPTACLES", "ROOM_CROWDS", "crowd_for", "groups_for", "room_items", "room_types"]  # fmt: skip
