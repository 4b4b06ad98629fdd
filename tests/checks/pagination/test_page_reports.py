"""The paging headers: told apart by their documented names, and a total that disagrees
with the walk breaks the totals clause."""

from __future__ import annotations

from pathlib import Path

from harness.checks.pagination.page_reports import header_roles
from harness.profiles import load_profile
from tests.checks.pagination._servers import clauses_found, itrp_like


def test_paging_headers_are_told_apart_by_their_names() -> None:
    roles = header_roles(load_profile("itrp").pagination)
    assert roles == {
        "current": "X-Pagination-Current-Page",
        "size": "X-Pagination-Per-Page",
        "total_pages": "X-Pagination-Total-Pages",
        "total": "X-Pagination-Total-Entries",
    }


def test_a_total_entries_header_off_by_one_breaks_the_totals_clause(tmp_path: Path) -> None:
    found = clauses_found(tmp_path, itrp_like(total_off=1), "pagination.totals")
    assert found == {"ITRP-PAGE-TOTALS"}
