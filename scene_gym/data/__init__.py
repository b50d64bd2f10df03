"""scene-gym's prompt suites as Hugging Face ``datasets`` (chat-format prompts with their specs), for trainers."""
