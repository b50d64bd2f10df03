"""``APIPolicy``: any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, SGLang, Ollama, LM Studio) as a
scene-gym policy.

- **Function calling** for the tool formats (``trajectory``, ``toolcall``: ``SceneSynthTrajectory-v1``,
  ``SceneSynthToolStep-v1`` and any kind registered with those formats): the
  request carries ``tools`` built from the tools' JSON schemas (``catalogue(fmt="openai")``) and the reply's
  ``tool_calls`` are the action (a trajectory is the list of calls of one reply). Servers without function
  calling: ``use_tools=False`` puts the catalogue text in the prompt and reads JSON from the answer.
- **Plain text** for the DSL and pointing environments; images go as PNG data URLs (``send_images``).
- **Validate and regenerate** as every language-model policy (:mod:`scene_gym.agents.text_policy`).
- **Timeouts and retries** in the shared client (:class:`scene_gym.llm.ChatClient`): timeouts, connection errors,
  408/409/429 and 5xx are retried with exponential backoff; an endpoint that keeps failing raises
  :class:`~scene_gym.llm.ChatError`.
- **Many episodes at once**: with ``client=AsyncChatClient(...)`` (:mod:`scene_gym.llm.async_chat`) the coroutine
  :meth:`~scene_gym.agents.text_policy.TextPolicy.aact` sends the same requests without blocking, the client's
  semaphore bounding the requests in flight over every episode (:mod:`scene_gym.agents.async_rollout`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from scene_gym.agents.parsing import content_text
from scene_gym.agents.prompts import TOOL_FORMATS, PromptConfig, to_openai
from scene_gym.agents.text_policy import Generation, PolicyError, TextPolicy
from scene_gym.llm import ChatClient, ChatError


class APIPolicy(TextPolicy):
    """A policy that asks a hosted (or locally served) model through the chat-completions protocol.

    Args:
        model: model name sent to the endpoint (``gpt-4o-mini``, ``Qwen/Qwen2.5-VL-7B-Instruct``...).
        base_url: API root (default ``$OPENAI_BASE_URL``, else OpenAI's).
        api_key_env: environment variable holding the key.
        timeout: seconds per request.
        max_retries: HTTP retries per request (timeouts, 5xx...), with backoff ``backoff * 2**k`` seconds.
        backoff: seconds before the first HTTP retry.
        client: a ready :class:`~scene_gym.llm.ChatClient` (overrides the four arguments above); an
            :class:`~scene_gym.llm.async_chat.AsyncChatClient` also serves :meth:`agenerate` without threads.
        seed: policy seed; each request carries a ``seed`` drawn from it (servers that support it reproduce).
        temperature, sample_temperature, max_regenerations, icl: as :class:`~scene_gym.agents.text_policy.TextPolicy`.
        max_tokens: answer budget per request, tokens.
        use_tools: function calling for the tool envs (else JSON in text).
        send_images: attach the observation's image.
        logprobs: ask for token log-probabilities (``logprobs: true``) and sum them into ``Candidate.logprob``.
        extra_body: more request fields, merged into every request (``{"top_p": 0.9}``).
        prompt_config: what goes into the prompt.

    Attributes:
        stats: ``requests`` (chat calls, HTTP retries not counted) and ``completion_tokens`` (from ``usage``).
    """

    name = "api"
    version = "1"

    def __init__(self, model: str, *, base_url: str | None = None, api_key_env: str = "OPENAI_API_KEY",
                 timeout: float = 60.0, max_retries: int = 4, backoff: float = 1.0, client: ChatClient | None = None,
                 seed: int | None = None, temperature: float = 0.0, sample_temperature: float = 1.0,
                 max_tokens: int = 1024, max_regenerations: int = 2, use_tools: bool = True,
                 send_images: bool = True, logprobs: bool = False, extra_body: dict | None = None,
                 icl: Any = "default", prompt_config: PromptConfig | None = None):  # fmt: skip
        if not isinstance(model, str) or not model.strip():
            raise PolicyError(f"expected a model name, got {model!r}")
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise PolicyError(f"expected max_tokens as an integer >= 1, got {max_tokens!r}")
        if extra_body is not None and not isinstance(extra_body, dict):
            raise PolicyError(f"expected extra_body as a dict, got {type(extra_body).__name__}")
        config = prompt_config or PromptConfig()
        config = replace(config, include_images=config.include_images and bool(send_images))
        super().__init__(seed, temperature=temperature, sample_temperature=sample_temperature,
                         max_regenerations=max_regenerations, icl=icl, prompt_config=config)  # fmt: skip
        self.model, self.max_tokens = model, max_tokens
        self.takes_images = bool(send_images)
        self.use_tools, self.logprobs, self.extra_body = bool(use_tools), bool(logprobs), dict(extra_body or {})
        self.client = client if client is not None else ChatClient(base_url, api_key_env, timeout, max_retries, backoff)
        self._tool_config = replace(self.prompt_config, include_catalogue=not self.use_tools)
        self.stats = {"requests": 0, "completion_tokens": 0}

    def config_for(self, fmt: str) -> PromptConfig:
        """Without the catalogue text for the tool formats when function calling is on (the schemas go as
        ``tools``)."""
        return self._tool_config if fmt in TOOL_FORMATS else self.prompt_config

    # --- requests -------------------------------------------------------------------------------------------
    def payload(self, chat: list[dict], fmt: str, temperature: float, seed: int) -> dict:
        """The request body for one chat of action format ``fmt``."""
        body: dict[str, Any] = {"model": self.model, "messages": to_openai(chat), "temperature": float(temperature),
                                "max_tokens": self.max_tokens, "seed": int(seed)}  # fmt: skip
        if self.use_tools and fmt in TOOL_FORMATS:
            from scene_gym.actions.tools import catalogue

            body["tools"] = catalogue(fmt="openai")
            body["tool_choice"] = "auto"
        if self.logprobs:
            body["logprobs"] = True
        body.update(self.extra_body)
        return body

    def reply(self, response: Any) -> Generation:
        """The :class:`Generation` of a chat-completions response: tool calls as ``{"tool_calls": [...]}`` JSON
        text, else the content text (string parts of a content list; parts without text are skipped);
        ``logprob`` summed from ``choices[0].logprobs.content`` when every entry has a finite number. A response
        of any other shape raises :class:`~scene_gym.llm.ChatError` naming what came instead."""
        try:
            choice = response["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError, ValueError):
            raise ChatError(f"chat response: expected choices[0].message, got {_brief(response)}") from None
        if not isinstance(message, dict):
            raise ChatError(f"chat response: expected a message object, got {_brief(message)}")
        calls = message.get("tool_calls") or []
        if not isinstance(calls, list):
            raise ChatError(f"chat response: expected the message's tool_calls as a list, got {_brief(calls)}")
        if calls:
            try:
                text = json.dumps({"tool_calls": [{"id": c.get("id"), "type": "function", "function": c.get("function")}
                                                  if isinstance(c, dict) else c for c in calls]})  # fmt: skip
            except (TypeError, ValueError, RecursionError):
                raise ChatError(f"chat response: expected tool calls as JSON, got {_brief(calls)}") from None
        else:
            text = content_text(message)
            if not text and message.get("refusal"):
                refusal = message["refusal"]
                text = f"(refused: {refusal[:300] if isinstance(refusal, str) else _brief(refusal)})"
        usage = response.get("usage") if isinstance(response, dict) else None
        n_tokens = usage.get("completion_tokens") if isinstance(usage, dict) else None
        meta = {"finish_reason": choice.get("finish_reason") if isinstance(choice, dict) else None}
        ok = isinstance(n_tokens, int) and not isinstance(n_tokens, bool) and n_tokens >= 0
        return Generation(text, _logprob(choice), n_tokens if ok else None, meta)

    def _payloads(self, chats: Sequence[list[dict]], formats: Sequence[str], n: int, temperature: float,
                  seed: int) -> list[list[dict]]:  # fmt: skip
        """The request bodies of one :meth:`generate` call: ``n`` per chat, the k-th with seed ``seed + k``."""
        rows = [[fmt] * n for fmt in formats]
        k = iter(range(seed, seed + n * len(rows)))
        return [[self.payload(chat, fmt, temperature, next(k)) for fmt in row]
                for chat, row in zip(chats, rows, strict=True)]  # fmt: skip

    def _account(self, response: Any) -> Generation:
        g = self.reply(response)
        self.stats["requests"] += 1
        self.stats["completion_tokens"] += g.n_tokens or 0
        return g

    def generate(self, chats: Sequence[list[dict]], formats: Sequence[str], n: int, temperature: float,
                 seed: int) -> list[list[Generation]]:  # fmt: skip
        """One request per answer (``n`` per chat), each with its own seed (``seed + k``), one after another."""
        return [[self._account(self.client.chat(p)) for p in row]
                for row in self._payloads(chats, formats, n, temperature, seed)]  # fmt: skip

    async def agenerate(self, chats: Sequence[list[dict]], formats: Sequence[str], n: int, temperature: float,
                        seed: int) -> list[list[Generation]]:  # fmt: skip
        """The requests of :meth:`generate` sent at once through the client's ``achat`` (an
        :class:`~scene_gym.llm.async_chat.AsyncChatClient`, which bounds how many are in flight); with a
        synchronous client, :meth:`generate` in a worker thread. Answers come back in request order; the first
        failed request's error is raised after every request has ended."""
        import asyncio

        achat = getattr(self.client, "achat", None)
        if achat is None:
            return await super().agenerate(chats, formats, n, temperature, seed)
        rows = self._payloads(chats, formats, n, temperature, seed)
        done = iter(await asyncio.gather(*(achat(p) for row in rows for p in row), return_exceptions=True))
        answers = [[next(done) for _ in row] for row in rows]
        for failed in (a for row in answers for a in row if isinstance(a, BaseException)):
            raise failed
        return [[self._account(a) for a in row] for row in answers]

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "model": self.model, "base_url": self.client.base_url,
                "use_tools": self.use_tools}  # fmt: skip


def _brief(value: Any) -> str:
    """A short repr of any reply part, bounded in depth and length (for error messages)."""
    import reprlib

    r = reprlib.Repr()
    r.maxstring, r.maxother, r.maxlevel = 160, 60, 3
    return r.repr(value)


def _logprob(choice: Any) -> float | None:
    """The sum of ``choice.logprobs.content[*].logprob`` when every entry has a finite number, else None."""
    lp = choice.get("logprobs") if isinstance(choice, dict) else None
    if not isinstance(lp, dict) or not isinstance(lp.get("content"), list):
        return None
    values = [t.get("logprob") for t in lp["content"] if isinstance(t, dict)]
    if not values or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return None
    try:
        total = math.fsum(values)
    except (OverflowError, ValueError):  # an integer too large for a float; inf + -inf
        return None
    return total if math.isfinite(total) else None
