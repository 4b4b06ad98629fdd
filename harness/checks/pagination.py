"""Pagination checks: walking a collection page by page lists every record once, and the
documented page sizes, last-page signal and past-the-end answer hold.

Every paged list is walked (at most twice, cached in ``ctx.cache`` for all checks): once
at an explicit size that is neither the default nor the maximum, once at the documented
maximum. Each walk ends at the first empty (or failed) page, which doubles as the probe
that the page before it really was the last. Sibling modules check the paging signals
(:mod:`.pagination_signals`), sizes (:mod:`.pagination_sizes`), the end of a collection
(:mod:`.pagination_end`) and orderings (:mod:`.pagination_order`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, fetch_ids, items_of, paged_lists
from harness.checks._registry import check
from harness.checks.pagination_walk import (
    Page,
    Walk,
    first_divergence,
    reference_size,
    signal_more,
    walk_size,
)
from harness.client import Exchange
from harness.profiles import Operation, Pagination, Profile

__all__ = [
    "answer",
    "default_page",
    "fetch_page",
    "main_walk",
    "observed",
    "paged",
    "paging_fields",
    "reference_walk",
    "refused",
    "report",
    "walk",
]

WALK_LIMIT = 30  # pages per walk, whatever the collection holds
OBSERVED = " (observed elsewhere, in PUBLIC-FACTS; the vendor document does not state it)"


def observed(ctx: CheckContext) -> str:
    """A note for findings against facts observed elsewhere rather than documented."""
    return OBSERVED if any(c.source == "public-facts" for c in ctx.clauses) else ""


def report(ctx: CheckContext, title: str, message: str, *exchanges: Exchange) -> None:
    """``ctx.finding``, noting when the clause is a fact observed elsewhere."""
    ctx.finding(title, message + observed(ctx), *exchanges)


def paged(profile: Profile) -> str | None:
    if profile.pagination.style == "none":
        return "the document describes no paging"
    return None


def paging_fields(
    pagination: Pagination, position: int | None, size: int | None, order: str | None = None
) -> dict[str, Any]:
    """The paging fields of one request: page number (or offset), size, order."""
    fields: dict[str, Any] = {}
    name = pagination.offset_param if pagination.style == "offset" else pagination.page_param
    if position is not None and name:
        fields[name] = position
    if size is not None and pagination.size_param:
        fields[pagination.size_param] = size
    if order is not None and pagination.order_param:
        fields[pagination.order_param] = order
    return fields


def _ids(ctx: CheckContext, op: Operation) -> Mapping[str, Any]:
    ids = fetch_ids(ctx, op)
    if ids is None:
        ctx.skip(f"no record to list {op.path} for: its parent collection came back empty")
    return ids


def _guard(ctx: CheckContext, page: Page) -> None:
    """A rate-limit refusal or server error mid-walk is not a paging behaviour: skip."""
    status = page.exchange.status
    if status == ctx.profile.rate_limit.exceeded_status or status >= 500:
        ctx.skip(f"{page.exchange.method} {page.exchange.url} answered {status} while paging")


def fetch_page(
    ctx: CheckContext,
    op: Operation,
    position: int | None,
    size: int | None,
    order: str | None = None,
) -> Page:
    """Send one page request and read its records and its more-pages signal."""
    pagination = ctx.profile.pagination
    fields = paging_fields(pagination, position, size, order)
    exchange = call(ctx, op, ids=_ids(ctx, op), paging=fields or None)
    items = items_of(ctx, exchange.json()) if 200 <= exchange.status < 300 else None
    page = Page(position, size, exchange, items)
    page.more = signal_more(pagination, exchange, items, size)
    _guard(ctx, page)
    return page


def walk(ctx: CheckContext, op: Operation, size: int | None) -> Walk:
    """Every page of ``op`` at ``size`` up to the first empty or failed page (cached)."""
    key = f"pagination:walk:{op.id}:{size}"
    if key in ctx.cache:
        cached: Walk = ctx.cache[key]
        return cached
    pagination = ctx.profile.pagination
    offset_style = pagination.style == "offset"
    position = 0 if offset_style else pagination.first_page
    result = Walk(size)
    seen: set[str] = set()
    for _ in range(WALK_LIMIT):
        page = fetch_page(ctx, op, position, size)
        result.pages.append(page)
        if not page.ok or not page.items:
            break
        keys = set(page.keys)
        if keys <= seen:  # nothing new: the server ignores the position; stop here
            break
        seen |= keys
        position = position + page.count if offset_style else position + 1
    else:
        result.bounded = True
    ctx.cache[key] = result
    return result


def main_walk(ctx: CheckContext, op: Operation) -> Walk:
    return walk(ctx, op, walk_size(ctx.profile.pagination))


def reference_walk(ctx: CheckContext, op: Operation) -> Walk | None:
    size = reference_size(ctx.profile.pagination)
    return walk(ctx, op, size) if size is not None else None


def default_page(ctx: CheckContext, op: Operation) -> Page:
    """The first page without any paging field (cached)."""
    key = f"pagination:default:{op.id}"
    if key not in ctx.cache:
        ctx.cache[key] = fetch_page(ctx, op, None, None)
    page: Page = ctx.cache[key]
    return page


def started_walk(ctx: CheckContext, op: Operation) -> Walk:
    """The main walk, skipping the check when its first page failed (size-honoured
    reports a refused size; a collection failing without paging is not a paging matter)."""
    result = main_walk(ctx, op)
    if not result.started:
        ctx.skip(f"the first page at size {result.size} answered {answer(result.pages[0])}")
    return result


def refused(ctx: CheckContext, op: Operation, page: Page) -> bool:
    """Whether a failed page is the paging fields' fault: skip the check when the answer
    is not a list although successful, or when the collection fails without paging too."""
    if page.ok:
        return False
    if page.exchange.status < 300:
        ctx.skip(f"{op.path} answered {answer(page)}: not a paging matter")
    plain = default_page(ctx, op)
    if not plain.ok:
        ctx.skip(f"{op.path} answered {answer(plain)} even without paging fields")
    return True


def answer(page: Page) -> str:
    """How a page answered, for messages: its status, and whether it listed records."""
    status = page.exchange.status
    if 200 <= status < 300 and page.items is None:
        return f"{status} without a list of records"
    return f"{status}"


def _where(page: Page | None) -> str:
    if page is None:
        return "?"
    return f"{page.exchange.method} {page.exchange.url}"


# --- checks ----------------------------------------------------------------------------


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
                f"than one page, e.g. {key} on {_where(pages[0])} and {_where(pages[1])}",
                pages[0].exchange,
                pages[1].exchange,
            )
        broken = result.failed_page
        if broken is not None and len(result.pages) > 1 and result.pages[-2].more is not False:
            report(
                ctx,
                "a page within the collection failed",
                f"after a page that signalled more records, {_where(broken)} answered "
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
            f"({_where(pa)}) but {b[index]} at page size {reference.size} ({_where(pb)}): "
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
            + ", ".join(f"{_where(p)} held {p.count}" for p in over[:3]),
            *[p.exchange for p in over[:3]],
        )
