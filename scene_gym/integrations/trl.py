"""scene-gym for TRL's ``GRPOTrainer`` (trl >= 1.16): reward functions that replay one-shot completions, and an
``environment_factory`` class whose methods are the tool env's tools.

**One-shot rewards.** :class:`ReplayReward` has TRL's reward-function signature ``(prompts, completions,
**columns) -> list[float]``: each completion (a string, or TRL's conversational ``[{"role": "assistant",
"content": ...}]``) is read as a DSL program (kind ``scene``, ``SceneSynth-v1``) or a JSON list of tool calls
(kind ``trajectory``, ``SceneSynthTrajectory-v1``) with :func:`scene_gym.agents.parsing.parse_action`, and stepped
once in a fresh episode of that env, reset from the row's ``info`` column (:mod:`scene_gym.data.prompts`: the
episode seed and starting room). The reward is the env's reward for that step (the change in the env's reward
value, minus ``invalid_penalty`` for what failed). Text that cannot be read is stepped as it is, so the env gives
it its invalid penalty; nothing a completion holds makes it raise. :data:`dsl_reward` and
:data:`trajectory_reward` are ready-made instances (env defaults)::

    from trl import GRPOConfig, GRPOTrainer
    from scene_gym.data import load_prompt_dataset
    from scene_gym.integrations.trl import ReplayReward

    ds = load_prompt_dataset("rooms-50", kind="dsl", style="compact")
    trainer = GRPOTrainer(model, reward_funcs=ReplayReward("dsl"), args=GRPOConfig(max_completion_length=128),
                          train_dataset=ds["train"])

**Multi-turn tools.** :class:`SceneToolEnvironment` drives ``SceneSynthToolStep-v1`` through TRL's tool loop:
``GRPOTrainer(..., environment_factory=SceneToolEnvironment, train_dataset=load_prompt_dataset(suite,
"toolstep")["train"])``. TRL calls ``reset(**row)`` (the env starts from the row's ``info``; the returned text is
appended to the user message), turns every other public method (one per tool of
:data:`scene_gym.actions.tools.TOOLS`, typed, Google-style docstrings) into a tool schema for the chat template,
calls them with the arguments the model writes and appends what they return (the env's feedback and review), and
scores the rollout with ``get_reward()`` (the episode's return). The chat template must be one TRL parses tool
calls of, e.g. Qwen2.5's (:data:`scene_gym.train.tiny.QWEN2_5_CHAT_TEMPLATE`, which tiny causal LMs get).

Helpers for trainers: :func:`completion_text`, :func:`group_spread` (the within-group reward standard deviation
GRPO's advantages divide by: a group whose spread is 0 teaches nothing) and :func:`greedy_completions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from scene_gym.errors import SceneGymError

#: Characters a strict replay reads (beyond every env action cap, so longer text is refused by the env).
MAX_STRICT_CHARS = 200_000

#: One-shot env kinds :class:`ReplayReward` replays (``dsl`` is the ``scene`` kind).
REPLAY_KINDS = {"dsl": "scene", "scene": "scene", "trajectory": "trajectory"}


class TRLIntegrationError(SceneGymError):
    """A bad argument to the TRL adapters (not a bad completion: those are scored); names the field and value."""


def completion_text(completion: Any) -> str:
    """The text of one completion: a string as it is, or the joined ``content`` of the assistant messages of a
    conversational completion (a list of ``{"role", "content"}`` dicts). Anything else gives ``""``."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence):
        parts = []
        for m in completion:
            if isinstance(m, dict) and m.get("role", "assistant") == "assistant":
                c = m.get("content")
                parts.append(c if isinstance(c, str) else "")
        return "\n".join(parts)
    return ""


