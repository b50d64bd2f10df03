"""Hostile model text through every scene env, up to and past each action cap (issue 13): a step never raises,
a step that applies nothing leaves the scene byte-identical, and checkpoints and scene files refuse any text
with the package's own error.

The text comes from :data:`HOSTILE`: runs of the fragments that broke the parsers (unary operators, digits,
brackets, fences, tags, spaces), joined and repeated up to tens of thousands of characters, plus plain
Unicode. Timings are measured by ``benchmarks/bench_parsers.py``, not here."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scene_gym  # noqa: F401  (registers the ids)
from scene_gym.actions import limits
from scene_gym.envs import scene_kinds
from scene_gym.envs.spaces import ACTION_MAX, ASSET_TEXT_MAX, CALLS_MAX, POINT_MAX
from scene_gym.envs.wrappers import MolmoPointAction
from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene

FRAGMENTS = [
    "add(", "move(", "done()", "+", "-", "~", "not ", "(", ")", "[", "]", "{", "}", '"', "'", ",", "=", ":", "1", "9",
    "0.5", "1e400", "x", "a", " ", "\n", "\t", "#", ";", "\\", 'f"{', "lambda:", "```", "```json\n", "<point ",
    "<points ", "x=", "y=", "x1=", "alt=", '"50"', ">", "</point>", "<tool_call>", "</tool_call>",
    '{"tool": "init_room", "args": {', '{"name": "add_objects", "arguments": "', '{"tool_calls": ', "null", "NaN",
    '{"realism": "', "\x00", "\ud800", "☃", "卧室",
]  # fmt: skip
RUN = st.tuples(st.sampled_from(FRAGMENTS), st.one_of(st.integers(1, 3), st.integers(1, 5000)))
HOSTILE = st.one_of(
    st.lists(RUN, max_size=8).map(lambda runs: "".join(f * k for f, k in runs)),
    st.text(max_size=400),
)
CAPS = {"dsl": ACTION_MAX, "point": POINT_MAX, "trajectory": CALLS_MAX, "toolcall": CALLS_MAX}
KINDS = {k.name: k for k in scene_kinds()}


def test_every_action_cap_is_its_parsers_cap():
    from scene_gym.actions.dsl import MAX_SOURCE_CHARS
    from scene_gym.actions.points import MAX_LABEL_CHARS, MAX_POINT_CHARS
    from scene_gym.actions.tools import MAX_TEXT_CHARS
    from scene_gym.agents.parsing import MAX_CALLS_CHARS, MAX_DSL_CHARS

    assert ACTION_MAX == MAX_SOURCE_CHARS == MAX_DSL_CHARS == limits.DSL_MAX_CHARS
    assert CALLS_MAX == MAX_TEXT_CHARS == MAX_CALLS_CHARS == limits.CALLS_MAX_CHARS
    assert POINT_MAX == MAX_POINT_CHARS == limits.POINT_MAX_CHARS
    assert ASSET_TEXT_MAX == MAX_LABEL_CHARS == limits.LABEL_MAX_CHARS
    assert set(CAPS) >= {k.action_format for k in KINDS.values()}


def _make(kind: str) -> gym.Env:
    env = gym.make(KINDS[kind].env_id, image_size=None)
    return MolmoPointAction(env) if KINDS[kind].action_format == "point" else env


@pytest.fixture(scope="module")
def envs():
    made = {name: _make(name) for name in KINDS}
    for env in made.values():
        env.reset(seed=0)
    yield made
    for env in made.values():
        env.close()


def _step_checked(env: gym.Env, text: str, cap: int) -> dict:
    """Step ``env`` with ``text``: only a SceneGymError may come out; a step that applied nothing changed nothing."""
    before = env.unwrapped.scene.to_json()
    try:
        obs, reward, terminated, truncated, info = env.step(text)
    except SceneGymError:
        assert env.unwrapped.scene.to_json() == before
        return {}
    assert np.isfinite(reward) and env.observation_space.contains(obs)
    if not info["applied"]:
        assert env.unwrapped.scene.to_json() == before
    if len(text) > cap:
        assert not info["valid"] and f"expected at most {cap} characters" in info["error"]
    if info["applied"] or terminated or truncated:
        env.reset(seed=0)
    return info


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=HOSTILE)
def test_any_text_up_to_the_cap_is_a_step_or_a_scene_gym_error(envs, kind, text):
    cap = CAPS[KINDS[kind].action_format]
    _step_checked(envs[kind], text[: cap + 50], cap)


REPRODUCTIONS = [
    ("scene", "add(" + "+" * 1000 + "1)", "nested deeper than 32 levels"),
    ("scene", 'add("sofa", at=(' + "-" * 1000 + "1, 1))", "nested deeper than 32 levels"),
    ("scene", 'add("sofa", yaw=' + "9" * 400 + ")", "at most 64 characters"),
    ("scene", "x" * (ACTION_MAX + 1), f"expected at most {ACTION_MAX} characters"),
    ("asset", '<point x' + "1" * 4400 + '="1" y="50">a mug</point>', 'expected a x="..." attribute'),
    ("asset", "<point " + "a" * 19000 + ">x</point>", 'expected a x="..." attribute'),
    ("asset", "x" * (POINT_MAX + 1), f"expected at most {POINT_MAX} characters"),
    ("trajectory", "[" * 50000, "nested deeper"),
    ("trajectory", "[" + "1" * 5000 + "]", "trajectory"),
    ("toolstep", "x" * (CALLS_MAX + 1), f"expected at most {CALLS_MAX} characters"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "text", "fragment"), REPRODUCTIONS, ids=[f"{k}{i}" for i, (k, *_) in
                                                                           enumerate(REPRODUCTIONS)])  # fmt: skip
def test_issue_13_reproductions_are_refused_with_feedback(envs, kind, text, fragment):
    env = envs[kind]
    info = _step_checked(env, text, CAPS[KINDS[kind].action_format])
    assert info and not info["applied"] and fragment in info["error"], info.get("error")


# --- checkpoints and scene files ------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=HOSTILE)
def test_set_state_refuses_any_text_with_a_scene_gym_error(envs, text):
    env = envs["scene"].unwrapped
    before = env.get_state()
    with pytest.raises(SceneGymError):
        env.set_state(text)
    assert env.get_state() == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=HOSTILE)
def test_scene_from_json_refuses_any_text_with_a_scene_gym_error(text):
    with pytest.raises(SceneGymError):
        Scene.from_json(text)


@pytest.mark.parametrize("value", [None, 5, b"\xff", "1" * 5000, "[" * 50000])
def test_scene_from_json_refuses_non_scenes_with_a_scene_gym_error(value):
    with pytest.raises(SceneGymError):
        Scene.from_json(value)
