"""The in-context library (3D-Generalist): a store of good observation -> action examples, retrieved by room type
and prompt similarity and shown to a language-model policy as few-shot turns.

Similarity is a bag-of-words cosine between prompts (lower-cased words, a few stop words dropped, a plural ``s``
stripped) plus ``room_weight`` when the room types match; no model is involved, so retrieval is deterministic and
instant. Libraries are JSON files (``{"schema": "scene-gym/icl@1", "examples": [...]}``);
:meth:`ICLLibrary.default` loads the built-in one (``icl_library.json`` beside this module, a few examples per
action format) and :meth:`ICLLibrary.add_rollout` harvests the steps of a good recorded episode.

Examples are matched by action format (:data:`scene_gym.envs.kinds.ACTION_FORMATS`): an example recorded in
``SceneSynth-v1`` (kind ``scene``, format ``dsl``) is shown to a policy acting in any kind that writes DSL,
including kinds registered later.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scene_gym.agents.base import KindLike
from scene_gym.agents.prompts import prompt_format
from scene_gym.errors import SceneGymError

SCHEMA = "scene-gym/icl@1"
DEFAULT_PATH = Path(__file__).with_name("icl_library.json")
_STOP = frozenset("a an the and or with of in on to for by at me my i please design make create room some two "
                  "three one is are be it this that".split())  # fmt: skip


class ICLError(SceneGymError):
    """An in-context library file or example is malformed; the message names the field and value."""


@dataclass(frozen=True)
class ICLExample:
    """One good example.

    Attributes:
        kind: the env kind it was recorded in (a registered kind's name: ``"scene"``, ``"asset"``,
            ``"trajectory"``, ``"toolstep"``...) or directly an action format (``"dsl"``...); retrieval matches
            on :attr:`format`.
        prompt: the task text.
        action: the answer the model should imitate, as the model writes it (DSL text, JSON tool calls, a point tag).
        room_type: the room type, or None (not used for matching).
        context: extra observation text shown with the prompt (scene excerpt, feedback), may be empty.
        score: how good the action was (reward or judge score), for sorting and filtering; None if unknown.
        source: where it came from (``"builtin"``, a rollout file...).
        meta: anything else.
    """

    kind: str
    prompt: str
    action: str
    room_type: str | None = None
    context: str = ""
    score: float | None = None
    source: str = ""
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        try:
            prompt_format(self.kind)
        except SceneGymError as err:
            raise ICLError(f"example kind: {err}") from None
        for name in ("prompt", "action"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ICLError(f"example {name}: expected non-empty text, got {value!r:.60}")
        if self.score is not None and not (isinstance(self.score, int | float) and math.isfinite(self.score)):
            raise ICLError(f"example score: expected a finite number or null, got {self.score!r}")

    @property
    def format(self) -> str:
        """The action format of :attr:`kind`."""
        return prompt_format(self.kind)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ICLExample:
        """An example from its JSON dict; unknown keys are an :class:`ICLError`."""
        if not isinstance(data, Mapping):
            raise ICLError(f"expected an example object, got {type(data).__name__}")
        known = set(cls.__dataclass_fields__)
        extra = sorted(set(data) - known)
        if extra:
            raise ICLError(f"unknown example key(s) {extra}; expected among {sorted(known)}")
        try:
            return cls(**data)
        except TypeError as err:
            raise ICLError(f"example: {err}") from None


def words(text: str) -> Counter:
    """Bag of words of ``text``: lower-case alphanumeric words without stop words, trailing plural ``s`` dropped."""
    out = Counter()
    for w in re.findall(r"[a-z0-9]+", str(text).lower()):
        if w in _STOP:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out[w] += 1
    return out


def cosine(a: Counter, b: Counter) -> float:
    """Cosine similarity of two bags of words, in [0, 1] (0 when either is empty)."""
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


class ICLLibrary:
    """A list of :class:`ICLExample` with retrieval.

    Args:
        examples: initial examples.
        room_weight: added to the similarity when the room types match (the cosine is in [0, 1]).
    """

    def __init__(self, examples: Iterable[ICLExample] = (), room_weight: float = 0.5):
        self.examples: list[ICLExample] = list(examples)
        self.room_weight = float(room_weight)
        self._bags: list[Counter] = [words(e.prompt) for e in self.examples]

    def __len__(self) -> int:
        return len(self.examples)

    def add(self, example: ICLExample) -> None:
        """Append an example."""
        if not isinstance(example, ICLExample):
            raise ICLError(f"expected an ICLExample, got {type(example).__name__}")
        self.examples.append(example)
        self._bags.append(words(example.prompt))

    def retrieve(self, kind: KindLike, prompt: str, room_type: str | None = None, k: int = 2) -> list[ICLExample]:
        """The ``k`` examples of ``kind``'s action format (``kind`` is an env kind, its name, or a format) most
        similar to ``prompt`` (cosine + ``room_weight`` for the same room type), best first; ties keep library
        order. Examples with no similarity at all still fill the list."""
        try:
            fmt = prompt_format(kind)
        except SceneGymError as err:
            raise ICLError(f"retrieve: {err}") from None
        query = words(prompt)
        scored = []
        for i, (ex, bag) in enumerate(zip(self.examples, self._bags, strict=True)):
            if ex.format != fmt:
                continue
            s = cosine(query, bag) + (self.room_weight if room_type and ex.room_type == room_type else 0.0)
            scored.append((-s, i, ex))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [ex for _, _, ex in scored[: max(0, int(k))]]

    def add_rollout(self, rollout, kind: KindLike | None = None, min_reward: float = 0.0, source: str = "") -> int:
        """Add the steps of a recorded :class:`~scene_gym.agents.rollout.Rollout` whose reward is at least
        ``min_reward`` and whose action is text, as examples of ``kind`` (default: the rollout's ``env_kind``).
        Returns how many were added."""
        from scene_gym.agents.prompts import room_type_of

        kind = kind if kind is not None else rollout.env_kind
        if kind is None:
            raise ICLError("add_rollout: expected kind= for a rollout that records no env_kind")
        kind = kind if isinstance(kind, str) else kind.name
        added = 0
        for step in rollout.steps:
            if step.reward < min_reward or not isinstance(step.action, str) or not step.action.strip():
                continue
            obs = step.observation
            self.add(ICLExample(kind, str(obs.get("prompt", "")) or "(no prompt)", step.action, room_type_of(obs),
                                score=float(step.reward), source=source or rollout.env_id))  # fmt: skip
            added += 1
        return added

    # --- files ------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """``{"schema", "examples": [...]}``, JSON-ready."""
        return {"schema": SCHEMA, "examples": [asdict(e) for e in self.examples]}

    def save(self, path: str | Path) -> Path:
        """Write the library as JSON (atomically)."""
        from scene_gym.scene.io import atomic_write

        return atomic_write(path, json.dumps(self.to_dict(), indent=1, allow_nan=False) + "\n")

    @classmethod
    def load(cls, path: str | Path, room_weight: float = 0.5) -> ICLLibrary:
        """Read a library written by :meth:`save`; a bad file raises :class:`ICLError` naming the example index."""
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise ICLError(f"cannot read in-context library {str(path)!r}: {err}") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            got = data.get("schema") if isinstance(data, dict) else type(data).__name__
            raise ICLError(f"in-context library {str(path)!r}: expected schema {SCHEMA!r}, got {got!r}")
        examples = []
        for i, raw in enumerate(data.get("examples", [])):
            try:
                examples.append(ICLExample.from_dict(raw))
            except ICLError as err:
                raise ICLError(f"in-context library {str(path)!r}, example {i}: {err}") from None
        return cls(examples, room_weight)

    @classmethod
    def default(cls) -> ICLLibrary:
        """The built-in library (:data:`DEFAULT_PATH`)."""
        return cls.load(DEFAULT_PATH)
