"""Collections: record counts and date-range filters (read-only).

Driven by ``[features.mode_count]`` (param, value, fields, schema) and
``[features.filters]`` (``<field>_from`` / ``<field>_to`` parameter names).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, fetch_operation, page_params, read_operations
from harness.checks._registry import check
from harness.checks.rules_b import (
    clause_about,
    feature,
    public_note,
    records_of,
    requires,
    shown,
    usable,
)
from harness.client import Exchange
from harness.profiles import Operation, Profile

MAX_PAGES = 60


def _collection(ctx: CheckContext) -> Operation:
    """The main collection (or the first paged one)."""
    main = ctx.profile.main_operation
    if main.kind == "list" and not main.write:
        return main
    for op in ctx.profile.operations:
        if op.kind == "list" and read_operations(op):
            return op
    ctx.skip("the profile documents no readable collection")


def _size(ctx: CheckContext) -> int:
    pagination = ctx.profile.pagination
    return pagination.max_size or pagination.default_size or 100


def _records(ctx: CheckContext, op: Operation, exchange: Exchange) -> list[Any] | None:
    found = records_of(ctx, op, exchange.json())
    return found[1] if found is not None else None


# ---------------------------------------------------------------- mode=count


def _walk(ctx: CheckContext, op: Operation, size: int) -> tuple[int, int, bool, Exchange | None]:
    """(records, pages holding records, walk complete, last exchange), cached."""
    key = f"rules_b:walk:{op.id}:{size}"
    if key not in ctx.cache:
        rows = pages = 0
        complete = False
        last = None
        first = ctx.profile.pagination.first_page
        for page in range(first, first + MAX_PAGES):
            last = call(ctx, op, paging=page_params(ctx.profile.pagination, page, size))
            if not usable(ctx, last, f"page {page} of {op.path}"):
                break
            items = _records(ctx, op, last)
            if items is None:
                break
            rows += len(items)
            pages += 1 if items else 0
            if len(items) < size:
                complete = True
                break
        ctx.cache[key] = (rows, pages, complete, last)
    found: tuple[int, int, bool, Exchange | None] = ctx.cache[key]
    return found


def _count(ctx: CheckContext, op: Operation, size: int) -> tuple[Exchange, Any]:
    table = feature(ctx.profile, "mode_count")
    params = {str(table["param"]): str(table["value"])}
    exchange = call(ctx, op, params=params, paging=page_params(ctx.profile.pagination, None, size))
    return exchange, exchange.json()


@check("rules_b.mode-count", concern="vendor", applies=requires("mode_count", "param", "value"))
def mode_count(ctx: CheckContext) -> None:
    """A count request answers record and page counts that agree with the records paged."""
    table = feature(ctx.profile, "mode_count")
    op = _collection(ctx)
    size = _size(ctx)
    names = [str(f) for f in table.get("fields", ["record_count", "page_count"])]
    records_name, pages_name = names[0], names[1]
    note = public_note(ctx)
    before, body = _count(ctx, op, size)
    if not usable(ctx, before, f"{op.path} with {table['param']}={table['value']}"):
        ctx.finding("count request failed", f"answered {before.status}{note}", before)
        return
    schema = table.get("schema")
    violations = ctx.validate(str(schema), body) if schema else []
    if violations or not isinstance(body, dict):
        shown_v = shown([str(v) for v in violations]) or "not a JSON object"
        ctx.finding("count answer malformed", f"{shown_v}{note}", before)
        return
    records, pages = body.get(records_name), body.get(pages_name)
    if not isinstance(records, int) or not isinstance(pages, int):
        ctx.finding("count answer malformed", f"{body!r} lacks integer counts{note}", before)
        return
    if pages != math.ceil(records / size):
        ctx.finding(
            "page count disagrees with record count",
            f"{records_name}={records} at {size} per page needs {math.ceil(records / size)} "
            f"pages, the answer says {pages_name}={pages}{note}",
            before,
        )
    rows, walked, complete, last = _walk(ctx, op, size)
    if not complete:
        return  # too large to walk within the bound (or a page failed): nothing to compare
    after, again = _count(ctx, op, size)
    counts = [records]
    if usable(ctx, after, "the second count") and isinstance(again, dict):
        counts.append(again.get(records_name, records))
    low, high = min(counts), max(counts)
    evidence = [x for x in (before, last) if x is not None]
    if not low <= rows <= high:
        ctx.finding(
            "record count disagrees with the records paged",
            f"{records_name}={records} but walking {op.path} at {size} per page gave {rows} "
            f"records on {walked} pages{note}",
            *evidence,
        )
    elif low == high and walked != pages:
        ctx.finding(
            "page count disagrees with the pages walked",
            f"{pages_name}={pages} but {op.path} at {size} per page held records on "
            f"{walked} pages{note}",
            *evidence,
        )


# ---------------------------------------------------------------- date-range filters


def _ranges(profile: Profile) -> list[tuple[str, str, str]]:
    """(record field, lower parameter, upper parameter) for each ``<field>_from`` /
    ``<field>_to`` pair of ``[features.filters]``."""
    table = feature(profile, "filters")
    found = []
    for key, lower in table.items():
        if key.endswith("_from") and isinstance(lower, str):
            name = key.removesuffix("_from")
            upper = table.get(f"{name}_to")
            if isinstance(upper, str):
                found.append((name, lower, upper))
    return found


def _has_ranges(profile: Profile) -> str | None:
    if _ranges(profile):
        return None
    return "[features.filters] documents no <field>_from / <field>_to range parameters"


def instant(value: Any) -> float | None:
    """Epoch seconds of an ISO 8601 date-time (naive taken as UTC); None if not one."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _day(seconds: float) -> datetime:
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


