"""The policy card: how a checkpoint trained by :mod:`scene_gym.train` wants to be prompted.

A trainer writes ``scene_gym_policy.json`` beside the weights::

    {"schema": "scene-gym/policy-card@1", "prompt_config": {"style": "compact", "max_examples": 0, ...},
     "icl": "icl_library.json" | null, "max_new_tokens": 160}

:class:`~scene_gym.agents.vlm.VLMPolicy` reads it when it is there and the caller left the matching arguments at
their defaults, so ``make_policy("vlm:PATH")`` (the benchmark runner, ``scene-gym generate``) prompts a trained
checkpoint the way it was trained. ``icl`` is a file name inside the checkpoint directory (never a path out of
it) or null for no in-context examples.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from scene_gym.agents.prompts import PromptConfig
from scene_gym.errors import PolicyError

CARD_NAME = "scene_gym_policy.json"
CARD_SCHEMA = "scene-gym/policy-card@1"


def write_card(checkpoint: str | Path, prompt_config: PromptConfig, icl_file: str | None = None,
               max_new_tokens: int | None = None) -> Path:  # fmt: skip
    """Write the card of ``checkpoint`` (a directory); ``icl_file`` is a file name inside it or None."""
    from scene_gym.scene.io import atomic_write

    data = {"schema": CARD_SCHEMA, "prompt_config": asdict(prompt_config), "icl": icl_file,
            "max_new_tokens": max_new_tokens}  # fmt: skip
    return atomic_write(Path(checkpoint) / CARD_NAME, json.dumps(data, indent=1) + "\n")


def read_card(checkpoint: str | Path) -> dict[str, Any] | None:
    """The card of ``checkpoint`` as ``{"prompt_config": PromptConfig, "icl": Path | None, "max_new_tokens":
    int | None}``, or None when there is none. A malformed card raises :class:`PolicyError` naming the field."""
    root = Path(checkpoint)
    path = root / CARD_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise PolicyError(f"policy card {str(path)!r}: expected JSON, got {err}") from None
    if not isinstance(data, dict) or data.get("schema") != CARD_SCHEMA:
        got = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise PolicyError(f"policy card {str(path)!r}: schema: expected {CARD_SCHEMA!r}, got {got!r}")
    raw = data.get("prompt_config") or {}
    known = {f.name for f in fields(PromptConfig)}
    if not isinstance(raw, dict) or set(raw) - known:
        raise PolicyError(f"policy card prompt_config: expected keys among {sorted(known)}, got {raw!r:.200}")
    try:
        config = PromptConfig(**raw)
    except (TypeError, ValueError) as err:
        raise PolicyError(f"policy card prompt_config: {err}") from None
    icl = data.get("icl")
    if icl is not None and (not isinstance(icl, str) or Path(icl).name != icl or not (root / icl).is_file()):
        raise PolicyError(f"policy card icl: expected a file name inside {str(root)!r}, got {icl!r}")
    tokens = data.get("max_new_tokens")
    if tokens is not None and (isinstance(tokens, bool) or not isinstance(tokens, int) or not 1 <= tokens <= 32768):
        raise PolicyError(f"policy card max_new_tokens: expected an integer in [1, 32768] or null, got {tokens!r}")
    return {"prompt_config": config, "icl": root / icl if icl else None, "max_new_tokens": tokens}
