"""Hand-made paged servers (httpx.MockTransport) and a runner for one pagination check
against them: an ITRP-like one paged by page/per_page with Link and X-Pagination-*
headers, and a TopTickets-like one paged by offset/limit."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import httpx

from harness.checks import get_check
from harness.engine import run_check
from tests.support.sessions import fake_session

Handler = Callable[[httpx.Request], httpx.Response]
CREDENTIALS = {
    "itrp": {"api_token": "t0ken"},
    "toptickets": {"api_key": "tt_admin_0123456789abcdef0123456789abcdef"},
}

RECORDS = [{"id": i, "subject": f"request {i}"} for i in range(1, 238)]
TICKETS = [{"id": f"00000000-0000-4000-8000-{i:012d}", "subject": f"t{i}"} for i in range(287)]


def itrp_like(*, overlap: bool = False, relative: bool = False, total_off: int = 0) -> Handler:
    """/requests paged by page/per_page with Link and X-Pagination-* headers."""

    def handler(request: httpx.Request) -> httpx.Response:
        size = min(int(request.url.params.get("per_page", "20")), 100)
        page = int(request.url.params.get("page", "1"))
        pages = math.ceil(len(RECORDS) / size)
        start = (page - 1) * size
        if overlap and page > 1 and start < len(RECORDS):
            start -= 1
        chunk = RECORDS[start : start + size] if start < len(RECORDS) else []
        origin = "" if relative else "https://api.test"
        rels = [("first", 1)] + ([("prev", page - 1)] if page > 1 else [])
        rels += ([("next", page + 1)] if page < pages else []) + [("last", pages)]
        link = ", ".join(
            f'<{origin}/v1/requests?page={n}&per_page={size}>; rel="{rel}"' for rel, n in rels
        )
        headers = {
            "Link": link,
            "X-Pagination-Current-Page": str(page),
            "X-Pagination-Per-Page": str(size),
            "X-Pagination-Total-Pages": str(pages),
            "X-Pagination-Total-Entries": str(len(RECORDS) + total_off),
        }
        return httpx.Response(200, json=chunk, headers=headers)

    return handler


def offset_like(*, skip_one: bool = False, oversize: str = "reject") -> Handler:
    """/tickets paged by offset/limit (max 500); above it: 422, or clamped to 500."""

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", "0"))
        limit = int(request.url.params.get("limit", "100"))
        if limit > 500:
            if oversize == "reject":
                return httpx.Response(422, json={"detail": [{"loc": ["query", "limit"]}]})
            limit = 500
        if skip_one and offset > 0:
            offset += 1
        return httpx.Response(200, json=TICKETS[offset : offset + limit])

    return handler


def _clauses(
    folder: Path, vendor: str, operation: str, handler: Handler, check: str, strict: bool
) -> set[str]:
    session = fake_session(folder, vendor, handler, strict=strict, credentials=CREDENTIALS[vendor])
    try:
        result = run_check(session, get_check(check), session.profile.operation(operation))
    finally:
        session.client.close()
    assert result.outcome in ("passed", "failed"), result.reason
    return {f.clause for f in result.findings}


def clauses_found(tmp_path: Path, handler: Handler, check: str) -> set[str]:
    """The clauses ``check`` reports on the ITRP-like ``requests.list``."""
    return _clauses(tmp_path, "itrp", "requests.list", handler, check, strict=False)


def offset_clauses(tmp_path: Path, handler: Handler, check: str, strict: bool = False) -> set[str]:
    """The clauses ``check`` reports on the TopTickets-like ``tickets.list``."""
    return _clauses(tmp_path, "toptickets", "tickets.list", handler, check, strict=strict)
