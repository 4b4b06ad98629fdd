"""Pagination checks on what a page reports about itself and its collection: the page
number and page size headers, the total records and total pages headers, and a body's
has-more flag.

Which documented header reports what is read from the header names the profile lists
(``X-Pagination-Current-Page``, ``X-Total-Count``, ...): :func:`header_roles`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from harness.auth import resolve_pointer
from harness.checks._context import CheckContext
from harness.checks._ops import paged_lists
from harness.checks._registry import check
from harness.checks.pagination._common import (
    Page,
    both_walks,
    report,
    started_walk,
    where,
)
from harness.profiles import Pagination, Profile


def header_roles(pagination: Pagination) -> dict[str, str]:
    """Which documented paging header reports what: current, size, total_pages, total."""
    roles: dict[str, str] = {}
    for name in pagination.headers:
        low = name.lower().replace("_", "-")
        if low == "link":
            continue
        if "total" in low:
            roles.setdefault("total_pages" if low.endswith("pages") else "total", name)
        elif "per-page" in low or "page-size" in low or low.endswith("limit"):
            roles.setdefault("size", name)
        elif "current" in low or low.endswith("-page"):
            roles.setdefault("current", name)
    return roles


def expected_total_pages(total: int, size: int) -> set[int]:
    return {max(1, math.ceil(total / size))} | ({0} if total == 0 else set())


@dataclass(frozen=True)
class HeaderValue:
    """A documented paging header as one page answered it."""

    role: str  # current, size, total or total_pages
    name: str
    raw: str | None  # None: the header is missing
    value: int | None  # None: missing, or not a whole number
    expected: Collection[int] | None  # None: any whole number

    @property
    def wanted(self) -> str:
        """The expected values, for messages ("" for any whole number)."""
        return " or ".join(str(v) for v in sorted(self.expected or ()))


def header_mismatches(
    ctx: CheckContext, page: Page, expected: Mapping[str, Collection[int] | None]
) -> Iterator[HeaderValue]:
    """The documented headers of ``page``, role by role (``current``, ``size``, ``total``,
    ``total_pages``: the keys of ``expected``), that are missing, not a whole number, or
    not one of the expected values (None: any whole number). A role the document names
    no header for is not judged."""
    roles = header_roles(ctx.profile.pagination)
    for role, values in expected.items():
        name = roles.get(role)
        if name is None:
            continue
        raw = page.exchange.headers.get(name)
        try:
            value = int(raw.strip()) if raw is not None else None
        except ValueError:
            value = None
        if value is None or (values is not None and value not in values):
            yield HeaderValue(role, name, raw, value, values)


def _roles(*wanted: str) -> Callable[[Profile], str | None]:
    def applies(profile: Profile) -> str | None:
        roles = header_roles(profile.pagination)
        if profile.pagination.style == "none" or not any(r in roles for r in wanted):
            return "the document names no such paging header"
        return None

    return applies


def _has_more(profile: Profile) -> str | None:
    if profile.pagination.style == "none" or not profile.pagination.has_more_pointer:
        return "the document describes no has-more flag"
    return None


def _lenient(ctx: CheckContext) -> bool:
    """A lenient run judging facts observed elsewhere: what is absent is not held against
    the target."""
    return not ctx.strict and any(c.source == "public-facts" for c in ctx.clauses)


@check(
    "pagination.page-headers",
    concern="pagination",
    applies=_roles("current", "size"),
    per_operation=paged_lists,
)
def page_headers(ctx: CheckContext) -> None:
    """Each page reports its page number and page size in the documented headers."""
    op = ctx.operation
    assert op is not None
    walked = started_walk(ctx, op)
    for page in [p for p in walked.pages if p.ok and p.items]:
        known = {"current": page.position, "size": page.size}
        expected = {role: {value} for role, value in known.items() if value is not None}
        for wrong in header_mismatches(ctx, page, expected):
            report(
                ctx,
                f"{wrong.name} wrong or missing",
                f"{where(page)} answered {wrong.name}: {wrong.raw!r}; expected {wrong.wanted}",
                page.exchange,
            )
            return


@check(
    "pagination.totals",
    concern="pagination",
    applies=_roles("total", "total_pages"),
    per_operation=paged_lists,
)
def totals(ctx: CheckContext) -> None:
    """The total headers report how many records and pages the collection has."""
    op = ctx.operation
    assert op is not None
    walked = started_walk(ctx, op)
    first = walked.pages[0]
    lenient = _lenient(ctx)
    exact = walked.complete and not walked.duplicates()
    count = len(set(walked.keys))
    expected: dict[str, Collection[int] | None] = {
        "total": {count} if exact else None,
        "total_pages": expected_total_pages(count, walked.size or 1) if exact else None,
    }
    for wrong in header_mismatches(ctx, first, expected):
        if wrong.raw is None:
            if not lenient:
                report(
                    ctx,
                    f"no {wrong.name} header",
                    f"{where(first)} has no {wrong.name}",
                    first.exchange,
                )
            continue
        report(
            ctx,
            f"{wrong.name} disagrees with the collection",
            f"{where(first)} answered {wrong.name}: {wrong.raw!r}; walking every page at size "
            f"{walked.size} found {count} records, so {wrong.wanted or 'a whole number'} was "
            f"expected",
            first.exchange,
        )


@check("pagination.has-more", concern="pagination", applies=_has_more, per_operation=paged_lists)
def has_more(ctx: CheckContext) -> None:
    """The has-more flag is true while further pages hold records and false on the last page."""
    op = ctx.operation
    assert op is not None
    pointer = ctx.profile.pagination.has_more_pointer
    assert pointer is not None
    lenient = _lenient(ctx)
    started_walk(ctx, op)
    for walked in both_walks(ctx, op):
        pages = walked.pages
        for i, page in enumerate(pages):
            after = pages[i + 1] if i + 1 < len(pages) else None
            if not page.ok or (page.items and (after is None or not after.ok)):
                continue  # nothing known about what follows
            flag = resolve_pointer(page.exchange.json(), pointer)
            if not isinstance(flag, bool):
                if flag is not None or not lenient:
                    report(
                        ctx,
                        "has-more flag missing or not a boolean",
                        f"{where(page)} has {pointer} = {flag!r}",
                        page.exchange,
                    )
                    return
                continue
            more = after is not None and bool(after.items)
            if flag != more:
                evidence = [page.exchange] + ([after.exchange] if after is not None else [])
                state = f"the next page holds {after.count} records" if after else "it is empty"
                report(
                    ctx,
                    f"has-more is {str(flag).lower()} but {state}",
                    f"{where(page)} says {pointer} = {str(flag).lower()}; {state}",
                    *evidence,
                )
                return
