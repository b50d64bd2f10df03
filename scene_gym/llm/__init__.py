"""Language models shared by rewards (model judges) and agents (API and local policies): service clients and
local checkpoint loading.

- :class:`~scene_gym.llm.chat_client.ChatClient`: a minimal OpenAI-compatible ``/chat/completions`` client
  (standard library only) with a wall-clock limit per attempt (and optionally per call), a cap on the reply's size,
  retries with exponential backoff, and no API key over plain http to a host that is not loopback unless allowed
  (``allow_insecure_http=True`` or ``SCENE_GYM_ALLOW_INSECURE_HTTP=1``).
- :class:`~scene_gym.llm.async_chat.AsyncChatClient`: the same client with a coroutine ``achat`` on ``httpx``
  (imported on first use): a semaphore bounding the requests in flight over every episode sharing it, a
  wall-clock limit per attempt, retries counted and logged.
- :class:`~scene_gym.llm.standin.ChatStandIn`: a local OpenAI-compatible stand-in server for tests and benchmarks
  (scripted answers, injected latency, a fault schedule).
- :mod:`scene_gym.llm.transport`: the one bounded HTTP POST the client makes per attempt.
- :mod:`scene_gym.llm.local_models`: :func:`~scene_gym.llm.local_models.load_checkpoint` loads a local
  ``transformers`` checkpoint (image-text-to-text or causal LM) for the local VLM policy and local model judges;
  ``torch`` and ``transformers`` are imported only when it is called.
"""

from scene_gym.llm.async_chat import AsyncChatClient
from scene_gym.llm.chat_client import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
    INSECURE_HTTP_ENV,
    ChatClient,
    ChatError,
    image_data_url,
)

__all__ = ["AsyncChatClient", "ChatClient", "ChatError", "DEFAULT_BASE_URL", "DEFAULT_MAX_RESPONSE_BYTES",
           "INSECURE_HTTP_ENV", "image_data_url"]  # fmt: skip
