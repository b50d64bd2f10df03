"""Checks of an object program across its fields: the part tree, shape-specific fields, joints, handles and
surfaces (the rules are listed in :mod:`scene_gym.assets.programs.schema`). Geometric checks that need the parts
drawn (object extent, prismatic travel, self-intersecting joints) run when the program is compiled
(:mod:`scene_gym.assets.programs.compile`). Every check raises :class:`~scene_gym.errors.ProgramError` naming
the field path.
"""

from __future__ import annotations

from scene_gym.assets.programs.geometry import polygon_problem
from scene_gym.errors import AssetError, ProgramError, UnknownCategoryError
from scene_gym.scene.document import shown


def check_parts(program) -> None:
    """Unique names, one root, parents that exist, no cycles, and each shape's own fields."""
    index: dict[str, int] = {}
    for i, part in enumerate(program.parts):
        if part.name in index:
            raise ProgramError(f"parts[{i}].name", f"expected a unique part name, got {part.name!r} again (first "
                                                   f"at parts[{index[part.name]}])")  # fmt: skip
        index[part.name] = i
    roots = [i for i, p in enumerate(program.parts) if p.parent is None]
    if len(roots) != 1:
        where = f"parts[{roots[1]}].parent" if len(roots) > 1 else "parts"
        raise ProgramError(where, f"expected exactly one root part (parent null), got {len(roots)}: "
                                  f"{shown([program.parts[i].name for i in roots])}")  # fmt: skip
    for i, part in enumerate(program.parts):
        if part.parent is not None and part.parent not in index:
            raise ProgramError(f"parts[{i}].parent", f"expected the name of another part, got {part.parent!r}")
    for i, part in enumerate(program.parts):  # walk up from every part: a cycle never reaches the root
        seen, node = {part.name}, part.parent
        while node is not None:
            if node in seen:
                raise ProgramError(f"parts[{i}].parent", f"the part tree has a cycle through {node!r}")
            seen.add(node)
            node = program.parts[index[node]].parent
    for i, part in enumerate(program.parts):
        _check_shape(i, part)


def _check_shape(i: int, part) -> None:
    where = f"parts[{i}]"
    needs_profile = part.shape in ("lathe", "extrusion")
    if needs_profile != (part.profile is not None):
        what = "a profile" if needs_profile else "no profile (only lathe and extrusion parts have one)"
        raise ProgramError(f"{where}.profile", f"expected {what} for a {part.shape} part, got "
                                               f"{'none' if part.profile is None else 'one'}")  # fmt: skip
    if (part.shape == "asset") != (part.asset is not None):
        what = "an asset" if part.shape == "asset" else "no asset (only asset parts have one)"
        raise ProgramError(f"{where}.asset", f"expected {what} for a {part.shape} part")
    if part.bevel < 0 or (part.bevel > 0 and part.shape != "box") or part.bevel > min(part.size) / 2:
        raise ProgramError(f"{where}.bevel", f"expected a bevel in [0, {min(part.size) / 2:g}] m on a box (0 on other "
                                             f"shapes), got {part.bevel!r}")  # fmt: skip
    if part.shape == "lathe":
        if len(part.profile) < 2:
            raise ProgramError(f"{where}.profile", f"expected at least 2 (radius, z) points, got {len(part.profile)}")
        for k, (r, _) in enumerate(part.profile):
            if r < 0:
                raise ProgramError(f"{where}.profile[{k}][0]", f"expected a radius >= 0, got {r!r}")
        radii, zs = [r for r, _ in part.profile], [z for _, z in part.profile]
        if max(radii) < 1e-4 or max(zs) - min(zs) < 1e-4:
            raise ProgramError(f"{where}.profile", "expected a profile that encloses a volume (some radius > 0 and "
                                                   "a z range > 0)")  # fmt: skip
    if part.shape == "extrusion":
        problem = polygon_problem(part.profile)
        if problem:
            raise ProgramError(f"{where}.profile", problem)
    if part.shape == "asset":
        _check_asset_ref(where, part.asset)


def _check_asset_ref(where: str, ref) -> None:
    from scene_gym.assets.factory import factories

    catalog = factories()
    if ref.category not in catalog:
        from scene_gym.assets.catalog import suggest

        hint = suggest(ref.category)
        raise ProgramError(f"{where}.asset.category", str(UnknownCategoryError(ref.category[:60], hint)))
    try:
        catalog[ref.category].check_params(ref.params)
    except AssetError as err:  # "params.<name>: ..."
        raise ProgramError(f"{where}.asset.{str(err).split(':', 1)[0]}", str(err).split(": ", 1)[-1]) from None


def subtree(program, name: str) -> set[str]:
    """Names of part ``name`` and every part below it."""
    children: dict[str, list[str]] = {}
    for part in program.parts:
        if part.parent is not None:
            children.setdefault(part.parent, []).append(part.name)
    out, stack = set(), [name]
    while stack:
        node = stack.pop()
        if node not in out:
            out.add(node)
            stack.extend(children.get(node, ()))
    return out


def check_joints(program) -> None:
    """Unique joint names, moving parts that exist and are not the root, one joint per part, no nested joints,
    limits around 0, handles in the moving subtree."""
    names = {p.name: p for p in program.parts}
    moving: dict[str, int] = {}
    subtrees: list[set[str]] = []
    seen_names: dict[str, int] = {}
    for j, joint in enumerate(program.joints):
        where = f"joints[{j}]"
        if joint.name in seen_names:
            raise ProgramError(f"{where}.name", f"expected a unique joint name, got {joint.name!r} again")
        seen_names[joint.name] = j
        if joint.part not in names:
            raise ProgramError(f"{where}.part", f"expected the name of a part, got {joint.part!r}")
        if names[joint.part].parent is None:
            raise ProgramError(f"{where}.part", f"the root part {joint.part!r} cannot move; give the joint a child part")
        if joint.part in moving:
            raise ProgramError(f"{where}.part", f"part {joint.part!r} already moves with joints[{moving[joint.part]}]; "
                                                "expected at most one joint per part")  # fmt: skip
        moving[joint.part] = j
        lo, hi = joint.limits
        if not lo <= 0.0 <= hi or lo == hi:
            raise ProgramError(f"{where}.limits", f"expected (lower, upper) with lower <= 0 <= upper and lower < upper, "
                                                  f"got {shown(list(joint.limits))}")  # fmt: skip
        subtrees.append(subtree(program, joint.part))
    for j, joint in enumerate(program.joints):
        for k, other in enumerate(program.joints):
            if k != j and joint.part in subtrees[k]:
                raise ProgramError(f"joints[{j}].part", f"part {joint.part!r} lies inside the subtree that "
                                   f"joints[{k}] ({other.name!r}) moves; nested joints are not supported (each joint "
                                   "moves its parts relative to the fixed root)")  # fmt: skip
        if isinstance(joint.handle, str) and joint.handle not in subtrees[j]:
            raise ProgramError(f"joints[{j}].handle", f"expected a part that moves with {joint.part!r} (its subtree: "
                                                      f"{shown(sorted(subtrees[j]))}), got {joint.handle!r}")  # fmt: skip


def check_surfaces(program) -> None:
    """Surfaces lie on parts that exist."""
    names = {p.name for p in program.parts}
    for s, surface in enumerate(program.surfaces):
        if surface.part not in names:
            raise ProgramError(f"surfaces[{s}].part", f"expected the name of a part, got {surface.part!r}")


__all__ = ["check_joints", "check_parts", "check_surfaces", "subtree"]
