"""The error checks against the emulators: nothing on the clean ones, and each error fault
found on its own clause (and on no other)."""

from __future__ import annotations

import pytest

from harness.selftest import selftest

# vendor -> error faults the emulator has (the selftest runs only faults of clauses the
# error checks verify)
FAULTS = {
    "itrp": 2,
    "toptickets": 2,
    "trackops": 1,
    "turitop": 1,
    "turris": 1,
}


@pytest.mark.parametrize("vendor", sorted(FAULTS))
def test_the_error_checks_find_each_error_fault_on_its_clause_and_nothing_when_clean(
    vendor: str,
) -> None:
    outcome = selftest((vendor,), concerns=("errors",))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == FAULTS[vendor]
