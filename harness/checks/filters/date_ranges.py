"""Date-range filters: each documented ``from`` / ``to`` pair returns only records whose
date lies in the range.

Driven by ``[features.filters] ranges`` (record date field -> its bound parameters). The
range is chosen from the dates of listed records (the middle third, whole days). A finding
is about one range: a vendor links each range's clause as ``filters.date-range:<field>``.
Leniently, a record up to 14 hours outside the range is accepted (the zone of a bare date
is not documented).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, fetch_operation, page_params, public_note, shown
from harness.checks._registry import check
from harness.checks.collections._common import collection, listed, walk_size
from harness.checks.filters._features import FILTERS
from harness.checks.records._common import usable
from harness.profiles import Profile


def _range_fields(profile: Profile) -> tuple[str, ...]:
    table = FILTERS.read(profile)
    return tuple(name for name, _, _ in table.date_ranges()) if table else ()


def _has_ranges(profile: Profile) -> str | None:
    if _range_fields(profile):
        return None
    return "[features.filters] documents no date ranges"


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


@check(
    "filters.date-range",
    concern="vendor",
    requires=(FILTERS,),
    applies=_has_ranges,
    aspects=_range_fields,
    aliases=("rules_b.date-filters",),
)
def date_range(ctx: CheckContext) -> None:
    """Each documented date-range filter returns only records whose date lies in the range."""
    op = collection(ctx)
    size = walk_size(ctx)
    sample = fetch_operation(ctx, op)
    if not usable(ctx, sample, op.path):
        ctx.skip(f"{op.path} answered {sample.status}: no records to choose a range from")
    records = [r for r in listed(ctx, op, sample) or [] if isinstance(r, dict)]
    slack = 0 if ctx.strict else 14 * 3600  # undocumented zone of a bare date
    tried = 0
    for name, lower, upper in ctx.feature(FILTERS).date_ranges():
        times = sorted(t for r in records if (t := instant(r.get(name))) is not None)
        if len(times) < 3:
            continue
        tried += 1
        note = public_note(ctx, name)
        start, end = _day(times[len(times) // 3]), _day(times[2 * len(times) // 3])
        params = {lower: start.date().isoformat(), upper: end.date().isoformat()}
        paging = page_params(ctx.profile.pagination, ctx.profile.pagination.first_page, size)
        exchange = call(ctx, op, params=params, paging=paging)
        shown_params = f"{lower}={params[lower]}&{upper}={params[upper]}"
        items = listed(ctx, op, exchange) if usable(ctx, exchange, op.path) else None
        if items is None:
            ctx.finding(
                f"{name} range filter not served",
                f"{op.path}?{shown_params} answered {exchange.status} without a collection" + note,
                exchange,
                aspect=name,
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
                aspect=name,
            )
        elif not items and expected:
            ctx.finding(
                f"{name} range filter dropped matching records",
                f"{op.path}?{shown_params} returned nothing, though {expected} listed "
                f"record(s) have {name} in that range{note}",
                sample,
                exchange,
                aspect=name,
            )
    if not tried:
        ctx.skip("too few listed records with dates to choose a range from")
