"""``VLMPolicy``: a local ``transformers`` checkpoint (vision-language or text-only) as a scene-gym policy."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scene_gym.agents.prompts import PromptConfig
from scene_gym.agents.text_policy import Generation, PolicyError, TextPolicy


class VLMPolicy(TextPolicy):
    """A policy backed by a local checkpoint directory (Qwen2.5-VL, Qwen3-VL, Molmo-like, or any causal LM with a
    chat template).

    The chat carries the system prompt of the env kind's action format (the DSL reference, the tool catalogue or
    the pointing format), in-context examples from the library, the observation's text and, for models that take images, its
    image. The answer is parsed into an action; an unusable answer is regenerated with the error fed back
    (:class:`~scene_gym.agents.text_policy.TextPolicy`). :meth:`sample` returns candidates with their
    log-probabilities (``Candidate.logprob``, natural log, <= 0).

    Args:
        model_path: checkpoint directory (``save_pretrained`` layout); nothing is downloaded.
        seed: policy seed (sampling seeds are drawn from it).
        device: ``"cpu"`` (default) or a CUDA device.
        dtype: ``"auto"``, ``"float32"``, ``"float16"`` or ``"bfloat16"``.
        max_new_tokens: answer budget per generation, tokens (None: the card's, else 256).
        temperature: 0 (default) for greedy :meth:`act`; > 0 samples.
        sample_temperature: temperature of :meth:`sample` with ``n > 1`` when ``temperature`` is 0.
        top_p: nucleus mass when sampling.
        max_regenerations: regenerations of an unusable answer before the no-op.
        batch_size: chats per ``generate`` call in :meth:`act_batch` and retries.
        icl: in-context library (``"default"``, a path, an ``ICLLibrary`` or None).
        prompt_config: what goes into the prompt (:class:`~scene_gym.agents.prompts.PromptConfig`).
        trust_remote_code: let the checkpoint run its own modelling code (off by default).

    A checkpoint written by a scene-gym trainer carries a policy card (:mod:`scene_gym.agents.vlm.card`); its
    prompt configuration, in-context library and answer budget are used where the arguments are left at their
    defaults (``prompt_config=None``, ``icl="default"``, ``max_new_tokens=None``).

    Attributes:
        loaded: the :class:`~scene_gym.llm.local_models.LoadedModel`.
        stats: running totals: ``generate_calls``, ``generated_tokens``, ``generate_s`` (wall seconds).
    """

    name = "vlm"
    version = "1"

    def __init__(self, model_path: str | Path, *, seed: int | None = None, device: str = "cpu", dtype: str = "auto",
                 max_new_tokens: int | None = None, temperature: float = 0.0, sample_temperature: float = 1.0,
                 top_p: float = 1.0, max_regenerations: int = 2, batch_size: int = 8, icl: Any = "default",
                 prompt_config: PromptConfig | None = None, trust_remote_code: bool = False):  # fmt: skip
        from scene_gym.agents.vlm.card import read_card
        from scene_gym.llm.local_models import load_checkpoint

        card = read_card(model_path) if Path(model_path).is_dir() else None
        if card is not None:
            prompt_config = prompt_config if prompt_config is not None else card["prompt_config"]
            icl = card["icl"] if isinstance(icl, str) and icl == "default" else icl
            max_new_tokens = max_new_tokens if max_new_tokens is not None else card["max_new_tokens"]
        max_new_tokens = 256 if max_new_tokens is None else max_new_tokens
        super().__init__(seed, temperature=temperature, sample_temperature=sample_temperature,
                         max_regenerations=max_regenerations, icl=icl, prompt_config=prompt_config)  # fmt: skip
        if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or not 1 <= max_new_tokens <= 32768:
            raise PolicyError(f"expected max_new_tokens in [1, 32768], got {max_new_tokens!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise PolicyError(f"expected batch_size as an integer >= 1, got {batch_size!r}")
        if not 0.0 < float(top_p) <= 1.0:
            raise PolicyError(f"expected top_p in (0, 1], got {top_p!r}")
        self.model_path = str(model_path)
        self.max_new_tokens, self.batch_size, self.top_p = max_new_tokens, batch_size, float(top_p)
        self.loaded = load_checkpoint(model_path, device=device, dtype=dtype, trust_remote_code=trust_remote_code)
        self.takes_images = bool(self.loaded.takes_images)
        self.stats = {"generate_calls": 0, "generated_tokens": 0, "generate_s": 0.0}

    def generate(self, chats: Sequence[list[dict]], formats: Sequence[str], n: int, temperature: float,
                 seed: int) -> list[list[Generation]]:  # fmt: skip
        """Generate in chunks of ``batch_size`` chats (each chunk seeded with ``seed + chunk index``)."""
        from scene_gym.agents.vlm.generation import generate

        out: list[list[Generation]] = []
        for c, start in enumerate(range(0, len(chats), self.batch_size)):
            t0 = time.perf_counter()
            part = generate(self.loaded, chats[start : start + self.batch_size], n=n, temperature=temperature,
                            top_p=self.top_p, max_new_tokens=self.max_new_tokens, seed=seed + c)  # fmt: skip
            self.stats["generate_s"] += time.perf_counter() - t0
            self.stats["generate_calls"] += 1
            self.stats["generated_tokens"] += sum(g.n_tokens or 0 for row in part for g in row)
            out += part
        return out

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "model": self.model_path, "model_type": self.loaded.model_type,
                "takes_images": self.loaded.takes_images, "max_new_tokens": self.max_new_tokens}  # fmt: skip
