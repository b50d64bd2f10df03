"""Rewards: pure functions of a scene (plus renders for CLIP and the VLM judge) returning a value and named,
bounded terms.

- :mod:`~scene_gym.rewards.base`: :class:`Reward`, :class:`RewardContext`, :class:`RewardResult`, weighted
  sums (``0.5 * clip + 0.5 * quality``).
- :mod:`~scene_gym.rewards.adapters`: :func:`as_reward`, the one way envs resolve ``reward=``.
- :mod:`~scene_gym.rewards.reward_spec`: :func:`make_reward` reads string specs (``"0.5*clip+0.5*quality"``,
  ``"judge:openai:gpt-4o"``).
- :mod:`~scene_gym.rewards.judge`: the offline rule-based judge (the default) and the rewards built on any
  judge (``judge``, ``quality``) plus ``physical``; its formulas, with a worked example, are in its docstring.
- :mod:`~scene_gym.rewards.asset_fit`: the asset-level reward (``asset``): fit, arrangement, free area,
  stability and richness of the items on one receptacle, from :mod:`~scene_gym.rewards.asset_affinity`'s tables.
- :mod:`~scene_gym.rewards.scores`: SceneOrchestra's Q_vis, Q = 0.1 Q_phy + Q_vis, C = Q - 0.05 T.
- :mod:`~scene_gym.rewards.protocol_metrics`: the published protocols' CF, IB, positional and rotational
  coherence and a physically weighted judge score (PSA), stored on the leaderboard and printed by ``eval``.
- :mod:`~scene_gym.rewards.clip`: CLIP similarity between the prompt and renders (open_clip, imported lazily).
- :mod:`~scene_gym.rewards.vlm_judge`: a judge behind any OpenAI-compatible chat-completions endpoint
  (structured output where the server takes it; grades outside 0-10 rejected, never clamped).
- :mod:`~scene_gym.rewards.local_judge`: the same rubric judge on a local image-text-to-text checkpoint
  (``judge:vlm:PATH``, greedy decoding).
- :mod:`~scene_gym.rewards.baseline`: empty-room baselines of CLIP and model judges (term ``baseline``;
  ``:relative`` subtracts it).

``import scene_gym.rewards`` imports neither torch nor open_clip.
"""

from scene_gym.rewards.adapters import FunctionReward, as_reward
from scene_gym.rewards.asset_fit import AssetReward
from scene_gym.rewards.base import Reward, RewardContext, RewardError, RewardResult, WeightedSum
from scene_gym.rewards.judge import (
    Judge,
    JudgeReward,
    OfflineJudge,
    PhysicalReward,
    PhysicalScoreReward,
    QualityReward,
    SceneOrchestraQReward,
)
from scene_gym.rewards.reward_spec import REWARDS, make_judge, make_reward, parse_spec, register_reward
from scene_gym.rewards.scores import GRADES, Grades, JudgeResult, ScoreConfig, combine

__all__ = ["GRADES", "REWARDS", "AssetReward", "FunctionReward", "Grades", "Judge", "JudgeResult", "JudgeReward", "OfflineJudge",
           "PhysicalReward", "PhysicalScoreReward", "QualityReward", "Reward", "RewardContext", "RewardError",
           "RewardResult", "SceneOrchestraQReward", "ScoreConfig", "WeightedSum", "as_reward", "combine",
           "make_judge", "make_reward", "parse_spec", "register_reward"]  # fmt: skip
