"""The collection checks (and the other checks of a case-management API) against a small
fake vendor (httpx.MockTransport): a well-behaved one passes, each bug is found."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.checks.collections._fake_cases import clauses, fake_cases_api, run
from tests.support.sessions import fake_session

VENDOR = "trackops"  # the profile documenting count mode, nesting and resources


def test_the_collection_checks_find_nothing_on_a_well_behaved_fake(tmp_path: Path) -> None:
    session = fake_session(tmp_path, VENDOR, fake_cases_api())
    for name in (
        "collections.count-mode",
        "filters.date-range",
        "filters.url-encoded",
        "collections.nested-related",
        "collections.resources",
        "records.timestamp-fields",
    ):
        result = run(session, name)
        assert result.outcome == "passed", (name, result.reason, result.findings)


def test_a_record_count_that_disagrees_with_the_pages_is_found(tmp_path: Path) -> None:
    result = run(
        fake_session(tmp_path, VENDOR, fake_cases_api(count_off=True)), "collections.count-mode"
    )
    assert clauses(result) == {"TRK-PF-MODE-COUNT"}
    assert "PUBLIC-FACTS" in result.findings[0].message


def test_related_records_under_lower_case_keys_are_found_only_in_strict_mode(
    tmp_path: Path,
) -> None:
    lenient = run(
        fake_session(tmp_path, VENDOR, fake_cases_api(lower_user=True)),
        "collections.nested-related",
    )
    strict = run(
        fake_session(tmp_path, VENDOR, fake_cases_api(lower_user=True), strict=True),
        "collections.nested-related",
    )
    assert lenient.outcome == "passed"
    assert clauses(strict) == {"TRK-PF-NESTED-RELATED"}


def test_a_missing_collection_and_an_unfetchable_record_are_found(tmp_path: Path) -> None:
    result = run(
        fake_session(tmp_path, VENDOR, fake_cases_api(no_users=True, get_404=True)),
        "collections.resources",
    )
    titles = " | ".join(f.title for f in result.findings)
    assert clauses(result) == {"TRK-PF-RESOURCES"}
    assert "/users" in titles and "/clients/{id}" in titles


def test_the_fake_api_serves_json() -> None:
    response = fake_cases_api()(httpx.Request("GET", "https://vendor.test/api/v1/clients"))
    assert len(json.loads(response.content)) == 100
