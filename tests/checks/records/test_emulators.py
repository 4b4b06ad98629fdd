"""The records checks find nothing on each clean emulator that links them, and catch each
fault of their clauses on exactly that clause (and blame no other fault on them)."""

from __future__ import annotations

import pytest

from tests.checks.records._emulated import assert_clean_and_exact, linking_vendors

PREFIX = "records."


def test_some_vendor_links_the_records_checks() -> None:
    assert linking_vendors(PREFIX)


@pytest.mark.parametrize("vendor", linking_vendors(PREFIX))
def test_the_records_checks_are_clean_and_catch_each_fault_on_its_clause(vendor: str) -> None:
    assert_clean_and_exact(vendor, PREFIX)
