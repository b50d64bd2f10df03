"""SceneOrchestra's rollouts: whole tool-call trajectories sampled one-shot, then replayed call by call in
``SceneSynthToolStep-v1`` so that every prefix has its composition score C.

A source writes a trajectory for the first observation of ``SceneSynthTrajectory-v1`` (the empty room and the
instruction) with :meth:`~scene_gym.agents.Policy.sample`; :func:`replay` then runs the calls one per step in
the tool-step env (same reset seed and starting scene) and records ``C = Q - time_weight * T`` before any call and
after each (``Q`` the env's reward value, ``T`` its nominal tool minutes, ``time_weight`` 0.05 per minute).
Replay stops after ``terminate``; the calls after it are not part of the record.

Sources (:func:`~scene_gym.train.orchestra_sources.make_source`): ``"heuristic"`` (the planner; its samples
differ in room size jitter and crowds), ``"perturbed-heuristic"`` or ``"perturbed-heuristic:RATE"`` (the planner's
trajectory edited at random by :func:`~scene_gym.train.orchestra_sources.perturb_calls`; RATE in [0, 1] is the
chance of each edit, default 0.3), any :func:`~scene_gym.agents.make_policy` spec (``"vlm:PATH"``: sampled at the
policy's temperature, or its ``sample_temperature`` when greedy) or a :class:`~scene_gym.agents.Policy` object.

:func:`collect_orchestra_rollouts` appends one JSON line per rollout to ``out_path`` as it finishes (fsynced, a
torn last line is cut on the next run), keyed by (source, task index, sample); a rerun skips the keys already
there and samples each task with the same seed, so a killed and resumed collection records what an uninterrupted
one would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scene_gym.errors import SceneGymError

#: The score of a truncation that holds a call the env refused (unknown tool, bad argument) or of a text that
#: did not parse: what ``SceneSynthTrajectory-v1`` pays for an invalid plan (its ``invalid_penalty``).
INVALID_C = -1.0

#: The observation fields an orchestrator's prompt is built from (the catalogue is added back from the tools).
OBSERVATION_KEYS = ("prompt", "scene", "feedback")


class OrchestraError(SceneGymError):
    """A bad argument to the SceneOrchestra data builders (the message names the field and the value)."""


@dataclass
class OrchestraRollout:
    """One sampled trajectory replayed call by call in ``SceneSynthToolStep-v1``.

    Attributes:
        prompt: the instruction text.
        seed: the ``env.reset`` seed of both envs.
        source: who wrote it (``"heuristic"``, ``"perturbed-heuristic"``, ``"model:<name>"``, ...).
        calls: the calls as the env takes them, ``{"tool": name, "args": {...}}``, up to ``terminate``.
        c: C before any call (index 0) and after each call: ``len(calls) + 1`` floats.
        valid: per call, whether the env accepted it and applied it to the scene.
        accepted: per call, whether the env accepted it (read and validated; a call that then failed on the scene,
            e.g. an unknown id, is accepted but not applied). Defaults to ``valid``.
        observation: the text fields of the first observation (``prompt``, ``scene``, ``feedback``).
        start: the starting scene as scene JSON (a dict; None: an empty room drawn from the prompt and seed).
        text: the source's raw text (None when the calls came as data).
        error: why the text gave no calls ("" when it parsed).
        key: the collection key ``[source, task index, sample]`` ([] outside a collection).
    """

    prompt: str
    seed: int
    source: str
    calls: list[dict]
    c: list[float]
    valid: list[bool]
    accepted: list[bool] = field(default_factory=list)
    observation: dict = field(default_factory=dict)
    start: dict | None = None
    text: str | None = None
    error: str = ""
    key: list = field(default_factory=list)

    def __post_init__(self):
        if len(self.c) != len(self.calls) + 1:
            raise OrchestraError(f"rollout.c: expected {len(self.calls) + 1} scores (one before and one per call), "
                                 f"got {len(self.c)}")  # fmt: skip
        if len(self.valid) != len(self.calls):
            raise OrchestraError(f"rollout.valid: expected {len(self.calls)} flags, got {len(self.valid)}")
        if not self.accepted:
            self.accepted = list(self.valid)
        if len(self.accepted) != len(self.calls):
            raise OrchestraError(
                f"rollout.accepted: expected {len(self.calls)} flags, got {len(self.accepted)}"
            )
        if not all(np.isfinite(self.c)):
            raise OrchestraError(f"rollout.c: expected finite scores, got {self.c!r:.120}")

    def score(self, k: int | None = None) -> float:
        """The C of the first ``k`` calls (all when None) as a plan: ``c[k]`` when every one of them was accepted
        and the text parsed, else :data:`INVALID_C`."""
        k = len(self.calls) if k is None else int(k)
        if not 0 <= k <= len(self.calls):
            raise OrchestraError(f"k: expected a prefix length in [0, {len(self.calls)}], got {k!r}")
        return float(self.c[k]) if not self.error and all(self.accepted[:k]) else INVALID_C

    def step_gain(self, k: int) -> float:
        """What call ``k`` earned in the tool-step env: ``c[k+1] - c[k]`` when accepted, else its invalid
        penalty (-1)."""
        return float(self.c[k + 1] - self.c[k]) if self.accepted[k] else INVALID_C

    @property
    def group(self) -> str:
        """The instruction instance: rollouts with the same group share the same first observation."""
        return json.dumps([self.prompt, self.seed, self.observation], sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {"prompt": self.prompt, "seed": int(self.seed), "source": self.source, "calls": self.calls,
                "c": [float(x) for x in self.c], "valid": [bool(v) for v in self.valid],
                "accepted": [bool(v) for v in self.accepted], "observation": dict(self.observation),
                "start": self.start, "text": self.text, "error": self.error, "key": list(self.key)}  # fmt: skip

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> OrchestraRollout:
        """The rollout of :meth:`to_dict`'s output; a missing or mistyped field raises :class:`OrchestraError`."""
        if not isinstance(d, Mapping):
            raise OrchestraError(f"rollout: expected a JSON object, got {type(d).__name__}")
        for name, kind in (("prompt", str), ("seed", int), ("source", str), ("calls", list), ("c", list),
                           ("valid", list)):  # fmt: skip
            if not isinstance(d.get(name), kind) or isinstance(d.get(name), bool):
                raise OrchestraError(f"rollout.{name}: expected {kind.__name__}, got {d.get(name)!r:.80}")
        if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in d["c"]):
            raise OrchestraError(f"rollout.c: expected numbers, got {d['c']!r:.80}")
        return cls(d["prompt"], d["seed"], d["source"], list(d["calls"]), [float(x) for x in d["c"]],
                   [bool(v) for v in d["valid"]], [bool(v) for v in d.get("accepted") or []],
                   dict(d.get("observation") or {}), d.get("start"), d.get("text"), str(d.get("error") or ""),
                   list(d.get("key") or []))  # fmt: skip


