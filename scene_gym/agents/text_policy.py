"""The part shared by language-model policies (local :class:`~scene_gym.agents.vlm.VLMPolicy`, hosted
:class:`~scene_gym.agents.api.APIPolicy`): chat prompts with in-context examples, parsing the answer into an
action, and **validate-and-regenerate** (SceneOrchestra): an answer that does not parse (or does not validate) is
shown back to the model with the parser's error, up to ``max_regenerations`` times, and then replaced by the env
kind's no-op (:func:`~scene_gym.agents.parsing.noop_action`).

Prompts, parsing and in-context examples follow the env kind's action format (``dsl``, ``point``, ``trajectory``,
``toolcall``), so a kind registered later that reuses a format needs no change here.

Subclasses implement :meth:`TextPolicy.generate` (chats in, texts with log-probabilities out); everything else,
including batching of retries, is here.

Each :class:`~scene_gym.agents.base.Candidate` records in ``meta``: ``kind`` (the env kind's name), ``attempts``
(generations used, 1 + regenerations), ``errors`` (the parse errors, in order), ``fallback`` (True when the no-op
was used), ``n_tokens`` (tokens of the final text, when known) and ``examples`` (how many in-context examples were
shown).
"""

from __future__ import annotations

import abc
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.agents.base import Candidate, KindLike, Policy
from scene_gym.agents.icl import ICLLibrary
from scene_gym.agents.parsing import ParseError, noop_action, parse_action
from scene_gym.agents.prompts import PromptConfig, build_messages, room_type_of
from scene_gym.errors import PolicyError


@dataclass
class Generation:
    """One generated answer.

    Attributes:
        text: the answer as text (for API tool-call replies: ``{"tool_calls": [...]}`` JSON).
        logprob: sum of the answer tokens' log-probabilities under the model (natural log, <= 0), or None.
        n_tokens: number of generated tokens, or None.
        meta: anything else (finish reason, usage...).
    """

    text: str
    logprob: float | None = None
    n_tokens: int | None = None
    meta: dict = field(default_factory=dict)


def resolve_icl(icl: Any) -> ICLLibrary | None:
    """``"default"`` -> the built-in library, a path -> that file, a library as is, None -> no examples."""
    if icl is None or isinstance(icl, ICLLibrary):
        return icl
    if isinstance(icl, str) and icl == "default":
        return ICLLibrary.default()
    if isinstance(icl, str | Path):
        return ICLLibrary.load(icl)
    raise PolicyError(f"expected icl as 'default', a path, an ICLLibrary or None, got {type(icl).__name__}")


