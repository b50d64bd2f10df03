"""Scene as Blender code: the generated script is fixed code plus JSON data, and it renders in headless bpy."""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest
from PIL import Image

from scene_gym.actions import edit
from scene_gym.assets import build_asset, factories
from scene_gym.export.blender import blender_script, camera_spec, project, scene_data, write
from scene_gym.samples import BEDROOM_SPEC, bedroom_scene, build_from_spec
from scene_gym.scene import Light, Room, Scene

HAS_BPY = importlib.util.find_spec("bpy") is not None
needs_bpy = pytest.mark.skipif(not HAS_BPY, reason="bpy is not installed: pip install 'scene-gym[blender]'")
EVIL = "\nimport os; os.system('x')\n'''\"\"\"\\"
SPEC = [
    {"category": "desk", "at": (1.5, 0.4), "facing": "north"},
    {"category": "dresser", "at": (0.3, 1.5), "facing": "east"},
    {"category": "wardrobe", "at": (2.65, 1.5), "facing": "west"},
    {"category": "bookshelf", "at": (1.5, 2.8), "facing": "south"},
    {"category": "bowl", "on": ("desk_1", "top")},
]


def small_scene(prompt: str = "a small study", material: str = "walnut wood") -> Scene:
    base = build_from_spec(Scene(Room.rectangle(3.0, 3.0)), SPEC)
    # Built with the constructor: the material may be hostile text that the edit core would refuse.
    objects = [o.evolve(material=material) if o.id == "desk_1" else o for o in base.objects]
    lights = [Light(id="light_1", kind="point", position=(1.5, 1.5, 2.5), intensity=150.0),
              Light(id="light_2", kind="sun", direction=(0.3, -0.4, -1.0), intensity=2.0)]  # fmt: skip
    return Scene(base.room, objects, lights, prompt=prompt)


