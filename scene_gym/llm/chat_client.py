"""A minimal OpenAI-compatible ``/chat/completions`` client (urllib) with retries and backoff.

Speaks to OpenAI, vLLM, SGLang, Ollama, LM Studio or any server with the same protocol. Only the standard library
is used, so ``import scene_gym`` stays light.

- **Retries**: timeouts, connection errors, a body that is not JSON, HTTP 408/409/429 and 5xx are retried with
  exponential backoff (``backoff * 2**attempt`` seconds, ``max_retries`` retries); other HTTP errors fail at once.
- **Key**: read from the environment variable ``api_key_env`` (``OPENAI_API_KEY``); optional for local servers,
  required for ``api.openai.com``.

Errors are :attr:`ChatClient.error_type` (default :class:`ChatError`); users of the client (the judge) set it to
their own error type and :attr:`ChatClient.label` to the word that starts each message.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from scene_gym.errors import SceneGymError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
_RETRY_STATUS = {408, 409, 429}


class ChatError(SceneGymError):
    """A chat endpoint failed: bad settings, a refused request, or no answer after every retry."""


def image_data_url(rgb) -> str:
    """A ``data:image/png;base64,...`` URL of an (H, W, 3) uint8 image, for ``image_url`` content parts."""
    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.asarray(rgb, dtype=np.uint8)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


class ChatClient:
    """A minimal OpenAI-compatible ``/chat/completions`` client with retries and backoff.

    Args:
        base_url: API root, e.g. ``https://api.openai.com/v1`` or ``http://localhost:8000/v1``
            (default: ``$OPENAI_BASE_URL``, else OpenAI's).
        api_key_env: environment variable holding the key (``OPENAI_API_KEY``).
        timeout: seconds per request.
        max_retries: retries after the first attempt for timeouts, connection errors, 408/409/429/5xx.
        backoff: seconds before the first retry; doubles each time.
        sleep: the sleeping function (tests pass a recorder).

    Attributes:
        requests: HTTP requests sent so far (retries included).
    """

    error_type: type[SceneGymError] = ChatError
    label: str = "chat"

    def __init__(self, base_url: str | None = None, api_key_env: str = "OPENAI_API_KEY", timeout: float = 60.0,
                 max_retries: int = 4, backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep):  # fmt: skip
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        if not re.match(r"^https?://", self.base_url):
            raise self.error_type(f"{self.label} base_url: expected an http(s) URL, got {self.base_url!r}")
        for name, v in (("timeout", timeout), ("backoff", backoff)):
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                raise self.error_type(f"{self.label} {name}: expected a finite number of seconds >= 0, got {v!r}")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise self.error_type(f"{self.label} max_retries: expected an integer >= 0, got {max_retries!r}")
        self.api_key_env, self.timeout, self.max_retries, self.backoff = api_key_env, timeout, max_retries, backoff
        self.sleep = sleep
        self.requests = 0

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env, "")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        elif "api.openai.com" in self.base_url:
            raise self.error_type(f"{self.label}: set the environment variable {self.api_key_env} to your API key "
                                  f"(no key found for {self.base_url})")  # fmt: skip
        return headers

    def chat(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` (a chat-completions request body) to ``/chat/completions``; returns the decoded JSON
        response. Raises :attr:`error_type` after the last failed attempt or at once for a refused request."""
        url = f"{self.base_url}/chat/completions"
        body = json.dumps(payload).encode()
        headers = self._headers()
        last = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self.requests += 1
            req = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    raw = resp.read()
            except urllib.error.HTTPError as err:
                detail = err.read()[:300].decode("utf-8", "replace") if err.fp else ""
                last = f"HTTP {err.code}: {detail}"
                if err.code in _RETRY_STATUS or err.code >= 500:
                    continue
                raise self.error_type(f"{self.label} endpoint {url} refused the request: {last}") from None
            except TimeoutError as err:
                last = f"timed out after {self.timeout} s ({err})"
                continue
            except (urllib.error.URLError, ConnectionError, OSError) as err:
                last = f"connection failed ({getattr(err, 'reason', err)})"
                continue
            try:
                return json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                last = f"response is not JSON: {raw[:200]!r}"
                continue
        raise self.error_type(f"{self.label} endpoint {url} failed after {self.max_retries + 1} attempts: {last}")
