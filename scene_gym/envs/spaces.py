"""Text spaces that carry any Unicode, and the text caps of every scene env.

Gymnasium's :class:`~gymnasium.spaces.Text` holds strings over an explicit character set and writes them to
async vector envs' shared memory as indices into that set. Prompts, feedback and materials in scene-gym are any
Unicode ("gemütliches 卧室", "crème oak"), so :class:`UnicodeText` accepts every code point but NUL and the
surrogates, and registers its own shared-memory layout (one int32 code point per character, 0 as padding) with
Gymnasium's vector utilities, read back live by :class:`SharedTexts`. ``gym.make_vec(id, n,
vectorization_mode="async")`` therefore returns exactly the observations a sync vector env returns, with the
default ``shared_memory=True``.

Every text field is cut to its space's ``max_length`` by :func:`clean_text` (a trailing ``" ...[cut]"`` marks
the cut), so observations are always members of their spaces.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector.utils import shared_memory as _shm

from scene_gym.actions.limits import CALLS_MAX_CHARS, DSL_MAX_CHARS, LABEL_MAX_CHARS, POINT_MAX_CHARS
from scene_gym.errors import SceneGymError

#: Characters :meth:`UnicodeText.sample` draws from (membership accepts far more: any code point but NUL and
#: surrogates).
SAMPLE_CHARSET = string.ascii_letters + string.digits + " .,;:()[]{}\"'=_-\n" + "äöüéèçñß卧室"

PROMPT_MAX = 1024
"""Characters of a prompt observation."""
FEEDBACK_MAX = 8192
"""Characters of feedback and review observations."""
SCENE_MAX = 32768
"""Characters of the scene written in the DSL."""
# The action caps are the caps of the parsers behind them (:mod:`scene_gym.actions.limits`), one number each.
ACTION_MAX = DSL_MAX_CHARS
"""Characters of a scene-DSL program (``SceneSynth-v1``'s action): longer text is refused before parsing."""
CALLS_MAX = CALLS_MAX_CHARS
"""Characters of a tool-call action (trajectory and tool-step envs): longer text is refused before parsing."""
POINT_MAX = POINT_MAX_CHARS
"""Characters of Molmo pointing text (:class:`~scene_gym.envs.wrappers.MolmoPointAction`'s action)."""
ASSET_TEXT_MAX = LABEL_MAX_CHARS
"""Characters of an asset description (``SceneSynthAsset-v2``'s ``asset`` field, a point's description)."""

_CUT = " ...[cut]"
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


class UnicodeText(spaces.Text):
    """A :class:`~gymnasium.spaces.Text` space whose members are any ``str`` of ``min_length`` to
    ``max_length`` characters without NUL or lone surrogates. ``sample()`` draws from :data:`SAMPLE_CHARSET`."""

    def __init__(self, max_length: int, *, min_length: int = 0, seed: Any = None):
        super().__init__(max_length=max_length, min_length=min_length, charset=SAMPLE_CHARSET, seed=seed)

    def contains(self, x: Any) -> bool:
        return (isinstance(x, str) and self.min_length <= len(x) <= self.max_length
                and _FORBIDDEN.search(x) is None)  # fmt: skip

    def __repr__(self) -> str:
        return f"UnicodeText({self.min_length}, {self.max_length})"

    def __eq__(self, other: Any) -> bool:
        return (isinstance(other, UnicodeText) and self.min_length == other.min_length
                and self.max_length == other.max_length)  # fmt: skip

    __hash__ = None  # type: ignore[assignment]  # mutable seed state, as Gymnasium's spaces


def text_space(max_length: int) -> UnicodeText:
    """A :class:`UnicodeText` space with ``min_length=0``."""
    return UnicodeText(max_length)


def clean_text(text: Any, max_length: int) -> str:
    """``text`` made a member of :func:`text_space` (``max_length``): NUL and lone surrogates become U+FFFD,
    and text longer than ``max_length`` is cut, ending in ``" ...[cut]"``."""
    out = _FORBIDDEN.sub("\ufffd", str(text))
    if len(out) > max_length:
        out = out[: max_length - len(_CUT)] + _CUT
    return out


def action_text(action: Any, limit: int) -> str:
    """A text action as ``str`` (bytes decoded as UTF-8, 0-d numpy string arrays unwrapped), or
    :class:`SceneGymError` naming what came instead; text over ``limit`` characters is refused before any
    parsing."""
    if isinstance(action, np.ndarray) and action.shape == () and action.dtype.kind in "US":
        action = action.item()
    if isinstance(action, bytes | bytearray):
        action = bytes(action).decode("utf-8", errors="replace")
    if not isinstance(action, str):
        raise SceneGymError(f"expected the action as text (str), got {type(action).__name__}")
    if len(action) > limit:
        raise SceneGymError(f"expected at most {limit} characters of action text, got {len(action)}")
    return action


# --- async vector envs: one int32 code point per character in shared memory --------------------------------
@_shm.create_shared_memory.register(UnicodeText)
def _create(space: UnicodeText, n: int = 1, ctx: Any = None):
    import multiprocessing as mp

    return (ctx or mp).Array(np.dtype(np.int32).char, n * space.max_length)


class SharedTexts(Sequence):
    """The texts of ``n`` envs in an async vector env's shared memory, decoded whenever they are read.

    Gymnasium reads a shared-memory buffer once, when the vector env is built, and returns that object after
    every step; for Box spaces it is a live numpy view, so a tuple of strings would stay empty forever. This
    sequence stays live, and ``copy.deepcopy`` (what ``AsyncVectorEnv(copy=True)``, the default, returns)
    turns it into the plain ``tuple[str, ...]`` a sync vector env returns."""

    def __init__(self, space: UnicodeText, shared_memory, n: int):
        self._codes = np.frombuffer(shared_memory.get_obj(), dtype=np.int32).reshape((n, space.max_length))

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        row = self._codes[index]
        zeros = np.flatnonzero(row == 0)
        end = int(zeros[0]) if len(zeros) else len(row)
        return row[:end].astype("<u4").tobytes().decode("utf-32-le")

    def __deepcopy__(self, memo) -> tuple[str, ...]:
        return tuple(self)

    def __repr__(self) -> str:
        return f"SharedTexts({tuple(self)!r})"


@_shm.read_from_shared_memory.register(UnicodeText)
def _read(space: UnicodeText, shared_memory, n: int = 1) -> SharedTexts:
    return SharedTexts(space, shared_memory, n)


@_shm.write_to_shared_memory.register(UnicodeText)
def _write(space: UnicodeText, index: int, value: str, shared_memory) -> None:
    size = space.max_length
    dest = np.frombuffer(shared_memory.get_obj(), dtype=np.int32)[index * size : (index + 1) * size]
    codes = np.frombuffer(value.encode("utf-32-le"), dtype="<u4").astype(np.int32)
    dest[: len(codes)] = codes
    dest[len(codes) :] = 0


__all__ = ["ACTION_MAX", "ASSET_TEXT_MAX", "CALLS_MAX", "FEEDBACK_MAX", "POINT_MAX", "PROMPT_MAX", "SCENE_MAX",
           "UnicodeText", "action_text", "clean_text", "text_space"]  # fmt: skip
