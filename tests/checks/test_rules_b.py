"""The rules_b vendor checks find nothing on the clean emulators and catch each fault of
their clauses on exactly that clause."""

from __future__ import annotations

import pytest

from harness.catalog import load_clauses
from harness.checks import load_all
from harness.selftest import selftest

MY_FAULTS = {
    "turris": {
        "turris-dates-local-offset",
        "turris-ids-extended-json",
        "turris-idempotency-key-ignored",
        "turris-x-idempotency-key-ignored",
    },
    "trackops": {"trackops-timestamps-plus-two"},
    "turitop": {"turitop-price-as-number", "turitop-iso-date-hour-off"},
}


@pytest.mark.parametrize("vendor", sorted(MY_FAULTS))
def test_the_vendor_checks_are_clean_and_catch_each_fault_on_its_clause(vendor: str) -> None:
    outcome = selftest((vendor,), concerns=("vendor",))
    assert outcome.perfect, outcome.summary()
    detected = {f.fault for f in outcome.faults if f.detected}
    assert MY_FAULTS[vendor] <= detected, outcome.summary()


@pytest.mark.parametrize("vendor", sorted(MY_FAULTS))
def test_every_vendor_clause_of_the_area_is_linked_to_a_registered_check_or_unchecked(
    vendor: str,
) -> None:
    registry = load_all()
    for clause in load_clauses(vendor):
        if clause.concern != "vendor":
            continue
        assert clause.unchecked or clause.checks, clause.id
        for name in clause.checks:
            assert name in registry, (clause.id, name)


def test_the_rules_b_checks_skip_profiles_without_their_features() -> None:
    from harness.profiles import load_profile

    registry = load_all()
    mine = [spec for name, spec in registry.items() if name.startswith("rules_b.")]
    assert mine
    for vendor in ("itrp", "toptickets"):
        profile = load_profile(vendor)
        applying = [s.name for s in mine if s.applies(profile) is None and s.operations(profile)]
        assert applying in ([], ["rules_b.record-fields"]), (vendor, applying)
