"""scene-gym served as an OpenEnv environment (issue 19 item 3): a heuristic-driven client over the WebSocket and
OpenEnv's own harness get the rewards the in-process gym env gives for the same calls; bad actions come back as
observations with scene-gym's error text and the scene unchanged; concurrent sessions do not share state."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import gymnasium as gym
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("openenv.core")

import scene_gym  # noqa: E402,F401  (registers the ids)
from scene_gym.actions.tools import TOOLS  # noqa: E402
from scene_gym.errors import SceneGymError  # noqa: E402
from scene_gym.integrations.openenv import (  # noqa: E402
    ENV_ID,
    SceneGymClient,
    SceneGymEnvironment,
    SceneGymEvalHarness,
    SceneToolAction,
    ToolStepRubric,
    heuristic_episode,
    make_app,
    start_server,
)

# uvicorn's legacy "websockets" server (start_server's choice, see _ws_protocol) warns about websockets' own API
pytestmark = pytest.mark.filterwarnings(
    "ignore:remove second argument of ws_handler:DeprecationWarning",
    "ignore:websockets.legacy is deprecated:DeprecationWarning",
)
MAX_STEPS = 6
SEEDS = [0, 1, 3]  # three different prompts (seed 2 draws seed 0's)


@pytest.fixture(scope="module")
def server():
    handle = start_server(make_app(max_steps=MAX_STEPS, max_concurrent_envs=8), port=0)
    yield handle
    handle.stop()


def replay(seed: int, calls: list, *, max_steps: int = MAX_STEPS) -> tuple[list[float], dict, bool]:
    """The in-process gym env's rewards for ``calls`` (each sent as JSON text), its last info and done flag."""
    env = gym.make(ENV_ID, image_size=None, max_steps=max_steps)
    env.reset(seed=seed)
    rewards, info, done = [], {}, False
    for call in calls:
        _, reward, term, trunc, info = env.step(call if isinstance(call, str) else json.dumps(call))
        rewards.append(float(reward))
        done = term or trunc
    env.close()
    return rewards, info, done


def test_heuristic_client_over_websocket_gets_the_in_process_rewards(server):
    returns = []
    with SceneGymClient(base_url=server.url).sync() as env:
        for seed in SEEDS:
            ep = heuristic_episode(env, seed=seed, max_calls=MAX_STEPS)
            rewards, info, done = replay(seed, ep["calls"])
            assert ep["rewards"] == pytest.approx(rewards, abs=1e-9)
            assert ep["final"].reward_value == pytest.approx(info["reward_value"], abs=1e-9)
            assert done and ep["final"].done and ep["state"].done
            assert ep["state"].step_count == len(ep["calls"]) == info["step"]
            assert ep["return"] == pytest.approx(sum(rewards), abs=1e-9)
            assert all(c["tool"] in TOOLS for c in ep["calls"])
            returns.append(ep["return"])
    assert all(r > 1.0 for r in returns), (
        returns
    )  # the heuristic builds scenes: Q rises well above the empty room
    assert len(set(returns)) == len(returns)  # three different tasks, not one repeated answer


def test_openenv_eval_harness_scores_the_heuristic_with_in_process_rewards(server, tmp_path):
    from openenv.core.evals import EvalConfig

    params = {"seeds": [2, 4], "max_turns": MAX_STEPS}
    config = EvalConfig(harness_name="SceneGymEvalHarness", harness_version="1", library_versions={},
                        dataset="scene-gym/toolstep", eval_parameters=params)  # fmt: skip
    result = SceneGymEvalHarness(server.url, tmp_path).run_from_config(config)
    scores = result.scores
    assert scores["num_collected"] == 2 and scores["num_failed"] == 0
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    for seed, record in zip([2, 4], records, strict=True):
        calls = [{"tool": t["tool_name"], "args": t["arguments"]} for t in record["tool_trace"]]
        rewards, info, done = replay(seed, calls)
        assert [t["result"]["metadata"]["step_reward"] for t in record["tool_trace"]] == pytest.approx(
            rewards, abs=1e-9
        )
        assert record["reward"] == pytest.approx(sum(rewards), abs=1e-9)
        assert record["verify_metrics"]["final_q"] == pytest.approx(info["reward_value"], abs=1e-9)
        assert record["done"] == done
        assert record["messages"][0]["role"] == "system" and "add_objects" in record["messages"][0]["content"]
    assert scores["episode_rewards"] == [r["reward"] for r in records]
    assert scores["avg_reward"] == pytest.approx(sum(scores["episode_rewards"]) / 2)
    assert scores["avg_reward"] > 1.0 and scores["success_rate"] == 1.0


