"""APIPolicy against a local stand-in chat-completions server: function calling, text answers, retries, timeouts,
validate-and-regenerate."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest
from chat_standin import ChatStandIn

import scene_gym  # noqa: F401  (registers the envs)
from scene_gym.actions.tools import catalogue
from scene_gym.agents import run_episode
from scene_gym.agents.api import APIPolicy
from scene_gym.agents.text_policy import PolicyError
from scene_gym.llm import ChatClient, ChatError

DSL = '```python\nadd("sofa", at=(2.0, 0.6), facing="north")\ndone()\n```'


@pytest.fixture
def server():
    s = ChatStandIn()
    yield s
    s.close()


@pytest.fixture
def sleeps():
    return []


def policy(server, sleeps, kind=None, **kw) -> APIPolicy:
    """An APIPolicy on the stand-in server, told its env kind (a kind's name or id) when ``kind`` is given."""
    client = ChatClient(server.url, timeout=kw.pop("timeout", 5.0), max_retries=kw.pop("max_retries", 3), backoff=0.25,
                        sleep=sleeps.append)  # fmt: skip
    seed = kw.pop("seed", 0)
    p = APIPolicy("stand-in-model", client=client, seed=seed, **kw)
    if kind is not None:
        p.reset(seed, kind=kind)
    return p


def observe(env_id: str, **kw):
    env = gym.make(env_id, **kw)
    obs, _ = env.reset(seed=0)
    return env, obs


def test_trajectory_uses_function_calling(server, sleeps):
    calls = [("init_layout", {}), ("add_objects", {"category": "floor_lamp", "count": 1}), ("terminate", {})]
    server.script = [("tool_calls", calls)]
    env, obs = observe("SceneSynthTrajectory-v1")
    try:
        cand = policy(server, sleeps, kind="SceneSynthTrajectory-v1").sample(obs, 1)[0]
        assert json.loads(cand.action) == [{"tool": n, "args": a} for n, a in calls]
        assert cand.meta["attempts"] == 1 and not cand.meta["fallback"] and cand.meta["finish_reason"] == "tool_calls"
        req = server.requests[0]
        assert [t["function"]["name"] for t in req["tools"]] == [t["function"]["name"] for t in catalogue("openai")]
        assert req["model"] == "stand-in-model" and req["temperature"] == 0.0 and isinstance(req["seed"], int)
        # with function calling the catalogue goes as schemas, not as prompt text
        assert "Tools:" not in req["messages"][0]["content"]
        _, reward, _, _, info = env.step(cand.action)
        assert info["valid"] and [c["tool"] for c in info["calls"]] == ["init_layout", "add_objects", "terminate"]
    finally:
        env.close()


def test_toolstep_episode_with_one_call_per_step(server, sleeps):
    server.script = [("tool_calls", [("init_layout", {})]), ("tool_calls", [("terminate", {"reason": "ok"})])]
    env = gym.make("SceneSynthToolStep-v1", image_size=(32, 32))
    try:
        rollout = run_episode(env, policy(server, sleeps), seed=0)
    finally:
        env.close()
    assert [json.loads(s.action)["tool"] for s in rollout.steps] == ["init_layout", "terminate"]
    assert rollout.steps[-1].terminated and len(rollout.final_scene["objects"]) > 0
    user = server.requests[0]["messages"][-1]["content"]
    assert user[0]["type"] == "image_url" and user[0]["image_url"]["url"].startswith("data:image/png;base64,")
    assert "review:" in user[1]["text"]


def test_scene_text_answer_with_image_and_icl(server, sleeps):
    server.script = [("text", "Sure! Here is my program:\n" + DSL + "\nEnjoy.")]
    env, obs = observe("SceneSynth-v1", image_size=(32, 32))
    try:
        action = policy(server, sleeps, kind="SceneSynth-v1").act(obs)
        assert action == 'add("sofa", at=(2.0, 0.6), facing="north")\ndone()'
        req = server.requests[0]
        assert "tools" not in req
        roles = [m["role"] for m in req["messages"]]
        assert roles == ["system", "user", "assistant", "user", "assistant", "user"]  # two in-context examples
        assert "add(category=" not in req["messages"][0]["content"] and "add(category, at=" in req["messages"][0]["content"]
        assert req["messages"][-1]["content"][0]["type"] == "image_url"
        _, _, terminated, _, info = env.step(action)
        assert info["n_ok"] == 2 and terminated
    finally:
        env.close()


def test_garbage_then_valid_after_the_error_is_fed_back(server, sleeps):
    server.script = [("text", "I think the room looks lovely."), ("text", DSL)]
    _, obs = observe("SceneSynth-v1", image_size=None)
    p = policy(server, sleeps, kind="SceneSynth-v1")
    cand = p.sample(obs, 1)[0]
    assert cand.meta["attempts"] == 2 and not cand.meta["fallback"]
    assert cand.meta["errors"] == ["expected a DSL program such as add(\"sofa\", at=(2.0, 0.6), facing=\"north\") "
                                   "(one call per line), got 'I think the room looks lovely.'"]  # fmt: skip
    retry = server.requests[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "I think the room looks lovely."}
    assert "could not be used: expected a DSL program" in retry[-1]["content"]
    assert p.counts == {"candidates": 1, "generations": 2, "regenerations": 1, "fallbacks": 0}


def test_persistent_garbage_falls_back_to_the_noop(server, sleeps):
    server.default = ("tool_calls", [("addCrowd", {"receptacle": "desk_1"})])
    _, obs = observe("SceneSynthToolStep-v1", image_size=None)
    cand = policy(server, sleeps, kind="SceneSynthToolStep-v1", max_regenerations=3).sample(obs, 1)[0]
    assert cand.action == "[]" and cand.meta["fallback"] and cand.meta["attempts"] == 4
    assert len(server.requests) == 4 and all("did you mean 'add_crowd'" in e for e in cand.meta["errors"])
    # the bad tool-call reply is replayed to the model as text with the error
    assert "addCrowd" in server.requests[1]["messages"][-2]["content"]


def test_500_then_success_and_timeouts_are_retried(server, sleeps):
    server.script = [("status", 500), ("status", 503), ("text", DSL)]
    _, obs = observe("SceneSynth-v1", image_size=None)
    p = policy(server, sleeps, kind="SceneSynth-v1")
    assert p.act(obs).startswith('add("sofa"')
    assert len(server.requests) == 3 and sleeps == [0.25, 0.5]
    server.script = [("sleep", 1.0), ("text", DSL)]
    p = policy(server, sleeps, kind="SceneSynth-v1", timeout=0.2)
    assert p.act(obs).startswith('add("sofa"') and len(sleeps) == 3


def test_failing_endpoint_raises_a_clear_error(server, sleeps):
    server.script = [("status", 500)] * 5
    _, obs = observe("SceneSynth-v1", image_size=None)
    with pytest.raises(ChatError, match="failed after 3 attempts: HTTP 500"):
        policy(server, sleeps, kind="SceneSynth-v1", max_retries=2).act(obs)
    server.script = [("status", 401)]
    with pytest.raises(ChatError, match="refused the request: HTTP 401"):
        policy(server, sleeps, kind="SceneSynth-v1").act(obs)
    server.script = [("raw", b'{"choices": []}')]
    with pytest.raises(ChatError, match=r"expected choices\[0\].message"):
        policy(server, sleeps, kind="SceneSynth-v1").act(obs)


def test_sample_n_candidates_with_seeds_and_logprobs(server, sleeps):
    server.script = [("logprobs", DSL, [-0.5, -0.25]), ("logprobs", DSL, [-1.0]), ("logprobs", DSL, [-2.0, -0.5])]
    _, obs = observe("SceneSynth-v1", image_size=None)
    cands = policy(server, sleeps, kind="SceneSynth-v1", logprobs=True).sample(obs, 3)
    assert [c.logprob for c in cands] == [-0.75, -1.0, -2.5]
    seeds = [r["seed"] for r in server.requests]
    assert len(set(seeds)) == 3 and all(r["temperature"] == 1.0 and r["logprobs"] for r in server.requests)
    # the same policy seed sends the same request seeds
    server.requests.clear()
    server.default = ("text", DSL)
    policy(server, sleeps, kind="SceneSynth-v1", logprobs=True).sample(obs, 3)
    assert [r["seed"] for r in server.requests] == seeds


def test_without_function_calling_the_catalogue_is_in_the_prompt(server, sleeps, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    server.script = [("text", '```json\n[{"tool": "init_layout", "args": {}}]\n```')]
    _, obs = observe("SceneSynthTrajectory-v1")
    action = policy(server, sleeps, kind="SceneSynthTrajectory-v1", use_tools=False, icl=None).act(obs)
    assert json.loads(action) == [{"tool": "init_layout", "args": {}}]
    req = server.requests[0]
    assert "tools" not in req and "init_layout (initializer)" in req["messages"][0]["content"]
    assert [m["role"] for m in req["messages"]] == ["system", "user"]
    assert server.headers[0]["Authorization"] == "Bearer sk-test"


def test_asset_points_and_describe(server, sleeps):
    server.script = [("text", '<point x="50" y="50" alt="mug">a coffee mug</point>')]
    _, obs = observe("SceneSynthAsset-v2", image_size=(32, 32))
    p = policy(server, sleeps, kind="SceneSynthAsset-v2")
    action = p.act(obs)
    assert np.allclose(action["point"], [0.5, 0.5]) and action["asset"] == "a coffee mug"
    d = p.describe()
    assert d["name"] == "api" and d["model"] == "stand-in-model" and d["base_url"] == server.url
    with pytest.raises(PolicyError, match="expected a model name"):
        APIPolicy("")
    with pytest.raises(PolicyError, match="expected max_regenerations as an integer >= 0, got -1"):
        APIPolicy("m", base_url=server.url, max_regenerations=-1)
