"""The keys ``scene-gym eval --judge ... --clip ...`` adds to the metrics JSON.

- ``--judge offline``, ``--judge openai:MODEL`` or ``--judge vlm:PATH``: ``realism``, ``functionality``, ``layout``,
  ``completeness`` (0-10), ``q_vis`` and ``q`` (:mod:`scene_gym.rewards.scores`), judged against the scene's
  own prompt;
- ``--clip MODEL:PRETRAINED`` (PRETRAINED a tag or a checkpoint path): ``clip``, the CLIP reward's value
  (mean prompt-render cosine over its views, :mod:`scene_gym.rewards.clip`).
"""

from __future__ import annotations

from scene_gym.rewards.base import RewardContext


def reward_keys(scene, judge: str | None = None, clip: str | None = None) -> dict:
    """The judge's and CLIP's keys for ``scene`` (empty when neither is asked for)."""
    from scene_gym.rewards.reward_spec import make_judge

    out: dict = {}
    ctx = RewardContext()
    if judge:
        j = make_judge(judge)
        try:
            out.update(j.judge(scene, ctx).keys())
        finally:
            j.close()
    if clip:
        from scene_gym.rewards.clip import ClipReward

        reward = ClipReward.from_spec(clip)
        try:
            out["clip"] = round(reward(scene, ctx).value, 6)
        finally:
            reward.close()
    return out
