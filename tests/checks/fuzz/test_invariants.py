"""The generic fuzz checks against small scripted servers: each broken invariant found on
the clause about it."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.fuzz._sessions import JSON, run_scripted


def _per_page_ignored(request: httpx.Request) -> httpx.Response:
    """An ITRP collection that serves any per_page (also 0 and -1), and refuses bad pages."""
    page = request.url.params.get("page", "1")
    if not page.lstrip("-").isdigit() or int(page) < 1:
        return httpx.Response(400, headers=JSON, json={"message": "Parameter 'page' is bad"})
    return httpx.Response(200, headers=JSON, json=[{"id": 1, "subject": "x"}])


def test_a_per_page_below_one_that_is_served_is_reported_on_its_clause(tmp_path: Path) -> None:
    result = run_scripted(
        tmp_path, "itrp", "fuzz.invalid-refused", "requests.list", _per_page_ignored
    )
    assert {f.clause for f in result.findings} == {"ITRP-PAGE-BAD-SIZE"}
    assert "per_page=0" in result.findings[0].message
    assert "should be refused with 400" in result.findings[0].message


def _server_error_on_big_pages(request: httpx.Request) -> httpx.Response:
    limit = request.url.params.get("limit", "100")
    if limit.isdigit() and int(limit) > 400:
        return httpx.Response(500, headers=JSON, json={"detail": "Internal Server Error"})
    if limit.isdigit() and int(limit) >= 1:
        return httpx.Response(200, headers=JSON, json=[])
    return httpx.Response(422, headers=JSON, json={"detail": "limit is not valid"})


def test_a_server_error_on_a_valid_page_size_breaks_the_status_set(tmp_path: Path) -> None:
    result = run_scripted(
        tmp_path,
        "toptickets",
        "fuzz.documented-status",
        "customers.list",
        _server_error_on_big_pages,
    )
    assert {f.clause for f in result.findings} == {"TOP-ERR-STATUS-SET"}
    assert "server error 500" in result.findings[0].title
    assert result.findings[0].evidence[0].status == 500
