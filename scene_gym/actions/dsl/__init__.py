"""The scene DSL (3D-Generalist's scene-level action space): grammar, parser and printer.

``parse_program(text) -> list[Statement]`` validates text against the whitelist in :mod:`.grammar`; applying
statements to a scene is the job of the scene-level environment's executor.
"""

from scene_gym.actions.dsl.grammar import COMMANDS, COMPASS, Command, Param
from scene_gym.actions.dsl.parser import (
           MAX_SOURCE_CHARS,
           MAX_STATEMENTS,
           DSLSyntaxError,
           Statement,
           parse_program,
)

__all__ = ["COMMANDS", "COMPASS", "Command", "DSLSyntaxError", "MAX_SOURCE_CHARS", "MAX_STATEMENTS", "Param",
           "Statement", "parse_program"]  # fmt: skip
