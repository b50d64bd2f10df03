"""scene-gym as an OpenEnv environment: ``SceneSynthToolStep-v1`` served over HTTP/WebSocket.

`OpenEnv <https://github.com/meta-pytorch/OpenEnv>`_ (``openenv-core``) is the environment contract that
TRL, SkyRL, Unsloth and other trainers consume: an ``Environment`` with ``reset``/``step``/``state`` and typed
pydantic ``Action``/``Observation``/``State``, served by a FastAPI app (one env per WebSocket session) and driven
by an ``EnvClient``. Needs the ``openenv`` extra: ``pip install 'scene-gym[openenv]'`` (importing this module
without it raises :class:`~scene_gym.errors.MissingDependencyError` naming the extra; ``import scene_gym``
never imports it).

Why OpenEnv and not verifiers: verifiers 0.4 requires numpy>=2 while bpy pins numpy<2; with numpy<2 pip falls
back to verifiers 0.2 and downgrades datasets to 4.x. openenv-core 0.3 installs beside scene-gym's pins.

What is served: ``SceneSynthToolStep-v1`` (one tool call per step, a review after each), without images (the
observation's text fields only). The one-shot ``SceneSynthTrajectory-v1`` is not exposed: a client can send
a trajectory's calls one per step instead, and the step rewards telescope to ``Q_T - Q_0 - w T`` (plus -1 per
invalid call), the trajectory env's ``C = Q_T - w T`` less the starting room's ``Q_0``.

Wire format (:mod:`scene_gym.integrations.openenv_types`):

- ``reset(seed=None, episode_id=None, prompt=None, scene=None)``: ``prompt`` (text) picks the task, else the
  seed draws one from the env's prompt suite; ``scene`` starts from a scene (``scene-gym/scene@2`` JSON text or
  object). Bad arguments raise :class:`~scene_gym.errors.SceneGymError` naming the field and value (over the
  WebSocket: an error message with that text) and leave the session as it was.
- ``step(SceneToolAction(tool="add_objects", args={...}))`` or ``SceneToolAction(call='{"tool": ...}')``:
  returns a :class:`SceneToolObservation` with the new scene as DSL text, the review, Q and its terms, the tool
  minutes and ``reward`` (the :class:`ToolStepRubric` score: ``(Q_t - Q_{t-1}) - w (T_t - T_{t-1})``).
- ``state``: :class:`SceneToolState` (episode id, step count, prompt, scene DSL, Q, minutes, return, done).

Bad actions are data, never a server error: any JSON in the action's fields reaches scene-gym's validator, and
an action it refuses comes back as an observation with ``valid=False`` and ``error`` naming the field and value
(for ``call`` text that is not JSON: the parser's line and column).
The scene, Q and the tool minutes are unchanged; the step is counted and earns ``invalid_penalty`` (-1), exactly
as in the in-process gym env, so rewards over OpenEnv equal in-process rewards call for call and an agent that
only emits garbage still reaches ``max_steps``. A ``step`` before ``reset`` or after the episode ended changes
nothing (not even the step count) and says so in ``error`` (reward 0).

Concurrency: every WebSocket session gets its own env (``SUPPORTS_CONCURRENT_SESSIONS``), and every env call
(build, reset, step, close) in a process holds one lock, because scene-gym's process-wide caches (asset
factories, object-program definitions) are not locked; the lock also covers OpenEnv's stateless HTTP
``/reset`` and ``/step``, which run on a 32-thread pool. Sessions keep separate state but step one at a time:
serve more processes to use more cores.

Example (server and client in one process; ``examples/openenv_server.py`` has the two-process version)::

    from scene_gym.integrations.openenv import SceneGymClient, SceneToolAction, make_app, start_server

    server = start_server(make_app(max_steps=8), port=0)          # uvicorn in a thread, 127.0.0.1
    with SceneGymClient(base_url=server.url).sync() as env:
        result = env.reset(seed=3)
        result = env.step(SceneToolAction(tool="init_room", args={"room_type": "bedroom"}))
        print(result.reward, result.observation.review)
    server.stop()

Evaluation with OpenEnv's own harness (``openenv.core.harness``: ``CollectRunner`` over ``MCPHarnessAdapter``
and ``StepEnvSessionAdapter``) is :class:`SceneGymEvalHarness`, an ``openenv.core.evals.EvalHarness``: the
agent is a harness ``ModelStep`` (scene-gym's heuristic by default, or OpenEnv's ``build_model_step`` over an
OpenAI-compatible LLM), the tools are scene-gym's tool catalogue, and an episode's reward is the env's
``episode_return``. OpenEnv's other runner, ``InspectAIHarness``, needs ``inspect-ai`` and a model; it is not
used.
"""

