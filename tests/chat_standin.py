"""The local OpenAI-compatible stand-in server, importable as ``chat_standin`` by every test package; it lives in
:mod:`scene_gym.llm.standin` (benchmarks use it too), where its script entries, latency and faults are described."""

from scene_gym.llm.standin import FAULTS, ChatStandIn

__all__ = ["FAULTS", "ChatStandIn"]
