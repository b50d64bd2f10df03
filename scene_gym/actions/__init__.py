"""Actions on a scene: the scene DSL (``actions.dsl``) and the SceneWeaver-style tool set (``actions.tools``).

Actions are parsed and validated as data before anything touches the scene; model output is never executed.
"""
