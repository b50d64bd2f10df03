"""A calibration suite for scene judges: perturbation families that damage a scene in one known way, and a runner
that checks a judge grades every damaged copy strictly below the original.

- :mod:`.pose`: damage to where things stand (seats turned away, furniture pushed into walls, floated, shrunk,
  piled into a corner, the door and window blocked...).
- :mod:`.content`: damage to what the room holds (main object removed or duplicated, kitchen appliances in a
  bedroom, 20 balls on the floor, three lamps on one table...).
- :mod:`.suite`: :func:`calibrate` ``(judge, families, scenes) -> CalibrationTable`` and its printer.

Every family is ``(scene, rng) -> Scene | None``: a damaged copy made with :mod:`scene_gym.actions.edit` (the
input is never changed), or None when the family does not apply to the scene. The heuristic scenes it is run on
are built by :func:`scene_gym.benchmarks.calibration_scenes.template_scenes` (a higher layer: it runs a policy);
``benchmarks/bench_reward_calibration.py`` prints the table and ``tests/rewards/test_calibration.py`` asserts
every family lowers ``q_vis`` in at least 95% of the scenes it applies to.
"""

from scene_gym.rewards.calibration.content import CONTENT_FAMILIES
from scene_gym.rewards.calibration.pose import POSE_FAMILIES
from scene_gym.rewards.calibration.suite import (
    CalibrationScene,
    CalibrationTable,
    FamilyRow,
    calibrate,
    family_rng,
)

FAMILIES = POSE_FAMILIES + CONTENT_FAMILIES
"""Every perturbation family, pose damage first."""

__all__ = ["FAMILIES", "CalibrationScene", "CalibrationTable", "FamilyRow", "calibrate", "family_rng"]
