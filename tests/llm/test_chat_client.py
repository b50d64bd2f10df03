"""The shared chat client's limits against the local stand-in: a wall-clock limit per attempt and per call, a
cap on the reply's size, no redirects, and the rule for sending the API key."""

from __future__ import annotations

import time

import pytest
from chat_standin import ChatStandIn

from scene_gym.errors import SceneGymError
from scene_gym.llm import INSECURE_HTTP_ENV, ChatClient, ChatError
from scene_gym.llm.transport import is_loopback

SLACK_S = 1.5  # loose: CI machines are busy; the point is "at the limit", not "after the whole trickle"
PAYLOAD = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def server():
    s = ChatStandIn()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("OPENAI_API_KEY", INSECURE_HTTP_ENV, "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


def client(url, **kw):
    kw.setdefault("max_retries", 0)
    return ChatClient(url, sleep=lambda s: None, **kw)


def test_chat_error_is_the_package_error():
    assert issubclass(ChatError, SceneGymError)


@pytest.mark.parametrize("mode", [(), ("body",)], ids=["whole-reply", "body-only"])
def test_a_trickling_server_fails_at_the_timeout(server, mode):
    server.script = [("trickle", 0.05, *mode)]  # about 15 s for the whole reply at this pace
    start = time.monotonic()
    with pytest.raises(ChatError, match=r"no complete reply within the timeout of 0\.4 s \(timeout\)"):
        client(server.url, timeout=0.4).chat(PAYLOAD)
    assert time.monotonic() - start < 0.4 + SLACK_S
    assert len(server.requests) == 1


def test_the_call_deadline_covers_retries(server):
    server.script = [("trickle", 0.05)] * 5
    c = client(server.url, timeout=0.3, max_retries=4, backoff=0.01, deadline=0.5)
    start = time.monotonic()
    with pytest.raises(ChatError, match=r"deadline of 0\.5 s \(deadline\)"):
        c.chat(PAYLOAD)
    assert time.monotonic() - start < 0.5 + SLACK_S
    assert c.requests == 2  # one full attempt (0.3 s), then one cut short by the deadline


def test_a_slow_but_complete_reply_within_the_limits_is_read(server):
    server.script = [("sleep", 0.1)]
    assert client(server.url, timeout=5.0, deadline=10.0).chat(PAYLOAD)["choices"][0]["message"]["content"] == "done"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "read-until-close"])
def test_an_oversized_reply_fails_at_once(server, declared):
    server.script = [("big", 2_000_000, declared)] * 3
    c = client(server.url, timeout=5.0, max_retries=2, max_response_bytes=100_000)
    with pytest.raises(ChatError, match="larger than max_response_bytes=100000 bytes"):
        c.chat(PAYLOAD)
    assert c.requests == 1  # not retried


def test_a_reply_at_the_cap_is_accepted(server):
    import json

    size = len(json.dumps(server.completion(server.default)))
    assert client(server.url, max_response_bytes=size).chat(PAYLOAD)["model"] == "stand-in"
    with pytest.raises(ChatError, match=f"max_response_bytes={size - 1} bytes"):
        client(server.url, max_response_bytes=size - 1).chat(PAYLOAD)


def test_redirects_are_not_followed(server):
    server.script = [("redirect", "http://example.invalid/v1/chat/completions")]
    with pytest.raises(ChatError, match="refused the request: HTTP 302.*redirects are not followed"):
        client(server.url).chat(PAYLOAD)
    assert len(server.requests) == 1


@pytest.mark.parametrize("kw", [{"timeout": 0}, {"timeout": -1}, {"deadline": 0}, {"deadline": float("inf")},
                                {"max_response_bytes": 0}, {"max_response_bytes": 1.5}, {"api_key_env": 3}])
def test_bad_settings_name_the_argument(kw):
    with pytest.raises(ChatError, match=next(iter(kw))):
        ChatClient("http://127.0.0.1:9/v1", **kw)


