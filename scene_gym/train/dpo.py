"""One DPO call, the sibling of :mod:`~scene_gym.train.sft`: preference rows in, a checkpoint directory out, through
TRL's ``DPOTrainer`` (full fine-tuning, or LoRA through peft merged back into the weights so the result loads as
``vlm:PATH`` without peft).

Rows are TRL's conversational preference format, ``{"prompt": [messages], "chosen": [assistant message],
"rejected": [assistant message]}`` (:mod:`~scene_gym.train.orchestra_data`); other keys are ignored. The
reference model is the checkpoint at ``base``: loaded a second time for full fine-tuning, the adapter-free model
for LoRA (TRL disables the adapter), so each DPO stage is anchored to where it started. ``max_length`` comes from
the data (the longest prompt + completion, capped at :attr:`DPOOptions.max_length_cap`); rows whose prompt alone
reaches it are dropped here and counted, not silently by TRL. Device ``"auto"`` is CUDA when present, else CPU;
bf16 only on a GPU that supports it.

The returned statistics come from TRL's logs (one entry per optimiser step): ``losses``, ``reward_margins``
(``beta * (log-ratio chosen - log-ratio rejected)``, mean per step), ``reward_accuracies`` (share of pairs whose
chosen reward is higher), and their first and last values.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scene_gym.errors import SceneGymError

LOSS_TYPES = (
    "sigmoid",
    "hinge",
    "ipo",
    "robust",
    "bco_pair",
    "sppo_hard",
    "nca_pair",
    "apo_zero",
    "apo_down",
)
"""The DPO losses accepted (TRL's names; SceneOrchestra uses ``sigmoid``)."""


class DPOError(SceneGymError):
    """A bad argument to :func:`run_dpo` (the message names the field and the value)."""


@dataclass(frozen=True)
class DPOOptions:
    """How one DPO call trains.

    Attributes:
        epochs: passes over the pairs.
        learning_rate: peak learning rate (AdamW, linear decay).
        batch_size: pairs per device step.
        gradient_accumulation: device steps per optimiser step.
        beta: KL strength of DPO (SceneOrchestra: 0.1), dimensionless.
        loss_type: one of :data:`LOSS_TYPES`.
        max_length_cap: upper bound of the data-derived ``max_length``, tokens.
        lora: train LoRA adapters (peft) instead of all weights; merged into the saved checkpoint.
        lora_rank, lora_alpha, lora_dropout: LoRA rank, scale numerator and dropout probability.
        warmup_ratio: share of steps with linear warm-up.
        weight_decay: AdamW weight decay.
        seed: torch/data-order seed.
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``/``"cuda:N"``.
    """

    epochs: float = 1.0
    learning_rate: float = 5e-4
    batch_size: int = 8
    gradient_accumulation: int = 1
    beta: float = 0.1
    loss_type: str = "sigmoid"
    max_length_cap: int = 4096
    lora: bool = False
    lora_rank: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.0
    warmup_ratio: float = 0.0
    weight_decay: float = 0.0
    seed: int = 0
    device: str = "auto"

    def __post_init__(self):
        positive = {"epochs": self.epochs, "learning_rate": self.learning_rate, "beta": self.beta}
        for name, v in positive.items():
            if (
                isinstance(v, bool)
                or not isinstance(v, int | float)
                or not v > 0
                or v != v
                or v == float("inf")
            ):
                raise DPOError(f"dpo options.{name}: expected a finite number > 0, got {v!r}")
        for name in ("batch_size", "gradient_accumulation", "max_length_cap"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise DPOError(f"dpo options.{name}: expected an integer >= 1, got {v!r}")
        if self.loss_type not in LOSS_TYPES:
            raise DPOError(
                f"dpo options.loss_type: expected one of {list(LOSS_TYPES)}, got {self.loss_type!r}"
            )


def _check_rows(rows: list[dict]) -> list[dict]:
    if not isinstance(rows, list) or not rows:
        raise DPOError(f"rows: expected a non-empty list of prompt/chosen/rejected rows, got {rows!r:.80}")
    out = []
    for i, row in enumerate(rows):
        for key in ("prompt", "chosen", "rejected"):
            if not isinstance(row, dict) or not isinstance(row.get(key), list) or not row[key]:
                raise DPOError(f"rows[{i}].{key}: expected a non-empty list of chat messages, got "
                               f"{row.get(key) if isinstance(row, dict) else row!r:.80}")  # fmt: skip
        out.append({"prompt": row["prompt"], "chosen": row["chosen"], "rejected": row["rejected"]})
    return out


def preference_lengths(rows: list[dict], tokenizer, cap: int) -> dict[str, Any]:
    """Token lengths of preference rows rendered with the tokenizer's chat template: ``max_length`` (the longest
    prompt + chosen or rejected, at most ``cap``), per-row ``prompt_tokens`` and ``pair_tokens`` (the longer
    completion), ``truncated`` (rows cut at ``max_length``) and ``dropped`` (prompt alone reaching it)."""
    from scene_gym.train.datasets import length_stats

    chosen = length_stats(
        [{"prompt": r["prompt"], "completion": r["chosen"]} for r in rows], tokenizer, tokenizer, cap
    )
    rejected = length_stats([{"prompt": r["prompt"], "completion": r["rejected"]} for r in rows], tokenizer,
                            tokenizer, cap)  # fmt: skip
    longer = [max(a, b) for a, b in zip(chosen.completion_tokens, rejected.completion_tokens, strict=True)]
    limit = max(chosen.max_length, rejected.max_length)
    prompts = chosen.prompt_tokens
    return {"max_length": limit, "prompt_tokens": prompts, "pair_tokens": longer,
            "truncated": sum(p + c > limit for p, c in zip(prompts, longer, strict=True)),
            "dropped": sum(p >= limit for p in prompts)}  # fmt: skip


def _history(trainer) -> dict[str, list[float]]:
    logs = [e for e in trainer.state.log_history if "loss" in e]
    return {"losses": [float(e["loss"]) for e in logs],
            "reward_margins": [float(e.get("rewards/margins", float("nan"))) for e in logs],
            "reward_accuracies": [float(e.get("rewards/accuracies", float("nan"))) for e in logs],
            "rewards_chosen": [float(e.get("rewards/chosen", float("nan"))) for e in logs],
            "rewards_rejected": [float(e.get("rewards/rejected", float("nan"))) for e in logs]}  # fmt: skip


def _log_callback(log: Callable[[dict], None]):
    from transformers import TrainerCallback

    class Forward(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs:
                log(dict(logs))

    return Forward()


def run_dpo(base: str | Path, rows: list[dict], out_dir: str | Path, options: DPOOptions = DPOOptions(),
            log: str | Path | Callable[[dict], None] | None = None) -> dict[str, Any]:  # fmt: skip
    """DPO-train the checkpoint ``base`` on preference ``rows`` against ``base`` itself as the reference, and save
    the result to ``out_dir`` (model and tokenizer with its chat template). ``log``: a folder for TensorBoard
    logs, or a callable receiving each TRL log dict. Returns JSON-ready statistics: ``rows``, ``kept``,
    ``dropped``, ``truncated``, ``max_length``, ``train_loss``, ``steps``, TRL's per-step ``losses``,
    ``reward_margins``, ``reward_accuracies``, ``rewards_chosen``, ``rewards_rejected`` with ``first_*``/``last_*``
    values, ``seconds``, ``device`` and the options."""
    from trl import DPOConfig, DPOTrainer

    from scene_gym.llm.local_models import load_checkpoint
    from scene_gym.train.datasets import to_hf_dataset
    from scene_gym.train.sft import resolve_device, use_bf16

    if not isinstance(options, DPOOptions):
        raise DPOError(f"options: expected DPOOptions, got {type(options).__name__}")
    pairs = _check_rows(rows)
    t0 = time.perf_counter()
    device = resolve_device(options.device)
    dtype = "bfloat16" if use_bf16(device) else "float32"
    loaded = load_checkpoint(base, device=device, dtype=dtype)
    if loaded.processor is not None:
        raise DPOError(f"base: expected a text-only causal LM checkpoint, got one with a processor at {base}")
    tokenizer = loaded.tokenizer
    lengths = preference_lengths(pairs, tokenizer, options.max_length_cap)
    kept = [r for r, p in zip(pairs, lengths["prompt_tokens"], strict=True) if p < lengths["max_length"]]
    if not kept:
        raise DPOError(f"dpo: every one of {len(pairs)} rows has a prompt of at least max_length "
                       f"{lengths['max_length']} tokens; raise max_length_cap or shorten the prompts")  # fmt: skip
    tokenizer.padding_side = "right"
    peft_config, ref_model = None, None
    if options.lora:
        from peft import LoraConfig

        peft_config = LoraConfig(r=options.lora_rank, lora_alpha=options.lora_alpha, lora_dropout=options.lora_dropout,
                                 target_modules="all-linear", task_type="CAUSAL_LM")  # fmt: skip
    else:
        ref_model = load_checkpoint(base, device=device, dtype=dtype).model  # the stage's start, frozen
    tb = log if isinstance(log, str | Path) else None
    args = DPOConfig(
        output_dir=str(tb or Path(out_dir).with_name(Path(out_dir).name + "_trainer")),
        num_train_epochs=float(options.epochs), per_device_train_batch_size=options.batch_size,
        gradient_accumulation_steps=options.gradient_accumulation, learning_rate=options.learning_rate,
        lr_scheduler_type="linear", warmup_steps=float(options.warmup_ratio), weight_decay=options.weight_decay,
        beta=options.beta, loss_type=[options.loss_type], max_length=lengths["max_length"],
        seed=options.seed, data_seed=options.seed, use_cpu=device == "cpu", bf16=use_bf16(device), fp16=False,
        gradient_checkpointing=False, save_strategy="no", logging_steps=1,
        report_to=["tensorboard"] if tb else "none", disable_tqdm=True, dataloader_num_workers=0,
    )  # fmt: skip
    trainer = DPOTrainer(model=loaded.model, ref_model=ref_model, args=args, train_dataset=to_hf_dataset(kept),
                         processing_class=tokenizer, peft_config=peft_config,
                         callbacks=[_log_callback(log)] if callable(log) else None)  # fmt: skip
    result = trainer.train()
    model = trainer.model.merge_and_unload() if options.lora else trainer.model
    out = Path(out_dir)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    hist = _history(trainer)
    ends = {
        f"{w}_{k}": (v[0] if w == "first" else v[-1]) for k, v in hist.items() if v for w in ("first", "last")
    }
    return {"rows": len(rows), "kept": len(kept), "dropped": len(pairs) - len(kept), "truncated": lengths["truncated"],
            "max_length": lengths["max_length"], "train_loss": float(result.training_loss),
            "steps": int(result.global_step), **hist, **ends, "seconds": round(time.perf_counter() - t0, 2),
            "device": device, "options": asdict(options)}  # fmt: skip
