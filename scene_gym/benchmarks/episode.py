"""One benchmark scene, start to finish, inside a worker process: build the starting state, run the policy in
the env (:func:`scene_gym.agents.run_episode`), score the final scene, write its artifacts, return one row.

Scoring (the columns of :data:`scene_gym.benchmarks.store.METRICS`):

- ``n_obj``, ``n_oob``, ``n_cn`` (#Obj, #OB, #CN), ``nav``, ``acc``: :func:`scene_gym.metrics.evaluate`;
- ``realism``, ``functionality``, ``layout``, ``completeness``, ``q_vis``, ``q_phy``, ``q``, ``c``: the judge
  (:func:`scene_gym.rewards.make_judge`) against the entry's task spec, with ``T`` = the episode's wall-clock
  minutes in ``C = Q - 0.05 T``;
- ``count_rate``, ``attr_rate``, ``rel_rate``: means of :mod:`scene_gym.rewards.spec_checks`'s scores over the
  spec's counts, attributes and relations (None when the spec asks for none);
- ``collision_free_pct``, ``in_boundary_pct`` (CF, IB), ``pos_coherence``, ``rot_coherence``, ``psa``: the
  published protocols' metrics (:mod:`scene_gym.rewards.protocol_metrics`), from the same ``evaluate`` result,
  relation scores and judge ``q_vis`` as the columns above (no second physics evaluation);
- ``reward`` (the episode return), ``steps``, ``wall_s`` (episode + scoring + artifacts, seconds).

Artifacts, in the task's ``artifact_dir``: ``scene.json`` (the final scene), ``render.png``, ``steps.jsonl`` (the
episode's steps as :mod:`~scene_gym.benchmarks.trajectory` records it: action, feedback, reward and the room's
objects per step, what the site shows) and ``rollout.jsonl`` (the :class:`~scene_gym.agents.rollout.Rollout`,
:func:`step_records`: observation text fields and image paths per step, the images beside it as
``step_<k>_<key>.png`` when the env renders observations); the row names the last two in
``details["steps_path"]`` and ``details["rollout_path"]``. The worker writes them itself, or, for a task with ``return_files`` (workers on
other machines), returns them in the row's ``files`` for the driver to write (:func:`write_artifacts`).

Starting states are the same for every policy and env kind: room suites give the env a room drawn from
``(seed, entry id)`` in the entry's size ranges (door south, window north); receptacle suites give the
receptacle and prompt, and the env draws the rest. The env and the policy are reset with
:func:`episode_seed` ``(seed, entry id)``, so every prompt of a one-seed suite gets its own random draws.

The env kind travels to the worker as its fields (:func:`kind_fields`) and is registered there when the worker's
fresh interpreter does not know it (:func:`ensure_kind`), so a kind registered at run time in the parent
(``register_kind``) is benchmarked like a built-in one.
"""

from __future__ import annotations

import io
import tempfile
import time
import traceback
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAX_ERROR = 2000


def kind_fields(kind) -> dict[str, Any]:
    """An :class:`~scene_gym.envs.kinds.EnvKind` as plain, picklable fields (for :class:`WorkerConfig`)."""
    return {"name": kind.name, "env_id": kind.env_id, "entry_point": kind.entry_point,
            "action_format": kind.action_format, "starts_from": kind.starts_from, "kwargs": dict(kind.kwargs),
            "description": kind.description}  # fmt: skip


