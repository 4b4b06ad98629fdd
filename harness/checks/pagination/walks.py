"""Pagination checks over whole walks of a collection: walking every page lists each
record exactly once, the same at two page sizes; no page holds more records than asked
for; only the last page is short; and a page at or beyond the end is an empty 200."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import paged_lists
from harness.checks._registry import check
from harness.checks.pagination._common import (
    Page,
    answer,
    both_walks,
    fetch_page,
    first_divergence,
    main_walk,
    paged,
    reference_walk,
    refused,
    report,
    started_walk,
    where,
)


@check(
    "pagination.exactly-once",
    concern="pagination",
    applies=paged,
    per_operation=paged_lists,
    health=False,  # walks every page: too heavy for a scheduled health check
)
def exactly_once(ctx: CheckContext) -> None:
    """Walking every page yields each record exactly once, the same at any page size."""
    op = ctx.operation
    assert op is not None
    main = started_walk(ctx, op)
    for result in (main, reference_walk(ctx, op)):
        if result is None or not result.started:
            continue
        repeated = result.duplicates()
        if repeated:
            key, pages = next(iter(repeated.items()))
            report(
                ctx,
                "records repeated across pages",
                f"walking at page size {result.size}: {len(repeated)} record(s) appear on more "
                f"than one page, e.g. {key} on {where(pages[0])} and {where(pages[1])}",
                pages[0].exchange,
                pages[1].exchange,
            )
        broken = result.failed_page
        if broken is not None and len(result.pages) > 1 and result.pages[-2].more is not False:
            report(
                ctx,
                "a page within the collection failed",
                f"after a page that signalled more records, {where(broken)} answered "
                f"{broken.exchange.status}: the walk cannot reach every record",
                broken.exchange,
            )
    reference = reference_walk(ctx, op)
    if reference is None or not reference.started:
        return
    a, b = main.keys, reference.keys
    index = first_divergence(a, b)
    if index is not None:
        pa, pb = main.page_of(index), reference.page_of(index)
        report(
            ctx,
            "walks at two page sizes disagree",
            f"record #{index + 1} of the walk at page size {main.size} is {a[index]} "
            f"({where(pa)}) but {b[index]} at page size {reference.size} ({where(pb)}): "
            "a page boundary skips or repeats records",
            *[p.exchange for p in (pa, pb) if p is not None],
        )
    elif main.complete and reference.complete and len(set(a)) != len(set(b)):
        report(
            ctx,
            "walks at two page sizes list different numbers of records",
            f"{len(set(a))} distinct records at page size {main.size}, {len(set(b))} at page "
            f"size {reference.size}",
            main.pages[-1].exchange,
            reference.pages[-1].exchange,
        )


@check(
    "pagination.size-honoured",
    concern="pagination",
    applies=paged,
    per_operation=paged_lists,
    health=False,  # walks every page: too heavy for a scheduled health check
)
def size_honoured(ctx: CheckContext) -> None:
    """A page never holds more records than the page size asked for, and that size is accepted."""
    op = ctx.operation
    assert op is not None
    main = main_walk(ctx, op)
    first = main.pages[0]
    if refused(ctx, op, first):
        report(
            ctx,
            "a documented page size was refused",
            f"asking for {main.size} records per page (within the documented maximum) "
            f"answered {answer(first)}",
            first.exchange,
        )
        return
    over = [p for p in main.pages if p.ok and main.size is not None and p.count > main.size]
    if over:
        report(
            ctx,
            "page holds more records than asked",
            f"asked for {main.size} per page; "
            + ", ".join(f"{where(p)} held {p.count}" for p in over[:3]),
            *[p.exchange for p in over[:3]],
        )


@check("pagination.full-pages", concern="pagination", applies=paged, per_operation=paged_lists)
def full_pages(ctx: CheckContext) -> None:
    """Only the last page is short: a page with fewer records than asked has nothing after it."""
    op = ctx.operation
    assert op is not None
    started_walk(ctx, op)
    for result in both_walks(ctx, op):
        early = [
            (a, b)
            for a, b in result.followed()
            if a.size is not None and a.count < a.size and b.count > 0
        ]
        if early:
            a, b = early[0]
            report(
                ctx,
                "a short page was not the last",
                f"{where(a)} held {a.count} of the {a.size} records asked for, yet "
                f"{where(b)} still held {b.count}: a short page must end the collection",
                a.exchange,
                b.exchange,
            )


@check("pagination.past-end", concern="pagination", applies=paged, per_operation=paged_lists)
def past_end(ctx: CheckContext) -> None:
    """A page at or beyond the end of a collection is 200 with an empty list, not an error."""
    op = ctx.operation
    assert op is not None
    result = started_walk(ctx, op)
    if result.bounded:
        ctx.skip(f"the collection has more than {len(result.pages)} pages; its end was not reached")
    last = result.pages[-1]
    if not last.ok and len(result.pages) > 1 and result.pages[-2].more is False:
        report(
            ctx,
            "the page after the last one failed",
            f"{where(last)} (just past the last page) answered {last.exchange.status} "
            "instead of 200 with an empty list",
            last.exchange,
        )
        return
    if not result.complete or last.position is None:
        return
    pages: list[Page] = [last]
    offset_style = ctx.profile.pagination.style == "offset"
    beyond = last.position + (10 * (result.size or 1) if offset_style else 10)
    pages.append(fetch_page(ctx, op, beyond, result.size))
    for page in pages:
        if page.exchange.status != 200 or page.items is None or page.items:
            shown = f"{page.count} records" if page.items is not None else "no list"
            report(
                ctx,
                "a page past the end is not an empty 200",
                f"{where(page)} (past the last record) answered {page.exchange.status} with "
                f"{shown}; expected 200 with an empty list",
                page.exchange,
            )