from __future__ import annotations

import functools
import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from scene_gym.errors import SceneGymError
from scene_gym.integrations.openenv_types import (
    Environment,
    EnvironmentMetadata,
    SceneToolAction,
    SceneToolObservation,
    SceneToolState,
    ToolStepRubric,
)

ENV_ID = "SceneSynthToolStep-v1"
"""The Gymnasium id this OpenEnv environment serves."""

_LOCK = threading.RLock()
"""Held by every gym env call in this process (see the module docstring, Concurrency)."""


class SceneGymEnvironment(Environment[SceneToolAction, SceneToolObservation, SceneToolState]):
    """``SceneSynthToolStep-v1`` behind OpenEnv's ``Environment`` API (see the module docstring).

    Args:
        max_steps: steps before truncation (positive int). reward: the scene reward Q (None: the env's ``"q"``;
            any spec :func:`scene_gym.rewards.as_reward` takes). time_weight: w, reward per tool minute.
        invalid_penalty: reward of an invalid action. prompts: the prompt suite a seeded reset draws from.
        solver_budget_s: wall-clock safety limit of one layout solve, seconds.
    """

    SUPPORTS_CONCURRENT_SESSIONS = True

    def __init__(self, *, max_steps: int = 20, reward: Any = None, time_weight: float = 0.05,
                 invalid_penalty: float = -1.0, prompts=None, solver_budget_s: float = 10.0):  # fmt: skip
        import gymnasium as gym

        import scene_gym  # noqa: F401  (registers the gym ids)

        kwargs = {"max_steps": max_steps, "reward": reward, "time_weight": time_weight, "prompts": prompts,
                  "invalid_penalty": invalid_penalty, "solver_budget_s": solver_budget_s}  # fmt: skip
        with _LOCK:
            self._gym = gym.make(ENV_ID, image_size=None, **kwargs)
        inner = self._gym.unwrapped
        super().__init__(rubric=ToolStepRubric(inner.time_weight, inner.invalid_penalty))
        self._last: SceneToolObservation | None = None
        self._episode_id: str | None = None
        self._seed: int | None = None

    # --- OpenEnv API ---------------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, episode_id: str | None = None, prompt: str | None = None,
              scene: Any = None, **kwargs: Any) -> SceneToolObservation:  # fmt: skip
        """Start an episode and return its first observation (``reward`` 0.0). Raises :class:`SceneGymError`
        naming the field and value for unknown keywords, a seed that is not an int >= 0, a prompt that is not
        text, an ``episode_id`` that is not text, or a scene file the env refuses; the session is then
        unchanged."""
        if kwargs:
            raise SceneGymError(
                f"reset: unknown argument {sorted(kwargs)[0]!r} (expected seed, episode_id, prompt, scene)"
            )
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
            raise SceneGymError(f"seed: expected an integer >= 0 or None, got {seed!r:.80}")
        if episode_id is not None and not isinstance(episode_id, str):
            raise SceneGymError(f"episode_id: expected text or None, got {episode_id!r:.80}")
        if prompt is not None and not isinstance(prompt, str):
            raise SceneGymError(f"prompt: expected text or None, got {prompt!r:.80}")
        options = {k: v for k, v in (("prompt", prompt), ("scene", scene)) if v is not None}
        with _LOCK:
            checkpoint = self._gym.unwrapped.get_state() if self._last is not None else None
            try:
                obs, info = self._gym.reset(seed=seed, options=options)
            except Exception:
                # the gym env may have drawn from its generator or dropped its scene before refusing
                if checkpoint is not None:
                    self._gym.unwrapped.set_state(checkpoint)
                raise
        self._reset_rubric()
        self._episode_id, self._seed = episode_id or _new_episode_id(), seed
        self._last = self._observation(obs, info, reward=0.0, ret=0.0, minutes=0.0, done=(False, False))
        self.rubric.start(self._last)
        return self._last

    def step(
        self, action: SceneToolAction, timeout_s: float | None = None, **kwargs: Any
    ) -> SceneToolObservation:
        """Apply one call and return the observation; ``reward`` is the rubric's score of the step. A call that
        cannot be read or validated comes back with ``valid=False`` and ``error`` naming the value (the scene
        unchanged, the step counted, ``invalid_penalty`` earned); see the module docstring."""
        last = self._last
        if last is None or last.done:
            why = "expected reset() before step()" if last is None else "the episode is over; call reset()"
            base = last if last is not None else SceneToolObservation()
            return base.model_copy(update={"error": why, "valid": False, "applied": False, "reward": 0.0,
                                           "feedback": why, "call": {}, "catalogue": ""})  # fmt: skip
        try:
            text = action.to_text() if isinstance(action, SceneToolAction) else _not_an_action(action)
        except SceneGymError as err:
            with _LOCK:
                obs, _, term, trunc, info = self._gym.unwrapped.refuse_step(str(err))
        else:
            with _LOCK:
                obs, _, term, trunc, info = self._gym.step(text)
        out = self._observation(obs, info, reward=0.0, ret=last.episode_return, minutes=last.minutes,
                                done=(bool(term), bool(trunc)))  # fmt: skip
        reward = float(self._apply_rubric(action, out))
        self._last = out.model_copy(update={"reward": reward, "episode_return": last.episode_return + reward})
        return self._last

    @property
    def state(self) -> SceneToolState:
        """The episode's :class:`SceneToolState` (empty before the first reset)."""
        last = self._last
        if last is None:
            return SceneToolState(env_id=ENV_ID)
        return SceneToolState(episode_id=self._episode_id, step_count=last.step, env_id=ENV_ID, seed=self._seed,
                              prompt=last.prompt, scene=last.scene, reward_value=last.reward_value,
                              minutes=last.minutes, episode_return=last.episode_return, done=last.done,
                              max_steps=last.max_steps)  # fmt: skip

    def get_metadata(self) -> EnvironmentMetadata:
        """Name, description and version shown by the server's ``/metadata``."""
        from scene_gym import __version__

        return EnvironmentMetadata(name=f"scene-gym {ENV_ID}", version=__version__,
                                   description="3D indoor scene synthesis, one SceneWeaver-style tool call per step "
                                   "with a review; reward: change in scene quality Q minus tool time.")  # fmt: skip

    def close(self) -> None:
        """Release the gym env (physics world, renderer)."""
        with _LOCK:
            self._gym.close()

    # --- helpers ---------------------------------------------------------------------------------------------
    def _observation(self, obs: dict, info: dict, *, reward: float, ret: float, minutes: float,
                     done: tuple[bool, bool]) -> SceneToolObservation:  # fmt: skip
        """The typed observation of a gym ``(obs, info)``; ``minutes`` is the previous total, kept when the step
        reports none (a refused or undone step)."""
        minutes = float(info.get("minutes", minutes))
        return SceneToolObservation(
            prompt=obs["prompt"], catalogue=obs["catalogue"] if info["step"] == 0 else "", scene=obs["scene"],
            review=obs["review"], feedback=info["feedback"], error=info["error"], valid=bool(info["valid"]),
            applied=bool(info["applied"]), step=int(info["step"]), max_steps=self._gym.unwrapped.max_steps,
            reward_value=float(info["reward_value"]), reward_terms=_floats(info["reward_terms"]),
            reward_error=info["reward_error"], minutes=minutes, episode_return=ret, terminated=done[0],
            truncated=done[1], done=done[0] or done[1], reward=reward, call=_json_ready(info.get("call", {})),
            metrics=_json_ready(info["metrics"]), substitutions=_json_ready(info["substitutions"]),
        )  # fmt: skip


