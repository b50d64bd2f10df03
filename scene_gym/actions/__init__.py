"""Actions on a scene: the edit core (``actions.edit``), the only code that changes a Scene, and its front-ends:
the scene DSL (``actions.dsl``), the SceneWeaver-style tool set (``actions.tools``) and Molmo-style points
(``actions.points``).

Actions are parsed and validated as data before anything touches the scene; model output is never executed.
"""
