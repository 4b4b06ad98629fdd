"""What the pagination checks share: pages and walks as data, and the memoized walks.

Every paged list is walked at most twice per session (memoized for all checks): once at
an explicit size that is neither the default nor the maximum (:func:`walk_size`), once
at the documented maximum (:func:`reference_size`). Each walk ends at the first empty
(or failed) page, which doubles as the probe that the page before it really was the
last. :class:`Page` and :class:`Walk` are plain values, so the rules that judge them can
be unit-tested on hand-made pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.auth import resolve_pointer
from harness.checks._context import CheckContext
from harness.checks._features import FeatureKey
from harness.checks._memo import memoized
from harness.checks._ops import call, fetch_ids, items_of, record_id
from harness.checks._weblinks import parse_link_header, relations
from harness.client import Exchange
from harness.profiles import Operation, Pagination, Profile

WALK_LIMIT = 30  # pages per walk, whatever the collection holds
OBSERVED = " (observed elsewhere, in PUBLIC-FACTS; the vendor document does not state it)"


@dataclass(frozen=True)
class Sorting:
    """``[features.sorting]``: how a collection is sorted (the order parameter itself is in
    the profile's ``[pagination]``)."""

    sort_key: str  # the record field the order is read from


SORTING = FeatureKey("sorting", Sorting)

# --- pages and walks as data -----------------------------------------------------------


def record_key(record: Any) -> str:
    """A record's identity: its id, or its canonical JSON when it has none."""
    rid = record_id(record)
    if rid is not None:
        return f"id:{rid}"
    return "json:" + json.dumps(record, sort_keys=True, default=str)


@dataclass
class Page:
    """One page as asked for (position = page number, or offset) and as answered."""

    position: int | None
    size: int | None
    exchange: Exchange
    items: list[Any] | None
    more: bool | None = None  # what the page's own signal says: further pages exist

    @property
    def ok(self) -> bool:
        return 200 <= self.exchange.status < 300 and self.items is not None

    @property
    def count(self) -> int:
        return len(self.items or [])

    @property
    def keys(self) -> list[str]:
        return [record_key(r) for r in self.items or []]


@dataclass
class Walk:
    """The pages of one walk of a collection at one page size, ending at the first empty
    or failed page (or at the bound)."""

    size: int | None
    pages: list[Page] = field(default_factory=list)
    bounded: bool = False  # stopped at the page bound before reaching an empty page

    @property
    def started(self) -> bool:
        return bool(self.pages) and self.pages[0].ok

    @property
    def complete(self) -> bool:
        """It reached a successful empty page: every record was listed."""
        return bool(self.pages) and self.pages[-1].ok and not self.pages[-1].items

    @property
    def failed_page(self) -> Page | None:
        return self.pages[-1] if self.pages and not self.pages[-1].ok else None

    @property
    def records(self) -> list[Any]:
        return [r for p in self.pages if p.ok for r in p.items or []]

    @property
    def keys(self) -> list[str]:
        return [k for p in self.pages if p.ok for k in p.keys]

    def page_of(self, index: int) -> Page | None:
        """The page holding the ``index``-th record of the walk."""
        seen = 0
        for page in self.pages:
            if page.ok:
                seen += page.count
                if index < seen:
                    return page
        return None

    def followed(self) -> list[tuple[Page, Page]]:
        """Consecutive pairs of pages that both answered."""
        return [(a, b) for a, b in zip(self.pages, self.pages[1:], strict=False) if a.ok and b.ok]

    def duplicates(self) -> dict[str, list[Page]]:
        """Record key -> the pages it appears on, for records seen more than once."""
        where: dict[str, list[Page]] = {}
        for page in self.pages:
            for key in page.keys if page.ok else []:
                where.setdefault(key, []).append(page)
        return {k: v for k, v in where.items() if len(v) > 1}


def first_divergence(a: Sequence[str], b: Sequence[str]) -> int | None:
    """The first index where two sequences differ within their common length."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None


def walk_size(pagination: Pagination) -> int:
    """The page size of the main walk: explicit, neither the default nor the maximum (so
    honouring the size parameter shows), and large enough that ~330 records take <= 15 pages."""
    cap, default = pagination.max_size, pagination.default_size
    for size in (50, 40, 30, 25):
        if (cap is None or size < cap) and size != default:
            return size
    return max(1, (cap or 2) // 2)


def reference_size(pagination: Pagination) -> int | None:
    """The page size of the second walk (the documented maximum), when it differs."""
    cap = pagination.max_size
    return cap if cap is not None and cap != walk_size(pagination) else None


def first_position(pagination: Pagination) -> int:
    """The position of the first page: offset 0, or the documented first page number."""
    return 0 if pagination.style == "offset" else pagination.first_page


def signal_more(
    pagination: Pagination, exchange: Exchange, items: list[Any] | None, size: int | None
) -> bool | None:
    """What a page says about further pages, by the profile's last-page signal."""
    if items is None:
        return None
    signal = pagination.last_page_signal
    if signal == "link-no-next":
        links, _ = parse_link_header(exchange.headers.get("link", ""))
        return "next" in relations(links)
    if signal == "has-more-false" and pagination.has_more_pointer:
        flag = resolve_pointer(exchange.json(), pagination.has_more_pointer)
        return flag if isinstance(flag, bool) else None
    if signal == "empty-page":
        return bool(items)
    if size is None:
        return None
    return len(items) >= size


# --- applicability and reporting -------------------------------------------------------


def paged(profile: Profile) -> str | None:
    if profile.pagination.style == "none":
        return "the document describes no paging"
    return None


def observed(ctx: CheckContext) -> str:
    """A note for findings against facts observed elsewhere rather than documented."""
    return OBSERVED if any(c.source == "public-facts" for c in ctx.clauses) else ""


def report(ctx: CheckContext, title: str, message: str, *exchanges: Exchange) -> None:
    """``ctx.finding``, noting when the clause is a fact observed elsewhere."""
    ctx.finding(title, message + observed(ctx), *exchanges)


def where(page: Page | None) -> str:
    """A page's request, for messages."""
    if page is None:
        return "?"
    return f"{page.exchange.method} {page.exchange.url}"


def answer(page: Page) -> str:
    """How a page answered, for messages: its status, and whether it listed records."""
    status = page.exchange.status
    if 200 <= status < 300 and page.items is None:
        return f"{status} without a list of records"
    return f"{status}"


# --- fetching pages --------------------------------------------------------------------


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


@memoized
def walk(ctx: CheckContext, op: Operation, size: int | None) -> Walk:
    """Every page of ``op`` at ``size`` up to the first empty or failed page."""
    pagination = ctx.profile.pagination
    offset_style = pagination.style == "offset"
    position = first_position(pagination)
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
    return result


def main_walk(ctx: CheckContext, op: Operation) -> Walk:
    return walk(ctx, op, walk_size(ctx.profile.pagination))


def reference_walk(ctx: CheckContext, op: Operation) -> Walk | None:
    size = reference_size(ctx.profile.pagination)
    return walk(ctx, op, size) if size is not None else None


def both_walks(ctx: CheckContext, op: Operation) -> list[Walk]:
    """The main walk and, when the maximum differs from its size, the reference walk."""
    main = main_walk(ctx, op)
    reference = reference_walk(ctx, op)
    return [main] + ([reference] if reference is not None else [])


@memoized
def default_page(ctx: CheckContext, op: Operation) -> Page:
    """The first page without any paging field."""
    return fetch_page(ctx, op, None, None)


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
