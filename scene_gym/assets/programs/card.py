"""A compact reference card of the object-program format, for model prompts (the DSL reference and the tool
catalogue carry it) and for people reading them. The full reference is :mod:`scene_gym.assets.programs.schema`."""

from __future__ import annotations

PROGRAM_CARD = (
    "Object program (JSON): {placement: floor|wall|surface|ceiling, front: +y|-y|+x|-x, material, "
    "parts: [{name, shape: box|cylinder|cone|sphere|lathe|extrusion|asset, size: [w, d, h] m, parent: part name "
    "(one root has none), position: [x, y, z] m from the parent's centre, rpy: [roll, pitch, yaw] rad, material, "
    "profile: [[r, z]...] (lathe) or [[x, y]...] (extrusion), asset: {category} (asset)}], "
    "joints: [{name, kind: revolute|prismatic, part: the moving part, axis: [x, y, z], origin: [x, y, z] m, "
    "limits: [lo, hi] (lo <= 0 <= hi; rad or m), handle: a part name}], surfaces: [{part, size: [w, d]}]}. "
    "At most 64 parts, 8 joints, 8 surfaces; parts 0.002-5 m."
)
"""One paragraph: every field of an object program with its units and the main limits."""

__all__ = ["PROGRAM_CARD"]
