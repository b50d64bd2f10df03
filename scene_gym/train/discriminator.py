"""SceneOrchestra's discriminator: shown several candidate trajectories for one instruction, it answers the index of
the one that builds the best scene, without executing any of them.

- :func:`candidate_messages`: the chat. The user turn is the instruction's observation (as the orchestrator sees it)
  and the candidates, numbered from 0: in the ``compact`` prompt style one line per call with its tool and short
  arguments (``add_objects bed 1``: relations, sizes and materials left out), in the ``full`` style the calls'
  JSON.
- :func:`discriminator_sets`: sets of 4 rollouts of one instruction instance (same prompt, seed and room), drawn
  without replacement; a set whose four scores are not all distinct (within 1e-6) is a tie, dropped and counted.
  The score is :meth:`~scene_gym.train.orchestra_rollouts.OrchestraRollout.score`: final C, or -1 for a plan the
  env refused or a text that did not parse.
- :func:`discriminator_rows`: SFT rows (TRL's conversational prompt/completion), candidates shuffled, the completion
  the best one's index (``"2"``).
- :func:`parse_choice`: the first integer of the answer's first 200 characters, checked to be an index; anything
  else raises :class:`DiscriminatorError` naming the text.
- :func:`choose` / :func:`evaluate_discriminator`: greedy answers of a trained checkpoint; top-1 accuracy with a
  Wilson 95% interval (:func:`wilson_interval`) next to chance (1/4) and the most-objects rule (the candidate whose
  ``add_objects``/``define_object``/``add_crowd`` counts sum highest, the first on ties).
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.errors import SceneGymError
from scene_gym.train.orchestra_rollouts import OrchestraRollout

#: Candidates per set (SceneOrchestra: 4).
CANDIDATES = 4
#: Characters of an answer that :func:`parse_choice` reads.
ANSWER_CHARS = 200
SYSTEM = ("You compare plans (lists of tool calls) that would furnish the same room for the same instruction. "
          "Answer with the number of the plan that builds the best scene, and nothing else.")  # fmt: skip
_INT = re.compile(r"[0-9]+")
_SHORT_ARGS = ("category", "count", "parent", "receptacle", "room_type", "name")


class DiscriminatorError(SceneGymError):
    """A bad argument to the discriminator, or an answer that names no candidate (the message quotes it)."""


def _prompt_config(prompt_config):
    from scene_gym.agents.prompts import PromptConfig

    return prompt_config if prompt_config is not None else PromptConfig(style="compact", include_images=False,
                                                                        max_examples=0)  # fmt: skip


def call_line(call: Any) -> str:
    """One call as a short line: the tool and the values of its :data:`_SHORT_ARGS` and ``categories`` arguments
    (lists joined by ``/``, at most 4 items): ``add_objects bed 1``, ``add_crowd shelf_1 book/vase 5``."""
    if not isinstance(call, Mapping):
        return f"?{json.dumps(call)[:60]}"
    args = call.get("args") if isinstance(call.get("args"), Mapping) else {}
    parts = [str(call.get("tool", "?"))]
    for key in (*_SHORT_ARGS, "categories"):
        if key in args:
            v = args[key]
            parts.append("/".join(map(str, v[:4])) if isinstance(v, list) else str(v))
    return " ".join(parts)


def candidate_text(calls: Sequence[Any], prompt_config) -> str:
    """A candidate as the discriminator reads it: call lines (compact) or JSON (full); ``(empty plan)`` for none."""
    if not calls:
        return "(empty plan)"
    if prompt_config.compact:
        return "\n".join(call_line(c) for c in calls)
    return json.dumps(list(calls))


def candidate_messages(prompt_observation: Mapping[str, Any], candidates: list[list[dict]],
                       prompt_config=None) -> list[dict]:  # fmt: skip
    """The discriminator's chat (text-only messages) for an instruction's first observation (its ``prompt`` and
    ``scene`` text) and candidate call lists, numbered from 0."""
    from scene_gym.agents.prompts import observation_text

    config = _prompt_config(prompt_config)
    if not isinstance(prompt_observation, Mapping) or "prompt" not in prompt_observation:
        raise DiscriminatorError(f"prompt_observation: expected an observation with a prompt, got "
                                 f"{prompt_observation!r:.80}")  # fmt: skip
    if (
        not isinstance(candidates, list)
        or len(candidates) < 2
        or not all(isinstance(c, list) for c in candidates)
    ):
        raise DiscriminatorError(f"candidates: expected at least 2 lists of calls, got {candidates!r:.80}")
    head = observation_text(prompt_observation, "trajectory", config)
    if not config.compact:
        head = head.rsplit("\n\n", 1)[0]  # drop the orchestrator's answer-format line
    plans = "\n\n".join(f"Plan {i}:\n{candidate_text(c, config)}" for i, c in enumerate(candidates))
    ask = f"Which plan is best? Answer with its number (0-{len(candidates) - 1})."
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": f"{head}\n\n{plans}\n\n{ask}"}]


def parse_choice(text: str, n: int) -> int:
    """The candidate index (0 <= i < ``n``) an answer names: its first integer within :data:`ANSWER_CHARS`
    characters. Raises :class:`DiscriminatorError` quoting the text when there is none or it is out of range."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise DiscriminatorError(f"n: expected the number of candidates (an integer >= 1), got {n!r}")
    if not isinstance(text, str):
        raise DiscriminatorError(f"answer: expected text, got {type(text).__name__}")
    m = _INT.search(text[:ANSWER_CHARS])
    if m is None or len(m.group(0)) > 6 or not 0 <= int(m.group(0)) < n:
        raise DiscriminatorError(f"answer: expected a plan number in 0-{n - 1}, got {text[:80]!r}")
    return int(m.group(0))


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a binomial share ``successes / n`` at confidence ``level`` (two-sided), as
    (low, high) in [0, 1]."""
    for name, v in (("successes", successes), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0:
            raise DiscriminatorError(f"{name}: expected an integer >= 0, got {v!r}")
    if n == 0 or successes > n:
        raise DiscriminatorError(f"successes/n: expected 0 <= successes <= n and n >= 1, got {successes}/{n}")
    if isinstance(level, bool) or not isinstance(level, float | int) or not 0 < level < 1:
        raise DiscriminatorError(f"level: expected a confidence in (0, 1), got {level!r}")
    z = statistics.NormalDist().inv_cdf(0.5 + level / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def object_count(calls: Sequence[Any]) -> int:
    """Objects a plan asks for: the ``count`` (default 1) of each ``add_objects``, ``define_object`` and
    ``add_crowd`` call (``init_layout``'s room prior is not counted)."""
    total = 0
    for c in calls:
        if isinstance(c, Mapping) and c.get("tool") in ("add_objects", "define_object", "add_crowd"):
            count = (c.get("args") or {}).get("count", 1) if isinstance(c.get("args"), Mapping) else 1
            total += count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0
    return total


def most_objects_choice(candidates: Sequence[Sequence[Any]]) -> int:
    """The most-objects rule: the index of the candidate with the highest :func:`object_count` (first on ties)."""
    counts = [object_count(c) for c in candidates]
    return counts.index(max(counts))


def discriminator_sets(groups: list[list[OrchestraRollout]], seed: int,
                       size: int = CANDIDATES) -> tuple[list[dict], dict[str, int]]:  # fmt: skip
    """Candidate sets (module docstring): ``{"observation", "candidates": [calls] x size, "scores", "best"}`` with
    candidates in random order, and counts ``groups``, ``sets`` (kept), ``ties`` (dropped) and ``short_groups``
    (fewer than ``size`` rollouts)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 2:
        raise DiscriminatorError(f"size: expected an integer >= 2, got {size!r}")
    if not isinstance(groups, list):
        raise DiscriminatorError(f"groups: expected a list of lists of rollouts, got {type(groups).__name__}")
    rng = np.random.default_rng(seed)
    sets, ties, short = [], 0, 0
    for g, members in enumerate(groups):
        if not isinstance(members, list) or not all(isinstance(r, OrchestraRollout) for r in members):
            raise DiscriminatorError(f"groups[{g}]: expected a list of OrchestraRollout")
        if len({r.group for r in members}) > 1:
            raise DiscriminatorError(f"groups[{g}]: expected rollouts of one instruction instance, got "
                                     f"{len({r.group for r in members})} different prompts/seeds/rooms")  # fmt: skip
        short += len(members) < size
        order = rng.permutation(len(members))
        for start in range(0, len(members) - size + 1, size):
            chosen = [members[i] for i in order[start : start + size]]
            scores = [r.score() for r in chosen]
            if min(abs(a - b) for i, a in enumerate(scores) for b in scores[i + 1 :]) <= 1e-6:
                ties += 1
                continue
            sets.append({"observation": dict(chosen[0].observation), "candidates": [list(r.calls) for r in chosen],
                         "scores": scores, "best": int(np.argmax(scores))})  # fmt: skip
    return sets, {"groups": len(groups), "sets": len(sets), "ties": ties, "short_groups": int(short)}


def group_rollouts(rollouts: Sequence[OrchestraRollout]) -> list[list[OrchestraRollout]]:
    """Rollouts grouped by instruction instance (prompt, seed, room), in first-seen order."""
    groups: dict[str, list[OrchestraRollout]] = {}
    for r in rollouts:
        groups.setdefault(r.group, []).append(r)
    return list(groups.values())


def discriminator_rows(groups: list[list[OrchestraRollout]], seed: int, *,
                       prompt_config=None) -> tuple[list[dict], dict[str, int]]:  # fmt: skip
    """SFT rows ``{"prompt": candidate_messages(...), "completion": [the best index]}`` of
    :func:`discriminator_sets` and its counts (ties dropped and counted)."""
    sets, counts = discriminator_sets(groups, seed)
    rows = [{"prompt": candidate_messages(s["observation"], s["candidates"], prompt_config),
             "completion": [{"role": "assistant", "content": str(s["best"])}]} for s in sets]  # fmt: skip
    return rows, counts


# --- a trained discriminator ------------------------------------------------------------------------------------
_LOADED: dict[tuple[str, str], Any] = {}


def _load(model_path: str | Path, device: str):
    from scene_gym.llm.local_models import load_checkpoint
    from scene_gym.train.sft import resolve_device

    key = (str(Path(model_path).resolve()), resolve_device(device))
    if key not in _LOADED:
        _LOADED.clear()  # one discriminator in memory at a time
        _LOADED[key] = load_checkpoint(model_path, device=key[1])
    return _LOADED[key]


def answers(model_path: str | Path, chats: list[list[dict]], *, device: str = "auto", batch_size: int = 16,
            max_new_tokens: int = 4) -> list[str]:  # fmt: skip
    """Greedy answers of the checkpoint at ``model_path`` to discriminator chats, in batches."""
    from scene_gym.agents.vlm.generation import generate

    loaded = _load(model_path, device)
    out: list[str] = []
    for i in range(0, len(chats), batch_size):
        out += [
            g[0].text
            for g in generate(loaded, chats[i : i + batch_size], 1, 0.0, max_new_tokens=max_new_tokens)
        ]
    return out


def choose(model_path: str | Path, prompt_observation: Mapping[str, Any], candidates: list[list[dict]], *,
           prompt_config=None, device: str = "auto") -> int:  # fmt: skip
    """The index a trained discriminator picks among ``candidates`` (greedy); :class:`DiscriminatorError` when its
    answer names none."""
    text = answers(
        model_path, [candidate_messages(prompt_observation, candidates, prompt_config)], device=device
    )[0]
    return parse_choice(text, len(candidates))


def evaluate_discriminator(model_path: str | Path, groups: list[list[OrchestraRollout]], seed: int, *,
                           prompt_config=None, device: str = "auto") -> dict[str, Any]:  # fmt: skip
    """Top-1 accuracy of a trained discriminator on the held-out :func:`discriminator_sets` of ``groups``:
    ``accuracy`` with its Wilson 95% ``ci_low``/``ci_high``, ``chance`` (1/4), ``most_objects_accuracy`` with its
    interval, ``unparsed`` (answers naming no plan, counted wrong), ``above_chance`` (the interval's lower bound
    above chance), and the set counts (``sets``, ``ties``, ``groups``, ``short_groups``)."""
    sets, counts = discriminator_sets(groups, seed)
    if not sets:
        raise DiscriminatorError(f"groups: expected at least one {CANDIDATES}-candidate set without ties, got none "
                                 f"({counts})")  # fmt: skip
    chats = [candidate_messages(s["observation"], s["candidates"], prompt_config) for s in sets]
    texts = answers(model_path, chats, device=device)
    right = unparsed = 0
    for s, text in zip(sets, texts, strict=True):
        try:
            right += parse_choice(text, CANDIDATES) == s["best"]
        except DiscriminatorError:
            unparsed += 1
    rule = sum(most_objects_choice(s["candidates"]) == s["best"] for s in sets)
    n = len(sets)
    low, high = wilson_interval(right, n)
    rlow, rhigh = wilson_interval(rule, n)
    return {**counts, "accuracy": right / n, "ci_low": low, "ci_high": high, "chance": 1 / CANDIDATES,
            "above_chance": low > 1 / CANDIDATES, "most_objects_accuracy": rule / n, "most_objects_ci_low": rlow,
            "most_objects_ci_high": rhigh, "unparsed": unparsed, "answers": texts}  # fmt: skip
