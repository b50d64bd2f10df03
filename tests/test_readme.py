"""The README's quick start runs as written, and its set-up section names exactly the two make targets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import mujoco

README = Path(__file__).resolve().parents[1] / "README.md"


def test_quick_start_runs(tmp_path):
    text = README.read_text()
    code = re.search(r"## Quick start\s+```python\n(.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) <= 10
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, capture_output=True)
    assert mujoco.MjModel.from_xml_path(str(tmp_path / "out" / "scene.xml")).nbody >= 2


def test_setup_has_exactly_the_two_make_commands():
    setup = re.search(r"## Set up\s+(.*?)\n## ", README.read_text(), re.S).group(1)
    commands = re.findall(r"^make \w+", setup, re.M)
    assert commands == ["make demo", "make test"]


def test_environment_snippet_runs(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    out = subprocess.run([sys.executable, "-c", blocks[1]], cwd=tmp_path, check=True, capture_output=True, text=True)
    assert "added armchair_1" in out.stdout
