"""Scene files with hostile params, sizes or categories are refused where they enter (the CLI commands that read
scene files, an env's ``options["scene"]``) with one line naming the field, in bounded time; ``render --out``
replaces links at its output paths instead of writing through them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from deadlines import deadline
from PIL import Image

import scene_gym  # noqa: F401  (registers the envs)
from scene_gym.cli import main
from scene_gym.errors import SceneGymError, SceneValidationError
from scene_gym.samples import bedroom_scene

COMMANDS = {"eval": [], "export": ["--to", "glb", "--out", "{out}"], "render": ["--size", "32", "--out", "{out}"],
            "robot": ["--json"]}  # fmt: skip
WARDROBE = 3  # index of wardrobe_1 in the bedroom sample


def _text(change: dict | None = None, raw: str | None = None) -> str:
    """The bedroom sample's JSON with the wardrobe's fields updated by ``change``, its params replaced by the
    raw JSON ``raw`` when given."""
    data = bedroom_scene().to_dict()
    data["objects"][WARDROBE].update(change or {})
    if raw is None:
        return json.dumps(data)
    data["objects"][WARDROBE]["params"] = "@PARAMS@"
    return json.dumps(data).replace('"@PARAMS@"', raw)


HOSTILE = [
    ("count 1e7", _text(raw='{"n_shelves": 1e7}'),
     r"objects\[3\]\.params\.n_shelves: expected an integer in \[0, 8\], got 10000000\.0"),
    ("count 10000000", _text({"params": {"n_shelves": 10_000_000}}), r"objects\[3\]\.params\.n_shelves: .* got 10000000 "),
    ("count 1e400", _text(raw='{"n_shelves": 1e400}'), r"number 1e400 is out of range"),
    ("count 10**400", _text(raw='{"n_shelves": 1' + "0" * 400 + "}"), r"\(401 characters\) is out of range"),
    ("count -1", _text({"params": {"n_shelves": -1}}), r"objects\[3\]\.params\.n_shelves: .* got -1 "),
    ("unknown param", _text({"params": {"n_legs": 4}}), r"objects\[3\]\.params: unknown parameter\(s\) 'n_legs'"),
    ("size", _text({"size": [400.0, 0.6, 2.0]}), r"objects\[3\]\.size: expected width in \(0, 50\] m, got 400\.0 \(got \[400\.0, 0\.6, 2\.0\]\)"),
    ("size in range", _text({"size": [40.0, 0.6, 2.0]}), r"objects\[3\]\.size: expected width in \[0\.8, 2\.4\] m, got 40\.0"),
    ("category", _text({"category": "spaceship"}), r"objects\[3\]\.category: unknown category 'spaceship'"),
    ("null", "null", r"expected a JSON object for a scene, got None"),
    ("nesting", "[" * 50_000 + "]" * 50_000, r"nested at most 64 levels deep"),
]  # fmt: skip


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_commands_refuse_hostile_scene_files_at_load(command, tmp_path, capsys):
    for name, text, message in HOSTILE:
        path = tmp_path / f"{name.replace(' ', '_')}.json"
        path.write_text(text)
        out = tmp_path / f"out_{name.replace(' ', '_')}"
        args = [a.replace("{out}", str(out)) for a in COMMANDS[command]]
        with deadline(60):
            assert main([command, str(path), *args]) == 2, name
        err = capsys.readouterr().err
        assert err.startswith(f"scene-gym {command}: error: ") and err.count("\n") == 1, (name, err)
        assert re.search(message, err), (name, err)
        assert not out.exists(), name  # refused before anything was written


@pytest.mark.parametrize("name", [h[0] for h in HOSTILE])
def test_env_reset_refuses_hostile_scene_options(name):
    text = next(t for n, t, _ in HOSTILE if n == name)
    env = gym.make("SceneSynth-v1", image_size=None)
    try:
        for value in (text, _maybe_dict(text)):
            if value is None:
                continue
            with deadline(60), pytest.raises(SceneGymError) as err:
                env.reset(seed=0, options={"scene": value})
            assert isinstance(err.value, SceneValidationError), err.value
    finally:
        env.close()


def _maybe_dict(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def test_env_reset_accepts_the_sample_and_checks_scene_objects_too():
    env = gym.make("SceneSynth-v1", image_size=None)
    try:
        env.reset(seed=0, options={"scene": bedroom_scene().to_json()})
        assert len(env.unwrapped.scene) == len(bedroom_scene())
        from scene_gym.scene import Scene

        hostile = Scene.from_json(_text({"params": {"n_shelves": 10_000_000}}))
        with deadline(60), pytest.raises(SceneValidationError, match=r"objects\[3\]\.params\.n_shelves"):
            env.reset(seed=0, options={"scene": hostile})
    finally:
        env.close()


def test_render_out_replaces_links_instead_of_writing_through_them(tmp_path):
    scene_path = bedroom_scene().save(tmp_path / "scene.json")
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_text("precious")
    for name in ("topdown.png", "contact_sheet.png"):
        (out / name).symlink_to(victim)
    (out / "topdown_ids.png").symlink_to(tmp_path / "dangling" / "file.png")
    assert main(["render", str(scene_path), "--views", "topdown", "--size", "32", "--out", str(out)]) == 0
    assert victim.read_text() == "precious" and not (tmp_path / "dangling").exists()
    for name in ("topdown.png", "topdown_ids.png", "contact_sheet.png"):
        path = out / name
        assert not path.is_symlink() and path.is_file(), name
        assert np.asarray(Image.open(path)).std() > 0, name
    assert sorted(p.name for p in Path(out).iterdir()) == ["contact_sheet.png", "topdown.png", "topdown_ids.png"]
