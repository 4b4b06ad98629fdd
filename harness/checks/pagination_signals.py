"""Pagination checks on what pages say about themselves: Link relations and syntax,
page-number / page-size / total headers, and a body's has-more flag."""

from __future__ import annotations

from collections.abc import Callable

from harness.auth import resolve_pointer
from harness.checks._context import CheckContext
from harness.checks._ops import paged_lists
from harness.checks._registry import check
from harness.checks.pagination import main_walk, reference_walk, report, started_walk
from harness.checks.pagination_links import (
    is_absolute,
    parse_link_header,
    query_value,
    relations,
)
from harness.checks.pagination_walk import Page, expected_total_pages, header_roles
from harness.profiles import Profile


def _links(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or not (p.style == "link" or p.link_relations):
        return "the document describes no Link header paging"
    return None


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


def _where(page: Page) -> str:
    return f"{page.exchange.method} {page.exchange.url}"


@check("pagination.link-relations", concern="pagination", applies=_links, per_operation=paged_lists)
def link_relations(ctx: CheckContext) -> None:
    """Every page carries a Link header with its documented relations; next exactly while
    further records exist, so the last page has no next link."""
    op = ctx.operation
    assert op is not None
    pagination = ctx.profile.pagination
    documented = set(pagination.link_relations) or {"next"}
    walked = started_walk(ctx, op)
    pages = walked.pages
    for i, page in enumerate(pages):
        if not page.ok:
            break
        header = page.exchange.headers.get("link")
        if header is None:
            if page.items:
                report(ctx, "no Link header", f"{_where(page)} has no Link header", page.exchange)
            continue
        links, errors = parse_link_header(header)
        if errors:
            continue  # malformed syntax is pagination.link-syntax's finding
        rels = relations(links)
        after = pages[i + 1] if i + 1 < len(pages) else None
        more = after is not None and after.ok and bool(after.items)
        if "next" in rels and page.items and after is not None and after.ok and not more:
            report(
                ctx,
                "next link on the last page",
                f'{_where(page)} links rel="next" to {rels["next"]}, but the next page '
                f"({_where(after)}) is empty",
                page.exchange,
                after.exchange,
            )
        elif "next" in rels and not page.items:
            report(
                ctx,
                "next link on an empty page",
                f'{_where(page)} lists no records yet links rel="next"',
                page.exchange,
            )
        elif "next" not in rels and more:
            assert after is not None
            report(
                ctx,
                "no next link although more records exist",
                f'{_where(page)} has no rel="next" but {_where(after)} holds {after.count}',
                page.exchange,
                after.exchange,
            )
        if "next" in rels and more and page.position is not None and pagination.page_param:
            target = query_value(rels["next"], pagination.page_param)
            if target is not None and target != str(page.position + 1):
                report(
                    ctx,
                    "next link points to the wrong page",
                    f'{_where(page)} links rel="next" to {pagination.page_param}={target}, '
                    f"expected {page.position + 1}",
                    page.exchange,
                )
        if not page.items:
            continue
        needed = {"first", "last"} & documented
        if i > 0:
            needed |= {"prev"} & documented
        missing = sorted(needed - set(rels))
        if missing:
            report(
                ctx,
                "Link header lacks documented relations",
                f"{_where(page)} has no rel={', rel='.join(missing)} (has: "
                f"{', '.join(sorted(rels)) or 'none'})",
                page.exchange,
            )


@check("pagination.link-syntax", concern="pagination", applies=_links, per_operation=paged_lists)
def link_syntax(ctx: CheckContext) -> None:
    """Link headers follow RFC 8288 syntax (<url>; rel="next") with absolute URLs."""
    op = ctx.operation
    assert op is not None
    started_walk(ctx, op)
    for walked in (main_walk(ctx, op), reference_walk(ctx, op)):
        for page in walked.pages if walked else []:
            header = page.exchange.headers.get("link")
            if header is None:
                continue
            links, errors = parse_link_header(header)
            if errors:
                report(
                    ctx,
                    "malformed Link header",
                    f"{_where(page)}: {'; '.join(errors)}",
                    page.exchange,
                )
                return
            relative = [link.url for link in links if not is_absolute(link.url)]
            if relative:
                report(
                    ctx,
                    "relative URL in Link header",
                    f"{_where(page)} links {relative[0]!r}, not an absolute URL",
                    page.exchange,
                )
                return


def _number(page: Page, name: str) -> int | None:
    raw = page.exchange.headers.get(name)
    try:
        return int(raw.strip()) if raw is not None else None
    except ValueError:
        return None


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
    roles = header_roles(ctx.profile.pagination)
    walked = started_walk(ctx, op)
    for page in [p for p in walked.pages if p.ok and p.items]:
        for role, expected in (("current", page.position), ("size", page.size)):
            name = roles.get(role)
            if name is None or expected is None:
                continue
            raw = page.exchange.headers.get(name)
            if raw is None or _number(page, name) != expected:
                report(
                    ctx,
                    f"{name} wrong or missing",
                    f"{_where(page)} answered {name}: {raw!r}; expected {expected}",
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
    roles = header_roles(ctx.profile.pagination)
    walked = started_walk(ctx, op)
    first = walked.pages[0]
    lenient = not ctx.strict and any(c.source == "public-facts" for c in ctx.clauses)
    exact = walked.complete and not walked.duplicates()
    count = len(set(walked.keys))
    for role in ("total", "total_pages"):
        name = roles.get(role)
        if name is None:
            continue
        raw = first.exchange.headers.get(name)
        if raw is None:
            if not lenient:
                report(ctx, f"no {name} header", f"{_where(first)} has no {name}", first.exchange)
            continue
        value = _number(first, name)
        if role == "total":
            expected = {count} if exact else None
        else:
            expected = expected_total_pages(count, walked.size or 1) if exact else None
        if value is None or (expected is not None and value not in expected):
            shown = " or ".join(str(e) for e in sorted(expected or ()))
            report(
                ctx,
                f"{name} disagrees with the collection",
                f"{_where(first)} answered {name}: {raw!r}; walking every page at size "
                f"{walked.size} found {count} records, so {shown or 'a whole number'} was "
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
    lenient = not ctx.strict and any(c.source == "public-facts" for c in ctx.clauses)
    started_walk(ctx, op)
    for walked in (main_walk(ctx, op), reference_walk(ctx, op)):
        if walked is None:
            continue
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
                        f"{_where(page)} has {pointer} = {flag!r}",
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
                    f"{_where(page)} says {pointer} = {str(flag).lower()}; {state}",
                    *evidence,
                )
                return
