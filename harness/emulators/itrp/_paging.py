"""Collection paging: page/per_page, the X-Pagination-* headers and an RFC 8288 Link header."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlencode

from starlette.requests import Request

from harness.emulators._base import EmulatorContext
from harness.emulators.itrp._common import ItrpError, origin
from harness.emulators.itrp._faults import (
    F_NEXT_ON_LAST,
    F_PAGE_OVERLAP,
    F_PAGE_SIZE_25,
    F_PEOPLE_PAGE_SIZE_30,
    F_PER_PAGE_CAPPED,
    F_PER_PAGE_ZERO,
)

T = TypeVar("T")

# Query parameters that never travel into Link URLs: the paging ones are set per link,
# the token is a secret and the JSON-P callback belongs to one response.
_NOT_CARRIED = frozenset({"page", "per_page", "api_token", "callback"})


def _integer(raw: str | None) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return None


def page_size(ctx: EmulatorContext, request: Request) -> int:
    """The page size asked for, capped at the maximum; 400 when below 1 or not a number."""
    pagination = ctx.profile.pagination
    default = pagination.default_size or 20
    if ctx.fault(F_PAGE_SIZE_25):
        default = 25
    if ctx.fault(F_PEOPLE_PAGE_SIZE_30) and request.url.path.rstrip("/").endswith("/people"):
        default = 30
    raw = request.query_params.get(pagination.size_param or "per_page")
    if raw is None or raw == "":
        return default
    size = _integer(raw)
    if size is None or size < 1:
        if size is not None and ctx.fault(F_PER_PAGE_ZERO):
            return default
        raise ItrpError(400, "Parameter 'per_page' cannot be less than 1")
    return min(size, pagination.max_size or size)


def page_number(ctx: EmulatorContext, request: Request) -> int:
    raw = request.query_params.get(ctx.profile.pagination.page_param or "page")
    if raw is None or raw == "":
        return ctx.profile.pagination.first_page
    number = _integer(raw)
    if number is None or number < 1:
        raise ItrpError(400, "Parameter 'page' cannot be less than 1")
    return number


def link_header(request: Request, links: Sequence[tuple[str, int]], per_page: int) -> str:
    """``<url>; rel="first", ...`` with absolute URLs built from the request's origin."""
    carried = [(k, v) for k, v in request.query_params.multi_items() if k not in _NOT_CARRIED]
    base = origin(request) + request.url.path
    parts = []
    for rel, number in links:
        query = urlencode([("page", str(number)), ("per_page", str(per_page)), *carried])
        parts.append(f'<{base}?{query}>; rel="{rel}"')
    return ", ".join(parts)


def paginate(
    ctx: EmulatorContext, request: Request, items: Sequence[T]
) -> tuple[list[T], dict[str, str]]:
    """One page of ``items`` and the paging headers that describe it."""
    per_page = page_size(ctx, request)
    page = page_number(ctx, request)
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    served = min(per_page, 50) if ctx.fault(F_PER_PAGE_CAPPED) else per_page
    first = (page - 1) * per_page
    if ctx.fault(F_PAGE_OVERLAP) and page > 1:
        first -= 1
    chunk = list(items[first : first + served])
    links: list[tuple[str, int]] = [("first", 1)]
    if page > 1:
        links.append(("prev", min(page - 1, pages)))
    if page < pages or (ctx.fault(F_NEXT_ON_LAST) and page == pages):
        links.append(("next", page + 1))
    links.append(("last", pages))
    headers = {
        "Link": link_header(request, links, per_page),
        "X-Pagination-Current-Page": str(page),
        "X-Pagination-Per-Page": str(per_page),
        "X-Pagination-Total-Pages": str(pages),
        "X-Pagination-Total-Entries": str(total),
    }
    return chunk, headers
