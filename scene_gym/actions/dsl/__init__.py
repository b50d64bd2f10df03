"""The scene DSL (3D-Generalist's scene-level action space): grammar, parser and printer.

``parse_program(text) -> list[Statement]`` validates text against the whitelist in :mod:`.grammar`;
``apply_program(scene, statements, rng=...)`` runs them, each statement as its own transaction;
``scene_to_dsl(scene)`` writes a scene back as DSL for a language model to read.
"""

from scene_gym.actions.dsl.executor import StatementResult, apply_program
from scene_gym.actions.dsl.grammar import COMMANDS, COMPASS, Command, Param
from scene_gym.actions.dsl.parser import (
    MAX_SOURCE_CHARS,
    MAX_STATEMENTS,
    DSLSyntaxError,
    Statement,
    parse_program,
)
from scene_gym.actions.dsl.printer import scene_to_dsl

__all__ = ["COMMANDS", "COMPASS", "Command", "DSLSyntaxError", "MAX_SOURCE_CHARS", "MAX_STATEMENTS", "Param",
           "Statement", "StatementResult", "apply_program", "parse_program", "scene_to_dsl"]  # fmt: skip
