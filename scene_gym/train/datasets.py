"""Datasets shared by the trainers: recorded steps as JSON lines that survive a kill, and chat-format
prompt/completion rows for TRL's ``SFTTrainer`` (with images for vision-language models).

A **record** is one JSON object per line, keyed by ``record["key"]`` (a list such as ``[round, prompt, step]``).
:func:`append_record` writes a whole line and fsyncs it; :func:`read_records` drops a torn last line (a kill in
mid-write) and keeps the first record of each key, so a resumed run neither loses nor duplicates samples.
:func:`repair_jsonl` cuts the torn line off before appending again.

A **row** is TRL's conversational prompt/completion shape: ``{"prompt": [system, user], "completion":
[assistant], "images": [PIL image]}`` (``images`` only for models that take them); the loss is on the completion.
:func:`length_stats` tokenises rows with the model's chat template so ``max_length`` comes from the data, and
counts the rows it would truncate or leave without a completion token (dropped before training, and logged).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.errors import SceneGymError


class DatasetError(SceneGymError):
    """A dataset file or row is malformed; the message names the file, line or field."""


# --- records: JSON lines that survive a kill -----------------------------------------------------------------
def append_record(path: str | Path, record: Mapping[str, Any]) -> None:
    """Append ``record`` (with a ``key`` list) as one JSON line and fsync it (the line is whole or absent)."""
    if not isinstance(record.get("key"), list):
        raise DatasetError(f"record.key: expected a list such as [round, prompt, step], got {record.get('key')!r}")
    line = json.dumps(record, allow_nan=False, ensure_ascii=False) + "\n"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def repair_jsonl(path: str | Path) -> int:
    """Cut a torn last line (no final newline) off ``path``; returns the bytes removed (0 when whole or absent)."""
    path = Path(path)
    if not path.is_file():
        return 0
    data = path.read_bytes()
    if not data or data.endswith(b"\n"):
        return 0
    keep = data.rfind(b"\n") + 1
    with open(path, "r+b") as fh:
        fh.truncate(keep)
    return len(data) - keep


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """The records of ``path`` in file order, the first of each key kept; a torn last line is ignored, a bad line
    elsewhere raises :class:`DatasetError` naming it. A missing file gives ``[]``."""
    path = Path(path)
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").split("\n")
    out, seen = [], set()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            if i == len(lines) - 1:  # the torn last line of a killed run
                break
            raise DatasetError(f"{path}: line {i + 1}: expected a JSON record, got {line[:60]!r}") from None
        key = json.dumps(record.get("key")) if isinstance(record, dict) else None
        if key is None or not isinstance(record.get("key"), list):
            raise DatasetError(f"{path}: line {i + 1}: expected a record with a key list, got {line[:60]!r}")
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out


# --- actions as the text a model writes ------------------------------------------------------------------------
def action_text(action: Any, fmt: str, fenced: bool = False) -> str:
    """The text a model should write for ``action`` of action format ``fmt``: DSL and tool-call JSON as they are
    (DSL in a ``python`` fence when ``fenced``), a point action ``{"point": (u, v) in [0, 1], "asset": text}`` as a
    Molmo tag with 0-100 coordinates to one decimal (``"done"`` as ``done``)."""
    if fmt == "point":
        if not isinstance(action, Mapping) or "point" not in action or "asset" not in action:
            raise DatasetError(f"action: expected a point action {{'point', 'asset'}}, got {action!r:.80}")
        asset = " ".join(str(action["asset"]).replace('"', "'").replace("<", " ").split())
        if asset.lower() == "done":
            return "done"
        u, v = (float(c) for c in np.asarray(action["point"], dtype=float).reshape(2))
        return f'<point x="{100 * u:.1f}" y="{100 * v:.1f}" alt="{asset}">{asset}</point>'
    if not isinstance(action, str):
        raise DatasetError(f"action: expected text for action format {fmt!r}, got {type(action).__name__}")
    return f"```python\n{action}\n```" if fenced and fmt == "dsl" else action


# --- rows: chat-format prompt/completion ------------------------------------------------------------------------
def chat_row(observation: Mapping[str, Any], completion: str, fmt: str, prompt_config, image: Any = None,
             takes_images: bool = False) -> dict[str, Any]:  # fmt: skip
    """One conversational prompt/completion row for the observation's text fields and the completion text, in
    the policy's own prompt (:func:`scene_gym.agents.prompts.build_messages`, without in-context examples).
    ``image`` ((H, W, 3) uint8 array or a PNG path) is attached as ``images`` when ``takes_images``."""
    from PIL import Image

    from scene_gym.agents.prompts import build_messages, to_hf, to_text_only

    obs = dict(observation)
    obs.pop("image", None)
    pil = None
    if takes_images and image is not None:
        pil = Image.open(image).convert("RGB") if isinstance(image, str | Path) else Image.fromarray(np.asarray(image))
        obs["image"] = np.asarray(pil)
    messages = build_messages(obs, fmt, (), (), prompt_config)
    if pil is not None:
        prompt, images = to_hf(messages)
        return {"prompt": prompt, "completion": [{"role": "assistant", "content": [{"type": "text", "text": completion}]}],
                "images": images}  # fmt: skip
    return {"prompt": to_text_only(messages), "completion": [{"role": "assistant", "content": completion}]}


@dataclass
class LengthStats:
    """Token lengths of a set of rows under one tokenizer.

    Attributes:
        rows: rows measured.
        prompt_tokens, completion_tokens: (N,) int token counts per row.
        max_length: the SFT sequence limit chosen (tokens): the longest row, capped at the caller's cap.
        truncated: rows longer than ``max_length`` (their completion is cut).
        dropped: rows whose prompt alone reaches ``max_length`` (no completion token would be trained).
    """

    rows: int
    prompt_tokens: list[int]
    completion_tokens: list[int]
    max_length: int
    truncated: int
    dropped: int

    def summary(self) -> dict[str, Any]:
        """JSON-ready medians, maxima and the counts."""
        total = np.asarray(self.prompt_tokens) + np.asarray(self.completion_tokens) if self.rows else np.zeros(1)
        return {"rows": self.rows, "max_length": self.max_length, "truncated": self.truncated,
                "dropped": self.dropped, "median_tokens": float(np.median(total)), "max_tokens": int(total.max()),
                "median_completion_tokens": float(np.median(self.completion_tokens or [0]))}  # fmt: skip


def _text_of(messages: Sequence[Mapping[str, Any]]) -> list[dict]:
    out = []
    for m in messages:
        c = m["content"]
        out.append({"role": m["role"], "content": c if isinstance(c, str) else
                    [dict(p) for p in c if p.get("type") in ("text", "image")]})  # fmt: skip
    return out


def length_stats(rows: Sequence[Mapping[str, Any]], template_owner, tokenizer, cap: int = 4096,
                 image_tokens: int = 0) -> LengthStats:  # fmt: skip
    """Token lengths of ``rows`` rendered with ``template_owner.apply_chat_template`` (the processor for VLMs)
    and counted with ``tokenizer``; ``image_tokens`` is added per image. ``max_length`` is the longest row (in
    tokens), at most ``cap``."""
    prompts, completions = [], []
    for row in rows:
        prompt = _text_of(row["prompt"])
        full = template_owner.apply_chat_template(prompt + _text_of(row["completion"]), tokenize=False)
        head = template_owner.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
        n_img = len(row.get("images") or ()) * int(image_tokens)
        p = len(tokenizer(head, add_special_tokens=False)["input_ids"]) + n_img
        prompts.append(p)
        completions.append(max(0, len(tokenizer(full, add_special_tokens=False)["input_ids"]) + n_img - p))
    longest = max((p + c for p, c in zip(prompts, completions, strict=True)), default=1)
    limit = int(min(longest, cap))
    truncated = sum(p + c > limit for p, c in zip(prompts, completions, strict=True))
    dropped = sum(p >= limit for p in prompts)
    return LengthStats(len(rows), prompts, completions, limit, truncated, dropped)


def keep_trainable(rows: Iterable[dict], stats: LengthStats) -> list[dict]:
    """The rows of ``stats`` whose prompt leaves room for at least one completion token under its max_length."""
    return [r for r, p in zip(rows, stats.prompt_tokens, strict=True) if p < stats.max_length]


def write_rows(path: str | Path, rows: Sequence[Mapping[str, Any]], image_dir: str | Path | None = None) -> Path:
    """Write rows as JSON lines (images saved as PNGs under ``image_dir`` and referenced by path)."""
    from scene_gym.scene.io import atomic_write

    lines = []
    for i, row in enumerate(rows):
        out = {k: v for k, v in row.items() if k != "images"}
        if row.get("images"):
            if image_dir is None:
                raise DatasetError("write_rows: rows hold images, expected image_dir")
            paths = []
            for j, img in enumerate(row["images"]):
                p = Path(image_dir) / f"row_{i}_{j}.png"
                p.parent.mkdir(parents=True, exist_ok=True)
                img.save(p)
                paths.append(str(p))
            out["images"] = paths
        lines.append(json.dumps(out, ensure_ascii=False))
    return atomic_write(path, "\n".join(lines) + ("\n" if lines else ""))


def to_hf_dataset(rows: Sequence[Mapping[str, Any]]):
    """A ``datasets.Dataset`` of rows (images kept as PIL images)."""
    from datasets import Dataset

    if not rows:
        raise DatasetError("expected at least one training row, got none")
    return Dataset.from_list([dict(r) for r in rows])
