"""Prompt suites: versioned JSON files shipped in ``scene_gym/benchmarks/suites/``, loaded and validated.

A suite file (``"schema": "scene-gym/suite@1"``)::

    {"schema": "scene-gym/suite@1", "name": "template", "version": 1, "description": "...",
     "env_kinds": ["scene", "trajectory", "toolstep"], "default_seeds": 5,
     "entries": [{"id": "bedroom", "prompt": "Design me a bedroom.", "room_type": "bedroom",
                  "label": "bedroom", "width": [3.6, 4.8], "depth": [3.8, 5.0], "spec": {...}}]}

``env_kinds`` names registered scene kinds (:mod:`scene_gym.envs.kinds`) that all start from the same state:
a room (``starts_from == "room"``: a *room suite*) or a receptacle (``"receptacle"``: a *receptacle suite*).
The first is the runner's default; any registered kind with the suite's starting state may run it
(:attr:`Suite.starts_from`), including kinds registered after the suite was written.

Room entries need ``room_type`` (one of :data:`scene_gym.scene.ROOM_TYPES`, the type the starting room gets) and
``width``/``depth`` ranges in metres (the starting room's size is drawn in them from the seed). ``label`` is the
name the leaderboard aggregates by (``"home library"`` in ``rooms-50`` is a ``bookstore`` room); ``spec`` is an
optional SceneEval-style annotation in the :class:`scene_gym.spec.TaskSpec` JSON format (without one, the prompt
is parsed by :func:`scene_gym.spec.parse_prompt` and given the entry's room type). Receptacle entries name a
``receptacle`` category instead of a room.

Built-in suites: ``template`` (SceneOrchestra's "Design me a <room type>." over 10 types x 5 seeds),
``complex`` (34 annotated detailed prompts), ``rooms-50`` (50 room types, one prompt each), ``asset``
(v2: 3D-Generalist's 15 receptacles, 5 small tables, 5 large tables, 5 shelves, plus 9 more catalog receptacles).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from scene_gym.benchmarks.errors import BenchmarkError

SUITE_SCHEMA = "scene-gym/suite@1"
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
MAX_ENTRIES = 10_000


def _fail(path: str, expected: str, value: Any) -> BenchmarkError:
    text = repr(value)
    return BenchmarkError(f"{path}: expected {expected}, got {text if len(text) <= 60 else text[:57] + '...'}")


def _range(path: str, value: Any) -> tuple[float, float]:
    if (not isinstance(value, list | tuple) or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):  # fmt: skip
        raise _fail(path, "[min, max] metres", value)
    lo, hi = float(value[0]), float(value[1])
    if not (math.isfinite(lo) and math.isfinite(hi) and 1.5 <= lo <= hi <= 50.0):
        raise _fail(path, "[min, max] metres with 1.5 <= min <= max <= 50", value)
    return lo, hi


@dataclass(frozen=True)
class SuiteEntry:
    """One prompt of a suite.

    Attributes:
        id: unique within the suite, lowercase (``"bedroom"``, ``"small_table_3"``).
        prompt: the task text given to the environment.
        label: what the leaderboard aggregates by (room type, or receptacle group for ``asset``).
        room_type: the starting room's type (room suites), a :data:`scene_gym.scene.ROOM_TYPES` member.
        width, depth: (min, max) metres of the starting room (room suites).
        receptacle: the receptacle category (asset suite).
        spec: the annotation as a :class:`scene_gym.spec.TaskSpec` JSON dict, or None.
    """

    id: str
    prompt: str
    label: str
    room_type: str | None = None
    width: tuple[float, float] | None = None
    depth: tuple[float, float] | None = None
    receptacle: str | None = None
    spec: dict | None = field(default=None, compare=False, repr=False)

    def task_spec(self):
        """The :class:`~scene_gym.spec.TaskSpec` the scene is judged against: the annotation, else the parsed
        prompt with the entry's room type."""
        from scene_gym.spec import TaskSpec, parse_prompt

        if self.spec is not None:
            return TaskSpec.from_dict(self.spec)
        spec = parse_prompt(self.prompt)
        return dataclasses.replace(spec, room_type=self.room_type) if self.room_type else spec


