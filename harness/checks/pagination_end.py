"""Pagination checks on the end of a collection: only the last page is short, and a page
at or beyond the end is an empty 200."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import paged_lists
from harness.checks._registry import check
from harness.checks.pagination import (
    fetch_page,
    main_walk,
    paged,
    reference_walk,
    report,
    started_walk,
)
from harness.checks.pagination_walk import Page


def _where(page: Page) -> str:
    return f"{page.exchange.method} {page.exchange.url}"


@check("pagination.full-pages", concern="pagination", applies=paged, per_operation=paged_lists)
def full_pages(ctx: CheckContext) -> None:
    """Only the last page is short: a page with fewer records than asked has nothing after it."""
    op = ctx.operation
    assert op is not None
    started_walk(ctx, op)
    for result in (main_walk(ctx, op), reference_walk(ctx, op)):
        if result is None:
            continue
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
                f"{_where(a)} held {a.count} of the {a.size} records asked for, yet "
                f"{_where(b)} still held {b.count}: a short page must end the collection",
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
            f"{_where(last)} (just past the last page) answered {last.exchange.status} "
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
                f"{_where(page)} (past the last record) answered {page.exchange.status} with "
                f"{shown}; expected 200 with an empty list",
                page.exchange,
            )
