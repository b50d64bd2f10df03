"""Language models shared by rewards (model judges) and agents (API and local policies): service clients and
local checkpoint loading.

- :class:`~scene_gym.llm.chat_client.ChatClient`: a minimal OpenAI-compatible ``/chat/completions`` client
  (standard library only) with timeouts, retries and exponential backoff.
- :mod:`scene_gym.llm.local_models`: :func:`~scene_gym.llm.local_models.load_checkpoint` loads a local
  ``transformers`` checkpoint (image-text-to-text or causal LM) for the local VLM policy and local model judges;
  ``torch`` and ``transformers`` are imported only when it is called.
"""

from scene_gym.llm.chat_client import DEFAULT_BASE_URL, ChatClient, ChatError, image_data_url

__all__ = ["ChatClient", "ChatError", "DEFAULT_BASE_URL", "image_data_url"]
