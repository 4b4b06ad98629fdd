"""What the collection checks (and the date-range filter check) share: the collection to
probe, the page size to walk it with, and the records of one of its answers."""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import read_operations
from harness.checks.records._common import records_of
from harness.client import Exchange
from harness.profiles import Operation

__all__ = ["collection", "listed", "walk_size"]


def collection(ctx: CheckContext) -> Operation:
    """The main collection (or the first readable one)."""
    main = ctx.profile.main_operation
    if main.kind == "list" and not main.write:
        return main
    for op in ctx.profile.operations:
        if op.kind == "list" and read_operations(op):
            return op
    ctx.skip("the profile documents no readable collection")


def walk_size(ctx: CheckContext) -> int:
    """The largest documented page size (100 when none is documented)."""
    pagination = ctx.profile.pagination
    return pagination.max_size or pagination.default_size or 100


def listed(ctx: CheckContext, op: Operation, exchange: Exchange) -> list[Any] | None:
    """The records of one answer of ``op`` (None when it holds no list)."""
    found = records_of(ctx, op, exchange.json())
    return found[1] if found is not None else None
