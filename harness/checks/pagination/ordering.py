"""Pagination checks on order: the documented default order, the order parameter's
values, and that every collection accepts the paging parameters together.

The order is read from the records themselves: the field named by the profile's
``[features.sorting]`` ``sort_key``, else a creation time every record carries; values
are compared as timestamps where they parse as ISO 8601, so ``...Z`` and ``...-02:00``
order correctly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import paged_lists
from harness.checks._registry import check
from harness.checks.pagination._common import (
    SORTING,
    Page,
    fetch_page,
    first_position,
    refused,
    report,
    started_walk,
    walk_size,
    where,
)
from harness.profiles import Profile

# --- reading an order from records ---------------------------------------------------

_CREATED = ("created", "created_at", "createdAt", "creation_date", "date_created")


def sort_field(profile: Profile, records: Sequence[Any]) -> str | None:
    """The field a collection is ordered by: the documented ``sort_key``, else a creation
    time every record carries."""
    sorting = SORTING.read(profile)
    if sorting is not None:
        return sorting.sort_key
    for name in _CREATED:
        if records and all(isinstance(r, Mapping) and name in r for r in records):
            return name
    return None


def sort_value(record: Any, name: str) -> float | str | None:
    value = record.get(name) if isinstance(record, Mapping) else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return value
    return None


def order_direction(value: str) -> str | None:
    """``asc`` / ``desc`` for an order parameter value, when its name says which."""
    low = value.lower()
    if low.startswith("asc") or low in ("oldest", "old"):
        return "asc"
    if low.startswith("desc") or low in ("newest", "new", "latest"):
        return "desc"
    return None


def first_inversion(records: Sequence[Any], name: str, direction: str) -> int | None:
    """The first ``i`` where records ``i`` and ``i+1`` are out of ``direction`` order
    (ties allowed); None when in order or when the values cannot be compared."""
    values = [sort_value(r, name) for r in records]
    if any(v is None for v in values) or len({type(v) for v in values}) > 1:
        return None
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        assert a is not None and b is not None
        if (direction == "asc" and a > b) or (direction == "desc" and a < b):  # type: ignore[operator]
            return i
    return None


# --- checks ----------------------------------------------------------------------------

WORDS = {"asc": "ascending (oldest first)", "desc": "descending (newest first)"}
PROBE_SIZE = 5  # records per page of the parameters-everywhere probe


def _default_order(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or not p.default_order or order_direction(p.default_order) is None:
        return "the document gives no default order"
    return None


def _order_param(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or not p.order_param or not p.order_values:
        return "the document describes no order parameter"
    return None


def _paging_params(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or not p.size_param:
        return "the document describes no paging parameters"
    return None


def _key(ctx: CheckContext, records: list[Any]) -> str:
    name = sort_field(ctx.profile, records)
    if name is None:
        ctx.skip("the records carry no field the order can be read from")
    return name


@check(
    "pagination.default-order",
    concern="pagination",
    applies=_default_order,
    per_operation=paged_lists,
)
def default_order(ctx: CheckContext) -> None:
    """Without an order parameter a collection comes in the documented default order."""
    op = ctx.operation
    assert op is not None
    direction = order_direction(ctx.profile.pagination.default_order or "")
    assert direction is not None
    walked = started_walk(ctx, op)
    records = walked.records
    name = _key(ctx, records)
    index = first_inversion(records, name, direction)
    if index is not None:
        page = walked.page_of(index + 1) or walked.pages[0]
        report(
            ctx,
            f"default order is not {WORDS[direction]}",
            f"walking without {ctx.profile.pagination.order_param or 'an order parameter'}: "
            f"record #{index + 1} has {name} {records[index].get(name)!r}, record #{index + 2} "
            f"{records[index + 1].get(name)!r} ({where(page)})",
            page.exchange,
        )


@check(
    "pagination.order-param", concern="pagination", applies=_order_param, per_operation=paged_lists
)
def order_param(ctx: CheckContext) -> None:
    """Each documented value of the order parameter sorts the collection that way."""
    op = ctx.operation
    assert op is not None
    pagination = ctx.profile.pagination
    size = walk_size(pagination)
    firsts: dict[str, Page] = {}
    for value in pagination.order_values:
        direction = order_direction(value)
        if direction is None:
            continue
        page = fetch_page(ctx, op, first_position(pagination), size, order=value)
        if refused(ctx, op, page):
            report(
                ctx,
                f"{pagination.order_param}={value} refused",
                f"{where(page)} answered {page.exchange.status}",
                page.exchange,
            )
            continue
        firsts[direction] = page
        records = page.items or []
        name = _key(ctx, records)
        index = first_inversion(records, name, direction)
        if index is not None:
            report(
                ctx,
                f"{pagination.order_param}={value} is not {WORDS[direction]}",
                f"{where(page)}: record #{index + 1} has {name} "
                f"{records[index].get(name)!r}, record #{index + 2} "
                f"{records[index + 1].get(name)!r}",
                page.exchange,
            )
    if len(firsts) == 2 and firsts["asc"].count > 1 and firsts["asc"].keys == firsts["desc"].keys:
        report(
            ctx,
            "order parameter ignored",
            f"{pagination.order_param} ascending and descending return the same first page",
            firsts["asc"].exchange,
            firsts["desc"].exchange,
        )


@check(
    "pagination.params-everywhere",
    concern="pagination",
    applies=_paging_params,
    per_operation=paged_lists,
)
def params_everywhere(ctx: CheckContext) -> None:
    """The collection accepts the documented paging parameters together (size, page or
    offset, order): a list no longer than asked, in the order asked."""
    op = ctx.operation
    assert op is not None
    pagination = ctx.profile.pagination
    offset_style = pagination.style == "offset"
    position = PROBE_SIZE if offset_style else pagination.first_page + 1
    order = None
    if pagination.order_param and pagination.order_values:
        order = pagination.order_values[0]
    page = fetch_page(ctx, op, position, PROBE_SIZE, order=order)
    if refused(ctx, op, page):
        report(
            ctx,
            "paging parameters refused",
            f"{where(page)} answered {page.exchange.status}; every collection accepts them",
            page.exchange,
        )
        return
    if page.count > PROBE_SIZE:
        report(
            ctx,
            "page size parameter ignored",
            f"{where(page)} held {page.count} records; {PROBE_SIZE} were asked for",
            page.exchange,
        )
    direction = order_direction(order) if order else None
    records = page.items or []
    if direction is not None and records:
        name = sort_field(ctx.profile, records)
        index = first_inversion(records, name, direction) if name else None
        if index is not None:
            report(
                ctx,
                "order parameter ignored",
                f"{where(page)} is not {WORDS[direction]} at record #{index + 1}",
                page.exchange,
            )
