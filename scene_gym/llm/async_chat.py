"""An asynchronous OpenAI-compatible ``/chat/completions`` client on ``httpx``, for many episodes sharing one
server (vLLM, SGLang, OpenAI...): bounded concurrency, a wall-clock limit per attempt, counted retries.

:class:`AsyncChatClient` is a :class:`~scene_gym.llm.chat_client.ChatClient` (same arguments, checks, key policy,
error type and retry rules; its synchronous :meth:`~scene_gym.llm.chat_client.ChatClient.chat` still works) with a
coroutine :meth:`AsyncChatClient.achat` and:

- **Concurrency** (``max_concurrency``, default 32): one ``asyncio.Semaphore`` per client bounds the HTTP requests
  in flight, whatever number of episodes share the client; the connection pool has the same size. Backoff sleeps
  hold no slot.
- **Timeout** (``timeout``, seconds): the wall-clock limit of one attempt, connection to last byte
  (``asyncio.wait_for`` around the whole request, so a server that trickles its reply is cut off too); an attempt
  that runs out of time is retried. ``deadline`` bounds a whole call, retries and sleeps included.
- **Retries**: timeouts, connection errors, a body that is not JSON, HTTP 408/409/429 and 5xx are retried after
  ``backoff * 2**k`` seconds (``max_retries`` retries). Each retry is counted (:attr:`AsyncChatClient.retries`,
  :attr:`AsyncChatClient.retry_reasons`) and logged (logger ``scene_gym.llm.async_chat``, level WARNING, with the
  URL and the reason). Other HTTP answers (4xx, redirects: never followed) fail at once with ``status`` and
  ``detail`` on the error, as in the synchronous client.
- **Size cap** (``max_response_bytes``): a reply over the cap fails at once, while it is read.
- **Key**: as :class:`~scene_gym.llm.chat_client.ChatClient` (read from ``api_key_env`` at each call; never sent
  over plain http to a non-loopback host unless allowed). Loopback URLs bypass proxies from the environment.

The semaphore and the ``httpx.AsyncClient`` belong to the running event loop; a client used from a new loop (a new
``asyncio.run``) makes new ones. ``await client.aclose()`` closes the connections of the current loop.
``httpx`` (the ``api`` extra: ``pip install 'scene-gym[api]'``) is imported when a client is made, so
``import scene_gym`` stays light; without it the client raises :class:`~scene_gym.errors.MissingDependencyError`
naming the extra.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from scene_gym.errors import MissingDependencyError
from scene_gym.llm import transport
from scene_gym.llm.chat_client import DEFAULT_MAX_RESPONSE_BYTES, ChatClient

log = logging.getLogger(__name__)


def _httpx() -> Any:
    """The ``httpx`` module, or :class:`~scene_gym.errors.MissingDependencyError` naming the ``api`` extra."""
    try:
        import httpx
    except ImportError:
        raise MissingDependencyError("httpx", "api", "the async chat client") from None
    return httpx


class AsyncChatClient(ChatClient):
    """A :class:`~scene_gym.llm.chat_client.ChatClient` with the coroutine :meth:`achat` (module docstring).

    Args:
        base_url, api_key_env, timeout, max_retries, backoff, deadline, max_response_bytes, allow_insecure_http: as
            :class:`~scene_gym.llm.chat_client.ChatClient` (seconds, bytes).
        max_concurrency: HTTP requests in flight at most, over every coroutine using this client (>= 1).
        asleep: the coroutine used for backoff pauses (tests pass a recorder); default ``asyncio.sleep``.

    Attributes:
        requests: HTTP requests sent (retries included), by both :meth:`achat` and ``chat``.
        retries: retries made by :meth:`achat`; ``retry_reasons`` counts them by kind (``timeout``, ``HTTP 500``,
            ``not JSON``, ``connection``).
        in_flight, max_in_flight: requests of :meth:`achat` in flight now / at most so far.
    """

    def __init__(self, base_url: str | None = None, api_key_env: str | None = "OPENAI_API_KEY", timeout: float = 60.0,
                 max_retries: int = 4, backoff: float = 1.0, *, max_concurrency: int = 32,
                 deadline: float | None = None, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 allow_insecure_http: bool | None = None,
                 asleep: Callable[[float], Awaitable[None]] | None = None):  # fmt: skip
        super().__init__(base_url, api_key_env, timeout, max_retries, backoff, deadline=deadline,
                         max_response_bytes=max_response_bytes, allow_insecure_http=allow_insecure_http)  # fmt: skip
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise self.error_type(f"{self.label} max_concurrency: expected an integer >= 1, got {max_concurrency!r}")
        _httpx()  # fail at construction, naming the extra, when httpx is missing
        self.max_concurrency = max_concurrency
        self.asleep = asleep or asyncio.sleep
        self.retries = 0
        self.retry_reasons: Counter[str] = Counter()
        self.in_flight = self.max_in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self._http: Any = None
        self._ssl: Any = None  # one TLS context for every loop's httpx client (building one takes ~0.1 s)

    def _session(self) -> tuple[asyncio.Semaphore, Any]:
        """The semaphore and ``httpx.AsyncClient`` of the running loop (made on first use in each loop)."""
        httpx = _httpx()

        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._http is None:
            self._loop = loop
            self._semaphore = asyncio.Semaphore(self.max_concurrency)
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            limits = httpx.Limits(max_connections=self.max_concurrency, max_keepalive_connections=self.max_concurrency)
            self._http = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(self.timeout), verify=self._ssl,
                                           follow_redirects=False,
                                           trust_env=not transport.is_loopback(self.base_url))  # fmt: skip
        return self._semaphore, self._http

    async def aclose(self) -> None:
        """Close the connections of the running loop's ``httpx`` client (a later call makes a new one)."""
        if self._http is not None and self._loop is asyncio.get_running_loop():
            await self._http.aclose()
        self._http = None

    async def _post(self, http: Any, url: str, body: bytes, headers: dict[str, str]) -> bytes:
        """One attempt: the reply's body (at most ``max_response_bytes``), or transport's ``TooLarge`` /
        ``HTTPFailure`` (status >= 300, the first 300 bytes of the body as detail)."""
        async with http.stream("POST", url, content=body, headers=headers) as resp:
            if resp.status_code >= 300:
                head = b""
                async for chunk in resp.aiter_raw():
                    head += chunk
                    if len(head) >= 300:
                        break
                raise transport.HTTPFailure(resp.status_code, head[:300].decode("utf-8", "replace"))
            declared = resp.headers.get("content-length", "")
            if declared.strip().isdigit() and int(declared) > self.max_response_bytes:
                raise transport.TooLarge(f"declared Content-Length {int(declared)} bytes")
            chunks, total = [], 0
            async for chunk in resp.aiter_bytes():
                chunks.append(chunk)
                total += len(chunk)
                if total > self.max_response_bytes:
                    raise transport.TooLarge(f"more than {self.max_response_bytes} bytes read")
            return b"".join(chunks)

    async def _attempt(self, url: str, body: bytes, headers: dict[str, str], limit: float) -> bytes:
        """One attempt under the semaphore and the wall-clock ``limit`` (seconds)."""
        semaphore, http = self._session()
        async with semaphore:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                return await asyncio.wait_for(self._post(http, url, body, headers), limit)
            finally:
                self.in_flight -= 1

    def _retry(self, url: str, attempt: int, kind: str, last: str) -> None:
        self.retries += 1
        self.retry_reasons[kind] += 1
        log.warning("%s endpoint %s: attempt %d of %d failed (%s), retrying", self.label, url, attempt + 1,
                    self.max_retries + 1, last)  # fmt: skip

    async def achat(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` (a chat-completions request body) to ``/chat/completions`` and return the decoded JSON
        response, retrying as the module docstring says. Raises :attr:`error_type` (:class:`ChatError` by
        default) naming the URL after the last failed attempt, at once for a refused request (with ``status`` and
        ``detail``) or a reply over ``max_response_bytes``, and when ``deadline`` passes."""
        httpx = _httpx()

        url = f"{self.base_url}/chat/completions"
        body = json.dumps(payload).encode()
        headers = self._headers()
        start = time.monotonic()
        last = ""
        for attempt in range(self.max_retries + 1):
            pause = self._pause_before(attempt, start, url, last)
            if pause:
                await self.asleep(pause)
            limit = self._attempt_limit(start, url, last)
            try:
                raw = await self._attempt(url, body, headers, limit)
            except (TimeoutError, httpx.TimeoutException):
                if limit < self.timeout:  # the call's deadline, not the attempt's timeout, cut it short
                    raise self._deadline_error(url, f"cut off after {limit:.3g} s") from None
                last, kind = f"no complete reply within the timeout of {self.timeout:g} s (timeout)", "timeout"
            except transport.TooLarge as err:
                raise self._too_large(url, err) from None
            except transport.HTTPFailure as err:
                last, kind = str(err), f"HTTP {err.code}"
                refused = self._refusal(url, err)
                if refused is not None:
                    raise refused from None
            except (httpx.HTTPError, OSError) as err:
                last, kind = f"connection failed ({err!r})", "connection"
            else:
                try:
                    return json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    last, kind = f"response is not JSON: {raw[:200]!r}", "not JSON"
            if attempt < self.max_retries:
                self._retry(url, attempt, kind, last)
        raise self._gave_up(url, last)