@check("rules_b.date-filters", concern="vendor", applies=_has_ranges)
def date_filters(ctx: CheckContext) -> None:
    """Each documented date-range filter returns only records whose date lies in the range."""
    op = _collection(ctx)
    size = _size(ctx)
    sample = fetch_operation(ctx, op)
    if not usable(ctx, sample, op.path):
        ctx.skip(f"{op.path} answered {sample.status}: no records to choose a range from")
    records = [r for r in _records(ctx, op, sample) or [] if isinstance(r, dict)]
    slack = 0 if ctx.strict else 14 * 3600  # undocumented zone of a bare date
    tried = 0
    for name, lower, upper in _ranges(ctx.profile):
        times = sorted(t for r in records if (t := instant(r.get(name))) is not None)
        if len(times) < 3:
            continue
        tried += 1
        clause = clause_about(ctx, name)
        note = public_note(ctx, clause)
        start, end = _day(times[len(times) // 3]), _day(times[2 * len(times) // 3])
        params = {lower: start.date().isoformat(), upper: end.date().isoformat()}
        paging = page_params(ctx.profile.pagination, ctx.profile.pagination.first_page, size)
        exchange = call(ctx, op, params=params, paging=paging)
        shown_params = f"{lower}={params[lower]}&{upper}={params[upper]}"
        items = _records(ctx, op, exchange) if usable(ctx, exchange, op.path) else None
        if items is None:
            ctx.finding(
                f"{name} range filter not served",
                f"{op.path}?{shown_params} answered {exchange.status} without a collection" + note,
                exchange,
                clause=clause,
            )
            continue
        low, high = start.timestamp(), (end + timedelta(days=1)).timestamp()
        outside = [
            f"id {r.get('id', '?')}: {name} {r.get(name)}"
            for r in items
            if isinstance(r, dict)
            and (t := instant(r.get(name))) is not None
            and not low - slack <= t < high + slack
        ]
        expected = sum(1 for t in times if low <= t < high)
        if outside:
            ctx.finding(
                f"{name} range filter let other records through",
                f"{op.path}?{shown_params} returned {len(outside)} record(s) outside the "
                f"range: {shown(outside)}{note}",
                exchange,
                clause=clause,
            )
        elif not items and expected:
            ctx.finding(
                f"{name} range filter dropped matching records",
                f"{op.path}?{shown_params} returned nothing, though {expected} listed "
                f"record(s) have {name} in that range{note}",
                sample,
                exchange,
                clause=clause,
            )
    if not tried:
        ctx.skip("too few listed records with dates to choose a range from")