# --- the key rule ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url, expected", [
    ("http://localhost:8000/v1", True), ("http://LOCALHOST./v1", True), ("http://127.0.0.1/v1", True),
    ("http://127.3.2.1:1/v1", True), ("http://[::1]:8000/v1", True), ("http://[::ffff:127.0.0.1]/v1", True),
    ("http://10.0.0.5:8000/v1", False), ("http://localhost.example.com/v1", False),
    ("http://127.0.0.1.nip.io/v1", False), ("http://gpu-box:8000/v1", False), ("http://[::2]/v1", False),
])  # fmt: skip
def test_loopback_hosts_are_recognised_by_their_literal_name(url, expected):
    assert is_loopback(url) is expected


def test_the_key_goes_to_a_loopback_host_over_http(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
    client(server.url).chat(PAYLOAD)
    assert server.headers[0]["Authorization"] == "Bearer sk-local"


def proxy_to(server, monkeypatch):
    """Route plain http through the stand-in, so a request for any host lands there (and is recorded)."""
    monkeypatch.setenv("http_proxy", server.url.rsplit("/v1", 1)[0])


def test_the_key_is_refused_over_http_to_another_host(server, monkeypatch):
    proxy_to(server, monkeypatch)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    with pytest.raises(ChatError, match=r"refusing to send the API key from \$OPENAI_API_KEY over plain http to "
                                        r"the non-loopback host 'judge\.example'.*allow_insecure_http=True"):
        client("http://judge.example/v1").chat(PAYLOAD)
    assert server.requests == []  # nothing was sent


def test_without_a_key_nothing_is_refused(server, monkeypatch):
    proxy_to(server, monkeypatch)
    client("http://judge.example/v1").chat(PAYLOAD)
    assert len(server.requests) == 1 and "Authorization" not in server.headers[0]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    client("http://judge.example/v1", api_key_env=None).chat(PAYLOAD)
    assert len(server.requests) == 2 and "Authorization" not in server.headers[1]


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_the_key_goes_over_http_to_another_host_when_allowed(server, monkeypatch, how):
    proxy_to(server, monkeypatch)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    if how == "environment":
        monkeypatch.setenv(INSECURE_HTTP_ENV, "1")
    c = client("http://judge.example/v1", allow_insecure_http=True if how == "argument" else None)
    c.chat(PAYLOAD)
    assert server.headers[0]["Authorization"] == "Bearer sk-secret"
    assert server.headers[0]["Host"] == "judge.example"


def test_https_and_an_explicit_no_are_honoured(monkeypatch):
    monkeypatch.setenv(INSECURE_HTTP_ENV, "1")
    assert ChatClient("http://gpu-box:8000/v1").key_allowed
    assert not ChatClient("http://gpu-box:8000/v1", allow_insecure_http=False).key_allowed
    monkeypatch.setenv(INSECURE_HTTP_ENV, "0")
    assert not ChatClient("http://gpu-box:8000/v1").key_allowed
    assert ChatClient("https://gpu-box:8000/v1").key_allowed


def test_a_loopback_host_never_goes_through_a_proxy(server, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    assert client(server.url).chat(PAYLOAD)["choices"][0]["message"]["content"] == "done"


@pytest.fixture
def tls_files(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1 that the client's default context trusts (``SSL_CERT_FILE``)."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return str(cert), str(key)


def test_the_limits_hold_over_https(tls_files, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-tls")
    s = ChatStandIn(tls=tls_files)
    try:
        assert client(s.url).chat(PAYLOAD)["choices"][0]["message"]["content"] == "done"
        assert s.headers[0]["Authorization"] == "Bearer sk-tls"
        s.script = [("trickle", 0.05, "body"), ("big", 2_000_000, False)]
        start = time.monotonic()
        with pytest.raises(ChatError, match=r"timeout of 0\.4 s"):
            client(s.url, timeout=0.4).chat(PAYLOAD)
        assert time.monotonic() - start < 0.4 + SLACK_S
        with pytest.raises(ChatError, match="max_response_bytes=100000"):
            client(s.url, max_response_bytes=100_000).chat(PAYLOAD)
    finally:
        s.close()
