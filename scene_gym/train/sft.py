"""One supervised fine-tuning call, shared by the trainers: rows in, a checkpoint directory out, through TRL's
``SFTTrainer`` (full fine-tuning, or LoRA through peft merged back into the weights so the result loads as
``vlm:PATH`` without peft).

``max_length`` comes from the data (:func:`~scene_gym.train.datasets.length_stats`, capped at
:attr:`SFTOptions.max_length_cap`); rows that would lose every completion token are dropped here, not silently
by TRL, and both counts are returned for the logs. Device ``"auto"`` is CUDA when present, else CPU; bf16 only on
a GPU that supports it.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scene_gym.errors import SceneGymError


@dataclass(frozen=True)
class SFTOptions:
    """How one SFT call trains.

    Attributes:
        epochs: passes over the rows.
        learning_rate: peak learning rate (AdamW, linear decay).
        batch_size: rows per device step.
        gradient_accumulation: device steps per optimiser step.
        max_length_cap: upper bound of the data-derived ``max_length``, tokens.
        lora: train LoRA adapters (peft) instead of all weights; merged into the saved checkpoint.
        lora_rank, lora_alpha, lora_dropout: LoRA rank, scale numerator and dropout probability.
        warmup_ratio: share of steps with linear warm-up.
        weight_decay: AdamW weight decay.
        seed: torch/data-order seed.
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``/``"cuda:N"``.
        image_tokens: tokens one image adds to a row (for the length statistics of VLM rows).
    """

    epochs: float = 3.0
    learning_rate: float = 1e-3
    batch_size: int = 8
    gradient_accumulation: int = 1
    max_length_cap: int = 4096
    lora: bool = False
    lora_rank: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.0
    warmup_ratio: float = 0.0
    weight_decay: float = 0.0
    seed: int = 0
    device: str = "auto"
    image_tokens: int = 16


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when torch sees a GPU, else ``"cpu"``; other values are returned as they are."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def use_bf16(device: str) -> bool:
    """Whether to train in bf16: only on a CUDA device that supports it."""
    import torch

    return device.startswith("cuda") and torch.cuda.is_available() and torch.cuda.is_bf16_supported()


def run_sft(base: str | Path, rows: list[dict], out_dir: str | Path, options: SFTOptions = SFTOptions(),
            logging_dir: str | Path | None = None) -> dict[str, Any]:  # fmt: skip
    """Fine-tune the checkpoint ``base`` on ``rows`` (:mod:`~scene_gym.train.datasets` rows) and save the result
    to ``out_dir`` (model, tokenizer or processor). Returns JSON-ready statistics: the length summary
    (``max_length``, ``truncated``, ``dropped``), ``train_loss``, ``steps``, ``seconds`` and the options."""
    from trl import SFTConfig, SFTTrainer

    from scene_gym.llm.local_models import load_checkpoint
    from scene_gym.train.datasets import keep_trainable, length_stats, to_hf_dataset

    t0 = time.perf_counter()
    device = resolve_device(options.device)
    loaded = load_checkpoint(base, device=device, dtype="bfloat16" if use_bf16(device) else "float32")
    owner = loaded.processor if loaded.processor is not None else loaded.tokenizer
    stats = length_stats(rows, owner, loaded.tokenizer, options.max_length_cap, options.image_tokens)
    kept = keep_trainable(rows, stats)
    if not kept:
        raise SceneGymError(f"sft: every one of {len(rows)} rows has a prompt of at least max_length "
                            f"{stats.max_length} tokens; raise max_length_cap or shorten the prompts")  # fmt: skip
    loaded.tokenizer.padding_side = "right"  # training pads on the right; generation sets left again at load
    peft_config = None
    if options.lora:
        from peft import LoraConfig

        peft_config = LoraConfig(r=options.lora_rank, lora_alpha=options.lora_alpha, lora_dropout=options.lora_dropout,
                                 target_modules="all-linear", task_type="CAUSAL_LM")  # fmt: skip
    args = SFTConfig(
        output_dir=str(logging_dir or Path(out_dir).with_name(Path(out_dir).name + "_trainer")), num_train_epochs=float(options.epochs),
        per_device_train_batch_size=options.batch_size, gradient_accumulation_steps=options.gradient_accumulation,
        learning_rate=options.learning_rate, lr_scheduler_type="linear", warmup_steps=float(options.warmup_ratio),
        weight_decay=options.weight_decay, max_length=stats.max_length, seed=options.seed, data_seed=options.seed,
        use_cpu=device == "cpu", bf16=use_bf16(device), fp16=False, gradient_checkpointing=False,
        save_strategy="no", logging_steps=5, report_to=["tensorboard"] if logging_dir else "none",
        disable_tqdm=True, dataloader_num_workers=0,
        completion_only_loss=None if stats.rows and "images" in rows[0] else True, shuffle_dataset=True,
    )  # fmt: skip
    trainer = SFTTrainer(model=loaded.model, args=args, train_dataset=to_hf_dataset(kept), processing_class=owner,
                         peft_config=peft_config)  # fmt: skip
    result = trainer.train()
    model = trainer.model
    if options.lora:
        model = model.merge_and_unload()
    out = Path(out_dir)
    model.save_pretrained(out)
    owner.save_pretrained(out)
    if loaded.processor is not None:
        loaded.tokenizer.save_pretrained(out)
    return {**stats.summary(), "train_loss": float(result.training_loss), "steps": int(result.global_step),
            "seconds": round(time.perf_counter() - t0, 2), "device": device, "options": asdict(options)}  # fmt: skip
