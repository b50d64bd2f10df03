"""The part shared by language-model policies (local :class:`~scene_gym.agents.vlm.VLMPolicy`, hosted
:class:`~scene_gym.agents.api.APIPolicy`): chat prompts with in-context examples, parsing the answer into an
action, and **validate-and-regenerate** (SceneOrchestra): an answer that does not parse (or does not validate) is
shown back to the model with the parser's error, up to ``max_regenerations`` times, and then replaced by the env
kind's no-op (:func:`~scene_gym.agents.parsing.noop_action`).

Subclasses implement :meth:`TextPolicy.generate` (chats in, texts with log-probabilities out); everything else,
including batching of retries, is here.

Each :class:`~scene_gym.agents.base.Candidate` records in ``meta``: ``kind``, ``attempts`` (generations used, 1 +
regenerations), ``errors`` (the parse errors, in order), ``fallback`` (True when the no-op was used), ``n_tokens``
(tokens of the final text, when known) and ``examples`` (how many in-context examples were shown).
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.agents.base import Candidate, Policy, env_kind
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
    def generate(self, chats: Sequence[list[dict]], kinds: Sequence[str], n: int, temperature: float,
                 seed: int) -> list[list[Generation]]:
        """``n`` answers for each chat (neutral messages of :mod:`scene_gym.agents.prompts`); ``kinds`` gives each
        chat's env kind; ``temperature`` 0 means greedy; ``seed`` makes sampling reproducible."""

    # --- prompts --------------------------------------------------------------------------------------------
    def config_for(self, kind: str) -> PromptConfig:
        """The prompt configuration for an env kind (subclasses may vary it per kind)."""
        return self.prompt_config

    def examples_for(self, observation: Mapping[str, Any], kind: str) -> list:
        """In-context examples for one observation (retrieved by room type and prompt similarity)."""
        if self.icl is None or self.prompt_config.max_examples <= 0:
            return []
        return self.icl.retrieve(kind, str(observation.get("prompt", "")), room_type_of(observation),
                                 k=self.prompt_config.max_examples)  # fmt: skip

    def messages(self, observation: Mapping[str, Any], retries: Sequence[tuple[str, str]] = ()) -> list[dict]:
        """The chat sent for ``observation`` after the given (answer, error) retries."""
        kind = env_kind(observation)
        return build_messages(observation, kind, self.examples_for(observation, kind), retries, self.config_for(kind))

    def _seed(self) -> int:
        return int(self.rng.integers(0, 2**31 - 1))

    # --- validate and regenerate ----------------------------------------------------------------------------
    def _run(self, observations: Sequence[Mapping[str, Any]], n: int, temperature: float) -> list[list[Candidate]]:
        kinds = [env_kind(o) for o in observations]
        examples = [self.examples_for(o, k) for o, k in zip(observations, kinds, strict=True)]
        chats = [build_messages(o, k, ex, (), self.config_for(k))
                 for o, k, ex in zip(observations, kinds, examples, strict=True)]  # fmt: skip
        first = self.generate(chats, kinds, n, temperature, self._seed())
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
                    slot["action"] = parse_action(kinds[i], slot["gen"].text)
                except ParseError as err:
                    slot["retries"].append((slot["gen"].text, str(err)))
                    failed.append(key)
            pending = failed
            if not pending or attempt == self.max_regenerations:
                break
            retry_chats = [build_messages(observations[i], kinds[i], examples[i], slots[(i, j)]["retries"],
                                          self.config_for(kinds[i])) for i, j in pending]  # fmt: skip
            regen = self.generate(retry_chats, [kinds[i] for i, _ in pending], 1, temperature, self._seed())
            for key, gens in zip(pending, regen, strict=True):
                slots[key]["gen"] = gens[0]
        out: list[list[Candidate]] = [[] for _ in observations]
        for (i, _), slot in sorted(slots.items()):
            fallback = "action" not in slot
            g = slot["gen"]
            meta = {"kind": kinds[i], "attempts": len(slot["retries"]) + (0 if fallback else 1),
                    "errors": [e for _, e in slot["retries"]], "fallback": fallback, "n_tokens": g.n_tokens,
                    "examples": len(examples[i]), **g.meta}  # fmt: skip
            action = noop_action(kinds[i]) if fallback else slot["action"]
            out[i].append(Candidate(action, g.text, g.logprob, meta))
        self.counts["candidates"] += sum(len(c) for c in out)
        self.counts["generations"] += sum(c.meta["attempts"] for row in out for c in row)
        self.counts["regenerations"] += sum(c.meta["attempts"] - 1 for row in out for c in row)
        self.counts["fallbacks"] += sum(c.meta["fallback"] for row in out for c in row)
        self.last_candidates = out
        return out

    # --- the Policy API -------------------------------------------------------------------------------------
    def sample(self, observation: Mapping[str, Any], n: int = 1) -> list[Candidate]:
        """``n`` candidates for one observation; with ``temperature`` 0 and ``n > 1`` they are sampled at
        ``sample_temperature``."""
        n = _check_count("n", n, 1)
        temperature = self.temperature if (self.temperature > 0 or n == 1) else self.sample_temperature
        return self._run([observation], n, temperature)[0]

    def sample_batch(self, observations: Sequence[Mapping[str, Any]], n: int = 1) -> list[list[Candidate]]:
        """:meth:`sample` for several observations at once (one batched generation, retries batched too)."""
        n = _check_count("n", n, 1)
        if not observations:
            return []
        temperature = self.temperature if (self.temperature > 0 or n == 1) else self.sample_temperature
        return self._run(list(observations), n, temperature)

    def act(self, observation: Mapping[str, Any]) -> Any:
        """One action (decoding at ``temperature``)."""
        return self._run([observation], 1, self.temperature)[0][0].action

    def act_batch(self, observations: Sequence[Mapping[str, Any]]) -> list[Any]:
        """One action per observation, generated as one batch (retries batched too)."""
        if not observations:
            return []
        return [c[0].action for c in self._run(list(observations), 1, self.temperature)]

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "temperature": self.temperature, "max_regenerations": self.max_regenerations,
                "icl_examples": len(self.icl) if self.icl is not None else 0}  # fmt: skip
