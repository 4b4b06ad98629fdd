"""What the filter checks share: the filtered collection, its unfiltered first page, a
filtered request, and the judgement that every returned record matches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, is_success, items_of, list_page, page_params, shown
from harness.checks.filters._features import FILTERS
from harness.client import Exchange
from harness.profiles import Operation

__all__ = ["filtered", "filtered_operation", "judge", "unfiltered"]


def filtered_operation(ctx: CheckContext) -> Operation:
    """The collection ``[features.filters]`` filters (the main one unless it names one)."""
    named = ctx.feature(FILTERS).operation
    return ctx.profile.operation(named) if named else ctx.profile.main_operation


def _size(ctx: CheckContext) -> int | None:
    return ctx.profile.pagination.max_size or ctx.profile.pagination.default_size


def unfiltered(ctx: CheckContext) -> list[Any]:
    """The largest first page of the filtered collection (skips when it is not a list)."""
    op = filtered_operation(ctx)
    exchange = list_page(ctx, op, _size(ctx))
    records = items_of(ctx, exchange.json()) if is_success(exchange) else None
    if records is None:
        ctx.skip(f"{op.path} answered {exchange.status} without a list to filter")
    return records


def filtered(ctx: CheckContext, params: Mapping[str, str]) -> tuple[Exchange, list[Any] | None]:
    """The largest first page with ``params`` (its records; None when it is not a list)."""
    paging = page_params(ctx.profile.pagination, None, _size(ctx))
    exchange = call(ctx, filtered_operation(ctx), params=params, paging=paging)
    return exchange, items_of(ctx, exchange.json()) if is_success(exchange) else None


def _matches(record: Any, wanted: Mapping[str, str]) -> bool:
    return isinstance(record, dict) and all(str(record.get(k)) == v for k, v in wanted.items())


def judge(
    ctx: CheckContext, wanted: dict[str, str], records: list[Any], aspect: str | None = None
) -> None:
    """Every record of the filtered answer satisfies every filter, and the answer is not
    empty when the unfiltered ``records`` hold a match."""
    exchange, found = filtered(ctx, wanted)
    about = (aspect,) if aspect else ()
    path = filtered_operation(ctx).path
    query = "&".join(f"{k}={v}" for k, v in wanted.items())
    if found is None:
        ctx.finding(
            f"filter {query} refused",
            f"GET {path}?{query} answered {exchange.status} without a list",
            exchange,
            aspect=about,
        )
        return
    wrong = [
        f"/{i}: " + ", ".join(f"{k}={r.get(k)!r}" for k in wanted)
        if isinstance(r, dict)
        else f"/{i}"
        for i, r in enumerate(found)
        if not _matches(r, wanted)
    ]
    if wrong:
        ctx.finding(
            f"filter {query} returns other records",
            f"GET {path}?{query} returned {len(wrong)} of {len(found)} records that do "
            f"not match: " + shown(wrong),
            exchange,
            aspect=about,
        )
    elif not found and any(_matches(r, wanted) for r in records):
        ctx.finding(
            f"filter {query} returns nothing",
            f"GET {path}?{query} returned no record although the unfiltered list "
            "holds matching ones",
            exchange,
            aspect=about,
        )
