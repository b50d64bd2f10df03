"""Adapters that let other trainers and environment contracts drive scene-gym (TRL, OpenEnv)."""
