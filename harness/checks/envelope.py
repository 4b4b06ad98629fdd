"""Envelope checks: every documented read answers with its documented status and body."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import call, fetch_ids, read_operations
from harness.checks._registry import check
from harness.client import Exchange
from harness.profiles import Operation

__all__ = ["fetch_operation"]


def fetch_operation(ctx: CheckContext, op: Operation) -> Exchange:
    """Call a read operation with concrete ids (cached per operation for other checks)."""
    key = f"exchange:{op.id}"
    if key in ctx.cache:
        cached: Exchange = ctx.cache[key]
        return cached
    ids = fetch_ids(ctx, op)
    if ids is None:
        ctx.skip(f"no record to fetch {op.path} with: its collection came back empty")
    exchange = call(ctx, op, ids=ids)
    ctx.cache[key] = exchange
    return exchange


def _has_schema(op: Operation) -> bool:
    return read_operations(op) and op.schema is not None


@check("envelope.success-schema", concern="envelope", per_operation=_has_schema, health=True)
def success_schema(ctx: CheckContext) -> None:
    """A documented read answers its documented success status with a body matching its schema."""
    op = ctx.operation
    assert op is not None and op.schema is not None
    exchange = fetch_operation(ctx, op)
    expected = op.status or 200
    if exchange.status != expected:
        ctx.finding(
            f"{op.id} answered {exchange.status}",
            f"{op.method} {op.path} should answer {expected}, got {exchange.status}",
            exchange,
        )
        return
    body = exchange.json()
    if body is None and not exchange.is_json:
        ctx.finding(
            f"{op.id} body is not JSON", "the success body does not parse as JSON", exchange
        )
        return
    violations = ctx.validate(op.schema, body)
    if violations:
        shown = "; ".join(str(v) for v in violations[:5])
        more = f" (+{len(violations) - 5} more)" if len(violations) > 5 else ""
        ctx.finding(f"{op.id} body breaks {op.schema}", shown + more, exchange)
