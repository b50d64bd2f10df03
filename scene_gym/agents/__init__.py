"""Policies for the scene-gym environments (and, later, their trainers).

- :class:`~scene_gym.agents.base.Policy`: ``act``, ``act_batch``, ``sample(observation, n)`` with log-probs.
- :func:`~scene_gym.agents.rollout.run_episode`: a recorded :class:`~scene_gym.agents.rollout.Rollout`.
- :func:`~scene_gym.agents.registry.make_policy`: ``"heuristic"``, ``"random"``, ``"vlm:PATH"``, ``"api:MODEL"``.

Policy classes are imported lazily through :func:`make_policy`, so importing this package loads no model code.
"""

from scene_gym.agents.base import ENV_KINDS, Candidate, Policy, env_kind
from scene_gym.agents.registry import make_policy
from scene_gym.agents.rollout import Rollout, Step, run_episode

__all__ = ["Candidate", "ENV_KINDS", "Policy", "Rollout", "Step", "env_kind", "make_policy", "run_episode"]
