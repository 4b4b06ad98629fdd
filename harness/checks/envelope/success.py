"""What a successful read answers: its documented success status, and the documented
answer of the service root (GET on the service URL)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import fetch_operation, read_operations
from harness.checks._registry import check
from harness.checks.envelope._features import SERVICE_ROOT

__all__: list[str] = []


@check("envelope.success-status", concern="envelope", per_operation=read_operations, health=True)
def success_status(ctx: CheckContext) -> None:
    """A documented read that succeeds answers its documented success status (200 unless said)."""
    op = ctx.operation
    assert op is not None
    exchange = fetch_operation(ctx, op)
    expected = op.status or 200
    if exchange.status == expected:
        return
    if exchange.status >= 400:
        ctx.skip(
            f"{op.method} {op.path} failed with {exchange.status}: not a successful read, so "
            "its success status cannot be observed (error and auth checks cover failures)"
        )
    ctx.finding(
        f"{op.id} answered {exchange.status}",
        f"{op.method} {op.path} succeeded with {exchange.status}; the document says a "
        f"successful read answers {expected}",
        exchange,
    )


def _plain(value: Any) -> Any:
    """A profile value as plain JSON (read-only tables as dicts, tuples as lists)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


@check("envelope.service-root", concern="envelope", requires=(SERVICE_ROOT,))
def service_root(ctx: CheckContext) -> None:
    """GET on the service URL answers the documented status and body (e.g. 200 with {})."""
    root = ctx.feature(SERVICE_ROOT)
    op = next(
        (o for o in ctx.profile.operations if o.path == root.path and read_operations(o)), None
    )
    if op is not None:
        exchange = fetch_operation(ctx, op)
    else:
        exchange = ctx.client.request("GET", root.path, operation="service-root")
    if exchange.status != root.status:
        ctx.finding(
            f"service root answered {exchange.status}",
            f"GET on the service URL should answer {root.status}, got {exchange.status}",
            exchange,
        )
        return
    expected = _plain(root.body)
    if expected is not None and (not exchange.is_json or exchange.json() != expected):
        ctx.finding(
            "service root body differs",
            f"GET on the service URL should answer the JSON body {expected!r}; got "
            f"{exchange.content[:200]!r}",
            exchange,
        )
        return
    length = root.content_length
    declared = exchange.headers.get("content-length")
    if ctx.strict and length is not None and declared is not None and declared != str(length):
        ctx.finding(
            "service root Content-Length differs",
            f"the document shows Content-Length: {length} (strict mode); got {declared}",
            exchange,
        )
