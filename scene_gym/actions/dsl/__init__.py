"""The scene DSL (3D-Generalist's scene-level action space): grammar, parser, printer and a front-end onto the
edit core.

``parse_program(text) -> list[Statement]`` validates text against the whitelist in :mod:`.grammar`;
``apply_program(scene, statements, rng=...)`` runs them through :mod:`scene_gym.actions.edit`, each statement
as its own transaction; ``note_collisions(results, collisions)`` notes physics collisions found after the
program; ``scene_to_dsl(scene)`` writes a scene back as DSL for a language model to read.
"""

from scene_gym.actions.dsl.commands import ExecutionError
from scene_gym.actions.dsl.executor import StatementResult, apply_program, note_collisions
from scene_gym.actions.dsl.grammar import COMMANDS, COMPASS, Command, Param
from scene_gym.actions.dsl.parser import (
    MAX_SOURCE_CHARS,
    MAX_STATEMENTS,
    DSLSyntaxError,
    Statement,
    parse_program,
)
from scene_gym.actions.dsl.printer import scene_to_dsl

__all__ = ["COMMANDS", "COMPASS", "Command", "DSLSyntaxError", "ExecutionError", "MAX_SOURCE_CHARS", "MAX_STATEMENTS",
           "Param", "Statement", "StatementResult", "apply_program", "note_collisions", "parse_program",
           "scene_to_dsl"]  # fmt: skip
