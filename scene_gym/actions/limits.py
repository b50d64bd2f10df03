"""The text caps of the action front-ends, in one place: the longest text each parser reads.

Text over its cap is refused, with the package's error naming the cap and the length, before any parsing; text
under it is parsed in time linear in its length. The env action spaces (:mod:`scene_gym.envs.spaces`) import
these numbers, so a space's ``max_length`` is always the cap of the parser behind it.

===========================  ============  =========================================================================
cap                          characters    entry points
===========================  ============  =========================================================================
:data:`DSL_MAX_CHARS`        20,000        ``parse_program``, ``extract_dsl``, ``parse_action`` (``dsl``);
                                           ``SceneSynth-v1``'s action (``ACTION_MAX``)
:data:`CALLS_MAX_CHARS`      100,000       ``parse_trajectory``, ``parse_tool_calls``, ``parse_action``
                                           (``trajectory``, ``toolcall``); the tool envs' action (``CALLS_MAX``)
:data:`POINT_MAX_CHARS`      20,000        ``parse_points``, ``parse_action`` (``point``); ``MolmoPointAction``'s
                                           action (``POINT_MAX``)
:data:`LABEL_MAX_CHARS`      256           a point's description, the asset env's ``asset`` (``ASSET_TEXT_MAX``)
===========================  ============  =========================================================================

This module imports nothing, so any layer may read it without pulling in a parser.
"""

from __future__ import annotations

DSL_MAX_CHARS = 20_000
"""Longest scene-DSL program (characters)."""
CALLS_MAX_CHARS = 100_000
"""Longest tool-call text: a trajectory, one tool-step call, an assistant message's calls (characters)."""
POINT_MAX_CHARS = 20_000
"""Longest Molmo pointing text (characters)."""
LABEL_MAX_CHARS = 256
"""Longest description of a pointed object, i.e. of the asset to place (characters; longer labels are cut)."""
MAX_TOOL_CALLS = 256
"""Most tool calls in one trajectory or one answer."""
MAX_NESTING = 32
"""Deepest nesting a parser reads: brackets and operators of a DSL expression, JSON arrays and objects."""

__all__ = ["CALLS_MAX_CHARS", "DSL_MAX_CHARS", "LABEL_MAX_CHARS", "MAX_NESTING", "MAX_TOOL_CALLS", "POINT_MAX_CHARS"]
