"""JSON Schema of tool arguments and the tool catalogue for LLM function calling.

Pydantic's schemas are post-processed for function-calling APIs: ``$ref`` / ``$defs`` are inlined, ``title``
keys dropped, and every property lists its description. The result is plain JSON (``json.dumps``-able).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from scene_gym.actions.tools.base import Args


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            target = _inline(copy.deepcopy(defs[name]), defs)
            extra = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
            return {**target, **extra}
        return {k: _inline(v, defs) for k, v in node.items() if k not in ("title", "$defs")}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def inline_schema(raw: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with ``$ref``/``$defs`` inlined and ``title`` keys dropped (function-calling APIs
    take one self-contained object)."""
    return _inline(raw, raw.get("$defs", {}))


@lru_cache(maxsize=64)
def _cached(model: type[Args]) -> str:
    schema = inline_schema(model.model_json_schema())
    schema.setdefault("properties", {})
    schema.setdefault("required", [])
    schema["type"] = "object"
    schema["additionalProperties"] = False
    return json.dumps(schema, sort_keys=False)


def args_schema(model: type[Args]) -> dict[str, Any]:
    """The JSON Schema of an argument model: an object schema with ``properties``, ``required`` and
    ``additionalProperties: false``; a fresh dict on each call."""
    return json.loads(_cached(model))


def catalogue(fmt: str = "openai", tools: dict | None = None) -> list[dict[str, Any]] | str:
    """Describe the tools for a model.

    Args:
        fmt: ``"openai"`` for a list of ``{"type": "function", "function": {"name", "description",
            "parameters"}}`` (the ``tools`` argument of an OpenAI-compatible chat API); ``"text"`` for a readable
            block to paste into a prompt (one paragraph per tool with its arguments, types and defaults).
        tools: name -> :class:`~scene_gym.actions.tools.Tool` (default: every tool).
    """
    from scene_gym.actions.tools import TOOLS
    from scene_gym.actions.tools.base import ToolError

    tools = TOOLS if tools is None else tools
    if fmt == "openai":
        return [{"type": "function", "function": {"name": t.name, "description": t.description,
                                                  "parameters": t.json_schema()}} for t in tools.values()]  # fmt: skip
    if fmt == "text":
        return "\n\n".join(_text(t) for t in tools.values())
    raise ToolError(f"expected fmt 'openai' or 'text', got {fmt!r}", field="fmt")


def _type_of(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return " | ".join(json.dumps(v) for v in prop["enum"])
    if "anyOf" in prop:
        return " | ".join(_type_of(p) for p in prop["anyOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        inner = _type_of(prop.get("items", {}))
        n = prop.get("minItems")
        return f"[{inner}] x{n}" if n is not None and n == prop.get("maxItems") else f"list[{inner}]"
    if kind == "object" and "properties" in prop:
        return "{" + ", ".join(f"{k}: {_type_of(v)}" for k, v in prop["properties"].items()) + "}"
    return {"number": "number", "integer": "integer", "string": "string", "boolean": "boolean",
            "null": "null", "object": "object"}.get(kind, str(kind))  # fmt: skip


def _text(tool) -> str:
    schema = tool.json_schema()
    lines = [f"{tool.name} ({tool.category}): {tool.description}"]
    required = set(schema.get("required", []))
    for name, prop in schema["properties"].items():
        flag = "required" if name in required else f"default {json.dumps(prop.get('default'))}"
        desc = prop.get("description", "")
        lines.append(f"  - {name}: {_type_of(prop)} ({flag}){' - ' + desc if desc else ''}")
    return "\n".join(lines)
