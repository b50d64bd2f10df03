"""scene-gym's prompt suites as Hugging Face ``datasets`` (chat-format prompts with their specs), for trainers.

:func:`~scene_gym.data.prompts.load_prompt_dataset` (``suite, kind, eval_fraction, seed``) returns a
``DatasetDict`` with ``train`` and ``eval`` splits that TRL's trainers take as they are; the columns are listed in
:mod:`scene_gym.data.prompts`. ``datasets`` is imported only when a dataset is built.
"""

from scene_gym.data.prompts import PromptDatasetError, load_prompt_dataset, row_start

__all__ = ["PromptDatasetError", "load_prompt_dataset", "row_start"]
