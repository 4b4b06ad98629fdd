"""The pagination checks find nothing on each clean emulator and catch every pagination
fault of its catalog on the fault's own clause (and on no other)."""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import load_all
from harness.emulators import vendor_module
from harness.profiles import load_profile
from harness.selftest import selftest

# every vendor whose document describes paging
PAGED_VENDORS = tuple(v for v in vendor_names() if load_profile(v).pagination.style != "none")


def _pagination_faults(vendor: str) -> list[str]:
    registry = load_all()
    covered = {
        c.id
        for c in load_clauses(vendor)
        if any(n in registry and registry[n].concern == "pagination" for n in c.checks)
    }
    return [f.name for f in vendor_module(vendor).FAULTS if f.clause in covered]


def test_some_vendors_are_paged() -> None:
    assert PAGED_VENDORS


@pytest.mark.parametrize("vendor", PAGED_VENDORS)
def test_pagination_checks_are_clean_and_catch_every_fault_on_its_clause(vendor: str) -> None:
    faults = _pagination_faults(vendor)
    assert faults, f"{vendor} should have pagination faults to catch"
    outcome = selftest((vendor,), concerns=("pagination",))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == len(faults) == len(outcome.faults)


def test_every_pagination_clause_is_linked_or_explained() -> None:
    registry = load_all()
    for vendor in PAGED_VENDORS:
        for clause in load_clauses(vendor):
            if clause.concern != "pagination":
                continue
            assert clause.checks or clause.unchecked, f"{clause.id} has no check and no reason"
            for name in clause.checks:
                assert name in registry, f"{clause.id} links an unknown check {name!r}"
