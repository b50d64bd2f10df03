"""Physics queries over a scene: collisions, out-of-bounds, support and ray casts (pybullet, DIRECT mode).

- :class:`PhysicsWorld` owns one pybullet client and keeps it in sync with a :class:`~scene_gym.scene.Scene`
  incrementally; ask it for :meth:`~PhysicsWorld.collisions`, :meth:`~PhysicsWorld.out_of_bounds`,
  :meth:`~PhysicsWorld.support` and :meth:`~PhysicsWorld.ray_cast`.
- :mod:`scene_gym.physics.shapes` holds the cached collision geometry of each (asset, joint state);
  :mod:`scene_gym.physics.checks` the engine-free bounds and support tests;
  :mod:`scene_gym.physics.pybullet_util` the quiet pybullet import (shared with render's ``tiny`` backend).

pybullet is imported when the first world is created, so importing this package stays cheap.
"""

from scene_gym.assets.factory import DOOR_CATEGORIES
from scene_gym.physics.checks import TOLERANCE, out_of_bounds, unsupported
from scene_gym.physics.pybullet_world import Collision, PhysicsWorld, RayHit, SyncReport
from scene_gym.physics.shapes import ObjectShape, Placed, is_thin_covering, object_shape, place

__all__ = ["Collision", "DOOR_CATEGORIES", "ObjectShape", "PhysicsWorld", "Placed", "RayHit", "SyncReport",
           "TOLERANCE", "is_thin_covering", "object_shape", "out_of_bounds", "place", "unsupported"]  # fmt: skip
