"""Local vision-language (or text-only) model policies with ``transformers``.

``VLMPolicy(model_path)`` loads any image-text-to-text or causal-LM checkpoint directory
(:func:`~scene_gym.llm.local_models.load_checkpoint`) and generates with log-probabilities
(:func:`~scene_gym.agents.vlm.generation.generate`). ``torch`` and ``transformers`` (the ``train`` extra) are
imported only when a policy is built.
"""

from scene_gym.agents.vlm.policy import VLMPolicy

__all__ = ["VLMPolicy"]