def json_constant(tree: ast.Module) -> ast.Constant:
    """The string constant assigned to SCENE_JSON."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["SCENE_JSON"]:
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            return node.value
    raise AssertionError("no SCENE_JSON assignment")


def run_script(script, *args, cwd, timeout=180):
    proc = subprocess.run([sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def check_render(path, size):
    assert path.exists()
    with Image.open(path) as im:
        assert im.size == size
        pixels = np.asarray(im.convert("RGB"), dtype=float)
    assert pixels.std() > 0
    # The room, not only the background, fills much of the picture.
    differs = np.abs(pixels - pixels[0, 0]).sum(axis=-1) > 10
    assert differs.mean() > 0.2


def test_scene_strings_are_only_data():
    benign = blender_script(small_scene())
    evil = blender_script(small_scene(prompt=EVIL, material=EVIL))
    evil_tree = ast.parse(evil)

    # No call to os.system (or anything named system), and exactly the script's own imports.
    calls = [n for n in ast.walk(evil_tree) if isinstance(n, ast.Call)]
    assert not any(isinstance(c.func, ast.Attribute) and c.func.attr == "system" for c in calls)
    imports = {alias.name for n in ast.walk(evil_tree) if isinstance(n, ast.Import | ast.ImportFrom)
               for alias in n.names}  # fmt: skip
    assert imports == {"argparse", "json", "math", "os", "sys", "bpy", "bmesh", "Matrix", "Vector", "_cycles"}

    # The strings come back intact from the JSON literal...
    data = json.loads(json_constant(evil_tree).value)
    assert data["prompt"] == EVIL
    assert next(o for o in data["objects"] if o["id"] == "desk_1")["material"] == EVIL
    # ...and apart from that literal, the code is the same whatever the scene says.
    benign_tree = ast.parse(benign)
    json_constant(benign_tree).value = json_constant(evil_tree).value = ""
    assert ast.dump(benign_tree) == ast.dump(evil_tree)
    assert evil.isascii()


def test_script_is_the_runtime_module_with_the_scene_json():
    runtime = resources.files("scene_gym.export").joinpath("blender_runtime.py").read_text(encoding="utf-8")
    script = blender_script(small_scene())
    code, out = runtime.splitlines(), script.splitlines()
    i = next(k for k, line in enumerate(code) if line.startswith('SCENE_JSON = "{}"'))
    tail = len(code) - i - 1
    assert out[:i] == code[:i] and out[-tail:] == code[i + 1 :]
    assert json.loads(json_constant(ast.parse(script)).value)["prompt"] == "a small study"
    assert "scene_gym.export.blender_runtime" not in sys.modules  # read as text, never imported


def test_data_poses_parts_with_joint_states():
    scene = small_scene()
    asset = build_asset("dresser", scene.get("dresser_1").size)
    slide = next(j for j in asset.joints if j.kind == "prismatic")
    edit.set_joints(scene, "dresser_1", {slide.name: slide.limits[1]})
    data = scene_data(scene)
    obj = scene.get("dresser_1")
    parts = {p["name"]: p for p in next(o for o in data["objects"] if o["id"] == "dresser_1")["parts"]}
    assert set(parts) == {p.name for p in asset.parts}
    for part, transform in zip(asset.parts, asset.part_transforms(obj.joints), strict=True):
        np.testing.assert_allclose(parts[part.name]["matrix"], obj.transform() @ transform, atol=1e-6)
    moved = [p for p in asset.parts if p.link == slide.child]
    closed = obj.transform() @ moved[0].transform
    opened = np.asarray(parts[moved[0].name]["matrix"])
    # The dresser faces east (+X): its drawer slides out along +X by the joint position.
    np.testing.assert_allclose(opened[:3, 3] - closed[:3, 3], [slide.limits[1], 0.0, 0.0], atol=1e-6)
    assert all(0 <= p["material"] < len(data["materials"]) for p in parts.values())
    names = [m["name"] for m in data["materials"]]
    assert len(names) == len(set(names)) and "white lacquer" in names


def test_camera_sees_the_whole_room_from_a_high_corner():
    scene = small_scene()
    room = scene.room
    for aspect in (4 / 3, 1.0, 16 / 9):
        cam = camera_spec(scene, aspect)
        assert cam["location"][2] > room.wall_height
        assert cam["location"][0] < 0 and cam["location"][1] < 0  # beyond the south-west corner
        corners = np.array([(x, y, z) for x, y in room.floor for z in (0.0, room.wall_height)])
        tan = np.abs(project(corners, cam["location"], cam["target"]))
        assert np.isfinite(tan).all()
        # The script widens whichever axis the aspect needs (by the same rule, here at this aspect).
        tan_x = max(cam["tan_x"], cam["tan_y"] * aspect) * cam["margin"]
        assert (tan[:, 0] <= tan_x).all() and (tan[:, 1] <= tan_x / aspect).all()
        assert tan[:, 0].max() > 0.5 * tan_x or tan[:, 1].max() > 0.5 * tan_x / aspect  # and fills the frame
    walls = {w["wall"]: w["hide_from_camera"] for w in scene_data(scene)["room"]["walls"]}
    assert walls == {0: True, 1: False, 2: False, 3: True}  # cut-away: the near south and west walls


def test_write_returns_the_script(tmp_path):
    scene = small_scene()
    assert write(scene, tmp_path) == [tmp_path / "scene_blender.py"]
    assert (tmp_path / "scene_blender.py").read_text() == blender_script(scene)
    ast.parse((tmp_path / "scene_blender.py").read_text())


@needs_bpy
@pytest.mark.slow
def test_script_renders_a_small_scene(tmp_path):
    script = write(small_scene(prompt=EVIL, material=EVIL), tmp_path)[0]
    run_script(script, "--out", "x.png", "--res", "64", "48", "--samples", "4", cwd=tmp_path)
    check_render(tmp_path / "x.png", (64, 48))
    assert not (tmp_path / "x").exists()


@needs_bpy
@pytest.mark.slow
def test_script_defaults_and_blender_style_arguments(tmp_path):
    script = tmp_path / "scene_blender.py"
    script.write_text(blender_script(small_scene(), render_path="default.png", resolution=(40, 30), samples=2))
    run_script(script, "--", cwd=tmp_path)  # as `blender -b -P script --`: nothing after "--" keeps defaults
    check_render(tmp_path / "default.png", (40, 30))


@needs_bpy
@pytest.mark.slow
def test_script_renders_the_bedroom(tmp_path):
    missing = sorted({e["category"] for e in BEDROOM_SPEC} - set(factories()))
    assert not missing, f"bedroom categories not registered: {missing}"
    scene = bedroom_scene()
    data = scene_data(scene)
    assert [o["id"] for o in data["objects"]] == [o.id for o in scene.objects]
    assert {light["kind"] for light in data["lights"]} == {"area", "sun"}
    script = write(scene, tmp_path)[0]
    run_script(script, "--out", "bedroom.png", "--res", "64", "48", "--samples", "4", cwd=tmp_path)
    check_render(tmp_path / "bedroom.png", (64, 48))


def test_bad_render_settings_raise():
    from scene_gym.errors import ExportError

    with pytest.raises(ExportError, match="resolution"):
        blender_script(small_scene(), resolution=(0, 10))
    assert math.isfinite(camera_spec(small_scene())["tan_x"])
