"""House rules the code keeps by construction: small modules and functions in the middle floors, and the layer
contracts of import-linter (``.importlinter``) run on every test run."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scene_gym"
#: The packages where actions are decoded and policies written: the floors most edited by contributors.
MIDDLE_FLOORS = ("actions", "envs", "agents")
MAX_FILE_LINES = 450
MAX_FUNCTION_LINES = 80


def _files():
    for floor in MIDDLE_FLOORS:
        yield from sorted((PACKAGE / floor).rglob("*.py"))


def test_middle_floor_files_stay_small():
    big = {str(p.relative_to(PACKAGE)): n for p in _files() if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES}
    assert not big, f"files over {MAX_FILE_LINES} lines (split them by idea): {big}"


def test_middle_floor_functions_stay_short():
    long = {}
    for path in _files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                n = node.end_lineno - first + 1
                if n > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"] = n
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package under ``root`` (``root`` first on the import path)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is missing: `pip install -e '.[dev]'` installs import-linter")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([exe, str(root / ".importlinter"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_import_contracts_hold():
    out = _lint_imports(PACKAGE.parent)
    assert out.returncode == 0 and " 0 broken" in out.stdout, out.stdout[-4000:] + out.stderr[-2000:]


@pytest.mark.parametrize("planted, line", [
    ("scene_gym/scene/planted.py", "from scene_gym.envs import kinds\n"),
    ("scene_gym/rewards/planted.py", "from scene_gym.scene import mutation\n"),
    ("scene_gym/actions/tools/planted.py", "from scene_gym.scene.mutation import set_prompt\n"),
])  # fmt: skip
def test_a_planted_violation_breaks_the_contracts(tmp_path, planted, line):
    """Copy the package, plant one forbidden import, and watch lint-imports fail naming the planted module."""
    root = tmp_path / "repo"
    shutil.copytree(PACKAGE, root / "scene_gym", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PACKAGE.parent / ".importlinter", root / ".importlinter")
    (root / planted).write_text(line)
    out = _lint_imports(root)
    assert out.returncode != 0 and "planted" in out.stdout, out.stdout[-3000:]
