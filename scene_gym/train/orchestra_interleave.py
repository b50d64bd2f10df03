"""SceneOrchestra's interleaved round (one round), after the four stages and the discriminator's SFT.

1. **Set A** (the training instructions): the orchestrator samples ``interleave_candidates`` trajectories per
   task; each is *executed* (replayed call by call, :func:`~scene_gym.train.orchestra_data.collect_orchestra_rollouts`,
   ``rollouts/interleave_a.jsonl``) and the 4-candidate sets with distinct C label new discriminator rows (the
   best by C is the answer). The discriminator is fine-tuned on them from its checkpoint
   (``checkpoints/discriminator_r1``).
2. **Set B** (new instructions: ``train_suite`` entries after the training ones): the orchestrator samples
   candidates that are *not executed*; the updated discriminator picks the best of the parseable ones, and each
   (picked, other) pair with different calls is a DPO pair (``interleave/set_b.jsonl``: candidates and picks).
   DPO of the orchestrator from its current checkpoint (reference = that start) gives ``checkpoints/interleaved``.

Returns the new orchestrator and discriminator; each part is skipped when a previous run finished it.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

from scene_gym.train.orchestra import Run, dpo, finished, write_card


def _fields(observation: dict) -> dict[str, str]:
    return {k: str(observation.get(k, "")) for k in ("prompt", "scene", "feedback")}


def relabel_discriminator(run: Run, orchestrator: str, disc: str) -> str:
    """Part 1: executed candidates of the orchestrator on set A -> discriminator rows -> SFT from ``disc``."""
    from scene_gym.train.discriminator import discriminator_rows
    from scene_gym.train.orchestra_data import collect_orchestra_rollouts
    from scene_gym.train.orchestra_stages import groups_of
    from scene_gym.train.sft import run_sft

    c = run.config
    out = run.dir / "checkpoints" / "discriminator_r1"
    if finished(out):
        return str(out)
    policy = run.policy(orchestrator, 21)
    rollouts = collect_orchestra_rollouts([policy], run.train_tasks, c.interleave_candidates, run.seed_for(21),
                                          run.dir / "rollouts" / "interleave_a.jsonl", c.progress)  # fmt: skip
    rows, counts = discriminator_rows(groups_of(rollouts), run.seed_for(22), prompt_config=run.prompt_config)
    run.log.event("interleave_a", rollouts=len(rollouts), rows=len(rows),
                  **{k: v for k, v in counts.items() if not isinstance(v, list | dict)})  # fmt: skip
    if not rows:
        run.log.event("stage_skipped", stage="discriminator_r1", reason="no set-A group with distinct C")
        return disc
    shutil.rmtree(out, ignore_errors=True)
    stats = run_sft(disc, rows, out, run.sft_options(c.discriminator_epochs))
    write_card(run, out)
    run.log.event("sft", stage="discriminator_r1", **{k: v for k, v in stats.items() if k != "options"})
    run.hook("after_stage", "discriminator_r1")
    return str(out)


def ranked_pairs(run: Run, orchestrator: str, disc: str) -> list[dict[str, Any]]:
    """Part 2: candidates of the orchestrator on set B ranked by the discriminator, without executing them;
    returns DPO rows (prompt/chosen/rejected, conversational) and records every set in
    ``interleave/set_b.jsonl`` (resumed per task)."""
    from scene_gym.train.datasets import append_record, read_records, repair_jsonl
    from scene_gym.train.orchestra_data import orchestrator_messages
    from scene_gym.train.orchestra_policy import OrchestraPolicy

    c = run.config
    path = run.dir / "interleave" / "set_b.jsonl"
    repair_jsonl(path)
    done = {r["key"][0]: r for r in read_records(path)}
    todo = [i for i in range(len(run.b_tasks)) if i not in done]
    if todo:
        ranker = OrchestraPolicy(run.policy(orchestrator, 31), disc, k=c.interleave_candidates,
                                 seed=run.seed_for(31), device=run.device, prompt_config=run.prompt_config)  # fmt: skip
        observations = [run.observation(run.b_tasks[i]) for i in todo]
        ranker.orchestrator.reset(run.seed_for(32), kind="trajectory")
        samples = ranker.orchestrator.sample_batch(observations, c.interleave_candidates, kind="trajectory")
        for i, obs, cands in zip(todo, observations, samples, strict=True):
            texts = list(
                dict.fromkeys(json.dumps(json.loads(x.action)) for x in cands if not x.meta.get("fallback"))
            )
            pick = ranker.choose(_fields(obs), [json.loads(t) for t in texts]) if len(texts) >= 2 else 0
            record = {"key": [i], "task": run.b_tasks[i].prompt_id, "candidates": texts, "pick": pick,
                      "sampled": len(cands)}  # fmt: skip
            append_record(path, record)
            done[i] = record
    rows = []
    for i in sorted(done):
        rec = done[i]
        if len(rec["candidates"]) < 2:
            continue
        prompt = orchestrator_messages(_fields(run.observation(run.b_tasks[i])), None, run.prompt_config)
        chosen = rec["candidates"][rec["pick"]]
        rows += [{"prompt": prompt, "chosen": [{"role": "assistant", "content": chosen}],
                  "rejected": [{"role": "assistant", "content": other}]}
                 for j, other in enumerate(rec["candidates"]) if j != rec["pick"]]  # fmt: skip
    run.log.event("interleave_b", tasks=len(run.b_tasks), sets_ranked=sum(len(r["candidates"]) >= 2 for r in
                  done.values()), pairs=len(rows))  # fmt: skip
    return rows


def interleaved_round(run: Run, orchestrator: str, disc: str) -> tuple[str, str]:
    """The round (module docstring): returns (orchestrator checkpoint, discriminator checkpoint)."""
    out = run.dir / "checkpoints" / "interleaved"
    disc = relabel_discriminator(run, orchestrator, disc)
    if finished(out):
        return str(out), disc
    rows = ranked_pairs(run, orchestrator, disc)
    if not rows:
        run.log.event(
            "stage_skipped", stage="interleaved", reason="no set-B instruction had 2 parseable candidates"
        )
        return orchestrator, disc
    return dpo(run, "interleaved", orchestrator, rows), disc
