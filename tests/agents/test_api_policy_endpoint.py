"""APIPolicy builds its client from its own arguments: its ``timeout`` is the wall-clock limit of an attempt and the
key rule holds for it (``SCENE_GYM_ALLOW_INSECURE_HTTP`` is how ``api:MODEL`` users allow plain http)."""

from __future__ import annotations

import time

import gymnasium as gym
import pytest
from chat_standin import ChatStandIn

import scene_gym  # noqa: F401  (registers the envs)
from scene_gym.agents.api import APIPolicy
from scene_gym.llm import INSECURE_HTTP_ENV, ChatError

DSL = '```python\nadd("sofa", at=(2.0, 0.6), facing="north")\ndone()\n```'


@pytest.fixture
def server():
    s = ChatStandIn(default=("text", DSL))
    yield s
    s.close()


@pytest.fixture
def obs():
    env = gym.make("SceneSynth-v1", image_size=None)
    observation, _ = env.reset(seed=0)
    yield observation
    env.close()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("OPENAI_API_KEY", INSECURE_HTTP_ENV, "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


def make(base_url, **kw) -> APIPolicy:
    p = APIPolicy("stand-in-model", base_url=base_url, max_retries=0, max_regenerations=0, icl=None, **kw)
    p.reset(0, kind="SceneSynth-v1")
    return p


def test_the_policy_timeout_is_a_wall_clock_limit(server, obs):
    server.script = [("trickle", 0.05)]
    start = time.monotonic()
    with pytest.raises(ChatError, match=r"timeout of 0\.4 s"):
        make(server.url, timeout=0.4).act(obs)
    assert time.monotonic() - start < 0.4 + 1.5


def test_the_policy_keeps_the_key_off_plain_http_unless_allowed(server, obs, monkeypatch):
    monkeypatch.setenv("http_proxy", server.url.rsplit("/v1", 1)[0])  # any http host lands on the stand-in
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    with pytest.raises(ChatError, match="refusing to send the API key"):
        make("http://gpu-box:8000/v1").act(obs)
    assert server.requests == []
    monkeypatch.setenv(INSECURE_HTTP_ENV, "1")
    assert make("http://gpu-box:8000/v1").act(obs).startswith('add("sofa"')
    assert server.headers[0]["Authorization"] == "Bearer sk-secret"
