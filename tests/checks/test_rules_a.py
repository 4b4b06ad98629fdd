"""The rules_a vendor checks: clean emulators pass, each fault is caught on its own clause,
and the parsing helpers read what the documents show."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.catalog import load_clauses
from harness.checks import load_all
from harness.checks.rules_a import loosely, parse_link, same_url, split_example
from harness.checks.rules_a_jsonp import unwrap
from harness.emulators import make_tls, vendor_module
from harness.emulators._server import TLSFiles
from harness.engine import CheckResult
from harness.selftest import run_all_checks

VENDORS = ("itrp", "toptickets")


@pytest.fixture(scope="module")
def tls() -> Iterator[tuple[TLSFiles, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="rules-a-"))
    yield make_tls(folder / "tls"), folder


def _mine(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.check.startswith("rules_a.")]


def _my_faults(vendor: str) -> list[tuple[str, str]]:
    registry = load_all()
    covered = {
        c.id
        for c in load_clauses(vendor)
        if any(n.startswith("rules_a.") and n in registry for n in c.checks)
    }
    return [(f.name, f.clause) for f in vendor_module(vendor).FAULTS if f.clause in covered]


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_clean_emulator_breaks_no_rules_a_clause(
    vendor: str, tls: tuple[TLSFiles, Path]
) -> None:
    results = _mine(run_all_checks(vendor, (), tls[0], tls[1], ("vendor",)))
    assert results, f"no rules_a check is linked for {vendor}"
    assert [r.reason for r in results if r.outcome == "error"] == []
    assert [f.one_line() for r in results for f in r.findings] == []
    assert [r.check for r in results if r.outcome == "skipped"] == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_each_fault_on_a_rules_a_clause_is_found_on_exactly_that_clause(
    vendor: str, tls: tuple[TLSFiles, Path]
) -> None:
    faults = _my_faults(vendor)
    assert len(faults) == 3
    for fault, clause in faults:
        results = _mine(run_all_checks(vendor, (fault,), tls[0], tls[1], ("vendor",)))
        found = {f.clause for r in results for f in r.findings}
        assert found == {clause}, fault
        assert [r.reason for r in results if r.outcome == "error"] == []


def test_faults_of_other_clauses_are_not_blamed_on_rules_a_clauses(
    tls: tuple[TLSFiles, Path],
) -> None:
    for vendor in VENDORS:
        mine = {name for name, _ in _my_faults(vendor)}
        for fault in vendor_module(vendor).FAULTS:
            if fault.name in mine:
                continue
            results = _mine(run_all_checks(vendor, (fault.name,), tls[0], tls[1], ("vendor",)))
            assert [f.one_line() for r in results for f in r.findings] == [], fault.name


def test_a_link_header_parses_into_urls_and_relations() -> None:
    header = (
        '<https://api.example.com/v1/requests?page=1&per_page=20>; rel="first", '
        "<https://api.example.com/v1/requests?page=2&per_page=20>; rel=next;title=\"a, b\""
    )
    assert parse_link(header) == [
        ("https://api.example.com/v1/requests?page=1&per_page=20", {"rel": "first"}),
        (
            "https://api.example.com/v1/requests?page=2&per_page=20",
            {"rel": "next", "title": "a, b"},
        ),
    ]
    assert parse_link("") == []


def test_urls_compare_without_query_order_or_ignored_parameters() -> None:
    assert same_url("https://h/v1/r?page=2&per_page=5", "https://h/v1/r?per_page=5&page=2")
    assert same_url("https://h/v1/r?page=2&callback=foo", "https://h/v1/r?page=2", ("callback",))
    assert not same_url("https://h/v1/r?page=2", "https://h/v1/r?page=3")


def test_a_jsonp_body_unwraps_to_its_single_argument() -> None:
    assert unwrap(b'foo({"meta": {"status": 200}, "data": []})', "foo") == (
        {"meta": {"status": 200}, "data": []},
        None,
    )
    assert unwrap(b'/**/ foo({"a": 1});\n', "foo") == ({"a": 1}, None)
    assert unwrap(b'bar({"a": 1})', "foo")[1] == "the body calls bar(...), not foo(...)"
    assert "not a call" in str(unwrap(b'{"a": 1}', "foo")[1])
    assert "not one JSON value" in str(unwrap(b"foo({a: 1})", "foo")[1])


def test_loose_comparison_ignores_json_scalar_types_only() -> None:
    assert loosely([{"id": 13, "ok": True}]) == loosely([{"id": "13", "ok": "true"}])
    assert loosely({"id": 13}) != loosely({"id": 14})
    assert loosely(None) is None


def test_an_example_path_splits_into_path_and_query() -> None:
    assert split_example("/sites?fields=name") == ("/sites", {"fields": "name"})
    assert split_example("/me") == ("/me", {})
