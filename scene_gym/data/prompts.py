"""Prompt suites as Hugging Face datasets: one row per (suite entry, seed), split into ``train`` and ``eval`` by
entry, in the conversational shape TRL's trainers read (``GRPOTrainer(train_dataset=...)`` takes a split as is).

Example::

    from scene_gym.data import load_prompt_dataset

    ds = load_prompt_dataset("rooms-50", kind="dsl", eval_fraction=0.2, seed=0)
    ds["train"][0]["prompt"]   # [{"role": "system", ...}, {"role": "user", "content": "Task: ..."}]

Columns (every row, every kind):

=================  =======================================================================================
``prompt``         the chat a policy sees for the env's first observation: ``[system, user]`` messages with
                   string content (:func:`scene_gym.agents.prompts.build_messages`, text only, no
                   in-context examples; ``style="compact"`` for short prompts)
``task_id``        the suite entry's id (str)
``task_prompt``    the entry's task text (str)
``suite``          the suite's name (str)
``seed``           the suite seed of this row (int, ``0 .. seeds - 1``)
``episode_seed``   the seed given to ``env.reset`` (int in [0, 2**32), derived from (seed, entry id) as the
                   benchmark runner derives it)
``kind``           the env kind's short name (``"scene"``, ``"trajectory"``, ``"toolstep"``, ``"asset"``)
``info``           JSON text of ``{"suite", "task_id", "prompt", "seed", "episode_seed", "kind", "env_id",
                   "spec", "start"}``: ``spec`` is the entry's task spec (``scene-gym/task-spec`` dict),
                   ``start`` the starting state (``{"scene": scene JSON dict}`` for room suites,
                   ``{"receptacle", "prompt"}`` for the asset suite). Kept as text so every suite and kind has
                   one Arrow schema; :func:`row_start` turns it back into ``env.reset`` arguments.
=================  =======================================================================================

``kind`` accepts an env kind name or ``"dsl"`` (the ``scene`` kind, ``SceneSynth-v1``). Room suites
(``template``, ``complex``, ``rooms-50``) load for ``scene``/``trajectory``/``toolstep``; the ``asset`` suite for
``asset``. For ``toolstep`` the system prompt asks for function calls (the tools come as schemas from the chat
template, e.g. through :class:`scene_gym.integrations.trl.SceneToolEnvironment`) unless ``function_calling`` is
off. The split is by entry (all seeds of an entry in one split), drawn with ``seed``; ``eval`` holds
``max(1, round(eval_fraction * entries))`` entries.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np

from scene_gym.errors import SceneGymError

#: ``kind`` aliases: the action format ``dsl`` names the ``scene`` kind.
KIND_ALIASES = {"dsl": "scene"}

FUNCTION_CALLING_SYSTEM = (
    "You are an interior designer who builds a 3D room by calling the tools you are given and reading the review "
    "each call returns. Call one tool at a time; call terminate when the room is complete. Room frame: metres, "
    "origin at the south-west floor corner, x east, y north; yaw in degrees, 0 = the object's front faces north."
)
"""The ``toolstep`` system prompt with ``function_calling`` (tools are offered as schemas, not as text)."""


class PromptDatasetError(SceneGymError):
    """A prompt-dataset argument or row is malformed; the message names the field and the value."""


def resolve_kind(kind: str):
    """The :class:`~scene_gym.envs.kinds.EnvKind` for ``kind`` (a kind name, Gymnasium id, or ``"dsl"``)."""
    import scene_gym  # noqa: F401 - registers the env kinds
    from scene_gym.envs.kinds import get_kind

    try:
        return get_kind(KIND_ALIASES.get(kind, kind) if isinstance(kind, str) else kind)
    except SceneGymError as err:
        raise PromptDatasetError(f"kind: expected 'dsl' or an env kind name, got {kind!r} ({err})") from None


def _check_args(eval_fraction: Any, seeds: Any, seed: Any) -> None:
    if (
        isinstance(eval_fraction, bool)
        or not isinstance(eval_fraction, int | float)
        or not 0 < eval_fraction < 1
    ):
        raise PromptDatasetError(f"eval_fraction: expected a number in (0, 1), got {eval_fraction!r}")
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= 1000:
        raise PromptDatasetError(f"seeds: expected an integer in [1, 1000], got {seeds!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise PromptDatasetError(f"seed: expected an integer >= 0, got {seed!r}")


def start_data(options: dict[str, Any]) -> dict[str, Any]:
    """``env.reset`` options (:func:`scene_gym.benchmarks.episode.starting_options`) as JSON-ready data."""
    if "scene" in options:
        return {"scene": json.loads(options["scene"].to_json())}
    return {k: options[k] for k in ("receptacle", "prompt")}


def row_start(info: str | dict) -> tuple[int, dict[str, Any]]:
    """(episode seed, ``env.reset`` options) of a row's ``info`` (its JSON text or the decoded dict). A
    malformed ``info`` raises :class:`PromptDatasetError` naming the field; the scene is read with
    :meth:`scene_gym.scene.Scene.from_json` (size, nesting and numbers checked)."""
    from scene_gym.scene import Scene

    if isinstance(info, str):
        try:
            info = json.loads(info)
        except ValueError:
            raise PromptDatasetError(f"info: expected JSON text, got {info[:60]!r}") from None
    if not isinstance(info, dict):
        raise PromptDatasetError(f"info: expected a JSON object, got {type(info).__name__}")
    seed, start = info.get("episode_seed"), info.get("start")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise PromptDatasetError(f"info.episode_seed: expected an integer in [0, 2**32), got {seed!r:.60}")
    if not isinstance(start, dict):
        raise PromptDatasetError(f"info.start: expected an object, got {start!r:.60}")
    if "scene" in start:
        try:
            return seed, {"scene": Scene.from_json(json.dumps(start["scene"]))}
        except (SceneGymError, TypeError, ValueError) as err:
            raise PromptDatasetError(f"info.start.scene: expected a scene, got an error: {err}") from None
    receptacle, prompt = start.get("receptacle"), start.get("prompt")
    if not isinstance(receptacle, str) or not isinstance(prompt, str):
        raise PromptDatasetError(
            f"info.start: expected a scene or a receptacle and prompt, got {start!r:.60}"
        )
    return seed, {"receptacle": receptacle, "prompt": prompt}


def first_messages(obs: dict[str, Any], kind, style: str, function_calling: bool) -> list[dict[str, str]]:
    """The text-only ``[system, user]`` chat for a first observation ``obs`` of ``kind`` (module docstring)."""
    from scene_gym.agents.prompts import ANSWER_FORMAT, PromptConfig, build_messages, to_text_only

    tool_schemas = function_calling and kind.action_format == "toolcall"
    config = PromptConfig(
        include_images=False, include_catalogue=not tool_schemas, max_examples=0, style=style
    )
    messages = to_text_only(
        build_messages({k: v for k, v in obs.items() if k != "image"}, kind.name, (), (), config)
    )
    if tool_schemas:
        messages[0] = {"role": "system", "content": FUNCTION_CALLING_SYSTEM}
        text = messages[-1]["content"]  # the JSON-answer reminder does not apply to function calls
        messages[-1] = {"role": "user", "content": text.removesuffix(ANSWER_FORMAT["toolcall"]).rstrip()}
    return messages


def prompt_rows(suite: str, kind: str = "dsl", seeds: int = 1, style: str = "full",
                function_calling: bool = True) -> list[dict[str, Any]]:  # fmt: skip
    """One row per (entry, seed) of ``suite`` for env ``kind``, entry-major, with the columns of the module
    docstring: each row's first observation comes from resetting the env (no images) on the benchmark's starting
    state for that pair."""
    import gymnasium as gym

    from scene_gym.benchmarks.episode import episode_seed, starting_options
    from scene_gym.benchmarks.suites import load_suite

    k = resolve_kind(kind)
    s = load_suite(suite)
    if k.starts_from != s.starts_from:
        raise PromptDatasetError(f"kind: expected a kind starting from a {s.starts_from} for suite {s.name!r}, got "
                                 f"{k.name!r} (starts from a {k.starts_from})")  # fmt: skip
    if style not in ("full", "compact"):
        raise PromptDatasetError(f"style: expected 'full' or 'compact', got {style!r}")
    env = gym.make(k.env_id, image_size=None).unwrapped
    rows = []
    try:
        for entry in s.entries:
            spec = entry.task_spec().to_dict()
            for sd in range(seeds):
                task = {"seed": sd, "entry": dataclasses.asdict(entry)}
                options, ep_seed = starting_options(task), episode_seed(task)
                obs, _ = env.reset(seed=ep_seed, options=options)
                info = {"suite": s.name, "task_id": entry.id, "prompt": entry.prompt, "seed": sd,
                        "episode_seed": ep_seed, "kind": k.name, "env_id": k.env_id, "spec": spec,
                        "start": start_data(options)}  # fmt: skip
                rows.append({"prompt": first_messages(obs, k, style, function_calling), "task_id": entry.id,
                             "task_prompt": entry.prompt, "suite": s.name, "seed": sd, "episode_seed": ep_seed,
                             "kind": k.name, "info": json.dumps(info, allow_nan=False)})  # fmt: skip
    finally:
        env.close()
    return rows


def split_entries(task_ids: list[str], eval_fraction: float, seed: int) -> set[str]:
    """The entry ids drawn for the eval split: ``max(1, round(eval_fraction * n))`` of the ``n`` distinct ids,
    at most ``n - 1``, drawn with ``seed``."""
    ids = list(dict.fromkeys(task_ids))
    if len(ids) < 2:
        raise PromptDatasetError(
            f"suite: expected at least 2 entries to split into train and eval, got {len(ids)}"
        )
    n_eval = min(len(ids) - 1, max(1, int(round(eval_fraction * len(ids)))))
    order = np.random.default_rng(seed).permutation(len(ids))
    return {ids[i] for i in order[:n_eval]}


def load_prompt_dataset(suite: str, kind: str = "dsl", eval_fraction: float = 0.2, seed: int = 0, seeds: int = 1,
                        style: str = "full", function_calling: bool = True):  # fmt: skip
    """A ``datasets.DatasetDict`` with ``train`` and ``eval`` splits of ``suite``'s prompts for env ``kind``.

    Args:
        suite: a built-in suite name (``template``, ``complex``, ``rooms-50``, ``asset``) or a suite file path.
        kind: ``"dsl"`` (= ``"scene"``), ``"trajectory"``, ``"toolstep"``, ``"asset"`` or another registered kind
            starting from the suite's state.
        eval_fraction: share of entries (not rows) held out, in (0, 1).
        seed: draws the split (integer >= 0).
        seeds: suite seeds per entry (rows per entry), ``0 .. seeds - 1``.
        style: ``"full"`` or ``"compact"`` prompts (:class:`~scene_gym.agents.prompts.PromptConfig`).
        function_calling: for ``toolstep``, ask for function calls (tools as schemas) instead of JSON text.

    Returns:
        ``DatasetDict(train=..., eval=...)`` with the columns of the module docstring; rows keep the suite's
        entry order within each split.
    """
    from datasets import Dataset, DatasetDict

    _check_args(eval_fraction, seeds, seed)
    rows = prompt_rows(suite, kind, seeds, style, function_calling)
    held = split_entries([r["task_id"] for r in rows], float(eval_fraction), seed)
    return DatasetDict(train=Dataset.from_list([r for r in rows if r["task_id"] not in held]),
                       eval=Dataset.from_list([r for r in rows if r["task_id"] in held]))  # fmt: skip
