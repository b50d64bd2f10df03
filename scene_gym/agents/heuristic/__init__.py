"""The heuristic planner: written room priors plus the layout solver, no model (the offline reference policy).

- :mod:`scene_gym.assets.room_priors` (imported): furniture, decoration and small-object crowds per room type.
- :mod:`.plan`: a prompt or :class:`~scene_gym.spec.TaskSpec` -> :class:`Plan` (room, items, crowds).
- :mod:`.tool_writer`: a plan as tool calls (``trajectory`` and ``toolcall`` formats).
- :mod:`.dsl_writer`: DSL programs (``dsl`` format; the scene read back from the observation text with
  :func:`scene_gym.actions.dsl.reader.read_scene_text`).
- :mod:`.pointing`: free-surface points (``point`` format).
- :mod:`.policy`: :class:`HeuristicPolicy`, one object for every scene-editing env kind.
"""

from scene_gym.agents.heuristic.plan import CrowdItem, Plan, PlanItem, make_plan
from scene_gym.agents.heuristic.policy import HeuristicPolicy
from scene_gym.agents.heuristic.tool_writer import plan_calls

__all__ = ["CrowdItem", "HeuristicPolicy", "Plan", "PlanItem", "make_plan", "plan_calls"]
