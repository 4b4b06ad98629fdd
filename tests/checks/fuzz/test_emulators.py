"""The fuzz checks against the emulators: nothing on the clean ones; each fault of a clause
only they verify found on its own clause; and no fault, of any clause they verify, blamed on
another clause. (A fault of a clause other concerns verify too may be theirs to find.)"""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import get_check
from harness.emulators import vendor_module
from harness.selftest import selftest

CONCERNS = ("fuzz",)


def _concern(check: str) -> str | None:
    try:
        return get_check(check).concern
    except KeyError:
        return None


def _verifying_concerns(vendor: str) -> dict[str, set[str | None]]:
    """Per checked clause of ``vendor``, the concerns of the checks that verify it."""
    return {c.id: {_concern(n) for n in c.checks} for c in load_clauses(vendor) if c.checks}


def _fuzz_faults(vendor: str) -> list[str]:
    """The emulator's faults that break a clause a fuzz check verifies."""
    covered = {c for c, concerns in _verifying_concerns(vendor).items() if concerns & {*CONCERNS}}
    return [f.name for f in vendor_module(vendor).FAULTS if f.clause in covered]


def _fuzz_only_faults(vendor: str) -> list[str]:
    """The emulator's faults that break a clause only fuzz checks verify: theirs to find."""
    only = {c for c, concerns in _verifying_concerns(vendor).items() if concerns <= {*CONCERNS}}
    return [f.name for f in vendor_module(vendor).FAULTS if f.clause in only]


@pytest.mark.parametrize("vendor", vendor_names())
def test_the_fuzz_checks_find_each_fuzz_fault_on_its_clause_and_nothing_when_clean(
    vendor: str,
) -> None:
    faults = _fuzz_faults(vendor)
    assert faults, f"the {vendor} emulator has no fault of a fuzz-verified clause to find"
    outcome = selftest((vendor,), concerns=CONCERNS)
    assert sorted(f.fault for f in outcome.faults) == sorted(faults)
    assert [c.label for c in outcome.clean if not c.ok] == [], outcome.summary()
    blamed_elsewhere = [
        line
        for f in outcome.faults
        if f.collateral or f.errors or f.lenient
        for line in f.problems()
    ]
    assert blamed_elsewhere == [], outcome.summary()
    own = set(_fuzz_only_faults(vendor))
    assert [f.fault for f in outcome.faults if f.fault in own and not f.detected] == []
    assert outcome.detected > 0, outcome.summary()