def _check_count(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise PolicyError(f"expected {name} as an integer >= {low}, got {value!r}")
    return value


class TextPolicy(Policy):
    """Base class of language-model policies.

    Args:
        seed: seed of the policy's generator (each generation call draws its sampling seed from it).
        temperature: sampling temperature of :meth:`act` / :meth:`act_batch`; 0 means greedy decoding.
            :meth:`sample` with ``n > 1`` uses ``sample_temperature`` when ``temperature`` is 0, so candidates differ.
        sample_temperature: temperature of :meth:`sample` for ``n > 1`` when ``temperature`` is 0.
        max_regenerations: how many times an unusable answer is regenerated with its error fed back.
        icl: in-context library (``"default"``, a JSON path, an :class:`ICLLibrary` or None).
        prompt_config: what goes into the prompt.

    Attributes:
        counts: running totals: ``candidates`` returned, ``generations`` made, ``regenerations`` (generations after
            the first for a candidate) and ``fallbacks`` (candidates replaced by the no-op).
        last_candidates: the candidates of the latest call, one list per observation (``act`` keeps only the
            action; this keeps the text, log-probability and meta for recording).
    """

    name = "text"
    takes_images = True

    def __init__(self, seed: int | None = None, *, temperature: float = 0.0, sample_temperature: float = 1.0,
                 max_regenerations: int = 2, icl: Any = "default", prompt_config: PromptConfig | None = None):  # fmt: skip
        super().__init__(seed)
        for key, v in (("temperature", temperature), ("sample_temperature", sample_temperature)):
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0.0 <= v <= 10.0:
                raise PolicyError(f"expected {key} in [0, 10], got {v!r}")
        self.temperature, self.sample_temperature = float(temperature), float(sample_temperature)
        self.max_regenerations = _check_count("max_regenerations", max_regenerations, 0)
        self.icl = resolve_icl(icl)
        self.prompt_config = prompt_config or PromptConfig()
        self.counts = {"candidates": 0, "generations": 0, "regenerations": 0, "fallbacks": 0}
        self.last_candidates: list[list[Candidate]] = []

    # --- to implement ---------------------------------------------------------------------------------------
    @abc.abstractmethod
    def generate(self, chats: Sequence[list[dict]], formats: Sequence[str], n: int, temperature: float,
                 seed: int) -> list[list[Generation]]:
        """``n`` answers for each chat (neutral messages of :mod:`scene_gym.agents.prompts`); ``formats`` gives
        each chat's action format (``dsl``, ``point``, ``trajectory``, ``toolcall``); ``temperature`` 0 means
        greedy; ``seed`` makes sampling reproducible."""

    # --- prompts --------------------------------------------------------------------------------------------
    def config_for(self, fmt: str) -> PromptConfig:
        """The prompt configuration for an action format (subclasses may vary it per format)."""
        return self.prompt_config

    def examples_for(self, observation: Mapping[str, Any], fmt: str) -> list:
        """In-context examples of an action format for one observation (by room type and prompt similarity)."""
        if self.icl is None or self.prompt_config.max_examples <= 0:
            return []
        return self.icl.retrieve(fmt, str(observation.get("prompt", "")), room_type_of(observation),
                                 k=self.prompt_config.max_examples)  # fmt: skip

    def messages(self, observation: Mapping[str, Any], retries: Sequence[tuple[str, str]] = (), *,
                 kind: KindLike | None = None) -> list[dict]:  # fmt: skip
        """The chat sent for ``observation`` after the given (answer, error) retries."""
        fmt = self.kind_for(kind).action_format
        return build_messages(observation, fmt, self.examples_for(observation, fmt), retries, self.config_for(fmt))

    def _seed(self) -> int:
        return int(self.rng.integers(0, 2**31 - 1))

    # --- validate and regenerate ----------------------------------------------------------------------------
    def _steps(self, observations: Sequence[Mapping[str, Any]], n: int, temperature: float,
               kind: KindLike | None) -> Generator[tuple, list[list[Generation]], list[list[Candidate]]]:  # fmt: skip
        """Validate-and-regenerate without I/O: yields each :meth:`generate` request as its argument tuple
        ``(chats, formats, n, temperature, seed)``, is sent the generations, and returns the candidates. The
        synchronous (:meth:`_run`) and asynchronous (:meth:`_arun`) paths drive the same steps."""
        found = self.kind_for(kind)
        fmt, config = found.action_format, self.config_for(found.action_format)
        formats = [fmt] * len(observations)
        examples = [self.examples_for(o, fmt) for o in observations]
        chats = [build_messages(o, fmt, ex, (), config) for o, ex in zip(observations, examples, strict=True)]
        first = yield (chats, formats, n, temperature, self._seed())
        # one slot per (observation, candidate): its retries so far and its final candidate
        slots: dict[tuple[int, int], dict] = {}
        for i, gens in enumerate(first):
            if len(gens) != n:
                raise PolicyError(f"expected {n} generations per chat from {type(self).__name__}.generate, got {len(gens)}")
            for j, g in enumerate(gens):
                slots[(i, j)] = {"retries": [], "gen": g}
        pending = list(slots)
        for attempt in range(self.max_regenerations + 1):
            failed = []
            for key in pending:
                slot, i = slots[key], key[0]
                try:
                    slot["action"] = parse_action(fmt, slot["gen"].text)
                except ParseError as err:
                    slot["retries"].append((slot["gen"].text, str(err)))
                    failed.append(key)
            pending = failed
            if not pending or attempt == self.max_regenerations:
                break
            retry_chats = [build_messages(observations[i], fmt, examples[i], slots[(i, j)]["retries"], config)
                           for i, j in pending]  # fmt: skip
            regen = yield (retry_chats, [fmt] * len(pending), 1, temperature, self._seed())
            for key, gens in zip(pending, regen, strict=True):
                slots[key]["gen"] = gens[0]
        out: list[list[Candidate]] = [[] for _ in observations]
        for (i, _), slot in sorted(slots.items()):
            fallback = "action" not in slot
            g = slot["gen"]
            meta = {"kind": found.name, "attempts": len(slot["retries"]) + (0 if fallback else 1),
                    "errors": [e for _, e in slot["retries"]], "fallback": fallback, "n_tokens": g.n_tokens,
                    "examples": len(examples[i]), **g.meta}  # fmt: skip
            action = noop_action(fmt) if fallback else slot["action"]
            out[i].append(Candidate(action, g.text, g.logprob, meta))
        self.counts["candidates"] += sum(len(c) for c in out)
        self.counts["generations"] += sum(c.meta["attempts"] for row in out for c in row)
        self.counts["regenerations"] += sum(c.meta["attempts"] - 1 for row in out for c in row)
        self.counts["fallbacks"] += sum(c.meta["fallback"] for row in out for c in row)
        self.last_candidates = out
        return out

    def _run(self, observations: Sequence[Mapping[str, Any]], n: int, temperature: float,
             kind: KindLike | None) -> list[list[Candidate]]:  # fmt: skip
        steps = self._steps(observations, n, temperature, kind)
        try:
            request = next(steps)
            while True:
                request = steps.send(self.generate(*request))
        except StopIteration as done:
            return done.value

    async def _arun(self, observations: Sequence[Mapping[str, Any]], n: int, temperature: float,
                    kind: KindLike | None) -> list[list[Candidate]]:  # fmt: skip
        steps = self._steps(observations, n, temperature, kind)
        try:
            request = next(steps)
            while True:
                request = steps.send(await self.agenerate(*request))
        except StopIteration as done:
            return done.value

    async def agenerate(self, chats: Sequence[list[dict]], formats: Sequence[str], n: int, temperature: float,
                        seed: int) -> list[list[Generation]]:  # fmt: skip
        """:meth:`generate` as a coroutine, for many episodes at once on one event loop. This default runs
        :meth:`generate` in a worker thread; policies that talk to a server (:class:`~scene_gym.agents.api.APIPolicy`)
        override it with non-blocking requests."""
        import asyncio

        return await asyncio.to_thread(self.generate, chats, formats, n, temperature, seed)

    # --- the Policy API -------------------------------------------------------------------------------------
    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        """``n`` candidates for one observation; with ``temperature`` 0 and ``n > 1`` they are sampled at
        ``sample_temperature``."""
        n = _check_count("n", n, 1)
        temperature = self.temperature if (self.temperature > 0 or n == 1) else self.sample_temperature
        return self._run([observation], n, temperature, kind)[0]

    def sample_batch(self, observations: Sequence[Mapping[str, Any]], n: int = 1, *,
                     kind: KindLike | None = None) -> list[list[Candidate]]:  # fmt: skip
        """:meth:`sample` for several observations of one env kind at once (one batched generation, retries
        batched too)."""
        n = _check_count("n", n, 1)
        if not observations:
            return []
        temperature = self.temperature if (self.temperature > 0 or n == 1) else self.sample_temperature
        return self._run(list(observations), n, temperature, kind)

    def act(self, observation: Mapping[str, Any], *, kind: KindLike | None = None) -> Any:
        """One action (decoding at ``temperature``)."""
        return self._run([observation], 1, self.temperature, kind)[0][0].action

    async def aact(self, observation: Mapping[str, Any], *, kind: KindLike | None = None) -> Any:
        """:meth:`act` as a coroutine: the same prompts, seeds, parsing and regenerations, the generations awaited
        through :meth:`agenerate`."""
        return (await self._arun([observation], 1, self.temperature, kind))[0][0].action

    def act_batch(self, observations: Sequence[Mapping[str, Any]], *, kind: KindLike | None = None) -> list[Any]:
        """One action per observation of one env kind, generated as one batch (retries batched too)."""
        if not observations:
            return []
        return [c[0].action for c in self._run(list(observations), 1, self.temperature, kind)]

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "temperature": self.temperature, "max_regenerations": self.max_regenerations,
                "icl_examples": len(self.icl) if self.icl is not None else 0}  # fmt: skip
