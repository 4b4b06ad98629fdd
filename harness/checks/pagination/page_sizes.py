"""Pagination checks on page sizes: the documented default, the maximum (and what a size
above it does), and the refusal of a size below 1."""

from __future__ import annotations

from harness.catalog import Clause
from harness.checks._context import CheckContext
from harness.checks._ops import paged_lists
from harness.checks._registry import check
from harness.checks.pagination._common import (
    answer,
    both_walks,
    default_page,
    fetch_page,
    first_divergence,
    first_position,
    main_walk,
    report,
    where,
)
from harness.profiles import Profile

READINGS = frozenset({"clamp", "reject"})


def _has_default(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or p.default_size is None:
        return "the document gives no default page size"
    return None


def _has_max(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or p.max_size is None or not p.size_param:
        return "the document gives no maximum page size"
    return None


def _has_bad_status(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or p.bad_param_status is None or not p.size_param:
        return "the document gives no status for a bad page size"
    return None


@check(
    "pagination.default-size",
    concern="pagination",
    applies=_has_default,
    per_operation=paged_lists,
    health=True,  # one page of the collection, one request
)
def default_size(ctx: CheckContext) -> None:
    """Without paging fields a list starts at the first record and holds at most the
    documented default page size."""
    op = ctx.operation
    assert op is not None
    pagination = ctx.profile.pagination
    limit = pagination.default_size
    assert limit is not None
    page = default_page(ctx, op)
    if not page.ok:
        ctx.skip(f"{op.path} answered {answer(page)} without paging fields")
    if page.count > limit:
        report(
            ctx,
            "default page too large",
            f"without {pagination.size_param} the page held {page.count} records; the "
            f"document says at most {limit}",
            page.exchange,
        )
    walked = main_walk(ctx, op)
    if not walked.started:
        return
    known = len(set(walked.keys))
    if pagination.last_page_signal == "short-page" and page.count < min(limit, known):
        report(
            ctx,
            "default page short while more records exist",
            f"without paging fields the page held {page.count} records although the "
            f"collection holds at least {known}: a short page would end a client's walk",
            page.exchange,
        )
    first = walked.pages[0]
    index = first_divergence(page.keys, first.keys)
    if index is not None:
        report(
            ctx,
            "default page does not start at the first record",
            f"record #{index + 1} without paging fields is {page.keys[index]}, but "
            f"{first.keys[index]} on the explicit first page ({where(first)})",
            page.exchange,
            first.exchange,
        )


def _readings(ctx: CheckContext) -> tuple[frozenset[str], Clause | None]:
    """The oversize readings accepted: the strict one of an ambiguous clause in strict
    mode, else the documented one, else both."""
    clause = next(
        (c for c in ctx.clauses if c.ambiguity and set(c.ambiguity.readings) <= READINGS), None
    )
    if ctx.strict and clause is not None and clause.ambiguity is not None:
        return frozenset({clause.ambiguity.strict}), clause
    documented = ctx.profile.pagination.oversize
    if documented in READINGS:
        return frozenset({documented}), clause
    return READINGS, clause


@check("pagination.max-size", concern="pagination", applies=_has_max, per_operation=paged_lists)
def max_size(ctx: CheckContext) -> None:
    """No page holds more than the documented maximum, even when a larger size is asked for
    (which is clamped or refused, per the document)."""
    op = ctx.operation
    assert op is not None
    pagination = ctx.profile.pagination
    cap = pagination.max_size
    assert cap is not None
    seen = [p for w in both_walks(ctx, op) for p in w.pages]
    over = [p for p in seen if p.ok and p.count > cap]
    if over:
        report(
            ctx,
            "page above the maximum size",
            f"{where(over[0])} held {over[0].count} records; the maximum is {cap}",
            over[0].exchange,
        )
    asked = 2 * cap
    page = fetch_page(ctx, op, first_position(pagination), asked)
    status = page.exchange.status
    accepted, clause = _readings(ctx)
    reading = "reject" if status >= 400 or page.items is None else "clamp"
    if reading == "clamp" and page.count > cap:
        report(
            ctx,
            "oversized page served",
            f"asking for {asked} per page served {page.count} records; the maximum is {cap}",
            page.exchange,
        )
        return
    note = f" (strict reading of {clause.id})" if ctx.strict and clause else ""
    if reading not in accepted:
        expected = " or ".join(sorted(accepted))
        report(
            ctx,
            f"oversized page size: {reading} instead of {expected}",
            f"asking for {asked} per page answered {status} with "
            f"{page.count if page.items is not None else 'no'} records; expected {expected}"
            f"{note}",
            page.exchange,
        )
        return
    if not ctx.strict:
        return
    if reading == "reject" and pagination.bad_param_status not in (None, status):
        report(
            ctx,
            "oversized page size refused with the wrong status",
            f"asking for {asked} per page answered {status}; the document's status for an "
            f"invalid value is {pagination.bad_param_status}{note}",
            page.exchange,
        )
    walked = main_walk(ctx, op)
    known = len(set(walked.keys)) if walked.started else 0
    if reading == "clamp" and page.count < min(cap, known):
        report(
            ctx,
            "oversized page size not served as the maximum",
            f"asking for {asked} per page served {page.count} records although at least "
            f"{min(cap, known)} exist; clamping serves the maximum of {cap}{note}",
            page.exchange,
        )


@check("pagination.bad-size", concern="pagination", applies=_has_bad_status)
def bad_size(ctx: CheckContext) -> None:
    """A page size below 1 is refused with the documented status and a message naming the
    size parameter."""
    op = ctx.profile.main_operation
    pagination = ctx.profile.pagination
    name = pagination.size_param
    assert name is not None
    for size in (0, -10):
        page = fetch_page(ctx, op, first_position(pagination), size)
        exchange = page.exchange
        if exchange.status != pagination.bad_param_status:
            report(
                ctx,
                f"{name}={size} not refused",
                f"{name}={size} answered {exchange.status}"
                + (f" with {page.count} records" if page.items is not None else "")
                + f"; the document says {pagination.bad_param_status}",
                exchange,
            )
        elif name.lower() not in exchange.content.decode("utf-8", "replace").lower():
            report(
                ctx,
                f"{name}={size} refusal does not name the parameter",
                f"the {exchange.status} body does not mention {name!r}",
                exchange,
            )
