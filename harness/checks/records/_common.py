"""How the vendor-behaviour checks read records out of documented answers.

Two ways of reading, kept apart because the checks built on them judge different sets of
answers: :func:`large_answers` (the largest first page of each list and each record
fetched by id; reads that cannot be made concrete are left out) and :func:`read_bodies`
(each read's default answer; the check skips when none succeeds). Shape checks look at
successful answers only: a refused or failed call is other clauses' business, so it makes
the check skip with the reason (:func:`usable`) rather than blame a data clause.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from harness.checks._context import CheckContext, CheckSkipped
from harness.checks._ops import (
    fetch_object,
    fetch_operation,
    is_success,
    items_of,
    list_operation_for,
    list_page,
    read_operations,
)
from harness.client import Exchange
from harness.profiles import Operation

__all__ = [
    "all_reads",
    "large_answers",
    "main_records",
    "read_bodies",
    "records_of",
    "usable",
]


def usable(ctx: CheckContext, exchange: Exchange, what: str) -> bool:
    """True for a 2xx answer. Refusals (auth, rate limit) skip the check: they are other
    clauses' business. Any other status returns False for the caller to judge."""
    if 200 <= exchange.status < 300:
        return True
    refused = {401, 403, 407, ctx.profile.rate_limit.exceeded_status, 429}
    if exchange.status in refused:
        ctx.skip(f"{what} answered {exchange.status} (refused or rate-limited); cannot verify")
    return False


def read_bodies(ctx: CheckContext) -> list[tuple[Operation, Exchange]]:
    """Every documented read answered with a 2xx JSON body (its default answer, shared with
    the other checks; reads that cannot be made concrete or that fail are left out)."""
    found: list[tuple[Operation, Exchange]] = []
    for op in all_reads(ctx):
        try:
            exchange = fetch_operation(ctx, op)
        except CheckSkipped:
            continue
        if is_success(exchange) and exchange.json() is not None:
            found.append((op, exchange))
    if not found:
        ctx.skip("no documented read answered successfully with a JSON body")
    return found


def records_of(ctx: CheckContext, op: Operation, body: Any) -> tuple[str, list[Any]] | None:
    """(pointer, records) of a list answer: the profile's items pointer for paged lists,
    else the member named after the operation's resource (``products`` for
    ``products.list``) at the top or one level down, else a bare array."""
    if op.paged:
        found = items_of(ctx, body)
        return (ctx.profile.pagination.items_pointer, found) if found is not None else None
    resource = op.id.split(".", 1)[0]
    if isinstance(body, Mapping):
        if isinstance(body.get(resource), list):
            return f"/{resource}", body[resource]
        for key, value in body.items():
            if isinstance(value, Mapping) and isinstance(value.get(resource), list):
                return f"/{key}/{resource}", value[resource]
        pointer = ctx.profile.pagination.items_pointer
        found = items_of(ctx, body)
        if found is not None:
            return pointer, found
    elif isinstance(body, list):
        return "", body
    return None


def all_reads(ctx: CheckContext) -> list[Operation]:
    """Every documented read (listed or fetched)."""
    return [op for op in ctx.profile.operations if read_operations(op)]


def _large_size(ctx: CheckContext) -> int | None:
    return ctx.profile.pagination.max_size or ctx.profile.pagination.default_size


def large_answers(ctx: CheckContext, ops: list[Operation]) -> Iterator[tuple[Operation, Exchange]]:
    """A successful JSON answer of each read: one large first page of a list, the first
    listed record fetched by id (reads that cannot be made concrete are left out)."""
    for op in ops:
        if op.kind == "list":
            exchange: Exchange | None = list_page(ctx, op, _large_size(ctx) if op.paged else None)
        else:
            exchange = fetch_object(ctx, op)
        if exchange is not None and is_success(exchange) and exchange.json() is not None:
            yield op, exchange


def _main_reads(ctx: CheckContext) -> list[Operation]:
    """The main collection and the documented read of one of its records."""
    main = ctx.profile.main_operation
    return [main] + [
        op
        for op in ctx.profile.operations
        if op.kind == "object" and not op.write and list_operation_for(ctx, op) == main
    ]


def main_records(ctx: CheckContext) -> list[tuple[str, Any, Exchange]]:
    """(where, record, exchange) for every record of the main collection's large first
    page and of its reads by id; skips the check when there is none to judge."""
    found: list[tuple[str, Any, Exchange]] = []
    for op, exchange in large_answers(ctx, _main_reads(ctx)):
        body = exchange.json()
        if op.kind == "list":
            records = items_of(ctx, body) or []
            found += [(f"{op.id}/{i}", r, exchange) for i, r in enumerate(records)]
        elif isinstance(body, dict):
            found.append((op.id, body, exchange))
    if not found:
        ctx.skip("the main collection answered no records to judge")
    return found
