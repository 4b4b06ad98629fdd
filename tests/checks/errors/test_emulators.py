"""The error checks against the emulators: nothing on the clean ones, and each fault of a
clause they verify found on its own clause (and on no other).

The error checks also judge the exchanges other checks recorded: the 403s of the auth
checks (read-only keys, scopes) and the successes of the write checks (concern "vendor").
So the proofs run those concerns too, and judge exactly the faults of the error clauses.
"""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import load_all
from harness.emulators import vendor_module
from harness.selftest import selftest

CONCERNS = ("errors",)
RECORDED_BY = ("auth", "vendor")  # the concerns whose exchanges the error checks judge too


def _error_faults(vendor: str) -> list[str]:
    """The emulator's faults that break a clause an error check verifies."""
    registry = load_all()
    covered = {
        c.id
        for c in load_clauses(vendor)
        if any(n in registry and registry[n].concern in CONCERNS for n in c.checks)
    }
    return [f.name for f in vendor_module(vendor).FAULTS if f.clause in covered]


@pytest.mark.parametrize("vendor", vendor_names())
def test_the_error_checks_find_each_error_fault_on_its_clause_and_nothing_when_clean(
    vendor: str,
) -> None:
    faults = _error_faults(vendor)
    assert faults, f"the {vendor} emulator has no fault of an error clause to find"
    outcome = selftest((vendor,), concerns=CONCERNS + RECORDED_BY, only=tuple(faults))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == len(faults)
