"""Tiny checkpoints built on the spot for the local-model policy tests: no network, no downloads.

The language-model builders live in :mod:`scene_gym.train.tiny` (examples and trainers import them too) and are
re-exported here; the tiny CLIP builder is test-only.

A byte-level BPE tokenizer is trained with the ``tokenizers`` library on a small corpus of DSL, JSON tool calls
and prompts, wrapped in a :class:`transformers.PreTrainedTokenizerFast` with a Qwen-style chat template, and
saved beside a randomly initialised model built from a config:

- :func:`build_causal_lm`: a Qwen2 causal LM (hidden 32, 1 layer).
- :func:`build_qwen2_vl`: a Qwen2-VL image-text-to-text model (vision tower depth 1, embed 16; text hidden 32,
  1 layer) with a ``Qwen2VLProcessor`` assembled from the image processor's class defaults.

Both are written with ``save_pretrained`` so :class:`scene_gym.agents.vlm.VLMPolicy` loads them through the same
path a downloaded checkpoint takes.
"""

from __future__ import annotations

from pathlib import Path

from scene_gym.train.tiny import (
    CHAT_TEMPLATE,
    CORPUS,
    SPECIAL,
    build_causal_lm,
    build_qwen2_vl,
    train_tokenizer,
)

__all__ = ["CHAT_TEMPLATE", "CORPUS", "SPECIAL", "TINY_CLIP", "build_causal_lm", "build_qwen2_vl", "build_tiny_clip",
           "train_tokenizer"]


#: A tiny open_clip architecture (the default SimpleTokenizer ships its BPE vocabulary inside open_clip: 49408
#: tokens, no download).
TINY_CLIP = {
    "embed_dim": 16,
    "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "head_width": 16, "patch_size": 16},
    "text_cfg": {"context_length": 16, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
}


def build_tiny_clip(out_dir: Path, seed: int = 0) -> tuple[Path, Path]:
    """A randomly initialised tiny open_clip model saved like a real one: (config ``scene-gym-tiny-clip.json``,
    checkpoint ``tiny.pt``); the config is registered with open_clip under ``scene-gym-tiny-clip``."""
    import json

    import open_clip
    import torch

    out_dir.mkdir(parents=True, exist_ok=True)
    config = out_dir / "scene-gym-tiny-clip.json"
    config.write_text(json.dumps(TINY_CLIP))
    open_clip.add_model_config(config)
    torch.manual_seed(seed)
    ckpt = out_dir / "tiny.pt"
    torch.save(open_clip.create_model("scene-gym-tiny-clip", pretrained=None).state_dict(), ckpt)
    return config, ckpt
