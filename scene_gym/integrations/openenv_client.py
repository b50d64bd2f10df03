"""Client side of scene-gym's OpenEnv environment: the typed client, a heuristic driver and an evaluation harness.

- :class:`SceneGymClient`: OpenEnv ``EnvClient`` (WebSocket, one server session per client) speaking
  :mod:`~scene_gym.integrations.openenv_types`; ``.sync()`` gives the blocking version.
- :func:`heuristic_episode`: one episode driven by scene-gym's heuristic policy from the client's observations.
- :func:`heuristic_model_step`: the same heuristic as an OpenEnv harness ``ModelStep`` (it reads the latest
  observation from the chat transcript and answers with one tool call), so OpenEnv's harness can run it where
  it would run an LLM.
- :class:`SceneGymEvalHarness`: an ``openenv.core.evals.EvalHarness`` running OpenEnv's own rollout machinery
  (``CollectRunner`` + ``MCPHarnessAdapter`` + ``StepEnvSessionAdapter``) against a served environment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scene_gym.errors import SceneGymError
from scene_gym.integrations.openenv_types import (
    EnvClient,
    EvalHarness,
    ResourceSessionFactory,
    SceneToolAction,
    SceneToolObservation,
    SceneToolState,
    StepEnvSessionAdapter,
    StepResult,
    ToolResult,
    VerifyResult,
)

SYSTEM_PROMPT = ("You build a 3D indoor scene for the user's prompt by calling one tool per turn. After each call you "
                 "get the scene (as DSL text), a review of its physics and layout, and the step's reward. Call "
                 "terminate when the scene is done.")  # fmt: skip
"""The system message of a harness episode (the tools come as the harness's tool list)."""


class SceneGymClient(EnvClient[SceneToolAction, SceneToolObservation, SceneToolState]):
    """Typed OpenEnv client of :class:`~scene_gym.integrations.openenv.SceneGymEnvironment`.

    ``SceneGymClient(base_url="http://127.0.0.1:8000")`` (async; ``.sync()`` for blocking calls):
    ``reset(seed=, prompt=, scene=, episode_id=)`` and ``step(SceneToolAction)`` return
    ``StepResult[SceneToolObservation]`` (``reward`` float, ``done`` bool); ``state()`` a :class:`SceneToolState`.
    Server-side refusals of ``reset`` arguments raise ``RuntimeError`` carrying scene-gym's message.
    """

    def _step_payload(self, action: SceneToolAction) -> dict[str, Any]:
        payload = {
            k: v
            for k, v in (("tool", action.tool), ("args", action.args), ("call", action.call))
            if v is not None
        }
        payload.update(action.model_extra or {})
        if action.metadata:
            payload["metadata"] = action.metadata
        return payload

    def _parse_result(self, payload: dict[str, Any]) -> StepResult[SceneToolObservation]:
        obs = SceneToolObservation.model_validate({**payload.get("observation", {}), "reward": payload.get("reward"),
                                                   "done": payload.get("done", False)})  # fmt: skip
        return StepResult(
            observation=obs, reward=payload.get("reward"), done=bool(payload.get("done", False))
        )

    def _parse_state(self, payload: dict[str, Any]) -> SceneToolState:
        return SceneToolState.model_validate(payload)


def _heuristic(policy: Any, seed: int, max_calls: int):
    from scene_gym.agents import make_policy

    if policy is None:
        from scene_gym.agents.heuristic import HeuristicPolicy

        return HeuristicPolicy(seed, max_calls=max_calls, kind="toolstep")
    return make_policy(policy) if isinstance(policy, str) else policy


def _call_of(candidate_action: Any) -> dict[str, Any]:
    call = json.loads(candidate_action) if isinstance(candidate_action, str) else candidate_action
    if not isinstance(call, dict) or not isinstance(call.get("tool"), str):
        raise SceneGymError(f"policy: expected one {{'tool', 'args'}} call, got {candidate_action!r:.120}")
    return {"tool": call["tool"], "args": call.get("args") or {}}


def heuristic_episode(env: Any, *, seed: int, prompt: str | None = None, policy: Any = None,
                      max_calls: int = 20) -> dict[str, Any]:  # fmt: skip
    """Drive one episode of a sync client (``SceneGymClient(...).sync()``, connected) with a policy that sees only
    the client's observations (default: scene-gym's heuristic seeded with ``seed``; or a ``make_policy`` spec).

    Returns ``{"calls": [{"tool", "args"}], "rewards": [float], "return": float, "final": SceneToolObservation,
    "state": SceneToolState}``."""
    pol = _heuristic(policy, seed, max_calls)
    pol.reset(seed, kind="toolstep")
    result = env.reset(seed=seed, **({"prompt": prompt} if prompt is not None else {}))
    calls, rewards = [], []
    while not result.done:
        call = _call_of(pol.sample(result.observation.policy_view(), 1)[0].action)
        result = env.step(SceneToolAction(**call))
        calls.append(call)
        rewards.append(float(result.reward))
    return {"calls": calls, "rewards": rewards, "return": result.observation.episode_return,
            "final": result.observation, "state": env.state()}  # fmt: skip


def heuristic_model_step(*, seed: int = 0, max_calls: int = 20, policy: Any = None):
    """An OpenEnv harness ``ModelStep`` (``(messages, tools, sampling) -> ModelStepResult``) backed by a scene-gym
    policy: it parses the latest observation (the JSON content of the last user or tool message, as
    :class:`SceneGymSessionFactory` writes them) and answers with the policy's next call as one tool call."""
    from openenv.core.harness import ModelStepResult
    from openenv.core.llm_client import LLMResponse, ToolCall

    pol = _heuristic(policy, seed, max_calls)
    pol.reset(seed, kind="toolstep")
    counter = iter(range(1 << 62))

    def model_step(
        messages: list[dict[str, Any]], tools: list[Any], sampling: dict[str, Any]
    ) -> ModelStepResult:
        view = json.loads(next(m for m in reversed(messages) if m.get("role") in ("user", "tool"))["content"])
        call = _call_of(pol.sample(view, 1)[0].action)
        tool_call = ToolCall(id=f"call_{next(counter)}", name=call["tool"], args=call["args"])
        return ModelStepResult(response=LLMResponse(content="", tool_calls=[tool_call]))

    return model_step


def _view(obs: SceneToolObservation) -> dict[str, Any]:
    return {**obs.policy_view(), "error": obs.error, "valid": obs.valid, "reward_value": obs.reward_value}


def _tool_result(name: str, arguments: dict, result: StepResult, state: Any) -> ToolResult:
    obs = result.observation
    data = {**_view(obs), "catalogue": "", "reward": result.reward, "done": result.done}
    return ToolResult(data=data, done=bool(result.done), error=obs.error or None,
                      metadata={"reward": obs.episode_return, "step_reward": result.reward})  # fmt: skip


def _verify(transcript: list, final_state: Any, last: StepResult | None, state: Any) -> VerifyResult:
    state_data = state.model_dump() if hasattr(state, "model_dump") else dict(state or {})
    reward = last.observation.episode_return if last is not None else 0.0
    metrics = {"final_q": state_data.get("reward_value"), "steps": state_data.get("step_count"),
               "minutes": state_data.get("minutes")}  # fmt: skip
    return VerifyResult(env_reward=reward, done=bool(last is not None and last.done), metrics=metrics,
                        artifacts={"final_state": state_data})  # fmt: skip


def _first_messages(result: StepResult, task: Any) -> list[dict[str, Any]]:
    obs = result.observation
    return [{"role": "system", "content": f"{SYSTEM_PROMPT}\n\n{obs.catalogue}"},
            {"role": "user", "content": json.dumps({**_view(obs), "catalogue": ""})}]  # fmt: skip


class SceneGymSessionFactory(ResourceSessionFactory):
    """OpenEnv harness sessions over a served scene-gym env: each ``create(task)`` opens a client session and
    resets it with ``task`` (``{"seed": int, "prompt": str | None}``). Tools are scene-gym's (``catalogue()``);
    every tool result carries the step's observation, with ``metadata["reward"]`` the episode's return so far,
    so the harness's episode reward is the env's return."""

    def __init__(self, base_url: str, *, message_timeout_s: float = 120.0):
        from openenv.core.env_server.mcp_types import Tool

        from scene_gym.actions.tools import catalogue

        self.base_url, self.message_timeout_s = base_url, float(message_timeout_s)
        self.tools = [Tool(name=t["function"]["name"], description=t["function"]["description"],
                           input_schema=t["function"]["parameters"]) for t in catalogue("openai")]  # fmt: skip

    def create(
        self, task: Any, seed: int | None = None, episode_id: str | None = None
    ) -> StepEnvSessionAdapter:
        """A session reset with ``task``'s seed (else ``seed``) and prompt."""
        task = dict(task or {})
        reset = {"prompt": task["prompt"]} if task.get("prompt") is not None else {}
        client = SceneGymClient(base_url=self.base_url, message_timeout_s=self.message_timeout_s)
        return StepEnvSessionAdapter(client, task=task, seed=task.get("seed", seed), episode_id=episode_id,
                                     tool_specs=self.tools, action_builder=lambda n, a: SceneToolAction(tool=n, args=a),
                                     initial_messages_builder=_first_messages, tool_result_builder=_tool_result,
                                     verify_builder=_verify, reset_kwargs=reset)  # fmt: skip


class SceneGymEvalHarness(EvalHarness):
    """OpenEnv evaluation of a policy on a served scene-gym env, with OpenEnv's own runner.

    Args:
        base_url: the server (``http://host:port``). output_dir: where ``CollectRunner`` writes ``results.jsonl``
            (one record per episode: messages, tool trace, reward) and ``metadata.json``.
        model_step: the agent as a harness ``ModelStep`` (default :func:`heuristic_model_step`; OpenEnv's
            ``build_model_step(OpenAIClient(...))`` for an LLM).

    ``run(harness_version, library_versions, dataset, eval_parameters)``: ``dataset`` is a label kept in the
    result; ``eval_parameters``: ``seeds`` (list of int, required), ``prompts`` (list of text or None, optional,
    one per seed), ``max_turns`` (default 20), ``policy_seed`` (the default heuristic's seed, 0). Returns
    ``avg_reward`` (mean episode return), ``success_rate`` (share of returns > 0), ``num_collected``,
    ``num_failed``, ``episode_rewards`` (list) and ``mean_final_q``.
    """

    def __init__(self, base_url: str, output_dir: str | Path, *, model_step: Any = None):
        self.base_url, self.output_dir, self.model_step = base_url, Path(output_dir), model_step

    def run(self, harness_version: str, library_versions: dict[str, str], dataset: str,
            eval_parameters: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
        """Run one episode per seed (see the class docstring) and return the scores."""
        from openenv.core.harness import HarnessRunLimits, MCPHarnessAdapter
        from openenv.core.harness.collect import CollectRunner, RolloutSerializer

        seeds = eval_parameters.get("seeds")
        if not isinstance(seeds, list) or not seeds or not all(isinstance(s, int) and s >= 0 for s in seeds):
            raise SceneGymError(
                f"eval_parameters.seeds: expected a non-empty list of integers >= 0, got {seeds!r:.80}"
            )
        prompts = eval_parameters.get("prompts") or [None] * len(seeds)
        if not isinstance(prompts, list) or len(prompts) != len(seeds):
            raise SceneGymError(
                f"eval_parameters.prompts: expected one prompt (or None) per seed, got {prompts!r:.80}"
            )
        max_turns = eval_parameters.get("max_turns", 20)
        step = self.model_step or heuristic_model_step(
            seed=eval_parameters.get("policy_seed", 0), max_calls=max_turns
        )
        serializer = RolloutSerializer(self.output_dir)
        tasks = [{"seed": s, "prompt": p} for s, p in zip(seeds, prompts, strict=True)]
        runner = CollectRunner(session_factory=SceneGymSessionFactory(self.base_url), tasks=tasks,
                               harness_adapter=MCPHarnessAdapter(), serializer=serializer,
                               limits=HarnessRunLimits(max_turns=max_turns))  # fmt: skip
        out = runner.run(model_step=step, num_episodes=len(seeds), resume=False)
        records = [
            json.loads(line) for line in serializer.results_path.read_text().splitlines() if line.strip()
        ]
        qs = [r["verify_metrics"]["final_q"] for r in records]
        return {"avg_reward": out.avg_reward, "success_rate": out.success_rate, "num_collected": out.num_collected,
                "num_failed": out.num_failed, "episode_rewards": [r["reward"] for r in records],
                "mean_final_q": sum(qs) / len(qs) if qs else None, "dataset": dataset}  # fmt: skip


__all__ = ["SYSTEM_PROMPT", "SceneGymClient", "SceneGymEvalHarness", "SceneGymSessionFactory", "heuristic_episode",
           "heuristic_model_step"]  # fmt: skip
