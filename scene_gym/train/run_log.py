"""Run logs shared by the trainers: one JSON-lines event log (``log.jsonl``, appended, survives a kill), optional
TensorBoard scalars (``tb/``; skipped with a note when tensorboard is not installed) and progress bars (tqdm)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any


class RunLog:
    """Events and scalars of one run under ``run_dir``.

    Args:
        run_dir: the run's folder.
        tensorboard: write TensorBoard scalars to ``run_dir/tb``.
        progress: show progress bars.
    """

    def __init__(self, run_dir: str | Path, tensorboard: bool = True, progress: bool = True):
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.run_dir / "log.jsonl"
        self.progress = progress
        self._writer = None
        if tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter

                self._writer = SummaryWriter(str(self.run_dir / "tb"))
            except ImportError:
                self.event("note", message="tensorboard is not installed (pip install 'scene-gym[train]'): no tb/")

    def event(self, kind: str, **fields: Any) -> None:
        """Append ``{"t": unix seconds, "event": kind, **fields}`` to ``log.jsonl``."""
        line = json.dumps({"t": round(time.time(), 3), "event": kind, **fields}, default=str)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def scalar(self, tag: str, value: float, step: int) -> None:
        """One TensorBoard scalar (no-op without tensorboard)."""
        if self._writer is not None:
            self._writer.add_scalar(tag, float(value), int(step))
            self._writer.flush()

    def bar(self, total: int, desc: str, initial: int = 0):
        """A tqdm progress bar (disabled when progress is off)."""
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, initial=initial, disable=not self.progress, leave=False)

    def close(self) -> None:
        """Flush and close TensorBoard."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
