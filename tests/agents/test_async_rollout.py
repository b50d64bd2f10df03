"""Concurrent API episodes of ``SceneSynthToolStep-v1`` against the local stand-in playing the heuristic's calls:
the same rollouts as the sequential path in task order, each server fault costs one retried request and never the
run, a hopeless server fails only the episodes it refuses, and the requests in flight never exceed the bound."""

from __future__ import annotations

import asyncio

import gymnasium as gym
import pytest
from chat_standin import ChatStandIn
from hypothesis import given, settings
from hypothesis import strategies as st

import scene_gym  # noqa: F401  (registers the envs)
from scene_gym.agents.api import APIPolicy
from scene_gym.agents.async_rollout import EnvPool, EpisodeTask, as_task, run_episodes, run_episodes_async
from scene_gym.agents.heuristic.replay import tool_step_responder
from scene_gym.agents.rollout import Rollout, run_episode
from scene_gym.errors import PolicyError
from scene_gym.llm import AsyncChatClient, ChatClient

ENV = "SceneSynthToolStep-v1"
KW = {"image_size": None, "max_steps": 6}
RESPOND = tool_step_responder(max_calls=6)


@pytest.fixture(scope="module")
def threads():
    with EnvPool(ENV, KW, workers=2, processes=False) as pool:
        yield pool


def sequential(url: str, tasks: list) -> list[Rollout]:
    env = gym.make(ENV, **KW)
    client = ChatClient(url, api_key_env=None, max_retries=0)
    out = [run_episode(env, APIPolicy("m", client=client, send_images=False), seed=t.seed, options=t.options)
           for t in map(as_task, tasks)]  # fmt: skip
    env.close()
    return out


def concurrent(pool: EnvPool, url: str, tasks: list, **kw) -> tuple[list[Rollout], AsyncChatClient]:
    client = AsyncChatClient(url, api_key_env=None, backoff=0.001, **kw)
    return run_episodes(pool, tasks, lambda: APIPolicy("m", client=client, send_images=False)), client


def test_concurrent_rollouts_equal_sequential_ones_in_task_order(threads):
    tasks = [3, EpisodeTask(1, {"prompt": "A kitchen with a dining table and four chairs."}), 2]
    with ChatStandIn(responder=RESPOND, latency=0.01) as server:
        reference = sequential(server.url, tasks)
        got, client = concurrent(threads, server.url, tasks)
    assert [r.seed for r in got] == [3, 1, 2] and got[1].steps[0].observation["prompt"].startswith("A kitchen")
    assert all(r.error is None and len(r.steps) == 6 and r.final_scene["objects"] for r in got)
    assert [r.to_jsonl() for r in got] == [r.to_jsonl() for r in reference]
    assert client.retries == 0 and client.max_in_flight == 3


def test_each_server_fault_costs_one_retried_request_never_the_run(threads):
    tasks = [0, 1, 2]
    with ChatStandIn(responder=RESPOND, latency=0.01, hang_s=5) as server:
        reference = sequential(server.url, tasks)
        server.reset_counts()
        server.faults = {2: "500", 6: "hang", 11: "garbage"}
        got, client = concurrent(threads, server.url, tasks, timeout=0.6, max_retries=2)
        requests = len(server.requests)
    assert [r.to_jsonl() for r in got] == [r.to_jsonl() for r in reference]
    assert requests == sum(len(r.steps) for r in reference) + 3
    assert dict(client.retry_reasons) == {"HTTP 500": 1, "timeout": 1, "not JSON": 1}


def test_a_hopeless_server_fails_that_episode_with_our_error_and_the_others_finish(threads):
    def refuse_kitchens(request):
        if any("kitchen" in str(m.get("content")) for m in request["messages"][-1:]):
            return ("status", 503)
        return RESPOND(request)

    tasks = [EpisodeTask(0, {"prompt": "A bedroom with a bed."}), EpisodeTask(1, {"prompt": "A kitchen."}),
             EpisodeTask(2, {"prompt": "An office with a desk."})]  # fmt: skip
    with ChatStandIn(responder=refuse_kitchens) as server:
        got, client = concurrent(threads, server.url, tasks, max_retries=2)
    failed = got[1]
    assert failed.error.startswith("ChatError: chat endpoint " + server.url)
    assert "after 3 attempts: HTTP 503" in failed.error
    assert failed.steps == [] and failed.final_scene is not None and failed.seed == 1
    assert [len(r.steps) for r in (got[0], got[2])] == [6, 6] and got[0].error is None and got[2].error is None
    assert client.retry_reasons == {"HTTP 503": 2}


def test_requests_in_flight_never_exceed_the_bound(threads):
    with ChatStandIn(responder=RESPOND, latency=0.03) as server:
        got, client = concurrent(threads, server.url, [0, 1, 2, 3, 4], max_concurrency=2)
        assert server.max_in_flight == 2 and client.max_in_flight == 2
    assert all(len(r.steps) == 6 for r in got)


def test_worker_processes_give_the_same_rollouts():
    tasks = [0, 1]
    with ChatStandIn(responder=RESPOND, latency=0.01) as server:
        reference = sequential(server.url, tasks)
        with EnvPool(ENV, KW, workers=2) as pool:
            assert len(set(pool.warm())) == 2
            got, _ = concurrent(pool, server.url, tasks)
    assert [r.to_jsonl() for r in got] == [r.to_jsonl() for r in reference]


def test_a_failed_rollout_keeps_its_error_through_a_file(tmp_path):
    r = Rollout(ENV, {"name": "api"}, 4, error="ChatError: chat endpoint http://x failed")
    assert Rollout.load(r.save(tmp_path / "r.jsonl")).error == r.error
    assert '"error"' not in Rollout(ENV, {}, 4).to_jsonl()


def test_bad_arguments_name_the_field(threads):
    with pytest.raises(PolicyError, match=r"tasks: expected an EpisodeTask, a seed \(int\) or None, got 'x'"):
        run_episodes(threads, ["x"], lambda: None)
    with pytest.raises(PolicyError, match="max_steps: expected an integer >= 1, got 0"):
        run_episodes(threads, [0], lambda: None, max_steps=0)
    with pytest.raises(PolicyError, match="workers: expected an integer >= 1, got 0"):
        EnvPool(ENV, workers=0)
    with pytest.raises(PolicyError, match="max_episodes: expected an integer >= 1 or None, got -1"):
        asyncio.run(run_episodes_async(threads, [0], lambda: None, max_episodes=-1))


JUNK = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                    max_leaves=20)  # fmt: skip
MESSAGE = st.fixed_dictionaries({"role": st.sampled_from(["user", "system", "assistant"]),
                                 "content": st.text(max_size=80).map(lambda t: "Task: " + t) | st.text(max_size=80)
                                 | st.lists(JUNK, max_size=3)})  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(request=JUNK | st.fixed_dictionaries({"messages": st.lists(MESSAGE, max_size=3)}))
def test_the_responder_answers_any_request_with_one_tool_call(request):
    """The stand-in's responder reads untrusted request bodies: any of them gets one well-formed call."""
    entry = RESPOND(request if isinstance(request, dict) else {"messages": request})
    assert entry[0] == "tool_calls" and len(entry[1]) == 1 and isinstance(entry[1][0][1], dict)