def test_concurrent_sessions_do_not_share_state(server):
    def one(seed: int) -> dict:
        with SceneGymClient(base_url=server.url).sync() as env:
            return heuristic_episode(env, seed=seed, max_calls=MAX_STEPS)

    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(one, SEEDS))
    for seed, ep in zip(SEEDS, together, strict=True):
        rewards, info, _ = replay(seed, ep["calls"])
        assert ep["rewards"] == pytest.approx(rewards, abs=1e-9)
        assert ep["state"].scene == ep["final"].scene and ep["state"].prompt == ep["final"].prompt
    assert len({ep["state"].episode_id for ep in together}) == 3
    assert len({ep["state"].prompt for ep in together}) == 3
    # interleaved steps on two sessions: each keeps its own scene and step count
    with SceneGymClient(base_url=server.url).sync() as a, SceneGymClient(base_url=server.url).sync() as b:
        a.reset(seed=0)
        b.reset(seed=1)
        a.step(SceneToolAction(tool="init_room", args={"room_type": "bedroom", "width": 3.0, "depth": 4.0}))
        b_after = b.step(
            SceneToolAction(tool="init_room", args={"room_type": "kitchen", "width": 5.0, "depth": 5.0})
        )
        a_state, b_state = a.state(), b.state()
        assert "bedroom" in a_state.scene and "3.00 x 4.00" in a_state.scene
        assert "kitchen" in b_state.scene and b_after.observation.scene == b_state.scene
        assert a_state.step_count == b_state.step_count == 1


def test_bad_actions_come_back_as_observations_with_the_scene_unchanged(server):
    bad = [
        (SceneToolAction(tool=5, args=[1]), "got 5"),
        (SceneToolAction(tool="fly_to_the_moon", args={}), "fly_to_the_moon"),
        (SceneToolAction(tool="add_objects", args={"category": "sofa", "count": -3}), "count"),
        (SceneToolAction(call="garbage{"), "malformed JSON"),
        (SceneToolAction(foo=1), "'foo'"),
        (SceneToolAction(call="{}", tool="terminate"), "got both"),
        (SceneToolAction(args={"x": float("nan")}), "tool"),
        (SceneToolAction(call=[{"tool": "terminate", "args": {}}] * 2), "exactly one tool call"),
    ]
    with SceneGymClient(base_url=server.url).sync() as env:
        first = env.reset(seed=0).observation
        env.step(SceneToolAction(tool="init_room", args={"room_type": "bedroom"}))
        before = env.state()
        for k, (action, named) in enumerate(bad, start=1):
            if k == MAX_STEPS - 1:  # keep the episode open: start again from the same state
                env.reset(seed=0)
                env.step(SceneToolAction(tool="init_room", args={"room_type": "bedroom"}))
                before = env.state()
            result = env.step(action)
            obs, state = result.observation, env.state()
            assert not obs.valid and named in obs.error, (action, obs.error)
            assert result.reward == -1.0 and not obs.applied and obs.call == {}
            assert (state.scene, state.reward_value, state.minutes) == (
                before.scene,
                before.reward_value,
                before.minutes,
            )
            assert state.step_count == before.step_count + 1  # counted, as in the gym env
            before = state
        assert first.catalogue and "add_objects" in first.catalogue


def test_step_before_reset_and_after_the_end_change_nothing():
    env = SceneGymEnvironment(max_steps=2)
    obs = env.step(SceneToolAction(tool="terminate"))
    assert "reset()" in obs.error and obs.reward == 0.0 and env.state.step_count == 0
    env.reset(seed=0)
    done = env.step(SceneToolAction(tool="terminate"))
    assert done.done and done.terminated and done.valid
    after = env.step(SceneToolAction(tool="init_room", args={"room_type": "bedroom"}))
    assert "episode is over" in after.error and after.reward == 0.0 and after.done
    assert env.state.step_count == 1 and env.state.scene == done.scene
    env.close()


def test_bad_reset_arguments_raise_our_error_and_leave_the_session_as_it_was(server):
    with SceneGymClient(base_url=server.url).sync() as env:
        env.reset(seed=0)
        env.step(SceneToolAction(tool="init_room", args={"room_type": "office"}))
        before = env.state()
        for kwargs, named in [({"seed": -1}, "seed"), ({"seed": "x"}, "seed"), ({"bogus": 1}, "bogus"),
                              ({"prompt": 7}, "prompt"), ({"scene": "{not json"}, "scene")]:  # fmt: skip
            with pytest.raises(RuntimeError, match=named):
                env.reset(**kwargs)
            assert env.state() == before
        assert env.step(SceneToolAction(tool="terminate")).observation.valid


def test_stateless_http_step_is_an_error_observation(server):
    import httpx

    reply = httpx.post(f"{server.url}/step", json={"action": {"tool": "terminate"}}, timeout=30)
    assert reply.status_code == 200 and "reset()" in reply.json()["observation"]["error"]
    assert httpx.get(f"{server.url}/health", timeout=30).json()["status"] == "healthy"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)  # fmt: skip
FIELDS = ("tool", "args", "call", "metadata")
ACTIONS = st.one_of(
    st.builds(lambda t, a: {"tool": t, "args": a}, JSON, JSON),
    st.builds(lambda c: {"call": c}, JSON | st.text(max_size=200)),
    st.builds(
        lambda k, v: {k: v},
        st.from_regex(r"[a-z]{1,8}", fullmatch=True).filter(lambda k: k not in FIELDS),
        JSON,
    ),
).filter(lambda fields: not any(name in json.dumps(fields) for name in TOOLS))  # a real call is not garbage


