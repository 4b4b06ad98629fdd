"""The write checks find nothing on each clean emulator that links them, and catch each
fault of their clauses on exactly that clause (and blame no other fault on them)."""

from __future__ import annotations

import pytest

from harness.catalog import load_clauses
from tests.support.vendor_runs import (
    assert_clean_and_exact,
    linking_vendors,
    package_clauses,
    package_faults,
)

PREFIX = "writes."


def test_some_vendor_links_the_writes_checks() -> None:
    assert linking_vendors(PREFIX)


@pytest.mark.parametrize("vendor", linking_vendors(PREFIX))
def test_each_writes_clause_has_a_fault_or_a_reason_it_cannot_have_one(vendor: str) -> None:
    faulted = {clause for owner, _, clause in package_faults(PREFIX) if owner == vendor}
    bare = [
        c.id
        for c in load_clauses(vendor)
        if c.id in package_clauses(vendor, PREFIX) and c.id not in faulted and not c.unfaultable
    ]
    assert bare == [], f"{vendor}: writes clauses with neither a fault nor a reason"


@pytest.mark.parametrize("vendor", linking_vendors(PREFIX))
def test_the_writes_checks_are_clean_and_catch_each_fault_on_its_clause(vendor: str) -> None:
    assert_clean_and_exact(vendor, PREFIX)
