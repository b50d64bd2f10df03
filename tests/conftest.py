"""Shared test setup. Being a conftest at the tests/ root puts this folder on ``sys.path`` (pytest's prepend
import mode), so helpers such as ``chat_standin`` are importable from every test package."""
