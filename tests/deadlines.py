"""A wall-clock guard for tests of hostile input: a hang fails the test instead of blocking the run."""

from __future__ import annotations

import contextlib
import signal


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (rather than block the run) when the body takes longer than ``seconds`` (SIGALRM; main thread)."""

    def _fail(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, _fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
