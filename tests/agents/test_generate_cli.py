"""``scene-gym generate`` and ``make_policy``."""

from __future__ import annotations

import json

import pytest

from scene_gym.agents.heuristic import HeuristicPolicy
from scene_gym.agents.random_policy import RandomPolicy
from scene_gym.agents.registry import known_specs, make_policy
from scene_gym.cli import main
from scene_gym.errors import SceneGymError
from scene_gym.scene import Scene

PROMPT = "A cosy bedroom with a double bed, two nightstands with lamps and a wardrobe"


def test_make_policy_known_and_unknown():
    assert isinstance(make_policy("heuristic", seed=1), HeuristicPolicy)
    assert isinstance(make_policy("random", seed=1, done_prob=0.5), RandomPolicy)
    assert known_specs() == ["heuristic", "random", "scripted", "test:NAME", "vlm:PATH", "api:MODEL",
                             "import:MODULE:FACTORY"]  # fmt: skip
    with pytest.raises(SceneGymError, match=r"heuristic.*random.*vlm:PATH.*api:MODEL.*'heuristik'.*did you mean"):
        make_policy("heuristik")
    with pytest.raises(SceneGymError, match="vlm:PATH"):
        make_policy("vlm:")
    with pytest.raises(SceneGymError, match="without an argument"):
        make_policy("random:3")


def test_make_policy_serves_the_specs_the_leaderboard_stores():
    from scene_gym.agents.scripted import ScriptedPolicy
    from scene_gym.agents.testing import TEST_POLICIES

    assert isinstance(make_policy("scripted", seed=0), ScriptedPolicy)
    for name, cls in TEST_POLICIES.items():
        assert type(make_policy(f"test:{name}", seed=0)) is cls
    with pytest.raises(SceneGymError, match="unknown test policy 'test:nope'"):
        make_policy("test:nope")
    with pytest.raises(SceneGymError, match="unknown policy module 'no_such_module_xyz'"):
        make_policy("import:no_such_module_xyz:make")
    imported = make_policy("import:scene_gym.agents.random_policy:RandomPolicy", seed=3)
    assert isinstance(imported, RandomPolicy)
    with pytest.raises(SceneGymError, match="to build a scene_gym.agents.Policy"):
        make_policy("import:numpy.random:default_rng")
    # kind= is stored as reset(kind=...) would
    assert make_policy("heuristic", seed=1, kind="scene").kind.action_format == "dsl"


def test_generate_writes_scene_metrics_renders_and_exports(tmp_path, capsys):
    out = tmp_path / "gen"
    assert main(["generate", PROMPT, "--policy", "heuristic", "--env", "trajectory", "--seed", "0", "--out", str(out),
                 "--size", "96"]) == 0  # fmt: skip
    files = {p.name for p in out.iterdir()}
    assert {"scene.json", "metrics.json", "rollout.jsonl", "render.png", "render_topdown_ids.png", "scene.xml",
            "scene.glb", "scene_blender.py"} <= files  # fmt: skip
    assert any(f.endswith(".urdf") for f in files)
    scene = Scene.load(out / "scene.json")
    assert scene.prompt == PROMPT and {"bed", "wardrobe", "nightstand", "table_lamp"} <= {o.category for o in scene}
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["n_oob"] == 0 and metrics["n_collisions"] == 0 and metrics["n_obj"] == len(
        [o for o in scene if o.category != "rug"])
    for key in ("realism", "functionality", "layout", "completeness", "q"):
        assert 0 <= metrics[key] <= 20
    assert metrics["policy"]["name"] == "heuristic"
    summary = json.loads(capsys.readouterr().out)
    assert summary["n_collisions"] == 0


def test_generate_scene_env_with_random_policy(tmp_path):
    out = tmp_path / "rand"
    assert main(["generate", "Design me a kitchen", "--policy", "random", "--env", "scene", "--seed", "2",
                 "--out", str(out), "--size", "64", "--no-exports", "--max-steps", "3"]) == 0  # fmt: skip
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] <= 3 and metrics["env"] == "SceneSynth-v1"
    assert not (out / "scene.xml").exists()


def test_generate_unknown_policy_is_a_clean_error(tmp_path, capsys):
    assert main(["generate", "Design me a gym", "--policy", "oracle", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "oracle" in err and "heuristic" in err
