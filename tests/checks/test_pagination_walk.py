"""The pagination helpers without sockets: Link header parsing, walk sizes, orderings,
and the walk-based checks against a hand-made ITRP-like server (httpx.MockTransport)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from harness.checks import get_check
from harness.checks.pagination_links import (
    is_absolute,
    parse_link_header,
    query_value,
    relations,
)
from harness.checks.pagination_walk import (
    first_divergence,
    first_inversion,
    header_roles,
    order_direction,
    reference_size,
    walk_size,
)
from harness.engine import open_session, run_check
from harness.profiles import load_profile
from harness.targets import load_target

# --- Link headers -----------------------------------------------------------------------


def test_a_link_header_parses_into_relations_and_absolute_urls() -> None:
    header = (
        '<https://api.test/v1/requests?page=1&per_page=20>; rel="first", '
        '<https://api.test/v1/requests?page=3&per_page=20>; rel="next", '
        "<https://api.test/v1/requests?page=9&per_page=20>; rel=last"
    )
    links, errors = parse_link_header(header)
    assert errors == []
    rels = relations(links)
    assert set(rels) == {"first", "next", "last"}
    assert query_value(rels["next"], "page") == "3"
    assert all(is_absolute(link.url) for link in links)


def test_a_link_header_with_several_relation_types_and_quoted_commas_parses() -> None:
    links, errors = parse_link_header('<https://a.test/x>; rel="prev first"; title="a, b"')
    assert errors == []
    assert links[0].rels == ("prev", "first")
    assert links[0].params["title"] == "a, b"


@pytest.mark.parametrize(
    "header",
    [
        'https://a.test/x; rel="next"',  # no angle brackets
        '<https://a.test/x> rel="next"',  # no semicolon
        '<https://a.test/x>; rel="next',  # unterminated quote
        "<https://a.test/x; rel=next",  # unterminated URL
    ],
)
def test_a_malformed_link_header_reports_a_syntax_error(header: str) -> None:
    _, errors = parse_link_header(header)
    assert errors


def test_a_relative_link_url_is_not_absolute() -> None:
    links, errors = parse_link_header('</v1/requests?page=2>; rel="next"')
    assert errors == [] and not is_absolute(links[0].url)


# --- sizes, headers, orderings ---------------------------------------------------------------


def test_the_walk_size_is_explicit_and_neither_the_default_nor_the_maximum() -> None:
    for vendor in ("itrp", "toptickets", "trackops", "turitop"):
        pagination = load_profile(vendor).pagination
        size = walk_size(pagination)
        assert size not in (pagination.default_size, pagination.max_size)
        assert math.ceil(330 / size) <= 15
        assert reference_size(pagination) == pagination.max_size


def test_paging_headers_are_told_apart_by_their_names() -> None:
    roles = header_roles(load_profile("itrp").pagination)
    assert roles == {
        "current": "X-Pagination-Current-Page",
        "size": "X-Pagination-Per-Page",
        "total_pages": "X-Pagination-Total-Pages",
        "total": "X-Pagination-Total-Entries",
    }


def test_first_divergence_finds_a_skipped_record_at_a_page_boundary() -> None:
    assert first_divergence(["a", "b", "c"], ["a", "b", "c", "d"]) is None
    assert first_divergence(["a", "c", "d"], ["a", "b", "c"]) == 1


def test_an_order_inversion_is_found_by_timestamp_not_by_text() -> None:
    records = [
        {"created": "2024-01-02T00:00:00Z"},
        {"created": "2024-01-01T23:00:00-02:00"},  # later than the first, written earlier
    ]
    assert first_inversion(records, "created", "asc") is None
    assert first_inversion(records, "created", "desc") == 0
    assert order_direction("asc") == "asc" and order_direction("DESC") == "desc"


# --- walk-based checks against a hand-made server -------------------------------------------

RECORDS = [{"id": i, "subject": f"request {i}"} for i in range(1, 238)]
Handler = Callable[[httpx.Request], httpx.Response]


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


TARGET = """
vendor = "itrp"
base_url = "https://api.test/v1"
mode = "emulator"
[credentials]
api_token = "t0ken"
[allow]
clock_control = false
"""


def clauses_found(tmp_path: Path, handler: Handler, check: str) -> set[str]:
    path = tmp_path / "target.toml"
    path.write_text(TARGET, encoding="utf-8")
    target = load_target(path, environ={})
    session = open_session(target, transport=httpx.MockTransport(handler))
    try:
        op = target.profile.operation("requests.list")
        result = run_check(session, get_check(check), op)
    finally:
        session.client.close()
    assert result.outcome in ("passed", "failed"), result.reason
    return {f.clause for f in result.findings}


@pytest.mark.parametrize(
    "check",
    [
        "pagination.exactly-once",
        "pagination.size-honoured",
        "pagination.full-pages",
        "pagination.link-relations",
        "pagination.link-syntax",
        "pagination.page-headers",
        "pagination.totals",
    ],
)
def test_a_well_paged_collection_passes(tmp_path: Path, check: str) -> None:
    assert clauses_found(tmp_path, itrp_like(), check) == set()


def test_pages_overlapping_by_one_record_break_exactly_once(tmp_path: Path) -> None:
    found = clauses_found(tmp_path, itrp_like(overlap=True), "pagination.exactly-once")
    assert found == {"ITRP-PAGE-PARAMS"}


def test_relative_link_urls_break_the_absolute_url_clause_only(tmp_path: Path) -> None:
    handler = itrp_like(relative=True)
    assert clauses_found(tmp_path, handler, "pagination.link-syntax") == {"ITRP-PAGE-ABSOLUTE"}
    assert clauses_found(tmp_path, handler, "pagination.link-relations") == set()


def test_a_total_entries_header_off_by_one_breaks_the_totals_clause(tmp_path: Path) -> None:
    found = clauses_found(tmp_path, itrp_like(total_off=1), "pagination.totals")
    assert found == {"ITRP-PAGE-TOTALS"}


# --- offset paging, and the oversize readings in lenient and strict mode ---------------------

TICKETS = [{"id": f"00000000-0000-4000-8000-{i:012d}", "subject": f"t{i}"} for i in range(287)]

OFFSET_TARGET = """
vendor = "toptickets"
base_url = "https://api.test/v1"
mode = "emulator"
{strict}
[credentials]
api_key = "tt_admin_0123456789abcdef0123456789abcdef"
[allow]
clock_control = false
"""


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


def offset_clauses(tmp_path: Path, handler: Handler, check: str, strict: bool = False) -> set[str]:
    path = tmp_path / "target.toml"
    path.write_text(OFFSET_TARGET.format(strict="strict = true" if strict else ""), "utf-8")
    target = load_target(path, environ={})
    session = open_session(target, transport=httpx.MockTransport(handler))
    try:
        result = run_check(session, get_check(check), target.profile.operation("tickets.list"))
    finally:
        session.client.close()
    assert result.outcome in ("passed", "failed"), result.reason
    return {f.clause for f in result.findings}


def test_an_offset_that_skips_one_record_breaks_the_offset_clause(tmp_path: Path) -> None:
    handler = offset_like(skip_one=True)
    assert offset_clauses(tmp_path, handler, "pagination.exactly-once") == {"TOP-PAGE-OFFSET"}
    assert offset_clauses(tmp_path, handler, "pagination.full-pages") == set()
    assert offset_clauses(tmp_path, handler, "pagination.past-end") == set()


@pytest.mark.parametrize("oversize", ["reject", "clamp"])
def test_lenient_mode_accepts_both_readings_of_an_oversized_limit(
    tmp_path: Path, oversize: str
) -> None:
    found = offset_clauses(tmp_path, offset_like(oversize=oversize), "pagination.max-size")
    assert found == set()


def test_strict_mode_holds_an_oversized_limit_to_the_strict_reading(tmp_path: Path) -> None:
    clamp = offset_like(oversize="clamp")
    assert offset_clauses(tmp_path, clamp, "pagination.max-size", strict=True) == {"TOP-PAGE-MAX"}
    reject = offset_like(oversize="reject")
    assert offset_clauses(tmp_path, reject, "pagination.max-size", strict=True) == set()
