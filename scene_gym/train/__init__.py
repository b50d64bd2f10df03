"""Training support: what trainers share. Heavy libraries (torch, trl, ray) are imported inside the functions
that need them.

- :mod:`~scene_gym.train.rollouts`: :func:`~scene_gym.train.rollouts.collect_rollouts`, a policy's episodes over
  prompts x seeds on an executor (local processes or a Ray cluster), as
  :class:`~scene_gym.agents.rollout.Rollout` records in a fixed order.
"""
