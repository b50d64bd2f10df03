"""Per-step trajectory records of a benchmark scene: what the policy did at each step and what the env said.

Format (``steps.jsonl`` next to a row's ``scene.json``; :data:`STEPS_SCHEMA`): the first line is a header
``{"schema": "scene-gym/steps@1", "floor": [[x, y], ...]}`` (the room's floor polygon, metres); then one JSON
object per line:

- ``step``: 0 for the state after ``reset``, then 1, 2, ... per ``env.step``;
- ``action``: the action as the env received it, JSON-ready (text cut to :data:`MAX_ACTION_CHARS`; None at 0);
- ``reward`` (float), ``valid``, ``applied`` (bools), ``error`` (str or None), ``feedback`` (str, cut to
  :data:`MAX_FEEDBACK_CHARS`): from the step's ``info``;
- ``objects``: the scene after the step as ``[id, category, x, y, width, depth, yaw]`` lists (metres,
  radians), enough to draw a plan view;
- ``floor`` (optional): the floor polygon when the step changed the room (a tool that re-initialises it);
- ``image`` (optional): a PNG path relative to the folder of ``steps.jsonl``, when an image was saved.

:class:`StepRecorder` writes it (the benchmark worker wraps its env); :func:`read_steps` is the one reader
(the leaderboard site), which takes the file as untrusted data: bounded size, every field type-checked. The
reader also takes a :class:`~scene_gym.agents.rollout.Rollout` JSON-lines file (header ``env_id``, ``policy``,
``seed``, ``final_scene``; per step ``action``, ``reward``, ``info`` with ``feedback``, ``image_paths``), the
format the executor branch's runner writes under the same name: its steps get the observation image as
``image``, the final scene's objects on the last step and none on the others (that format has no per-step
scene).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import gymnasium as gym

from scene_gym.benchmarks.errors import BenchmarkError

STEPS_FILE = "steps.jsonl"
STEPS_SCHEMA = "scene-gym/steps@1"
MAX_ACTION_CHARS = 4000
MAX_FEEDBACK_CHARS = 2000
MAX_STEPS_BYTES = 8 * 2**20
MAX_STEPS = 2000
MAX_OBJECTS = 500


def _cut(text: Any, limit: int) -> str:
    text = text if isinstance(text, str) else json.dumps(text, default=repr)
    return text if len(text) <= limit else text[:limit] + " ..."


def _objects(scene) -> list[list]:
    return [[o.id, o.category, round(float(o.position[0]), 3), round(float(o.position[1]), 3),
             round(float(o.size[0]), 3), round(float(o.size[1]), 3), round(float(o.yaw), 4)]
            for o in scene.objects]  # fmt: skip


class StepRecorder(gym.Wrapper):
    """Records every reset and step of a scene env as :mod:`steps.jsonl <scene_gym.benchmarks.trajectory>`
    lines (``self.records``, header first); :meth:`save` writes them. Observations, rewards and infos pass
    through unchanged."""

    def __init__(self, env: gym.Env):
        super().__init__(env)
        self.records: list[dict[str, Any]] = []
        self._floor: list | None = None

    def reset(self, **kwargs):
        """``env.reset`` and start a new record list with the header and step 0."""
        obs, info = self.env.reset(**kwargs)
        self._floor = self._room_floor()
        self.records = [{"schema": STEPS_SCHEMA, "floor": self._floor}, self._line(0, None, 0.0, info)]
        return obs, info

    def _room_floor(self) -> list[list[float]]:
        return [[float(x), float(y)] for x, y in self.env.unwrapped.scene.room.floor]

    def step(self, action):
        """``env.step`` and record its line."""
        from scene_gym.agents.rollout import jsonable

        obs, reward, terminated, truncated, info = self.env.step(action)
        self.records.append(self._line(len(self.records) - 1, jsonable(action), float(reward), info))
        return obs, reward, terminated, truncated, info

    def _line(self, k: int, action: Any, reward: float, info: dict) -> dict[str, Any]:
        info = info or {}
        floor = self._room_floor()
        extra = {} if floor == self._floor else {"floor": floor}
        self._floor = floor
        return {**extra, "step": k, "action": None if action is None else _cut(action, MAX_ACTION_CHARS),
                "reward": reward if math.isfinite(reward) else None, "valid": bool(info.get("valid", True)),
                "applied": bool(info.get("applied", k == 0)),
                "error": None if not info.get("error") else _cut(info["error"], MAX_FEEDBACK_CHARS),
                "feedback": _cut(info.get("feedback") or "", MAX_FEEDBACK_CHARS),
                "objects": _objects(self.env.unwrapped.scene)}  # fmt: skip

    def text(self) -> str:
        """The records as JSON lines."""
        return "".join(json.dumps(r, allow_nan=False) + "\n" for r in self.records)

    def save(self, path: str | Path) -> Path:
        """Write the records as JSON lines, atomically; returns the path."""
        from scene_gym.scene.io import atomic_write

        return atomic_write(path, self.text())


def _num(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BenchmarkError(f"expected a finite number for {where}, got {value!r:.80}")
    return float(value)


def _check_floor(floor: Any, where: str) -> list[list[float]]:
    if not isinstance(floor, list) or not 3 <= len(floor) <= 64 or not all(isinstance(p, list) and len(p) == 2
                                                                           for p in floor):  # fmt: skip
        raise BenchmarkError(f"expected a floor polygon of 3-64 [x, y] points in {where}, got {floor!r:.80}")
    return [[_num(v, f"the floor in {where}") for v in p] for p in floor]


def _check_step(d: Any, n: int, floor: list[list[float]]) -> dict[str, Any]:
    where = f"steps.jsonl line {n + 2}"
    if not isinstance(d, dict):
        raise BenchmarkError(f"expected a JSON object on {where}, got {type(d).__name__}")
    step = d.get("step")
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise BenchmarkError(f"expected an integer step >= 0 on {where}, got {step!r:.80}")
    objects = d.get("objects", [])
    if not isinstance(objects, list) or len(objects) > MAX_OBJECTS:
        raise BenchmarkError(f"expected at most {MAX_OBJECTS} objects as a list on {where}")
    objs = []
    for o in objects:
        if not (isinstance(o, list) and len(o) == 7 and isinstance(o[0], str) and isinstance(o[1], str)):
            raise BenchmarkError(
                f"expected [id, category, x, y, w, d, yaw] objects on {where}, got {o!r:.80}"
            )
        objs.append([o[0][:96], o[1][:64], *(_num(v, f"an object's coordinate on {where}") for v in o[2:])])
    image = d.get("image")
    if "floor" in d:
        floor = _check_floor(d["floor"], where)
    out = {"step": step, "floor": floor, "action": d.get("action"), "reward": d.get("reward"), "valid": d.get("valid") is not False,
           "applied": d.get("applied") is True, "error": d.get("error"), "feedback": d.get("feedback") or "",
           "objects": objs, "image": image if isinstance(image, str) and image else None}  # fmt: skip
    if out["reward"] is not None:
        out["reward"] = _num(out["reward"], f"reward on {where}")
    for key, limit in (
        ("action", MAX_ACTION_CHARS),
        ("error", MAX_FEEDBACK_CHARS),
        ("feedback", MAX_FEEDBACK_CHARS),
    ):
        if out[key] is not None:
            out[key] = _cut(out[key], limit + 4)
    return out


def read_steps(path: str | Path) -> list[dict[str, Any]]:
    """Read a ``steps.jsonl`` file: the step records with the keys of the module docstring, ``image`` None when
    absent and ``floor`` (the room's floor polygon, [x, y] metres) on every step. Raises :class:`BenchmarkError` naming the file and line for a file
    over :data:`MAX_STEPS_BYTES`, bad JSON, a wrong schema or a field of the wrong type."""
    p = Path(path)
    with open(p, "rb") as f:
        data = f.read(MAX_STEPS_BYTES + 1)
    return parse_steps(data, str(p))


def parse_steps(data: bytes, name: str = "steps.jsonl") -> list[dict[str, Any]]:
    """:func:`read_steps` on the file's bytes (``name`` is used in messages)."""
    if len(data) > MAX_STEPS_BYTES:
        raise BenchmarkError(f"expected {name} of at most {MAX_STEPS_BYTES} bytes, got more")
    try:
        lines = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise BenchmarkError(f"expected JSON lines in {name}: {str(err)[:200]}") from None
    if lines and isinstance(lines[0], dict) and "schema" not in lines[0] and "final_scene" in lines[0]:
        lines = _from_rollout(lines, name)
    if not lines or not isinstance(lines[0], dict) or lines[0].get("schema") != STEPS_SCHEMA:
        got = lines[0].get("schema") if lines and isinstance(lines[0], dict) else None
        raise BenchmarkError(f"expected a {STEPS_SCHEMA} header on the first line of {name}, got {got!r:.80}")
    if len(lines) - 1 > MAX_STEPS:
        raise BenchmarkError(f"expected at most {MAX_STEPS} steps in {name}, got {len(lines) - 1}")
    steps = []
    floor = _check_floor(lines[0].get("floor"), f"the header of {name}")
    for n, d in enumerate(lines[1:]):
        steps.append(_check_step(d, n, floor))
        floor = steps[-1]["floor"]
    return steps


def _scene_objects(scene: Any) -> list[list]:
    out = []
    for o in (scene.get("objects") if isinstance(scene, dict) else None) or []:
        try:
            out.append([str(o["id"]), str(o["category"]), float(o["position"][0]), float(o["position"][1]),
                        float(o["size"][0]), float(o["size"][1]), float(o.get("yaw", 0.0))])  # fmt: skip
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            continue
    return out[:MAX_OBJECTS]


def _from_rollout(lines: list[Any], name: str) -> list[dict[str, Any]]:
    """Rollout JSON lines (module docstring) as steps@1 lines (header first); fields are checked afterwards."""
    final = lines[0].get("final_scene")
    room = final.get("room") if isinstance(final, dict) else None
    floor = room.get("floor") if isinstance(room, dict) else None
    out: list[Any] = [{"schema": STEPS_SCHEMA, "floor": floor}]
    for n, d in enumerate(lines[1:]):
        if not isinstance(d, dict):
            raise BenchmarkError(f"expected a JSON object on line {n + 2} of {name}")
        info = d.get("info") if isinstance(d.get("info"), dict) else {}
        images = d.get("image_paths") if isinstance(d.get("image_paths"), list) else []
        out.append({"step": n + 1, "action": d.get("action"), "reward": d.get("reward"),
                    "valid": info.get("valid", True), "applied": info.get("applied", False),
                    "error": info.get("error") or None, "feedback": info.get("feedback") or "",
                    "objects": _scene_objects(final) if n == len(lines) - 2 else [],
                    "image": images[0] if images and isinstance(images[0], str) else None})  # fmt: skip
    return out
