"""Imports point down the layers of DESIGN.md: every ``scene_gym`` import in the package (lazy ones inside
functions included) goes to a lower layer, or to a peer named in :data:`PEERS`."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scene_gym"

#: Bottom to top. A module may import its own package and any package of a lower layer.
LAYERS: list[set[str]] = [
    {"errors", "llm"},
    {"scene"},
    {"assets"},
    {"physics", "render", "export", "sim", "samples"},  # backends (and the sample scenes)
    {"spec"},
    {"layout", "metrics"},
    {"actions"},
    {"rewards"},
    {"envs"},
    {"agents"},
    {"benchmarks", "train", "integrations"},
    {"cli"},
]
#: Imports allowed between packages of one layer: renderers draw with the exporters' MuJoCo model and Blender
#: script and share physics' quiet pybullet import; the MuJoCo rollouts build on the MJCF exporter.
PEERS = {("render", "export"), ("render", "physics"), ("sim", "export")}
#: Stricter than the layer order: the data model imports only the package's errors (scene/__init__.py).
ONLY = {"scene": {"errors"}, "llm": {"errors"}}
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.startswith("scene_gym."):
                yield node.lineno, name


def _files():
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "__init__.py")


def test_every_package_is_placed_in_a_layer():
    packages = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _files()}
    assert packages <= set(LEVEL), sorted(packages - set(LEVEL))


def test_imports_point_down():
    bad = []
    for path in _files():
        src = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for line, name in _imports(path):
            dst = name.split(".")[1]
            if dst == src:
                continue
            allowed = dst in ONLY[src] if src in ONLY else LEVEL[dst] < LEVEL[src] or (src, dst) in PEERS
            if not allowed:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert not bad, "\n".join(bad)


def test_nothing_imports_the_blender_runtime():
    """It imports bpy at its top: the exporter reads it as text (importlib.resources), never as a module."""
    hits = [f"{p.relative_to(PACKAGE.parent)}:{line}" for p in _files() for line, name in _imports(p)
            if name == "scene_gym.export.blender_runtime"]  # fmt: skip
    assert not hits
