"""Documented resources: each collection of ``[features.resources] by_name`` answers a
list of records, and a record listed there can be fetched by its id (and is the one asked
for)."""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext, CheckSkipped
from harness.checks._ops import (
    fetch_ids,
    fetch_operation,
    items_of,
    list_operation_for,
    public_note,
    read_operations,
)
from harness.checks._registry import check
from harness.checks.collections._features import RESOURCES
from harness.checks.records._common import usable
from harness.client import Exchange


def _is_collection(ctx: CheckContext, body: Any) -> bool:
    return isinstance(body, list) or items_of(ctx, body) is not None


def _list_for(ctx: CheckContext, path: str) -> Exchange:
    for op in ctx.profile.operations:
        if op.kind == "list" and read_operations(op) and op.path == path:
            return fetch_operation(ctx, op)
    return ctx.client.request("GET", path, operation=f"GET {path}")


@check(
    "collections.resources",
    concern="vendor",
    requires=(RESOURCES,),
    aliases=("rules_b.resources",),
)
def resources(ctx: CheckContext) -> None:
    """Each documented collection answers a list, and its listed records can be fetched by id."""
    paths = [r.path for r in ctx.feature(RESOURCES).resources()]
    note = public_note(ctx)
    for path in paths:
        exchange = _list_for(ctx, path)
        if not usable(ctx, exchange, path):
            ctx.finding(
                f"collection {path} not served",
                f"GET {path} answered {exchange.status}{note}",
                exchange,
            )
        elif not _is_collection(ctx, exchange.json()):
            ctx.finding(
                f"collection {path} is not a list",
                f"GET {path} answered {exchange.status} without a list of records{note}",
                exchange,
            )
    for op in ctx.profile.operations:
        listing = list_operation_for(ctx, op) if op.kind == "object" else None
        if listing is None or not read_operations(op) or listing.path not in paths:
            continue
        try:
            exchange = fetch_operation(ctx, op)
        except CheckSkipped:
            continue  # an empty collection: nothing listed to fetch
        ids = fetch_ids(ctx, op) or {}
        if not usable(ctx, exchange, op.path):
            ctx.finding(
                f"listed record not fetchable: {op.path}",
                f"{op.method} {op.path} with {ids} (listed in {listing.path}) answered "
                f"{exchange.status}{note}",
                exchange,
            )
            continue
        body = exchange.json()
        wanted = {k: str(v) for k, v in ids.items()}
        got = {k: str(body.get(k, body.get("id"))) for k in ids} if isinstance(body, dict) else {}
        if got != wanted:
            ctx.finding(
                f"fetched record is not the one asked for: {op.path}",
                f"{op.method} {op.path} with {wanted} answered a record with {got or body!r}{note}",
                exchange,
            )
