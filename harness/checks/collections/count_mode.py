"""Count mode: a count request answers record and page counts that agree with the records
the collection pages through.

Driven by ``[features.mode_count]`` (``param=value`` asks for counts, ``fields`` names the
record and page counts, ``schema`` the answer's form). The collection is walked at the
largest page size (at most :data:`MAX_PAGES` pages); the count is asked before and after
the walk, and the walked number must lie between the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import call, page_params, public_note, shown
from harness.checks._registry import check
from harness.checks.collections._common import collection, listed, walk_size
from harness.checks.collections._features import MODE_COUNT
from harness.checks.records._common import usable
from harness.client import Exchange
from harness.profiles import Operation

MAX_PAGES = 60


@dataclass(frozen=True)
class Walk:
    """What walking a collection page by page found."""

    records: int
    pages: int  # pages holding records
    complete: bool  # a short page ended the walk within MAX_PAGES
    last: Exchange | None


@memoized
def walk_collection(ctx: CheckContext, op: Operation, size: int) -> Walk:
    """Every page of ``op`` at ``size`` records a page (skips when a page is refused)."""
    rows = pages = 0
    last = None
    first = ctx.profile.pagination.first_page
    for page in range(first, first + MAX_PAGES):
        last = call(ctx, op, paging=page_params(ctx.profile.pagination, page, size))
        if not usable(ctx, last, f"page {page} of {op.path}"):
            break
        items = listed(ctx, op, last)
        if items is None:
            break
        rows += len(items)
        pages += 1 if items else 0
        if len(items) < size:
            return Walk(rows, pages, True, last)
    return Walk(rows, pages, False, last)


def _count(ctx: CheckContext, op: Operation, size: int) -> tuple[Exchange, Any]:
    table = ctx.feature(MODE_COUNT)
    params = {table.param: table.value}
    exchange = call(ctx, op, params=params, paging=page_params(ctx.profile.pagination, None, size))
    return exchange, exchange.json()


@check(
    "collections.count-mode",
    concern="vendor",
    requires=(MODE_COUNT,),
    aliases=("rules_b.mode-count",),
)
def count_mode(ctx: CheckContext) -> None:
    """A count request answers record and page counts that agree with the records paged."""
    table = ctx.feature(MODE_COUNT)
    op = collection(ctx)
    size = walk_size(ctx)
    records_name, pages_name = table.fields[0], table.fields[1]
    note = public_note(ctx)
    before, body = _count(ctx, op, size)
    if not usable(ctx, before, f"{op.path} with {table.param}={table.value}"):
        ctx.finding("count request failed", f"answered {before.status}{note}", before)
        return
    violations = ctx.validate(table.schema, body) if table.schema else []
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
    walked = walk_collection(ctx, op, size)
    if not walked.complete:
        return  # too large to walk within the bound (or a page failed): nothing to compare
    after, again = _count(ctx, op, size)
    counts = [records]
    if usable(ctx, after, "the second count") and isinstance(again, dict):
        counts.append(again.get(records_name, records))
    low, high = min(counts), max(counts)
    evidence = [x for x in (before, walked.last) if x is not None]
    if not low <= walked.records <= high:
        ctx.finding(
            "record count disagrees with the records paged",
            f"{records_name}={records} but walking {op.path} at {size} per page gave "
            f"{walked.records} records on {walked.pages} pages{note}",
            *evidence,
        )
    elif low == high and walked.pages != pages:
        ctx.finding(
            "page count disagrees with the pages walked",
            f"{pages_name}={pages} but {op.path} at {size} per page held records on "
            f"{walked.pages} pages{note}",
            *evidence,
        )
