"""Shared pydantic base for the scene data model: strict, immutable, and finite numbers only."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """Immutable, strictly validated record. Unknown fields and NaN/inf are rejected.

    Change a record with :meth:`evolve`, which validates the result (``model_copy`` does not).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True)

    def evolve(self, **changes: Any):
        """Return a validated copy with ``changes`` applied."""
        data = self.model_dump()
        data.update(changes)
        return type(self).model_validate(data)


def finite(*, default: Any = ..., **bounds: float):
    """A pydantic Field for a finite float with the given bounds (ge/gt/le/lt)."""
    return Field(default=default, allow_inf_nan=False, **bounds)
