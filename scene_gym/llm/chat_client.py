"""A minimal OpenAI-compatible ``/chat/completions`` client (urllib) with retries and backoff.

Speaks to OpenAI, vLLM, SGLang, Ollama, LM Studio or any server with the same protocol. Only the standard library
is used, so ``import scene_gym`` stays light. Each HTTP attempt goes through :func:`scene_gym.llm.transport.post`.

- **Timeout** (``timeout``, seconds, default 60): the wall-clock limit of one attempt, from connecting to the last
  byte of the reply. A server that trickles its reply is cut off at this limit, not after each slow read. An
  attempt that runs out of time is retried like a connection error.
- **Deadline** (``deadline``, seconds, default None): an optional limit for the whole :meth:`ChatClient.chat` call,
  retries and backoff sleeps included; when it passes the call fails at once. Without it a call takes at most
  ``(max_retries + 1) * timeout`` seconds plus the backoff sleeps.
- **Size cap** (``max_response_bytes``, default 8 MiB): a reply whose body is larger fails at once (not retried),
  while it is being read, so a huge reply is never held in memory.
- **Retries**: timeouts, connection errors, a body that is not JSON, HTTP 408/409/429 and 5xx are retried with
  exponential backoff (``backoff * 2**attempt`` seconds, ``max_retries`` retries); other HTTP errors, redirects
  included (they are never followed), fail at once.
- **Key**: read from the environment variable ``api_key_env`` (``OPENAI_API_KEY``) at each call; optional for local
  servers, required for ``api.openai.com``. The key is sent over https, or over plain http to a loopback host
  (``localhost``, 127.0.0.0/8, ``::1``, written as such in ``base_url``). Over plain http to any other host the
  call is **refused** before anything is sent (:class:`ChatError` naming the host), unless
  ``allow_insecure_http=True`` or the environment variable ``SCENE_GYM_ALLOW_INSECURE_HTTP`` is ``1``, ``true`` or
  ``yes``. With no key in the environment (or ``api_key_env=None``) nothing is refused: no key is sent.

Errors are :attr:`ChatClient.error_type` (default :class:`ChatError`); users of the client (the judge) set it to
their own error type and :attr:`ChatClient.label` to the word that starts each message. An error for a refused
request (an HTTP status that is not retried) carries ``status`` (the HTTP code) and ``detail`` (the start of the
body, at most 300 bytes decoded), so a caller can tell "this server does not take ``response_format``" apart.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import math
import os
import re
import time
import urllib.error
import urllib.parse
from collections.abc import Callable
from typing import Any

from scene_gym.errors import SceneGymError
from scene_gym.llm import transport

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024
INSECURE_HTTP_ENV = "SCENE_GYM_ALLOW_INSECURE_HTTP"
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


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


class ChatClient:
    """A minimal OpenAI-compatible ``/chat/completions`` client with a wall-clock limit, a size cap, retries and
    backoff (module docstring).

    Args:
        base_url: API root, e.g. ``https://api.openai.com/v1`` or ``http://localhost:8000/v1``
            (default: ``$OPENAI_BASE_URL``, else OpenAI's).
        api_key_env: environment variable holding the key (``OPENAI_API_KEY``); None sends no key.
        timeout: seconds of wall-clock time for one attempt, connection to last byte (> 0).
        max_retries: retries after the first attempt for timeouts, connection errors, 408/409/429/5xx.
        backoff: seconds before the first retry; doubles each time.
        sleep: the sleeping function (tests pass a recorder).
        deadline: seconds of wall-clock time for a whole :meth:`chat` call, retries and sleeps included; None: no
            limit beyond the attempts' own.
        max_response_bytes: the largest reply body accepted, bytes (default 8 MiB).
        allow_insecure_http: send the key over plain http to a host that is not loopback; None reads the
            environment variable ``SCENE_GYM_ALLOW_INSECURE_HTTP`` (``1``/``true``/``yes``) when the client is made.

    Attributes:
        requests: HTTP requests sent so far (retries included).
    """

    error_type: type[SceneGymError] = ChatError
    label: str = "chat"

    def __init__(self, base_url: str | None = None, api_key_env: str | None = "OPENAI_API_KEY", timeout: float = 60.0,
                 max_retries: int = 4, backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep, *,
                 deadline: float | None = None, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 allow_insecure_http: bool | None = None):  # fmt: skip
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        if not re.match(r"^https?://[^/]", self.base_url, flags=re.I):
            raise self.error_type(f"{self.label} base_url: expected an http(s) URL, got {self.base_url!r}")
        checks = (("timeout", timeout, False), ("backoff", backoff, True), ("deadline", deadline, False))
        for name, v, zero_ok in checks:
            if v is None and name == "deadline":
                continue
            if (isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0
                    or (v == 0 and not zero_ok)):  # fmt: skip
                bound = ">= 0" if zero_ok else "> 0"
                raise self.error_type(f"{self.label} {name}: expected a finite number of seconds {bound}, got {v!r}")
        for name, v, low in (("max_retries", max_retries, 0), ("max_response_bytes", max_response_bytes, 1)):
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise self.error_type(f"{self.label} {name}: expected an integer >= {low}, got {v!r}")
        if api_key_env is not None and not isinstance(api_key_env, str):
            raise self.error_type(f"{self.label} api_key_env: expected a variable name or None, got {api_key_env!r}")
        if allow_insecure_http is None:
            allow_insecure_http = _env_flag(INSECURE_HTTP_ENV)
        self.api_key_env, self.timeout, self.max_retries, self.backoff = api_key_env, timeout, max_retries, backoff
        self.deadline, self.max_response_bytes = deadline, max_response_bytes
        self.allow_insecure_http = bool(allow_insecure_http)
        self.sleep = sleep
        self.requests = 0

    @property
    def key_allowed(self) -> bool:
        """Whether the key may travel to :attr:`base_url`: https, a loopback host, or ``allow_insecure_http``."""
        return (self.base_url.lower().startswith("https://") or transport.is_loopback(self.base_url)
                or self.allow_insecure_http)  # fmt: skip

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env, "") if self.api_key_env else ""
        if key and not self.key_allowed:
            host = urllib.parse.urlsplit(self.base_url).hostname
            raise self.error_type(
                f"{self.label}: refusing to send the API key from ${self.api_key_env} over plain http to the "
                f"non-loopback host {host!r} ({self.base_url}); use https, or pass allow_insecure_http=True "
                f"(or set {INSECURE_HTTP_ENV}=1) if that network is trusted, or api_key_env=None to send no key")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        elif "api.openai.com" in self.base_url:
            raise self.error_type(f"{self.label}: set the environment variable {self.api_key_env} to your API key "
                                  f"(no key found for {self.base_url})")  # fmt: skip
        return headers

    def _deadline_error(self, url: str, last: str) -> SceneGymError:
        tail = f"; last attempt: {last}" if last else ""
        return self.error_type(f"{self.label} endpoint {url}: no answer within the call's deadline of "
                               f"{self.deadline:g} s (deadline){tail}")  # fmt: skip

    # --- the retry schedule, shared with the async client (scene_gym.llm.async_chat) ------------------------
    def _pause_before(self, attempt: int, start: float, url: str, last: str) -> float:
        """Seconds to wait before attempt ``attempt`` (0 for the first; then ``backoff * 2**(attempt - 1)``);
        raises the deadline error when the wait would pass ``deadline``. ``start``: ``time.monotonic()`` of the
        call."""
        if not attempt:
            return 0.0
        pause = self.backoff * 2 ** (attempt - 1)
        if self.deadline is not None and time.monotonic() - start + pause >= self.deadline:
            raise self._deadline_error(url, last)
        return pause

    def _attempt_limit(self, start: float, url: str, last: str) -> float:
        """The wall-clock limit of the next attempt, seconds: ``timeout``, or less when the call's ``deadline``
        is nearer; raises the deadline error when it has passed."""
        limit = self.timeout
        if self.deadline is not None:
            limit = min(limit, self.deadline - (time.monotonic() - start))
            if limit <= 0:
                raise self._deadline_error(url, last)
        return limit

    def _too_large(self, url: str, err: Exception) -> SceneGymError:
        return self.error_type(f"{self.label} endpoint {url}: the reply is larger than max_response_bytes="
                               f"{self.max_response_bytes} bytes ({err})")  # fmt: skip

    def _refusal(self, url: str, err: transport.HTTPFailure) -> SceneGymError | None:
        """None for an answer worth retrying (5xx, 408/409/429), else the error to raise at once, carrying
        ``status`` and ``detail`` so callers may react to the kind of refusal."""
        if err.code in _RETRY_STATUS or err.code >= 500:
            return None
        hint = " (redirects are not followed)" if 300 <= err.code < 400 else ""
        refused = self.error_type(f"{self.label} endpoint {url} refused the request: {err}{hint}")
        refused.status, refused.detail = err.code, err.detail
        return refused

    def _gave_up(self, url: str, last: str) -> SceneGymError:
        return self.error_type(f"{self.label} endpoint {url} failed after {self.max_retries + 1} attempts: {last}")

    def chat(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` (a chat-completions request body) to ``/chat/completions``; returns the decoded JSON
        response. Raises :attr:`error_type` after the last failed attempt, at once for a refused request or a
        reply over ``max_response_bytes``, and when ``deadline`` passes."""
        url = f"{self.base_url}/chat/completions"
        body = json.dumps(payload).encode()
        headers = self._headers()
        start = time.monotonic()
        last = ""
        for attempt in range(self.max_retries + 1):
            pause = self._pause_before(attempt, start, url, last)
            if pause:
                self.sleep(pause)
            limit = self._attempt_limit(start, url, last)
            self.requests += 1
            try:
                raw = transport.post(url, body, headers, limit_s=limit, max_bytes=self.max_response_bytes)
            except transport.Expired:
                if limit < self.timeout:  # the call's deadline, not the attempt's timeout, cut it short
                    raise self._deadline_error(url, f"cut off after {limit:.3g} s") from None
                last = f"no complete reply within the timeout of {self.timeout:g} s (timeout)"
                continue
            except transport.TooLarge as err:
                raise self._too_large(url, err) from None
            except transport.HTTPFailure as err:
                last = str(err)
                refused = self._refusal(url, err)
                if refused is None:
                    continue
                raise refused from None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
                last = f"connection failed ({getattr(err, 'reason', None) or err!r})"
                continue
            try:
                return json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                last = f"response is not JSON: {raw[:200]!r}"
                continue
        raise self._gave_up(url, last)
