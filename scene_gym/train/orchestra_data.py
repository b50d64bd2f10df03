"""SceneOrchestra's four datasets from replayed rollouts (:mod:`~scene_gym.train.orchestra_rollouts`), in TRL's
conversational formats: stepwise and trajectory SFT rows (``prompt``/``completion``), stepwise and trajectory DPO
pairs (``prompt``/``chosen``/``rejected``). Convert them with :func:`scene_gym.train.datasets.to_hf_dataset`.

The orchestrator sees :func:`orchestrator_messages`: for a whole trajectory exactly the chat the ``trajectory``
text policy builds for ``SceneSynthTrajectory-v1``'s first observation (so trajectory rows train the prompt
inference uses); for one step the ``toolcall`` chat of the same observation with the calls so far appended.
Completions are JSON: the list of calls (``json.dumps``, as the heuristic writes it) or one call.

The builders, with :class:`Thresholds` ``tau``:

- **stepwise SFT** (:func:`stepwise_sft_rows`): every step whose history and call were accepted and applied and
  whose gain ``c[k+1] - c[k]`` exceeds ``tau.step_sft``; the prompt is the history, the completion the call.
- **trajectory SFT** (:func:`trajectory_sft_rows`): per rollout, one random truncation ``calls[:k]`` (closed with
  ``terminate``) among those whose calls were all accepted and applied and whose C exceeds ``tau.traj_sft``.
- **stepwise DPO** (:func:`stepwise_dpo_pairs`): at steps whose own gain has ``|dC| > tau.step_sft``, a proposer
  writes alternative next calls; each is executed from the history's state (the tool-step env's checkpoint) and
  paired with the original call when ``|C_alt - C_orig| > tau.step_dpo``, the higher C chosen. A refused call's
  C is the one before it plus the env's invalid penalty (-1).
- **trajectory DPO** (:func:`trajectory_dpo_pairs`): per instruction instance (same prompt, seed and room), each
  rollout's full trajectory and ``truncations`` random truncations; every two with ``|dC| > tau.traj_dpo`` make a
  pair, the higher C chosen. A plan holding a refused call, or a text that did not parse, scores
  :data:`~scene_gym.train.orchestra_rollouts.INVALID_C` (-1, the trajectory env's invalid penalty).

Identical rows (same prompt and completions) are kept once; a pair's two completions always differ.

**Scales.** The paper's C is ``0.1 * #obj - 0.4 * (#oob + #collisions) + Q_vis - 0.05 * minutes`` with VLM
grades (``Q_vis`` up to 10) and the orchestrator's wall-clock minutes; its scenes reach about 12 (35 objects,
grades ~8.7, 28 min). Ours uses the same formula with the offline judge's grades and the tools' *nominal* minutes
(seconds per call, so the time term is ~0.01): not comparable in absolute terms, but of the same size. Measured on
80 replayed rollouts (the first 10 ``rooms-50`` prompts x 4 samples x {heuristic, perturbed-heuristic}, seed 0):
whole scenes score 7.7-12.9 (median 10.8) for the heuristic, 10.2 median perturbed (one refused plan, -1), so
whole-trajectory C sits on the paper's scale; per-step gains do not: each rollout's largest gain (its first
furniture ``add_objects``) is 3.4-6.9 (median 5.6) and every other call gains at most 2.7 (all steps: median 0.16,
75th percentile 0.43, 90th 1.2; 21% above 0.5). The paper's ``tau1 = 3`` thus keeps one step per rollout.
:data:`DEFAULT_THRESHOLDS` lowers the step thresholds (tau1, tau3) to 0.5, about the top fifth of steps (~4 per
rollout, the furniture calls), and keeps the paper's trajectory thresholds: tau2 = 7.5 (a truncation holding the
main furniture; 74 of 80 rollouts have one) and tau4 = 3 (two plans a few pieces of furniture apart, or a valid plan
against a refused one). On those 80 rollouts the builders keep (rows / candidates seen): stepwise SFT 231 / 1432,
trajectory SFT 74 / 80, stepwise DPO 532 / 1005, trajectory DPO 378 / 1140 (paper: 371, 387, 297, 563); with
:data:`PAPER_THRESHOLDS`: 50, 74, 84, 378.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from scene_gym.train.orchestra_rollouts import (
    INVALID_C,
    OrchestraError,
    OrchestraRollout,
    collect_orchestra_rollouts,
    load_rollouts,
    replay,
    tool_step_env,
)
from scene_gym.train.orchestra_sources import (
    PerturbedHeuristic,
    Proposer,
    heuristic_proposer,
    make_source,
    model_proposer,
    perturb_calls,
)

__all__ = ["DEFAULT_THRESHOLDS", "INVALID_C", "PAPER_SIZES", "PAPER_THRESHOLDS", "OrchestraError", "OrchestraRollout",
           "PerturbedHeuristic", "Thresholds", "build_datasets", "collect_orchestra_rollouts", "dataset_sizes",
           "heuristic_proposer", "load_rollouts", "make_source", "model_proposer", "orchestrator_messages",
           "perturb_calls", "replay", "stepwise_dpo_pairs", "stepwise_sft_rows", "trajectory_dpo_pairs", "trajectory_sft_rows"]  # fmt: skip


@dataclass(frozen=True)
class Thresholds:
    """SceneOrchestra's ``tau``, in units of our C (module docstring).

    Attributes:
        step_sft: tau1: stepwise SFT keeps a step whose gain in C exceeds it; stepwise DPO's history filter
            (steps with ``|dC|`` above it).
        traj_sft: tau2: trajectory SFT keeps one random truncation per rollout whose C exceeds it.
        step_dpo: tau3: stepwise DPO keeps a pair when ``|C_alt - C_orig|`` exceeds it.
        traj_dpo: tau4: trajectory DPO pairs truncations of one instruction with ``|dC|`` above it.
    """

    step_sft: float
    traj_sft: float
    step_dpo: float
    traj_dpo: float

    def __post_init__(self):
        for name, v in asdict(self).items():
            if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v):
                raise OrchestraError(f"thresholds.{name}: expected a finite number (units of C), got {v!r}")


#: The paper's tau = (3, 7.5, 3, 3).
PAPER_THRESHOLDS = Thresholds(3.0, 7.5, 3.0, 3.0)
#: Calibrated to scene-gym's per-step gains (module docstring): step thresholds 0.5, trajectory ones as the paper.
DEFAULT_THRESHOLDS = Thresholds(0.5, 7.5, 0.5, 3.0)
#: The paper's dataset sizes per builder.
PAPER_SIZES = {"stepwise_sft": 371, "trajectory_sft": 387, "stepwise_dpo": 297, "trajectory_dpo": 563}

STEP_REQUEST = "Write the next call as one JSON object."


# --- prompts ----------------------------------------------------------------------------------------------------
def _observation(prompt_observation: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(prompt_observation, Mapping) or "prompt" not in prompt_observation:
        raise OrchestraError(
            f"prompt_observation: expected an observation with a prompt, got {prompt_observation!r:.80}"
        )
    obs = {k: v for k, v in prompt_observation.items() if k != "image"}
    if not obs.get("catalogue"):
        from scene_gym.actions.tools import catalogue
        from scene_gym.envs.spaces import clean_text
        from scene_gym.envs.tool_common import CATALOGUE_MAX

        obs["catalogue"] = clean_text(catalogue(fmt="text"), CATALOGUE_MAX)
    return obs


def orchestrator_messages(prompt_observation: Mapping[str, Any], history: list[dict] | None,
                          prompt_config) -> list[dict]:  # fmt: skip
    """The chat (text-only messages) the orchestrator sees for an instruction's first observation (its text
    fields; the tool catalogue is added when missing). ``history`` None: the trajectory chat, exactly what the
    ``trajectory`` text policy builds. A list of calls: the ``toolcall`` chat of the same observation with
    ``Calls so far: [...]`` and :data:`STEP_REQUEST` appended to the user turn."""
    from scene_gym.agents.prompts import build_messages, to_text_only

    obs = _observation(prompt_observation)
    if history is None:
        return to_text_only(build_messages(obs, "trajectory", (), (), prompt_config))
    if not isinstance(history, list):
        raise OrchestraError(f"history: expected None or a list of calls, got {type(history).__name__}")
    messages = to_text_only(build_messages(obs, "toolcall", (), (), prompt_config))
    so_far = json.dumps(history) if history else "none"
    messages[-1]["content"] += f"\nCalls so far: {so_far}\n{STEP_REQUEST}"
    return messages


def _answer(text: str) -> list[dict]:
    return [{"role": "assistant", "content": text}]


def _closed(calls: Sequence[dict]) -> list[dict]:
    """``calls`` ending with ``terminate`` (appended when missing)."""
    calls = list(calls)
    return (
        calls
        if calls and calls[-1].get("tool") == "terminate"
        else [*calls, {"tool": "terminate", "args": {}}]
    )


def _summary(summary: dict | None, builder: str, threshold: str, value: float, rows: int, candidates: int,
             **extra: Any) -> None:  # fmt: skip
    if summary is not None:
        summary.update(builder=builder, rows=rows, candidates=candidates, threshold=threshold, tau=float(value),
                       **extra)  # fmt: skip


def _check(rollouts: Sequence[OrchestraRollout], thresholds: Thresholds) -> None:
    if not isinstance(thresholds, Thresholds):
        raise OrchestraError(f"thresholds: expected a Thresholds, got {type(thresholds).__name__}")
    for i, r in enumerate(rollouts):
        if not isinstance(r, OrchestraRollout):
            raise OrchestraError(f"rollouts[{i}]: expected an OrchestraRollout, got {type(r).__name__}")


# --- SFT --------------------------------------------------------------------------------------------------------
def stepwise_sft_rows(rollouts: Sequence[OrchestraRollout], thresholds: Thresholds, prompt_config, *,
                      summary: dict | None = None) -> list[dict]:  # fmt: skip
    """Stepwise SFT rows (module docstring): ``{"prompt": messages, "completion": [one call as JSON]}`` for every
    clean step with gain ``> thresholds.step_sft``. ``summary`` (a dict) receives rows, candidates (clean steps
    seen) and the threshold."""
    _check(rollouts, thresholds)
    rows, seen, candidates = [], set(), 0
    for r in rollouts:
        if r.error:
            continue
        for k, call in enumerate(r.calls):
            if not all(r.valid[: k + 1]):
                break
            candidates += 1
            if r.c[k + 1] - r.c[k] <= thresholds.step_sft:
                continue
            messages = orchestrator_messages(r.observation, r.calls[:k], prompt_config)
            completion = json.dumps(call)
            key = json.dumps([messages, completion])
            if key not in seen:
                seen.add(key)
                rows.append({"prompt": messages, "completion": _answer(completion)})
    _summary(summary, "stepwise_sft", "step_sft", thresholds.step_sft, len(rows), candidates)
    return rows


def trajectory_sft_rows(rollouts: Sequence[OrchestraRollout], thresholds: Thresholds, prompt_config, seed: int, *,
                        summary: dict | None = None) -> list[dict]:  # fmt: skip
    """Trajectory SFT rows (module docstring): per rollout, one random clean truncation with C
    ``> thresholds.traj_sft``, as ``{"prompt": the trajectory chat, "completion": [the calls as JSON]}``;
    ``seed`` draws the truncations. ``summary`` receives rows, candidates (rollouts seen) and the threshold."""
    _check(rollouts, thresholds)
    rng = np.random.default_rng(seed)
    rows, seen = [], set()
    for r in rollouts:
        ks = [k for k in range(1, len(r.calls) + 1)
              if not r.error and all(r.valid[:k]) and r.c[k] > thresholds.traj_sft]  # fmt: skip
        if not ks:
            continue
        k = int(rng.choice(ks))
        messages = orchestrator_messages(r.observation, None, prompt_config)
        completion = json.dumps(_closed(r.calls[:k]))
        key = json.dumps([messages, completion])
        if key not in seen:
            seen.add(key)
            rows.append({"prompt": messages, "completion": _answer(completion)})
    _summary(summary, "trajectory_sft", "traj_sft", thresholds.traj_sft, len(rows), len(rollouts))
    return rows


# --- stepwise DPO -----------------------------------------------------------------------------------------------
def _rollout_pairs(
    env, r: OrchestraRollout, thresholds: Thresholds, prompt_config, propose: Proposer, counts: dict[str, int]
) -> list[dict]:
    """Replay ``r`` once in ``env``; at each history that passes the filter, execute the proposed alternatives from
    the checkpointed state (a refused call's C: the C before it plus -1) and pair them with the original call."""
    from scene_gym.train.orchestra_rollouts import composition, reset_options

    wanted = [
        k for k in range(len(r.calls)) if all(r.valid[:k]) and abs(r.step_gain(k)) > thresholds.step_sft
    ]
    if not wanted:
        return []
    _, info = env.reset(seed=int(r.seed), options=reset_options(r.prompt, r.start))
    rows = []
    for k, call in enumerate(r.calls[: wanted[-1] + 1]):
        if k in wanted:
            counts["histories"] += 1
            before = composition(env, info)
            counts["replay_mismatches"] += int(abs(before - r.c[k]) > 1e-6)
            history = list(r.calls[:k])
            messages = orchestrator_messages(r.observation, history, prompt_config)
            alts = [a for a in propose(messages, history, r) if a != call]
            state = env.get_state() if alts else None
            c_orig = r.c[k] + r.step_gain(k)
            for alt in alts:
                _, _, _, _, alt_info = env.step(json.dumps(alt, allow_nan=False))
                c_alt = composition(env, alt_info) if alt_info["valid"] else before + INVALID_C
                env.set_state(state)
                counts["candidates"] += 1
                if abs(c_alt - c_orig) <= thresholds.step_dpo:
                    continue
                (good, cg), (bad, cb) = sorted([(call, c_orig), (alt, c_alt)], key=lambda x: -x[1])
                rows.append({"prompt": messages, "chosen": _answer(json.dumps(good)),
                             "rejected": _answer(json.dumps(bad)), "c_chosen": float(cg), "c_rejected": float(cb)})  # fmt: skip
        _, _, terminated, truncated, info = env.step(json.dumps(call, allow_nan=False))
        if terminated or truncated:
            break
    return rows


def stepwise_dpo_pairs(rollouts: Sequence[OrchestraRollout], thresholds: Thresholds, prompt_config,
                       propose: Proposer | None, seed: int, *, env=None, summary: dict | None = None) -> list[dict]:  # fmt: skip
    """Stepwise DPO pairs (module docstring): ``{"prompt": step chat, "chosen": [call], "rejected": [call],
    "c_chosen", "c_rejected"}``. ``propose(messages, history, rollout)`` returns alternative next calls
    (None: :func:`heuristic_proposer` seeded with ``seed``); ``env`` is a ``SceneSynthToolStep-v1`` to execute them
    in (built when None). ``summary`` receives rows, candidates (alternatives executed), histories and
    ``replay_mismatches`` (histories whose replayed C differed from the record by more than 1e-6)."""
    _check(rollouts, thresholds)
    propose = propose if propose is not None else heuristic_proposer(seed)
    own_env = env is None
    env = tool_step_env() if own_env else env
    rows, seen = [], set()
    counts = {"candidates": 0, "histories": 0, "replay_mismatches": 0}
    for r in rollouts:
        if r.error:
            continue
        for row in _rollout_pairs(env, r, thresholds, prompt_config, propose, counts):
            key = json.dumps([row["prompt"], row["chosen"], row["rejected"]])
            if key not in seen:
                seen.add(key)
                rows.append(row)
    if own_env:
        env.close()
    _summary(summary, "stepwise_dpo", "step_dpo", thresholds.step_dpo, len(rows), counts["candidates"],
             history_threshold=float(thresholds.step_sft), histories=counts["histories"],
             replay_mismatches=counts["replay_mismatches"])  # fmt: skip
    return rows


# --- trajectory DPO ---------------------------------------------------------------------------------------------
def _trajectory_candidates(
    r: OrchestraRollout, rng: np.random.Generator, truncations: int
) -> list[tuple[str, float]]:
    """(completion text, score) of a rollout's full plan and ``truncations`` random shorter ones."""
    if r.error:
        return [(r.text, INVALID_C)] if r.text else []
    out = [(json.dumps(r.calls), r.score())]
    inner = list(range(1, len(r.calls)))
    for k in rng.permutation(inner)[:truncations] if inner else []:
        out.append((json.dumps(_closed(r.calls[: int(k)])), r.score(int(k))))
    return out


def trajectory_dpo_pairs(rollouts: Sequence[OrchestraRollout], thresholds: Thresholds, prompt_config, seed: int, *,
                         truncations: int = 1, max_pairs_per_group: int | None = None,
                         summary: dict | None = None) -> list[dict]:  # fmt: skip
    """Trajectory DPO pairs (module docstring): ``{"prompt": trajectory chat, "chosen": [plan], "rejected": [plan],
    "c_chosen", "c_rejected"}`` for candidates of one instruction instance with ``|dC| > thresholds.traj_dpo``.
    ``truncations`` random truncations per rollout join its full plan; ``max_pairs_per_group`` keeps a random
    subset per instance (None: all); ``seed`` draws both. ``summary`` receives rows, candidates (pairs
    compared), groups and the threshold."""
    _check(rollouts, thresholds)
    if isinstance(truncations, bool) or not isinstance(truncations, int) or truncations < 0:
        raise OrchestraError(f"truncations: expected an integer >= 0, got {truncations!r}")
    rng = np.random.default_rng(seed)
    groups: dict[str, list[OrchestraRollout]] = {}
    for r in rollouts:
        groups.setdefault(r.group, []).append(r)
    rows, compared = [], 0
    for members in groups.values():
        found: dict[str, float] = {}
        for r in members:
            for text, score in _trajectory_candidates(r, rng, truncations):
                found.setdefault(text, score)
        cands = list(found.items())
        pairs = []
        for i in range(len(cands)):
            for j in range(i + 1, len(cands)):
                compared += 1
                if abs(cands[i][1] - cands[j][1]) > thresholds.traj_dpo:
                    pairs.append(sorted([cands[i], cands[j]], key=lambda x: -x[1]))
        if max_pairs_per_group is not None and len(pairs) > max_pairs_per_group:
            pairs = [pairs[i] for i in sorted(rng.choice(len(pairs), max_pairs_per_group, replace=False))]
        messages = orchestrator_messages(members[0].observation, None, prompt_config)
        rows += [{"prompt": messages, "chosen": _answer(g), "rejected": _answer(b), "c_chosen": float(cg),
                  "c_rejected": float(cb)} for (g, cg), (b, cb) in pairs]  # fmt: skip
    _summary(
        summary, "trajectory_dpo", "traj_dpo", thresholds.traj_dpo, len(rows), compared, groups=len(groups)
    )
    return rows


# --- all four ---------------------------------------------------------------------------------------------------
def build_datasets(rollouts: Sequence[OrchestraRollout], thresholds: Thresholds, prompt_config,
                   propose: Proposer | None = None, seed: int = 0) -> tuple[dict[str, list[dict]], dict[str, dict]]:  # fmt: skip
    """The four datasets (keys of :data:`PAPER_SIZES`) and their summaries (rows, candidates, threshold, the
    paper's size)."""
    summaries: dict[str, dict] = {name: {} for name in PAPER_SIZES}
    data = {
        "stepwise_sft": stepwise_sft_rows(rollouts, thresholds, prompt_config, summary=summaries["stepwise_sft"]),
        "trajectory_sft": trajectory_sft_rows(rollouts, thresholds, prompt_config, seed,
                                              summary=summaries["trajectory_sft"]),
        "stepwise_dpo": stepwise_dpo_pairs(rollouts, thresholds, prompt_config, propose, seed,
                                           summary=summaries["stepwise_dpo"]),
        "trajectory_dpo": trajectory_dpo_pairs(rollouts, thresholds, prompt_config, seed,
                                               summary=summaries["trajectory_dpo"]),
    }  # fmt: skip
    for name, s in summaries.items():
        s["paper_rows"] = PAPER_SIZES[name]
    return data, summaries


def dataset_sizes(rollouts: Sequence[OrchestraRollout], thresholds: Thresholds, prompt_config,
                  propose: Proposer | None = None, seed: int = 0) -> dict[str, dict]:  # fmt: skip
    """Per builder: ``rows`` kept, ``candidates`` seen, the ``threshold`` name and ``tau`` used, ``paper_rows``
    (:func:`build_datasets`' summaries)."""
    return build_datasets(rollouts, thresholds, prompt_config, propose, seed)[1]