@pytest.fixture(scope="module")
def local_env():
    env = SceneGymEnvironment(max_steps=100_000)
    env.reset(seed=0)
    env.step(SceneToolAction(tool="init_room", args={"room_type": "bedroom"}))
    env.step(SceneToolAction(tool="add_objects", args={"category": "bed"}))
    yield env
    env.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=ACTIONS)
def test_any_json_action_is_an_error_observation_naming_it(local_env, fields):
    before = local_env.state
    obs = local_env.step(SceneToolAction(**fields))
    after = local_env.state
    assert not obs.valid and obs.error and obs.reward == -1.0
    assert (after.scene, after.reward_value, after.minutes) == (
        before.scene,
        before.reward_value,
        before.minutes,
    )
    assert after.step_count == before.step_count + 1
    if "tool" in fields and fields["tool"] is not None and not isinstance(fields["tool"], str):
        shown = (
            repr(fields["tool"]),
            json.dumps(fields["tool"]),
            json.dumps(fields["tool"], ensure_ascii=False),
        )
        assert any(text[:20] in obs.error for text in shown), obs.error
    extra = [k for k in fields if k not in ("tool", "args", "call")]
    if extra:
        assert repr(extra[0]) in obs.error


def test_rubric_scores_steps_and_exposes_its_children():
    env = SceneGymEnvironment(max_steps=5)
    env.reset(seed=1)
    obs = env.step(SceneToolAction(tool="init_room", args={"room_type": "bedroom"}))
    named = dict(env.rubric.named_rubrics())
    assert set(named) == {"quality", "minutes"}
    assert named["quality"].last_score == obs.reward_value and named["minutes"].last_score == obs.minutes
    assert env.rubric.last_score == obs.reward and math.isfinite(obs.reward)
    with pytest.raises(SceneGymError, match="time_weight"):
        ToolStepRubric(time_weight=-1.0)
    with pytest.raises(SceneGymError, match="start"):
        ToolStepRubric()(None, obs)
    env.close()


def test_make_app_checks_its_arguments_and_import_scene_gym_does_not_load_openenv():
    with pytest.raises(SceneGymError, match="max_concurrent_envs"):
        make_app(max_concurrent_envs=0)
    with pytest.raises(SceneGymError, match="max_steps"):
        make_app(max_steps=0)
    harness = SceneGymEvalHarness("http://127.0.0.1:9", "unused")  # refused before any connection
    for params, named in [
        ({"seeds": []}, "seeds"),
        ({"seeds": [1, -2]}, "seeds"),
        ({"seeds": [1], "prompts": ["a", "b"]}, "prompts"),
    ]:
        with pytest.raises(SceneGymError, match=named):
            harness.run("1", {}, "d", params)
    code = "import sys, scene_gym, scene_gym.integrations; print(any(m.startswith('openenv') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
    # without the extra, importing the adapter names it
    code = ("import sys; sys.modules['openenv'] = None\n"
            "try:\n    import scene_gym.integrations.openenv\nexcept ImportError as err:\n"
            "    print(type(err).__name__, err)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("MissingDependencyError") and "scene-gym[openenv]" in out.stdout


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=ACTIONS)
def test_any_json_action_over_the_wire_matches_the_local_answer(server, local_env, fields):
    with SceneGymClient(base_url=server.url).sync() as env:
        start = env.reset(seed=0).observation
        result = env.step(SceneToolAction(**fields))
        state = env.state()
    local = local_env.step(SceneToolAction(**fields))
    assert not result.observation.valid and result.reward == local.reward == -1.0
    assert result.observation.error == local.error
    assert state.scene == start.scene and state.step_count == 1


def test_example_demo_serves_plays_and_runs_the_harness(tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "openenv_server.py"
    helps = [subprocess.run([sys.executable, str(script), *mode, "--help"], capture_output=True, text=True, timeout=120)
             for mode in ([], ["demo"], ["serve"], ["client"])]  # fmt: skip
    assert all(h.returncode == 0 for h in helps)
    for flag in ("--out", "--max-steps", "--episodes", "--seed", "--host", "--port", "--sessions", "--url"):
        assert any(flag in h.stdout for h in helps), flag
    spec = importlib.util.spec_from_file_location("openenv_server_example", script)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    example.main(
        ["demo", "--out", str(tmp_path), "--episodes", "1", "--max-steps", "4"]
    )  # in-process: no re-import
    summary = json.loads((tmp_path / "summary.json").read_text())
    (episode,) = summary["episodes"]
    rewards, _, _ = replay(0, episode["calls"], max_steps=4)
    assert episode["rewards"] == pytest.approx(rewards, abs=1e-9)
    # the client loop and OpenEnv's harness drive the same seeded heuristic, so they earn the same return
    assert summary["harness"]["episode_rewards"] == pytest.approx([episode["return"]], abs=1e-9)
    assert not summary["bad_call"]["valid"] and "42" in summary["bad_call"]["error"]
    assert (tmp_path / "harness" / "results.jsonl").exists()