def ensure_kind(fields: dict[str, Any]):
    """The :class:`~scene_gym.envs.kinds.EnvKind` of ``fields``, registered in this process when it is not (a
    spawned worker knows only the built-in kinds)."""
    from scene_gym.envs.kinds import ENV_KINDS, EnvKind, register_kind

    kind = EnvKind(**fields)
    if ENV_KINDS.get(kind.name) != kind:
        register_kind(kind, replace=True)
    return kind


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker needs (picklable).

    Attributes:
        policy: the policy spec (:func:`scene_gym.agents.registry.make_policy`).
        env: the env kind's name (:mod:`scene_gym.envs.kinds`).
        kind: the kind's fields (:func:`kind_fields`), to register it in the worker; None: ``env`` is looked up.
        reward: env reward spec (None: the env's default).
        judge: judge spec for final scenes (``"offline"``, ``"openai:MODEL"``).
        max_steps: env step limit (None: the env's default; the trajectory env has one step).
        image_size: observation image side in pixels, 0 for none (text-only policies are faster).
        render_size: artifact render side in pixels.
    """

    policy: str
    env: str = "scene"
    reward: str | None = None
    judge: str = "offline"
    max_steps: int | None = None
    image_size: int = 0
    render_size: int = 256
    kind: dict[str, Any] | None = None


def starting_options(task: dict[str, Any]) -> dict[str, Any]:
    """``env.reset`` options for a task: the receptacle and prompt (asset), or a room drawn from
    (seed, entry id) in the entry's size ranges, with the prompt (room suites)."""
    entry = task["entry"]
    if entry.get("receptacle"):
        return {"receptacle": entry["receptacle"], "prompt": entry["prompt"]}
    from scene_gym.envs.common import make_room
    from scene_gym.scene import Scene

    rng = np.random.default_rng([int(task["seed"]), zlib.crc32(entry["id"].encode())])
    room = make_room({"room": entry["room_type"], "w": tuple(entry["width"]), "d": tuple(entry["depth"])}, rng)
    return {"scene": Scene(room, prompt=entry["prompt"])}


def episode_seed(task: dict[str, Any]) -> int:
    """The seed given to ``env.reset`` and ``policy.reset``: derived from (seed, entry id), so a one-seed suite
    does not replay the same random draws on every prompt. In [0, 2**32)."""
    ss = np.random.SeedSequence([int(task["seed"]), zlib.crc32(task["entry"]["id"].encode())])
    return int(ss.generate_state(1)[0])


def spec_rates(scene, spec, scored=None) -> dict[str, float | None]:
    """Mean count, attribute and relation scores of ``scene`` against a TaskSpec, in [0, 1] (None: none asked).
    ``scored``: the relations' scores (:func:`scene_gym.rewards.protocol_metrics.scored_relations`) when already
    computed."""
    from scene_gym.rewards.protocol_metrics import scored_relations
    from scene_gym.rewards.spec_checks import attribute_score, count_score, objects_for_request

    by_cat: dict[str, list] = {}
    for o in scene.objects:
        by_cat.setdefault(o.category, []).append(o)
    out: dict[str, float | None] = {"count_rate": None, "attr_rate": None, "rel_rate": None}
    if spec.objects:
        out["count_rate"] = float(np.mean([count_score(c, len(objects_for_request(scene, c))) for c in spec.objects]))
    if spec.attributes:
        out["attr_rate"] = float(np.mean([attribute_score(a, by_cat.get(a.category, [])) for a in spec.attributes]))
    if spec.relations:
        scored = scored_relations(scene, spec) if scored is None else scored
        out["rel_rate"] = float(np.mean([s for _, s in scored]))
    return out


def _png(rgb: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return buf.getvalue()


class EpisodeRunner:
    """Runs tasks for one worker; the env, policy, judge and physics world are built once and reused."""

    def __init__(self, config: WorkerConfig):
        import gymnasium as gym

        import scene_gym  # noqa: F401 - registers the built-in kinds
        from scene_gym.agents.registry import make_policy
        from scene_gym.envs.kinds import get_kind
        from scene_gym.physics import PhysicsWorld
        from scene_gym.rewards import make_judge

        self.config = config
        self.kind = ensure_kind(config.kind) if config.kind else get_kind(config.env)
        self.policy = make_policy(config.policy, seed=0)
        kwargs: dict[str, Any] = {"reward": config.reward,
                                  "image_size": (config.image_size,) * 2 if config.image_size else None}  # fmt: skip
        if config.max_steps and "max_steps" in self.kind.kwargs:  # kinds of one step (trajectory) take none
            kwargs["max_steps"] = int(config.max_steps)
        from scene_gym.benchmarks.trajectory import StepRecorder

        self.env = StepRecorder(gym.make(self.kind.env_id, **kwargs))  # steps.jsonl (issue 21; see trajectory.py)
        self.judge = make_judge(None if config.judge == "offline" else config.judge)
        self.world = PhysicsWorld()

    def describe(self) -> dict[str, Any]:
        """The policy's ``describe()``, JSON-ready."""
        from scene_gym.agents.rollout import jsonable

        return jsonable(self.policy.describe())

    def close(self) -> None:
        for obj in (self.env, self.judge, self.world):
            try:
                obj.close()
            except Exception:  # noqa: BLE001 - best effort at shutdown
                pass

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        """One row (see :mod:`scene_gym.benchmarks.store`) for ``task`` = {suite, suite_version, seed,
        entry (a SuiteEntry as a dict), artifact_dir}; never raises for a failing policy or scene."""
        from scene_gym.agents.rollout import run_episode
        from scene_gym.benchmarks.trajectory import STEPS_FILE

        entry = task["entry"]
        row: dict[str, Any] = {"suite": task["suite"], "suite_version": task["suite_version"],
                               "prompt_id": entry["id"], "label": entry["label"], "seed": int(task["seed"]),
                               "status": "ok", "error": None}  # fmt: skip
        t0 = time.perf_counter()
        images = tempfile.TemporaryDirectory(prefix="scene-gym-steps-") if self.config.image_size else None
        try:
            rollout = run_episode(self.env, self.policy, seed=episode_seed(task), options=starting_options(task),
                                  image_dir=images.name if images else None)  # fmt: skip
        except Exception as err:  # noqa: BLE001 - a failing policy is a result, not a crash
            row.update(status="failed", error=f"policy or env failed: {type(err).__name__}: {err}"[:MAX_ERROR],
                       wall_s=time.perf_counter() - t0,
                       details={"traceback": traceback.format_exc(limit=8)[-MAX_ERROR:]})  # fmt: skip
            if images:
                images.cleanup()
            return row
        episode_s = time.perf_counter() - t0
        scene = self.env.unwrapped.scene
        row.update(reward=rollout.total_reward, steps=len(rollout.steps))
        details: dict[str, Any] = {"episode_s": round(episode_s, 4), "objects": len(scene),
                                   "episode_seed": episode_seed(task)}  # fmt: skip
        try:
            row.update(self._score(scene, entry, episode_s, details))
        except Exception as err:  # noqa: BLE001
            row.update(status="failed", error=f"scoring failed: {type(err).__name__}: {err}"[:MAX_ERROR])
        try:
            files = self._artifacts(scene, task, details)
            files[STEPS_FILE] = self.env.text()  # per step: action, feedback, reward, the room's objects
            files[ROLLOUT_FILE] = step_records(rollout, files)  # the Rollout, with observation image paths
        finally:
            if images:
                images.cleanup()
        folder = Path(task["artifact_dir"])
        row.update(scene_path=str(folder / "scene.json"),
                   render_path=str(folder / "render.png") if "render.png" in files else None)  # fmt: skip
        details["steps_path"] = str(folder / STEPS_FILE)
        details["rollout_path"] = str(folder / ROLLOUT_FILE)
        row["details"] = details
        row["files"] = files
        if not task.get("return_files"):
            write_artifacts(row, task)
        row["wall_s"] = time.perf_counter() - t0
        return row

    def _score(self, scene, entry: dict, episode_s: float, details: dict) -> dict[str, Any]:
        from scene_gym.benchmarks.suites import SuiteEntry
        from scene_gym.layout import Layout
        from scene_gym.metrics import evaluate
        from scene_gym.rewards import RewardContext
        from scene_gym.rewards.protocol_metrics import protocol_metrics, scored_relations

        spec = SuiteEntry(**{k: v for k, v in entry.items() if k != "spec"}, spec=entry.get("spec")).task_spec()
        m = evaluate(scene, self.world)
        res = self.judge.judge(scene, RewardContext(prompt=entry["prompt"], spec=spec, elapsed_s=episode_s,
                                                    world=self.world))  # fmt: skip
        details["judge"] = {k: v for k, v in res.details.items() if isinstance(v, int | float | str | None)}
        details["collisions"] = m.collisions[:20]
        details["oob"] = m.oob[:20]
        g = res.grades
        layout = Layout.from_scene(scene)
        scored = scored_relations(scene, spec, layout)
        protocol = protocol_metrics(scene, spec, m.to_dict(), q_vis=res.q_vis, layout=layout, scored=scored)
        return {"n_obj": m.n_obj, "n_oob": m.n_oob, "n_cn": m.n_collisions, "nav": m.nav, "acc": m.acc,
                "realism": g.realism, "functionality": g.functionality, "layout": g.layout,
                "completeness": g.completeness, "q_vis": res.q_vis, "q_phy": res.q_phy, "q": res.q, "c": res.c,
                **spec_rates(scene, spec, scored), **protocol}  # fmt: skip

    def _artifacts(self, scene, task: dict, details: dict) -> dict[str, str | bytes]:
        """The final scene's files: ``scene.json`` and, when a view renders, ``render.png``."""
        from scene_gym.errors import SceneGymError
        from scene_gym.render import render_views

        files: dict[str, str | bytes] = {"scene.json": scene.to_json()}
        size = (self.config.render_size,) * 2
        views = (["closeup"] if task["entry"].get("receptacle") else ["corner_0"]) + ["topdown_ids"]
        for view in views:
            try:
                kwargs = {"receptacle": getattr(self.env.unwrapped, "receptacle", None)} if view == "closeup" else {}
                rgb = render_views(scene, [view], size=size, rng=np.random.default_rng(0), **kwargs)[view].rgb
            except SceneGymError as err:
                details.setdefault("render_errors", []).append(f"{view}: {err}"[:300])
                continue
            files["render.png"] = _png(rgb)
            details["render_view"] = view
            break
        return files


ROLLOUT_FILE = "rollout.jsonl"
"""The episode's :class:`~scene_gym.agents.rollout.Rollout` JSON lines, beside ``steps.jsonl``."""


def step_records(rollout, files: dict[str, str | bytes]) -> str:
    """The episode's steps as :class:`~scene_gym.agents.rollout.Rollout` JSON lines (one header line with the
    env, policy, seed and final scene, then per step: the observation's text fields, action, reward, end flags,
    ``info`` with its ``feedback``, and ``image_paths``). Observation images saved by ``run_episode`` are moved
    into ``files`` as ``step_<k>_<key>.png`` and named by those relative paths (relative to the steps file)."""
    for step in rollout.steps:
        names = []
        for path in step.image_paths:
            name = Path(path).name
            files[name] = Path(path).read_bytes()
            names.append(name)
        step.image_paths = names
    return rollout.to_jsonl()


def write_artifacts(row: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    """Write the files a worker put in ``row["files"]`` (name -> text or bytes) into ``task["artifact_dir"]``,
    each atomically, and drop them from the row; a write that fails (full disk, read-only folder) makes the row
    ``failed`` with the folder named, its scores kept. Returns ``row``."""
    from scene_gym.scene.io import atomic_write

    files = row.pop("files", None) or {}
    folder = Path(task["artifact_dir"])
    try:
        for name, data in files.items():
            atomic_write(folder / name, data)
    except OSError as err:
        row.update(status="failed", error=f"could not write artifacts to {task['artifact_dir']}: {err}"[:MAX_ERROR],
                   scene_path=None, render_path=None)  # fmt: skip
        (row.get("details") or {}).pop("steps_path", None)
    return row
