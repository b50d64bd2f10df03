"""SceneOrchestra at inference: the orchestrator writes the whole tool-call trajectory in one shot
(``SceneSynthTrajectory-v1``), with **validate-and-regenerate** (an answer that does not parse, or names a tool
that does not exist such as ``addCrowd``, is shown back to the model with the validator's error, up to
``max_regenerations`` times, then the empty trajectory), and optionally **best-of-K**: ``k`` sampled trajectories,
the parseable ones ranked by a trained discriminator (:func:`scene_gym.train.discriminator.choose`) without
executing any of them.

    from scene_gym.train.orchestra_policy import OrchestraPolicy
    policy = OrchestraPolicy("runs/orchestra/checkpoints/interleaved",
                             discriminator="runs/orchestra/checkpoints/discriminator", k=4)
    obs, info = env.reset(seed=0, options={"prompt": "A cosy bedroom."})   # SceneSynthTrajectory-v1
    policy.reset(0, kind=info["env_kind"])
    env.step(policy.act(obs))

A checkpoint trained by :mod:`scene_gym.train.orchestra` also loads on its own as ``vlm:PATH`` (its policy card
holds the prompt settings); that is the orchestrator alone, greedy, with ``max_regenerations`` 2 by default.
This class lives in ``train`` because the discriminator's prompt and answer parsing are there (agents cannot
import train).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scene_gym.agents.base import Candidate, KindLike, Policy
from scene_gym.errors import PolicyError


class OrchestraPolicy(Policy):
    """A trained orchestrator, optionally best-of-``k`` ranked by a discriminator.

    Args:
        orchestrator: checkpoint directory of the orchestrator (a ``vlm:`` checkpoint), or a built
            :class:`~scene_gym.agents.text_policy.TextPolicy` (tests).
        discriminator: checkpoint directory of the discriminator (None: no ranking; ``k`` must then be 1).
        k: trajectories sampled per observation when ranking (>= 1; 1 = the greedy trajectory).
        seed: sampling seed.
        device: ``"cpu"`` or a CUDA device for both models.
        max_regenerations: validate-and-regenerate budget per trajectory.
        sample_temperature: temperature of the ``k`` samples.
        chooser: ``chooser(observation, candidates) -> index`` replacing the discriminator call (candidates are
            lists of ``{"tool", "args"}`` dicts); None uses :func:`scene_gym.train.discriminator.choose`.
        prompt_config: the discriminator's prompt style (None: compact, as
            :func:`~scene_gym.train.discriminator.candidate_messages` defaults; a trainer passes its own).

    Attributes:
        last_candidates: per observation of the latest call, the chosen :class:`Candidate` first (``meta``:
            ``fallback`` True when nothing parsed, ``ranked`` how many candidates the discriminator saw,
            ``choice`` the index it picked among them).
    """

    name = "orchestra"
    version = "1"
    formats = ("trajectory",)

    def __init__(self, orchestrator: Any, discriminator: str | Path | None = None, *, k: int = 1,
                 seed: int | None = None, device: str = "cpu", max_regenerations: int = 2,
                 sample_temperature: float = 1.0, chooser: Callable | None = None, prompt_config=None,
                 kind: KindLike | None = None):  # fmt: skip
        super().__init__(seed, kind=kind)
        self.k = self.check_count(k)
        if self.k > 1 and discriminator is None and chooser is None:
            raise PolicyError(
                f"k: expected 1 without a discriminator (nothing would rank the samples), got {k!r}"
            )
        if isinstance(orchestrator, str | Path):
            from scene_gym.agents.vlm import VLMPolicy

            orchestrator = VLMPolicy(orchestrator, seed=seed, device=device, max_regenerations=max_regenerations,
                                     sample_temperature=sample_temperature, batch_size=16)  # fmt: skip
        self.orchestrator = orchestrator
        self.discriminator = None if discriminator is None else str(discriminator)
        self.device = device
        self._chooser = chooser
        self.prompt_config = prompt_config
        self.choice_errors = 0
        self.last_candidates: list[list[Candidate]] = []

    def reset(self, seed: int | None = None, *, kind: KindLike | None = None) -> None:
        super().reset(seed, kind=kind)
        self.orchestrator.reset(seed, kind=kind)

    def choose(self, observation: Mapping[str, Any], candidates: list[list[dict]]) -> int:
        """The discriminator's pick among ``candidates`` (index); an answer that names none of them (a
        discriminator trained on 4 candidates shown 2 may answer "2") picks the first and counts it in
        :attr:`choice_errors`."""
        if self._chooser is not None:
            return int(self._chooser(observation, candidates))
        from scene_gym.train.discriminator import DiscriminatorError, choose

        try:
            return int(choose(self.discriminator, observation, candidates, prompt_config=self.prompt_config,
                              device=self.device))  # fmt: skip
        except DiscriminatorError:  # an answer naming no candidate: the first one, counted
            self.choice_errors += 1
            return 0

    def _pick(self, observation: Mapping[str, Any], cands: list[Candidate]) -> Candidate:
        usable = [c for c in cands if not c.meta.get("fallback")]
        if len(usable) <= 1:
            best = usable[0] if usable else cands[0]
            return Candidate(
                best.action, best.text, best.logprob, {**best.meta, "ranked": len(usable), "choice": 0}
            )
        index = self.choose(observation, [json.loads(c.action) for c in usable])
        if not 0 <= index < len(usable):
            raise PolicyError(f"discriminator choice: expected an index in [0, {len(usable)}), got {index!r}")
        best = usable[index]
        return Candidate(
            best.action, best.text, best.logprob, {**best.meta, "ranked": len(usable), "choice": index}
        )

    def sample_batch(
        self, observations: Sequence[Mapping[str, Any]], *, kind: KindLike | None = None
    ) -> list[Candidate]:
        """The chosen trajectory per observation: greedy when ``k`` is 1, else the discriminator's pick among
        ``k`` samples (the batch is generated at once)."""
        found = self.kind_for(kind)
        if not observations:
            return []
        if self.k == 1:
            rows = self.orchestrator.sample_batch(list(observations), 1, kind=found)
            picked = [Candidate(r[0].action, r[0].text, r[0].logprob, {**r[0].meta, "ranked": 1, "choice": 0})
                      for r in rows]  # fmt: skip
        else:
            rows = self.orchestrator.sample_batch(list(observations), self.k, kind=found)
            picked = [self._pick(o, r) for o, r in zip(observations, rows, strict=True)]
        self.last_candidates = [[p] for p in picked]
        return picked

    def sample(
        self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None
    ) -> list[Candidate]:
        """``n`` chosen trajectories for one observation (each an independent pick)."""
        n = self.check_count(n)
        return [self.sample_batch([observation], kind=kind)[0] for _ in range(n)]

    def act(self, observation: Mapping[str, Any], *, kind: KindLike | None = None) -> Any:
        """The chosen trajectory's action (JSON text of the calls)."""
        return self.sample_batch([observation], kind=kind)[0].action

    def act_batch(
        self, observations: Sequence[Mapping[str, Any]], *, kind: KindLike | None = None
    ) -> list[Any]:
        """:meth:`act` for several observations, generated as one batch."""
        return [c.action for c in self.sample_batch(observations, kind=kind)]

    def describe(self) -> dict[str, Any]:
        inner = self.orchestrator.describe()
        return {**super().describe(), "orchestrator": inner, "discriminator": self.discriminator, "k": self.k}