# --- replay -----------------------------------------------------------------------------------------------------
def tool_step_env(max_steps: int = 256):
    """An unwrapped ``SceneSynthToolStep-v1`` for replays (no images, ``max_steps`` calls at most)."""
    import gymnasium as gym

    import scene_gym  # noqa: F401 - registers the env kinds

    return gym.make("SceneSynthToolStep-v1", max_steps=max_steps, image_size=None).unwrapped


def composition(env, info: Mapping[str, Any]) -> float:
    """C of the env's current scene from a step's or reset's ``info``: ``reward_value - time_weight * minutes``
    (a reset's ``info`` has no minutes: 0)."""
    return float(info["reward_value"]) - env.time_weight * float(info.get("minutes", 0.0))


def reset_options(prompt: str, start: Mapping[str, Any] | None) -> dict[str, Any]:
    """``env.reset`` options: the starting scene when given (scene JSON dict), else the prompt alone."""
    if start is None:
        return {"prompt": prompt}
    from scene_gym.scene import Scene

    return {"scene": Scene.from_dict(dict(start))}


def start_of(options: Mapping[str, Any]) -> dict | None:
    """The scene JSON dict of reset options holding a ``Scene`` (None otherwise)."""
    scene = options.get("scene")
    return scene.to_dict() if scene is not None and hasattr(scene, "to_dict") else None