class ReplayReward:
    """A TRL reward function replaying one-shot completions in a fresh env episode per completion.

    Args:
        kind: ``"dsl"`` (= ``"scene"``, ``SceneSynth-v1``) or ``"trajectory"`` (``SceneSynthTrajectory-v1``).
        reward: the env's reward spec (None: the env's default; :func:`scene_gym.rewards.as_reward`).
        invalid_penalty: subtracted for unreadable text and each failed statement (DSL) or given as the reward of
            an invalid trajectory; None keeps the env's default (DSL 0.0, trajectory -1.0).
        scale: every reward is multiplied by it (a positive number).
        strict: step exactly what the completion says (the body of its first code fence, else the whole text), so
            the env's own parser judges it; False (default) reads it as a policy does
            (:func:`~scene_gym.agents.parsing.parse_action`: prose and lines that do not start a statement are
            dropped, which a policy trained on this reward can exploit by writing such lines).
        env_kwargs: further ``gym.make`` arguments of the env (``image_size`` is always None).

    Calling it with ``(prompts, completions, info=[...], **other_columns)`` returns one float per completion;
    :attr:`history` keeps every call's rewards (a list of lists of floats) and :attr:`last_details` the last
    call's per-completion ``{"reward", "valid", "value", "error"}``.
    """

    def __init__(self, kind: str = "dsl", reward: Any = None, invalid_penalty: float | None = None,
                 scale: float = 1.0, strict: bool = False, **env_kwargs: Any):  # fmt: skip
        if kind not in REPLAY_KINDS:
            raise TRLIntegrationError(f"kind: expected one of {sorted(REPLAY_KINDS)}, got {kind!r}")
        if (
            isinstance(scale, bool)
            or not isinstance(scale, int | float)
            or not np.isfinite(scale)
            or scale <= 0
        ):
            raise TRLIntegrationError(f"scale: expected a finite number > 0, got {scale!r}")
        self.kind, self.scale, self.strict = REPLAY_KINDS[kind], float(scale), bool(strict)
        self.env_kwargs = {**env_kwargs, "image_size": None, "reward": reward, "max_steps": 1}
        if invalid_penalty is not None:
            self.env_kwargs["invalid_penalty"] = float(invalid_penalty)
        self.__name__ = f"scene_gym_{self.kind}_reward"  # TRL logs rewards under this name
        self._env = None
        self.history: list[list[float]] = []
        self.last_details: list[dict[str, Any]] = []

    @property
    def env(self):
        """The unwrapped env replays run in (built on first use)."""
        if self._env is None:
            import gymnasium as gym

            import scene_gym  # noqa: F401 - registers the env kinds
            from scene_gym.envs.kinds import get_kind

            self._env = gym.make(get_kind(self.kind).env_id, **self.env_kwargs).unwrapped
        return self._env

    def score(self, completion: Any, info: str | dict) -> dict[str, Any]:
        """Replay one completion from the start state of ``info`` (a row's ``info`` column); returns
        ``{"reward", "valid", "value", "error"}`` (reward scaled, value the env's reward value after the step).
        A malformed ``info`` raises :class:`~scene_gym.data.prompts.PromptDatasetError`."""
        from scene_gym.agents.parsing import parse_action
        from scene_gym.data.prompts import row_start

        seed, options = row_start(info)
        text = completion_text(completion)
        if self.strict:
            action = strict_action(text)
        else:
            try:
                action = parse_action(self.kind, text)
            except SceneGymError:
                action = text  # unreadable: the env refuses it and gives its invalid penalty
        self.env.reset(seed=seed, options=options)
        _, reward, _, _, step_info = self.env.step(action)
        return {"reward": self.scale * float(reward), "valid": bool(step_info["valid"]),
                "value": float(step_info["reward_value"]), "error": str(step_info["error"])[:200]}  # fmt: skip

    def __call__(
        self, prompts: list, completions: list, info: list | None = None, **columns: Any
    ) -> list[float]:
        """TRL's reward function: one float per completion, ``info`` from the dataset's ``info`` column."""
        if info is None or len(info) != len(completions):
            raise TRLIntegrationError(f"info: expected one dataset row's info per completion ({len(completions)}), "
                                      f"got {None if info is None else len(info)}")  # fmt: skip
        self.last_details = [self.score(c, i) for c, i in zip(completions, info, strict=True)]
        rewards = [d["reward"] for d in self.last_details]
        self.history.append(rewards)
        return rewards


def strict_action(text: str) -> str:
    """The action a strict replay steps: the body of the first code fence of ``text``, else ``text`` itself."""
    from scene_gym.actions.textscan import fenced_blocks

    if len(text) > MAX_STRICT_CHARS:
        return text[:MAX_STRICT_CHARS]  # over every env's cap: the env refuses it as too long
    blocks = fenced_blocks(text)
    return blocks[0][1].strip() if blocks else text.strip()


def group_spread(rewards: Sequence[float], num_generations: int) -> list[float]:
    """Standard deviation (ddof 1, as TRL's GRPO computes it) of each group of ``num_generations`` consecutive
    rewards ((N,) floats, N a multiple of ``num_generations`` >= 2): ((N / G,) floats)."""
    x = np.asarray(rewards, dtype=float)
    if isinstance(num_generations, bool) or not isinstance(num_generations, int) or num_generations < 2:
        raise TRLIntegrationError(f"num_generations: expected an integer >= 2, got {num_generations!r}")
    if x.size % num_generations:
        raise TRLIntegrationError(
            f"rewards: expected a multiple of num_generations {num_generations}, got {x.size}"
        )
    return [float(v) for v in x.reshape(-1, num_generations).std(axis=1, ddof=1)]


def greedy_completions(model, tokenizer, prompts: Sequence[list[dict]], max_new_tokens: int,
                       batch_size: int = 16) -> list[str]:  # fmt: skip
    """Greedy answers of a causal LM to conversational ``prompts`` (chat template with the generation prompt,
    left padding), at most ``max_new_tokens`` tokens each, decoded without special tokens; one string per prompt."""
    import torch

    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    out: list[str] = []
    try:
        for i in range(0, len(prompts), batch_size):
            texts = [tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False)
                     for p in prompts[i : i + batch_size]]  # fmt: skip
            enc = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(
                model.device
            )
            with torch.no_grad():
                ids = model.generate(**enc, max_new_tokens=int(max_new_tokens), do_sample=False,
                                     pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)  # fmt: skip
            out += tokenizer.batch_decode(ids[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)
    finally:
        tokenizer.padding_side = side
    return out


dsl_reward = ReplayReward("dsl")
"""A :class:`ReplayReward` for DSL programs in ``SceneSynth-v1`` (the env's default reward and penalty)."""
trajectory_reward = ReplayReward("trajectory")
"""A :class:`ReplayReward` for JSON tool-call trajectories in ``SceneSynthTrajectory-v1`` (env defaults)."""


from scene_gym.integrations.trl_tools import RoomType, SceneToolEnvironment  # noqa: E402 - re-exported

__all__ = ["REPLAY_KINDS", "ReplayReward", "RoomType", "SceneToolEnvironment", "TRLIntegrationError",
           "completion_text", "dsl_reward", "greedy_completions", "group_spread", "trajectory_reward"]  # fmt: skip
