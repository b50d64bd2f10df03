"""Small deterministic policies for testing a benchmark harness (``make_policy("test:NAME")``, ``scene-gym
benchmark --policy test:NAME``), one per failure mode the runner must survive. They serve every action format
but ``control``.

=============  =================================================================================================
name           behaviour
=============  =================================================================================================
``fast``       two objects, then done (``dsl``: ``add`` x 2 + ``done()``; ``trajectory``/``toolcall``:
               ``add_objects`` + ``terminate``; ``point``: one book at the image centre, then ``"done"``)
``slow``       ``fast`` after sleeping :data:`SLOW_S` seconds per action (to interrupt a run mid-way)
``raise``      ``fast``, but raises ``RuntimeError`` when the prompt mentions a kitchen
``hang``       ``fast``, but sleeps for an hour when the prompt mentions a kitchen (the runner's per-scene
               timeout must end it)
=============  =================================================================================================
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from scene_gym.agents.base import Candidate, KindLike, Policy

SLOW_S = 0.5
_TRIGGER = "kitchen"


class FastPolicy(Policy):
    """Two objects then done, in an env of any scene-editing kind (module docstring)."""

    name = "test-fast"
    version = "1"

    def _action(self, obs: Mapping[str, Any], fmt: str) -> Any:
        first = "new episode" in str(obs.get("feedback", ""))
        if fmt == "dsl":
            from scene_gym.agents.scripted import room_size

            if not first:
                return "done()"
            w, d = room_size(str(obs["scene"]))
            return (f'add("armchair", at=({w / 2:.2f}, {d / 2:.2f}), facing="north")\n'
                    f'add("floor_lamp", at=(0.40, {d - 0.40:.2f}))\ndone()')  # fmt: skip
        if fmt == "point":
            done = "(nothing yet)" not in str(obs.get("placed", ""))
            return {"point": np.array([0.5, 0.5], dtype=np.float32), "asset": "done" if done else "book"}
        calls = [{"tool": "add_objects", "args": {"category": "armchair"}},
                 {"tool": "add_objects", "args": {"category": "floor_lamp"}},
                 {"tool": "terminate", "args": {"reason": "test policy"}}]  # fmt: skip
        if fmt == "trajectory":
            return json.dumps(calls)
        return json.dumps(calls[0] if first else calls[-1])

    def sample(self, observation: Mapping[str, Any], n: int = 1, *, kind: KindLike | None = None) -> list[Candidate]:
        fmt = self.kind_for(kind).action_format
        return [Candidate(self._action(observation, fmt)) for _ in range(self.check_count(n))]


class SlowPolicy(FastPolicy):
    """:class:`FastPolicy` sleeping :data:`SLOW_S` seconds before each action."""

    name = "test-slow"

    def sample(self, observation, n: int = 1, *, kind: KindLike | None = None):
        time.sleep(SLOW_S)
        return super().sample(observation, n, kind=kind)


class RaisingPolicy(FastPolicy):
    """:class:`FastPolicy` that raises ``RuntimeError`` on prompts mentioning a kitchen."""

    name = "test-raise"

    def sample(self, observation, n: int = 1, *, kind: KindLike | None = None):
        if _TRIGGER in str(observation.get("prompt", "")).lower():
            raise RuntimeError("test policy failed on purpose (kitchen prompt)")
        return super().sample(observation, n, kind=kind)


class HangingPolicy(FastPolicy):
    """:class:`FastPolicy` that sleeps an hour on prompts mentioning a kitchen."""

    name = "test-hang"

    def sample(self, observation, n: int = 1, *, kind: KindLike | None = None):
        if _TRIGGER in str(observation.get("prompt", "")).lower():
            time.sleep(3600)
        return super().sample(observation, n, kind=kind)


#: ``test:NAME`` -> policy class (built by :func:`scene_gym.agents.registry.make_policy`).
TEST_POLICIES = {"fast": FastPolicy, "slow": SlowPolicy, "raise": RaisingPolicy, "hang": HangingPolicy}
