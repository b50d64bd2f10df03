"""Exporters: a scene to MJCF, URDF/SDF (per articulated asset), GLB/OBJ and Blender Python.

Exports read a scene and never change it. Each format module exposes ``write(scene, out_dir) -> list[Path]``
and writes atomically; :func:`export_scene` dispatches by format name.
"""

from __future__ import annotations

import difflib
import importlib
from pathlib import Path

from scene_gym.errors import ExportError

#: format name -> (module, function, what it writes)
FORMATS: dict[str, tuple[str, str, str]] = {
    "mjcf": ("scene_gym.export.mjcf", "write", "scene.xml: the whole scene for MuJoCo"),
    "urdf": ("scene_gym.export.urdf", "write", "<id>.urdf per articulated object"),
    "sdf": ("scene_gym.export.sdf", "write", "<id>.sdf per articulated object"),
    "glb": ("scene_gym.export.mesh", "write_glb", "scene.glb: one node per object"),
    "obj": ("scene_gym.export.mesh", "write_obj", "scene.obj (+ .mtl): one object per scene object"),
    "blender": ("scene_gym.export.blender", "write", "scene_blender.py: rebuilds and renders the scene in bpy"),
}


def export_scene(scene, fmt: str, out_dir: str | Path) -> list[Path]:
    """Write ``scene`` in format ``fmt`` (a key of :data:`FORMATS`) into ``out_dir``; returns written paths.

    The scene's assets are validated first, so an unknown category fails before any file is written.
    """
    if fmt not in FORMATS:
        close = difflib.get_close_matches(str(fmt), FORMATS, n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise ExportError(f"expected a format in {sorted(FORMATS)}, got {fmt!r}{hint}")
    from scene_gym.assets.validation import check_scene_assets

    check_scene_assets(scene)
    module, func, _ = FORMATS[fmt]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return list(getattr(importlib.import_module(module), func)(scene, out))


__all__ = ["FORMATS", "export_scene"]
