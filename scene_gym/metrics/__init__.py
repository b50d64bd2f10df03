"""Scene metrics, pure functions of a scene: :func:`evaluate` returns :class:`Metrics` (collisions, bounds,
support, NAV, ACC, OPC, LayoutVLM percentages, SceneOrchestra's Q_phy). See :mod:`scene_gym.metrics.evaluate`
for the keys and :mod:`scene_gym.metrics.space` for the free-space formulas.
"""

from scene_gym.metrics.evaluate import Metrics, evaluate, is_counted

__all__ = ["Metrics", "evaluate", "is_counted"]
