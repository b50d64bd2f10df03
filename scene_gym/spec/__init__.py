"""Task specs: what a prompt asks of a scene, and a rule-based parser from prompts to specs.

- :class:`TaskSpec` (``model.py``): room type, size hints, required object counts with quantifiers, attributes
  and relations, in SceneEval's annotation fields; JSON round trip with validation naming the field.
- :func:`parse_prompt` (``parser.py``): prompt text -> :class:`TaskSpec`, no model, never raises on text.

Shared by the rewards (the offline judge checks a scene against the spec) and the policies (which read the
spec to decide what to place).
"""

from scene_gym.spec.model import (
    ARCH_RELATIONS,
    ATTRIBUTE_KINDS,
    OBJECT_RELATIONS,
    QUANTIFIERS,
    SIZE_WORDS,
    SPEC_SCHEMA,
    SPEC_SCHEMAS,
    WALL_WORDS,
    Attribute,
    ObjectCount,
    RelationSpec,
    SizeHint,
    SpecError,
    TaskSpec,
)
from scene_gym.spec.parser import MAX_PROMPT_CHARS, parse_prompt

__all__ = ["ARCH_RELATIONS", "ATTRIBUTE_KINDS", "Attribute", "MAX_PROMPT_CHARS", "OBJECT_RELATIONS", "ObjectCount",
           "QUANTIFIERS", "RelationSpec", "SIZE_WORDS", "SPEC_SCHEMA", "SPEC_SCHEMAS", "SizeHint", "SpecError",
           "TaskSpec", "WALL_WORDS", "parse_prompt"]  # fmt: skip
