"""``SceneSynth-v1``: scene-level synthesis with a scene DSL (3D-Generalist's scene-level policy)."""

from __future__ import annotations

from typing import Any

from gymnasium import spaces

from scene_gym.envs.shell import Outcome, SceneEnv
from scene_gym.envs.spaces import ACTION_MAX, SCENE_MAX, action_text, clean_text, text_space
from scene_gym.errors import SceneGymError


class SceneSynthEnv(SceneEnv):
    """Furnish a room by writing short programs in the scene DSL.

    ## Description
    Each step the agent writes a short program (one or more statements) in the scene DSL of
    :mod:`scene_gym.actions.dsl` - ``add``, ``move``, ``rotate``, ``resize``, ``remove``, ``place_on``,
    ``relate``, ``set_material``, ``set_light``, ``done`` - for example
    ``add("sofa", at=(2.0, 0.6), facing="north", material="grey fabric")``. The text is parsed under a
    whitelist and never evaluated. Statements apply one at a time through the edit core and **each statement is
    atomic**: one that fails leaves the scene unchanged and is explained in ``feedback``; the statements after
    it still run. A program with a syntax error runs nothing. The step as a whole is one transaction with its
    reward: if the reward fails, every statement of the step is undone (``info["reward_error"]``).

    ## Action Space
    ``UnicodeText(max_length=20000)`` (any Unicode). Longer or non-text actions are refused before parsing, with
    feedback, never raised.

    ## Observation Space
    ``Dict``:

    | key         | space                              | content                                                 |
    |-------------|------------------------------------|---------------------------------------------------------|
    | ``image``   | ``Box(0, 255, (H, W, 3), uint8)``  | 2 x 2 composite: top-down with grid, top-down with ids, |
    |             |                                    | two corner views (only if ``image_size``)               |
    | ``prompt``  | ``UnicodeText(1024)``              | the task                                                |
    | ``scene``   | ``UnicodeText(32768)``             | the scene written in the DSL (``scene_to_dsl``)         |
    | ``feedback``| ``UnicodeText(8192)``              | what each statement did or why it failed                |

    ## Rewards
    The change in the configured reward ``R`` (``reward=``: a ``scene_gym.rewards`` spec such as ``"quality"``,
    ``"physical"``, ``"q_phy"`` or ``"0.5*clip+0.5*quality"``, a Reward, or a callable ``(scene, context)``;
    see :func:`scene_gym.rewards.as_reward`). The default is ``"quality"``, SceneOrchestra's Q from the offline
    judge normalised to [-1, 1]. ``invalid_penalty`` is subtracted for an unreadable program and for each
    failed statement. ``info["reward_terms"]`` holds R's named terms.

    ## Starting State
    An empty rectangular room (door on the south wall, window on the north wall) of the type named by the
    prompt, its size drawn with the seed; the prompt is ``options["prompt"]`` or drawn from
    :data:`~scene_gym.envs.common.PROMPTS`. ``options["scene"]`` (a Scene, its JSON or dict) starts from a
    given scene instead.

    ## Episode End
    Terminated by a successful ``done()``; truncated after ``max_steps`` steps.

    ## Arguments
    ``gym.make("SceneSynth-v1", render_mode="rgb_array", max_steps=10, image_size=(256, 256), reward=None,
    invalid_penalty=0.0, max_objects=60, solver_budget_s=10.0, prompts=None)``; ``image_size=None`` drops the
    image from the observation (``render`` still draws 256 x 256).

    ## Info
    The shell's keys (:mod:`scene_gym.envs.shell`: ``env_kind``, ``step``, ``valid``, ``applied``, ``error``,
    ``reward_value``, ``reward_terms``, ``reward_error``, ``metrics``, ``feedback``, ``substitutions``) plus
    ``results`` (one dict per statement: ok, message, changed_ids...), ``n_ok`` and ``n_failed``.

    ## Version History
    * v1: one env shell: Unicode text spaces, one ``info`` vocabulary (``syntax_error`` became ``error`` with
      ``valid``), the step is one transaction with its reward, one physics sync and evaluate per step,
      collision notes from the step's metrics.
    * v0: initial version.
    """

    KIND = "scene"

    def __init__(self, render_mode: str | None = None, *, max_steps: int = 10, image_size=(256, 256),
                 reward: Any = None, invalid_penalty: float = 0.0, max_objects: int = 60,
                 solver_budget_s: float = 10.0, prompts=None):  # fmt: skip
        if isinstance(max_objects, bool) or not isinstance(max_objects, int) or not 1 <= max_objects <= 64:
            raise SceneGymError(f"expected max_objects in [1, 64] (the DSL printer's limit), got {max_objects!r}")
        self.max_objects = max_objects
        super().__init__(render_mode, max_steps=max_steps, image_size=image_size, reward=reward,
                         invalid_penalty=invalid_penalty, prompts=prompts, solver_budget_s=solver_budget_s)  # fmt: skip

    def _action_space(self) -> spaces.Space:
        return text_space(ACTION_MAX)

    def _extra_spaces(self) -> dict[str, spaces.Space]:
        return {"scene": text_space(SCENE_MAX)}

    def _extra_obs(self) -> dict[str, Any]:
        from scene_gym.actions.dsl.printer import scene_to_dsl

        return {"scene": clean_text(scene_to_dsl(self.scene), SCENE_MAX)}

    def _apply(self, action: Any) -> Outcome:
        from scene_gym.actions.dsl import DSLSyntaxError, apply_program, note_collisions, parse_program

        try:
            statements = parse_program(action_text(action, ACTION_MAX))
        except DSLSyntaxError as err:
            raise SceneGymError(f"syntax error: {err}") from err
        results = apply_program(self.scene, statements, rng=self.np_random, max_objects=self.max_objects,
                                solver_budget_s=self.solver_budget_s)  # fmt: skip
        n_ok = sum(r.ok for r in results)
        n_failed = sum(not r.ok and not r.skipped for r in results)
        if n_ok:
            self._eval = self._evaluate()
            results = note_collisions(results, _collisions(self._eval.metrics))
        return Outcome(valid=True, applied=bool(n_ok), failed=n_failed,
                       error="; ".join(r.message for r in results if not r.ok and not r.skipped),
                       lines=[str(r) for r in results] or ["empty program: nothing to do"],
                       terminate=any(r.done and r.ok for r in results),
                       substitutions=self._substitutions(statements, results),
                       info={"results": [r.to_dict() for r in results], "n_ok": n_ok, "n_failed": n_failed})  # fmt: skip

    def _substitutions(self, statements, results) -> list[dict]:
        """Names in ``add``/``place_on`` accepted as another category (``{"requested", "used", "score", "how"}``)."""
        from scene_gym.actions.edit import substitution_record

        out = []
        for st, res in zip(statements, results, strict=False):
            if res.ok and st.op in ("add", "place_on") and res.changed_ids and res.changed_ids[0] in self.scene:
                record = substitution_record(st.args.get("category"), self.scene.get(res.changed_ids[0]).category)
                if record is not None:
                    out.append(record)
        return out


def _collisions(metrics) -> list:
    """The metrics' collision pairs as records with ``a``, ``b`` and ``depth`` (metres)."""
    from types import SimpleNamespace

    return [SimpleNamespace(a=a, b=b, depth=d) for (a, b), d in zip(metrics.collisions, metrics.collision_depths,
                                                                     strict=True)]  # fmt: skip