def replay(
    calls: list[dict],
    prompt: str,
    seed: int,
    source: str = "",
    env=None,
    *,
    start: Mapping[str, Any] | None = None,
    text: str | None = None,
    error: str = "",
) -> OrchestraRollout:
    """Run ``calls`` one per step in ``env`` (an unwrapped ``SceneSynthToolStep-v1``; one is built when None)
    after ``env.reset(seed, options)`` and record C before and after each call (module docstring).

    Args:
        calls: ``{"tool", "args"}`` dicts; anything else is sent as JSON too and recorded as refused.
        prompt: the instruction; seed: the reset seed (integer >= 0).
        start: the starting scene (scene JSON dict) instead of an empty room drawn from the prompt.
        text, error: the source's raw text and its parse error, kept in the record.
    """
    if not isinstance(calls, list):
        raise OrchestraError(f"calls: expected a list of tool-call dicts, got {type(calls).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise OrchestraError(f"seed: expected an integer >= 0, got {seed!r}")
    env = env if env is not None else tool_step_env(max(len(calls), 1) + 1)
    obs, info = env.reset(seed=int(seed), options=reset_options(prompt, start))
    observation = {k: str(obs.get(k, "")) for k in OBSERVATION_KEYS}
    cs, valid, accepted, done = [composition(env, info)], [], [], []
    for call in calls:
        _, _, terminated, truncated, info = env.step(json.dumps(call, allow_nan=False))
        cs.append(composition(env, info))
        accepted.append(bool(info["valid"]))
        valid.append(bool(info["valid"]) and bool(info["applied"]))
        done.append(call)
        if terminated or truncated:
            break
    return OrchestraRollout(str(obs.get("prompt", prompt)), int(seed), source, done, cs, valid, accepted,
                            observation, dict(start) if start is not None else None, text, error)  # fmt: skip


def calls_of(text: str) -> tuple[list[dict], str]:
    """(calls, error) of a trajectory text: the parsed list and "" or [] and the parser's message."""
    from scene_gym.actions.tools import ToolError, parse_trajectory

    try:
        return parse_trajectory(text), ""
    except ToolError as err:
        return [], str(err)


# --- collection -------------------------------------------------------------------------------------------------
def _sample_seed(seed: int, *parts: int) -> int:
    return int(np.random.SeedSequence([int(seed), *parts]).generate_state(1)[0] % (2**31 - 1))


def collect_orchestra_rollouts(sources: Sequence[Any], tasks: list, samples: int, seed: int,
                               out_path: str | Path | None = None, progress: bool = True,
                               on_rollout: Callable[[OrchestraRollout], None] | None = None) -> list[OrchestraRollout]:  # fmt: skip
    """``samples`` trajectories per (source, task), each sampled one-shot on the task's first
    ``SceneSynthTrajectory-v1`` observation and replayed by :func:`replay`; returned source-major, then task, then
    sample.

    Args:
        sources: source specs or policies (module docstring).
        tasks: :class:`~scene_gym.train.evaluation.Task` (prompt, seed, starting room).
        samples: trajectories per (source, task), an integer >= 1.
        seed: seeds each (source, task)'s sampling.
        out_path: JSON lines, one rollout per line, appended as each finishes; keys already there are skipped.
        progress: a tqdm bar of (source, task) pairs.
        on_rollout: called with each new rollout after it is written (tests use it to interrupt a run).
    """
    import gymnasium as gym
    from tqdm.auto import tqdm

    from scene_gym.train.datasets import append_record, read_records, repair_jsonl
    from scene_gym.train.orchestra_sources import make_source, source_name

    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise OrchestraError(f"samples: expected an integer >= 1, got {samples!r}")
    if isinstance(sources, str) or not sources:
        raise OrchestraError(f"sources: expected a non-empty list of specs, got {sources!r}")
    done: dict[str, OrchestraRollout] = {}
    if out_path is not None:
        repair_jsonl(out_path)
        done = {
            json.dumps(r["key"]): OrchestraRollout.from_dict(r["rollout"]) for r in read_records(out_path)
        }
    traj_env = gym.make("SceneSynthTrajectory-v1").unwrapped
    step_env = tool_step_env()
    out: list[OrchestraRollout] = []
    with tqdm(total=len(sources) * len(tasks), desc="orchestra rollouts", disable=not progress) as bar:
        for si, spec in enumerate(sources):
            policy = make_source(spec, _sample_seed(seed, si))
            name = source_name(spec, policy)
            for ti, task in enumerate(tasks):
                keys = [[name, ti, j] for j in range(samples)]
                if all(json.dumps(k) in done for k in keys):
                    out += [done[json.dumps(k)] for k in keys]
                    bar.update(1)
                    continue
                options = task.options()
                obs, _ = traj_env.reset(seed=task.episode_seed, options=options)
                policy.reset(_sample_seed(seed, si, ti), kind="trajectory")
                for key, cand in zip(keys, policy.sample(obs, samples, kind="trajectory"), strict=True):
                    if json.dumps(key) in done:
                        out.append(done[json.dumps(key)])
                        continue
                    text = cand.text if cand.text is not None else json.dumps(cand.action)
                    calls, error = calls_of(text)
                    if cand.meta.get("fallback"):
                        error = error or "; ".join(cand.meta.get("errors", [])) or "no usable answer"
                    rollout = replay(calls, task.prompt, task.episode_seed, name, step_env, start=start_of(options),
                                     text=text, error=error)  # fmt: skip
                    rollout.key = key
                    if out_path is not None:
                        append_record(out_path, {"key": key, "rollout": rollout.to_dict()})
                    out.append(rollout)
                    if on_rollout is not None:
                        on_rollout(rollout)
                bar.update(1)
    traj_env.close()
    step_env.close()
    return out


def load_rollouts(path: str | Path) -> list[OrchestraRollout]:
    """The rollouts of a collection file, in file order (a torn last line ignored)."""
    from scene_gym.train.datasets import read_records

    return [OrchestraRollout.from_dict(r["rollout"]) for r in read_records(path)]
