"""The auth and token checks against the emulators: nothing on the clean ones, and each
auth or token fault found on its own clause (and on no other)."""

from __future__ import annotations

import pytest

from harness.selftest import selftest

# vendor -> faults of the clauses the auth and token checks verify
FAULTS = {
    "itrp": 1,
    "toptickets": 1,
    "trackops": 3,
    "turitop": 3,
    "turris": 1,
}


@pytest.mark.parametrize("vendor", sorted(FAULTS))
def test_the_auth_checks_find_each_auth_fault_on_its_clause_and_nothing_when_clean(
    vendor: str,
) -> None:
    outcome = selftest((vendor,), concerns=("auth", "token"))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == FAULTS[vendor]