@dataclass(frozen=True)
class Suite:
    """A validated suite (see the module docstring). ``version`` is bumped whenever prompts change, and rows
    on the leaderboard carry it. ``starts_from`` is ``"room"`` or ``"receptacle"``: the starting state of the
    suite's kinds, which any kind that runs it must share."""

    name: str
    version: int
    description: str
    env_kinds: tuple[str, ...]
    default_seeds: int
    entries: tuple[SuiteEntry, ...]
    path: str = ""
    starts_from: str = "room"

    @property
    def is_asset(self) -> bool:
        """True for receptacle suites (the ``asset`` kind and any kind starting from a receptacle)."""
        return self.starts_from == "receptacle"

    def select(self, ids: list[str] | None) -> tuple[SuiteEntry, ...]:
        """The entries with the given ids (all when None); unknown ids raise :class:`BenchmarkError`."""
        if not ids:
            return self.entries
        known = {e.id: e for e in self.entries}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise BenchmarkError(f"expected prompt ids of suite {self.name!r}, got unknown {unknown} "
                                 f"(known: {', '.join(list(known)[:8])}...)")  # fmt: skip
        return tuple(known[i] for i in ids)

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Suite:
        """Validate a decoded suite file; errors name the field (``entries[3].room_type: expected ...``)."""
        from scene_gym.scene import ROOM_TYPES

        if not isinstance(data, dict):
            raise _fail("suite", "a JSON object", type(data).__name__)
        if data.get("schema") != SUITE_SCHEMA:
            raise _fail("schema", repr(SUITE_SCHEMA), data.get("schema"))
        allowed = {"schema", "name", "version", "description", "env_kinds", "default_seeds", "entries"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise BenchmarkError(f"suite.{unknown[0]}: unknown field; expected one of {', '.join(sorted(allowed))}")
        name = data.get("name")
        if not isinstance(name, str) or not _ID.match(name):
            raise _fail("name", "a lowercase suite name", name)
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise _fail("version", "an integer >= 1", version)
        kinds = data.get("env_kinds")
        starts = _starts(kinds)
        seeds = data.get("default_seeds", 1)
        if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= 1000:
            raise _fail("default_seeds", "an integer in [1, 1000]", seeds)
        raw = data.get("entries")
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_ENTRIES:
            raise _fail("entries", f"a list of 1 to {MAX_ENTRIES} entries", type(raw).__name__)
        asset = starts == "receptacle"
        entries, seen = [], set()
        for i, e in enumerate(raw):
            entries.append(_entry(f"entries[{i}]", e, asset, ROOM_TYPES))
            if entries[-1].id in seen:
                raise _fail(f"entries[{i}].id", "ids unique within the suite", entries[-1].id)
            seen.add(entries[-1].id)
        return cls(name, version, str(data.get("description", "")), tuple(kinds), seeds, tuple(entries), path, starts)


def _starts(kinds: Any) -> str:
    """The common starting state of a suite's ``env_kinds`` (registered scene kinds, all room or all receptacle)."""
    from scene_gym.envs.kinds import ENV_KINDS, scene_kinds

    names = [k.name for k in scene_kinds() if k.starts_from in ("room", "receptacle")]
    if not isinstance(kinds, list) or not kinds or any(not isinstance(k, str) or k not in names for k in kinds):
        raise _fail("env_kinds", f"a non-empty list of registered scene kinds among {names}", kinds)
    starts = {ENV_KINDS[k].starts_from for k in kinds}
    if len(starts) > 1:
        raise _fail("env_kinds", "kinds that all start from a room or all from a receptacle", kinds)
    return starts.pop()


def _entry(path: str, e: Any, asset: bool, room_types) -> SuiteEntry:
    from scene_gym.assets import factories

    if not isinstance(e, dict):
        raise _fail(path, "a JSON object", type(e).__name__)
    allowed = {"id", "prompt", "label", "receptacle"} if asset else {"id", "prompt", "label", "room_type", "width",
                                                                     "depth", "spec"}  # fmt: skip
    unknown = sorted(set(e) - allowed)
    if unknown:
        raise BenchmarkError(f"{path}.{unknown[0]}: unknown field; expected one of {', '.join(sorted(allowed))}")
    eid = e.get("id")
    if not isinstance(eid, str) or not _ID.match(eid):
        raise _fail(f"{path}.id", "a lowercase id of letters, digits, '_' or '-'", eid)
    prompt = e.get("prompt")
    if not isinstance(prompt, str) or not 0 < len(prompt) <= 1024:
        raise _fail(f"{path}.prompt", "text of 1 to 1024 characters", prompt)
    if asset:
        rec = e.get("receptacle")
        if not isinstance(rec, str) or rec not in factories():
            raise _fail(f"{path}.receptacle", "an asset category such as 'side_table'", rec)
        label = e.get("label", rec)
        if not isinstance(label, str) or not label:
            raise _fail(f"{path}.label", "a non-empty label", label)
        return SuiteEntry(eid, prompt, label, receptacle=rec)
    room = e.get("room_type")
    if room not in room_types:
        raise _fail(f"{path}.room_type", f"one of {', '.join(room_types)}", room)
    label = e.get("label", room)
    if not isinstance(label, str) or not label:
        raise _fail(f"{path}.label", "a non-empty label", label)
    spec = e.get("spec")
    if spec is not None:
        from scene_gym.errors import SpecError
        from scene_gym.spec import TaskSpec

        try:
            parsed = TaskSpec.from_dict(spec)
        except SpecError as err:
            raise BenchmarkError(f"{path}.spec.{err}") from None
        missing = [c for c in parsed.categories if c not in factories()]
        if missing:
            raise _fail(f"{path}.spec", "categories of the asset catalog", missing)
        if parsed.room_type not in (None, room):
            raise _fail(f"{path}.spec.room_type", f"the entry's room type {room!r} or null", parsed.room_type)
    return SuiteEntry(eid, prompt, label, room, _range(f"{path}.width", e.get("width")),
                      _range(f"{path}.depth", e.get("depth")), spec=spec)  # fmt: skip


def builtin_suites() -> list[str]:
    """Names of the suites shipped with the package, sorted."""
    root = resources.files("scene_gym.benchmarks") / "suites"
    return sorted(p.name[: -len(".json")] for p in root.iterdir() if p.name.endswith(".json"))


@cache
def _load_builtin(name: str) -> Suite:
    res = resources.files("scene_gym.benchmarks") / "suites" / f"{name}.json"
    return _parse(res.read_text(encoding="utf-8"), f"scene_gym/benchmarks/suites/{name}.json")


def _parse(text: str, where: str) -> Suite:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise BenchmarkError(f"suite {where}: expected JSON, got a decoding error ({err})") from None
    try:
        return Suite.from_dict(data, where)
    except BenchmarkError as err:
        raise BenchmarkError(f"suite {where}: {err}") from None


def load_suite(name_or_path: str | Path) -> Suite:
    """A built-in suite by name (``"template"``, ``"complex"``, ``"rooms-50"``, ``"asset"``) or a suite file
    by path (anything ending in ``.json``). Unknown names raise :class:`BenchmarkError` listing the known ones."""
    text = str(name_or_path)
    if text.endswith(".json") or "/" in text:
        p = Path(text)
        if not p.is_file():
            raise BenchmarkError(f"expected a suite file, got {text!r} (no such file)")
        return _parse(p.read_text(encoding="utf-8"), text)
    if text not in builtin_suites():
        import difflib

        close = difflib.get_close_matches(text, builtin_suites(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise BenchmarkError(f"unknown suite {text!r}; known: {', '.join(builtin_suites())}{hint}")
    return _load_builtin(text)