def _not_an_action(action: Any) -> str:
    raise SceneGymError(f"action: expected a SceneToolAction, got {type(action).__name__} {action!r:.80}")


def _new_episode_id() -> str:
    import uuid

    return uuid.uuid4().hex


def _floats(terms: dict) -> dict[str, float]:
    return {str(k): float(v) for k, v in terms.items()}


def _json_ready(value: Any) -> Any:
    """``value`` through JSON (numpy scalars -> numbers, tuples -> lists, non-finite floats -> None)."""

    def clean(x: Any) -> Any:
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {str(k): clean(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [clean(v) for v in x]
        return x

    return clean(json.loads(json.dumps(value, default=lambda o: o.item() if hasattr(o, "item") else str(o))))


# --- the app and how to serve it -----------------------------------------------------------------------------
def make_app(*, max_concurrent_envs: int = 8, **env_kwargs: Any):
    """The FastAPI app (``openenv.core.env_server.create_app``) serving :class:`SceneGymEnvironment`.

    Args:
        max_concurrent_envs: WebSocket sessions at once (each its own env); a positive int.
        env_kwargs: :class:`SceneGymEnvironment` arguments (``max_steps``, ``reward``, ``time_weight``...),
            checked now by building one env, so a bad value raises :class:`SceneGymError` here.

    Endpoints are OpenEnv's: ``/ws`` (sessions), ``/reset``, ``/step``, ``/state`` (stateless, one env per
    request), ``/health``, ``/schema``, ``/metadata``. ``ENABLE_WEB_INTERFACE=true`` adds OpenEnv's web UI.
    """
    from openenv.core.env_server import create_app

    if (
        isinstance(max_concurrent_envs, bool)
        or not isinstance(max_concurrent_envs, int)
        or max_concurrent_envs < 1
    ):
        raise SceneGymError(f"max_concurrent_envs: expected a positive integer, got {max_concurrent_envs!r}")
    factory = functools.partial(SceneGymEnvironment, **env_kwargs)
    factory().close()
    return create_app(factory, SceneToolAction, SceneToolObservation, env_name="scene_gym",
                      max_concurrent_envs=max_concurrent_envs)  # fmt: skip


def _ws_protocol() -> str:
    """uvicorn's WebSocket implementation to use: the legacy ``"websockets"`` one, imported here with its
    deprecation warning silenced. OpenEnv 0.3's ``/ws`` handler closes a socket the client already closed; the
    ``websockets-sansio`` implementation logs a traceback for that at the end of every session, the legacy one
    does not."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The `websockets` implementation is deprecated")
        import uvicorn.protocols.websockets.websockets_impl  # noqa: F401
    return "websockets"


@dataclass
class ServerHandle:
    """A uvicorn server running in a daemon thread: ``url`` (``http://host:port``), ``stop()``."""

    url: str
    server: Any
    thread: threading.Thread

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask uvicorn to exit and wait up to ``timeout_s`` seconds for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout_s)


def start_server(
    app=None, *, host: str = "127.0.0.1", port: int = 0, timeout_s: float = 30.0
) -> ServerHandle:
    """Serve ``app`` (default ``make_app()``) with uvicorn in a daemon thread and return once it listens.

    ``port=0`` takes a free port (read it from ``ServerHandle.url``). Raises :class:`SceneGymError` if the
    server is not up within ``timeout_s`` seconds."""
    import uvicorn

    config = uvicorn.Config(app if app is not None else make_app(), host=host, port=port, log_level="warning",
                            ws=_ws_protocol())  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="scene-gym-openenv", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not (server.started and server.servers):
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise SceneGymError(f"openenv server: not listening on {host}:{port} after {timeout_s} s")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    return ServerHandle(url=f"http://{host}:{bound}", server=server, thread=thread)


def serve(app=None, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``app`` (default ``make_app()``) with uvicorn in this thread until interrupted (no CLI needed)."""
    import uvicorn

    uvicorn.run(app if app is not None else make_app(), host=host, port=port, ws=_ws_protocol())


from scene_gym.integrations.openenv_client import (  # noqa: E402  (re-exported; the client imports this module's types)
    SceneGymClient,
    SceneGymEvalHarness,
    heuristic_episode,
    heuristic_model_step,
)

__all__ = ["ENV_ID", "SceneGymClient", "SceneGymEnvironment", "SceneGymEvalHarness", "SceneToolAction",
           "SceneToolObservation", "SceneToolState", "ServerHandle", "ToolStepRubric", "heuristic_episode",
           "heuristic_model_step", "make_app", "serve", "start_server"]  # fmt: skip
