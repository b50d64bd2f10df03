"""``judge:vlm:PATH``: the rubric judge run by a local image-text-to-text checkpoint (Qwen2-VL, Qwen2.5-VL...),
loaded by :func:`scene_gym.llm.local_models.load_checkpoint`, the loader the local VLM policy uses.

Same messages as the OpenAI-compatible judge (:meth:`~scene_gym.rewards.vlm_judge.ModelJudge.messages`: the
rubric, the quoted scene data and the marked top-down render), same answer parser (no grade is clamped: an
unusable answer raises :class:`~scene_gym.rewards.vlm_judge.AnswerError` quoting it, which an environment reports
as ``info["reward_error"]``), same SQLite cache. What differs:

- **Decoding** is greedy (:func:`~scene_gym.llm.local_models.greedy_answer`, ``do_sample=False``), so the same
  scene gets the same answer on one device, and an unusable answer is not asked again (``parse_retries`` 0: it
  would come back the same).
- **Cache key**: the model column is ``vlm:<resolved path>#<fingerprint>``, the fingerprint from
  :func:`~scene_gym.llm.local_models.checkpoint_fingerprint` (a hash of every file's name and size and of the
  bytes of the config, tokenizer and, by default, weight files), so new weights in the same folder are never
  answered from the old cache; the rubric column adds ``greedy/max_new_tokens=N`` and the ``repr`` of any
  ``logits_processors``.
- **Model**: loaded on first use (a fully cached run never loads it); a checkpoint without a processor (a
  causal LM) gets the text part only; ``device="auto"`` takes CUDA when available.

``torch`` and ``transformers`` are imported only when the model is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scene_gym.errors import ModelLoadError
from scene_gym.rewards.base import RewardError
from scene_gym.rewards.judge_input import MAX_PROMPT_CHARS
from scene_gym.rewards.scores import ScoreConfig
from scene_gym.rewards.vlm_judge import JudgeCache, ModelJudge


class LocalVLMJudge(ModelJudge):
    """The judge of the module docstring.

    Args:
        path: checkpoint directory (``save_pretrained`` layout); nothing is downloaded.
        device: ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda"``, ``"cuda:1"``...
        dtype: ``"auto"``, ``"float32"``, ``"float16"`` or ``"bfloat16"``.
        max_new_tokens: answer budget, tokens (1 to 4096).
        cache: a :class:`~scene_gym.rewards.vlm_judge.JudgeCache`, a path, ``"default"`` or None (off).
        view: render sent as the image (``topdown_ids``).
        parse_retries: how often an unusable answer is asked again (default 0: greedy answers repeat).
        config: score coefficients.
        world: a physics world to keep warm (metrics for Q_phy).
        max_prompt_chars: the longest prompt sent, characters.
        trust_remote_code: let the checkpoint run its own modelling code (off by default).
        logits_processors: extra ``transformers`` ``LogitsProcessor`` objects applied while decoding
            (constrained decoding); each one's ``repr`` is part of the cache key, so give it one naming its settings.
        hash_weights: fingerprint the weight files' bytes (default) or only the config, small files and sizes.
    """

    def __init__(self, path: str | Path, *, device: str = "auto", dtype: str = "auto", max_new_tokens: int = 256,
                 cache: JudgeCache | str | Path | None = "default", view: str = "topdown_ids", parse_retries: int = 0,
                 config: ScoreConfig | None = None, world=None, max_prompt_chars: int = MAX_PROMPT_CHARS,
                 trust_remote_code: bool = False, logits_processors: tuple | list = (),
                 hash_weights: bool = True):  # fmt: skip
        from scene_gym.llm.local_models import checkpoint_fingerprint

        super().__init__(cache, view, parse_retries, config, world, max_prompt_chars)
        if not isinstance(path, str | Path) or not str(path).strip():
            raise RewardError(f"judge vlm path: expected a checkpoint directory, got {path!r}")
        root = Path(path).expanduser()
        if not (root / "config.json").is_file():
            raise ModelLoadError(f"judge vlm path: expected a checkpoint directory with a config.json, got "
                                 f"{str(path)!r}")  # fmt: skip
        if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or not 1 <= max_new_tokens <= 4096:
            raise RewardError(f"judge vlm max_new_tokens: expected an integer in [1, 4096], got {max_new_tokens!r}")
        if not isinstance(device, str) or not device:
            raise RewardError(f"judge vlm device: expected 'auto', 'cpu' or 'cuda[:N]', got {device!r}")
        self.path = str(root)
        self.name = f"vlm:{path}"
        self.device, self.dtype, self.max_new_tokens = device, dtype, max_new_tokens
        self.trust_remote_code = bool(trust_remote_code)
        self.logits_processors = tuple(logits_processors)
        self.fingerprint = checkpoint_fingerprint(root, hash_weights=hash_weights)
        self._loaded = None

    @property
    def model_id(self) -> str:  # type: ignore[override]
        """``vlm:<resolved path>#<fingerprint>`` (the cache's model column)."""
        return f"vlm:{Path(self.path).resolve()}#{self.fingerprint}"

    @property
    def loaded(self):
        """The :class:`~scene_gym.llm.local_models.LoadedModel`, loaded on first use."""
        if self._loaded is None:
            from scene_gym.llm.local_models import load_checkpoint

            device = self.device
            if device == "auto":
                import torch

                device = "cuda" if torch.cuda.is_available() else "cpu"
            self._loaded = load_checkpoint(self.path, device=device, dtype=self.dtype,
                                           trust_remote_code=self.trust_remote_code)  # fmt: skip
        return self._loaded

    def generation_tag(self) -> str:
        """``greedy/max_new_tokens=N`` plus the processors' reprs (cache key)."""
        procs = ",".join(repr(p) for p in self.logits_processors)
        return f"greedy/max_new_tokens={self.max_new_tokens}" + (f"/processors=[{procs}]" if procs else "")

    def answer(self, messages: list[dict], image_png: bytes) -> str:
        """Greedy answer of the local model to the judge's ``messages`` (OpenAI form: ``image_url`` parts become
        ``{"type": "image"}`` with ``image_png`` decoded; dropped for models that do not take images)."""
        import io

        from PIL import Image

        from scene_gym.llm.local_models import greedy_answer

        loaded = self.loaded
        images: list[Any] = []
        hf: list[dict] = []
        for m in messages:
            content = m["content"]
            parts = [{"type": "text", "text": content}] if isinstance(content, str) else []
            for p in content if isinstance(content, list) else []:
                if p.get("type") == "text":
                    parts.append({"type": "text", "text": p["text"]})
                elif p.get("type") == "image_url" and loaded.takes_images:
                    parts.append({"type": "image"})
                    images.append(Image.open(io.BytesIO(image_png)).convert("RGB"))
            hf.append({"role": m["role"], "content": parts})
        kw = {"max_new_tokens": self.max_new_tokens, "logits_processors": self.logits_processors}
        try:
            return greedy_answer(loaded, hf, images, **kw)[0]
        except ModelLoadError:
            if hf[0]["role"] != "system" or len(hf) < 2:
                raise
        # a template that refuses a system turn (Gemma-style): the rubric goes first in the user turn
        merged = [{"role": "user", "content": [*hf[0]["content"], *hf[1]["content"]]}, *hf[2:]]
        return greedy_answer(loaded, merged, images, **kw)[0]

    def close(self) -> None:
        super().close()
        self._loaded = None
