"""The date-range filter check against a fake case-management API, and its date parsing."""

from __future__ import annotations

from pathlib import Path

from harness.checks.filters.date_ranges import instant
from tests.checks.collections._fake_cases import clauses, fake_cases_api, run
from tests.support.sessions import fake_session


def test_ignored_date_filters_are_blamed_on_each_filter_clause(tmp_path: Path) -> None:
    session = fake_session(tmp_path, "trackops", fake_cases_api(ignore_filters=True))
    result = run(session, "filters.date-range")
    assert clauses(result) == {"TRK-PF-FILTER-CREATED", "TRK-PF-FILTER-UPDATED"}
    by_clause = {f.clause: f.title for f in result.findings}
    assert "created" in by_clause["TRK-PF-FILTER-CREATED"]
    assert "updated" in by_clause["TRK-PF-FILTER-UPDATED"]


def test_instant_reads_z_offsets_and_naive_times_as_the_same_utc_instant() -> None:
    assert instant("2024-01-01T00:00:00Z") == instant("2024-01-01T02:00:00+02:00")
    assert instant("2024-01-01T00:00:00") == instant("2024-01-01T00:00:00Z")
    assert instant("yesterday") is None
    assert instant(1700000000) is None
