"""Pagination checks on the Link header (RFC 8288): every page links its documented
relations, ``next`` exactly while further records exist, in valid syntax with absolute
URLs."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import paged_lists
from harness.checks._registry import check
from harness.checks._weblinks import is_absolute, parse_link_header, query_value, relations
from harness.checks.pagination._common import both_walks, report, started_walk, where
from harness.profiles import Profile


def _links(profile: Profile) -> str | None:
    p = profile.pagination
    if p.style == "none" or not (p.style == "link" or p.link_relations):
        return "the document describes no Link header paging"
    return None


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
                report(ctx, "no Link header", f"{where(page)} has no Link header", page.exchange)
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
                f'{where(page)} links rel="next" to {rels["next"]}, but the next page '
                f"({where(after)}) is empty",
                page.exchange,
                after.exchange,
            )
        elif "next" in rels and not page.items:
            report(
                ctx,
                "next link on an empty page",
                f'{where(page)} lists no records yet links rel="next"',
                page.exchange,
            )
        elif "next" not in rels and more:
            assert after is not None
            report(
                ctx,
                "no next link although more records exist",
                f'{where(page)} has no rel="next" but {where(after)} holds {after.count}',
                page.exchange,
                after.exchange,
            )
        if "next" in rels and more and page.position is not None and pagination.page_param:
            target = query_value(rels["next"], pagination.page_param)
            if target is not None and target != str(page.position + 1):
                report(
                    ctx,
                    "next link points to the wrong page",
                    f'{where(page)} links rel="next" to {pagination.page_param}={target}, '
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
                f"{where(page)} has no rel={', rel='.join(missing)} (has: "
                f"{', '.join(sorted(rels)) or 'none'})",
                page.exchange,
            )


@check("pagination.link-syntax", concern="pagination", applies=_links, per_operation=paged_lists)
def link_syntax(ctx: CheckContext) -> None:
    """Link headers follow RFC 8288 syntax (<url>; rel="next") with absolute URLs."""
    op = ctx.operation
    assert op is not None
    started_walk(ctx, op)
    for walked in both_walks(ctx, op):
        for page in walked.pages:
            header = page.exchange.headers.get("link")
            if header is None:
                continue
            links, errors = parse_link_header(header)
            if errors:
                report(
                    ctx,
                    "malformed Link header",
                    f"{where(page)}: {'; '.join(errors)}",
                    page.exchange,
                )
                return
            relative = [link.url for link in links if not is_absolute(link.url)]
            if relative:
                report(
                    ctx,
                    "relative URL in Link header",
                    f"{where(page)} links {relative[0]!r}, not an absolute URL",
                    page.exchange,
                )
                return
