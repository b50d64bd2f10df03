"""The async chat client against the local stand-in: each fault (500, a hang past the timeout, a body that is not
JSON) costs exactly one retried request, a hopeless server fails with our error naming it, the semaphore bounds the
requests in flight, and settings are checked like the synchronous client's."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from chat_standin import ChatStandIn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scene_gym.llm import INSECURE_HTTP_ENV, AsyncChatClient, ChatClient, ChatError

PAYLOAD = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("OPENAI_API_KEY", INSECURE_HTTP_ENV, "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


def client(url, **kw):
    kw.setdefault("backoff", 0.001)
    return AsyncChatClient(url, api_key_env=None, **kw)


async def gather(c: AsyncChatClient, n: int) -> list:
    try:
        return await asyncio.gather(*(c.achat({**PAYLOAD, "seed": k}) for k in range(n)))
    finally:
        await c.aclose()


def test_each_fault_costs_exactly_one_retried_request(caplog):
    faults = {1: "500", 3: "hang", 5: "garbage"}
    # the hang outlasts the attempt's limit; every other answer (10 ms) stays far inside it even on a loaded CPU
    with ChatStandIn(latency=0.01, faults=faults, hang_s=8.0) as server:
        c = client(server.url, timeout=3.0, max_retries=2)
        with caplog.at_level(logging.WARNING, logger="scene_gym.llm.async_chat"):
            replies = asyncio.run(gather(c, 8))
        assert [r["choices"][0]["message"]["content"] for r in replies] == ["done"] * 8
        assert len(server.requests) == 8 + 3 and c.requests == 11
        assert sorted(k for _, k in server.fault_log) == ["500", "garbage", "hang"]
    assert c.retries == 3 and dict(c.retry_reasons) == {"HTTP 500": 1, "timeout": 1, "not JSON": 1}
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 3 and all(server.url in m and "retrying" in m for m in logged)


def test_a_hopeless_server_fails_with_our_error_naming_it():
    with ChatStandIn(default=("status", 503)) as server:
        c = client(server.url, timeout=2.0, max_retries=2)
        with pytest.raises(ChatError, match=r"endpoint http://127\.0\.0\.1:\d+/v1/chat/completions failed after 3 "
                                            r"attempts: HTTP 503") as err:  # fmt: skip
            asyncio.run(gather(c, 1))
        assert len(server.requests) == 3
    assert "boom" in str(err.value) and c.retry_reasons == {"HTTP 503": 2}


def test_a_refused_request_fails_at_once_with_status_and_detail():
    with ChatStandIn(default=("status", 400, {"error": {"message": "no such model"}})) as server:
        c = client(server.url, max_retries=3)
        with pytest.raises(ChatError, match="refused the request: HTTP 400") as err:
            asyncio.run(gather(c, 1))
        assert len(server.requests) == 1
    assert err.value.status == 400 and "no such model" in err.value.detail and c.retries == 0


def test_the_semaphore_bounds_requests_in_flight_across_callers():
    with ChatStandIn(latency=0.05) as server:
        c = client(server.url, max_concurrency=3)
        asyncio.run(gather(c, 12))
        assert server.max_in_flight == 3 and c.max_in_flight == 3
        assert len(server.requests) == 12


def test_a_trickling_reply_is_cut_off_at_the_timeout_and_retried():
    with ChatStandIn() as server:
        server.script = [("trickle", 0.05, "body")]
        c = client(server.url, timeout=1.5, max_retries=1)  # the trickled body needs seconds; a plain reply ms
        reply = asyncio.run(gather(c, 1))[0]
        assert reply["choices"][0]["message"]["content"] == "done" and len(server.requests) == 2
    assert c.retry_reasons == {"timeout": 1}


def test_a_reply_over_the_size_cap_fails_at_once():
    with ChatStandIn() as server:
        server.script = [("big", 5000, True)]
        c = client(server.url, max_response_bytes=1000, max_retries=3)
        with pytest.raises(ChatError, match="larger than max_response_bytes=1000"):
            asyncio.run(gather(c, 1))
        assert len(server.requests) == 1


def test_the_deadline_bounds_the_whole_call():
    with ChatStandIn(default=("status", 500)) as server:
        c = AsyncChatClient(server.url, api_key_env=None, max_retries=10, backoff=0.2, deadline=0.5)
        with pytest.raises(ChatError, match=r"deadline of 0\.5 s"):
            asyncio.run(gather(c, 1))
        assert 1 <= len(server.requests) <= 3


def test_backoff_doubles_and_holds_no_slot():
    pauses = []

    async def record(s):
        pauses.append(s)

    with ChatStandIn(faults={0: "500", 1: "500"}) as server:
        c = AsyncChatClient(server.url, api_key_env=None, backoff=0.25, max_retries=2, asleep=record)
        asyncio.run(gather(c, 1))
    assert pauses == [0.25, 0.5] and c.in_flight == 0


def test_a_client_serves_several_event_loops():
    with ChatStandIn() as server:
        c = client(server.url)
        asyncio.run(gather(c, 2))
        asyncio.run(gather(c, 2))
        assert len(server.requests) == 4


def test_settings_and_key_policy_are_the_sync_clients(monkeypatch):
    assert issubclass(AsyncChatClient, ChatClient)
    with pytest.raises(ChatError, match="max_concurrency: expected an integer >= 1, got 0"):
        AsyncChatClient("http://127.0.0.1:1/v1", max_concurrency=0)
    with pytest.raises(ChatError, match="timeout: expected a finite number of seconds > 0, got -1"):
        AsyncChatClient("http://127.0.0.1:1/v1", timeout=-1)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    c = AsyncChatClient("http://10.1.2.3:8000/v1")
    with pytest.raises(ChatError, match="refusing to send the API key"):
        asyncio.run(c.achat(PAYLOAD))
    assert c.requests == 0


def test_the_key_goes_as_a_bearer_header_to_loopback(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
    with ChatStandIn() as server:
        c = AsyncChatClient(server.url)
        asyncio.run(gather(c, 1))
        assert server.headers[0]["Authorization"] == "Bearer sk-local"


@pytest.fixture(scope="module")
def raw_server():
    with ChatStandIn() as server:
        yield server, client(server.url, max_retries=0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_reply_body_is_json_or_our_error(raw_server, body):
    """Whatever bytes a server answers with, achat returns the decoded JSON or raises ChatError."""
    server, c = raw_server
    server.default = ("raw", body)
    try:
        reply = asyncio.run(gather(c, 1))[0]
    except ChatError as err:
        assert "not JSON" in str(err)
    else:
        assert reply == json.loads(body)


def test_a_stand_in_in_its_own_process_answers_and_reports_counts():
    from scene_gym.llm.standin import StandInProcess

    with StandInProcess(latency=0.0) as server:
        c = client(server.url, max_concurrency=2)
        server.set_latency(0.05)
        asyncio.run(gather(c, 4))
        n, most, faults = server.counts()
        assert (n, most, faults) == (4, 2, [])
        server.reset_counts()
        assert server.counts()[0] == 0


def test_without_httpx_the_client_names_the_extra(monkeypatch):
    import sys

    from scene_gym.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "httpx", None)  # import httpx now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'scene-gym\[api\]'"):
        AsyncChatClient("http://127.0.0.1:1/v1")
