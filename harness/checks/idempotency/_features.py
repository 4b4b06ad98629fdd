"""The ``[features.idempotency]`` table, typed."""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["IDEMPOTENCY", "Idempotency"]


@dataclass(frozen=True)
class Idempotency:
    """Request headers carrying an idempotency key: the first is the main one, the others
    alternatives honoured the same way; they apply to operations of kind ``applies_to``."""

    headers: tuple[str, ...]
    applies_to: str = "create"


IDEMPOTENCY = FeatureKey("idempotency", Idempotency)
