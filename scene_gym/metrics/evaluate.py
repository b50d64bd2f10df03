"""``evaluate(scene)``: the physical and spatial metrics of a scene (SceneEval, LayoutVLM, SceneOrchestra).

Counted objects: every object except thin coverings (rugs, mats) and doors/windows (categories in
:data:`~scene_gym.physics.DOOR_CATEGORIES`; doors and windows are normally Room openings). Every per-object
metric is over the counted objects only.

========================  =====================================================================================
key                       meaning
========================  =====================================================================================
``n_obj``                 number of counted objects
``collisions``            ``[[id, id], ...]`` counted pairs interpenetrating deeper than 1 mm
                          (:meth:`~scene_gym.physics.PhysicsWorld.collisions`); ``collision_depths`` their depths
``n_collisions``          ``len(collisions)``
``oob``, ``n_oob``        counted objects leaving the room by more than 1 cm (:mod:`scene_gym.physics.checks`)
``unsupported``           counted objects not resting on their parent within 1 cm, centre of mass over the support
``nav``, ``acc``, ``opc`` navigability, accessibility, opening clearance in [0, 1] (:mod:`scene_gym.metrics.space`)
``collision_free_pct``    LayoutVLM: 100 x counted objects in no collision / n_obj (100 when n_obj = 0)
``in_boundary_pct``       LayoutVLM: 100 x counted objects not out of bounds / n_obj (100 when n_obj = 0)
``q_phy``                 SceneOrchestra: ``n_obj - 4 * (n_oob + n_collisions)``
========================  =====================================================================================

Obstacles for NAV and ACC are counted objects standing on the floor (parent ``"floor"`` or a thin covering).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from scene_gym.metrics.raster import floor_grid
from scene_gym.metrics.space import accessibility, footprint_mask, navigability, opening_clearance
from scene_gym.physics import DOOR_CATEGORIES, PhysicsWorld, is_thin_covering
from scene_gym.scene import Scene, SceneObject


@dataclass(frozen=True)
class Metrics:
    """Result of :func:`evaluate`; see the module docstring for every field."""

    n_obj: int
    n_oob: int
    n_collisions: int
    collisions: list[list[str]]
    collision_depths: list[float]
    oob: list[str]
    unsupported: list[str]
    nav: float
    acc: float
    opc: float
    collision_free_pct: float
    in_boundary_pct: float
    q_phy: int
    inaccessible: list[str] = field(default_factory=list)
    blocked_openings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-ready dict with one key per field."""
        return asdict(self)


def is_counted(obj: SceneObject) -> bool:
    """True for objects the metrics count (not a thin covering, door or window)."""
    return obj.category not in DOOR_CATEGORIES and not is_thin_covering(obj.category)


def evaluate(scene: Scene, world: PhysicsWorld | None = None) -> Metrics:
    """Every metric of the module docstring for ``scene``.

    Pass a :class:`PhysicsWorld` that lives across calls (one per environment) to make repeated evaluation
    incremental: it is synced to ``scene`` and only changed objects are touched. Without one, a temporary
    world is created and closed.
    """
    if world is None:
        with PhysicsWorld() as tmp:
            return evaluate(scene, tmp)
    world.sync(scene)
    objects = scene.objects
    counted = [o.id for o in objects if is_counted(o)]
    cset = set(counted)
    n_obj = len(counted)

    pairs = [c for c in world.collisions() if c.a in cset and c.b in cset]
    oob = [i for i in world.out_of_bounds() if i in cset]
    unsupported = [i for i in world.support() if i in cset]

    placed = world.placed()
    thin = {o.id for o in objects if o.id not in cset and o.category not in DOOR_CATEGORIES}
    obstacles = [placed[i] for i in counted if placed[i].obj.parent == "floor" or placed[i].obj.parent in thin]
    grid = floor_grid(scene.room.floor)
    masks = [footprint_mask(grid, p) for p in obstacles]
    nav = navigability(grid, masks)
    acc, inaccessible = accessibility(grid, obstacles, masks)
    doors = [placed[o.id] for o in objects if o.category in DOOR_CATEGORIES and o.category != "window"]
    opc, blocked = opening_clearance(scene.room, [placed[i] for i in counted], doors)

    in_collision = {c.a for c in pairs} | {c.b for c in pairs}
    return Metrics(
        n_obj=n_obj,
        n_oob=len(oob),
        n_collisions=len(pairs),
        collisions=[[c.a, c.b] for c in pairs],
        collision_depths=[round(c.depth, 6) for c in pairs],
        oob=oob,
        unsupported=unsupported,
        nav=round(nav, 6),
        acc=round(acc, 6),
        opc=round(opc, 6),
        collision_free_pct=_pct(n_obj - len(in_collision), n_obj),
        in_boundary_pct=_pct(n_obj - len(oob), n_obj),
        q_phy=n_obj - 4 * (len(oob) + len(pairs)),
        inaccessible=inaccessible,
        blocked_openings=blocked,
    )


def _pct(good: int, total: int) -> float:
    return 100.0 if total == 0 else round(100.0 * good / total, 4)
