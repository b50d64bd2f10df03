"""Clients for language-model services shared by rewards (the VLM judge) and agents (the API policy).

- :class:`~scene_gym.llm.chat_client.ChatClient`: a minimal OpenAI-compatible ``/chat/completions`` client
  (standard library only) with timeouts, retries and exponential backoff.
"""

from scene_gym.llm.chat_client import DEFAULT_BASE_URL, ChatClient, ChatError, image_data_url

__all__ = ["ChatClient", "ChatError", "DEFAULT_BASE_URL", "image_data_url"]
