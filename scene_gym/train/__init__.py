"""Trainers that drive scene-gym envs and policies from above and hand the optimisation to TRL.

One config dataclass and one trainer module per algorithm (TRL's shape); the pieces every trainer shares are
written once:

- :mod:`~scene_gym.train.tiny`: tiny models built from a config with a tokenizer trained on the spot (tests,
  examples, CPU runs);
- :mod:`~scene_gym.train.datasets`: recorded steps -> chat-format prompt/completion rows (images for VLMs),
  JSON lines that survive a kill, token-length statistics;
- :mod:`~scene_gym.train.sft`: one supervised fine-tuning call through TRL's ``SFTTrainer`` (full or LoRA);
- :mod:`~scene_gym.train.dpo`: one preference-optimisation call through TRL's ``DPOTrainer``, the reference being
  the checkpoint it starts from;
- :mod:`~scene_gym.train.evaluation`: held-out (prompt, seed) pairs, mean rewards with paired bootstrap 95%
  confidence intervals, CSV/JSON/plot;
- :mod:`~scene_gym.train.run_log`: progress, JSON-lines and TensorBoard logs; :mod:`~scene_gym.train.config_io`:
  config files in, resolved configs out;
- :mod:`~scene_gym.train.rollouts`: :func:`~scene_gym.train.rollouts.collect_rollouts`, a policy's episodes over
  prompts x seeds on an executor (local processes or a Ray cluster), as
  :class:`~scene_gym.agents.rollout.Rollout` records in a fixed order.

Algorithms: :mod:`~scene_gym.train.self_improve` (3D-Generalist's best-of-K search then SFT, in rounds) and
:mod:`~scene_gym.train.orchestra` (SceneOrchestra: rollouts replayed with C per call, stepwise/trajectory SFT and
DPO datasets by thresholds, a discriminator over 4-candidate sets, one interleaved round, best-of-K inference).
Online RL through TRL's ``GRPOTrainer`` and other contracts live in :mod:`scene_gym.integrations`.
Heavy libraries (torch, transformers, trl, peft, tensorboard, ray) are imported inside the functions that use
them.
"""
