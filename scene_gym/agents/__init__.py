"""Policies for the scene-gym environments (and, later, their trainers). Agents talk to environments only through
the Gymnasium API and text formats.

- :class:`~scene_gym.agents.base.Policy`: ``reset(seed, kind=)``, ``act``, ``act_batch``, ``sample(observation, n)``
  with log-probs; a policy answers according to its env kind's action format
  (:class:`~scene_gym.envs.kinds.EnvKind`).
- :func:`~scene_gym.agents.rollout.run_episode`: a recorded :class:`~scene_gym.agents.rollout.Rollout`.
- :func:`~scene_gym.agents.registry.make_policy`: the one factory, ``"heuristic"``, ``"random"``, ``"scripted"``,
  ``"test:NAME"``, ``"vlm:PATH"``, ``"api:MODEL"``, ``"import:MODULE:FACTORY"``.

Policy classes are imported lazily through :func:`make_policy`, so importing this package loads no model code.
"""

from scene_gym.agents.base import Candidate, Policy, action_format, as_kind
from scene_gym.agents.registry import make_policy
from scene_gym.agents.rollout import Rollout, Step, run_episode

__all__ = ["Candidate", "Policy", "Rollout", "Step", "action_format", "as_kind", "make_policy", "run_episode"]
