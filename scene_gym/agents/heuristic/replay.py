"""Answers for the stand-in chat server (:class:`~scene_gym.llm.standin.ChatStandIn`) that play the heuristic's
tool calls, so API-policy episodes of ``SceneSynthToolStep-v1`` run to their end without a model.

:func:`tool_step_responder` reads each request as an :class:`~scene_gym.agents.api.APIPolicy` writes it: the task
from the last user turn that starts with ``Task:`` and the step from its feedback (``step k/N``; a new episode is
step 0). It answers the ``k``-th call of the heuristic's plan for that task (made once per task with a fixed seed,
cut to ``max_calls``) as a function call. The answer depends on the request alone, so episodes run in any order or
all at once get the same answers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import numpy as np

from scene_gym.agents.heuristic.policy import HeuristicPolicy

_TASK = re.compile(r"\ATask: (.*?)(?:\n\n|\Z)", re.S)
_STEP = re.compile(r"\bstep (\d+)/\d+")


def _text(content) -> str:
    if isinstance(content, list):
        return "\n".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return content if isinstance(content, str) else ""


def tool_step_responder(seed: int = 0, max_calls: int = 20) -> Callable[[dict], tuple]:
    """A responder (``request dict -> stand-in entry``) answering tool-step requests with the heuristic's calls
    (module docstring). ``seed`` seeds every plan; ``max_calls`` (>= 3) cuts it. A request with no ``Task:`` turn
    gets a ``terminate`` call."""
    planner = HeuristicPolicy(seed, max_calls=max_calls)
    plans: dict[str, list[dict]] = {}
    lock = threading.Lock()

    def respond(request: dict) -> tuple:
        messages = request.get("messages") if isinstance(request, dict) else None
        users = [_text(m.get("content")) for m in (messages if isinstance(messages, list) else [])
                 if isinstance(m, dict) and m.get("role") == "user"]  # fmt: skip
        turn = next((u for u in reversed(users) if u.startswith("Task: ")), "")
        found = _TASK.match(turn)
        if found is None:
            return ("tool_calls", [("terminate", {"reason": "no task in the request"})])
        task = found.group(1)
        feedback = turn.rsplit("Feedback on the last action:", 1)[-1] if "Feedback on the last action:" in turn else ""
        steps = _STEP.findall(feedback)
        k = int(steps[-1]) if steps else 0
        with lock:
            if task not in plans:
                plans[task] = planner.trajectory(task, np.random.default_rng(seed), max_calls=max_calls)
            calls = plans[task]
        call = calls[min(k, len(calls) - 1)]
        return ("tool_calls", [(call["tool"], call["args"])])

    return respond
