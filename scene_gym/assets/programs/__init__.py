"""Object programs: part-wise objects written as data, validated, compiled into asset factories and registered
by content (``kiln_1a2b3c4d``).

- :mod:`~scene_gym.assets.programs.schema`: the JSON schema (pydantic) and the reference of every field, unit
  and limit; :func:`parse_program`.
- :mod:`~scene_gym.assets.programs.compile`: :func:`compile_program` -> an :class:`~scene_gym.assets.AssetFactory`.
- :mod:`~scene_gym.assets.programs.registry`: :func:`define_program`, :func:`program_of`,
  :func:`is_program_category`.
- ``examples/``: example programs as JSON files (:func:`example_program` reads one).
"""

from __future__ import annotations

import json
from pathlib import Path

from scene_gym.assets.programs.compile import compile_program
from scene_gym.assets.programs.registry import (
    define_program,
    is_program_category,
    program_factory,
    program_of,
)
from scene_gym.assets.programs.schema import ObjectProgram, parse_program

EXAMPLES_DIR = Path(__file__).parent / "examples"


def example_names() -> list[str]:
    """Names of the example programs shipped in ``examples/`` (file stems), sorted."""
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))


def example_program(name: str) -> dict:
    """The JSON data of the example program ``name`` (see :func:`example_names`)."""
    from scene_gym.errors import ProgramError

    if name not in example_names():
        raise ProgramError("", f"expected an example program among {', '.join(example_names())}, got {name!r}")
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


__all__ = ["EXAMPLES_DIR", "ObjectProgram", "compile_program", "define_program", "example_names", "example_program",
           "is_program_category", "parse_program", "program_factory", "program_of"]
